//! Unit tests of the metrics' updates: notices, state writes and reloads.

// Times here are whole or exact binary fractions: equal means equal.
#![allow(clippy::float_cmp)]

use super::data::Data;
use super::render::render;
use super::tests::{at, data, ended, jobs, lines, utc};
use crate::scheduler::persist::{Claim, JobState};
use crate::scheduler::{Change, Miss, Notice, Outcome};
use crate::store::RunResult;
use std::collections::HashMap;

#[test]
fn notices_count_runs_by_result_and_keep_the_times() {
    let mut d = data(&["a"]);
    let started = Notice::Started {
        job: "a".into(),
        record: 7,
        scheduled: utc("2026-01-01T00:00:00Z"),
        started: at("2026-01-01T00:00:00.003Z"),
    };
    d.tell(&started, 0);
    assert_eq!(d.jobs["a"].running, [7]);
    let cases = [
        (Outcome::Exited(0), RunResult::Success, "success"),
        (Outcome::Exited(2), RunResult::Failed, "failure"),
        (Outcome::Signaled(9), RunResult::Failed, "failure"),
        (Outcome::Signaled(15), RunResult::TimedOut, "timeout"),
        (
            Outcome::NotStarted("no such file".into()),
            RunResult::Failed,
            "spawn_error",
        ),
        (Outcome::Signaled(9), RunResult::Interrupted, "interrupted"),
    ];
    for (outcome, result, _) in &cases {
        d.tell(&ended("a", 7, outcome.clone(), *result, 2), 0);
    }
    d.tell(
        &Notice::Interrupted {
            job: "a".into(),
            record: 8,
            scheduled: at("2026-01-01T00:00:00Z"),
            result: RunResult::Unknown,
        },
        0,
    );
    let text = render(&d);
    for (label, want) in [
        ("success", 1),
        ("failure", 2),
        ("timeout", 1),
        ("spawn_error", 1),
        ("interrupted", 2),
    ] {
        let line = format!("apsched_job_runs_total{{job_name=\"a\",result=\"{label}\"}} {want}");
        assert!(text.contains(&line), "{line}\n{text}");
    }
    let a = &d.jobs["a"];
    assert!(a.running.is_empty());
    assert_eq!(a.last_run, Some(1_767_225_601_000_000));
    assert_eq!(a.last_success, Some(1_767_225_603_000_000));
    assert_eq!(a.last_failure, Some(1_767_225_603_000_000));
    // Five runs with a process were timed; the spawn error was not.
    assert_eq!(a.duration.count, 5);
    assert!(
        text.contains("apsched_run_start_delay_seconds_bucket{le=\"0.005\"} 1\n"),
        "{text}"
    );
    assert!(text.contains("apsched_run_start_delay_seconds_bucket{le=\"0.001\"} 0\n"));
}

#[test]
fn a_missed_notice_is_one_increment_of_its_count() {
    let mut d = data(&["a"]);
    for (reason, count) in [
        (Miss::Misfire, 31_535_999),
        (Miss::Coalesced, 3),
        (Miss::Misfire, 1),
    ] {
        let first = utc("2025-01-01T00:00:00Z");
        d.tell(
            &Notice::Missed {
                job: "a".into(),
                first,
                last: first,
                count,
                reason,
            },
            0,
        );
    }
    assert_eq!(d.jobs["a"].missed, [31_536_000, 0, 3]);
}

#[test]
fn reloads_keep_counters_add_and_remove_jobs() {
    let mut d = data(&["kept", "gone"]);
    d.tell(
        &ended("kept", 1, Outcome::Exited(1), RunResult::Failed, 1),
        0,
    );
    d.tell(
        &ended("gone", 2, Outcome::Exited(1), RunResult::Failed, 1),
        0,
    );
    d.tell(
        &Notice::ReloadFailed {
            problems: vec!["x".into()],
        },
        50,
    );
    assert!(!d.reload_ok);
    assert_eq!(d.reload_at, 1_000_000_000);
    d.set_jobs(&jobs(&["kept", "new"]));
    d.tell(&Notice::Reloaded, 2_000_000_000);
    assert!(d.reload_ok);
    assert_eq!(d.reload_at, 2_000_000_000);
    let text = render(&d);
    assert!(text.contains("apsched_job_runs_total{job_name=\"kept\",result=\"failure\"} 1\n"));
    assert!(text.contains("apsched_job_runs_total{job_name=\"new\",result=\"failure\"} 0\n"));
    assert!(!text.contains("\"gone\""), "{text}");
    // Notices of a job no longer loaded are ignored.
    d.tell(
        &ended("gone", 3, Outcome::Exited(0), RunResult::Success, 1),
        0,
    );
    assert!(!render(&d).contains("\"gone\""));
}

#[test]
fn next_run_and_pause_follow_saved_and_written_state() {
    let state = |next: Option<&str>, paused| JobState {
        fingerprint: "f".into(),
        next_run: next.map(at),
        anchor: at("2026-01-01T00:00:00Z"),
        paused,
        file_paused: None,
        reschedule: false,
    };
    let states = HashMap::from([("a".to_string(), state(Some("2026-01-01T00:05:00Z"), true))]);
    let mut d = Data::new(&jobs(&["a"]), &states, &HashMap::new(), 0);
    assert_eq!(
        (d.jobs["a"].next_run, d.jobs["a"].paused),
        (Some(1_767_225_900_000_000), true)
    );
    d.written(&Change::Save {
        job: "a".into(),
        state: state(Some("2026-01-01T00:10:00Z"), false),
    });
    assert_eq!(
        (d.jobs["a"].next_run, d.jobs["a"].paused),
        (Some(1_767_226_200_000_000), false)
    );
    let claim = Claim {
        job: "a".into(),
        expected: at("2026-01-01T00:10:00Z"),
        next: None,
        runs: vec![],
        missed: None,
        skipped: None,
        due_at: chrono::DateTime::UNIX_EPOCH,
        grace: None,
        max_instances: 1,
        fingerprint: "f".into(),
    };
    d.written(&Change::Claim { claim, run: None });
    assert_eq!(d.jobs["a"].next_run, None);
    assert!(lines(&render(&d), "apsched_job_next_run_timestamp_seconds{").is_empty());
}
