//! Combined triggers in the file: `cron = [...]`, `trigger = "or"` and
//! `trigger = "and"` with their members, and every problem they can have.

use super::parse;
use crate::trigger::Kind;
use std::path::Path;

const HEADER: &str = "[scheduler]\ntimezone = \"Europe/Berlin\"\n[jobs.a]\ncommand = \"x\"\n";

fn problems(body: &str) -> Vec<String> {
    match parse(Path::new("s.toml"), &format!("{HEADER}{body}")) {
        Ok(_) => Vec::new(),
        Err(list) => list.iter().map(ToString::to_string).collect(),
    }
}

fn summary(body: &str) -> String {
    let config = parse(Path::new("s.toml"), &format!("{HEADER}{body}")).expect(body);
    config.jobs[0].trigger.summary()
}

#[test]
fn combined_triggers_read_as_their_kinds() {
    let cases = [
        (
            "cron = [\"0 9 * * mon-fri\", \"0 12 * * sat\"]",
            "or(cron 0 9 * * mon-fri; cron 0 12 * * sat)",
        ),
        // One string alone is that string.
        ("cron = [\"0 9 * * *\"]", "cron 0 9 * * *"),
        (
            "cron = [\"@every 90s\", \"@hourly\"]",
            "or(interval 1m30s; cron @hourly)",
        ),
        (
            "trigger = \"or\"\ntriggers = [{ trigger = \"cron\", hour = 9 }, { trigger = \"interval\", hours = 2 }]",
            "or(cron[hour='9']; interval 2h)",
        ),
        (
            "trigger = \"and\"\ntriggers = [{ cron = \"0 */2 * * *\" }, { cron = [\"0 6 * * *\", \"0 8 * * *\"] }]",
            "and(cron 0 */2 * * *; or(cron 0 6 * * *; cron 0 8 * * *))",
        ),
        (
            "trigger = \"or\"\n[[jobs.a.triggers]]\ntrigger = \"date\"\nrun_date = \"2099-01-01T00:00:00\"\n[[jobs.a.triggers]]\ntrigger = \"and\"\ntriggers = [{ cron = \"0 0 * * mon\" }, { cron = \"0 0 1 * *\" }]",
            "or(date 2099-01-01T00:00:00+01:00; and(cron 0 0 * * mon; cron 0 0 1 * *))",
        ),
    ];
    for (body, want) in cases {
        assert_eq!(summary(body), want, "{body}");
    }
}

#[test]
fn members_share_the_jobs_zone() {
    let body = "timezone = \"Asia/Tokyo\"\ntrigger = \"or\"\ntriggers = [{ trigger = \"date\", run_date = \"2099-01-01T09:00:00\" }, { cron = \"0 9 * * *\" }]";
    let config = parse(Path::new("s.toml"), &format!("{HEADER}{body}")).expect("valid");
    let t = &config.jobs[0].trigger;
    assert_eq!(t.tz, chrono_tz::Asia::Tokyo);
    let Kind::Or(members) = &t.kind else {
        panic!("{t:?}")
    };
    let Kind::Date { run_date } = &members[0] else {
        panic!("{members:?}")
    };
    assert_eq!(run_date.to_rfc3339(), "2099-01-01T09:00:00+09:00");
}

