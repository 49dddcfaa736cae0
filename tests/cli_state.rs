//! Restarts with a state file, run as a user would: the real binary, real
//! short jobs, and libfaketime to start it at chosen moments, so an hour of
//! downtime takes no time. `.ci/run` installs faketime; without it (and
//! without APSCHED_REQUIRE_FAKETIME=1) the downtime tests say so and pass.

mod common {
    pub mod sched;
}

use common::sched::{apsched, faketime_lib};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::thread::sleep;
use std::time::Duration;

/// Runs `apsched run s.toml` starting at the fake time `at` for `secs`, then
/// SIGTERM; returns its stderr.
fn run_for(dir: &Path, fake: Option<(&Path, &str)>, secs: f64) -> String {
    let child = apsched(dir, fake, &["run", "s.toml"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    sleep(Duration::from_secs_f64(secs));
    stop(child).1
}

fn stop(child: Child) -> (Option<i32>, String) {
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    // SAFETY: signaling our own child.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let out = child.wait_with_output().expect("ends");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn history(dir: &Path) -> Vec<Value> {
    let out = apsched(
        dir,
        None,
        &["history", "-f", "s.toml", "--json", "-n", "100"],
    )
    .output()
    .expect("history");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    rows.as_array().cloned().unwrap_or_default()
}

fn lines(path: PathBuf) -> usize {
    fs::read_to_string(path).unwrap_or_default().lines().count()
}

fn setup(file: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("dir");
    fs::write(
        dir.path().join("s.toml"),
        format!("[scheduler]\ntimezone = \"UTC\"\nstate = \"s.db\"\n{file}"),
    )
    .expect("write");
    dir
}

const EVERY_MINUTE: &str = "[jobs.m]\ncommand = \"echo run >> runs.txt\"\ncron = \"* * * * *\"\n";

#[test]
fn downtime_past_the_grace_time_is_missed_and_the_rest_coalesces() {
    let Some(lib) = faketime_lib() else { return };
    let dir = setup(&format!("{EVERY_MINUTE}misfire_grace_time = \"10m\"\n"));
    run_for(dir.path(), Some((&lib, "2027-01-01 00:00:58")), 3.0);
    assert_eq!(lines(dir.path().join("runs.txt")), 1, "00:01 ran");
    // An hour later: 00:02 .. 01:00 are due; before 00:50:30 they are missed.
    let err = run_for(dir.path(), Some((&lib, "2027-01-01 01:00:30")), 1.5);
    assert!(
        err.contains("job_catch_up job=m due=59 missed=49 run=1 coalesced=9"),
        "{err}"
    );
    assert_eq!(lines(dir.path().join("runs.txt")), 2, "one coalesced run");
    let rows = history(dir.path());
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
    let Some(lib) = faketime_lib() else { return };
    let dir = setup(&format!(
        "{EVERY_MINUTE}misfire_grace_time = \"3m\"\ncoalesce = false\n"
    ));
    run_for(dir.path(), Some((&lib, "2027-01-01 00:00:58")), 3.0);
    run_for(dir.path(), Some((&lib, "2027-01-01 00:05:30")), 2.0);
    assert_eq!(
        lines(dir.path().join("runs.txt")),
        4,
        "00:01, then 00:03, 00:04, 00:05"
    );
    let rows = history(dir.path());
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
    let Some(lib) = faketime_lib() else { return };
    let dir = setup(EVERY_MINUTE);
    run_for(dir.path(), Some((&lib, "2027-01-01 00:00:58")), 3.0);
    fs::write(
        dir.path().join("s.toml"),
        format!(
            "[scheduler]\ntimezone = \"UTC\"\nstate = \"s.db\"\n{}",
            EVERY_MINUTE.replace("* * * * *", "*/30 * * * *")
        ),
    )
    .expect("rewrite");
    let err = run_for(dir.path(), Some((&lib, "2027-01-01 01:10:00")), 1.5);
    assert!(
        err.contains("job_added job=m next_run_time=2027-01-01T01:30:00+00:00"),
        "{err}"
    );
    assert_eq!(lines(dir.path().join("runs.txt")), 1, "no catch-up");
}

#[test]
fn kill_9_during_a_run_records_it_interrupted_and_never_replays_it() {
    let Some(lib) = faketime_lib() else { return };
    let dir =
        setup("[jobs.m]\ncommand = \"echo started >> runs.txt; sleep 3\"\ncron = \"* * * * *\"\n");
    let mut child = apsched(
        dir.path(),
        Some((&lib, "2027-01-01 00:00:58")),
        &["run", "s.toml"],
    )
    .stderr(Stdio::null())
    .spawn()
    .expect("starts");
    sleep(Duration::from_millis(2800));
    child.kill().expect("kill -9");
    let _ = child.wait();
    let err = run_for(dir.path(), Some((&lib, "2027-01-01 00:01:30")), 1.5);
    assert!(err.contains("state_interrupted interrupted=1"), "{err}");
    assert_eq!(
        lines(dir.path().join("runs.txt")),
        1,
        "the 00:01 slot ran once"
    );
    let rows = history(dir.path());
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0]["result"].as_str(), rows[0]["scheduled"].as_str()),
        (Some("interrupted"), Some("2027-01-01T00:01:00+00:00"))
    );
}

