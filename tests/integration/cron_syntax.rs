//! The cron spellings of other crons (issue 11, part 2) through the real
//! binary: `validate` shows their normalized meaning, and a step larger than
//! its field is accepted with a warning by `validate`, `check` and `run`.

use crate::harness::{Dir, Test};

#[test]
fn validate_spells_out_wrap_around_ranges_and_sunday_ends() {
    Test::new()
        .args([
            "validate",
            "-z",
            "UTC",
            "--after",
            "2026-01-01T00:00:00Z",
            "-n",
            "3",
            "0 22-2/2 * * sat-sun",
        ])
        .stdout_contains("normalized  0 22,0,2 * * 6,0\n")
        .stdout_contains(
            "  2026-01-03T00:00:00+00:00  Sat  in 2d\n  \
             2026-01-03T02:00:00+00:00  Sat  in 2d 2h\n  \
             2026-01-03T22:00:00+00:00  Sat  in 2d 22h\n",
        )
        .stderr("")
        .run();
    Test::new()
        .args([
            "validate",
            "-z",
            "UTC",
            "--after",
            "2026-01-01T00:00:00Z",
            "-n",
            "2",
            "0 0 29-L January-June MONDAY",
        ])
        .stdout_contains("normalized  0 0 29-L 1-6 1\n")
        .stdout_contains("  2026-01-05T00:00:00+00:00  Mon  in 4d\n")
        .run();
}

const WARNING: &str = "step 90 is larger than the minute field's 0-59: this fires at minute 0 only; for every 90 minutes use trigger = \"interval\" with minutes = 90";

#[test]
fn an_oversized_step_is_accepted_with_a_warning_everywhere() {
    Test::new()
        .args([
            "validate",
            "-z",
            "UTC",
            "--after",
            "2026-01-01T00:00:00Z",
            "-n",
            "2",
            "*/90 * * * *",
        ])
        .stdout_contains("normalized  0 * * * *\n")
        .stdout_contains(
            "  2026-01-01T01:00:00+00:00  Thu  in 1h\n  2026-01-01T02:00:00+00:00  Thu  in 2h\n",
        )
        .stderr(&format!("apsched: warning: {WARNING}\n"))
        .run();

    let dir = Dir::new().file(
        "s.toml",
        "[scheduler]\ntimezone = \"UTC\"\nstate = \":memory:\"\n[jobs.half]\ncommand = \"true\"\ncron = \"*/90 * * * *\"\n",
    );
    let warning = format!("s.toml:6:8: jobs.half.cron: {WARNING}");
    dir.apsched(["check", "s.toml"])
        .stdout_contains("s.toml: valid, 1 job")
        .stderr(&format!("apsched: warning: {warning}\n"))
        .run();
    let err = dir.run().spawn().stop_when("config_warning", 1).stderr;
    assert!(
        err.contains(&format!(
            "WARN  config_warning warning=\"{}\"",
            warning.replace('"', "\\\"")
        )),
        "{err}"
    );
}

#[test]
fn unsupported_constructs_and_huge_steps_are_refused_by_name() {
    let cases = [
        (
            "H * * * *",
            "H (Jenkins hash) is not supported: write a fixed minute such as 19",
        ),
        (
            "0 0 L-5W * *",
            "L-nW (the weekday nearest n days before the last day) is not supported: write L-5 or LW",
        ),
        (
            "*/4294967260 * * * *",
            "is too large for the minute field, at most 10000",
        ),
    ];
    for (expr, want) in cases {
        Test::new()
            .args(["validate", "-z", "UTC", expr])
            .status(3)
            .stdout("")
            .stderr_contains(want)
            .run();
    }
}

#[test]
fn field_style_refuses_what_apscheduler_refuses() {
    let dir = Dir::new().file(
        "s.toml",
        "[scheduler]\ntimezone = \"UTC\"\nstate = \":memory:\"\n[jobs.night]\ncommand = \"true\"\ntrigger = \"cron\"\nhour = \"22-2\"\n",
    );
    dir.apsched(["check", "s.toml"])
        .status(3)
        .stderr_contains("hour: range \"22-2\" runs backwards: 22 is after 2")
        .run();
}

