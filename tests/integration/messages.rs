//! What apsched says about mistakes and how it writes times, run as a user
//! would: cron expressions, schedule files, `check --json`, one time format.

use crate::harness::{Dir, Test};
use serde_json::Value;

fn dir_with(name: &str, text: &str) -> Dir {
    Dir::new().file(name, text)
}

#[test]
fn a_year_in_six_fields_and_unquoted_expressions_are_explained() {
    Test::new()
        .args(["validate", "0 0 1 1 * 2030"])
        .status(3)
        .stderr("apsched: error: invalid cron expression \"0 0 1 1 * 2030\": expression: 6 fields mean a leading seconds field (second minute hour day-of-month month day-of-week), so \"2030\" was read as the day of week; a year needs 7 fields, as in \"0 0 0 1 1 * 2030\"\n")
        .run();
    // `apsched validate 0 0 * * *` in a directory with files: the shell
    // replaced each * with them.
    let dir = dir_with("notes.txt", "");
    dir.apsched(["validate", "0", "0", "notes.txt", "notes.txt", "notes.txt"])
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
            .args(["validate", expr])
            .status(3)
            .stderr_contains(want)
            .run();
    }
}

#[test]
fn one_fire_time_reads_in_the_singular_and_now_is_whole_seconds() {
    let out = Test::new()
        .args(["validate", "-n", "1", "--after", "now", "* * * * *"])
        .run();
    let text = out.stdout.clone();
    let line = text
        .lines()
        .find(|l| l.starts_with("next"))
        .expect("a next line");
    assert!(line.starts_with("next fire time after 20"), "{text}");
    // 2026-01-01T00:00:00+00:00: no fraction of a second.
    assert_eq!(line.len(), "next fire time after ".len() + 26, "{line}");
    assert!(line.ends_with("+00:00:"), "{line}");
}

const FILE: &str = r#"[scheduler]
timezone = "UTC"
state = ":memory:"
[jobs.every]
command = "true"
trigger = "cron"
[jobs.daily]
command = "true"
cron = "0 3 * * *"
timezone = "Europe/Berlin"
"#;

#[test]
fn a_field_trigger_without_fields_is_warned_about() {
    let dir = dir_with("s.toml", FILE);
    let warning = "s.toml:6:1: job \"every\": trigger = \"cron\" with no fields fires every second (give the fields it should match, e.g. hour = 3; second = \"*\" says every second on purpose)";
    dir.apsched(["check", "s.toml"])
        .stdout_contains("s.toml: valid, 2 jobs")
        .stderr(&format!("apsched: warning: {warning}\n"))
        .run();
    let running = dir.run().spawn();
    let err = running.stop_when("config_warning", 1).stderr;
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
        r#"[jobs.a]
command = "x"
cron = "@daily"
[jobs.a]
command = "y"
cron = "@hourly"
"#,
    );
    dir.apsched(["check", "dup.toml"])
        .status(3)
        .stderr("apsched: error: dup.toml:4:7: invalid TOML: duplicate table [jobs.a] (a table is defined once: merge the two [jobs.a])\napsched: dup.toml has 1 problem\n")
        .run();
    let dir = dir_with("s.toml", FILE);
    dir.apsched(["list", "s.toml", "-n", "0"])
        .status(2)
        .stdout("")
        .stderr_contains("invalid value '0' for '--count <N>': at least 1")
        .run();
}

#[test]
fn check_json_shows_the_jobs_as_list_json_does() {
    let dir = dir_with("s.toml", FILE);
    let json = |args: &[&str]| -> Value {
        let out = dir.apsched(args).run();
        serde_json::from_str(&out.stdout).expect("JSON")
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
        r#"[jobs.a]
command = "x"
cron = "61 * * * *"
"#,
    );
    let out = bad.apsched(["check", "--json", "bad.toml"]).status(3).run();
    let report: Value = serde_json::from_str(&out.stdout).expect("JSON");
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
        r#"[scheduler]
timezone = "UTC"
state = "s.db"
[jobs.j]
command = "true"
cron = "0 3 * * *"
timezone = "Europe/Berlin"
"#,
    );
    dir.apsched(["run-now", "j", "-f", "s.toml"]).run();
    let out = dir.apsched(["history", "-f", "s.toml", "--json"]).run();
    let rows: Value = serde_json::from_str(&out.stdout).expect("JSON");
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
    let out = dir.apsched(["history", "-f", "s.toml"]).run();
    let table = out.stdout.clone();
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
    let out = dir.apsched(["list", "-f", "s.toml", "--json"]).run();
    let jobs: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let started = jobs[0]["last_run"]["started"].as_str().unwrap_or("");
    assert!(is_rfc3339(started, true), "{jobs}");
    let next = jobs[0]["next_run_times"][0].as_str().unwrap_or("");
    assert!(is_rfc3339(next, false), "{jobs}");
}
