//! One database shared: concurrent claims of one job, the schema created by
//! whoever comes first, clusters side by side, and connection errors.

use super::tests::{claim, state, store, t};
use super::{PgStore, fixture};
use crate::store::Store;
use chrono::{DateTime, Duration, Utc};
use std::sync::{Arc, Barrier};

const THREADS: usize = 32;
const ROUNDS: usize = 20;

/// The job's stored next run time, read as a peer would.
fn stored_next(store: &PgStore) -> Option<DateTime<Utc>> {
    store
        .client
        .borrow_mut()
        .query_one(
            "SELECT next_run_at FROM apsched_jobs WHERE cluster = $1 AND job_id = 'j'",
            &[&store.cluster],
        )
        .expect("read job")
        .get(0)
}

/// `THREADS` threads, each with its own connection, read the job's next
/// run time and then, all at once, try `attempt` on it, for `ROUNDS`
/// rounds. Returns every slot that some thread's attempt took.
fn race<F>(dsn: &str, attempt: F) -> Vec<DateTime<Utc>>
where
    F: Fn(&mut PgStore, DateTime<Utc>) -> bool + Send + Sync + 'static,
{
    let barrier = Arc::new(Barrier::new(THREADS));
    let attempt = Arc::new(attempt);
    let threads: Vec<_> = (0..THREADS)
        .map(|_| {
            let (dsn, barrier, attempt) = (dsn.to_string(), barrier.clone(), attempt.clone());
            std::thread::spawn(move || {
                let mut store = PgStore::connect(&dsn, "c", 1_000).expect("connect");
                let mut won = Vec::new();
                for _ in 0..ROUNDS {
                    barrier.wait();
                    let slot = stored_next(&store).expect("a next run");
                    barrier.wait();
                    if attempt(&mut store, slot) {
                        won.push(slot);
                    }
                }
                won
            })
        })
        .collect();
    threads
        .into_iter()
        .flat_map(|h| h.join().expect("thread"))
        .collect()
}

fn next(slot: DateTime<Utc>) -> DateTime<Utc> {
    slot + Duration::minutes(1)
}

#[test]
fn concurrent_claims_take_every_slot_exactly_once() {
    let Some((dsn, mut store)) = store("c", 1_000) else {
        return;
    };
    store
        .save_job("j", &state("2027-01-01T00:00:00Z"))
        .expect("save");
    let mut won = race(&dsn, |store, slot| {
        let c = claim("j", "2027-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
        let c = crate::store::Claim {
            expected: slot,
            next: Some(next(slot)),
            runs: vec![slot],
            ..c
        };
        store.claim(&c).expect("claim").is_some()
    });
    won.sort();
    let expected: Vec<_> = (0..ROUNDS)
        .map(|i| t("2027-01-01T00:00:00Z") + Duration::minutes(i64::try_from(i).expect("small")))
        .collect();
    assert_eq!(won, expected, "each round's slot won by exactly one thread");
    let runs = store.history(Some("j"), 1_000).expect("history");
    assert_eq!(runs.len(), ROUNDS, "one run row per slot");
    let fence: i64 = store
        .client
        .get_mut()
        .query_one("SELECT fence FROM apsched_jobs WHERE job_id = 'j'", &[])
        .expect("fence")
        .get(0);
    assert_eq!(
        fence,
        i64::try_from(ROUNDS).expect("small"),
        "one fence step per claim"
    );
}

#[test]
fn without_the_compare_and_set_the_same_race_claims_slots_twice() {
    let Some((dsn, mut store)) = store("c", 1_000) else {
        return;
    };
    store
        .save_job("j", &state("2027-01-01T00:00:00Z"))
        .expect("save");
    store
        .client
        .get_mut()
        .batch_execute("CREATE TABLE control (slot timestamptz NOT NULL)")
        .expect("control table");
    // Read, then advance and insert unconditionally: the naive claim.
    let won = race(&dsn, |store, slot| {
        let mut tx = store.client.get_mut().transaction().expect("begin");
        tx.execute(
            "UPDATE apsched_jobs SET next_run_at = $1 WHERE job_id = 'j'",
            &[&next(slot)],
        )
        .expect("advance");
        tx.execute("INSERT INTO control (slot) VALUES ($1)", &[&slot])
            .expect("insert");
        tx.commit().expect("commit");
        true
    });
    assert!(
        won.len() > ROUNDS,
        "the naive claim lets several threads win a slot"
    );
    let duplicated: i64 = store
        .client
        .get_mut()
        .query_one(
            "SELECT count(*) FROM (SELECT slot FROM control GROUP BY slot HAVING count(*) > 1) d",
            &[],
        )
        .expect("count")
        .get(0);
    assert!(duplicated > 0, "slots claimed twice without the guard");
}

#[test]
fn a_slot_with_a_run_row_is_not_run_again_and_the_job_moves_on() {
    let Some((_, mut store)) = store("c", 100) else {
        return;
    };
    store
        .save_job("j", &state("2027-01-01T00:01:00Z"))
        .expect("save");
    let first = claim("j", "2027-01-01T00:01:00Z", "2027-01-01T00:02:00Z");
    store.claim(&first).expect("claim").expect("claimed");
    // A configuration rolled back: the stored next run time is an old slot.
    store
        .save_job("j", &state("2027-01-01T00:01:00Z"))
        .expect("roll back");
    assert_eq!(
        store.claim(&first).expect("claim again"),
        None,
        "the unique slot key refuses it"
    );
    assert_eq!(store.history(Some("j"), 10).expect("history").len(), 1);
    assert_eq!(
        stored_next(&store),
        Some(t("2027-01-01T00:02:00Z")),
        "the job advanced"
    );
}

#[test]
fn the_schema_is_created_once_whoever_connects_first() {
    let Some(dsn) = fixture::database() else {
        return;
    };
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let dsn = dsn.clone();
            std::thread::spawn(move || PgStore::connect(&dsn, "c", 10).map(|_| ()))
        })
        .collect();
    for h in threads {
        h.join().expect("thread").expect("connect at once");
    }
    let store = PgStore::connect(&dsn, "c", 10).expect("connect again");
    let version: String = store
        .client
        .borrow_mut()
        .query_one(
            "SELECT value FROM apsched_meta WHERE key = 'schema_version'",
            &[],
        )
        .expect("version")
        .get(0);
    assert_eq!(version, super::schema::known().to_string());
    store
        .client
        .borrow_mut()
        .execute(
            "UPDATE apsched_meta SET value = '99' WHERE key = 'schema_version'",
            &[],
        )
        .expect("pretend newer");
    let err = PgStore::connect(&dsn, "c", 10)
        .err()
        .expect("newer schema")
        .to_string();
    assert!(err.contains("newer apsched (schema version 99"), "{err}");
}

