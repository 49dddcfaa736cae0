//! The node of each run: a NODE column in `history` and `list` and `node`
//! and `last_node` in their JSON for a PostgreSQL state, the live nodes
//! under `list`'s table; an SQLite state's tables unchanged, its JSON
//! fields null.

use super::{node, schedule};
use crate::cluster::fixture::database;
use crate::harness::Dir;
use serde_json::Value;

/// A job that runs every second.
const EVERY_SECOND: &str = r#"[jobs.tick]
command = "true"
trigger = "interval"
seconds = 1
"#;

fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

fn json(dir: &Dir, args: &[&str]) -> Value {
    dir.apsched(args).run().json()
}

#[test]
fn an_sqlite_state_shows_no_node() {
    let dir = schedule("s.db", EVERY_SECOND);
    let running = dir.run().spawn();
    running.wait_for_stderr("job_executed", 1);
    running.stop();
    let out = dir.apsched(["history", "-f", "s.toml"]).run();
    assert_eq!(
        words(out.stdout.lines().next().unwrap_or_default()),
        [
            "RUN",
            "JOB",
            "SCHEDULED",
            "STARTED",
            "DURATION",
            "RESULT",
            "EXIT"
        ]
    );
    let runs = json(&dir, &["history", "-f", "s.toml", "--json"]);
    assert_eq!(runs[0]["node"], Value::Null);
    assert!(runs[0].as_object().is_some_and(|o| o.contains_key("node")));
    let out = dir.apsched(["list", "s.toml"]).run();
    assert_eq!(
        words(out.stdout.lines().next().unwrap_or_default()),
        [
            "ID", "TRIGGER", "MEANING", "NEXT", "RUN", "IN", "LAST", "RUN", "RESULT"
        ]
    );
    assert!(!out.stdout.contains("nodes:"), "{}", out.stdout);
    let jobs = json(&dir, &["list", "s.toml", "--json"]);
    assert_eq!(jobs[0]["last_node"], Value::Null);
    assert!(
        jobs[0]
            .as_object()
            .is_some_and(|o| o.contains_key("last_node"))
    );
}

#[test]
fn a_cluster_shows_the_node_of_each_run_and_its_live_nodes() {
    let Some(dsn) = database() else { return };
    let dir = schedule(&dsn, EVERY_SECOND);
    let n1 = node(&dir, "n1");
    n1.wait_for_stderr("job_executed", 1);
    let out = dir.apsched(["list", "s.toml"]).run();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        words(lines[0]),
        [
            "ID", "TRIGGER", "MEANING", "NEXT", "RUN", "IN", "LAST", "RUN", "RESULT", "NODE"
        ]
    );
    assert_eq!(
        words(lines[1]).last().copied(),
        Some("n1"),
        "{}",
        out.stdout
    );
    assert_eq!(lines.last().copied(), Some("nodes: n1 (1 live)"));
    let jobs = json(&dir, &["list", "s.toml", "--json"]);
    assert_eq!(jobs[0]["last_node"], "n1");
    assert_eq!(jobs[0]["last_run"]["node"], "n1");
    n1.stop();

    let out = dir.apsched(["history", "-f", "s.toml", "-n", "1"]).run();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        words(lines[0]),
        [
            "RUN",
            "JOB",
            "SCHEDULED",
            "STARTED",
            "DURATION",
            "RESULT",
            "EXIT",
            "NODE"
        ]
    );
    assert_eq!(words(lines[1])[1], "tick");
    assert_eq!(
        words(lines[1]).last().copied(),
        Some("n1"),
        "{}",
        out.stdout
    );
    let runs = json(&dir, &["history", "-f", "s.toml", "--json"]);
    assert_eq!(runs[0]["node"], "n1");
    let out = dir.apsched(["list", "s.toml"]).run();
    assert_eq!(out.stdout.lines().last(), Some("nodes: none live"));
}

#[test]
fn a_run_no_node_claimed_shows_a_dash() {
    let Some(dsn) = database() else { return };
    let dir = schedule(&dsn, EVERY_SECOND);
    // No scheduler runs: run-now runs the job itself, as no node.
    dir.apsched(["run-now", "tick", "-f", "s.toml"]).run();
    let out = dir.apsched(["history", "-f", "s.toml"]).run();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(words(lines[1]).last().copied(), Some("-"), "{}", out.stdout);
    let runs = json(&dir, &["history", "-f", "s.toml", "--json"]);
    assert_eq!(runs[0]["node"], Value::Null);
    let jobs = json(&dir, &["list", "s.toml", "--json"]);
    assert_eq!(jobs[0]["last_run"]["result"], "success");
    assert_eq!(jobs[0]["last_node"], Value::Null);
}
