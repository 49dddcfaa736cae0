//! Table-driven tests of the engine: every syntax element, and the DST policy
//! on real transition days. Expected times were worked out by hand from the
//! calendar and the zones' published rules, not computed by the engine.

use super::{CronFields, CronSchedule};
use chrono::{DateTime, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// The first `n` fire times of `schedule` after the wall time `after` in `zone`,
/// as RFC 3339 text.
fn fires_of(schedule: &CronSchedule, zone: &str, after: &str, n: usize) -> Vec<String> {
    let tz: Tz = zone.parse().expect("zone");
    let wall = NaiveDateTime::parse_from_str(after, "%Y-%m-%dT%H:%M:%S").expect("time");
    let start: DateTime<Tz> = tz.from_local_datetime(&wall).earliest().expect("exists");
    schedule
        .iter_after(&start)
        .take(n)
        .map(|t| t.to_rfc3339())
        .collect()
}

fn fires(expr: &str, zone: &str, after: &str, n: usize) -> Vec<String> {
    let schedule: CronSchedule = expr.parse().unwrap_or_else(|e| panic!("{expr}: {e}"));
    fires_of(&schedule, zone, after, n)
}

fn check(cases: &[(&str, &str, &str, &[&str])]) {
    for (expr, zone, after, want) in cases {
        let got = fires(expr, zone, after, want.len().max(1));
        let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(got, want, "{expr} in {zone} after {after}");
    }
}

const T0: &str = "2026-01-01T00:00:00"; // a Thursday

#[test]
fn cron_string_syntax() {
    check(&[
        (
            "*/20 * * * * *",
            "UTC",
            T0,
            &[
                "2026-01-01T00:00:20+00:00",
                "2026-01-01T00:00:40+00:00",
                "2026-01-01T00:01:00+00:00",
            ],
        ),
        (
            "5/20 * * * *",
            "UTC",
            T0,
            &[
                "2026-01-01T00:05:00+00:00",
                "2026-01-01T00:25:00+00:00",
                "2026-01-01T00:45:00+00:00",
                "2026-01-01T01:05:00+00:00",
            ],
        ),
        (
            "10-40/15 9 * * *",
            "UTC",
            T0,
            &[
                "2026-01-01T09:10:00+00:00",
                "2026-01-01T09:25:00+00:00",
                "2026-01-01T09:40:00+00:00",
                "2026-01-02T09:10:00+00:00",
            ],
        ),
        (
            "0 8,12-13 * * *",
            "UTC",
            T0,
            &[
                "2026-01-01T08:00:00+00:00",
                "2026-01-01T12:00:00+00:00",
                "2026-01-01T13:00:00+00:00",
            ],
        ),
        (
            "0 0 * JAN-feb SUN",
            "UTC",
            T0,
            &["2026-01-04T00:00:00+00:00", "2026-01-11T00:00:00+00:00"],
        ),
        ("0 0 * * 7", "UTC", T0, &["2026-01-04T00:00:00+00:00"]),
        // `a/n` runs to the field's maximum, 7 (Sunday) in day of week.
        (
            "0 0 * * 5/2",
            "UTC",
            T0,
            &[
                "2026-01-02T00:00:00+00:00",
                "2026-01-04T00:00:00+00:00",
                "2026-01-09T00:00:00+00:00",
            ],
        ),
        (
            "0 0 * * 7/1",
            "UTC",
            T0,
            &["2026-01-04T00:00:00+00:00", "2026-01-11T00:00:00+00:00"],
        ),
        (
            "0 0 * * 5-7",
            "UTC",
            T0,
            &[
                "2026-01-02T00:00:00+00:00",
                "2026-01-03T00:00:00+00:00",
                "2026-01-04T00:00:00+00:00",
                "2026-01-09T00:00:00+00:00",
            ],
        ),
        ("0 0 ? * mon", "UTC", T0, &["2026-01-05T00:00:00+00:00"]),
        ("0 0 1 * ?", "UTC", T0, &["2026-02-01T00:00:00+00:00"]),
        (
            "0 0 12 1 1 * 2030",
            "UTC",
            T0,
            &["2030-01-01T12:00:00+00:00"],
        ),
        (
            "0 0 0 1 1 * 2027-2040/5",
            "UTC",
            T0,
            &["2027-01-01T00:00:00+00:00", "2032-01-01T00:00:00+00:00"],
        ),
        ("@yearly", "UTC", T0, &["2027-01-01T00:00:00+00:00"]),
        ("@annually", "UTC", T0, &["2027-01-01T00:00:00+00:00"]),
        ("@monthly", "UTC", T0, &["2026-02-01T00:00:00+00:00"]),
        ("@weekly", "UTC", T0, &["2026-01-04T00:00:00+00:00"]),
        ("@daily", "UTC", T0, &["2026-01-02T00:00:00+00:00"]),
        ("@midnight", "UTC", T0, &["2026-01-02T00:00:00+00:00"]),
        ("@HOURLY", "UTC", T0, &["2026-01-01T01:00:00+00:00"]),
    ]);
}

#[test]
fn cron_string_day_rules() {
    check(&[
        // Both restricted: the 13th OR any Friday.
        (
            "0 0 13 * 5",
            "UTC",
            T0,
            &[
                "2026-01-02T00:00:00+00:00",
                "2026-01-09T00:00:00+00:00",
                "2026-01-13T00:00:00+00:00",
                "2026-01-16T00:00:00+00:00",
            ],
        ),
        // Day-of-month starts with `*`: odd days AND Mondays.
        (
            "0 0 */2 * 1",
            "UTC",
            T0,
            &[
                "2026-01-05T00:00:00+00:00",
                "2026-01-19T00:00:00+00:00",
                "2026-02-09T00:00:00+00:00",
                "2026-02-23T00:00:00+00:00",
            ],
        ),
        (
            "0 0 L * *",
            "UTC",
            T0,
            &[
                "2026-01-31T00:00:00+00:00",
                "2026-02-28T00:00:00+00:00",
                "2026-03-31T00:00:00+00:00",
            ],
        ),
        (
            "0 0 L-2 * *",
            "UTC",
            T0,
            &[
                "2026-01-29T00:00:00+00:00",
                "2026-02-26T00:00:00+00:00",
                "2026-03-29T00:00:00+00:00",
            ],
        ),
        (
            "0 0 15W * *",
            "UTC",
            T0,
            &[
                "2026-01-15T00:00:00+00:00",
                "2026-02-16T00:00:00+00:00",
                "2026-03-16T00:00:00+00:00",
            ],
        ),
        (
            "0 0 1W * *",
            "UTC",
            "2025-10-15T00:00:00",
            &["2025-11-03T00:00:00+00:00"],
        ),
        (
            "0 0 LW * *",
            "UTC",
            T0,
            &[
                "2026-01-30T00:00:00+00:00",
                "2026-02-27T00:00:00+00:00",
                "2026-03-31T00:00:00+00:00",
            ],
        ),
        (
            "0 0 * * 5L",
            "UTC",
            T0,
            &[
                "2026-01-30T00:00:00+00:00",
                "2026-02-27T00:00:00+00:00",
                "2026-03-27T00:00:00+00:00",
            ],
        ),
        ("0 0 * * friL", "UTC", T0, &["2026-01-30T00:00:00+00:00"]),
        (
            "0 0 * * fri#3",
            "UTC",
            T0,
            &[
                "2026-01-16T00:00:00+00:00",
                "2026-02-20T00:00:00+00:00",
                "2026-03-20T00:00:00+00:00",
            ],
        ),
        (
            "0 0 * * 5#5",
            "UTC",
            T0,
            &["2026-01-30T00:00:00+00:00", "2026-05-29T00:00:00+00:00"],
        ),
        (
            "0 0 1,L * *",
            "UTC",
            T0,
            &[
                "2026-01-31T00:00:00+00:00",
                "2026-02-01T00:00:00+00:00",
                "2026-02-28T00:00:00+00:00",
            ],
        ),
        // Feb 29 or any Monday of February.
        (
            "0 0 29 2 1",
            "UTC",
            T0,
            &["2026-02-02T00:00:00+00:00", "2026-02-09T00:00:00+00:00"],
        ),
        (
            "0 0 29 2 *",
            "UTC",
            T0,
            &["2028-02-29T00:00:00+00:00", "2032-02-29T00:00:00+00:00"],
        ),
    ]);
}

#[test]
fn schedules_that_never_fire() {
    for expr in [
        "0 0 30 2 *",
        "0 0 31 4,6,9,11 *",
        "0 0 0 1 1 * 2020",
        "0 0 0 30 2 * 2026-2199",
        "0 0 0 L-30 2 *",
    ] {
        assert_eq!(fires(expr, "UTC", T0, 1), Vec::<String>::new(), "{expr}");
    }
}

#[test]
fn spring_forward_shifts_by_the_gap() {
    check(&[
        // Europe/Berlin, 2026-03-29 02:00 CET -> 03:00 CEST.
        (
            "30 2 * * *",
            "Europe/Berlin",
            "2026-03-28T12:00:00",
            &["2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00"],
        ),
        (
            "0 2 * * *",
            "Europe/Berlin",
            "2026-03-28T12:00:00",
            &["2026-03-29T03:00:00+02:00"],
        ),
        // Shifted and regular times landing on one instant fire once.
        (
            "*/30 * * * *",
            "Europe/Berlin",
            "2026-03-29T01:45:00",
            &[
                "2026-03-29T03:00:00+02:00",
                "2026-03-29T03:30:00+02:00",
                "2026-03-29T04:00:00+02:00",
            ],
        ),
        (
            "30 2,3 * * *",
            "Europe/Berlin",
            "2026-03-29T00:00:00",
            &["2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00"],
        ),
        // Shifted times can come after regular ones in wall order: still increasing.
        (
            "10,50 2,3 * * *",
            "Europe/Berlin",
            "2026-03-29T00:00:00",
            &[
                "2026-03-29T03:10:00+02:00",
                "2026-03-29T03:50:00+02:00",
                "2026-03-30T02:10:00+02:00",
            ],
        ),
        // America/New_York, 2026-03-08 02:00 EST -> 03:00 EDT.
        (
            "30 2 * * *",
            "America/New_York",
            "2026-03-07T12:00:00",
            &["2026-03-08T03:30:00-04:00", "2026-03-09T02:30:00-04:00"],
        ),
        // Europe/London, 2026-03-29 01:00 GMT -> 02:00 BST.
        (
            "30 1 * * *",
            "Europe/London",
            "2026-03-28T12:00:00",
            &["2026-03-29T02:30:00+01:00", "2026-03-30T01:30:00+01:00"],
        ),
        // Australia/Lord_Howe, 2026-10-04 02:00 +10:30 -> 02:30 +11:00 (a 30-minute gap).
        (
            "15 2 * * *",
            "Australia/Lord_Howe",
            "2026-10-03T12:00:00",
            &["2026-10-04T02:45:00+11:00", "2026-10-05T02:15:00+11:00"],
        ),
        (
            "*/15 * * * *",
            "Australia/Lord_Howe",
            "2026-10-04T01:50:00",
            &[
                "2026-10-04T02:30:00+11:00",
                "2026-10-04T02:45:00+11:00",
                "2026-10-04T03:00:00+11:00",
            ],
        ),
    ]);
}

#[test]
fn fall_back_fires_once_unless_every_hour() {
    check(&[
        // Europe/Berlin, 2026-10-25 03:00 CEST -> 02:00 CET.
        (
            "30 2 * * *",
            "Europe/Berlin",
            "2026-10-24T12:00:00",
            &["2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"],
        ),
        (
            "*/30 * * * *",
            "Europe/Berlin",
            "2026-10-25T01:45:00",
            &[
                "2026-10-25T02:00:00+02:00",
                "2026-10-25T02:30:00+02:00",
                "2026-10-25T02:00:00+01:00",
                "2026-10-25T02:30:00+01:00",
                "2026-10-25T03:00:00+01:00",
            ],
        ),
        // America/New_York, 2026-11-01 02:00 EDT -> 01:00 EST.
        (
            "30 1 * * *",
            "America/New_York",
            "2026-10-31T12:00:00",
            &["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"],
        ),
        (
            "0 1 * * *",
            "America/New_York",
            "2026-10-31T12:00:00",
            &["2026-11-01T01:00:00-04:00", "2026-11-02T01:00:00-05:00"],
        ),
        (
            "*/30 * * * *",
            "America/New_York",
            "2026-11-01T00:50:00",
            &[
                "2026-11-01T01:00:00-04:00",
                "2026-11-01T01:30:00-04:00",
                "2026-11-01T01:00:00-05:00",
                "2026-11-01T01:30:00-05:00",
                "2026-11-01T02:00:00-05:00",
            ],
        ),
        (
            "0 * * * *",
            "America/New_York",
            "2026-11-01T00:30:00",
            &[
                "2026-11-01T01:00:00-04:00",
                "2026-11-01T01:00:00-05:00",
                "2026-11-01T02:00:00-05:00",
            ],
        ),
        // An hour list that is not every hour: once.
        (
            "0 0-12 * * *",
            "America/New_York",
            "2026-11-01T00:30:00",
            &["2026-11-01T01:00:00-04:00", "2026-11-01T02:00:00-05:00"],
        ),
        // Europe/London, 2026-10-25 02:00 BST -> 01:00 GMT.
        (
            "30 1 * * *",
            "Europe/London",
            "2026-10-24T12:00:00",
            &["2026-10-25T01:30:00+01:00", "2026-10-26T01:30:00+00:00"],
        ),
        // Australia/Lord_Howe, 2026-04-05 02:00 +11:00 -> 01:30 +10:30.
        (
            "45 1 * * *",
            "Australia/Lord_Howe",
            "2026-04-04T12:00:00",
            &["2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30"],
        ),
        (
            "*/15 * * * *",
            "Australia/Lord_Howe",
            "2026-04-05T01:20:00",
            &[
                "2026-04-05T01:30:00+11:00",
                "2026-04-05T01:45:00+11:00",
                "2026-04-05T01:30:00+10:30",
                "2026-04-05T01:45:00+10:30",
                "2026-04-05T02:00:00+10:30",
            ],
        ),
    ]);
}

fn fields(pairs: &[(&str, &str)]) -> CronFields {
    let mut f = CronFields::default();
    for (name, value) in pairs {
        let slot = f.slot(name).expect("a field name");
        *slot = Some(value.to_string());
    }
    f
}

#[test]
fn field_style_triggers() {
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str, &'a [&'a str]);
    let cases: &[Case] = &[
        (
            &[("hour", "3")],
            "UTC",
            T0,
            &["2026-01-01T03:00:00+00:00", "2026-01-02T03:00:00+00:00"],
        ),
        (
            &[("hour", "3"), ("second", "5")],
            "UTC",
            T0,
            &["2026-01-01T03:00:05+00:00", "2026-01-01T03:01:05+00:00"],
        ),
        (
            &[],
            "UTC",
            T0,
            &["2026-01-01T00:00:01+00:00", "2026-01-01T00:00:02+00:00"],
        ),
        // 0 = Monday.
        (
            &[("day_of_week", "0")],
            "UTC",
            T0,
            &["2026-01-05T00:00:00+00:00", "2026-01-12T00:00:00+00:00"],
        ),
        (
            &[("day_of_week", "sun")],
            "UTC",
            T0,
            &["2026-01-04T00:00:00+00:00"],
        ),
        (
            &[("day_of_week", "6")],
            "UTC",
            T0,
            &["2026-01-04T00:00:00+00:00"],
        ),
        (
            &[("day_of_week", "mon-fri"), ("hour", "9")],
            "UTC",
            T0,
            &[
                "2026-01-01T09:00:00+00:00",
                "2026-01-02T09:00:00+00:00",
                "2026-01-05T09:00:00+00:00",
            ],
        ),
        (
            &[("day", "3rd fri")],
            "UTC",
            T0,
            &["2026-01-16T00:00:00+00:00", "2026-02-20T00:00:00+00:00"],
        ),
        (
            &[("day", "last fri")],
            "UTC",
            T0,
            &["2026-01-30T00:00:00+00:00"],
        ),
        (
            &[("day", "last")],
            "UTC",
            T0,
            &["2026-01-31T00:00:00+00:00", "2026-02-28T00:00:00+00:00"],
        ),
        (
            &[("day", "1,last")],
            "UTC",
            "2026-01-05T00:00:00",
            &["2026-01-31T00:00:00+00:00", "2026-02-01T00:00:00+00:00"],
        ),
        (
            &[("week", "2")],
            "UTC",
            T0,
            &["2026-01-05T00:00:00+00:00", "2026-01-06T00:00:00+00:00"],
        ),
        (
            &[("year", "2027")],
            "UTC",
            T0,
            &["2027-01-01T00:00:00+00:00"],
        ),
        (
            &[("month", "feb-mar")],
            "UTC",
            T0,
            &[
                "2026-02-01T00:00:00+00:00",
                "2026-03-01T00:00:00+00:00",
                "2027-02-01T00:00:00+00:00",
            ],
        ),
        // All fields must match: the 13th AND a Friday.
        (
            &[("day", "13"), ("day_of_week", "fri")],
            "UTC",
            T0,
            &[
                "2026-02-13T00:00:00+00:00",
                "2026-03-13T00:00:00+00:00",
                "2026-11-13T00:00:00+00:00",
            ],
        ),
        // Feb 29 that is a Monday.
        (
            &[("month", "2"), ("day", "29"), ("day_of_week", "mon")],
            "UTC",
            "2025-01-01T00:00:00",
            &["2044-02-29T00:00:00+00:00", "2072-02-29T00:00:00+00:00"],
        ),
        (
            &[("minute", "*/20")],
            "UTC",
            T0,
            &["2026-01-01T00:20:00+00:00", "2026-01-01T00:40:00+00:00"],
        ),
        (
            &[("hour", "2"), ("minute", "30")],
            "Europe/Berlin",
            "2026-03-28T12:00:00",
            &["2026-03-29T03:30:00+02:00", "2026-03-30T02:30:00+02:00"],
        ),
        (
            &[("hour", "1"), ("minute", "30")],
            "America/New_York",
            "2026-10-31T12:00:00",
            &["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"],
        ),
    ];
    for (pairs, zone, after, want) in cases {
        let schedule = CronSchedule::from_fields(&fields(pairs)).expect("valid fields");
        // One more than expected: a schedule that ends must stop there.
        let got = fires_of(
            &schedule,
            zone,
            after,
            want.len() + usize::from(pairs == &[("year", "2027")]),
        );
        assert_eq!(got, want.to_vec(), "{pairs:?}");
    }
}

