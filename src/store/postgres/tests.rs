//! The PostgreSQL store against a real server: every operation as the
//! SQLite store's tests have it.

use super::{PgStore, fixture};
use crate::store::{Answer, Claim, JobState, RunResult, StartedRun, Store, parse};

pub(super) fn t(s: &str) -> chrono::DateTime<chrono::Utc> {
    parse(s).expect("time")
}

pub(super) fn state(next: &str) -> JobState {
    JobState {
        fingerprint: "cron * * * * *|UTC".into(),
        next_run: Some(t(next)),
        anchor: t("2027-01-01T00:00:00Z"),
        paused: false,
        file_paused: Some(false),
        reschedule: false,
    }
}

pub(super) fn claim(job: &str, expected: &str, next: &str) -> Claim {
    Claim {
        job: job.into(),
        expected: t(expected),
        next: Some(t(next)),
        runs: vec![t(expected)],
        missed: None,
        skipped: None,
        due_at: chrono::DateTime::UNIX_EPOCH,
        grace: None,
        max_instances: 10_000,
        fingerprint: "cron * * * * *|UTC".into(),
    }
}

/// A store on a new database, or `None` when PostgreSQL is absent.
pub(super) fn store(cluster: &str, history: usize) -> Option<(String, PgStore)> {
    let dsn = fixture::database()?;
    let store = PgStore::connect(&dsn, cluster, history).expect("connect");
    Some((dsn, store))
}

#[test]
fn a_claim_is_a_compare_and_set() {
    let Some((_, mut store)) = store("c", 100) else {
        return;
    };
    store
        .save_job("j", &state("2027-01-01T00:01:00Z"))
        .expect("save");
    let claim = claim("j", "2027-01-01T00:01:00Z", "2027-01-01T00:02:00Z");
    let rows = store.claim(&claim).expect("claim").expect("claimed");
    assert_eq!(rows.len(), 1);
    assert_eq!(
        store.claim(&claim).expect("claim again"),
        None,
        "a slot is claimed once"
    );
    store
        .run_started(rows[0], t("2027-01-01T00:01:00.002Z"))
        .expect("start");
    store.run_output(rows[0], b"hello\n").expect("output");
    store
        .run_ended(
            rows[0],
            Some(t("2027-01-01T00:01:01Z")),
            Some(0),
            RunResult::Success,
        )
        .expect("end");
    let history = store.history(Some("j"), 10).expect("history");
    assert_eq!(history.len(), 1);
    let run = &history[0];
    assert_eq!(
        (run.result, run.exit_status, run.scheduled.as_str()),
        (RunResult::Success, Some(0), "2027-01-01T00:01:00Z")
    );
    assert_eq!(run.started.as_deref(), Some("2027-01-01T00:01:00.002Z"));
    assert_eq!(run.ended.as_deref(), Some("2027-01-01T00:01:01Z"));
    assert_eq!(run.output.as_deref(), Some(&b"hello\n"[..]));
    assert_eq!(store.run(rows[0]).expect("run").as_ref(), Some(run));
    assert_eq!(store.run(rows[0] + 1000).expect("no run"), None);
    assert_eq!(
        store.load().expect("load").jobs["j"].next_run,
        Some(t("2027-01-01T00:02:00Z"))
    );
}

