//! What must hold after every scenario, once its nodes have stopped: each
//! slot claimed once, no run left unfinished, and the ledger (what the
//! jobs did) agreeing with the history (what the database says ran).

use super::nodes::{Cluster, Line, NAME, Run};
use std::collections::{HashMap, HashSet};

/// Checks the invariants; panics with the evidence.
pub(crate) fn check(c: &mut Cluster) {
    claimed_once(c);
    none_unfinished(c);
    ledger_agrees(&c.ledger(), &c.runs());
}

/// I1: no (job, slot) has two first attempts.
fn claimed_once(c: &mut Cluster) {
    let twice =
        c.db.query(
            "SELECT job_id, scheduled_at::text, count(*) FROM apsched_runs
              WHERE cluster = $1 AND attempt = 1 GROUP BY 1, 2 HAVING count(*) > 1",
            &[&NAME],
        )
        .expect("query apsched_runs");
    let twice: Vec<(String, String, i64)> = twice
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert!(twice.is_empty(), "slots claimed more than once: {twice:?}");
}

/// No run is left pending or started with a dead lease: every node has
/// stopped (a clean stop ends its runs; a killed node's were reaped by
/// the survivors).
fn none_unfinished(c: &mut Cluster) {
    let left: Vec<Run> = c
        .runs()
        .into_iter()
        .filter(|r| r.state == "pending" || r.state == "started")
        .collect();
    assert!(left.is_empty(), "runs left unfinished: {left:#?}");
}

/// Every successful run has exactly one ledger line with its slot (and its
/// node and fence); every ledger line has a run, whose number the job was
/// told; no slot is in the ledger twice.
pub(crate) fn ledger_agrees(ledger: &[Line], runs: &[Run]) {
    let mut lines: HashMap<(String, i64), Vec<&Line>> = HashMap::new();
    for line in ledger {
        let key = (line.job.clone(), line.scheduled.timestamp_micros());
        lines.entry(key).or_default().push(line);
    }
    let twice: Vec<_> = lines.values().filter(|l| l.len() > 1).collect();
    assert!(
        twice.is_empty(),
        "slots run twice by the ledger: {twice:#?}"
    );
    let by_slot: HashMap<(String, i64), &Run> = runs
        .iter()
        .map(|r| ((r.job.clone(), r.scheduled.timestamp_micros()), r))
        .collect();
    let numbers: HashSet<(&str, i64, i64)> = runs
        .iter()
        .map(|r| (r.job.as_str(), r.scheduled.timestamp_micros(), r.id))
        .collect();
    for line in ledger {
        let key = (line.job.clone(), line.scheduled.timestamp_micros());
        assert!(
            numbers.contains(&(line.job.as_str(), key.1, line.run)),
            "{line:?}: APSCHED_RUN_ID names no run of its slot\nruns: {runs:#?}"
        );
        let run = by_slot
            .get(&key)
            .unwrap_or_else(|| panic!("a ledger line without a run: {line:?}\nruns: {runs:#?}"));
        assert_eq!(
            run.node.as_deref(),
            Some(line.node.as_str()),
            "the node of {line:?} and of its run {run:?}"
        );
        // A run-now's run has no fence: its line's is empty.
        assert_eq!(
            run.fence.map(|f| f.to_string()).unwrap_or_default(),
            line.fence,
            "the fence of {line:?} and of its run {run:?}"
        );
    }
    for run in runs.iter().filter(|r| r.state == "success") {
        let key = (run.job.clone(), run.scheduled.timestamp_micros());
        assert!(
            lines.contains_key(&key),
            "a successful run without a ledger line: {run:?}"
        );
    }
}
