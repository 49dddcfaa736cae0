//! A library scheduler on an SQLite file, stopped and started again by
//! the same program: its jobs, added again by id, catch up on the runs
//! they missed by the grace and coalescing rules, as `apsched run`'s do.

use super::wait_for;
use apsched::{JobSpec, Scheduler, SchedulerEvent, TriggerSpec};
use std::path::Path;
use std::time::Duration;

/// The jobs, as the program adds them at each start: every second, with
/// coalescing and no grace limit, without coalescing, and with a grace
/// time of one second.
fn jobs() -> [JobSpec; 3] {
    let every = || TriggerSpec::cron("* * * * * *");
    let ok = |_: &apsched::JobContext| Ok::<(), String>(());
    [
        JobSpec::function("coalesced", every(), ok),
        JobSpec::function("each", every(), ok).coalesce(false),
        JobSpec::function("graced", every(), ok).misfire_grace_time(Some(Duration::from_secs(1))),
    ]
}

fn scheduler(db: &Path) -> Scheduler {
    let scheduler = Scheduler::builder()
        .sqlite(db)
        .build()
        .expect("a scheduler");
    for job in jobs() {
        scheduler.add_job(job).expect("added");
    }
    scheduler
}

/// `(due, missed, run, coalesced)` of `job`'s catch-up.
fn catch_up(events: &std::sync::mpsc::Receiver<SchedulerEvent>, job: &str) -> (u64, u64, u64, u64) {
    wait_for(events, |e| match e {
        SchedulerEvent::JobCatchUp {
            job: j,
            due,
            missed,
            run,
            coalesced,
        } if j == job => Some((*due, *missed, *run, *coalesced)),
        _ => None,
    })
}

#[test]
fn a_restart_on_the_same_file_catches_up_by_grace_and_coalescing() {
    let dir = tempfile::tempdir().expect("a directory");
    let db = dir.path().join("state.db");
    let first = scheduler(&db);
    let events = first.subscribe();
    let handle = first.start().expect("started");
    for job in ["coalesced", "each", "graced"] {
        wait_for(&events, |e| {
            matches!(e, SchedulerEvent::JobExecuted { job: j, .. } if j == job).then_some(())
        });
    }
    handle.shutdown(true).expect("a clean stop");
    // Another scheduler cannot open the file while one runs; now it can.
    std::thread::sleep(Duration::from_millis(3200));
    let second = scheduler(&db);
    let events = second.subscribe();
    let handle = second.start().expect("started again");
    let (due, missed, run, coalesced) = catch_up(&events, "coalesced");
    assert!(due >= 3, "three seconds of downtime: {due}");
    assert_eq!((missed, run, coalesced), (0, 1, due - 1));
    let (due, missed, run, coalesced) = catch_up(&events, "each");
    assert!(due >= 3, "{due}");
    assert_eq!((missed, run, coalesced), (0, due, 0));
    let (due, missed, run, _) = catch_up(&events, "graced");
    assert!(
        missed >= 1 && run == 1 && due > missed,
        "{due} {missed} {run}"
    );
    handle.shutdown(true).expect("a clean stop");
}

#[test]
fn one_file_serves_one_scheduler_at_a_time() {
    let dir = tempfile::tempdir().expect("a directory");
    let db = dir.path().join("state.db");
    let first = Scheduler::builder()
        .sqlite(&db)
        .build()
        .expect("a scheduler");
    let second = Scheduler::builder().sqlite(&db).build();
    let Err(apsched::Error::State(why)) = second else {
        panic!("a second scheduler on the file was let in");
    };
    assert!(why.contains("another"), "{why}");
    drop(first);
    Scheduler::builder()
        .sqlite(&db)
        .build()
        .expect("free again");
}
