//! `run-now`, `pause` and `resume` through the real binary, with and
//! without a running scheduler.

use crate::harness::poll::until;
use crate::harness::{Dir, Output, Running};
use std::time::Duration;

const JOBS: &str = r#"[jobs.ok]
command = "echo hello"
cron = "0 0 1 1 *"
[jobs.bad]
command = "echo oops $APSCHED_RUN_ID >&2; exit 3"
cron = "0 0 1 1 *"
[jobs.slow]
command = "sleep 2"
cron = "0 0 1 1 *"
"#;

fn text(out: Output) -> (Option<i32>, String, String) {
    (out.code, out.stdout, out.stderr)
}

/// `apsched run s.toml`, once it has started.
fn scheduler(dir: &Dir) -> Running {
    let running = dir.run().spawn();
    running.wait_started();
    running
}

fn history_of(dir: &Dir, id: &str) -> serde_json::Value {
    dir.history()
        .into_iter()
        .find(|r| r["id"].as_i64().map(|n| n.to_string()).as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no run {id}"))
}

#[test]
fn run_now_through_a_running_scheduler_waits_and_reports_the_outcome() {
    let dir = Dir::schedule(JOBS);
    let sched = scheduler(&dir);
    let (code, out, err) = text(dir.apsched(["run-now", "ok", "-f", "s.toml"]).output());
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, "ok| hello\n");
    let id = err
        .strip_prefix("apsched: run ")
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("{err}"))
        .to_string();
    assert!(
        err.contains(&format!("run {id} of job ok succeeded (exit status 0")),
        "{err}"
    );
    assert_eq!(history_of(&dir, &id)["result"], "success");

    let (code, out, err) = text(dir.apsched(["run-now", "bad", "-f", "s.toml"]).output());
    assert_eq!(code, Some(1), "{err}");
    let run = err
        .strip_prefix("apsched: error: job bad failed: exit status 3 (run ")
        .and_then(|r| r.strip_suffix(")\n"))
        .unwrap_or_else(|| panic!("{err}"));
    // The job is told its run's number, as the error names it.
    assert_eq!(out, format!("bad| oops {run}\n"));
    sched.stop();
}

#[test]
fn a_refused_run_now_says_why_and_fails() {
    let dir = Dir::schedule(JOBS);
    let sched = scheduler(&dir);
    let (code, out, _) = text(
        dir.apsched(["run-now", "slow", "-f", "s.toml", "--no-wait"])
            .output(),
    );
    assert_eq!(code, Some(0));
    assert!(out.starts_with("asked the running scheduler"), "{out}");
    sched.wait_for_stderr("job_submitted job=slow", 1);
    let (code, _, err) = text(dir.apsched(["run-now", "slow", "-f", "s.toml"]).output());
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        err,
        "apsched: error: job slow was not run: max_instances = 1 and 1 run is going\n"
    );
    let (code, _, _) = text(dir.apsched(["pause", "ok", "-f", "s.toml"]).output());
    assert_eq!(code, Some(0));
    let (code, _, err) = text(dir.apsched(["run-now", "ok", "-f", "s.toml"]).output());
    assert_eq!(code, Some(1));
    assert!(err.contains("job ok was not run: it is paused"), "{err}");
    sched.stop();
}

#[test]
fn a_failed_direct_run_now_names_the_exit_status_and_run() {
    let dir = Dir::schedule(JOBS);
    let (code, _, err) = text(dir.apsched(["run-now", "bad", "-f", "s.toml"]).output());
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "bad| oops 1\napsched: error: job bad failed: exit status 3 (run 1)\n"
    );
    dir.apsched(["pause", "ok", "-f", "s.toml"]).output();
    let (code, _, err) = text(dir.apsched(["run-now", "ok", "-f", "s.toml"]).output());
    assert_eq!(code, Some(1));
    assert!(err.contains("job ok was not run: it is paused"), "{err}");
}

const EVERY_SECOND: &str = r#"[jobs.p]
command = "true"
trigger = "interval"
seconds = 1
"#;

/// How often job p runs in a scheduler that runs until it has run once,
/// or for 1.4 s.
fn runs_in(dir: &Dir) -> usize {
    let running = scheduler(dir);
    until(Duration::from_millis(1400), || {
        running.stderr().contains("job_executed job=p")
    });
    running.stop().stderr.matches("job_executed job=p").count()
}

#[test]
fn resume_wins_over_the_file_until_the_file_changes() {
    let dir = Dir::schedule(&format!("{EVERY_SECOND}paused = true\n"));
    assert_eq!(runs_in(&dir), 0, "the file pauses it");
    let (code, out, _) = text(dir.apsched(["resume", "p", "-f", "s.toml"]).output());
    assert_eq!(code, Some(0));
    assert!(
        out.starts_with("resumed job p: it takes effect when apsched run starts (this overrides paused = true in s.toml"),
        "{out}"
    );
    assert!(
        runs_in(&dir) >= 1,
        "the resume holds although the file says paused"
    );
    let (_, out, _) = text(dir.apsched(["resume", "p", "-f", "s.toml"]).output());
    assert_eq!(out, "job p is not paused\n");
}

#[test]
fn a_changed_paused_value_in_the_file_applies_again() {
    let dir = Dir::schedule(EVERY_SECOND);
    dir.apsched(["pause", "p", "-f", "s.toml"]).output();
    assert_eq!(runs_in(&dir), 0, "paused by command");
    let text = dir.read("s.toml");
    dir.write("s.toml", format!("{text}paused = true\n"));
    assert_eq!(runs_in(&dir), 0);
    dir.write("s.toml", format!("{text}paused = false\n"));
    assert!(
        runs_in(&dir) >= 1,
        "the file's value changed to false: it runs"
    );
}
