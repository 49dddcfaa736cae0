//! What apsched says about mistakes and how it writes times, run as a user
//! would: cron expressions, schedule files, `check --json`, one time format.

mod support;

use serde_json::Value;
use std::fs;
use support::Test;

fn dir_with(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join(name), text).expect("write");
    dir
}

#[test]
fn a_year_in_six_fields_and_unquoted_expressions_are_explained() {
    Test::new()
        .args(&["validate", "0 0 1 1 * 2030"])
        .status(3)
        .stderr("apsched: error: invalid cron expression \"0 0 1 1 * 2030\": expression: 6 fields mean a leading seconds field (second minute hour day-of-month month day-of-week), so \"2030\" was read as the day of week; a year needs 7 fields, as in \"0 0 0 1 1 * 2030\"\n")
        .run();
    // `apsched validate 0 0 * * *` in a directory with files: the shell
    // replaced each * with them.
    let dir = dir_with("notes.txt", "");
    Test::new()
        .dir(dir.path())
        .args(&["validate", "0", "0", "notes.txt", "notes.txt", "notes.txt"])
        .status(3)
        .stderr_contains("(\"notes.txt\" is a file here: the shell replaced * with file names; quote the expression, as in apsched validate '0 0 * * *')")
        .run();
}

#[test]
fn errors_show_the_whole_token() {
    let cases = [
        ("0 0 * * fool", "day-of-week: \"fool\" is not a valid value"),
        (
            "0 0 foolW * *",
            "day-of-month: \"foolW\" is not a valid value",
        ),
        (
            "0 0 L-fool * *",
            "day-of-month: \"L-fool\": \"fool\" is not",
        ),
    ];
    for (expr, want) in cases {
        Test::new()
            .args(&["validate", expr])
            .status(3)
            .stderr_contains(want)
            .run();
    }
}

#[test]
fn one_fire_time_reads_in_the_singular_and_now_is_whole_seconds() {
    let out = Test::new()
        .args(&["validate", "-n", "1", "--after", "now", "* * * * *"])
        .run();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("next"))
        .expect("a next line");
    assert!(line.starts_with("next fire time after 20"), "{text}");
    // 2026-01-01T00:00:00+00:00: no fraction of a second.
    assert_eq!(line.len(), "next fire time after ".len() + 26, "{line}");
    assert!(line.ends_with("+00:00:"), "{line}");
}

const FILE: &str = "[scheduler]\ntimezone = \"UTC\"\nstate = \":memory:\"\n\
[jobs.every]\ncommand = \"true\"\ntrigger = \"cron\"\n\
[jobs.daily]\ncommand = \"true\"\ncron = \"0 3 * * *\"\ntimezone = \"Europe/Berlin\"\n";

#[test]
fn a_field_trigger_without_fields_is_warned_about() {
    let dir = dir_with("s.toml", FILE);
    let warning = "s.toml:6:1: job \"every\": trigger = \"cron\" with no fields fires every second (give the fields it should match, e.g. hour = 3; second = \"*\" says every second on purpose)";
    Test::new()
        .dir(dir.path())
        .args(&["check", "s.toml"])
        .stdout_contains("s.toml: valid, 2 jobs")
        .stderr(&format!("apsched: warning: {warning}\n"))
        .run();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_apsched"))
        .args(["run", "s.toml"])
        .current_dir(dir.path())
        .env("TZ", "UTC")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    std::thread::sleep(std::time::Duration::from_millis(400));
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    // SAFETY: signaling our own child.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let out = child.wait_with_output().expect("ends");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "WARN  config_warning warning=\"{}\"",
            warning.replace('"', "\\\"")
        )),
        "{err}"
    );
}