#[test]
fn field_style_that_never_fires() {
    let f = fields(&[("year", "2025-2027"), ("month", "2"), ("day", "5th mon")]);
    let schedule = CronSchedule::from_fields(&f).expect("valid");
    assert_eq!(
        fires_of(&schedule, "UTC", "2025-01-01T00:00:00", 1),
        Vec::<String>::new()
    );
    let f = fields(&[("week", "1"), ("month", "6")]);
    let schedule = CronSchedule::from_fields(&f).expect("valid");
    assert_eq!(
        fires_of(&schedule, "UTC", "2025-01-01T00:00:00", 1),
        Vec::<String>::new()
    );
}

#[test]
fn errors_name_the_field_and_the_text() {
    let cases = [
        ("61 * * * *", "minute: 61 is out of range 0-59"),
        ("* 24 * * *", "hour: 24 is out of range 0-23"),
        ("* * 0 * *", "day-of-month: 0 is out of range 1-31"),
        ("* * * 13 *", "month: 13 is out of range 1-12"),
        ("* * * * 8", "day-of-week: 8 is out of range 0-7"),
        ("60 * * * * *", "second: 60 is out of range 0-59"),
        ("0 0 0 * * * 1969", "year: 1969 is out of range 1970-2199"),
        (
            "* * * *",
            "expression: expected 5, 6 or 7 fields (minute hour day-of-month month day-of-week, with an optional leading second and trailing year), found 4",
        ),
        ("", "expression: the expression is empty"),
        (
            "@reboot",
            "expression: @reboot is not a time schedule; apsched runs jobs at times only",
        ),
        (
            "* * * * fri#6",
            "day-of-week: \"6\" in \"fri#6\" must be 1-5 (which week of the month)",
        ),
        (
            "* * L-31 * *",
            "day-of-month: \"L-31\": 31 is out of range 0-30",
        ),
        // The token shown is always the whole of what was written.
        (
            "* * * * fool",
            "day-of-week: \"fool\" is not a valid value: expected a number or a name (sun, mon, tue, wed, thu, fri, sat)",
        ),
        ("* * * * 8L", "day-of-week: \"8L\": 8 is out of range 0-7"),
        (
            "* * foolW * *",
            "day-of-month: \"foolW\" is not a valid value: expected a number",
        ),
        (
            "* * 32W * *",
            "day-of-month: \"32W\": 32 is out of range 1-31",
        ),
        (
            "0 0 1 1 * 2030",
            "expression: 6 fields mean a leading seconds field (second minute hour day-of-month month day-of-week), so \"2030\" was read as the day of week; a year needs 7 fields, as in \"0 0 0 1 1 * 2030\"",
        ),
        (
            "* * * * L",
            "day-of-week: \"L\" in day-of-week needs a weekday before it, as in 5L or friL (last Friday)",
        ),
        (
            "? * * * *",
            "minute: \"?\" is only allowed in day-of-month and day-of-week",
        ),
        (
            "1,,2 * * * *",
            "minute: \"1,,2\" has an empty element in its comma list",
        ),
        (
            "* * * foo *",
            "month: \"foo\" is not a valid value: expected a number or a name (jan, feb, mar, apr, may, jun, jul, aug, sep, oct, nov, dec)",
        ),
        (
            "* * * * fri-mon",
            "day-of-week: range \"fri-mon\" runs backwards: 5 is after 1",
        ),
    ];
    for (expr, want) in cases {
        let err = expr.parse::<CronSchedule>().expect_err(expr);
        assert_eq!(err.to_string(), want, "{expr}");
    }
}

