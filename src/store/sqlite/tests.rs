//! The SQLite store on real files.

use super::SqliteStore;
use crate::store::{Claim, JobState, RunResult, StartedRun, StateStore as _, Store, parse};
use std::os::unix::fs::PermissionsExt;

fn t(s: &str) -> chrono::DateTime<chrono::Utc> {
    parse(s).expect("time")
}

fn state(next: &str) -> JobState {
    JobState {
        fingerprint: "cron * * * * *|UTC".into(),
        next_run: Some(t(next)),
        anchor: t("2027-01-01T00:00:00Z"),
        paused: false,
        file_paused: Some(false),
        reschedule: false,
    }
}

#[test]
fn a_claim_is_a_compare_and_set() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("s.db");
    let mut store = SqliteStore::open_for_run(&path, 100).expect("open");
    let mode = std::fs::metadata(&path).expect("file").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    store
        .save_job("j", &state("2027-01-01T00:01:00Z"))
        .expect("save");
    let claim = Claim {
        job: "j".into(),
        expected: t("2027-01-01T00:01:00Z"),
        next: Some(t("2027-01-01T00:02:00Z")),
        runs: vec![t("2027-01-01T00:01:00Z")],
        missed: None,
        skipped: None,
        due_at: chrono::DateTime::UNIX_EPOCH,
        grace: None,
        max_instances: 1,
        fingerprint: "cron * * * * *|UTC".into(),
    };
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
    store
        .run_ended(
            rows[0],
            Some(t("2027-01-01T00:01:01Z")),
            Some(0),
            RunResult::Success,
        )
        .expect("end");
    let history = store.history(Some("j"), 10).expect("history");
    assert_eq!(history[0].result.as_str(), "success");
    assert_eq!(history[0].exit_status, Some(0));
}

#[test]
fn a_second_scheduler_is_refused_and_unfinished_runs_are_found() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("s.db");
    let mut first = SqliteStore::open_for_run(&path, 100).expect("open");
    let err = SqliteStore::open_for_run(&path, 100).err().expect("locked");
    assert!(
        err.to_string()
            .contains(&format!("pid {}", std::process::id())),
        "{err}"
    );
    assert_eq!(
        SqliteStore::runner(&path),
        Some(std::process::id().to_string())
    );
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
    assert_eq!(SqliteStore::runner(&path), None);
    let mut again = SqliteStore::open_for_run(&path, 100).expect("reopen");
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
fn unreadable_rows_are_set_aside_not_deleted() {
    for lazily in [false, true] {
        set_aside(lazily);
    }
}

#[test]
fn a_store_with_no_saved_job_loads_complete_even_lazily() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = SqliteStore::open_for_run(&dir.path().join("s.db"), 100).expect("open");
    let loaded = store.load_lazily().expect("load");
    assert!(!loaded.lazy, "nothing is left to read");
    assert!(loaded.jobs.is_empty());
}

/// Damages two of three saved jobs, then loads (`lazily` or not).
fn set_aside(lazily: bool) {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("s.db");
    let mut store = SqliteStore::open_for_run(&path, 100).expect("open");
    store
        .save_job("good", &state("2027-01-01T00:01:00Z"))
        .expect("save");
    store
        .save_job("bad", &state("2027-01-01T00:01:00Z"))
        .expect("save");
    store
        .conn
        .execute("UPDATE jobs SET next_run = 'garbage' WHERE id = 'bad'", [])
        .expect("damage");
    store
        .save_job("future", &state("2027-01-01T00:01:00Z"))
        .expect("save");
    store
        .conn
        .execute("UPDATE jobs SET format = 9 WHERE id = 'future'", [])
        .expect("newer");
    let loaded = if lazily {
        store.load_lazily()
    } else {
        store.load()
    };
    let loaded = loaded.expect("load");
    assert_eq!(loaded.lazy, lazily);
    assert_eq!(loaded.jobs.len(), usize::from(!lazily));
    let good = store.saved_job("good").expect("read");
    assert_eq!(good, Some(state("2027-01-01T00:01:00Z")));
    assert_eq!(store.saved_job("bad").expect("read"), None);
    let mut aside: Vec<_> = loaded.set_aside.iter().map(|(j, _)| j.as_str()).collect();
    aside.sort_unstable();
    assert_eq!(aside, ["bad", "future"]);
    let kept: i64 = store
        .conn
        .query_row("SELECT count(*) FROM set_aside", [], |r| r.get(0))
        .expect("count");
    assert_eq!(kept, 2);
}

#[test]
fn bad_state_files_give_clear_errors() {
    let dir = tempfile::tempdir().expect("dir");
    let junk = dir.path().join("junk.db");
    std::fs::write(
        &junk,
        "this is not a database, just some text that is long enough",
    )
    .expect("write");
    let err = SqliteStore::open_for_run(&junk, 10)
        .err()
        .expect("not sqlite")
        .to_string();
    assert!(err.contains("junk.db") && err.contains("SQLite"), "{err}");
    let missing = dir.path().join("no/such/dir/s.db");
    let err = SqliteStore::open_for_run(&missing, 10)
        .err()
        .expect("no dir")
        .to_string();
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn history_is_bounded_per_job() {
    let mut store = SqliteStore::memory(3).expect("memory");
    store
        .save_job("j", &state("2027-01-01T00:01:00Z"))
        .expect("save");
    let mut expected = t("2027-01-01T00:01:00Z");
    for _ in 0..5 {
        let next = expected + chrono::Duration::minutes(1);
        let claim = Claim {
            job: "j".into(),
            expected,
            next: Some(next),
            runs: vec![expected],
            missed: None,
            skipped: None,
            due_at: chrono::DateTime::UNIX_EPOCH,
            grace: None,
            max_instances: 1,
            fingerprint: "cron * * * * *|UTC".into(),
        };
        store.claim(&claim).expect("claim").expect("claimed");
        expected = next;
    }
    assert_eq!(store.history(Some("j"), 100).expect("history").len(), 3);
}
