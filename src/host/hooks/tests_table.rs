//! Which hooks each notice runs, with what event and result.

use super::table::Table;
use crate::config::{Command, parse};
use crate::scheduler::{Miss, Notice, Outcome, RunEnd};
use crate::store::RunResult;
use chrono::{TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::hash_map::RandomState;
use std::path::Path;

const FILE: &str = r#"[scheduler]
timezone = "UTC"
[hooks]
on_start = "g"
on_success = "g"
on_failure = "g"
on_finish = "g"
on_timeout = "g"
on_missed = "g"
on_max_instances = "g"
on_interrupted = "g"
on_reload_failed = "g"
[jobs.a]
command = "true"
cron = "@daily"
[jobs.own]
command = "true"
cron = "@daily"
[jobs.own.hooks]
on_failure = ["own"]
"#;

fn table() -> Table {
    let config = parse(Path::new("s.toml"), FILE).unwrap_or_else(|d| panic!("{d:?}"));
    Table::new(&config.scheduler, &config.jobs)
}

fn end(job: &str, outcome: Outcome, result: RunResult) -> Notice {
    let at = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    Notice::Ended(Box::new(RunEnd {
        job: job.into(),
        record: 3,
        scheduled: at.with_timezone(&Tz::UTC),
        started: at,
        ended: at + chrono::Duration::milliseconds(1500),
        outcome,
        result,
    }))
}

fn missed(reason: Miss) -> Notice {
    let at = Utc
        .with_ymd_and_hms(2027, 1, 1, 0, 0, 0)
        .unwrap()
        .with_timezone(&Tz::UTC);
    Notice::Missed {
        job: "a".into(),
        first: at,
        last: at,
        count: 5,
        reason,
    }
}

/// `key event result` for each hook a notice runs.
fn runs(notice: &Notice) -> Vec<String> {
    let key = RandomState::new();
    table()
        .runs(notice, None, &key, "h")
        .iter()
        .map(|r| {
            let result = r
                .env
                .iter()
                .find(|(k, _)| k == "APSCHED_RESULT")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            format!("{} {} {result}", r.key, r.event).trim().to_string()
        })
        .collect()
}

#[test]
fn each_notice_runs_one_hook_per_event() {
    let at = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap();
    let cases: Vec<(Notice, Vec<&str>)> = vec![
        (
            Notice::Started {
                job: "a".into(),
                record: 3,
                scheduled: at.with_timezone(&Tz::UTC),
                started: at,
            },
            vec!["on_start job_started"],
        ),
        (
            end("a", Outcome::Exited(0), RunResult::Success),
            vec![
                "on_success job_succeeded success",
                "on_finish job_finished success",
            ],
        ),
        (
            end("a", Outcome::Exited(1), RunResult::Failed),
            vec![
                "on_failure job_failed failure",
                "on_finish job_finished failure",
            ],
        ),
        (
            end("a", Outcome::Signaled(15), RunResult::TimedOut),
            vec![
                "on_timeout job_timed_out timeout",
                "on_failure job_failed timeout",
                "on_finish job_finished timeout",
            ],
        ),
        (
            end("a", Outcome::NotStarted("no".into()), RunResult::Failed),
            vec![
                "on_failure job_failed spawn_error",
                "on_finish job_finished spawn_error",
            ],
        ),
        (missed(Miss::Misfire), vec!["on_missed job_missed missed"]),
        (
            missed(Miss::Overlap),
            vec!["on_max_instances job_max_instances max_instances"],
        ),
        (missed(Miss::Coalesced), vec![]),
        (
            Notice::Interrupted {
                job: "a".into(),
                record: 2,
                scheduled: at,
                result: RunResult::Unknown,
            },
            vec!["on_interrupted job_interrupted unknown"],
        ),
        (
            Notice::ReloadFailed {
                problems: vec!["bad".into()],
            },
            vec!["on_reload_failed config_reload_failed"],
        ),
        (Notice::Reloaded, vec![]),
        (end("gone", Outcome::Exited(1), RunResult::Failed), vec![]),
    ];
    for (notice, want) in cases {
        assert_eq!(runs(&notice), want, "{notice:?}");
    }
}

#[test]
fn a_job_hook_replaces_the_global_one_of_its_event_only() {
    let key = RandomState::new();
    let got: Vec<(&str, Command)> = table()
        .runs(
            &end("own", Outcome::Exited(1), RunResult::Failed),
            None,
            &key,
            "h",
        )
        .into_iter()
        .map(|r| (r.key, r.command))
        .collect();
    assert_eq!(
        got,
        [
            ("on_failure", Command::Argv(vec!["own".into()])),
            ("on_finish", Command::Shell("g".into())),
        ]
    );
}