#[test]
fn a_claim_writes_missed_and_skipped_summaries() {
    let Some((_, mut store)) = store("c", 100) else {
        return;
    };
    store
        .save_job("j", &state("2027-01-01T00:01:00Z"))
        .expect("save");
    let claim = Claim {
        job: "j".into(),
        expected: t("2027-01-01T00:01:00Z"),
        next: None,
        runs: vec![t("2027-01-01T00:05:00Z"), t("2027-01-01T00:06:00Z")],
        missed: Some((t("2027-01-01T00:01:00Z"), t("2027-01-01T00:03:00Z"), 3)),
        skipped: Some((t("2027-01-01T00:04:00Z"), 1)),
        due_at: chrono::DateTime::UNIX_EPOCH,
        grace: None,
        max_instances: 10_000,
        fingerprint: "cron * * * * *|UTC".into(),
    };
    let rows = store.claim(&claim).expect("claim").expect("claimed");
    assert_eq!(rows.len(), 2);
    assert!(rows[0] < rows[1], "in the order of the slots: {rows:?}");
    let history = store.history(None, 10).expect("history");
    let seen: Vec<_> = history
        .iter()
        .map(|r| {
            (
                r.scheduled.as_str(),
                r.scheduled_last.as_deref(),
                r.count,
                r.result,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("2027-01-01T00:04:00Z", None, 1, RunResult::Skipped),
            (
                "2027-01-01T00:01:00Z",
                Some("2027-01-01T00:03:00Z"),
                3,
                RunResult::Missed
            ),
            ("2027-01-01T00:06:00Z", None, 1, RunResult::Pending),
            ("2027-01-01T00:05:00Z", None, 1, RunResult::Pending),
        ]
    );
    assert_eq!(
        store.load().expect("load").jobs["j"].next_run,
        None,
        "the trigger ended"
    );
}

#[test]
fn unfinished_runs_are_found_at_load() {
    let Some((dsn, mut first)) = store("c", 100) else {
        return;
    };
    first
        .save_job("j", &state("2027-01-01T00:01:00Z"))
        .expect("save");
    let row = first.add_run("j", t("2027-01-01T00:00:30Z")).expect("add");
    first
        .run_started(row, t("2027-01-01T00:00:30Z"))
        .expect("start");
    first.run_process(row, 4242, "boot/99").expect("process");
    first
        .add_run("j", t("2027-01-01T00:00:31Z"))
        .expect("pending");
    drop(first);
    let mut again = PgStore::connect(&dsn, "c", 100).expect("reconnect");
    let loaded = again.load().expect("load");
    assert_eq!(loaded.interrupted, 1, "the pending run never started");
    assert_eq!(
        (loaded.pending.len(), loaded.pending[0].scheduled.as_str()),
        (1, "2027-01-01T00:00:31Z"),
        "the pending run is listed for hooks"
    );
    assert_eq!(
        loaded.started,
        [StartedRun {
            record: row,
            job: "j".into(),
            scheduled: "2027-01-01T00:00:30Z".into(),
            pid: Some(4242),
            identity: Some("boot/99".into()),
        }],
        "the started one is left for the host to settle"
    );
    assert_eq!(loaded.jobs["j"], state("2027-01-01T00:01:00Z"));
}

#[test]
fn rows_of_a_newer_format_are_set_aside_not_deleted() {
    let Some((dsn, mut store)) = store("c", 100) else {
        return;
    };
    store
        .save_job("good", &state("2027-01-01T00:01:00Z"))
        .expect("save");
    store
        .save_job("future", &state("2027-01-01T00:01:00Z"))
        .expect("save");
    let mut sql = postgres::Client::connect(&dsn, postgres::NoTls).expect("connect");
    sql.execute(
        "UPDATE apsched_jobs SET format = 9 WHERE job_id = 'future'",
        &[],
    )
    .expect("newer");
    let loaded = store.load().expect("load");
    assert_eq!(loaded.jobs.keys().collect::<Vec<_>>(), ["good"]);
    assert_eq!(loaded.set_aside.len(), 1);
    assert!(
        loaded.set_aside[0].1.contains("row format 9"),
        "{:?}",
        loaded.set_aside
    );
    let kept: i64 = sql
        .query_one(
            "SELECT count(*) FROM apsched_set_aside WHERE job_id = 'future'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(kept, 1);
}

#[test]
fn history_is_bounded_per_job() {
    let Some((_, mut store)) = store("c", 3) else {
        return;
    };
    store
        .save_job("j", &state("2027-01-01T00:01:00Z"))
        .expect("save");
    let mut expected = t("2027-01-01T00:01:00Z");
    for _ in 0..5 {
        let next = expected + chrono::Duration::minutes(1);
        let c = Claim {
            next: Some(next),
            runs: vec![expected],
            expected,
            ..claim("j", "2027-01-01T00:01:00Z", "2027-01-01T00:01:00Z")
        };
        store.claim(&c).expect("claim").expect("claimed");
        expected = next;
    }
    assert_eq!(store.history(Some("j"), 100).expect("history").len(), 3);
    assert_eq!(store.history(Some("other"), 100).expect("history").len(), 0);
}

#[test]
fn pause_and_resume_are_kept() {
    let Some((_, mut store)) = store("c", 100) else {
        return;
    };
    assert!(
        !store.set_paused("new", true, false).expect("pause unknown"),
        "not known yet"
    );
    store
        .save_job("j", &state("2027-01-01T00:01:00Z"))
        .expect("save");
    assert!(store.set_paused("j", true, false).expect("pause"));
    let jobs = store.load().expect("load").jobs;
    assert!(
        jobs["new"].paused && jobs["new"].next_run.is_none() && jobs["new"].fingerprint.is_empty()
    );
    assert!(jobs["j"].paused && !jobs["j"].reschedule);
    assert!(store.set_paused("j", false, true).expect("resume"));
    let j = &store.load().expect("load").jobs["j"];
    assert_eq!(
        (j.paused, j.reschedule, j.file_paused),
        (false, true, Some(true))
    );
}

#[test]
fn run_now_requests_are_taken_once_and_answered() {
    let Some((_, mut store)) = store("c", 100) else {
        return;
    };
    let first = store.request_run("a").expect("request");
    let second = store.request_run("b").expect("request");
    assert_eq!(
        store.request_answer(first).expect("read"),
        None,
        "not answered yet"
    );
    let taken = store.take_requests().expect("take");
    assert_eq!(taken, [(first, "a".to_string()), (second, "b".to_string())]);
    assert!(store.take_requests().expect("take again").is_empty());
    store
        .answer_request(first, &Answer::Run(7))
        .expect("answer");
    store
        .answer_request(second, &Answer::Refused("paused".into()))
        .expect("answer");
    assert_eq!(
        store.request_answer(first).expect("read"),
        Some(Answer::Run(7))
    );
    assert_eq!(
        store.request_answer(second).expect("read"),
        Some(Answer::Refused("paused".into()))
    );
    assert_eq!(
        store.request_answer(second + 100).expect("read"),
        Some(Answer::Refused("the request is gone".into()))
    );
    let stale = store.request_run("a").expect("request");
    let fresh = store.request_run("a").expect("request");
    store
        .conn()
        .expect("connection")
        .execute(
            "UPDATE apsched_requests SET at = at - interval '2 minutes' WHERE request_id = $1",
            &[&stale],
        )
        .expect("age the request");
    store.load().expect("load");
    assert_eq!(
        store.request_answer(fresh).expect("read"),
        None,
        "a request of the last minute is left to the running nodes"
    );
    let Some(Answer::Refused(why)) = store.request_answer(stale).expect("read") else {
        panic!("a request left from before a start is refused")
    };
    assert!(why.contains("stopped"), "{why}");
}
