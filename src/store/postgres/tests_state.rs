//! [`StateStore`] of the PostgreSQL store against a real server.

use super::tests::{claim, state, store, t};
use crate::store::{LastTimes, RunResult, StateStore, Store};

#[test]
fn saved_jobs_and_paused_flags_of_this_cluster_only() {
    let Some((dsn, mut a)) = store("a", 10) else {
        return;
    };
    let mut b = super::PgStore::connect(&dsn, "b", 10).expect("connect b");
    a.begin().expect("begin");
    a.save_job("x", &state("2027-01-01T00:01:00Z"))
        .expect("save");
    let mut paused = state("2027-01-01T00:02:00Z");
    paused.paused = true;
    a.save_job("y", &paused).expect("save");
    a.commit().expect("commit");
    b.save_job("z", &state("2027-01-01T00:03:00Z"))
        .expect("save");
    let jobs = a.saved_jobs().expect("saved jobs");
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs["y"], paused);
    assert_eq!(a.saved_job("y").expect("saved job"), Some(paused.clone()));
    assert_eq!(a.saved_job("z").expect("saved job"), None);
    let mut flags = a.job_states().expect("job states");
    flags.sort();
    assert_eq!(flags, vec![("x".into(), false), ("y".into(), true)]);
    assert_eq!(b.job_states().expect("b"), vec![("z".into(), false)]);
    a.touch().expect("touch");
    b.touch().expect("touch");
}

#[test]
fn last_times_by_job_and_result() {
    let Some((_, mut s)) = store("c", 10) else {
        return;
    };
    let slots = [
        (
            "2027-01-01T00:00:00Z",
            "2027-01-01T00:00:01Z",
            "2027-01-01T00:00:09.5Z",
            RunResult::Success,
        ),
        (
            "2027-01-01T01:00:00Z",
            "2027-01-01T01:00:00.25Z",
            "2027-01-01T01:00:05Z",
            RunResult::Failed,
        ),
        (
            "2027-01-01T02:00:00Z",
            "2027-01-01T02:00:00Z",
            "2027-01-01T02:00:09Z",
            RunResult::Success,
        ),
        (
            "2027-01-01T03:00:00Z",
            "2027-01-01T03:00:00Z",
            "2027-01-01T03:00:09Z",
            RunResult::Interrupted,
        ),
    ];
    s.save_job("a", &state(slots[0].0)).expect("save");
    for (i, (scheduled, started, ended, result)) in slots.iter().enumerate() {
        let next = slots.get(i + 1).map_or("2027-01-02T00:00:00Z", |n| n.0);
        let rows = s
            .claim(&claim("a", scheduled, next))
            .expect("claim")
            .expect("claimed");
        s.run_started(rows[0], t(started)).expect("start");
        s.run_ended(rows[0], Some(t(ended)), None, *result)
            .expect("end");
    }
    s.save_job("b", &state("2027-01-02T00:00:00Z"))
        .expect("save");
    let rows = s
        .claim(&claim("b", "2027-01-02T00:00:00Z", "2027-01-03T00:00:00Z"))
        .expect("claim")
        .expect("claimed");
    s.run_started(rows[0], t("2027-01-02T00:00:00Z"))
        .expect("start");
    s.run_ended(
        rows[0],
        Some(t("2027-01-02T00:00:30Z")),
        None,
        RunResult::TimedOut,
    )
    .expect("end");
    let got = s.last_times().expect("query");
    assert_eq!(
        got["a"],
        LastTimes {
            run: Some(t("2027-01-01T03:00:00Z")),
            success: Some(t("2027-01-01T02:00:09Z")),
            failure: Some(t("2027-01-01T01:00:05Z")),
        }
    );
    assert_eq!(
        got["b"],
        LastTimes {
            run: Some(t("2027-01-02T00:00:00Z")),
            success: None,
            failure: Some(t("2027-01-02T00:00:30Z")),
        }
    );
    assert_eq!(got.len(), 2);
    let mut last: Vec<(String, RunResult)> = (s.last_runs().expect("last runs").into_iter())
        .map(|r| (r.job, r.result))
        .collect();
    last.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        last,
        vec![
            ("a".into(), RunResult::Interrupted),
            ("b".into(), RunResult::TimedOut)
        ]
    );
    let all = s.id_range(None).expect("range").expect("runs");
    let b = s.id_range(Some("b")).expect("range").expect("runs");
    assert_eq!((all.0 + 4, all.1), (b.0, b.1));
    assert_eq!(s.id_range(Some("none")).expect("range"), None);
}

#[test]
fn a_run_now_on_a_node_is_that_nodes_run_with_a_lease() {
    let Some((dsn, mut command)) = store("m", 10) else {
        return;
    };
    let db = crate::store::Database {
        dsn,
        password_file: None,
        cluster: "m".into(),
    };
    let mut node = super::PgStore::open(&db, Some("n1"), 10)
        .expect("connect as a node")
        .with_lease(std::time::Duration::from_secs(3));
    let on_node = node.add_run("j", t("2027-01-01T00:00:00Z")).expect("add");
    let direct = command
        .add_run("j", t("2027-01-01T00:00:01Z"))
        .expect("add");
    let read = |id: i64| {
        let row = node
            .client
            .borrow_mut()
            .query_one(
                "SELECT node_id, extract(epoch FROM lease_until - now())::float8
                   FROM apsched_runs WHERE run_id = $1",
                &[&id],
            )
            .expect("read the run");
        (
            row.get::<_, Option<String>>(0),
            row.get::<_, Option<f64>>(1),
        )
    };
    let (owner, lease) = read(on_node);
    assert_eq!(owner.as_deref(), Some("n1"));
    assert!(lease.is_some_and(|l| (2.0..=3.0).contains(&l)), "{lease:?}");
    // Run by a command, not a node: no one's, and no lease.
    assert_eq!(read(direct), (None, None));
}

#[test]
fn a_reaped_run_neither_starts_nor_loses_its_record_when_it_ends_late() {
    let Some((_, mut s)) = store("c", 10) else {
        return;
    };
    s.save_job("j", &state("2027-01-01T00:01:00Z"))
        .expect("save");
    let c = claim("j", "2027-01-01T00:01:00Z", "2027-01-01T00:02:00Z");
    let pending = s.claim(&c).expect("claim").expect("claimed")[0];
    let c = claim("j", "2027-01-01T00:02:00Z", "2027-01-01T00:03:00Z");
    let started = s.claim(&c).expect("claim").expect("claimed")[0];
    s.run_started(started, t("2027-01-01T00:02:00Z"))
        .expect("start");
    // The reaper's verdict on both.
    s.conn()
        .expect("connection")
        .execute(
            "UPDATE apsched_runs SET state = 'interrupted' WHERE run_id IN ($1, $2)",
            &[&pending, &started],
        )
        .expect("reap");
    let refused = s.run_started(pending, t("2027-01-01T00:01:05Z"));
    assert!(
        refused.is_err_and(|e| e.to_string().contains("no longer pending")),
        "a reaped run does not start"
    );
    s.run_ended(
        started,
        Some(t("2027-01-01T00:02:09Z")),
        Some(0),
        RunResult::Success,
    )
    .expect("end");
    let row = s.run(started).expect("run").expect("the run");
    assert_eq!(row.result, RunResult::Interrupted);
    let note: Option<String> = s
        .conn()
        .expect("connection")
        .query_one(
            "SELECT note FROM apsched_runs WHERE run_id = $1",
            &[&started],
        )
        .expect("note")
        .get(0);
    assert_eq!(
        note.as_deref(),
        Some("its node ended it late: success (exit status 0)")
    );
}
