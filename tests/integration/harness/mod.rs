//! The one harness of the integration tests: [`Test`] builds a run of the
//! real `apsched` binary (arguments, directory, environment, standard input,
//! a fake start time) and either runs it to its end, checking what it
//! printed, or spawns it as a [`Running`] scheduler. [`Dir`] is a temporary
//! directory holding schedule files; the helpers in [`poll`] wait for a
//! condition with a deadline instead of sleeping a fixed time. Eight tests
//! run at once (`RUST_TEST_THREADS` in `.cargo/config.toml`): most wait on
//! real time, not on a core.

mod dir;
mod faketime;
pub(crate) mod poll;
mod running;
pub(crate) mod tmpfs;

pub(crate) use dir::Dir;
pub(crate) use faketime::{faketime, library as faketime_library};
pub(crate) use running::{Finished, Running};

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One run of the binary: arguments, environment, and the expectations
/// [`Test::run`] checks.
pub(crate) struct Test {
    under: Vec<String>,
    args: Vec<String>,
    env: Vec<(String, String)>,
    dir: Option<PathBuf>,
    at: Option<String>,
    stdin: Option<Vec<u8>>,
    merged: bool,
    status: i32,
    stdout: Option<String>,
    stdout_contains: Vec<String>,
    stderr: Option<String>,
    stderr_contains: Vec<String>,
}

/// What a finished command printed, and its exit code.
#[derive(Debug)]
pub(crate) struct Output {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Standard output as JSON.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}\n{}", self.stdout, self.stderr))
    }
}

impl Default for Test {
    fn default() -> Test {
        Test::new()
    }
}

impl Test {
    /// `apsched` in the current directory, zone UTC, no `APSCHED_CONFIG`,
    /// expected to exit 0.
    pub(crate) fn new() -> Test {
        Test {
            under: Vec::new(),
            args: Vec::new(),
            // A fixed zone, so that nothing depends on the machine's.
            env: vec![("TZ".into(), "UTC".into())],
            dir: None,
            at: None,
            stdin: None,
            merged: false,
            status: 0,
            stdout: None,
            stdout_contains: Vec::new(),
            stderr: None,
            stderr_contains: Vec::new(),
        }
    }

    /// Appends arguments.
    pub(crate) fn args<I, S>(mut self, args: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    /// Runs the binary through `wrapper` (a program and its arguments, as
    /// `setpriv --reuid=65534`), which is given its path and arguments.
    pub(crate) fn under<I, S>(mut self, wrapper: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.under
            .extend(wrapper.into_iter().map(|a| a.as_ref().to_string()));
        self
    }

    /// Sets an environment variable (replacing the default `TZ`).
    pub(crate) fn env(mut self, key: &str, value: &str) -> Test {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.into(), value.into()));
        self
    }

    /// Runs in `dir` instead of the current directory.
    pub(crate) fn dir(mut self, dir: &Path) -> Test {
        self.dir = Some(dir.to_path_buf());
        self
    }

    /// Starts the binary's clock at the fake time `at` ("2027-01-01
    /// 00:00:58", UTC), which then runs on at the real pace (libfaketime;
    /// check [`faketime`] first).
    pub(crate) fn at(mut self, at: &str) -> Test {
        self.at = Some(at.into());
        self
    }

    /// Feeds `text` to the binary's standard input.
    pub(crate) fn stdin(mut self, text: impl AsRef<[u8]>) -> Test {
        self.stdin = Some(text.as_ref().to_vec());
        self
    }

    /// Sends stdout and stderr to one pipe, as `docker logs` and journald
    /// see them; the merged text is the [`Running`]'s stdout.
    pub(crate) fn merged(mut self) -> Test {
        self.merged = true;
        self
    }

    /// The exit status [`Test::run`] expects (0 unless told).
    pub(crate) fn status(mut self, status: i32) -> Test {
        self.status = status;
        self
    }

    /// The whole of standard output [`Test::run`] expects.
    pub(crate) fn stdout(mut self, text: &str) -> Test {
        self.stdout = Some(text.into());
        self
    }

    /// A piece standard output must hold.
    pub(crate) fn stdout_contains(mut self, text: &str) -> Test {
        self.stdout_contains.push(text.into());
        self
    }

    /// The whole of standard error [`Test::run`] expects.
    pub(crate) fn stderr(mut self, text: &str) -> Test {
        self.stderr = Some(text.into());
        self
    }

    /// A piece standard error must hold.
    pub(crate) fn stderr_contains(mut self, text: &str) -> Test {
        self.stderr_contains.push(text.into());
        self
    }

    /// The command, ready to start.
    fn command(&self) -> Command {
        let binary = env!("CARGO_BIN_EXE_apsched");
        let mut command = match self.under.split_first() {
            None => Command::new(binary),
            Some((wrapper, wrapper_args)) => {
                let mut c = Command::new(wrapper);
                c.args(wrapper_args).arg(binary);
                c
            }
        };
        command
            .args(&self.args)
            .env_remove("TZ")
            .env_remove("APSCHED_CONFIG");
        if let Some(dir) = &self.dir {
            command.current_dir(dir);
        }
        for (k, v) in &self.env {
            command.env(k, v);
        }
        if let Some(at) = &self.at {
            let lib = faketime::library().expect("libfaketime (check faketime() first)");
            command
                .env("LD_PRELOAD", lib)
                .env("FAKETIME", format!("@{at}"))
                .env("FAKETIME_DONT_RESET", "1")
                .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        }
        command
    }

    /// Runs the binary to its end and returns what it printed, checking
    /// nothing.
    pub(crate) fn output(self) -> Output {
        self.finish().expect("the binary runs")
    }

    /// As [`Test::output`], with an error when it cannot be started (a
    /// missing [`Test::under`] wrapper).
    pub(crate) fn try_output(self) -> std::io::Result<Output> {
        self.finish()
    }

    /// Runs the binary to its end and checks every expectation; returns
    /// what it printed.
    pub(crate) fn run(self) -> Output {
        let out = self.finish().expect("the binary runs");
        let (stdout, stderr) = (&out.stdout, &out.stderr);
        let context = format!(
            "apsched {:?}\n--- stdout\n{stdout}--- stderr\n{stderr}",
            self.args
        );
        assert_eq!(out.code, Some(self.status), "exit status of {context}");
        if let Some(want) = &self.stdout {
            assert_eq!(stdout, want, "stdout of {context}");
        }
        for want in &self.stdout_contains {
            assert!(stdout.contains(want), "stdout lacks {want:?}: {context}");
        }
        if let Some(want) = &self.stderr {
            assert_eq!(stderr, want, "stderr of {context}");
        }
        for want in &self.stderr_contains {
            assert!(stderr.contains(want), "stderr lacks {want:?}: {context}");
        }
        out
    }

    /// Runs the binary to its end: what it printed and its exit code.
    fn finish(&self) -> std::io::Result<Output> {
        let mut command = self.command();
        let stdin = match self.stdin {
            Some(_) => Stdio::piped(),
            None => Stdio::null(),
        };
        command
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn()?;
        if let (Some(text), Some(mut input)) = (&self.stdin, child.stdin.take()) {
            let _ = input.write_all(text);
        }
        let output = child.wait_with_output()?;
        Ok(Output {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }

    /// Starts the binary and returns at once; its output is collected as
    /// it comes.
    pub(crate) fn spawn(self) -> Running {
        Running::start(self.command(), self.stdin.as_deref(), self.merged)
    }
}
