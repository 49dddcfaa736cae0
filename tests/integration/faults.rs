//! Faults from outside, through the real binary: a state file on a full
//! filesystem. Mounting a small tmpfs needs root; without it (and without
//! `APSCHED_REQUIRE_MOUNT=1`, which `.ci/run` sets) the test says so and passes.

use crate::harness::poll::{PATIENCE, alive, count_lines, lines_in, until};
use crate::harness::tmpfs::Tmpfs;
use crate::harness::{Dir, Running};
use std::collections::HashSet;
use std::fs;
use std::thread::sleep;
use std::time::{Duration, Instant};

const JOBS: &str = r#"[jobs.a]
command = "echo a $APSCHED_SCHEDULED_TIME >> runs.txt"
cron = "* * * * * *"
[jobs.b]
command = "echo b $APSCHED_SCHEDULED_TIME >> runs.txt"
cron = "* * * * * *"
"#;

/// Waits up to `limit` for `text` on the standard error of `running`;
/// standard error then.
fn wait_for(running: &Running, text: &str, limit: Duration) -> String {
    until(limit, || running.stderr().contains(text));
    running.stderr()
}

#[test]
fn a_full_disk_holds_runs_and_never_replays_a_slot() {
    let dir = Dir::new().file(
        "s.toml",
        format!(
            r#"[scheduler]
timezone = "UTC"
state = "fs/s.db"
shutdown_timeout = "2s"
{JOBS}"#
        ),
    );
    let Some(fs) = Tmpfs::mount(&dir.path().join("fs"), "2m") else {
        return;
    };
    let child = dir.run().spawn();
    // Runs are being recorded before the disk fills.
    lines_in(&dir.join("runs.txt"), 2);
    let filler = fs.fill();
    let log = wait_for(&child, "state_failing", Duration::from_secs(8));
    assert!(log.contains("state_failing"), "{log}");
    assert!(
        log.contains("fs/s.db: database or disk is full"),
        "names the file: {log}"
    );
    let runs_at_failure = count_lines(&dir.join("runs.txt"));
    sleep(Duration::from_millis(1500));
    let runs_later = count_lines(&dir.join("runs.txt"));
    assert!(
        runs_later <= runs_at_failure + 2,
        "runs went on while the state could not be written"
    );
    fs::remove_file(&filler).expect("free the space");
    let log = wait_for(&child, "state_recovered", Duration::from_secs(10));
    assert!(log.contains("state_recovered"), "{log}");
    // Runs are recorded again after the recovery.
    let recovered_at = child.stderr().matches("job_executed").count();
    until(PATIENCE, || {
        child.stderr().matches("job_executed").count() >= recovered_at + 2
    });
    let out = child.stop();
    assert_eq!(out.code, Some(0), "recovered, so a clean exit");
    let log = out.stderr;
    assert_eq!(
        log.matches("state_failing").count(),
        1,
        "once per episode:\n{log}"
    );
    assert!(!log.contains("already claimed"), "{log}");

    // A restart goes on without replaying anything.
    dir.run().spawn().stop_when("job_executed", 2);
    let runs = dir.read("runs.txt");
    let mut seen = HashSet::new();
    for line in runs.lines() {
        assert!(seen.insert(line), "{line} ran twice:\n{runs}");
    }
    // Every run that happened was claimed first: it has a history row.
    let rows = dir.history();
    let recorded: HashSet<String> = rows
        .iter()
        .filter(|r| r["count"] == 1)
        .map(|r| {
            format!(
                "{} {}",
                r["job"].as_str().unwrap_or(""),
                r["scheduled"].as_str().unwrap_or("")
            )
        })
        .collect();
    for line in runs.lines() {
        assert!(
            recorded.contains(line),
            "{line} ran without a recorded claim"
        );
    }
}

#[test]
fn a_second_sigterm_kills_jobs_that_ignore_the_first_at_once() {
    let dir = Dir::new().file(
        "s.toml",
        r#"[scheduler]
timezone = "UTC"
state = ":memory:"
shutdown_timeout = "30s"
[jobs.stubborn]
command = "trap '' TERM; echo $$ > leader; sleep 30 & echo $! > child; wait"
cron = "* * * * * *"
"#,
    );
    let child = dir.run().spawn();
    let leader = lines_in(&dir.join("leader"), 1);
    let grandchild = lines_in(&dir.join("child"), 1);
    assert!(alive(&leader) && alive(&grandchild));
    child.signal(libc::SIGTERM);
    child.wait_for_stderr("scheduler_shutdown", 1);
    let began = Instant::now();
    let out = child.stop();
    let took = began.elapsed();
    assert_eq!(out.code, Some(0));
    assert!(took < Duration::from_secs(2), "took {took:?}");
    until(Duration::from_millis(200), || {
        !alive(&leader) && !alive(&grandchild)
    });
    assert!(!alive(&leader), "the job's leader is gone");
    assert!(!alive(&grandchild), "and its whole process group");
    let log = out.stderr;
    assert!(log.contains("job_killed job=stubborn"), "{log}");
}
