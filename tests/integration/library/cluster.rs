//! Library schedulers sharing a PostgreSQL database, as nodes of one
//! cluster: each run time of a job runs once among them, and a node id
//! held by a live scheduler is refused. Without PostgreSQL they skip (see
//! the cluster tests' fixture).

use crate::cluster::fixture;
use apsched::{JobSpec, Scheduler, TriggerSpec};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Ledger = Arc<Mutex<Vec<(DateTime<Utc>, &'static str)>>>;

/// A node `id` on `db` whose job `tick`, every second, writes to `ledger`.
fn node(db: &str, id: &'static str, ledger: &Ledger) -> Scheduler {
    let scheduler = Scheduler::builder()
        .postgres(db)
        .node_id(id)
        .build()
        .expect("a scheduler on the database");
    let ledger = ledger.clone();
    let job = JobSpec::function("tick", TriggerSpec::cron("* * * * * *"), move |ctx| {
        ledger
            .lock()
            .map_err(|e| e.to_string())?
            .push((ctx.scheduled, id));
        Ok::<(), String>(())
    });
    scheduler.add_job(job).expect("added");
    scheduler
}

#[test]
fn two_library_schedulers_on_one_database_run_each_second_once() {
    let Some(db) = fixture::database() else {
        return;
    };
    let ledger = Ledger::default();
    let a = node(&db, "lib-a", &ledger).start().expect("a started");
    let b = node(&db, "lib-b", &ledger).start().expect("b started");
    std::thread::sleep(Duration::from_millis(4500));
    a.shutdown(true).expect("a stops cleanly");
    b.shutdown(true).expect("b stops cleanly");
    let ledger = ledger.lock().expect("the ledger").clone();
    let mut runs: BTreeMap<DateTime<Utc>, Vec<&str>> = BTreeMap::new();
    for (at, id) in ledger {
        runs.entry(at).or_default().push(id);
    }
    assert!(runs.len() >= 3, "{runs:?}");
    for (at, nodes) in &runs {
        assert_eq!(nodes.len(), 1, "{at} ran on {nodes:?}");
    }
}

#[test]
fn a_node_id_a_live_scheduler_holds_is_refused() {
    let Some(db) = fixture::database() else {
        return;
    };
    let ledger = Ledger::default();
    let first = node(&db, "lib-same", &ledger).start().expect("started");
    std::thread::sleep(Duration::from_millis(500));
    let second = node(&db, "lib-same", &ledger).run();
    first.shutdown(true).expect("a clean stop");
    let refused = second.expect_err("refused").to_string();
    assert!(
        refused.starts_with("state: node \"lib-same\" of cluster \"default\" is in use by pid "),
        "{refused}"
    );
}
