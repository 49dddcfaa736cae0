//! A node whose clock runs 30 s ahead (libfaketime; its monotonic clock
//! left alone) never starts a slot early by the database's clock, and says
//! that its clock is off.

use super::interval_job;
use super::invariants;
use super::nodes::{Cluster, stop_all};
use crate::harness::poll::until;
use crate::harness::{faketime, faketime_library};
use std::time::Duration;

#[test]
fn a_node_30_s_ahead_never_starts_a_slot_early() {
    if !faketime() {
        return;
    }
    let Some(mut c) = Cluster::new(&interval_job("tick", 1, "")) else {
        return;
    };
    let honest = c.node("n1");
    let ahead = c
        .node_command("ahead")
        .env(
            "LD_PRELOAD",
            faketime_library()
                .expect("libfaketime")
                .to_str()
                .expect("a path"),
        )
        .env("FAKETIME", "+30s")
        .env("FAKETIME_DONT_RESET", "1")
        .env("FAKETIME_DONT_FAKE_MONOTONIC", "1")
        .spawn();
    ahead.wait_started();
    let warned = until(Duration::from_secs(3), || {
        ahead.stderr().contains("clock_offset")
    });
    std::thread::sleep(Duration::from_secs(5));
    // Until the node ahead has won a slot, so that its runs are checked.
    until(Duration::from_secs(10), || {
        (c.runs_in("tick", "success").iter()).any(|r| r.node.as_deref() == Some("ahead"))
    });
    let logs = stop_all(vec![honest, ahead]);
    assert!(warned, "no clock_offset warning:\n{}", logs[1]);
    let line = (logs[1].lines())
        .find(|l| l.contains(" clock_offset "))
        .unwrap_or_default();
    assert!(line.contains(" WARN "), "{line}");
    let offset = crate::harness::poll::field(&logs[1], "clock_offset", "offset");
    let offset: f64 = offset
        .first()
        .and_then(|o| o.trim_end_matches('s').parse().ok())
        .unwrap_or_else(|| panic!("no offset in\n{}", logs[1]));
    assert!((-31.0..=-29.0).contains(&offset), "offset {offset}");
    invariants::check(&mut c);

    let runs = c.runs();
    for line in c.ledger() {
        let run = (runs.iter())
            .find(|r| r.scheduled == line.scheduled)
            .expect("its run");
        let started = run.started.expect("a start time");
        assert!(
            line.scheduled <= run.claimed && line.scheduled <= started,
            "{line:?} ran early: {run:?}"
        );
    }
    // Its runs' times are kept by the database's clock, as the others'.
    // (Skipped and missed rows have no start.)
    let won: Vec<_> = (runs.iter())
        .filter(|r| r.node.as_deref() == Some("ahead") && r.state == "success")
        .collect();
    for run in &won {
        let started = run
            .started
            .unwrap_or_else(|| panic!("no start time: {runs:#?}"));
        let skew = (started - run.claimed).num_milliseconds().abs();
        assert!(
            skew < 2000,
            "started {started} but claimed {}: {run:?}",
            run.claimed
        );
    }
    assert!(!won.is_empty(), "the node ahead won no slot: {runs:#?}");
}