#[test]
fn field_errors_name_the_field() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("hour", "24")], "hour: 24 is out of range 0-23"),
        (
            &[("day_of_week", "7")],
            "day_of_week: 7 is out of range 0-6",
        ),
        (
            &[("day", "6th fri")],
            "day: \"6th fri\" is not valid: expected 1st-5th or last before a weekday, as in \"3rd fri\"",
        ),
        (
            &[("day", "last fry")],
            "day: \"fry\" in \"last fry\" is not a weekday name (mon, tue, wed, thu, fri, sat, sun)",
        ),
        (&[("week", "54")], "week: 54 is out of range 1-53"),
        (&[("year", "1969")], "year: 1969 is out of range 1970-9999"),
    ];
    for (pairs, want) in cases {
        let err = CronSchedule::from_fields(&fields(pairs)).expect_err(want);
        assert_eq!(err.to_string(), *want);
    }
}

#[test]
fn normalized_forms() {
    let cases = [
        ("30 2 * * MON-FRI", "30 2 * * 1-5"),
        ("@daily", "0 0 * * *"),
        ("0 0 ? * 7", "0 0 * * 7"),
        ("0 0 l-2 * fril", "0 0 L-2 * 5L"),
        ("*/15 * * jan/3 sun#2", "*/15 * * 1/3 0#2"),
        ("0 0 0 1 1 * 2030", "0 0 0 1 1 * 2030"),
        ("0 0 * * 7/1", "0 0 * * 7"),
        ("0 0 * * 1/2", "0 0 * * 1/2"),
    ];
    for (expr, want) in cases {
        let schedule: CronSchedule = expr.parse().expect(expr);
        assert_eq!(schedule.normalized(), want, "{expr}");
    }
}

#[test]
fn results_are_strictly_after_and_increasing() {
    let schedule: CronSchedule = "* * * * * *".parse().expect("valid");
    let tz: Tz = "Europe/Berlin".parse().expect("zone");
    // A fractional start: the next whole second.
    let after = DateTime::parse_from_rfc3339("2026-10-25T02:59:58.5+02:00")
        .expect("time")
        .with_timezone(&tz);
    let got: Vec<String> = schedule
        .iter_after(&after)
        .take(3)
        .map(|t| t.to_rfc3339())
        .collect();
    assert_eq!(
        got,
        [
            "2026-10-25T02:59:59+02:00",
            "2026-10-25T02:00:00+01:00",
            "2026-10-25T02:00:01+01:00"
        ]
    );
}
