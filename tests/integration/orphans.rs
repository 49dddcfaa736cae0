//! Jobs never outlive a scheduler killed with `kill -9` unseen: the job's
//! leader gets SIGTERM when apsched dies, and a restart ends what is left
//! of the group before anything starts, so `max_instances` holds.

use crate::harness::Dir;
use crate::harness::poll::{PATIENCE, alive, count_lines, lines_in, until};
use std::thread::sleep;
use std::time::Duration;

#[test]
fn a_job_leader_gets_sigterm_when_apsched_is_killed() {
    let dir = Dir::schedule(
        r#"[jobs.long]
command = "echo $$ > leader; exec sleep 30"
cron = "* * * * * *"
"#,
    );
    let child = dir.run().spawn();
    let leader = lines_in(&dir.join("leader"), 1);
    assert!(alive(&leader), "started: {leader:?}");
    child.kill_9();
    until(Duration::from_millis(500), || !alive(&leader));
    assert!(!alive(&leader), "the job ended with its scheduler");
}

/// Whether the state file holds run 1's process.
fn process_recorded(dir: &Dir) -> bool {
    let Ok(db) = rusqlite::Connection::open(dir.join("s.db")) else {
        return false;
    };
    let pid = db.query_row("SELECT pid FROM runs WHERE id = 1", [], |r| {
        r.get::<_, Option<i64>>(0)
    });
    matches!(pid, Ok(Some(_)))
}

#[test]
fn a_restart_ends_what_is_left_of_a_job_before_starting_it_again() {
    let dir = Dir::schedule(
        r#"[jobs.long]
command = "sleep 30 & echo $! >> sleeps.txt; wait"
cron = "* * * * * *"
max_instances = 1
"#,
    );
    let first = dir.run().spawn();
    let sleeps = lines_in(&dir.join("sleeps.txt"), 1);
    // The job can start its sleep before apsched records the job's process
    // group; a crash in between leaves nothing to find.
    assert!(until(PATIENCE, || process_recorded(&dir)), "run 1's pid");
    first.kill_9();
    let orphan = sleeps.lines().next().expect("its sleep").to_string();
    sleep(Duration::from_millis(200));
    assert!(
        alive(&orphan),
        "the job's own child outlives the leader's SIGTERM"
    );

    let second = dir.run().spawn();
    until(PATIENCE, || count_lines(&dir.join("sleeps.txt")) >= 2);
    assert!(!alive(&orphan), "ended at the restart");
    let sleeps = dir.read("sleeps.txt");
    let running: Vec<&str> = sleeps.lines().filter(|p| alive(p)).collect();
    assert_eq!(running.len(), 1, "one instance at a time: {sleeps}");
    let log = second.stop().stderr;

    let ended = log
        .find("orphan_ended job=long run=1")
        .unwrap_or_else(|| panic!("{log}"));
    let started = log.find("job_submitted").unwrap_or_else(|| panic!("{log}"));
    assert!(
        ended < started,
        "nothing starts before the orphan is gone:\n{log}"
    );
    assert!(
        log.contains("state_interrupted interrupted=1 unknown=0"),
        "{log}"
    );
    let first_run = dir
        .history()
        .into_iter()
        .find(|r| r["id"] == 1)
        .expect("run 1");
    assert_eq!(first_run["result"], "interrupted");
}

#[test]
fn a_run_that_ended_unseen_is_recorded_unknown() {
    let dir = Dir::schedule(
        r#"[jobs.j]
command = "exec sleep 30"
cron = "* * * * * *"
"#,
    );
    let first = dir.run().spawn();
    first.wait_for_stderr("job_submitted", 1);
    first.kill_9();
    // The job's leader (the sleep) ends on its scheduler's death.
    sleep(Duration::from_millis(300));
    let log = dir.run().spawn().stop_when("state_interrupted", 1).stderr;
    assert!(log.contains("unknown=1"), "{log}");
    let first_run = dir
        .history()
        .into_iter()
        .find(|r| r["id"] == 1)
        .expect("run 1");
    assert_eq!(first_run["result"], "unknown");
}
