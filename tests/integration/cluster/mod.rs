//! apsched's cluster mode through the real binaries: several `apsched run`
//! processes (nodes) on one PostgreSQL database with the same schedule
//! file, in the scenarios of the design note (steady state, a node killed,
//! the same node id twice, a cluster-wide downtime, pause/resume/run-now,
//! a node whose clock runs ahead, a database restart). Their jobs append
//! what they were told to a ledger; after each scenario the
//! [`invariants`] hold. Leases are 3 s and polls 200 ms, so each scenario
//! takes seconds; the nodes run in parallel. Without PostgreSQL they skip
//! (see [`fixture`]).

#[path = "../../../src/store/postgres/fixture.rs"]
pub(crate) mod fixture;
mod invariants;
mod nodes;

mod clock;
mod combined;
mod control;
mod downtime;
mod lost;
mod node_id;
mod restart;
mod steady;

mod fail_closed;
mod frozen;
mod instances;
mod partition;
mod rerun;
mod rolling;

use nodes::LEDGER;

/// A ledger job `id` on an interval of `seconds`, with `extra` keys.
pub(crate) fn interval_job(id: &str, seconds: u32, extra: &str) -> String {
    format!(
        "[jobs.{id}]\ncommand = '{LEDGER}'\ntrigger = \"interval\"\nseconds = {seconds}\n{extra}\n"
    )
}
