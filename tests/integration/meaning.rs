//! Plain words for every schedule, through the real binary: the `meaning`
//! line of `validate` (and its JSON field), the MEANING column of `list`,
//! the meaning in `check`, the `description` field of `list --json` and
//! `check --json`, and how far each fire time is.

use crate::harness::{Dir, Test};

const SCHEDULE: &str = r#"[scheduler]
timezone = "UTC"
state = ":memory:"

[jobs.weekdays]
command = "true"
cron = "0 9-17 * * mon-fri"

[jobs.last-friday]
command = "true"
trigger = "cron"
day = "last fri"
hour = 16

[jobs.often]
command = "true"
trigger = "interval"
seconds = 90
start_date = "2026-12-01T10:00:00Z"

[jobs.once]
command = "true"
trigger = "date"
run_date = "2030-01-01T00:00:00Z"
"#;

const MEANINGS: [(&str, &str); 4] = [
    (
        "weekdays",
        "every hour from 09:00 through 17:00 on Monday through Friday",
    ),
    ("last-friday", "at 16:00 on the last Friday of the month"),
    ("often", "every 90 seconds, from 2026-12-01T10:00:00+00:00"),
    ("once", "once, at 2030-01-01T00:00:00+00:00"),
];

#[test]
fn validate_prints_a_meaning_for_every_construct() {
    let cases = [
        ("0 16 * * 5L", "at 16:00 on the last Friday of the month"),
        ("0 0 * * fri#3", "at 00:00 on the third Friday of the month"),
        (
            "0 0 15W * *",
            "at 00:00 on the weekday nearest day 15 of the month",
        ),
        (
            "0 0 L-3 * *",
            "at 00:00 on the 3rd day before the last day of the month",
        ),
        ("0 0 LW * *", "at 00:00 on the last weekday of the month"),
        (
            "15,45 8-18/2 * * 1-5",
            "at minutes 15 and 45 past the hour, in every 2nd hour from 08:00 through 18:59 on Monday through Friday",
        ),
        (
            "0 0 12 ? * * 2027,2029",
            "at 12:00 every day in 2027 and 2029",
        ),
        ("@weekly", "at 00:00 on Sunday"),
    ];
    for (expr, meaning) in cases {
        Test::new()
            .args(["validate", "-z", "UTC", "-n", "1", expr])
            .stdout_contains(&format!("\nmeaning     {meaning}\n"))
            .run();
    }
}

#[test]
fn validate_says_how_far_each_fire_time_is_from_after() {
    Test::new()
        .args([
            "validate",
            "-z",
            "UTC",
            "--after",
            "2026-12-01T09:57:00Z",
            "-n",
            "3",
            "0 11 * * *",
        ])
        .stdout_contains(
            "  2026-12-01T11:00:00+00:00  Tue  in 1h 3m\n  \
             2026-12-02T11:00:00+00:00  Wed  in 1d 1h\n  \
             2026-12-03T11:00:00+00:00  Thu  in 2d 1h\n",
        )
        .run();
    Test::new()
        .args([
            "validate",
            "-z",
            "UTC",
            "--after",
            "2026-12-01T00:00:00Z",
            "-n",
            "1",
            "0 0 0 1 1 * 2028",
        ])
        .stdout_contains("  2028-01-01T00:00:00+00:00  Sat  in 1y 31d\n")
        .run();
}

#[test]
fn validate_json_has_the_meaning() {
    let out = Test::new()
        .args(["validate", "--json", "-z", "UTC", "0 0 * * fri#3"])
        .run();
    let report = out.json();
    assert_eq!(
        report["meaning"],
        "at 00:00 on the third Friday of the month"
    );
    assert_eq!(report["description"], report["meaning"]);
}

#[test]
fn list_shows_a_meaning_column_and_how_far_each_run_is() {
    let dir = Dir::new().file("s.toml", SCHEDULE);
    let out = dir
        .apsched(["list", "s.toml", "--at", "2026-12-04T16:30:00Z", "-n", "2"])
        .run();
    assert!(out.stdout.contains("MEANING"), "{}", out.stdout);
    // The table wraps long meanings at word boundaries.
    let words: Vec<&str> = out.stdout.split_whitespace().collect();
    for (_, meaning) in MEANINGS {
        for word in meaning.split_whitespace() {
            assert!(words.contains(&word), "{word}: {}", out.stdout);
        }
    }
    let cases = [
        ("2026-12-04T17:00:00+00:00", "30m"),
        ("2026-12-07T09:00:00+00:00", "2d 16h"),
        ("2026-12-25T16:00:00+00:00", "20d 23h"),
        ("2027-01-29T16:00:00+00:00", "55d 23h"),
        ("2026-12-04T16:31:30+00:00", "1m 30s"),
        ("2026-12-04T16:33:00+00:00", "3m"),
        ("2030-01-01T00:00:00+00:00", "3y 28d"),
    ];
    for (time, until) in cases {
        let row = out
            .stdout
            .lines()
            .find(|l| l.contains(time))
            .unwrap_or_else(|| panic!("{time}: {}", out.stdout));
        // The NEXT RUN cell is the last mention of the time on the row.
        let rest = row.rsplit_once(time).map_or("", |(_, rest)| rest);
        assert!(rest.trim_start().starts_with(until), "{row}");
    }
}

