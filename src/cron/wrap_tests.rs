//! The spellings other crons take (issue 11): wrap-around ranges, Sunday
//! ending a range, full names, `n-L`, steps larger than their field, and
//! the constructs still refused. Expected times worked out by hand from the
//! calendar (2026-01-01 is a Thursday); the peer cases name their source.

use super::CronSchedule;
use super::tests::{T0, check, fields};

#[test]
// One table of cases: its length is its content.
#[allow(clippy::too_many_lines)]
fn new_spellings_fire_when_expected() {
    check(&[
        (
            "0 0 * * fri-mon",
            "UTC",
            T0,
            &[
                "2026-01-02T00:00:00+00:00",
                "2026-01-03T00:00:00+00:00",
                "2026-01-04T00:00:00+00:00",
                "2026-01-05T00:00:00+00:00",
                "2026-01-09T00:00:00+00:00",
            ],
        ),
        (
            "0 22-2 * * *",
            "UTC",
            T0,
            &[
                "2026-01-01T01:00:00+00:00",
                "2026-01-01T02:00:00+00:00",
                "2026-01-01T22:00:00+00:00",
                "2026-01-01T23:00:00+00:00",
                "2026-01-02T00:00:00+00:00",
            ],
        ),
        (
            "50-10/5 * * * *",
            "UTC",
            T0,
            &[
                "2026-01-01T00:05:00+00:00",
                "2026-01-01T00:10:00+00:00",
                "2026-01-01T00:50:00+00:00",
                "2026-01-01T00:55:00+00:00",
                "2026-01-01T01:00:00+00:00",
            ],
        ),
        (
            "0 0 1 nov-feb *",
            "UTC",
            T0,
            &[
                "2026-02-01T00:00:00+00:00",
                "2026-11-01T00:00:00+00:00",
                "2026-12-01T00:00:00+00:00",
                "2027-01-01T00:00:00+00:00",
            ],
        ),
        // Thursday to Tuesday every other day: Thu, Sat, Mon.
        (
            "0 0 * * thu-tue/2",
            "UTC",
            T0,
            &[
                "2026-01-03T00:00:00+00:00",
                "2026-01-05T00:00:00+00:00",
                "2026-01-08T00:00:00+00:00",
            ],
        ),
        (
            "0 0 * * sat-sun",
            "UTC",
            T0,
            &[
                "2026-01-03T00:00:00+00:00",
                "2026-01-04T00:00:00+00:00",
                "2026-01-10T00:00:00+00:00",
            ],
        ),
        (
            "0 0 * * sat-0",
            "UTC",
            T0,
            &["2026-01-03T00:00:00+00:00", "2026-01-04T00:00:00+00:00"],
        ),
        (
            "0 0 1 January-June MONDAY",
            "UTC",
            T0,
            &["2026-01-05T00:00:00+00:00", "2026-01-12T00:00:00+00:00"],
        ),
        (
            "0 0 29-L * *",
            "UTC",
            T0,
            &[
                "2026-01-29T00:00:00+00:00",
                "2026-01-30T00:00:00+00:00",
                "2026-01-31T00:00:00+00:00",
                "2026-03-29T00:00:00+00:00",
            ],
        ),
        (
            "0 0 1-L/8 * *",
            "UTC",
            T0,
            &[
                "2026-01-09T00:00:00+00:00",
                "2026-01-17T00:00:00+00:00",
                "2026-01-25T00:00:00+00:00",
                "2026-02-01T00:00:00+00:00",
            ],
        ),
        // Quartz's rule (CronExpression.addToSet): a range ending before
        // its start overflows into the next day, the step counting along.
        (
            "0 0 22-2/2 ? * *",
            "UTC",
            T0,
            &[
                "2026-01-01T02:00:00+00:00",
                "2026-01-01T22:00:00+00:00",
                "2026-01-02T00:00:00+00:00",
            ],
        ),
        // croner (test/range.test.ts): Sunday ending or starting a range,
        // "* * * * * MON-SUN" and "* * * * * SUN-MON".
        (
            "0 0 0 * * MON-SUN",
            "UTC",
            T0,
            &["2026-01-02T00:00:00+00:00", "2026-01-03T00:00:00+00:00"],
        ),
        (
            "0 0 0 * * SUN-MON",
            "UTC",
            T0,
            &["2026-01-04T00:00:00+00:00", "2026-01-05T00:00:00+00:00"],
        ),
        (
            "0 0 25-5 * *",
            "UTC",
            "2026-02-03T00:00:00",
            &[
                "2026-02-04T00:00:00+00:00",
                "2026-02-05T00:00:00+00:00",
                "2026-02-25T00:00:00+00:00",
                "2026-02-26T00:00:00+00:00",
                "2026-02-27T00:00:00+00:00",
                "2026-02-28T00:00:00+00:00",
                "2026-03-01T00:00:00+00:00",
            ],
        ),
        ("*/90 * * * *", "UTC", T0, &["2026-01-01T01:00:00+00:00"]),
    ]);
}

