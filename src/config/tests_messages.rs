//! Messages about values from a hostile or careless file: one line per
//! problem, long values cut, every place named.

use super::ConfigError;
use super::{load_bytes, parse};
use std::path::Path;

fn problems(source: &str) -> Vec<String> {
    match parse(Path::new("s.toml"), source) {
        Ok(_) => Vec::new(),
        Err(list) => list.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn values_are_shown_on_one_line_and_cut() {
    let header = "[scheduler]\ntimezone = \"UTC\"\n[jobs.a]\ncommand = \"x\"\n";
    let long = "1 ".repeat(100);
    let cut = format!("\"{}…\"", "1 ".repeat(35));
    let cases: Vec<(String, Vec<String>)> = vec![
        (
            format!("cron = \"\"\"{long}\n* * *\"\"\"\n"),
            vec![format!(
                "s.toml:5:8: jobs.a.cron: invalid cron expression {cut}: expression: expected 5, 6 or 7 fields (minute hour day-of-month month day-of-week, with an optional leading second and trailing year), found 103 (try it with: apsched validate '...' (the job's expression))"
            )],
        ),
        (
            "cron = \"@daily\"\ntimeout = \"1h\\nsoon\"\n".into(),
            vec!["s.toml:6:11: jobs.a.timeout: \"1h\\nsoon\" is not a duration: use seconds (90) or a number with units, as in \"90s\", \"5m\", \"1h30m\", \"2d\" (or \"none\" for no limit)".into()],
        ),
        (
            format!("cron = \"@daily\"\nstart_date = \"{}\"\n", "9".repeat(500)),
            vec![format!(
                "s.toml:6:14: jobs.a.start_date: invalid time \"{}…\": expected RFC 3339 (2026-03-29T00:30:00Z, 2026-03-29T02:30:00+01:00), a local date-time (2026-03-29T02:30, 2026-03-29 02:30:00) or \"now\"",
                "9".repeat(70)
            )],
        ),
        (
            "trigger = \"cron\\u001b[2J\"\n".into(),
            vec!["s.toml:5:11: unknown trigger \"cron\\u{1b}[2J\" (use \"cron\", \"interval\", \"date\", \"startup\", \"or\" or \"and\")".into()],
        ),
        (
            format!("cron = \"@daily\"\n\"{}\\nk\" = 1\n", "q".repeat(100)),
            vec![format!(
                "s.toml:6:1: unknown key \"{}…\" in job \"a\" (known keys: name, command, cwd, env, trigger, cron, timezone, start_date, end_date, jitter, timeout, misfire_grace_time, coalesce, max_instances, paused, description, stdin, shell, user, on_lost, max_attempts, year, month, day, week, day_of_week, hour, minute, second, weeks, days, hours, minutes, seconds, run_date, triggers)",
                "q".repeat(70)
            )],
        ),
    ];
    for (body, want) in cases {
        let got = problems(&format!("{header}{body}"));
        assert_eq!(got, want, "{body}");
        assert!(got.iter().all(|p| !p.contains('\n')), "{got:?}");
    }
}

#[test]
fn zone_errors_name_the_key_and_suggest_only_close_names() {
    let cases = [
        (
            "[scheduler]\ntimezone = \"\"\n[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\n",
            "s.toml:2:12: scheduler.timezone: unknown time zone \"\": the name is empty; use an IANA name such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\"",
        ),
        (
            "[scheduler]\ntimezone = \"UTC\"\n[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\ntimezone = \"\"\n",
            "s.toml:6:12: jobs.a.timezone: unknown time zone \"\": the name is empty; use an IANA name such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\"",
        ),
        (
            "[scheduler]\ntimezone = \"UTC\"\n[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\ntimezone = \"X\"\n",
            "s.toml:6:12: jobs.a.timezone: unknown time zone \"X\": use an IANA name such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\"",
        ),
    ];
    for (source, want) in cases {
        assert_eq!(problems(source), [want], "{source}");
    }
}

#[test]
fn an_empty_state_is_a_problem_at_its_key() {
    let cases = [
        ("state = \"\"", "s.toml:3:9: scheduler.state is empty"),
        ("state = \" \"", "s.toml:3:9: scheduler.state is blank"),
        (
            "state = \"a\\u0000b\"",
            "s.toml:3:9: scheduler.state contains a NUL character",
        ),
    ];
    for (line, want) in cases {
        let source = format!(
            "[scheduler]\ntimezone = \"UTC\"\n{line}\n[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\n"
        );
        let hint = " (name a file, such as \"schedules.db\" beside this one, \":memory:\" to keep no state, or a PostgreSQL database (\"postgresql://…\"))";
        assert_eq!(problems(&source), [format!("{want}{hint}")], "{line}");
    }
}

#[test]
fn text_that_is_not_utf8_is_a_problem_at_its_first_bad_byte() {
    let cases: &[(&[u8], &str)] = &[
        (
            b"[jobs.a]\ncommand = \"caf\xe9\"\n",
            "s.toml:2:15: the file is not valid UTF-8: byte 0xE9 (save it as UTF-8)",
        ),
        (
            b"\xff\xfe[jobs]",
            "s.toml:1:1: the file is not valid UTF-8: byte 0xFF (save it as UTF-8)",
        ),
        (
            "# é\nx = \"é\"\n".as_bytes().split_at(11).0,
            "s.toml:2:6: the file is not valid UTF-8: byte 0xC3 (save it as UTF-8)",
        ),
    ];
    for (bytes, want) in cases {
        match load_bytes(Path::new("s.toml"), bytes, Some(chrono::Utc::now())) {
            Err(ConfigError::Invalid { diagnostics, .. }) => {
                let got: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
                assert_eq!(got, [*want], "{bytes:?}");
            }
            other => panic!("{bytes:?}: {other:?}"),
        }
    }
}
