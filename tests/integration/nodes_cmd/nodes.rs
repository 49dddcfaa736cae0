//! `apsched nodes`: the nodes of the cluster, alive or not, and whether
//! each runs this file's jobs; refused for a state that is not a database.

use super::{JOBS, node, schedule};
use crate::cluster::fixture::database;
use crate::harness::Dir;
use serde_json::Value;

#[test]
fn a_state_that_is_no_database_has_no_nodes() {
    let cases = [
        ("s.db", vec![], "this schedule keeps its state in s.db"),
        (
            "s.db",
            vec!["--state", "other.db"],
            "this schedule keeps its state in other.db",
        ),
        (
            ":memory:",
            vec![],
            "this schedule keeps no state (state = \":memory:\")",
        ),
    ];
    for (state, extra, tail) in cases {
        let dir = schedule(state, JOBS);
        let mut args = vec!["nodes", "s.toml"];
        args.extend(extra);
        dir.apsched(args)
            .status(2)
            .stderr(&format!(
                "apsched: error: apsched nodes needs a PostgreSQL state ([scheduler] state = \"postgresql://…\"); {tail}\n"
            ))
            .run();
        assert!(!dir.exists("s.db"), "nodes created the state file");
    }
}

#[test]
fn a_cluster_no_node_joined_says_so() {
    let Some(dsn) = database() else { return };
    let dir = schedule(&dsn, JOBS);
    dir.apsched(["nodes", "-f", "s.toml"])
        .stdout_contains("no node has joined this cluster yet (database \"")
        .stdout_contains("cluster \"default\"); apsched run joins it\n")
        .run();
    let out = dir.apsched(["nodes", "--json", "s.toml"]).run();
    assert_eq!(out.json(), Value::Array(Vec::new()));
}

fn json_nodes(dir: &Dir, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["nodes", "--json", "s.toml"];
    all.extend(args);
    dir.apsched(all)
        .run()
        .json()
        .as_array()
        .expect("an array")
        .clone()
}

#[test]
fn nodes_show_who_runs_alive_and_with_which_jobs() {
    let Some(dsn) = database() else { return };
    let dir = schedule(&dsn, JOBS);
    let n1 = node(&dir, "n1");
    // Another file, its state named by --state: other jobs.
    let other = schedule(
        "other.db",
        "[jobs.daily]\ncommand = \"true\"\ncron = \"@daily\"\n",
    );
    let n2 = other
        .apsched(["run", "s.toml", "--node-id", "n2", "--state", &dsn])
        .spawn();
    n2.wait_started();
    let out = dir.apsched(["nodes", "s.toml"]).run();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stdout);
    let head: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        head,
        [
            "NODE", "HOST", "PID", "VERSION", "ALIVE", "LAST", "SEEN", "SAME", "CONFIG"
        ]
    );
    let pid = n1.pid().to_string();
    let version = env!("CARGO_PKG_VERSION");
    let row: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(row[0], "n1");
    assert_eq!(&row[2..5], [pid.as_str(), version, "yes"]);
    assert!(row[5].ends_with('s') && row[6] == "ago", "{}", lines[1]);
    assert_eq!(row[7], "yes");
    let row: Vec<&str> = lines[2].split_whitespace().collect();
    assert_eq!((row[0], row[4], row[7]), ("n2", "yes", "no"));

    // The same through APSCHED_DATABASE_URL, as JSON.
    let nodes: Vec<Value> = {
        let out = Dir::new()
            .file("t.toml", format!("[scheduler]\ntimezone = \"UTC\"\n{JOBS}"))
            .apsched(["nodes", "--json", "-f", "t.toml"])
            .env("APSCHED_DATABASE_URL", &dsn)
            .run();
        out.json().as_array().expect("an array").clone()
    };
    assert_eq!(nodes.len(), 2);
    assert_eq!(nodes[0]["id"], "n1");
    assert_eq!(nodes[0]["pid"], n1.pid());
    assert_eq!(nodes[0]["version"], version);
    assert_eq!(nodes[0]["alive"], true);
    assert_eq!(nodes[0]["same_config"], true);
    assert_eq!(nodes[1]["same_config"], false);
    assert!(
        nodes[0]["last_seen_seconds"]
            .as_f64()
            .is_some_and(|s| (0.0..30.0).contains(&s))
    );
    assert!(nodes[0]["hostname"].as_str().is_some_and(|h| !h.is_empty()));
    assert!(
        nodes[0]["started"]
            .as_str()
            .is_some_and(|s| s.ends_with("+00:00"))
    );
    assert_eq!(nodes[0]["config_hash"].as_str().map(str::len), Some(16));

    // From the other file's side (--state names the database): n2 runs
    // its jobs, n1 does not.
    let out = other
        .apsched(["nodes", "s.toml", "--json", "--state", &dsn])
        .run();
    let nodes = out.json();
    assert_eq!(
        (&nodes[0]["id"], &nodes[0]["same_config"]),
        (&"n1".into(), &false.into())
    );
    assert_eq!(
        (&nodes[1]["id"], &nodes[1]["same_config"]),
        (&"n2".into(), &true.into())
    );

    // A node stopped cleanly is no longer alive; its row stays.
    assert_eq!(n1.stop().code, Some(0));
    let nodes = json_nodes(&dir, &[]);
    assert_eq!(
        (&nodes[0]["id"], &nodes[0]["alive"]),
        (&"n1".into(), &false.into())
    );
    assert_eq!(nodes[1]["alive"], true);
    n2.stop();
}
