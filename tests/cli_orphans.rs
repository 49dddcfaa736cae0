//! Jobs never outlive a scheduler killed with `kill -9` unseen: the job's
//! leader gets SIGTERM when apsched dies, and a restart ends what is left
//! of the group before anything starts, so `max_instances` holds.

mod common {
    pub mod sched;
}

use common::sched::{Dir, alive, start_logged as start, stop};
use std::fs;
use std::process::Child;
use std::thread::sleep;
use std::time::Duration;

fn kill_9(mut child: Child) {
    child.kill().expect("kill -9");
    let _ = child.wait();
}

#[test]
fn a_job_leader_gets_sigterm_when_apsched_is_killed() {
    let dir = Dir::new(
        "[jobs.long]\ncommand = \"echo $$ > leader; exec sleep 30\"\ncron = \"* * * * * *\"\n",
    );
    let child = start(&dir, "log");
    sleep(Duration::from_millis(1500));
    let leader = fs::read_to_string(dir.path().join("leader")).expect("started");
    assert!(alive(&leader));
    kill_9(child);
    sleep(Duration::from_millis(500));
    assert!(!alive(&leader), "the job ended with its scheduler");
}

#[test]
fn a_restart_ends_what_is_left_of_a_job_before_starting_it_again() {
    let dir = Dir::new(
        "[jobs.long]\ncommand = \"sleep 30 & echo $! >> sleeps.txt; wait\"\ncron = \"* * * * * *\"\nmax_instances = 1\n",
    );
    let first = start(&dir, "first.log");
    sleep(Duration::from_millis(1500));
    kill_9(first);
    let sleeps = fs::read_to_string(dir.path().join("sleeps.txt")).expect("a run started");
    let orphan = sleeps.lines().next().expect("its sleep").to_string();
    sleep(Duration::from_millis(200));
    assert!(
        alive(&orphan),
        "the job's own child outlives the leader's SIGTERM"
    );

    let second = start(&dir, "second.log");
    sleep(Duration::from_millis(1500));
    assert!(!alive(&orphan), "ended at the restart");
    let sleeps = fs::read_to_string(dir.path().join("sleeps.txt")).expect("runs");
    let running: Vec<&str> = sleeps.lines().filter(|p| alive(p)).collect();
    assert_eq!(running.len(), 1, "one instance at a time: {sleeps}");
    stop(second);

    let log = fs::read_to_string(dir.path().join("second.log")).expect("log");
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
    let dir = Dir::new("[jobs.j]\ncommand = \"exec sleep 30\"\ncron = \"* * * * * *\"\n");
    let first = start(&dir, "first.log");
    sleep(Duration::from_millis(1500));
    kill_9(first);
    sleep(Duration::from_millis(300));
    let second = start(&dir, "second.log");
    sleep(Duration::from_millis(300));
    stop(second);
    let log = fs::read_to_string(dir.path().join("second.log")).expect("log");
    assert!(log.contains("unknown=1"), "{log}");
    let first_run = dir
        .history()
        .into_iter()
        .find(|r| r["id"] == 1)
        .expect("run 1");
    assert_eq!(first_run["result"], "unknown");
}
