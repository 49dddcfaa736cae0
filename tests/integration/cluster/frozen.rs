//! A node frozen (SIGSTOP) for longer than its lease while its job runs on:
//! another node records the run interrupted; when the frozen node thaws and
//! sees its job end, the run stays interrupted, its history row noting how
//! it ended. No slot is claimed twice meanwhile.

use super::invariants;
use super::nodes::{Cluster, LEDGER, stop_all};
use crate::harness::poll::until;
use std::time::Duration;

/// Every second; the run that makes the directory `held` runs 6 s.
fn jobs() -> String {
    format!(
        "[jobs.long]\ncommand = '{LEDGER}; if mkdir held 2>/dev/null; then sleep 6; fi'\ntrigger = \"interval\"\nseconds = 1\n"
    )
}

#[test]
fn a_frozen_nodes_run_is_interrupted_and_its_late_end_noted() {
    let Some(mut c) = Cluster::new(&jobs()) else {
        return;
    };
    let nodes = c.nodes(&["n1", "n2"]);
    until(Duration::from_secs(10), || {
        c.dir.exists("held") && !c.ledger().is_empty()
    });
    let first = c.ledger().first().cloned().expect("a run of the long job");
    let holder = (c.runs().into_iter())
        .find(|r| r.scheduled == first.scheduled)
        .expect("the holder's run");
    let at = usize::from(first.node == "n2");
    nodes[at].signal(libc::SIGSTOP);
    let reaped = until(Duration::from_secs(3 + 5 + 1 + 3), || {
        c.runs()
            .iter()
            .any(|r| r.id == holder.id && r.state == "interrupted")
    });
    // The job ended meanwhile (6 s); the node sees it when it thaws.
    std::thread::sleep(Duration::from_secs(1));
    nodes[at].signal(libc::SIGCONT);
    let noted = until(Duration::from_secs(5), || {
        c.db.query_one(
            "SELECT note FROM apsched_runs WHERE run_id = $1",
            &[&holder.id],
        )
        .ok()
        .and_then(|r| r.get::<_, Option<String>>(0))
        .is_some_and(|n| n.contains("its node ended it late: success"))
    });
    let logs = stop_all(nodes);
    assert!(reaped, "not reaped: {:#?}\n{logs:#?}", c.runs());
    assert!(noted, "late end not noted: {:#?}\n{logs:#?}", c.runs());
    let row = (c.runs().into_iter())
        .find(|r| r.id == holder.id)
        .expect("the run");
    assert_eq!(row.state, "interrupted");
    // The history shows what the cluster noted.
    let history = c
        .dir
        .apsched(["history", "long", "-f", "s.toml", "--json"])
        .status(0)
        .run()
        .json();
    let noted = (history.as_array().expect("runs").iter())
        .find(|r| r["id"].as_i64() == Some(holder.id))
        .and_then(|r| r["note"].as_str().map(str::to_string))
        .unwrap_or_default();
    assert!(
        noted.contains("lost its lease") && noted.contains("its node ended it late: success"),
        "{noted}"
    );
    invariants::check(&mut c);
}
