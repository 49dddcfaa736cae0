//! A node cut off from the database (its claiming connection's backend
//! frozen with SIGSTOP, a black hole for its statements): the other nodes
//! run every slot meanwhile, and when the connection thaws no slot is
//! claimed twice.

use super::interval_job;
use super::invariants;
use super::nodes::{Cluster, stop_all};
use crate::harness::poll::until;
use std::time::Duration;

#[test]
fn the_others_go_on_while_a_node_is_cut_off_from_the_database() {
    // A run of n1's may be going when it is cut off, its end unrecorded:
    // room for it beside n2's.
    let Some(mut c) = Cluster::new(&interval_job("tick", 1, "max_instances = 10")) else {
        return;
    };
    let nodes = c.nodes(&["n1", "n2"]);
    until(Duration::from_secs(5), || c.ledger().len() >= 2);
    let mut backend: Option<i32> = None;
    until(Duration::from_secs(5), || {
        backend = c
            .db
            .query_one(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'apsched/n1' AND datname = current_database()",
                &[],
            )
            .ok()
            .map(|r| r.get(0));
        backend.is_some()
    });
    let backend = backend.expect("n1's claiming backend");
    // SAFETY: plain kill(2) of the backend process.
    unsafe { libc::kill(backend, libc::SIGSTOP) };
    // A run n1 had started just before writes its line first.
    std::thread::sleep(Duration::from_millis(300));
    let before = c.ledger().len();
    std::thread::sleep(Duration::from_secs(4));
    let during: Vec<_> = c.ledger().into_iter().skip(before).collect();
    // SAFETY: as above.
    unsafe { libc::kill(backend, libc::SIGCONT) };
    std::thread::sleep(Duration::from_secs(2));
    let logs = stop_all(nodes);
    assert!(
        during.len() >= 3,
        "n2 did not go on: {during:#?}\n{logs:#?}"
    );
    assert!(during.iter().all(|l| l.node == "n2"), "{during:#?}");
    invariants::check(&mut c);
}