#[test]
fn a_second_scheduler_on_the_same_state_is_refused() {
    let dir = setup(EVERY_MINUTE);
    let first = apsched(dir.path(), None, &["run", "s.toml"])
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    sleep(Duration::from_millis(700));
    let out: Output = apsched(dir.path(), None, &["run", "s.toml"])
        .output()
        .expect("second");
    let pid = first.id();
    let (code, _) = stop(first);
    assert_eq!(code, Some(0));
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
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
        fs::write(
            dir.path().join("junk.db"),
            "not a database, only text, and long enough to be read",
        )
        .expect("junk");
        let out = apsched(dir.path(), None, &["run", "s.toml", "--state", state])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(4), "{state}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("apsched: error: state file") && err.contains(message),
            "{state}: {err}"
        );
    }
}

#[test]
fn pause_resume_and_run_now_without_a_running_scheduler() {
    let dir =
        setup("[jobs.hello]\ncommand = \"echo hello from $APSCHED_JOB_ID\"\ncron = \"@daily\"\n");
    let out = apsched(dir.path(), None, &["pause", "hello", "-f", "s.toml"])
        .output()
        .expect("pause");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "paused job hello: it takes effect when apsched run starts\n"
    );
    let list = apsched(dir.path(), None, &["list", "s.toml", "--json"])
        .output()
        .expect("list");
    let jobs: Value = serde_json::from_slice(&list.stdout).expect("JSON");
    assert_eq!(
        (
            jobs[0]["paused"].as_bool(),
            jobs[0]["next_run_times"].clone()
        ),
        (Some(true), serde_json::json!([]))
    );
    apsched(dir.path(), None, &["resume", "hello", "-f", "s.toml"])
        .output()
        .expect("resume");
    let out = apsched(dir.path(), None, &["run-now", "hello", "-f", "s.toml"])
        .output()
        .expect("run-now");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "hello| hello from hello\n"
    );
    let rows = history(dir.path());
    assert_eq!(
        (rows[0]["result"].as_str(), rows[0]["exit_status"].as_i64()),
        (Some("success"), Some(0))
    );
    let id = rows[0]["id"].to_string();
    let output = apsched(
        dir.path(),
        None,
        &["history", "-f", "s.toml", "--output", &id],
    )
    .output()
    .expect("output");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "hello from hello\n"
    );
    let bad = apsched(dir.path(), None, &["pause", "helo", "-f", "s.toml"])
        .output()
        .expect("typo");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("did you mean \"hello\"?"));
}

#[test]
fn a_year_of_downtime_is_counted_not_listed() {
    let Some(lib) = faketime_lib() else { return };
    let dir = setup(
        "[jobs.s]\ncommand = \"echo run >> runs.txt\"\ntrigger = \"interval\"\nseconds = 1\nmisfire_grace_time = \"30s\"\n",
    );
    run_for(dir.path(), Some((&lib, "2027-01-01 00:00:00")), 1.6);
    let err = run_for(dir.path(), Some((&lib, "2028-01-01 00:00:00")), 1.2);
    let line = err
        .lines()
        .find(|l| l.contains("job_catch_up"))
        .unwrap_or_else(|| panic!("no catch-up line: {err}"));
    // 2027 has 31,536,000 seconds; those more than 30 s late are missed.
    assert!(line.contains("missed=315359"), "{line}");
    let rows = history(dir.path());
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
        "[jobs.t]\ncommand = \"echo t >> t.txt\"\ntrigger = \"interval\"\nseconds = 1\n[jobs.once]\ncommand = \"echo once >> once.txt\"\ncron = \"@yearly\"\n",
    );
    let child = apsched(dir.path(), None, &["run", "s.toml"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    sleep(Duration::from_millis(1500));
    let out = apsched(dir.path(), None, &["pause", "t", "-f", "s.toml"])
        .output()
        .expect("pause");
    assert!(String::from_utf8_lossy(&out.stdout).contains("picks it up now"));
    sleep(Duration::from_millis(300));
    let paused_at = lines(dir.path().join("t.txt"));
    sleep(Duration::from_millis(1500));
    assert_eq!(
        lines(dir.path().join("t.txt")),
        paused_at,
        "no runs while paused"
    );
    let list = apsched(dir.path(), None, &["list", "s.toml", "--json"])
        .output()
        .expect("list while running");
    let jobs: Value = serde_json::from_slice(&list.stdout).expect("JSON");
    assert_eq!(jobs[0]["paused"], true);
    apsched(dir.path(), None, &["resume", "t", "-f", "s.toml"])
        .output()
        .expect("resume");
    let out = apsched(dir.path(), None, &["run-now", "once", "-f", "s.toml"])
        .output()
        .expect("run-now");
    // It waits for the run and reports it.
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("of job once succeeded"));
    assert_eq!(
        lines(dir.path().join("once.txt")),
        1,
        "ran before run-now returned"
    );
    sleep(Duration::from_millis(1500));
    let (code, err) = stop(child);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        lines(dir.path().join("t.txt")) > paused_at,
        "runs again after resume: {err}"
    );
    assert_eq!(lines(dir.path().join("once.txt")), 1, "{err}");
    assert!(
        err.contains("job_paused job=t") && err.contains("job_resumed job=t"),
        "{err}"
    );
}
