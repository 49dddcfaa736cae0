//! `run-now`, `pause` and `resume` through the real binary, with and
//! without a running scheduler.

mod common {
    pub mod sched;
}

use common::sched::{Dir, stop};
use std::process::{Child, Output, Stdio};
use std::thread::sleep;
use std::time::Duration;

const JOBS: &str = "[jobs.ok]\ncommand = \"echo hello\"\ncron = \"0 0 1 1 *\"\n\
[jobs.bad]\ncommand = \"echo oops >&2; exit 3\"\ncron = \"0 0 1 1 *\"\n\
[jobs.slow]\ncommand = \"sleep 2\"\ncron = \"0 0 1 1 *\"\n";

fn text(out: &Output) -> (Option<i32>, String, String) {
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn scheduler(dir: &Dir) -> Child {
    let child = dir
        .command(None, &["run", "s.toml"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    sleep(Duration::from_millis(400));
    child
}

fn history_of(dir: &Dir, id: &str) -> serde_json::Value {
    dir.history()
        .into_iter()
        .find(|r| r["id"].as_i64().map(|n| n.to_string()).as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no run {id}"))
}

#[test]
fn run_now_through_a_running_scheduler_waits_and_reports_the_outcome() {
    let dir = Dir::new(JOBS);
    let sched = scheduler(&dir);
    let (code, out, err) = text(&dir.output(&["run-now", "ok", "-f", "s.toml"]));
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

    let (code, out, err) = text(&dir.output(&["run-now", "bad", "-f", "s.toml"]));
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(out, "bad| oops\n");
    assert!(
        err.starts_with("apsched: error: job bad failed: exit status 3 (run "),
        "{err}"
    );
    stop(sched);
}

#[test]
fn a_refused_run_now_says_why_and_fails() {
    let dir = Dir::new(JOBS);
    let sched = scheduler(&dir);
    let (code, out, _) = text(&dir.output(&["run-now", "slow", "-f", "s.toml", "--no-wait"]));
    assert_eq!(code, Some(0));
    assert!(out.starts_with("asked the running scheduler"), "{out}");
    sleep(Duration::from_millis(300));
    let (code, _, err) = text(&dir.output(&["run-now", "slow", "-f", "s.toml"]));
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        err,
        "apsched: error: job slow was not run: max_instances = 1 and 1 run is going\n"
    );
    let (code, _, _) = text(&dir.output(&["pause", "ok", "-f", "s.toml"]));
    assert_eq!(code, Some(0));
    let (code, _, err) = text(&dir.output(&["run-now", "ok", "-f", "s.toml"]));
    assert_eq!(code, Some(1));
    assert!(err.contains("job ok was not run: it is paused"), "{err}");
    stop(sched);
}

#[test]
fn a_failed_direct_run_now_names_the_exit_status_and_run() {
    let dir = Dir::new(JOBS);
    let (code, _, err) = text(&dir.output(&["run-now", "bad", "-f", "s.toml"]));
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "bad| oops\napsched: error: job bad failed: exit status 3 (run 1)\n"
    );
    dir.output(&["pause", "ok", "-f", "s.toml"]);
    let (code, _, err) = text(&dir.output(&["run-now", "ok", "-f", "s.toml"]));
    assert_eq!(code, Some(1));
    assert!(err.contains("job ok was not run: it is paused"), "{err}");
}

const EVERY_SECOND: &str = "[jobs.p]\ncommand = \"true\"\ntrigger = \"interval\"\nseconds = 1\n";

fn runs_in(dir: &Dir) -> usize {
    let (_, log) = dir.run_for(None, 1.4, &[]);
    log.matches("job_executed job=p").count()
}

#[test]
fn resume_wins_over_the_file_until_the_file_changes() {
    let dir = Dir::new(&format!("{EVERY_SECOND}paused = true\n"));
    assert_eq!(runs_in(&dir), 0, "the file pauses it");
    let (code, out, _) = text(&dir.output(&["resume", "p", "-f", "s.toml"]));
    assert_eq!(code, Some(0));
    assert!(
        out.starts_with("resumed job p: it takes effect when apsched run starts (this overrides paused = true in s.toml"),
        "{out}"
    );
    assert!(
        runs_in(&dir) >= 1,
        "the resume holds although the file says paused"
    );
    let (_, out, _) = text(&dir.output(&["resume", "p", "-f", "s.toml"]));
    assert_eq!(out, "job p is not paused\n");
}

#[test]
fn a_changed_paused_value_in_the_file_applies_again() {
    let dir = Dir::new(EVERY_SECOND);
    dir.output(&["pause", "p", "-f", "s.toml"]);
    assert_eq!(runs_in(&dir), 0, "paused by command");
    let file = dir.path().join("s.toml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, format!("{text}paused = true\n")).expect("write");
    assert_eq!(runs_in(&dir), 0);
    std::fs::write(&file, format!("{text}paused = false\n")).expect("write");
    assert!(
        runs_in(&dir) >= 1,
        "the file's value changed to false: it runs"
    );
}
