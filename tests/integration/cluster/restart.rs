//! A database restart mid-run: the nodes connect again and go on, and no
//! slot is run twice. The restart is of a server of this test's own, so
//! the other scenarios' is not disturbed.

use super::fixture::Server;
use super::interval_job;
use super::invariants;
use super::nodes::{Cluster, stop_all};
use crate::harness::poll::until;
use chrono::Utc;
use std::time::Duration;

/// This test's server's port (the name of its socket file).
const PORT: u16 = 5435;

#[test]
fn the_nodes_go_on_after_a_database_restart_without_replaying_a_slot() {
    let Some(server) = Server::start(PORT) else {
        return;
    };
    let jobs = format!(
        "{}{}",
        interval_job("tick", 1, ""),
        interval_job("slow", 2, "").replace("command = '", "command = 'sleep 1.5; ")
    );
    let mut c = Cluster::on(server.database(), &jobs);
    let nodes = c.nodes(&["n1", "n2", "n3"]);
    let mut mid = Vec::new();
    until(Duration::from_secs(5), || {
        mid = c.runs_in("slow", "started");
        !mid.is_empty()
    });
    let mid = mid.pop().expect("a run of the slow job going");
    server.restart();
    let restarted = Utc::now();
    // The test's own connection was cut too.
    c.db = postgres::Client::connect(&c.dsn, postgres::NoTls).expect("connect again");
    let mut after = || {
        (c.runs_in("tick", "success").iter())
            .filter(|r| r.claimed > restarted)
            .count()
            >= 3
    };
    let went_on = until(Duration::from_secs(8), &mut after);
    let logs = stop_all(nodes);
    assert!(
        went_on,
        "no runs after the restart: {:#?}\n{logs:#?}",
        c.runs()
    );
    invariants::check(&mut c);
    // Each node lost the database and connected again.
    for log in &logs {
        assert!(
            log.contains("heartbeat_failed") && log.contains("heartbeat_recovered"),
            "{log}"
        );
    }
    // The run going through the restart was recorded as it ended, once the
    // database was back.
    let ended = c.runs().into_iter().find(|r| r.id == mid.id);
    assert_eq!(
        ended.map(|r| r.state).as_deref(),
        Some("success"),
        "{logs:#?}"
    );
}
