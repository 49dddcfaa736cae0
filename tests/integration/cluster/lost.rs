//! `kill -9` of the node running a long job: its run is recorded
//! interrupted by a survivor once the lease has lapsed, and the job's
//! later slots run on the survivors.

use super::invariants;
use super::nodes::{Cluster, LEDGER, stop_all};
use crate::harness::poll::until;
use std::time::{Duration, Instant};

/// Every second; the run that makes the directory `held` (the first to
/// get that far) sleeps 30 s, the others end at once. A node killed takes
/// its job with it (the job's parent-death signal), but not its run row.
fn jobs() -> String {
    format!(
        "[hooks]\non_interrupted = 'echo $APSCHED_RUN_ID >> interrupted'\n[jobs.long]\ncommand = '{LEDGER}; if mkdir held 2>/dev/null; then sleep 30; fi'\ntrigger = \"interval\"\nseconds = 1\n"
    )
}

#[test]
fn a_killed_nodes_run_is_interrupted_and_the_survivors_go_on() {
    let Some(mut c) = Cluster::new(&jobs()) else {
        return;
    };
    let mut nodes = c.nodes(&["n1", "n2", "n3"]);
    // The holder: the run that made the directory (and wrote its line
    // first), now sleeping.
    until(Duration::from_secs(10), || {
        c.dir.exists("held") && !c.ledger().is_empty()
    });
    let first = c.ledger().first().cloned().expect("a run of the long job");
    let holder = (c.runs().into_iter())
        .find(|r| r.scheduled == first.scheduled)
        .expect("the holder's run");
    assert_eq!(holder.state, "started", "{holder:?}");
    let node = first.node.clone();
    let ids = ["n1", "n2", "n3"];
    let at = ids
        .iter()
        .position(|n| *n == node)
        .expect("one of the nodes");
    // Its job's process group, led by the pid recorded once it started.
    let mut sleeper: Option<i32> = None;
    until(Duration::from_secs(5), || {
        sleeper =
            c.db.query_one(
                "SELECT pid FROM apsched_runs WHERE run_id = $1",
                &[&holder.id],
            )
            .expect("the run's pid")
            .get(0);
        sleeper.is_some()
    });
    let sleeper = sleeper.expect("the job's pid");
    nodes.remove(at).kill_9();
    let killed = Instant::now();

    // The lease lapses within 3 s of the kill; the run is reaped 5 s after
    // that, at a renewal (every 1 s) of a survivor.
    let reaped = until(Duration::from_secs(3 + 5 + 1 + 3), || {
        c.runs()
            .iter()
            .any(|r| r.id == holder.id && r.state == "interrupted")
    });
    let took = killed.elapsed();
    assert!(reaped, "run {} not interrupted: {:#?}", holder.id, c.runs());
    // The reaping node runs the on_interrupted hook of the run, once.
    let told = until(Duration::from_secs(3), || {
        c.dir.exists("interrupted") && c.dir.read("interrupted").lines().count() >= 1
    });
    assert!(told, "no on_interrupted hook ran");
    let lost = format!("run_lost job=long run={} node={node}", holder.id);
    assert!(
        until(Duration::from_secs(2), || nodes
            .iter()
            .any(|n| n.stderr().contains(&lost))),
        "no survivor logged {lost:?}"
    );
    // Later slots run on the survivors.
    let mut ran_after = || {
        c.runs_in("long", "success")
            .iter()
            .any(|r| r.scheduled > holder.scheduled && r.node.as_deref() != Some(&node))
    };
    if !until(Duration::from_secs(3), &mut ran_after) {
        let logs = stop_all(nodes);
        panic!(
            "no later slot ran on a survivor: {:#?}\n{}\n{}",
            c.runs(),
            c.dir.read("ledger"),
            logs.join("\n")
        );
    }
    stop_all(nodes);
    // SAFETY: the orphaned job of the killed node: its process group (the
    // job's recorded pid leads it).
    unsafe { libc::kill(-sleeper, libc::SIGKILL) };
    assert_eq!(c.dir.read("interrupted"), format!("{}\n", holder.id));
    invariants::check(&mut c);
    eprintln!("reaped {:.1}s after the kill", took.as_secs_f64());
}
