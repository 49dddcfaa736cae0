//! Steady state: three nodes share an every-second job.

use super::interval_job;
use super::invariants;
use super::nodes::{Cluster, stop_all};
use crate::harness::poll::until;
use std::collections::BTreeSet;
use std::time::Duration;

#[test]
fn three_nodes_run_each_slot_of_an_every_second_job_exactly_once() {
    // Each slot in turn, however late a loaded machine makes it: no slot
    // is coalesced or skipped, so each must run.
    let extra = "coalesce = false\nmax_instances = 5";
    let Some(mut c) = Cluster::new(&interval_job("tick", 1, extra)) else {
        return;
    };
    let nodes = c.nodes(&["n1", "n2", "n3"]);
    // About 6 s; longer if the machine is slow.
    std::thread::sleep(Duration::from_secs(5));
    until(Duration::from_secs(10), || {
        c.runs_in("tick", "success").len() >= 6
    });
    let logs = stop_all(nodes);
    invariants::check(&mut c);

    let runs: Vec<_> = c.runs().into_iter().filter(|r| r.job == "tick").collect();
    let slots: Vec<_> = runs.iter().map(|r| r.scheduled).collect();
    assert!(runs.len() >= 6, "too few runs: {runs:#?}\n{logs:#?}");
    for run in &runs {
        assert_eq!(
            (run.kind.as_str(), run.state.as_str()),
            ("scheduled", "success"),
            "{run:?}"
        );
    }
    // No gaps: each slot is the one after the last, a second later.
    for pair in slots.windows(2) {
        assert_eq!(
            pair[1] - pair[0],
            chrono::Duration::seconds(1),
            "slots {slots:?}"
        );
    }
    let won: BTreeSet<_> = runs.iter().filter_map(|r| r.node.clone()).collect();
    assert!(
        won.len() > 1,
        "one node won every slot: {won:?}\n{}",
        logs.join("\n")
    );
    assert_eq!(c.ledger().len(), runs.len());
}
