//! Table-driven tests of the bounds on every number: steps above 10,000 in
//! cron strings (above the field's maximum in field style) are errors naming
//! the field and the bound, steps larger
//! than their range keep the first value only, and no start instant, however
//! far away, makes the search overflow or go backwards.

use super::{CronFields, CronSchedule};
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;

fn fires(schedule: &CronSchedule, after: &str, n: usize) -> Vec<String> {
    let start = DateTime::parse_from_rfc3339(after)
        .expect("time")
        .with_timezone(&Tz::UTC);
    let got: Vec<String> = schedule
        .iter_after(&start)
        .take(n)
        .map(|t| t.to_rfc3339())
        .collect();
    assert_eq!(
        schedule.next_after(&start).map(|t| t.to_rfc3339()).as_ref(),
        got.first()
    );
    got
}

fn fields(pairs: &[(&str, &str)]) -> CronFields {
    let mut f = CronFields::default();
    for (name, value) in pairs {
        *f.slot(name).expect("field name") = Some(value.to_string());
    }
    f
}

const T0: &str = "2026-01-01T00:00:00Z";

#[test]
fn steps_too_large_for_their_field_are_errors() {
    let too_large = |field: &str, step: &str, element: &str, max: u32| {
        format!(
            "{field}: step \"{step}\" in \"{element}\" is too large for the {field} field, at most {max}"
        )
    };
    let cases = [
        (
            "* * * * * * */4294967260",
            too_large("year", "4294967260", "*/4294967260", 2199),
        ),
        (
            "0 0 0 1 1 * 2030,*/4294967260",
            too_large("year", "4294967260", "*/4294967260", 2199),
        ),
        (
            "5/4294967292 * * * *",
            too_large("minute", "4294967292", "5/4294967292", 10_000),
        ),
        (
            "*/18446744073709551616 * * * * *",
            too_large(
                "second",
                "18446744073709551616",
                "*/18446744073709551616",
                10_000,
            ),
        ),
        // Cron strings take steps above the field (with a warning), up to 10,000.
        (
            "* */10001 * * *",
            too_large("hour", "10001", "*/10001", 10_000),
        ),
        (
            "* * 1-5/10001 * *",
            too_large("day-of-month", "10001", "1-5/10001", 10_000),
        ),
        (
            "* * * jan/10001 *",
            too_large("month", "10001", "jan/10001", 10_000),
        ),
        (
            "* * * * */10001",
            too_large("day-of-week", "10001", "*/10001", 10_000),
        ),
        (
            "* * * * fri#+1",
            "day-of-week: \"+1\" in \"fri#+1\" must be 1-5 (which week of the month)".into(),
        ),
        (
            "* * * * 5#",
            "day-of-week: \"\" in \"5#\" must be 1-5 (which week of the month)".into(),
        ),
        (
            "*/+5 * * * *",
            "minute: step \"+5\" in \"*/+5\" is not a number".into(),
        ),
    ];
    for (expr, want) in cases {
        let err = expr.parse::<CronSchedule>().expect_err(expr);
        assert_eq!(err.to_string(), want, "{expr}");
    }
}

#[test]
fn field_style_steps_are_bounded_too() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (
            &[("year", "*/4294967260")],
            "year: step \"4294967260\" in \"*/4294967260\" is too large for the year field, at most 9999",
        ),
        (
            &[("minute", "5/4294967292")],
            "minute: step \"4294967292\" in \"5/4294967292\" is too large for the minute field, at most 59",
        ),
        (
            &[("week", "*/54")],
            "week: step \"54\" in \"*/54\" is too large for the week field, at most 53",
        ),
        (
            &[("day_of_week", "*/7")],
            "day_of_week: step \"7\" in \"*/7\" is too large for the day_of_week field, at most 6",
        ),
        (
            &[("day", "1/99999999999999999999")],
            "day: step \"99999999999999999999\" in \"1/99999999999999999999\" is too large for the day field, at most 31",
        ),
        (
            &[("year", "99999")],
            "year: 99999 is out of range 1970-9999",
        ),
    ];
    for (pairs, want) in cases {
        let err = CronSchedule::from_fields(&fields(pairs)).expect_err(want);
        assert_eq!(err.to_string(), *want);
    }
}