fn file(job: &str) -> Dir {
    Dir::new().file(
        "s.toml",
        format!("[scheduler]\ntimezone = \"UTC\"\nstate = \":memory:\"\n[jobs.a]\ncommand = \"true\"\n{job}"),
    )
}

#[test]
fn a_cron_tz_prefix_sets_the_zone_of_the_expression() {
    Test::new()
        .args([
            "validate",
            "--after",
            "2026-01-01T00:00:00Z",
            "-n",
            "1",
            "CRON_TZ=Europe/Berlin 0 9 * * *",
        ])
        .stdout_contains("normalized  0 9 * * *\n")
        .stdout_contains("time zone   Europe/Berlin\n")
        .stdout_contains("  2026-01-01T09:00:00+01:00  Thu  in 8h\n")
        .run();
    Test::new()
        .args(["validate", "-z", "UTC", "TZ=Europe/Berlin 0 9 * * *"])
        .status(3)
        .stderr_contains("its prefix sets the zone Europe/Berlin but --timezone says UTC")
        .run();
    // In the file it overrides the default zone...
    let dir = file("cron = \"CRON_TZ=America/New_York 0 9 * * *\"\n");
    dir.apsched(["list", "s.toml", "--at", "2026-01-01T00:00:00Z"])
        .stdout_contains("2026-01-01T09:00:00-05:00")
        .run();
    // ...and must agree with the job's own timezone.
    let dir = file("timezone = \"UTC\"\ncron = \"CRON_TZ=Europe/Berlin 0 9 * * *\"\n");
    dir.apsched(["check", "s.toml"])
        .status(3)
        .stderr_contains("s.toml:7:8: jobs.a.cron: its prefix sets the zone Europe/Berlin but the job's timezone is UTC")
        .run();
    let dir = file("timezone = \"Europe/Berlin\"\ncron = \"TZ=Europe/Berlin 0 9 * * *\"\n");
    dir.apsched(["check", "s.toml"])
        .stdout_contains("s.toml: valid, 1 job")
        .run();
}

#[test]
fn at_every_is_an_interval() {
    Test::new()
        .args([
            "validate",
            "-z",
            "UTC",
            "--after",
            "2026-01-01T00:00:00Z",
            "-n",
            "2",
            "@every 1h30m",
        ])
        .stdout(
            "expression  @every 1h30m\n\
             normalized  trigger = \"interval\", seconds = 5400\n\
             meaning     every 90 minutes\n\
             time zone   UTC\n\
             next 2 fire times after 2026-01-01T00:00:00+00:00:\n  \
             2026-01-01T01:30:00+00:00  Thu  in 1h 30m\n  \
             2026-01-01T03:00:00+00:00  Thu  in 3h\n",
        )
        .run();
    let report = Test::new()
        .args([
            "validate",
            "--json",
            "-z",
            "UTC",
            "--after",
            "2026-01-01T00:00:00Z",
            "-n",
            "1",
            "@every 90s",
        ])
        .run()
        .json();
    assert_eq!(
        report["next_run_times"],
        serde_json::json!(["2026-01-01T00:01:30+00:00"])
    );
    assert_eq!(report["normalized"], "trigger = \"interval\", seconds = 90");
    Test::new()
        .args(["validate", "-z", "UTC", "@every 0s"])
        .status(3)
        .stderr_contains("@every needs a period of at least 1s")
        .run();
    file("cron = \"@every 90s\"\n")
        .apsched(["check", "s.toml"])
        .stdout_contains("s.toml: valid, 1 job")
        .run();
    file("cron = \"@every soon\"\n")
        .apsched(["check", "s.toml"])
        .status(3)
        .stderr_contains("s.toml:6:8: jobs.a.cron: \"@every soon\" needs a period of at least 1s")
        .run();
}
