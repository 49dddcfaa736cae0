//! Field-style triggers (`hour = 3`, `day = "last fri"`), as APScheduler
//! reads them.

use super::tests::{T0, fields, fires_of};
use crate::cron::CronSchedule;

#[test]
// A table.
#[allow(clippy::too_many_lines)]
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
