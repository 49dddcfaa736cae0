//! Restarts with a state file, run as a user would: the real binary, real
//! short jobs, and libfaketime to start it at chosen moments, so an hour of
//! downtime takes no time. `.ci/run` installs faketime; without it (and
//! without `APSCHED_REQUIRE_FAKETIME=1`) the downtime tests say so and pass.

use crate::harness::poll::{PATIENCE, count_lines, lines_in, until};
use crate::harness::{Dir, Running, faketime};
use serde_json::Value;
use std::thread::sleep;
use std::time::Duration;

const HEAD: &str = r#"[scheduler]
timezone = "UTC"
state = "s.db"
"#;

fn setup(file: &str) -> Dir {
    Dir::new().file("s.toml", format!("{HEAD}{file}"))
}

/// `apsched run s.toml` with its clock starting at `at`.
fn run_at(dir: &Dir, at: &str) -> Running {
    dir.run().at(at).spawn()
}

const EVERY_MINUTE: &str = r#"[jobs.m]
command = "echo run >> runs.txt"
cron = "* * * * *"
"#;

#[test]
fn downtime_past_the_grace_time_is_missed_and_the_rest_coalesces() {
    if !faketime() {
        return;
    }
    let dir = setup(&format!(
        r#"{EVERY_MINUTE}misfire_grace_time = "10m"
"#
    ));
    run_at(&dir, "2027-01-01 00:00:58").stop_when("job_executed", 1);
    assert_eq!(count_lines(&dir.join("runs.txt")), 1, "00:01 ran");
    // An hour later: 00:02 .. 01:00 are due; before 00:50:30 they are missed.
    let err = run_at(&dir, "2027-01-01 01:00:30")
        .stop_when("job_executed", 1)
        .stderr;
    assert!(
        err.contains("job_catch_up job=m due=59 missed=49 run=1 coalesced=9"),
        "{err}"
    );
    assert_eq!(count_lines(&dir.join("runs.txt")), 2, "one coalesced run");
    let rows = dir.history();
    let missed = rows
        .iter()
        .find(|r| r["result"] == "missed")
        .expect("a missed row");
    assert_eq!(
        (missed["count"].as_i64(), missed["scheduled"].as_str()),
        (Some(49), Some("2027-01-01T00:02:00+00:00"))
    );
    assert_eq!(missed["scheduled_last"], "2027-01-01T00:50:00+00:00");
    assert!(
        rows.iter()
            .any(|r| r["result"] == "success" && r["scheduled"] == "2027-01-01T01:00:00+00:00")
    );
}

#[test]
fn without_coalescing_each_missed_run_runs_in_order() {
    if !faketime() {
        return;
    }
    let dir = setup(&format!(
        r#"{EVERY_MINUTE}misfire_grace_time = "3m"
coalesce = false
"#
    ));
    run_at(&dir, "2027-01-01 00:00:58").stop_when("job_executed", 1);
    run_at(&dir, "2027-01-01 00:05:30").stop_when("job_executed", 3);
    assert_eq!(
        count_lines(&dir.join("runs.txt")),
        4,
        "00:01, then 00:03, 00:04, 00:05"
    );
    let rows = dir.history();
    let ran: Vec<&str> = rows
        .iter()
        .filter(|r| r["result"] == "success")
        .filter_map(|r| r["scheduled"].as_str())
        .collect();
    assert_eq!(
        ran,
        [
            "2027-01-01T00:05:00+00:00",
            "2027-01-01T00:04:00+00:00",
            "2027-01-01T00:03:00+00:00",
            "2027-01-01T00:01:00+00:00"
        ]
    );
    assert!(
        rows.iter()
            .any(|r| r["result"] == "missed" && r["scheduled"] == "2027-01-01T00:02:00+00:00")
    );
}