#[test]
fn normalized_forms_spell_the_meaning_out() {
    let cases = [
        ("0 0 * * fri-mon", "0 0 * * 5,6,0,1"),
        ("0 22-2 * * *", "0 22,23,0,1,2 * * *"),
        ("0 22-2/2 * * *", "0 22,0,2 * * *"),
        ("0 0 25-5 * *", "0 0 25,26,27,28,29,30,31,1,2,3,4,5 * *"),
        ("50-10/5 * * * *", "50,55,0,5,10 * * * *"),
        ("0 0 1 nov-feb *", "0 0 1 11,12,1,2 *"),
        ("0 0 * * thu-tue/2", "0 0 * * 4,6,1"),
        ("0 0 * * sat-sun", "0 0 * * 6,0"),
        ("0 0 * * mon-sun", "0 0 * * 1,2,3,4,5,6,0"),
        ("0 0 * * sat-0", "0 0 * * 6,0"),
        ("0 0 * * sat-7", "0 0 * * 6-7"),
        // Cloudflare's cron dialect writes every field wrapping at once.
        (
            "55-5/5 20-4/2 * NOV-FEB FRI-MON",
            "55,0,5 20,22,0,2,4 * 11,12,1,2 5,6,0,1",
        ),
        ("0 0 * * 7-1", "0 0 * * 0-1"),
        ("0 0 * * 7-7", "0 0 * * 7"),
        ("0 0 * January-June MONDAY", "0 0 * 1-6 1"),
        ("0 0 * * sunday,Saturday", "0 0 * * 0,6"),
        ("0 0 29-L * *", "0 0 29-L * *"),
        ("0 0 1-l/8 * *", "0 0 1-L/8 * *"),
        ("*/90 * * * *", "0 * * * *"),
        ("5/90 * * * *", "5 * * * *"),
        // A day field starting with `*` combines by "and": the star stays.
        ("5/59 * */529 * */529", "5/59 * */529 * */529"),
        ("0 0 */40 * 1", "0 0 */40 * 1"),
        ("0 0 1,*/40 * 1", "0 0 1,*/40 * 1"),
    ];
    for (expr, want) in cases {
        let s: CronSchedule = expr.parse().unwrap_or_else(|e| panic!("{expr}: {e}"));
        assert_eq!(s.normalized(), want, "{expr}");
    }
}

#[test]
fn oversized_steps_warn_with_the_fix() {
    let cases = [
        (
            "*/90 * * * *",
            "step 90 is larger than the minute field's 0-59: this fires at minute 0 only; for every 90 minutes use trigger = \"interval\" with minutes = 90",
        ),
        (
            "0 */30 * * *",
            "step 30 is larger than the hour field's 0-23: this fires at hour 0 only; for every 30 hours use trigger = \"interval\" with hours = 30",
        ),
        (
            "0 0 1 */13 *",
            "step 13 is larger than the month field's 1-12: this fires at month 1 only; for every 13 months list the months to fire in",
        ),
    ];
    for (expr, want) in cases {
        let s: CronSchedule = expr.parse().unwrap_or_else(|e| panic!("{expr}: {e}"));
        assert_eq!(s.warnings(), [want.to_string()], "{expr}");
    }
    let plain: CronSchedule = "*/59 * * * *".parse().expect("valid");
    assert!(plain.warnings().is_empty());
}

#[test]
fn unsupported_constructs_are_named() {
    let cases = [
        (
            "H * * * *",
            "minute: \"H\": H (Jenkins hash) is not supported: write a fixed minute such as 19",
        ),
        (
            "0 H(0-7) * * *",
            "hour: \"H(0-7)\": H (Jenkins hash) is not supported: write a fixed hour such as 7",
        ),
        (
            "R 0 * * *",
            "minute: \"R\": R (a random value) is not supported: write a fixed minute such as 19",
        ),
        (
            "0 0 L-5W * *",
            "day-of-month: \"L-5W\": L-nW (the weekday nearest n days before the last day) is not supported: write L-5 or LW",
        ),
        (
            "0 L * * *",
            "hour: \"L\": L (last) belongs in day-of-month (L, L-3, LW, 29-L) or day-of-week (5L)",
        ),
        (
            "0 0 * 1#2 *",
            "month: \"1#2\": # (the n-th weekday of the month) belongs in day-of-week, as in fri#3",
        ),
        (
            "0 0 * * 15W",
            "day-of-week: \"15W\": W (nearest weekday) belongs in day-of-month, as in 15W",
        ),
        (
            "*/4294967260 * * * *",
            "minute: step \"4294967260\" in \"*/4294967260\" is too large for the minute field, at most 10000",
        ),
        (
            "0 0 35-L * *",
            "day-of-month: \"35-L\": 35 is out of range 1-31",
        ),
    ];
    for (expr, want) in cases {
        let err = expr.parse::<CronSchedule>().expect_err(expr);
        assert_eq!(err.to_string(), want, "{expr}");
    }
}

/// Field style follows APScheduler: no wrap-around, no full names, no step
/// above the field.
#[test]
fn field_style_keeps_apscheduler_rules() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "hour",
            "22-2",
            "hour: range \"22-2\" runs backwards: 22 is after 2",
        ),
        (
            "day_of_week",
            "monday",
            "day_of_week: \"monday\" is not a valid value: expected a number or a name (mon, tue, wed, thu, fri, sat, sun)",
        ),
        (
            "minute",
            "*/90",
            "minute: step \"90\" in \"*/90\" is too large for the minute field, at most 59",
        ),
    ];
    for (name, value, want) in cases {
        let err = CronSchedule::from_fields(&fields(&[(name, value)])).expect_err(value);
        assert_eq!(err.to_string(), *want, "{name} = {value}");
    }
}
