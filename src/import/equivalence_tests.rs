//! Proof of equivalence: for every imported entry, the next 1,000 fire
//! times of the job (its `cron` in its zone, read back from the output)
//! equal those of the original line's schedule read as a cron string in
//! the zone cron used, on Debian's real crontabs (the seeded corpus is in
//! `corpus_tests`).

use super::tests::{options, parsed};
use super::*;
use crate::cron::CronSchedule;
use chrono::TimeZone;
use toml::{Table, Value};

/// Fire times compared per job.
pub(super) const TIMES: usize = 1000;

/// The first `TIMES` fire times of `cron` in `zone`, as instants.
pub(super) fn fire_times(cron: &str, zone: Tz) -> Vec<i64> {
    let schedule: CronSchedule = cron.parse().unwrap_or_else(|e| panic!("{cron}: {e}"));
    let start = zone
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("start");
    schedule
        .iter_after(&start)
        .take(TIMES)
        .map(|t| t.timestamp())
        .collect()
}

/// The zone a job runs in: its own, else `[scheduler]`'s.
fn job_zone(scheduler: &Table, job: &Table) -> Tz {
    let name = job
        .get("timezone")
        .or_else(|| scheduler.get("timezone"))
        .and_then(Value::as_str)
        .expect("a zone");
    name.parse().expect("a valid zone")
}

/// Asserts the job fires exactly when `schedule` does in `zone`.
pub(super) fn assert_same_times(
    scheduler: &Table,
    job: &Table,
    schedule: &str,
    zone: Tz,
    what: &str,
) {
    let cron = job.get("cron").and_then(Value::as_str).expect("cron");
    let imported = fire_times(cron, job_zone(scheduler, job));
    assert_eq!(imported.len(), TIMES, "{what}");
    assert_eq!(imported, fire_times(schedule, zone), "{what}");
}

/// The schedule of an entry line, read independently of the import: the
/// macro, or the first five words.
fn schedule_of(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words[0].starts_with('@') {
        words[0].to_string()
    } else {
        words[..5].join(" ")
    }
}

#[test]
fn debian_crontabs_import_with_the_same_fire_times() {
    let files = [
        (
            "debian-crontab",
            include_str!("../../tests/integration/crontabs/debian-crontab"),
        ),
        (
            "cron.d-anacron",
            include_str!("../../tests/integration/crontabs/cron.d-anacron"),
        ),
        (
            "cron.d-certbot",
            include_str!("../../tests/integration/crontabs/cron.d-certbot"),
        ),
        (
            "cron.d-e2scrub_all",
            include_str!("../../tests/integration/crontabs/cron.d-e2scrub_all"),
        ),
        (
            "cron.d-mdadm",
            include_str!("../../tests/integration/crontabs/cron.d-mdadm"),
        ),
        (
            "cron.d-php",
            include_str!("../../tests/integration/crontabs/cron.d-php"),
        ),
        (
            "cron.d-popularity-contest",
            include_str!("../../tests/integration/crontabs/cron.d-popularity-contest"),
        ),
        (
            "cron.d-sysstat",
            include_str!("../../tests/integration/crontabs/cron.d-sysstat"),
        ),
    ];
    for (name, text) in files {
        let out = crontab(text.as_bytes(), &options(true));
        assert!(out.problems.is_empty(), "{name}: {:?}", out.problems);
        let (scheduler, jobs) = parsed(&out.text);
        let entries: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_digit() || c == '*' || c == '@'))
            .collect();
        assert_eq!(jobs.len(), entries.len(), "{name}");
        for ((id, job), line) in jobs.iter().zip(&entries) {
            assert_eq!(
                job.get("user").and_then(Value::as_str),
                Some("root"),
                "{name} {id}"
            );
            assert_same_times(
                &scheduler,
                job,
                &schedule_of(line),
                chrono_tz::Europe::Berlin,
                id,
            );
        }
        // Every comment line is still there, as a comment or a description.
        for comment in text.lines().filter(|l| l.starts_with('#')) {
            let words = comment.trim_start_matches('#').trim();
            assert!(
                out.text.contains(comment) || out.text.contains(words),
                "{name}: {comment}"
            );
        }
    }
}
