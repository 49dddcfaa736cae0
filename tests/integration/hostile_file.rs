//! What `check` says of schedule files a fuzzer (or a careless editor)
//! writes, through the real binary: one line per problem however long or
//! multi-line the value, every key named, positions for bytes that are not
//! UTF-8.

use crate::harness::{Dir, Test};

const HEAD: &str = r#"[scheduler]
timezone = "UTC"
state = ":memory:"
"#;

/// `apsched check f.toml` on `text`; its stderr.
fn check(bytes: &[u8], status: i32) -> String {
    Dir::new()
        .file("f.toml", bytes)
        .apsched(["check", "f.toml"])
        .status(status)
        .stdout("")
        .run()
        .stderr
}

#[test]
fn a_duplicate_key_is_named() {
    let err = check(
        format!(
            r#"{HEAD}[jobs.a]
command = "x"
cron = "@daily"
command = "y"
"#
        )
        .as_bytes(),
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
        r#"{HEAD}[jobs.a]
command = "x"
cron = """{huge}
* * *"""
[jobs.b]
command = "x"
trigger = "interval"
minutes = 1
start_date = "2027-01-01\n{}"
[jobs.c]
command = "x"
cron = "* * * * *"
timezone = "Europe/\nBerlin\u001b[0m"
"#,
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
        format!(
            r#"{HEAD}[jobs.a]
command = "x"
cron = "@daily"
timezone = ""
[jobs.b]
command = "x"
cron = "@daily"
timezone = "Europe/Berln"
"#
        )
        .as_bytes(),
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
    let mut bytes = format!(
        r#"{HEAD}[jobs.a]
command = "caf"#
    )
    .into_bytes();
    bytes.extend(b"\xe9\"\ncron = \"@daily\"\n");
    assert_eq!(
        check(&bytes, 3),
        "apsched: error: f.toml:5:15: the file is not valid UTF-8: byte 0xE9 (save it as UTF-8)\napsched: f.toml has 1 problem\n"
    );
    // From standard input too.
    let out = Test::new().args(["check", "-"]).stdin(&bytes).output();
    assert_eq!(out.code, Some(3));
    assert_eq!(
        out.stderr,
        "apsched: error: <stdin>:5:15: the file is not valid UTF-8: byte 0xE9 (save it as UTF-8)\napsched: <stdin> has 1 problem\n"
    );
}
