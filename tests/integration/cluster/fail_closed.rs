//! Fail closed: while the database is down no node starts a scheduled run;
//! when it is back, the slots missed meanwhile are handled once, by the
//! normal coalescing rule (one catch-up run), and every slot is claimed
//! once. The outage is of a server of this test's own.

use super::fixture::Server;
use super::interval_job;
use super::invariants;
use super::nodes::{Cluster, stop_all};
use crate::harness::poll::until;
use std::time::Duration;

/// This test's server's port (the name of its socket file).
const PORT: u16 = 5436;

#[test]
fn no_run_starts_while_the_database_is_down() {
    let Some(server) = Server::start(PORT) else {
        return;
    };
    let mut c = Cluster::on(server.database(), &interval_job("tick", 1, ""));
    let nodes = c.nodes(&["n1", "n2"]);
    until(Duration::from_secs(5), || c.ledger().len() >= 2);
    server.halt();
    let before = c.ledger().len();
    std::thread::sleep(Duration::from_secs(4));
    let during = c.ledger().len();
    server.resume();
    c.db = postgres::Client::connect(&c.dsn, postgres::NoTls).expect("connect again");
    let went_on = until(Duration::from_secs(10), || c.ledger().len() >= during + 3);
    let logs = stop_all(nodes);
    assert!(went_on, "no runs after the database came back:\n{logs:#?}");
    // At most the run that was starting as the server stopped.
    assert!(
        during <= before + 1,
        "{before} then {during} runs while down"
    );
    for log in &logs {
        assert!(log.contains("state_failing"), "{log}");
        assert!(log.contains("heartbeat_failed"), "{log}");
        assert!(log.contains("state_recovered"), "{log}");
    }
    invariants::check(&mut c);
    // The four seconds down were caught up at most once in all: no slot of
    // that time ran on two nodes (the invariants), and not each one.
    let runs = c.runs_in("tick", "success");
    let gap = runs
        .windows(2)
        .map(|w| (w[1].scheduled - w[0].scheduled).num_milliseconds())
        .max()
        .unwrap_or_default();
    assert!(
        gap >= 3000,
        "the outage's slots were replayed one by one: {runs:#?}"
    );
}
