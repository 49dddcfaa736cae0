//! Absurd numbers through the real binary (issue 9, items 1 and 2): steps
//! above 10,000 (above the field's maximum in field style, or a cron
//! string's year) are refused at once (exit 3, naming the field and the
//! bound), steps larger than their range keep the first value,
//! and nothing hangs or shows a past or wrapped time. A command that runs
//! past its time limit is killed, and that fails the test.

use crate::harness::poll::{PATIENCE, until};
use crate::harness::{Dir, Finished};
use chrono::{DateTime, Datelike, Utc};
use std::time::Duration;

/// Runs `apsched ARGS` in `dir`; past [`QUICK`] it is killed and the test
/// fails (a hang).
fn apsched(dir: &Dir, args: &[&str]) -> Finished {
    dir.apsched(args)
        .spawn()
        .wait_within(QUICK)
        .unwrap_or_else(|running| {
            running.kill_9();
            panic!("apsched {args:?} still running after {QUICK:?}: a hang")
        })
}

const QUICK: Duration = Duration::from_secs(10);

fn file(jobs: &str) -> Dir {
    let head = r#"[scheduler]
timezone = "UTC"
state = ":memory:"
shutdown_timeout = "1s"
"#;
    Dir::new().file("s.toml", format!("{head}{jobs}"))
}

fn too_large(field: &str, step: &str, element: &str, max: u32) -> String {
    format!(
        "{field}: step \"{step}\" in \"{element}\" is too large for the {field} field, at most {max}"
    )
}

#[test]
fn validate_refuses_numbers_too_large_for_their_field() {
    let dir = Dir::new();
    let year = too_large("year", "4294967260", "*/4294967260", 2199);
    let cases: &[(&[&str], String)] = &[
        (&["* * * * * * */4294967260"], year.clone()),
        (
            &["--after", "2040-01-01", "0 0 0 1 1 * 2030,*/4294967260"],
            year,
        ),
        (
            &["5/4294967292 * * * *"],
            too_large("minute", "4294967292", "5/4294967292", 10_000),
        ),
        (
            &["*/18446744073709551616 * * * * *"],
            too_large(
                "second",
                "18446744073709551616",
                "*/18446744073709551616",
                10_000,
            ),
        ),
        (
            &["0 */10001 * * *"],
            too_large("hour", "10001", "*/10001", 10_000),
        ),
        (
            &["0 0 * * fri#+1"],
            "day-of-week: \"+1\" in \"fri#+1\" must be 1-5 (which week of the month)".into(),
        ),
        (
            &["99999999999999999999 * * * *"],
            "minute: 99999999999999999999 is out of range 0-59".into(),
        ),
    ];
    for (args, want) in cases {
        let mut all = vec!["validate", "-z", "UTC"];
        all.extend_from_slice(args);
        let out = apsched(&dir, &all);
        assert_eq!(out.code, Some(3), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
        assert!(
            out.stderr.contains(want.as_str()) && out.stderr.lines().count() == 1,
            "{args:?}: {}",
            out.stderr
        );
    }
}

/// The fire times `validate` lists, checked to be strictly increasing and
/// after `after`.
fn listed(out: &Finished, after: &str) -> Vec<String> {
    let after = DateTime::parse_from_rfc3339(after).expect("time");
    let times: Vec<String> = out
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next().filter(|_| l.starts_with("  ")))
        .map(str::to_string)
        .collect();
    let mut prev = after;
    for t in &times {
        let t = DateTime::parse_from_rfc3339(t).expect("an RFC 3339 time");
        assert!(t > prev, "{t} not after {prev}: {}", out.stdout);
        prev = t;
    }
    times
}

