//! A rolling change of a trigger: the newer file's trigger is kept (its
//! `[cluster] generation`), the nodes still on the older file do not claim
//! the job and say why, and `list` and `nodes` with the older file report
//! the mismatch.

use super::interval_job;
use super::nodes::{Cluster, NAME, stop_all};
use crate::harness::poll::until;
use std::time::Duration;

#[test]
fn the_newer_files_trigger_wins_and_the_older_nodes_report_a_mismatch() {
    let Some(mut c) = Cluster::new(&interval_job("tick", 1, "")) else {
        return;
    };
    // The same file with the job every 2 s and a higher generation.
    let old = c.dir.read("s.toml");
    let newer = old.replace("seconds = 1", "seconds = 2").replace(
        &format!("name = \"{NAME}\""),
        &format!("name = \"{NAME}\"\ngeneration = 2"),
    );
    let old = old.replace(
        &format!("name = \"{NAME}\""),
        &format!("name = \"{NAME}\"\ngeneration = 1"),
    );
    std::fs::write(c.dir.path().join("s.toml"), &old).expect("write");
    std::fs::write(c.dir.path().join("new.toml"), &newer).expect("write");
    let n1 = c.node("n1");
    until(Duration::from_secs(5), || c.ledger().len() >= 2);
    let n2 = c
        .dir
        .apsched(["run", "new.toml", "-v", "--node-id", "n2"])
        .spawn();
    n2.wait_started();
    let switched = until(Duration::from_secs(8), || {
        n1.stderr().contains("config_mismatch")
    });
    let list = c.dir.apsched(["list", "s.toml"]).status(0).run();
    let list_json = c
        .dir
        .apsched(["list", "s.toml", "--json"])
        .status(0)
        .run()
        .json();
    let check = c.dir.apsched(["check", "s.toml"]).status(0).run();
    let nodes = c.dir.apsched(["nodes", "s.toml", "--json"]).status(0).run();
    std::thread::sleep(Duration::from_secs(3));
    let logs = stop_all(vec![n1, n2]);
    assert!(switched, "{logs:#?}");
    assert!(
        list.stdout
            .contains("config_mismatch: the cluster runs another trigger"),
        "{}",
        list.stdout
    );
    assert_eq!(list_json[0]["status"], "config_mismatch", "{list_json:#}");
    assert!(
        check
            .stdout
            .contains("config_mismatch: the cluster runs another trigger"),
        "{}",
        check.stdout
    );
    // The newer file sees no mismatch.
    let newer_list = c
        .dir
        .apsched(["list", "new.toml", "--json"])
        .status(0)
        .run()
        .json();
    assert_ne!(newer_list[0]["status"], "config_mismatch", "{newer_list:#}");
    let nodes = nodes.json();
    let same: Vec<(String, bool)> = (nodes.as_array().expect("an array").iter())
        .map(|n| {
            (
                n["id"].as_str().unwrap_or_default().to_string(),
                n["same_config"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(same, [("n1".to_string(), true), ("n2".to_string(), false)]);
    // After the switch every run is the newer trigger's: 2 s apart, on n2.
    let runs = c.runs_in("tick", "success");
    let last: Vec<_> = runs.iter().rev().take(2).collect();
    assert_eq!(last.len(), 2, "{runs:#?}");
    assert_eq!(
        (last[0].scheduled - last[1].scheduled).num_seconds(),
        2,
        "{runs:#?}"
    );
    assert!(
        last.iter().all(|r| r.node.as_deref() == Some("n2")),
        "{runs:#?}"
    );
}
