//! A builder that runs the real `apsched` binary and checks what it printed,
//! in the manner of just's test harness.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// One run of the binary: arguments, environment, and the expectations.
pub struct Test {
    args: Vec<String>,
    env: Vec<(String, String)>,
    dir: Option<std::path::PathBuf>,
    status: i32,
    stdout: Option<String>,
    stdout_contains: Vec<String>,
    stderr: Option<String>,
    stderr_contains: Vec<String>,
    stdin: Option<String>,
}

impl Test {
    pub fn new() -> Test {
        Test {
            args: Vec::new(),
            // A fixed zone, so that nothing depends on the machine's.
            env: vec![("TZ".into(), "UTC".into())],
            dir: None,
            status: 0,
            stdout: None,
            stdout_contains: Vec::new(),
            stderr: None,
            stderr_contains: Vec::new(),
            stdin: None,
        }
    }

    pub fn args(mut self, args: &[&str]) -> Test {
        self.args.extend(args.iter().map(|a| a.to_string()));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Test {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.into(), value.into()));
        self
    }

    /// Runs in `dir` instead of the current directory.
    pub fn dir(mut self, dir: &std::path::Path) -> Test {
        self.dir = Some(dir.to_path_buf());
        self
    }

    pub fn status(mut self, status: i32) -> Test {
        self.status = status;
        self
    }

    pub fn stdout(mut self, text: &str) -> Test {
        self.stdout = Some(text.into());
        self
    }

    pub fn stdout_contains(mut self, text: &str) -> Test {
        self.stdout_contains.push(text.into());
        self
    }

    pub fn stderr(mut self, text: &str) -> Test {
        self.stderr = Some(text.into());
        self
    }

    pub fn stderr_contains(mut self, text: &str) -> Test {
        self.stderr_contains.push(text.into());
        self
    }

    /// Feeds `text` to the binary's standard input.
    pub fn stdin(mut self, text: &str) -> Test {
        self.stdin = Some(text.into());
        self
    }

    /// Runs the binary and checks every expectation; returns the output.
    pub fn run(self) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_apsched"));
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
        let output = match &self.stdin {
            None => command.output().expect("the binary runs"),
            Some(text) => {
                let mut child = command
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("the binary starts");
                if let Some(mut input) = child.stdin.take() {
                    let _ = input.write_all(text.as_bytes());
                }
                child.wait_with_output().expect("the binary runs")
            }
        };
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let context = format!(
            "apsched {:?}\n--- stdout\n{stdout}--- stderr\n{stderr}",
            self.args
        );
        assert_eq!(
            output.status.code(),
            Some(self.status),
            "exit status of {context}"
        );
        if let Some(want) = &self.stdout {
            assert_eq!(&stdout, want, "stdout of {context}");
        }
        for want in &self.stdout_contains {
            assert!(
                stdout.contains(want.as_str()),
                "stdout lacks {want:?}: {context}"
            );
        }
        if let Some(want) = &self.stderr {
            assert_eq!(&stderr, want, "stderr of {context}");
        }
        for want in &self.stderr_contains {
            assert!(
                stderr.contains(want.as_str()),
                "stderr lacks {want:?}: {context}"
            );
        }
        output
    }
}