#[test]
fn steps_beyond_their_range_keep_the_first_value() {
    // At most 3 fire times: fewer means the schedule ends there.
    let cases: &[(&str, &[&str])] = &[
        (
            "5/59 * * * *",
            &[
                "2026-01-01T00:05:00+00:00",
                "2026-01-01T01:05:00+00:00",
                "2026-01-01T02:05:00+00:00",
            ],
        ),
        (
            "0 0 1 */12 *",
            &[
                "2027-01-01T00:00:00+00:00",
                "2028-01-01T00:00:00+00:00",
                "2029-01-01T00:00:00+00:00",
            ],
        ),
        ("0 0 0 1 1 * 2030/2199", &["2030-01-01T00:00:00+00:00"]),
        // 1970 only: in the past.
        ("0 0 0 1 1 * */2199", &[]),
        (
            "0 0 0 1 1 * 2030,*/229",
            &["2030-01-01T00:00:00+00:00", "2199-01-01T00:00:00+00:00"],
        ),
    ];
    for (expr, want) in cases {
        let schedule: CronSchedule = expr.parse().expect(expr);
        assert_eq!(fires(&schedule, T0, 3), want.to_vec(), "{expr}");
    }
    let schedule =
        CronSchedule::from_fields(&fields(&[("year", "2030/9999"), ("month", "6")])).expect("ok");
    assert_eq!(fires(&schedule, T0, 2), ["2030-06-01T00:00:00+00:00"]);
}

/// From the first and last instants chrono can represent, and around the
/// engine's last year, every answer is strictly later than the start.
#[test]
fn extreme_starts_neither_overflow_nor_go_back() {
    let starts = [
        DateTime::<Utc>::MIN_UTC,
        DateTime::<Utc>::MAX_UTC,
        Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap(),
        Utc.with_ymd_and_hms(10_000, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(1, 1, 1, 0, 0, 0).unwrap(),
    ];
    let exprs = [
        "* * * * * *",
        "0 0 29 2 *",
        "0 0 L * fri",
        "0 0 0 1 1 * 2199",
        "0 0 0 1 1 * */229",
    ];
    for zone in ["UTC", "Asia/Manila", "Pacific/Kiritimati", "America/Adak"] {
        let tz: Tz = zone.parse().expect("zone");
        for start in starts {
            let start = start.with_timezone(&tz);
            for expr in exprs {
                let schedule: CronSchedule = expr.parse().expect(expr);
                let mut prev = start;
                for t in schedule.iter_after(&start).take(3) {
                    assert!(t > prev, "{expr} in {zone} from {start}: {t}");
                    prev = t;
                }
            }
        }
    }
}

/// Before a zone's first offset change, fire times use its local mean time,
/// as chrono-tz does (not the offset of a later year).
#[test]
fn early_fire_times_use_local_mean_time() {
    let cases = [
        // LMT -0:01:15 until 1847-12-01.
        (
            "Europe/London",
            "1840-01-01T00:00:00Z",
            "1840-01-01T00:01:15Z",
        ),
        // LMT -15:56:08 until 1844-12-31, which Manila skipped: the next
        // midnight is on 1845-01-01, in LMT +8:03:52.
        (
            "Asia/Manila",
            "1844-12-29T16:00:00Z",
            "1844-12-30T15:56:08Z",
        ),
        (
            "Asia/Manila",
            "1844-12-30T16:00:00Z",
            "1844-12-31T15:56:08Z",
        ),
    ];
    let daily: CronSchedule = "0 0 * * *".parse().expect("valid");
    for (zone, after, want) in cases {
        let tz: Tz = zone.parse().expect("zone");
        let start = DateTime::parse_from_rfc3339(after)
            .expect("time")
            .with_timezone(&tz);
        let got = daily.next_after(&start).expect("a fire time");
        let want = DateTime::parse_from_rfc3339(want).expect("time");
        assert_eq!(
            got.timestamp(),
            want.timestamp(),
            "{zone} after {after}: {got}"
        );
        assert_eq!(got, tz.from_utc_datetime(&got.naive_utc()), "{zone}");
    }
}
