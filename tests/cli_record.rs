//! The record of runs through the real binary: output saved for every run,
//! log run numbers equal to history ids across restarts, and the order of a
//! merged stdout+stderr.

mod common {
    pub mod sched;
}

use common::sched::{Dir, faketime_lib, field};
use serde_json::Value;
use std::collections::BTreeSet;

const TALK: &str = "[jobs.talk]\ncommand = \"echo out-line; sleep 0.1; echo err-line >&2\"\ntrigger = \"interval\"\nseconds = 1\n";

fn output_of(dir: &Dir, run: &str) -> String {
    let out = dir.output(&["history", "-f", "s.toml", "--output", run]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn every_scheduled_run_keeps_both_streams_unprefixed_under_the_number_the_log_shows() {
    let dir = Dir::new(TALK);
    let (_, first) = dir.run_for(None, 3.5, &[]);
    let (_, second) = dir.run_for(None, 2.5, &[]);
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
    let dir = Dir::new(TALK);
    let out = dir.output(&["run-now", "talk", "-f", "s.toml"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), "talk| out-line\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("talk| err-line\n"));
    let id = dir.history()[0]["id"].to_string();
    assert_eq!(output_of(&dir, &id), "out-line\nerr-line\n");
}

#[test]
fn in_a_merged_stream_job_output_never_precedes_its_submission() {
    let Some(lib) = faketime_lib() else { return };
    let jobs: String = (0..4)
        .map(|i| format!("[jobs.j{i}]\ncommand = \"echo from-j{i}\"\ncron = \"* * * * * *\"\n"))
        .collect();
    let dir = Dir::new(&jobs);
    dir.run_for(Some((&lib, "2027-01-01 00:00:00")), 1.5, &[]);
    // A restart an hour later: every job catches up at once.
    let merged = dir.run_merged(
        Some((&lib, "2027-01-01 01:00:00")),
        2.5,
        &["--log-format", "json"],
    );
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