#[test]
fn list_and_check_json_describe_every_trigger() {
    let dir = Dir::new().file("s.toml", SCHEDULE);
    let list = dir.apsched(["list", "s.toml", "--json"]).run().json();
    let check = dir.apsched(["check", "s.toml", "--json"]).run().json();
    for (i, (id, meaning)) in MEANINGS.iter().enumerate() {
        assert_eq!(list[i]["id"], *id);
        assert_eq!(list[i]["description"], *meaning, "list {id}");
        assert_eq!(check["jobs"][i]["description"], *meaning, "check {id}");
    }
}

/// The line of `check`'s table whose first word is `id`.
fn line_of<'a>(stdout: &'a str, id: &str) -> &'a str {
    (stdout.lines())
        .find(|l| l.split_whitespace().next() == Some(id))
        .unwrap_or_else(|| panic!("{id}: {stdout}"))
}

#[test]
fn check_shows_each_meaning() {
    let dir = Dir::new().file("s.toml", SCHEDULE);
    let out = dir.apsched(["check", "s.toml"]).run();
    for (id, meaning) in MEANINGS {
        let row = line_of(&out.stdout, id);
        assert!(row.ends_with(&format!("  {meaning}")), "{row}");
    }
}

/// Neighbouring jobs share a line's texts only where they are the same:
/// the same cron with another command form, zone or status reads as its own.
#[test]
fn check_neighbours_with_one_cron_keep_their_own_form_zone_and_status() {
    let dir = Dir::new().file(
        "s.toml",
        r#"[scheduler]
timezone = "UTC"
state = ":memory:"

[jobs.a]
command = ["true"]
cron = "0 9 * * *"

[jobs.b]
command = "true"
cron = "0 9 * * *"

[jobs.c]
command = "true"
cron = "0 9 * * *"
paused = true

[jobs.d]
command = "true"
cron = "0 9 * * *"
timezone = "Asia/Tokyo"

[jobs.e]
command = "true"
cron = "0 9 * * *"
timezone = "Asia/Tokyo"
"#,
    );
    let out = dir.apsched(["check", "s.toml"]).run();
    let row = |id: &str| line_of(&out.stdout, id);
    assert!(row("a").contains("(UTC, argv)"), "{}", row("a"));
    assert!(row("b").contains("(UTC, shell)"), "{}", row("b"));
    assert!(row("b").contains("next "), "{}", row("b"));
    assert!(row("c").contains("paused"), "{}", row("c"));
    assert!(!row("c").contains("next "), "{}", row("c"));
    for id in ["d", "e"] {
        assert!(row(id).contains("(Asia/Tokyo, shell)"), "{}", row(id));
        assert!(row(id).contains("+09:00"), "{}", row(id));
    }
}

/// The spellings other crons take have meanings too: `@every`, `n-L`,
/// wrap-around ranges, Sunday ending a range, and a startup trigger in
/// `list --json`.
#[test]
fn the_spellings_of_other_crons_have_meanings() {
    let cases = [
        ("@every 90s", "every 90 seconds"),
        ("@every 1h30m", "every 90 minutes"),
        (
            "0 0 29-L * *",
            "at 00:00 on every day from day 29 through the last day of the month",
        ),
        (
            "0 0 1-L/8 * *",
            "at 00:00 on every 8th day from day 1 through the last day of the month",
        ),
        ("0 22-2 * * *", "every hour from 22:00 through 02:00"),
        ("0 9 * * sat-sun", "at 09:00 on Saturday and Sunday"),
    ];
    for (expression, meaning) in cases {
        let out = Test::new()
            .args(["validate", "-z", "UTC", "--after", "2026-12-01 00:00:00"])
            .args([expression])
            .status(0)
            .run();
        assert!(
            out.stdout.contains(&format!("\nmeaning     {meaning}\n")),
            "{expression}: {}",
            out.stdout
        );
        let json = Test::new()
            .args(["validate", "--json", "-z", "UTC", expression])
            .status(0)
            .run()
            .json();
        assert_eq!(json["meaning"], meaning, "{expression}");
    }
    let every = Test::new()
        .args([
            "validate",
            "-n",
            "2",
            "-z",
            "UTC",
            "--after",
            "2026-12-01 00:00:00",
        ])
        .args(["@every 90s"])
        .status(0)
        .run();
    assert!(
        every
            .stdout
            .contains("  2026-12-01T00:01:30+00:00  Tue  in 1m 30s\n"),
        "{}",
        every.stdout
    );
    let dir = Dir::new().file(
        "s.toml",
        "[scheduler]\ntimezone = \"UTC\"\nstate = \":memory:\"\n[jobs.boot]\ncommand = \"true\"\ntrigger = \"startup\"\n",
    );
    let list = Test::new()
        .dir(dir.path())
        .args(["list", "-f", "s.toml", "--json"])
        .status(0)
        .run()
        .json();
    assert_eq!(
        list[0]["description"], "once each time apsched run starts",
        "{list}"
    );
}
