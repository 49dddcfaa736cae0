//! The misfire rule through the real binary: a delay apsched chose (jitter)
//! is never lateness, and a date job first seen after its run date runs or
//! is missed by its grace time.

mod common {
    pub mod sched;
}

use common::sched::{Dir, field};

#[test]
fn jitter_longer_than_the_grace_time_never_misses_a_run() {
    let dir = Dir::new(
        "[jobs.j]\ncommand = \"true\"\ncron = \"* * * * * *\"\njitter = \"900ms\"\nmisfire_grace_time = \"50ms\"\n",
    );
    let (_, log) = dir.run_for(None, 4.2, &[]);
    assert!(!log.contains("job_missed"), "{log}");
    assert!(field(&log, "job_executed", "run").len() >= 3, "{log}");
    assert!(dir.history().iter().all(|r| r["result"] != "missed"));
}

#[test]
fn a_passed_run_date_runs_at_once_without_a_grace_limit() {
    let dir = Dir::new(
        "[jobs.d]\ncommand = \"echo late\"\ntrigger = \"date\"\nrun_date = \"2026-01-01T00:00:00\"\n",
    );
    let (out, log) = dir.run_for(None, 0.8, &[]);
    assert_eq!(out, "d| late\n", "{log}");
    assert_eq!(
        field(&log, "job_executed", "scheduled"),
        ["2026-01-01T00:00:00+00:00"]
    );
    assert!(log.contains("job_removed job=d"), "{log}");
    // Ran once: a restart does not run it again.
    let (out, _) = dir.run_for(None, 0.5, &[]);
    assert_eq!(out, "");
}

#[test]
fn a_passed_run_date_beyond_the_grace_time_is_missed_and_recorded() {
    let dir = Dir::new(
        "[jobs.d]\ncommand = \"echo late\"\ntrigger = \"date\"\nrun_date = \"2026-01-01T00:00:00\"\nmisfire_grace_time = \"1h\"\n",
    );
    let (out, log) = dir.run_for(None, 0.8, &[]);
    assert_eq!(out, "", "{log}");
    assert_eq!(
        field(&log, "job_missed", "scheduled"),
        ["2026-01-01T00:00:00+00:00"]
    );
    let rows = dir.history();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["result"], "missed");
}