#[test]
fn a_changed_trigger_starts_afresh() {
    if !faketime() {
        return;
    }
    let dir = setup(EVERY_MINUTE);
    run_at(&dir, "2027-01-01 00:00:58").stop_when("job_executed", 1);
    let every_half_hour = EVERY_MINUTE.replace("* * * * *", "*/30 * * * *");
    dir.write("s.toml", format!("{HEAD}{every_half_hour}"));
    let running = run_at(&dir, "2027-01-01 01:10:00");
    running.wait_started();
    // A catch-up would start at once.
    running.sleep_ms(500);
    let err = running.stop().stderr;
    assert!(
        err.contains("job_added job=m next_run_time=2027-01-01T01:30:00+00:00"),
        "{err}"
    );
    assert_eq!(count_lines(&dir.join("runs.txt")), 1, "no catch-up");
}

#[test]
fn kill_9_during_a_run_records_it_interrupted_and_never_replays_it() {
    if !faketime() {
        return;
    }
    let dir = setup(
        r#"[jobs.m]
command = "echo started >> runs.txt; sleep 3"
cron = "* * * * *"
"#,
    );
    let child = run_at(&dir, "2027-01-01 00:00:58");
    lines_in(&dir.join("runs.txt"), 1);
    child.kill_9();
    let err = run_at(&dir, "2027-01-01 00:01:30")
        .stop_when("state_interrupted", 1)
        .stderr;
    assert!(err.contains("state_interrupted interrupted=1"), "{err}");
    assert_eq!(
        count_lines(&dir.join("runs.txt")),
        1,
        "the 00:01 slot ran once"
    );
    let rows = dir.history();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0]["result"].as_str(), rows[0]["scheduled"].as_str()),
        (Some("interrupted"), Some("2027-01-01T00:01:00+00:00"))
    );
}

#[test]
fn a_second_scheduler_on_the_same_state_is_refused() {
    let dir = setup(EVERY_MINUTE);
    let first = dir.run().spawn();
    first.wait_started();
    let out = dir.run().output();
    let pid = first.pid();
    let code = first.stop().code;
    assert_eq!(code, Some(0));
    assert_eq!(out.code, Some(4));
    let err = out.stderr;
    assert!(
        err.contains(&format!("is in use by another apsched run (pid {pid})")),
        "{err}"
    );
}

#[test]
fn unusable_state_files_give_clear_errors() {
    let cases = [
        ("junk.db", "it is not an SQLite database"),
        (
            "no/such/dir/s.db",
            "does not exist; create it or set [scheduler] state",
        ),
        ("/proc/apsched-test.db", "cannot open it for writing"),
    ];
    for (state, message) in cases {
        let dir = setup(EVERY_MINUTE);
        dir.write(
            "junk.db",
            "not a database, only text, and long enough to be read",
        );
        let out = dir.run().args(["--state", state]).output();
        assert_eq!(out.code, Some(4), "{state}");
        let err = out.stderr;
        assert!(
            err.starts_with("apsched: error: state file") && err.contains(message),
            "{state}: {err}"
        );
    }
}

#[test]
fn pause_resume_and_run_now_without_a_running_scheduler() {
    let dir = setup(
        r#"[jobs.hello]
command = "echo hello from $APSCHED_JOB_ID"
cron = "@daily"
"#,
    );
    let out = dir.apsched(["pause", "hello", "-f", "s.toml"]).output();
    assert_eq!(
        out.stdout,
        "paused job hello: it takes effect when apsched run starts\n"
    );
    let list = dir.apsched(["list", "s.toml", "--json"]).output();
    let jobs: Value = serde_json::from_str(&list.stdout).expect("JSON");
    assert_eq!(
        (
            jobs[0]["paused"].as_bool(),
            jobs[0]["next_run_times"].clone()
        ),
        (Some(true), serde_json::json!([]))
    );
    dir.apsched(["resume", "hello", "-f", "s.toml"]).output();
    let out = dir.apsched(["run-now", "hello", "-f", "s.toml"]).output();
    assert_eq!(out.code, Some(0));
    assert_eq!(out.stdout, "hello| hello from hello\n");
    let rows = dir.history();
    assert_eq!(
        (rows[0]["result"].as_str(), rows[0]["exit_status"].as_i64()),
        (Some("success"), Some(0))
    );
    let id = rows[0]["id"].to_string();
    let output = dir
        .apsched(["history", "-f", "s.toml", "--output", &id])
        .output();
    assert_eq!(output.stdout, "hello from hello\n");
    let bad = dir.apsched(["pause", "helo", "-f", "s.toml"]).output();
    assert!(bad.stderr.contains("did you mean \"hello\"?"));
}