#[test]
fn a_duplicate_table_is_reported_once_and_list_wants_a_count() {
    let dir = dir_with(
        "dup.toml",
        "[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\n[jobs.a]\ncommand = \"y\"\ncron = \"@hourly\"\n",
    );
    Test::new()
        .dir(dir.path())
        .args(&["check", "dup.toml"])
        .status(3)
        .stderr("apsched: error: dup.toml:4:7: invalid TOML: duplicate table [jobs.a] (a table is defined once: merge the two [jobs.a])\napsched: dup.toml has 1 problem\n")
        .run();
    let dir = dir_with("s.toml", FILE);
    Test::new()
        .dir(dir.path())
        .args(&["list", "s.toml", "-n", "0"])
        .status(2)
        .stdout("")
        .stderr_contains("invalid value '0' for '--count <N>': at least 1")
        .run();
}

#[test]
fn check_json_shows_the_jobs_as_list_json_does() {
    let dir = dir_with("s.toml", FILE);
    let json = |args: &[&str]| -> Value {
        let out = Test::new().dir(dir.path()).args(args).run();
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    let check = json(&["check", "s.toml", "--json"]);
    assert_eq!(check["valid"], true);
    assert_eq!(check["path"], "s.toml");
    assert_eq!(check["timezone"], "UTC");
    assert_eq!(check["state"], Value::Null);
    assert_eq!(check["warnings"].as_array().map(Vec::len), Some(1));
    let list = json(&["list", "s.toml", "--json"]);
    assert_eq!(check["jobs"][1], list[1], "the same job object");
    assert_eq!(list[1]["status"], "scheduled");
    let bad = dir_with(
        "bad.toml",
        "[jobs.a]\ncommand = \"x\"\ncron = \"61 * * * *\"\n",
    );
    let out = Test::new()
        .dir(bad.path())
        .args(&["check", "--json", "bad.toml"])
        .status(3)
        .run();
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["valid"], false);
    assert_eq!(report["problems"][0]["line"], 3);
    assert_eq!(report["problems"][0]["column"], 8);
}

/// `2026-12-01T17:32:26+01:00` (`millis`: `...26.684+01:00`) in a zone at
/// +01:00 or +02:00.
fn is_rfc3339(text: &str, millis: bool) -> bool {
    let b = text.as_bytes();
    let len = if millis { 29 } else { 25 };
    let offset = &text[text.len().saturating_sub(6)..];
    b.len() == len
        && b[10] == b'T'
        && (offset == "+01:00" || offset == "+02:00")
        && (!millis || b[19] == b'.')
}

#[test]
fn times_are_rfc3339_in_the_jobs_zone() {
    let dir = dir_with(
        "s.toml",
        "[scheduler]\ntimezone = \"UTC\"\nstate = \"s.db\"\n[jobs.j]\ncommand = \"true\"\ncron = \"0 3 * * *\"\ntimezone = \"Europe/Berlin\"\n",
    );
    Test::new()
        .dir(dir.path())
        .args(&["run-now", "j", "-f", "s.toml"])
        .run();
    let out = Test::new()
        .dir(dir.path())
        .args(&["history", "-f", "s.toml", "--json"])
        .run();
    let rows: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let row = &rows[0];
    assert!(
        is_rfc3339(row["scheduled"].as_str().unwrap_or(""), false),
        "{row}"
    );
    assert!(
        is_rfc3339(row["started"].as_str().unwrap_or(""), true),
        "{row}"
    );
    assert!(
        is_rfc3339(row["ended"].as_str().unwrap_or(""), true),
        "{row}"
    );
    assert!(row["duration_seconds"].is_f64(), "{row}");
    let out = Test::new()
        .dir(dir.path())
        .args(&["history", "-f", "s.toml"])
        .run();
    let table = String::from_utf8_lossy(&out.stdout);
    let cells: Vec<&str> = table
        .lines()
        .nth(1)
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert!(
        is_rfc3339(cells[2], false) && is_rfc3339(cells[3], true),
        "{table}"
    );
    let out = Test::new()
        .dir(dir.path())
        .args(&["list", "-f", "s.toml", "--json"])
        .run();
    let jobs: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let started = jobs[0]["last_run"]["started"].as_str().unwrap_or("");
    assert!(is_rfc3339(started, true), "{jobs}");
    let next = jobs[0]["next_run_times"][0].as_str().unwrap_or("");
    assert!(is_rfc3339(next, false), "{jobs}");
}
