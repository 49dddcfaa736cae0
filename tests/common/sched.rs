//! Runs the real `apsched` in a temporary directory holding `s.toml`,
//! optionally at a fake start time (libfaketime), and collects what it
//! printed. `.ci/run` installs faketime; without it (and without
//! APSCHED_REQUIRE_FAKETIME=1) tests that need it say so and pass.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread::sleep;
use std::time::Duration;

/// libfaketime, if installed.
pub fn faketime_lib() -> Option<PathBuf> {
    let found = fs::read_dir("/usr/lib").ok()?.flatten().find_map(|arch| {
        let lib = arch.path().join("faketime/libfaketimeMT.so.1");
        lib.exists().then_some(lib)
    });
    if found.is_none() && std::env::var_os("APSCHED_REQUIRE_FAKETIME").is_some() {
        panic!("libfaketime is required (apt-get install faketime)");
    }
    if found.is_none() {
        eprintln!("skipped: faketime is not installed");
    }
    found
}

/// `apsched ARGS` in `dir` (zone UTC, no `APSCHED_CONFIG`), its clock
/// starting at the fake time `at` (libfaketime at `lib`) if given.
pub fn apsched(dir: &Path, fake: Option<(&Path, &str)>, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_apsched"));
    c.args(args)
        .current_dir(dir)
        .env("TZ", "UTC")
        .env_remove("APSCHED_CONFIG");
    if let Some((lib, at)) = fake {
        c.env("LD_PRELOAD", lib)
            .env("FAKETIME", format!("@{at}"))
            .env("FAKETIME_DONT_RESET", "1")
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    }
    c
}

/// A directory with a schedule file `s.toml` (zone UTC, state `s.db`).
pub struct Dir {
    pub dir: tempfile::TempDir,
}

impl Dir {
    pub fn new(jobs: &str) -> Dir {
        Dir::with_head(
            "[scheduler]\ntimezone = \"UTC\"\nstate = \"s.db\"\nshutdown_timeout = \"2s\"\n",
            jobs,
        )
    }

    pub fn with_head(head: &str, jobs: &str) -> Dir {
        let dir = tempfile::tempdir().expect("dir");
        fs::write(dir.path().join("s.toml"), format!("{head}{jobs}")).expect("write");
        Dir { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `apsched ARGS` in the directory, at the fake time `at` if given.
    pub fn command(&self, fake: Option<(&Path, &str)>, args: &[&str]) -> Command {
        apsched(self.path(), fake, args)
    }

    /// Runs a command to its end.
    pub fn output(&self, args: &[&str]) -> Output {
        self.command(None, args).output().expect("apsched runs")
    }

    /// `apsched run s.toml EXTRA` for `secs`, then SIGTERM; (stdout, stderr).
    pub fn run_for(
        &self,
        fake: Option<(&Path, &str)>,
        secs: f64,
        extra: &[&str],
    ) -> (String, String) {
        let mut args = vec!["run", "s.toml"];
        args.extend_from_slice(extra);
        let child = self
            .command(fake, &args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        sleep(Duration::from_secs_f64(secs));
        let out = stop(child);
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Like [`Dir::run_for`], with stdout and stderr in one pipe, as
    /// `docker logs` and journald see them; the merged text.
    pub fn run_merged(&self, fake: Option<(&Path, &str)>, secs: f64, extra: &[&str]) -> String {
        let mut args = vec!["run", "s.toml"];
        args.extend_from_slice(extra);
        let (reader, writer) = std::io::pipe().expect("pipe");
        let child = self
            .command(fake, &args)
            .stdout(writer.try_clone().expect("clone"))
            .stderr(writer)
            .spawn()
            .expect("starts");
        let collect = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut { reader }, &mut text);
            text
        });
        sleep(Duration::from_secs_f64(secs));
        stop(child);
        collect.join().expect("collected")
    }

    /// `apsched history --json -n 1000` as rows.
    pub fn history(&self) -> Vec<serde_json::Value> {
        let out = self.output(&["history", "-f", "s.toml", "--json", "-n", "1000"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        rows.as_array().cloned().unwrap_or_default()
    }
}

/// `apsched run s.toml` in `dir`, its stderr to the file `log` there.
pub fn start_logged(dir: &Dir, log: &str) -> Child {
    let log = fs::File::create(dir.path().join(log)).expect("log");
    dir.command(None, &["run", "s.toml"])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("starts")
}

/// Whether a process is alive (a zombie counts as gone).
pub fn alive(pid: &str) -> bool {
    fs::read_to_string(format!("/proc/{}/stat", pid.trim())).is_ok_and(|stat| {
        stat.rsplit(')')
            .next()
            .and_then(|r| r.split_whitespace().next())
            != Some("Z")
    })
}

/// Sends SIGTERM and waits.
pub fn stop(child: Child) -> Output {
    signal(&child, libc::SIGTERM);
    child.wait_with_output().expect("ends")
}

pub fn signal(child: &Child, sig: i32) {
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    // SAFETY: signaling our own child.
    unsafe { libc::kill(pid, sig) };
}

/// The values of `key=` in the log lines of `event` (text format).
pub fn field(log: &str, event: &str, key: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.split_whitespace().nth(2) == Some(event))
        .filter_map(|l| {
            l.split_whitespace()
                .find_map(|w| w.strip_prefix(&format!("{key}=")).map(str::to_string))
        })
        .collect()
}
