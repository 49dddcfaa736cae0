//! The misfire rule through the real binary: a delay apsched chose (jitter)
//! is never lateness, and a date job first seen after its run date runs or
//! is missed by its grace time.

use crate::harness::Dir;
use crate::harness::poll::field;

#[test]
fn jitter_longer_than_the_grace_time_never_misses_a_run() {
    let dir = Dir::schedule(
        r#"[jobs.j]
command = "true"
cron = "* * * * * *"
jitter = "900ms"
misfire_grace_time = "250ms"
"#,
    );
    // Four runs: the chance that no jitter exceeds the grace time (which
    // would let a rule counting jitter as lateness pass) is 0.28^4 < 1%,
    // while a loaded machine still has 250 ms to start each run.
    let log = dir.run().spawn().stop_when("job_executed", 4).stderr;
    assert!(!log.contains("job_missed"), "{log}");
    assert!(field(&log, "job_executed", "run").len() >= 4, "{log}");
    assert!(dir.history().iter().all(|r| r["result"] != "missed"));
}

#[test]
fn a_passed_run_date_runs_at_once_without_a_grace_limit() {
    let dir = Dir::schedule(
        r#"[jobs.d]
command = "echo late"
trigger = "date"
run_date = "2026-01-01T00:00:00"
"#,
    );
    let done = dir.run().spawn().stop_when("job_removed job=d", 1);
    let (out, log) = (done.stdout, done.stderr);
    assert_eq!(out, "d| late\n", "{log}");
    assert_eq!(
        field(&log, "job_executed", "scheduled"),
        ["2026-01-01T00:00:00+00:00"]
    );
    assert!(log.contains("job_removed job=d"), "{log}");
    // Ran once: a restart does not run it again.
    let running = dir.run().spawn();
    running.wait_started();
    running.sleep_ms(500);
    assert_eq!(running.stop().stdout, "");
}

#[test]
fn a_passed_run_date_beyond_the_grace_time_is_missed_and_recorded() {
    let dir = Dir::schedule(
        r#"[jobs.d]
command = "echo late"
trigger = "date"
run_date = "2026-01-01T00:00:00"
misfire_grace_time = "1h"
"#,
    );
    let done = dir.run().spawn().stop_when("job_missed", 1);
    let (out, log) = (done.stdout, done.stderr);
    assert_eq!(out, "", "{log}");
    assert_eq!(
        field(&log, "job_missed", "scheduled"),
        ["2026-01-01T00:00:00+00:00"]
    );
    let rows = dir.history();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["result"], "missed");
}