#[test]
fn validate_keeps_the_first_value_of_a_step_beyond_its_range() {
    let dir = Dir::new();
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "5/59 * * * *",
            "2026-01-01T00:00:00Z",
            &[
                "2026-01-01T00:05:00+00:00",
                "2026-01-01T01:05:00+00:00",
                "2026-01-01T02:05:00+00:00",
            ],
        ),
        (
            "0 0 0 1 1 * 2030,*/229",
            "2040-01-01T00:00:00Z",
            &["2199-01-01T00:00:00+00:00"],
        ),
        ("0 0 0 1 1 * */2199", "2026-01-01T00:00:00Z", &[]),
    ];
    for (expr, after, want) in cases {
        let args = ["validate", "-z", "UTC", "-n", "3", "--after", after, expr];
        let out = apsched(&dir, &args);
        assert_eq!(out.code, Some(0), "{expr}: {}", out.stderr);
        assert_eq!(listed(&out, after), want.to_vec(), "{expr}: {}", out.stdout);
    }
}

#[test]
fn check_and_run_refuse_a_file_with_a_step_too_large() {
    let dir = file(
        r#"[jobs.a]
command = "touch ran-a"
cron = "* * * * * * */4294967260"
[jobs.b]
command = "touch ran-b"
trigger = "cron"
minute = "*/18446744073709551616"
[jobs.c]
command = "touch ran-c"
cron = "5/4294967292 * * * *"
[jobs.ok]
command = "touch ran-ok"
trigger = "interval"
seconds = 1
"#,
    );
    let want = [
        format!(
            "s.toml:7:8: jobs.a.cron: invalid cron expression \"* * * * * * */4294967260\": {} (try it with: apsched validate '* * * * * * */4294967260')",
            too_large("year", "4294967260", "*/4294967260", 2199)
        ),
        format!(
            "s.toml:11:1: jobs.b.{}",
            too_large(
                "minute",
                "18446744073709551616",
                "*/18446744073709551616",
                59
            )
        ),
        format!(
            "s.toml:14:8: jobs.c.cron: invalid cron expression \"5/4294967292 * * * *\": {}",
            too_large("minute", "4294967292", "5/4294967292", 10_000)
        ),
    ];
    for command in ["check", "run"] {
        let out = apsched(&dir, &[command, "s.toml"]);
        assert_eq!(out.code, Some(3), "{command}: {}", out.stderr);
        for line in &want {
            assert!(
                out.stderr.contains(line.as_str()),
                "{command}: {}",
                out.stderr
            );
        }
        assert!(!out.stderr.contains("scheduler_started"), "{}", out.stderr);
    }
    assert!(!dir.exists("ran-ok"), "a refused file ran a job");
}

/// A year written `YEAR/2199` is that year only: a job of this year's
/// (and next year's, should the test straddle New Year) every second,
/// which starts at once, runs, and is never shown at a past time.
#[test]
fn run_fires_a_step_beyond_its_range_at_its_first_value() {
    let year = Utc::now().year();
    let years = format!("{year}/2199,{}/2199", year + 1);
    let dir = file(&format!(
        r#"[jobs.s]
command = "touch ran-s"
cron = "* * * * * * {years}"
[jobs.f]
command = "touch ran-f"
trigger = "cron"
year = "{year}/9999,{}/9999"
second = "*"
"#,
        year + 1
    ));
    let before = Utc::now();
    let check = apsched(&dir, &["check", "s.toml"]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    let nexts: Vec<&str> = check.stdout.split("next ").skip(1).collect();
    assert_eq!(nexts.len(), 2, "{}", check.stdout);
    for next in nexts {
        let at = next.split_whitespace().next().unwrap_or_default();
        let at = DateTime::parse_from_rfc3339(at).expect("a time");
        assert!(
            at >= before - chrono::Duration::seconds(1),
            "{}",
            check.stdout
        );
    }
    let running = dir.apsched(["run", "s.toml"]).spawn();
    until(PATIENCE, || dir.exists("ran-s") && dir.exists("ran-f"));
    let out = running.stop();
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stderr.contains("scheduler_started"), "{}", out.stderr);
    assert!(dir.exists("ran-s"), "{}", out.stderr);
    assert!(dir.exists("ran-f"), "{}", out.stderr);
}
