//! `apsched pause`, `resume` and `run-now` with the schedule file reach
//! the running nodes of the cluster through the database.

use super::interval_job;
use super::invariants;
use super::nodes::{Cluster, LEDGER, stop_all};
use crate::harness::poll::until;
use chrono::{DateTime, Utc};
use std::time::{Duration, Instant};

fn jobs() -> String {
    let rare = format!("[jobs.rare]\ncommand = '{LEDGER}'\ncron = \"0 0 1 1 *\"\n");
    format!("{}{rare}", interval_job("tick", 1, ""))
}

fn db_now(c: &mut Cluster) -> DateTime<Utc> {
    c.db.query_one("SELECT now()", &[]).expect("now").get(0)
}

#[test]
fn pause_resume_and_run_now_reach_every_node() {
    let Some(mut c) = Cluster::new(&jobs()) else {
        return;
    };
    let nodes = c.nodes(&["n1", "n2", "n3"]);
    assert!(until(Duration::from_secs(5), || {
        !c.runs_in("tick", "success").is_empty()
    }));

    c.dir.apsched(["pause", "tick", "-f", "s.toml"]).run();
    let paused = db_now(&mut c);
    std::thread::sleep(Duration::from_millis(2500));
    let late: Vec<_> = (c.runs().into_iter())
        .filter(|r| r.job == "tick" && r.claimed > paused)
        .collect();
    assert!(late.is_empty(), "runs claimed after the pause: {late:#?}");

    c.dir.apsched(["resume", "tick", "-f", "s.toml"]).run();
    let resumed = db_now(&mut c);
    let mut again = || (c.runs_in("tick", "success").iter()).any(|r| r.claimed > resumed);
    if !until(Duration::from_secs(5), &mut again) {
        let logs = stop_all(nodes);
        panic!("no run after resume: {:#?}\n{}", c.runs(), logs.join("\n"));
    }
    // The paused time is not replayed: no slot of it ran.
    let replayed: Vec<_> = (c.runs().into_iter())
        .filter(|r| r.job == "tick" && r.scheduled > paused && r.scheduled < resumed)
        .filter(|r| r.state != "missed")
        .collect();
    assert!(replayed.is_empty(), "{replayed:#?}");

    let asked = Instant::now();
    let out = c.dir.apsched(["run-now", "rare", "-f", "s.toml"]).run();
    let took = asked.elapsed();
    assert!(
        took < Duration::from_secs(3),
        "run-now took {took:?}: {out:?}"
    );
    let rare = c.runs_in("rare", "success");
    assert_eq!(rare.len(), 1, "{:#?}", c.runs());
    assert_eq!(rare[0].kind, "manual");
    let node = rare[0].node.clone().unwrap_or_default();
    assert!(["n1", "n2", "n3"].contains(&node.as_str()), "{rare:?}");
    assert!(
        out.stderr.contains(&format!("run {} ", rare[0].id)),
        "{out:?}"
    );
    stop_all(nodes);
    invariants::check(&mut c);
}