#[test]
fn a_year_of_downtime_is_counted_not_listed() {
    if !faketime() {
        return;
    }
    let dir = setup(
        r#"[jobs.s]
command = "echo run >> runs.txt"
trigger = "interval"
seconds = 1
misfire_grace_time = "30s"
"#,
    );
    run_at(&dir, "2027-01-01 00:00:00").stop_when("job_executed", 1);
    let err = run_at(&dir, "2028-01-01 00:00:00")
        .stop_when("job_executed", 1)
        .stderr;
    let line = err
        .lines()
        .find(|l| l.contains("job_catch_up"))
        .unwrap_or_else(|| panic!("no catch-up line: {err}"));
    // 2027 has 31,536,000 seconds; those more than 30 s late are missed.
    assert!(line.contains("missed=315359"), "{line}");
    let rows = dir.history();
    let missed: Vec<&Value> = rows.iter().filter(|r| r["result"] == "missed").collect();
    assert_eq!(missed.len(), 1, "one summary row");
    assert!(
        missed[0]["count"].as_i64().is_some_and(|n| n > 31_535_000),
        "{:?}",
        missed[0]
    );
}

#[test]
fn pause_resume_and_run_now_reach_a_running_scheduler() {
    let dir = setup(
        r#"[jobs.t]
command = "echo t >> t.txt"
trigger = "interval"
seconds = 1
[jobs.once]
command = "echo once >> once.txt"
cron = "@yearly"
"#,
    );
    let child = dir.run().spawn();
    child.wait_for_stderr("job_executed job=t", 1);
    let out = dir.apsched(["pause", "t", "-f", "s.toml"]).output();
    assert!(out.stdout.contains("picks it up now"));
    child.wait_for_stderr("job_paused job=t", 1);
    // A run that started before the pause ends.
    sleep(Duration::from_millis(300));
    let paused_at = count_lines(&dir.join("t.txt"));
    sleep(Duration::from_millis(1500));
    assert_eq!(
        count_lines(&dir.join("t.txt")),
        paused_at,
        "no runs while paused"
    );
    let list = dir.apsched(["list", "s.toml", "--json"]).output();
    let jobs: Value = serde_json::from_str(&list.stdout).expect("JSON");
    assert_eq!(jobs[0]["paused"], true);
    dir.apsched(["resume", "t", "-f", "s.toml"]).output();
    let out = dir.apsched(["run-now", "once", "-f", "s.toml"]).output();
    // It waits for the run and reports it.
    assert_eq!(out.code, Some(0));
    assert!(out.stderr.contains("of job once succeeded"));
    assert_eq!(
        count_lines(&dir.join("once.txt")),
        1,
        "ran before run-now returned"
    );
    until(PATIENCE, || count_lines(&dir.join("t.txt")) > paused_at);
    let done = child.stop();
    let (code, err) = (done.code, done.stderr);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        count_lines(&dir.join("t.txt")) > paused_at,
        "runs again after resume: {err}"
    );
    assert_eq!(count_lines(&dir.join("once.txt")), 1, "{err}");
    assert!(
        err.contains("job_paused job=t") && err.contains("job_resumed job=t"),
        "{err}"
    );
}
