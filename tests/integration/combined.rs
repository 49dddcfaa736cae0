//! Combined triggers through every path a user takes: `run` fires a cron
//! list and an `and` at their times (once for an instant two members
//! share), `check` and `list` show them with their next times and
//! meanings, `validate --or`/`--and` combine expressions, and an `and` that
//! can never fire is refused at load.

use crate::harness::{Dir, Test, faketime};

const JOBS: &str = r#"
[jobs.either]
command = "true"
cron = ["58 * * * * *", "*/2 * * * * *"]

[jobs.both]
command = "true"
trigger = "and"
triggers = [ { cron = "*/2 * * * * *" }, { trigger = "cron", second = "57-59" } ]
"#;

/// The scheduled times of `job`'s runs in the history, oldest first.
fn scheduled(dir: &Dir, job: &str) -> Vec<String> {
    let mut times: Vec<String> = dir
        .history()
        .iter()
        .filter(|r| r["job"] == job)
        .filter_map(|r| r["scheduled"].as_str().map(str::to_string))
        .collect();
    times.sort();
    times
}

#[test]
fn run_fires_a_cron_list_once_an_instant_and_an_and_where_members_agree() {
    if !faketime() {
        return;
    }
    let dir = Dir::schedule(JOBS);
    // From 00:00:56: `either` at :58 (both its strings) and at 00:01:00;
    // `both` at :58 only (even, and within 57-59).
    dir.run()
        .at("2027-01-01 00:00:56")
        .spawn()
        .stop_when("job_executed", 3);
    assert_eq!(
        scheduled(&dir, "either")[..2],
        ["2027-01-01T00:00:58+00:00", "2027-01-01T00:01:00+00:00"]
    );
    assert_eq!(scheduled(&dir, "both"), ["2027-01-01T00:00:58+00:00"]);
}

#[test]
fn check_and_list_show_combined_triggers_and_their_next_times() {
    let dir = Dir::schedule(JOBS);
    let check = dir.apsched(["check", "s.toml"]).run();
    for (id, trigger, meaning) in [
        (
            "either",
            "or(cron 58 * * * * *; cron */2 * * * * *)",
            "every minute, at second 58, or every 2 seconds",
        ),
        (
            "both",
            "and(cron */2 * * * * *; cron[second='57-59'])",
            "when all agree: every 2 seconds; and every second from second 57 through 59 of every minute",
        ),
    ] {
        let row = check
            .stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap_or_else(|| panic!("{id}: {}", check.stdout));
        assert!(row.contains(trigger), "{row}");
        assert!(row.ends_with(meaning), "{row}");
    }
    let json = dir.apsched(["check", "s.toml", "--json"]).run().json();
    assert_eq!(
        json["jobs"][0]["description"],
        "every minute, at second 58, or every 2 seconds"
    );
    assert_eq!(
        json["jobs"][1]["description"],
        "when all agree: every 2 seconds; and every second from second 57 through 59 of every minute"
    );
    let list = dir
        .apsched([
            "list",
            "s.toml",
            "--json",
            "--at",
            "2027-01-01T00:00:56Z",
            "-n",
            "3",
        ])
        .run()
        .json();
    let times = |i: usize| list[i]["next_run_times"].clone();
    assert_eq!(
        list[0]["trigger"],
        "or(cron 58 * * * * *; cron */2 * * * * *)"
    );
    assert_eq!(
        times(0),
        serde_json::json!([
            "2027-01-01T00:00:58+00:00",
            "2027-01-01T00:01:00+00:00",
            "2027-01-01T00:01:02+00:00"
        ])
    );
    assert_eq!(
        times(1),
        serde_json::json!([
            "2027-01-01T00:00:58+00:00",
            "2027-01-01T00:01:58+00:00",
            "2027-01-01T00:02:58+00:00"
        ])
    );
}

#[test]
fn an_and_that_never_fires_is_refused_at_load() {
    let dir = Dir::schedule(
        r#"[jobs.never]
command = "true"
trigger = "and"
triggers = [ { cron = "0 9 * * *" }, { cron = "0 10 * * *" } ]
"#,
    );
    let want = "job \"never\" never fires: the triggers of and(cron 0 9 * * *; cron 0 10 * * *) agree on no time after now";
    for command in ["check", "run"] {
        dir.apsched([command, "s.toml"])
            .status(3)
            .stderr_contains(want)
            .run();
    }
}

/// `validate --json` of `combined` (A --or/--and B) in UTC, its first two
/// times after the start of 2027.
fn validate_json(combined: [&str; 3]) -> serde_json::Value {
    let after = [
        "validate",
        "--json",
        "-z",
        "UTC",
        "--after",
        "2027-01-01T00:00:00Z",
    ];
    Test::new()
        .args(after.into_iter().chain(["-n", "2"]).chain(combined))
        .run()
        .json()
}

#[test]
fn validate_combines_expressions_with_or_and_and() {
    Test::new()
        .args([
            "validate",
            "-z",
            "Europe/Berlin",
            "--after",
            "2026-03-27T00:00",
            "-n",
            "3",
            "0 9 * * mon-fri",
            "--or",
            "0 12 * * sat",
        ])
        .stdout(
            "expression  0 9 * * mon-fri\n\
             or          0 12 * * sat\n\
             normalized  or(cron 0 9 * * 1-5; cron 0 12 * * 6)\n\
             meaning     at 09:00 on Monday through Friday, or at 12:00 on Saturday\n\
             time zone   Europe/Berlin\n\
             next 3 fire times after 2026-03-27T00:00:00+01:00:\n  \
             2026-03-27T09:00:00+01:00  Fri  in 9h\n  \
             2026-03-28T12:00:00+01:00  Sat  in 1d 12h\n  \
             2026-03-30T09:00:00+02:00  Mon  in 3d 8h\n",
        )
        .run();
    let and = validate_json(["0 */2 * * *", "--and", "0 */3 * * *"]);
    assert_eq!(and["combined"], "and");
    let or = validate_json(["0 9 * * *", "--or", "@every 6h"]);
    assert_eq!(or["combined"], "or");
    assert_eq!(
        or["expression"],
        serde_json::json!(["0 9 * * *", "@every 6h"])
    );
    assert_eq!(
        or["next_run_times"],
        serde_json::json!(["2027-01-01T06:00:00+00:00", "2027-01-01T09:00:00+00:00"])
    );
    assert_eq!(
        and["next_run_times"],
        serde_json::json!(["2027-01-01T06:00:00+00:00", "2027-01-01T12:00:00+00:00"])
    );
    Test::new()
        .args(["validate", "-z", "UTC", "0 9 * * *", "--and", "0 10 * * *"])
        .stdout_contains("never fires after ")
        .stdout_contains(": the expressions share no time (tried 10000 candidate times)\n")
        .run();
    Test::new()
        .args(["validate", "0 9 * * *", "--or", "CRON_TZ=UTC 0 1 * * *"])
        .status(3)
        .stderr_contains(
            "a zone prefix is not allowed with --or or --and (drop the prefix and give --timezone)",
        )
        .run();
}
