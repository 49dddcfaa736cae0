//! `list` and `check` show what `apsched run` will do: from the state file
//! when there is one (the saved anchor and next run, pauses), a passed
//! `run_date` due or missed by the grace time. libfaketime starts apsched
//! at chosen moments; without it (and without `APSCHED_REQUIRE_FAKETIME=1`)
//! those tests say so and pass.

use crate::harness::poll::until;
use crate::harness::{Dir, Output, faketime};
use serde_json::Value;
use std::time::Duration;

fn json(out: &Output) -> Value {
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    out.json()
}

const HEAD: &str = r#"[scheduler]
timezone = "UTC"
state = "s.db"
"#;

fn setup(jobs: &str) -> Dir {
    Dir::new().file("s.toml", format!("{HEAD}{jobs}"))
}

#[test]
fn interval_jobs_keep_the_anchor_of_the_running_scheduler() {
    if !faketime() {
        return;
    }
    let dir = setup(
        r#"[jobs.i]
command = "true"
trigger = "interval"
minutes = 10
misfire_grace_time = "1m"
"#,
    );
    let running = dir.run().at("2027-01-01 00:00:00").spawn();
    running.wait_started();
    let list = |when: &str| {
        let out = dir
            .apsched(["list", "s.toml", "--json", "-n", "2"])
            .at(when)
            .output();
        json(&out)[0].clone()
    };
    // Five and a half minutes later, still running: the saved slots, not
    // ten minutes after 00:05:30. (The scheduler may take a moment to save
    // them on a loaded machine.)
    let mut job = Value::Null;
    until(Duration::from_secs(4), || {
        job = list("2027-01-01 00:05:30");
        job["next_run_times"][0] == "2027-01-01T00:10:00+00:00"
    });
    assert_eq!(
        job["next_run_times"],
        serde_json::json!(["2027-01-01T00:10:00+00:00", "2027-01-01T00:20:00+00:00"])
    );
    assert_eq!(job["status"], "scheduled");
    drop(running);
    // Stopped for an hour: the 01:00 slot is within its minute of grace.
    let job = list("2027-01-01 01:00:30");
    assert_eq!(job["status"], "due");
    assert_eq!(job["next_run_times"][0], "2027-01-01T00:10:00+00:00");
    let job = list("2027-01-01 01:05:00");
    assert_eq!(job["status"], "missed");
    assert_eq!(job["next_run_times"][0], "2027-01-01T01:10:00+00:00");
    let text = dir
        .apsched(["check", "s.toml"])
        .at("2027-01-01 00:05:30")
        .output()
        .stdout;
    assert!(text.contains("next 2027-01-01T00:10:00+00:00"), "{text}");
}

#[test]
fn a_passed_run_date_is_due_now_or_missed() {
    let dir = setup(
        r#"[jobs.late]
command = "true"
trigger = "date"
run_date = "2020-01-01T00:00:00"
[jobs.gone]
command = "true"
trigger = "date"
run_date = "2020-01-01T00:00:00"
misfire_grace_time = "1h"
"#,
    );
    let out = dir
        .apsched(["list", "s.toml"])
        .stdout_contains("due now (2020-01-01T00:00:00+00:00)")
        .run();
    let table = out.stdout;
    let gone = table.lines().find(|l| l.contains(" gone ")).unwrap_or("");
    assert!(
        gone.contains("missed: run_date passed ")
            && gone.contains(" days ago, beyond misfire_grace_time 1h"),
        "{table}"
    );
    dir.apsched(["check", "s.toml"])
        .stdout_contains("due now (2020-01-01T00:00:00+00:00)")
        .stdout_contains("missed: run_date passed ")
        .run();
    let out = dir.apsched(["list", "s.toml", "--json"]).run();
    let jobs = json(&out);
    assert_eq!(
        (jobs[0]["status"].as_str(), jobs[1]["status"].as_str()),
        (Some("due"), Some("missed"))
    );
    assert!(!dir.path().join("s.db").exists(), "list wrote state");
}

#[test]
fn a_resume_of_a_job_the_file_pauses_shows_it_running() {
    let dir = setup(
        r#"[jobs.p]
command = "true"
cron = "@daily"
paused = true
"#,
    );
    let paused = |want: bool| {
        let out = dir.apsched(["list", "s.toml", "--json"]).run();
        let jobs = json(&out);
        assert_eq!(jobs[0]["paused"], want, "{jobs}");
        assert_eq!(
            jobs[0]["next_run_times"].as_array().map(Vec::is_empty),
            Some(want)
        );
    };
    paused(true);
    dir.apsched(["resume", "p", "-f", "s.toml"]).run();
    paused(false);
}