#[test]
fn every_problem_of_a_combination_is_said_where_it_is() {
    let cases: [(&str, &[&str]); 9] = [
        (
            "cron = [\"0 9 * * *\", \"61 * * * *\", \"CRON_TZ=UTC 0 1 * * *\", 5]",
            &[
                "s.toml:5:22: jobs.a.cron[1]: invalid cron expression \"61 * * * *\": minute: 61 is out of range 0-59 (try it with: apsched validate '61 * * * *')",
                "s.toml:5:36: jobs.a.cron[2]: a zone prefix is not allowed in a list of cron strings (drop the prefix and set the job's timezone)",
                "s.toml:5:61: jobs.a.cron[3] must be a string, not integer",
            ],
        ),
        (
            "cron = []",
            &[
                "s.toml:5:8: jobs.a.cron has 0 items; it takes 1 to 100 (cron = [\"0 9 * * mon-fri\", \"0 12 * * sat\"])",
            ],
        ),
        (
            "trigger = \"and\"\ntriggers = [{ cron = \"0 9 * * *\" }, { cron = \"0 10 * * *\" }]",
            &[
                "s.toml:3:7: job \"a\" never fires: the triggers of and(cron 0 9 * * *; cron 0 10 * * *) agree on no time after now (tried 10000 candidate times) (an and fires only when all its triggers fire at the same second; check that they can)",
            ],
        ),
        (
            "trigger = \"or\"\ntriggers = [{ trigger = \"interval\", hour = 2, jitter = 5 }, { trigger = \"startup\" }]",
            &[
                "s.toml:6:37: \"hour\" belongs to trigger = \"cron\", but jobs.a.triggers[0] uses interval (did you mean \"hours\"?)",
                "s.toml:6:47: jobs.a.triggers[0].jitter: \"jitter\" belongs to the job, not to one of its triggers (move it to [jobs.a]; it applies to all its triggers)",
                "s.toml:6:13: interval trigger jobs.a.triggers[0] needs a period (add weeks, days, hours, minutes or seconds, e.g. minutes = 5)",
                "s.toml:6:61: jobs.a.triggers[1]: a startup trigger cannot be combined (a startup trigger has no time by the clock; give it a job of its own)",
            ],
        ),
        (
            "trigger = \"or\"\ntriggers = [\"0 9 * * *\", { trigger = \"date\" }, { bogus = 1, cron = \"* * * * *\" }]",
            &[
                "s.toml:6:13: jobs.a.triggers[0] must be a table, not string",
                "s.toml:6:26: date trigger jobs.a.triggers[1] needs run_date (run_date = \"2027-01-01T00:00:00\")",
                "s.toml:6:50: unknown key \"bogus\" in jobs.a.triggers[2] (known keys: trigger, cron, year, month, day, week, day_of_week, hour, minute, second, weeks, days, hours, minutes, seconds, run_date, triggers)",
            ],
        ),
        (
            "trigger = \"or\"",
            &[
                "s.toml:3:7: or job \"a\" needs triggers = [...] (triggers = [{ trigger = \"cron\", hour = 9 }, { trigger = \"interval\", hours = 2 }])",
            ],
        ),
        (
            "trigger = \"and\"\ntriggers = { cron = \"* * * * *\" }",
            &[
                "s.toml:6:12: jobs.a.triggers must be an array, not table (triggers = [{ trigger = \"cron\", hour = 9 }, { trigger = \"interval\", hours = 2 }])",
            ],
        ),
        (
            "cron = \"0 9 * * *\"\ntriggers = [{ cron = \"0 9 * * *\" }]",
            &[
                "s.toml:6:1: \"triggers\" belongs to trigger = \"or\", but job \"a\" uses a cron string",
            ],
        ),
        (
            "trigger = \"or\"\ntriggers = [{ trigger = \"or\", triggers = [{ trigger = \"or\", triggers = [{ trigger = \"or\", triggers = [{ trigger = \"or\", triggers = [{ cron = \"* * * * *\" }] }] }] }] }]",
            &[
                "s.toml:6:103: jobs.a.triggers[0].triggers[0].triggers[0].triggers[0]: trigger = \"or\" nests 5 deep; at most 4 are read (write the inner triggers as members of the outer one)",
            ],
        ),
    ];
    for (body, want) in cases {
        assert_eq!(problems(body), want, "{body}");
    }
}

#[test]
fn member_counts_and_the_jobs_own_keys_are_bounded() {
    let many = vec!["{ cron = \"@daily\" }"; 101].join(", ");
    let got = problems(&format!("trigger = \"or\"\ntriggers = [{many}]"));
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].starts_with("s.toml:6:12: jobs.a.triggers has 101 items; it takes 1 to 100"),
        "{got:?}"
    );
    for key in [
        "timezone = \"UTC\"",
        "start_date = \"2027-01-01T00:00:00\"",
        "end_date = \"2027-01-01T00:00:00\"",
    ] {
        let name = key.split(' ').next().unwrap_or_default();
        let got = problems(&format!(
            "trigger = \"and\"\ntriggers = [{{ cron = \"@daily\", {key} }}, {{ cron = \"@hourly\" }}]"
        ));
        let want = format!(
            "s.toml:6:32: jobs.a.triggers[0].{name}: \"{name}\" belongs to the job, not to one of its triggers (move it to [jobs.a]; it applies to all its triggers)"
        );
        assert_eq!(got, [want], "{key}");
    }
}