#[test]
fn clusters_sharing_a_database_are_independent() {
    let Some((dsn, mut a)) = store("a", 100) else {
        return;
    };
    let mut b = PgStore::connect(&dsn, "b", 100).expect("connect b");
    a.save_job("j", &state("2027-01-01T00:01:00Z"))
        .expect("save a");
    b.save_job("j", &state("2027-01-01T00:01:00Z"))
        .expect("save b");
    let c = claim("j", "2027-01-01T00:01:00Z", "2027-01-01T00:02:00Z");
    let in_a = a.claim(&c).expect("claim a").expect("claimed in a");
    assert!(
        b.claim(&c).expect("claim b").is_some(),
        "the same slot in b is b's own"
    );
    assert!(b.set_paused("j", true, false).expect("pause b"));
    let request = b.request_run("j").expect("request in b");
    assert!(
        a.take_requests().expect("take a").is_empty(),
        "b's request is not a's"
    );
    assert_eq!(
        b.load().expect("load b").interrupted,
        1,
        "b's own pending run"
    );
    assert_eq!(
        a.run(in_a[0])
            .expect("run")
            .expect("a's run")
            .result
            .as_str(),
        "pending"
    );
    assert_eq!(b.run(in_a[0]).expect("run"), None, "a's run is not b's");
    let loaded = a.load().expect("load a");
    assert!(!loaded.jobs["j"].paused, "b's pause is not a's");
    assert_eq!(loaded.interrupted, 1);
    assert_eq!(
        b.request_answer(request).expect("answer"),
        None,
        "b's fresh request is left to b's running nodes"
    );
}

#[test]
fn connection_errors_say_what_failed() {
    let cases = [
        (
            "host=/nonexistent/apsched dbname=x",
            "cannot connect to database \"x\" on /nonexistent/apsched",
        ),
        (
            "postgresql://localhost:badport/x",
            "the connection string is not valid",
        ),
    ];
    for (dsn, expected) in cases {
        let err = PgStore::connect(dsn, "c", 10)
            .err()
            .expect("fails")
            .to_string();
        assert!(err.starts_with("PostgreSQL state database: "), "{err}");
        assert!(err.contains(expected), "{dsn}: {err}");
    }
}

#[test]
fn times_are_kept_to_the_microsecond_so_a_claim_still_matches() {
    let Some((_, mut store)) = store("c", 100) else {
        return;
    };
    let slot = t("2027-01-01T00:01:00.123456789Z");
    let mut saved = state("2027-01-01T00:01:00Z");
    saved.next_run = Some(slot);
    store.save_job("j", &saved).expect("save");
    let c = claim("j", "2027-01-01T00:01:00Z", "2027-01-01T00:02:00Z");
    let c = crate::store::Claim {
        expected: slot,
        runs: vec![slot],
        ..c
    };
    let rows = store
        .claim(&c)
        .expect("claim")
        .expect("claimed despite nanoseconds");
    let run = store.run(rows[0]).expect("run").expect("the run");
    assert_eq!(run.scheduled, "2027-01-01T00:01:00.123456Z");
    let err = store.add_run("j", slot).expect_err("the slot's row exists");
    assert!(err.to_string().contains("duplicate key"), "{err}");
}
