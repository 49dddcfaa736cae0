//! The record of runs through the real binary: output saved for every run,
//! log run numbers equal to history ids across restarts, and the order of a
//! merged stdout+stderr.

use crate::harness::poll::{PATIENCE, field, until};
use crate::harness::{Dir, faketime};
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Write as _;

const TALK: &str = r#"[jobs.talk]
command = "echo out-line; sleep 0.1; echo err-line >&2"
trigger = "interval"
seconds = 1
"#;

fn output_of(dir: &Dir, run: &str) -> String {
    dir.apsched(["history", "-f", "s.toml", "--output", run])
        .run()
        .stdout
}

#[test]
fn every_scheduled_run_keeps_both_streams_unprefixed_under_the_number_the_log_shows() {
    let dir = Dir::schedule(TALK);
    let first = dir.run().spawn().stop_when("job_executed", 2).stderr;
    let second = dir.run().spawn().stop_when("job_executed", 1).stderr;
    let logged: Vec<String> = [first.as_str(), second.as_str()]
        .iter()
        .flat_map(|log| field(log, "job_executed", "run"))
        .collect();
    assert!(logged.len() >= 3, "{first}\n{second}");
    let second_start = field(&second, "job_submitted", "run");
    assert!(!second_start.is_empty(), "{second}");

    let history = dir.history();
    let ids: BTreeSet<String> = history
        .iter()
        .filter(|r| r["result"] == "success")
        .map(|r| r["id"].to_string())
        .collect();
    let logged_set: BTreeSet<String> = logged.iter().cloned().collect();
    assert_eq!(logged_set, ids, "log run numbers are the history's ids");
    for run in &logged {
        assert_eq!(output_of(&dir, run), "out-line\nerr-line\n", "run {run}");
    }
}

#[test]
fn run_now_keeps_the_same_bytes_as_a_scheduled_run() {
    let dir = Dir::schedule(TALK);
    let out = dir.apsched(["run-now", "talk", "-f", "s.toml"]).run();
    assert_eq!(out.stdout, "talk| out-line\n");
    assert!(out.stderr.contains("talk| err-line\n"));
    let id = dir.history()[0]["id"].to_string();
    assert_eq!(output_of(&dir, &id), "out-line\nerr-line\n");
}

#[test]
fn in_a_merged_stream_job_output_never_precedes_its_submission() {
    if !faketime() {
        return;
    }
    let mut jobs = String::new();
    for i in 0..4 {
        // Writing to a String cannot fail.
        let _ = write!(
            jobs,
            r#"[jobs.j{i}]
command = "echo from-j{i}"
cron = "* * * * * *"
"#
        );
    }
    let dir = Dir::schedule(&jobs);
    dir.run()
        .at("2027-01-01 00:00:00")
        .spawn()
        .stop_when("job_executed", 4);
    // A restart an hour later: every job catches up at once.
    let running = dir
        .run()
        .args(["--log-format", "json"])
        .at("2027-01-01 01:00:00")
        .merged()
        .spawn();
    until(PATIENCE, || {
        running.stdout().matches("job_output").count() >= 8
    });
    let merged = running.stop().stdout;
    let lines: Vec<Value> = merged
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(lines[0]["event"], "scheduler_started", "{merged}");
    let mut submitted = BTreeSet::new();
    let mut outputs = 0;
    for line in &lines {
        match line["event"].as_str() {
            Some("job_submitted") => {
                submitted.insert(line["run"].as_i64().expect("a number"));
            }
            Some("job_output") => {
                outputs += 1;
                let run = line["run"].as_i64().expect("a number");
                assert!(
                    submitted.contains(&run),
                    "output of run {run} before its submission:\n{merged}"
                );
            }
            _ => {}
        }
    }
    assert!(outputs >= 8, "{merged}");
}
