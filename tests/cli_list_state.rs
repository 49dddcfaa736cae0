//! `list` and `check` show what `apsched run` will do: from the state file
//! when there is one (the saved anchor and next run, pauses), a passed
//! `run_date` due or missed by the grace time. libfaketime starts apsched
//! at chosen moments; without it (and without APSCHED_REQUIRE_FAKETIME=1)
//! those tests say so and pass.

mod support;

mod common {
    pub mod sched;
}

use common::sched::faketime_lib;
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::thread::sleep;
use std::time::Duration;
use support::Test;

/// `apsched ARGS` in `dir`, the clock starting at `at`.
fn at(dir: &Path, lib: &Path, at: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_apsched"));
    c.args(args)
        .current_dir(dir)
        .env("TZ", "UTC")
        .env_remove("APSCHED_CONFIG")
        .env("LD_PRELOAD", lib)
        .env("FAKETIME", format!("@{at}"))
        .env("FAKETIME_DONT_RESET", "1")
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    c
}

fn json(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// A running `apsched run`, stopped (SIGTERM) when dropped, even when an
/// assertion fails first.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(pid) = libc::pid_t::try_from(self.0.id()) {
            // SAFETY: signaling our own child.
            unsafe { libc::kill(pid, libc::SIGTERM) };
        }
        let _ = self.0.wait();
    }
}

const HEAD: &str = "[scheduler]\ntimezone = \"UTC\"\nstate = \"s.db\"\n";

fn setup(jobs: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("s.toml"), format!("{HEAD}{jobs}")).expect("write");
    dir
}

#[test]
fn interval_jobs_keep_the_anchor_of_the_running_scheduler() {
    let Some(lib) = faketime_lib() else { return };
    let dir = setup(
        "[jobs.i]\ncommand = \"true\"\ntrigger = \"interval\"\nminutes = 10\nmisfire_grace_time = \"1m\"\n",
    );
    let running = Running(
        at(dir.path(), &lib, "2027-01-01 00:00:00", &["run", "s.toml"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts"),
    );
    sleep(Duration::from_millis(1200));
    let list = |when: &str| {
        let out = at(
            dir.path(),
            &lib,
            when,
            &["list", "s.toml", "--json", "-n", "2"],
        )
        .output()
        .expect("list");
        json(&out)[0].clone()
    };
    // Five and a half minutes later, still running: the saved slots, not
    // ten minutes after 00:05:30. (The scheduler may take a moment to save
    // them on a loaded machine.)
    let mut job = list("2027-01-01 00:05:30");
    for _ in 0..40 {
        if job["next_run_times"][0] == "2027-01-01T00:10:00+00:00" {
            break;
        }
        sleep(Duration::from_millis(100));
        job = list("2027-01-01 00:05:30");
    }
    assert_eq!(
        job["next_run_times"],
        serde_json::json!(["2027-01-01T00:10:00+00:00", "2027-01-01T00:20:00+00:00"])
    );
    assert_eq!(job["status"], "scheduled");
    drop(running);
    // Stopped for an hour: the 01:00 slot is within its minute of grace.
    let job = list("2027-01-01 01:00:30");
    assert_eq!(job["status"], "due");
    assert_eq!(job["next_run_times"][0], "2027-01-01T00:10:00+00:00");
    let job = list("2027-01-01 01:05:00");
    assert_eq!(job["status"], "missed");
    assert_eq!(job["next_run_times"][0], "2027-01-01T01:10:00+00:00");
    let check = at(
        dir.path(),
        &lib,
        "2027-01-01 00:05:30",
        &["check", "s.toml"],
    )
    .output()
    .expect("check");
    let text = String::from_utf8_lossy(&check.stdout);
    assert!(text.contains("next 2027-01-01T00:10:00+00:00"), "{text}");
}

#[test]
fn a_passed_run_date_is_due_now_or_missed() {
    let dir = setup(
        "[jobs.late]\ncommand = \"true\"\ntrigger = \"date\"\nrun_date = \"2020-01-01T00:00:00\"\n\
         [jobs.gone]\ncommand = \"true\"\ntrigger = \"date\"\nrun_date = \"2020-01-01T00:00:00\"\nmisfire_grace_time = \"1h\"\n",
    );
    let out = Test::new()
        .dir(dir.path())
        .args(&["list", "s.toml"])
        .stdout_contains("due now (2020-01-01T00:00:00+00:00)")
        .run();
    let table = String::from_utf8_lossy(&out.stdout);
    let gone = table.lines().find(|l| l.contains(" gone ")).unwrap_or("");
    assert!(
        gone.contains("missed: run_date passed ")
            && gone.contains(" days ago, beyond misfire_grace_time 1h"),
        "{table}"
    );
    Test::new()
        .dir(dir.path())
        .args(&["check", "s.toml"])
        .stdout_contains("due now (2020-01-01T00:00:00+00:00)")
        .stdout_contains("missed: run_date passed ")
        .run();
    let out = Test::new()
        .dir(dir.path())
        .args(&["list", "s.toml", "--json"])
        .run();
    let jobs = json(&out);
    assert_eq!(
        (jobs[0]["status"].as_str(), jobs[1]["status"].as_str()),
        (Some("due"), Some("missed"))
    );
    assert!(!dir.path().join("s.db").exists(), "list wrote state");
}

#[test]
fn a_resume_of_a_job_the_file_pauses_shows_it_running() {
    let dir = setup("[jobs.p]\ncommand = \"true\"\ncron = \"@daily\"\npaused = true\n");
    let paused = |want: bool| {
        let out = Test::new()
            .dir(dir.path())
            .args(&["list", "s.toml", "--json"])
            .run();
        let jobs = json(&out);
        assert_eq!(jobs[0]["paused"], want, "{jobs}");
        assert_eq!(
            jobs[0]["next_run_times"].as_array().map(Vec::is_empty),
            Some(want)
        );
    };
    paused(true);
    Test::new()
        .dir(dir.path())
        .args(&["resume", "p", "-f", "s.toml"])
        .run();
    paused(false);
}
