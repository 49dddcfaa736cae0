//! Loading schedule files: what valid files mean, and what every kind of
//! mistake reports.

use super::{Command, Config, parse};
use crate::trigger::Kind;
use std::path::Path;
use std::time::Duration;

fn load(source: &str) -> Config {
    parse(Path::new("s.toml"), source).unwrap_or_else(|d| panic!("{d:?}"))
}

fn problems(source: &str) -> Vec<String> {
    match parse(Path::new("s.toml"), source) {
        Ok(_) => Vec::new(),
        Err(list) => list.iter().map(ToString::to_string).collect(),
    }
}

const VALID: &str = r#"
[scheduler]
timezone = "Europe/Berlin"
state = "state/apsched.db"
max_workers = 3

[defaults]
misfire_grace_time = "5m"
coalesce = false
max_instances = 2

[jobs.backup]
command = "pg_dump app > /tmp/app.sql"
cron = "30 2 * * *"
timeout = "1h"
misfire_grace_time = "none"

[jobs.report]
name = "Weekly report"
command = ["python3", "report.py", "--weekly"]
cwd = "/srv/reports"
env = { REPORT_LANG = "en" }
trigger = "cron"
day_of_week = "mon"
hour = 9
timezone = "America/New_York"

[jobs.heartbeat]
command = "true"
trigger = "interval"
minutes = 5
seconds = 30
jitter = "10s"
paused = true

[jobs.launch]
command = "echo launch"
trigger = "date"
run_date = 2099-01-01T00:00:00
"#;

#[test]
fn a_valid_file_means_what_it_says() {
    let config = load(VALID);
    let s = &config.scheduler;
    assert_eq!(s.timezone, chrono_tz::Europe::Berlin);
    assert_eq!(s.state.as_deref(), Some(Path::new("state/apsched.db")));
    assert_eq!((s.max_workers, s.shell.as_str()), (3, "/bin/sh"));
    let ids: Vec<&str> = config.jobs.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(ids, ["backup", "report", "heartbeat", "launch"]);

    let backup = &config.jobs[0];
    assert_eq!(
        *backup.command,
        Command::Shell("pg_dump app > /tmp/app.sql".into())
    );
    assert_eq!(backup.more.timeout, Some(Duration::from_secs(3600)));
    assert_eq!(
        backup.more.misfire_grace_time, None,
        "job overrides the default"
    );
    assert_eq!(
        (backup.more.coalesce, backup.more.max_instances),
        (false, 2),
        "defaults apply"
    );
    assert_eq!(backup.trigger.summary(), "cron 30 2 * * *");

    let report = &config.jobs[1];
    assert_eq!(report.trigger.tz, chrono_tz::America::New_York);
    assert_eq!(
        report.more.env,
        [("REPORT_LANG".to_string(), "en".to_string())]
    );
    assert_eq!(
        report.trigger.summary(),
        "cron[day_of_week='mon', hour='9']"
    );
    assert_eq!(
        report.more.misfire_grace_time,
        Some(Duration::from_secs(300))
    );

    let heartbeat = &config.jobs[2];
    assert_eq!(
        heartbeat.trigger.kind,
        Kind::Interval {
            period: Duration::from_secs(330)
        }
    );
    assert_eq!(heartbeat.trigger.jitter, Some(Duration::from_secs(10)));
    assert!(heartbeat.paused);

    let launch = &config.jobs[3];
    assert_eq!(launch.trigger.summary(), "date 2099-01-01T00:00:00+01:00");
}

#[test]
fn defaults_when_keys_are_absent() {
    let config = load(
        "[scheduler]\ntimezone = \"UTC\"\n[jobs.a]\ncommand = \"true\"\ncron = \"* * * * *\"\n",
    );
    let s = &config.scheduler;
    assert_eq!(s.state.as_deref(), Some(Path::new("s.db")));
    assert_eq!((s.max_workers, s.history), (10, 1000));
    assert_eq!(s.shutdown_timeout, Duration::from_secs(30));
    let job = &config.jobs[0];
    assert_eq!(
        (
            job.more.misfire_grace_time,
            job.more.coalesce,
            job.more.max_instances
        ),
        (None, true, 1)
    );
    let memory = load(
        "[scheduler]\nstate = \":memory:\"\ntimezone = \"UTC\"\n[jobs.a]\ncommand = \"true\"\ncron = \"@daily\"\n",
    );
    assert_eq!(memory.scheduler.state, None);
}

