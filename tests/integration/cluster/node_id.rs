//! The same node id twice: refused while its holder lives, free again once
//! it stops (cleanly, or killed on this host).

use super::interval_job;
use super::invariants;
use super::nodes::{Cluster, NAME};

#[test]
fn a_node_id_in_use_is_refused_until_its_node_stops() {
    let Some(mut c) = Cluster::new(&interval_job("tick", 1, "")) else {
        return;
    };
    let first = c.node("n1");
    let second = c.node_command("n1").status(4).run();
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").expect("the host name");
    let want = format!(
        "node id \"n1\" is in use by a live node of cluster \"{NAME}\" (pid {} on {}); ",
        first.pid(),
        host.trim()
    );
    assert!(
        second.stderr.contains(&want),
        "{want:?} in\n{}",
        second.stderr
    );
    assert!(
        !second.stderr.contains("scheduler_started"),
        "{}",
        second.stderr
    );
    // The first goes on.
    first.wait_for_stderr("job_executed", 1);
    assert!(
        first.stderr().contains("job_executed"),
        "{}",
        first.stderr()
    );

    let stopped = first.stop();
    assert_eq!(stopped.code, Some(0), "{}", stopped.stderr);
    // Stopped cleanly, its lease ended: the id is free at once.
    let again = c.node("n1");
    // Killed (its pid gone on this host): taken over at once too.
    again.kill_9();
    let third = c.node("n1");
    third.wait_for_stderr("job_executed", 1);
    let log = third.stop().stderr;
    assert!(log.contains("job_executed"), "{log}");
    invariants::check(&mut c);
}
