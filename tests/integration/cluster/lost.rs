//! `kill -9` of the node running a long job: its run is recorded
//! interrupted by a survivor once the lease has lapsed, and the job's
//! later slots run on the survivors.

use super::invariants;
use super::nodes::{Cluster, LEDGER, stop_all};
use crate::harness::poll::until;
use std::time::{Duration, Instant};

/// Every second; the first run (whichever node makes the directory)
/// sleeps 30 s, the others end at once.
fn jobs() -> String {
    format!(
        "[jobs.long]\ncommand = '{LEDGER}; if mkdir held 2>/dev/null; then sleep 30; fi'\ntrigger = \"interval\"\nseconds = 1\n"
    )
}

#[test]
fn a_killed_nodes_run_is_interrupted_and_the_survivors_go_on() {
    let Some(mut c) = Cluster::new(&jobs()) else {
        return;
    };
    let mut nodes = c.nodes(&["n1", "n2", "n3"]);
    let mut holder = None;
    until(Duration::from_secs(10), || {
        holder = c.runs_in("long", "started").pop();
        holder.is_some()
    });
    let holder = holder.expect("a node runs the long job");
    let node = holder.node.clone().expect("the run's node");
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
    let ran = until(Duration::from_secs(3), &mut ran_after);
    assert!(ran, "no later slot ran on a survivor: {:#?}", c.runs());
    stop_all(nodes);
    // SAFETY: the orphaned job of the killed node: its process group (the
    // job's recorded pid leads it).
    unsafe { libc::kill(-sleeper, libc::SIGKILL) };
    invariants::check(&mut c);
    eprintln!("reaped {:.1}s after the kill", took.as_secs_f64());
}
