//! `apsched validate`, run as a user would.

use crate::harness::Test;

#[test]
fn shows_the_next_fire_times_with_dst_marks() {
    Test::new()
        .args(["validate", "--timezone", "Europe/Berlin", "--after", "2026-03-28T12:00", "-n", "2", "30 2 * * *"])
        .stdout(
            "expression  30 2 * * *\n\
             normalized  30 2 * * *\n\
             meaning     at 02:30 every day\n\
             time zone   Europe/Berlin\n\
             next 2 fire times after 2026-03-28T12:00:00+01:00:\n  \
             2026-03-29T03:30:00+02:00  Sun  in 14h 30m  DST: 02:30 does not exist that day, shifted forward 1h\n  \
             2026-03-30T02:30:00+02:00  Mon  in 1d 13h\n",
        )
        .stderr("")
        .run();
}

#[test]
fn marks_the_second_pass_of_a_repeated_hour() {
    Test::new()
        .args([
            "validate",
            "-z",
            "America/New_York",
            "--after",
            "2026-11-01T05:45:00Z",
            "-n",
            "2",
            "*/30 * * * *",
        ])
        .stdout_contains(
            "  2026-11-01T01:00:00-05:00  Sun  in 15m  DST: second pass of a repeated hour\n",
        )
        .run();
}

#[test]
fn json_output_carries_offsets() {
    let output = Test::new()
        .args([
            "validate",
            "--json",
            "-z",
            "Europe/Berlin",
            "--after",
            "2026-03-29T00:30:00Z",
            "-n",
            "3",
            "30 2 * * *",
        ])
        .run();
    let report: serde_json::Value = serde_json::from_str(&output.stdout).expect("JSON on stdout");
    assert_eq!(report["expression"], "30 2 * * *");
    assert_eq!(report["timezone"], "Europe/Berlin");
    assert_eq!(
        report["next_run_times"],
        serde_json::json!([
            "2026-03-29T03:30:00+02:00",
            "2026-03-30T02:30:00+02:00",
            "2026-03-31T02:30:00+02:00"
        ])
    );
    assert_eq!(
        report["dst_adjusted"][0]["wall_time"],
        "2026-03-29T02:30:00"
    );
}

#[test]
fn after_accepts_every_documented_form() {
    let cases = [
        ("2026-03-29T00:30:00Z", "2026-03-29T03:30:00+02:00"),
        ("2026-03-29T02:30:00.5+01:00", "2026-03-30T02:30:00+02:00"),
        ("2026-03-29T02:30", "2026-03-30T02:30:00+02:00"),
        ("2026-03-29 02:29:59", "2026-03-29T03:30:00+02:00"),
        ("2026-03-29", "2026-03-29T03:30:00+02:00"),
    ];
    for (after, first) in cases {
        let output = Test::new()
            .args([
                "validate",
                "--json",
                "-z",
                "Europe/Berlin",
                "--after",
                after,
                "-n",
                "1",
                "30 2 * * *",
            ])
            .run();
        let report: serde_json::Value = serde_json::from_str(&output.stdout).expect("JSON");
        assert_eq!(report["next_run_times"][0], first, "--after {after}");
    }
}

#[test]
fn the_zone_defaults_to_tz() {
    let output = Test::new()
        .env("TZ", "Asia/Kolkata")
        .args([
            "validate",
            "--json",
            "--after",
            "2026-01-01T00:00:00Z",
            "-n",
            "1",
            "0 9 * * *",
        ])
        .run();
    let report: serde_json::Value = serde_json::from_str(&output.stdout).expect("JSON");
    assert_eq!(report["timezone"], "Asia/Kolkata");
    assert_eq!(report["next_run_times"][0], "2026-01-01T09:00:00+05:30");
}

#[test]
fn words_of_an_unquoted_expression_are_joined() {
    Test::new()
        .args([
            "validate",
            "--after",
            "2026-01-01T00:00:00Z",
            "-n",
            "1",
            "0",
            "9",
            "*",
            "*",
            "mon-fri",
        ])
        .stdout_contains("normalized  0 9 * * 1-5\n")
        .stdout_contains("  2026-01-01T09:00:00+00:00  Thu  in 9h\n")
        .run();
}

#[test]
fn a_schedule_that_never_fires_says_so() {
    Test::new()
        .args(["validate", "--after", "2026-01-01T00:00:00Z", "0 0 30 2 *"])
        .stdout_contains("never fires after 2026-01-01T00:00:00+00:00")
        .run();
    let output = Test::new()
        .args([
            "validate",
            "--json",
            "--after",
            "2026-01-01T00:00:00Z",
            "0 0 30 2 *",
        ])
        .run();
    let report: serde_json::Value = serde_json::from_str(&output.stdout).expect("JSON");
    assert_eq!(report["next_run_times"], serde_json::json!([]));
}

#[test]
fn invalid_input_is_one_line_on_stderr_and_exit_3() {
    let cases = [
        (
            vec!["61 * * * *"],
            "apsched: error: invalid cron expression \"61 * * * *\": minute: 61 is out of range 0-59\n",
        ),
        (
            vec!["* * * * * * * *"],
            "apsched: error: invalid cron expression \"* * * * * * * *\": expression: expected 5, 6 or 7 fields (minute hour day-of-month month day-of-week, with an optional leading second and trailing year), found 8\n",
        ),
        (
            vec!["-z", "Europe/Berln", "* * * * *"],
            "apsched: error: unknown time zone \"Europe/Berln\": did you mean \"Europe/Berlin\"?\n",
        ),
        (
            vec!["--after", "yesterday", "* * * * *"],
            "apsched: error: invalid time \"yesterday\": expected RFC 3339 (2026-03-29T00:30:00Z, 2026-03-29T02:30:00+01:00), a local date-time (2026-03-29T02:30, 2026-03-29 02:30:00) or \"now\"\n",
        ),
    ];
    for (args, stderr) in cases {
        let mut all = vec!["validate", "--json"];
        all.extend(args);
        Test::new()
            .args(&all)
            .status(3)
            .stdout("")
            .stderr(stderr)
            .run();
    }
}

#[test]
fn a_tz_that_is_not_a_zone_name_is_reported() {
    Test::new()
        .env("TZ", "Mars/Olympus_Mons")
        .args(["validate", "* * * * *"])
        .status(3)
        .stdout("")
        .run();
}

#[test]
fn usage_errors_exit_2() {
    Test::new().args(["validate"]).status(2).stdout("").run();
    Test::new().args(["frobnicate"]).status(2).stdout("").run();
    Test::new()
        .args(["validate", "-n", "many", "* * * * *"])
        .status(2)
        .run();
}

#[test]
fn garbage_never_panics() {
    for expr in [
        "",
        " ",
        "@",
        "@@",
        "*/",
        "-",
        "L-",
        "#",
        "5#",
        "W",
        "1-2-3",
        "*/*",
        "\u{1F600}",
        "0 0 L-99999999999 * *",
        "0 0 * * 99999999999#1",
    ] {
        Test::new()
            .args(["validate", "--", expr])
            .status(3)
            .stdout("")
            .run();
    }
}
