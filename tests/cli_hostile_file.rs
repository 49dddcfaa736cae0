//! What `check` says of schedule files a fuzzer (or a careless editor)
//! writes, through the real binary: one line per problem however long or
//! multi-line the value, every key named, positions for bytes that are not
//! UTF-8.

mod support;

use std::fs;
use std::io::Write;
use support::Test;

const HEAD: &str = "[scheduler]\ntimezone = \"UTC\"\nstate = \":memory:\"\n";

/// `apsched check f.toml` on `text`; its stderr.
fn check(bytes: &[u8], status: i32) -> String {
    let dir = tempfile::tempdir().expect("dir");
    fs::write(dir.path().join("f.toml"), bytes).expect("write");
    let out = Test::new()
        .dir(dir.path())
        .args(&["check", "f.toml"])
        .status(status)
        .stdout("")
        .run();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_duplicate_key_is_named() {
    let err = check(
        format!("{HEAD}[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\ncommand = \"y\"\n").as_bytes(),
        3,
    );
    assert_eq!(
        err,
        "apsched: error: f.toml:7:1: invalid TOML: duplicate key \"command\" in [jobs.a] (a key is set once in a table: keep one of them)\napsched: f.toml has 1 problem\n"
    );
}

#[test]
fn huge_and_multi_line_values_stay_on_one_short_line() {
    let huge = "1 ".repeat(5000);
    let text = format!(
        "{HEAD}[jobs.a]\ncommand = \"x\"\ncron = \"\"\"{huge}\n* * *\"\"\"\n\
         [jobs.b]\ncommand = \"x\"\ntrigger = \"interval\"\nminutes = 1\nstart_date = \"2027-01-01\\n{}\"\n\
         [jobs.c]\ncommand = \"x\"\ncron = \"* * * * *\"\ntimezone = \"Europe/\\nBerlin\\u001b[0m\"\n",
        "x".repeat(3000)
    );
    let err = check(text.as_bytes(), 3);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "one line per problem: {err}");
    assert_eq!(lines[3], "apsched: f.toml has 3 problems");
    for line in &lines {
        assert!(line.chars().count() < 400, "{line}");
        assert!(!line.contains('\u{1b}'), "{line}");
    }
    let cut = format!("\"{}…\"", "1 ".repeat(35));
    assert!(
        lines[0].starts_with(&format!(
            "apsched: error: f.toml:6:8: jobs.a.cron: invalid cron expression {cut}: expression: expected 5, 6 or 7 fields"
        )),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(&format!(
            "apsched: error: f.toml:12:14: jobs.b.start_date: invalid time \"2027-01-01\\n{}…\": expected RFC 3339",
            "x".repeat(59)
        )),
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2],
        "apsched: error: f.toml:16:12: jobs.c.timezone: unknown time zone \"Europe/\\nBerlin\\u{1b}[0m\": did you mean \"Europe/Berlin\"?"
    );
}

#[test]
fn zone_errors_name_the_job_key_and_an_empty_zone_gets_no_guess() {
    let err = check(
        format!("{HEAD}[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\ntimezone = \"\"\n[jobs.b]\ncommand = \"x\"\ncron = \"@daily\"\ntimezone = \"Europe/Berln\"\n").as_bytes(),
        3,
    );
    assert_eq!(
        err,
        "apsched: error: f.toml:7:12: jobs.a.timezone: unknown time zone \"\": the name is empty; use an IANA name such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\"\n\
         apsched: error: f.toml:11:12: jobs.b.timezone: unknown time zone \"Europe/Berln\": did you mean \"Europe/Berlin\"?\n\
         apsched: f.toml has 2 problems\n"
    );
}

#[test]
fn bytes_that_are_not_utf8_are_a_problem_with_a_position() {
    let mut bytes = format!("{HEAD}[jobs.a]\ncommand = \"caf").into_bytes();
    bytes.extend(b"\xe9\"\ncron = \"@daily\"\n");
    assert_eq!(
        check(&bytes, 3),
        "apsched: error: f.toml:5:15: the file is not valid UTF-8: byte 0xE9 (save it as UTF-8)\napsched: f.toml has 1 problem\n"
    );
    // From standard input too.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_apsched"))
        .args(["check", "-"])
        .env("TZ", "UTC")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&bytes)
        .expect("write");
    let out = child.wait_with_output().expect("ends");
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "apsched: error: <stdin>:5:15: the file is not valid UTF-8: byte 0xE9 (save it as UTF-8)\napsched: <stdin> has 1 problem\n"
    );
}