#[test]
// A table.
#[allow(clippy::too_many_lines)]
fn every_mistake_is_reported_with_its_place() {
    let header = "[scheduler]\ntimezone = \"UTC\"\n";
    let cases: &[(&str, &[&str])] = &[
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"61 * * * *\"\n",
            &[
                "s.toml:5:8: jobs.a.cron: invalid cron expression \"61 * * * *\": minute: 61 is out of range 0-59 (try it with: apsched validate '61 * * * *')",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ntrigger = \"cron\"\nday_of_wek = \"mon\"\n",
            &[
                "s.toml:6:1: unknown key \"day_of_wek\" in job \"a\" (did you mean \"day_of_week\"?)",
            ],
        ),
        (
            "[jobs.a]\ncron = \"* * * * *\"\n",
            &[
                "s.toml:3:7: job \"a\" has no command (add command = \"...\" (run by the shell) or command = [\"program\", \"arg\"])",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\n",
            &[
                "s.toml:3:7: job \"a\" has no trigger (add cron = \"30 2 * * *\", or trigger = \"cron\" | \"interval\" | \"date\" with its arguments)",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"* * * * *\"\ntrigger = \"date\"\n",
            &[
                "s.toml:6:1: job \"a\" has two triggers: cron = \"...\" and trigger = ... (keep one: cron = \"...\" for a cron string, or trigger = \"cron\" with fields)",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ntrigger = \"intervall\"\n",
            &["s.toml:5:11: unknown trigger \"intervall\" (did you mean \"interval\"?)"],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"0 0 30 2 *\"\n",
            &[
                "s.toml:3:7: job \"a\" never fires: cron 0 0 30 2 * has no time after now (check the year, day and month fields and end_date)",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ntrigger = \"interval\"\nminute = 5\n",
            &[
                "s.toml:6:1: \"minute\" belongs to trigger = \"cron\", but job \"a\" uses interval (did you mean \"minutes\"?)",
                "s.toml:3:7: interval job \"a\" needs a period (add weeks, days, hours, minutes or seconds, e.g. minutes = 5)",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ntrigger = \"cron\"\nhour = 24\n",
            &["s.toml:6:1: jobs.a.hour: 24 is out of range 0-23"],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\ntimezone = \"Europe/Berln\"\n",
            &[
                "s.toml:6:12: jobs.a.timezone: unknown time zone \"Europe/Berln\": did you mean \"Europe/Berlin\"?",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\ntimeout = \"soon\"\n",
            &[
                "s.toml:6:11: jobs.a.timeout: \"soon\" is not a duration: use seconds (90) or a number with units, as in \"90s\", \"5m\", \"1h30m\", \"2d\" (or \"none\" for no limit)",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\ncoalesce = \"yes\"\n",
            &["s.toml:6:12: jobs.a.coalesce must be true or false, not string"],
        ),
        (
            "[jobs.a]\ncommand = []\ncron = \"@daily\"\n",
            &["s.toml:4:11: jobs.a.command needs a program as its first element"],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ntrigger = \"date\"\n",
            &["s.toml:3:7: date job \"a\" needs run_date (run_date = \"2027-01-01T00:00:00\")"],
        ),
        (
            "[jobs.\"a b\"]\ncommand = \"x\"\ncron = \"@daily\"\n",
            &[
                "s.toml:3:7: job id \"a b\" may not be empty or contain spaces or \"|\" (use letters, digits, \"-\", \"_\" and \".\")",
            ],
        ),
        (
            "[job.a]\ncommand = \"x\"\n",
            &[
                "s.toml:3:2: unknown key \"job\" at the top level (did you mean \"jobs\"?)",
                "s.toml:1:1: the file defines no jobs (add a job: [jobs.hello] with command = \"echo hello\" and cron = \"* * * * *\")",
            ],
        ),
        (
            "[defaults]\ngrace = 5\n[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\n",
            &[
                "s.toml:4:1: unknown key \"grace\" in [defaults] (known keys: misfire_grace_time, coalesce, max_instances)",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"@daily\n",
            &["s.toml:5:15: invalid TOML: invalid basic string, expected `\"`"],
        ),
    ];
    for (body, want) in cases {
        let got = problems(&format!("{header}{body}"));
        assert_eq!(got, want.to_vec(), "{body}");
    }
}

#[test]
fn all_problems_are_reported_at_once() {
    let source = "[jobs.a]\ncommand = \"x\"\ncron = \"61 * * * *\"\n[jobs.b]\ncommand = \"x\"\ntrigger = \"cron\"\nhuor = 1\n[jobs.c]\ncommand = 5\ncron = \"@daily\"\n";
    assert_eq!(problems(source).len(), 3, "{:?}", problems(source));
}

#[test]
fn a_field_trigger_without_fields_is_valid_but_warned_about() {
    let header = "[scheduler]\ntimezone = \"UTC\"\n";
    let cases: &[(&str, &[&str])] = &[
        (
            "[jobs.a]\ncommand = \"x\"\ntrigger = \"cron\"\n",
            &[
                "s.toml:5:1: job \"a\": trigger = \"cron\" with no fields fires every second (give the fields it should match, e.g. hour = 3; second = \"*\" says every second on purpose)",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ntrigger = \"cron\"\nsecond = \"*\"\n",
            &[],
        ),
        ("[jobs.a]\ncommand = \"x\"\ncron = \"* * * * * *\"\n", &[]),
    ];
    for (body, want) in cases {
        let config = load(&format!("{header}{body}"));
        assert_eq!(config.warnings, want.to_vec(), "{body}");
    }
}

#[test]
fn the_state_given_is_noted() {
    let cases = [
        ("", false, Some("s.db")),
        ("state = \"x/y.db\"\n", true, Some("x/y.db")),
        ("state = \":memory:\"\n", true, None),
    ];
    for (line, given, state) in cases {
        let config = load(&format!(
            "[scheduler]\ntimezone = \"UTC\"\n{line}[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\n"
        ));
        assert_eq!(config.state_given, given, "{line}");
        assert_eq!(
            config.scheduler.state.as_deref(),
            state.map(Path::new),
            "{line}"
        );
    }
}

#[test]
fn state_paths_are_read_from_the_file_directory() {
    let cases = [
        ("dir/s.toml", None, Some("dir/s.db")),
        ("dir/s.toml", Some("x.db"), Some("dir/x.db")),
        ("dir/s.toml", Some("/var/x.db"), Some("/var/x.db")),
        ("dir/s.toml", Some(":memory:"), None),
        ("<stdin>", Some("x.db"), Some("x.db")),
        ("", Some("./x.db"), Some("./x.db")),
    ];
    for (file, name, want) in cases {
        let got = super::state_path(Path::new(file), name.map(Path::new));
        assert_eq!(got.as_deref(), want.map(Path::new), "{file} {name:?}");
    }
}
