//! Steady state: three nodes share an every-second job.

use super::interval_job;
use super::invariants;
use super::nodes::{Cluster, stop_all};
use std::collections::BTreeSet;
use std::time::Duration;

#[test]
fn three_nodes_run_each_slot_of_an_every_second_job_exactly_once() {
    let Some(mut c) = Cluster::new(&interval_job("tick", 1, "")) else {
        return;
    };
    let nodes = c.nodes(&["n1", "n2", "n3"]);
    std::thread::sleep(Duration::from_millis(6500));
    let logs = stop_all(nodes);
    invariants::check(&mut c);

    let runs: Vec<_> = c.runs().into_iter().filter(|r| r.job == "tick").collect();
    let slots: Vec<_> = runs.iter().map(|r| r.scheduled).collect();
    assert!(
        runs.len() >= 5,
        "too few runs in 6.5 s: {runs:#?}\n{logs:#?}"
    );
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
