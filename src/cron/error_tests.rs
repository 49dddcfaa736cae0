//! Errors name the field and the text at fault.

use super::tests::fields;
use crate::cron::CronSchedule;

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
            "expression: @reboot is not a time schedule; in a schedule file use trigger = \"startup\"",
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
            "minute: \"?\" (no specific value) is only allowed in day-of-month and day-of-week: write * here",
        ),
        (
            "1,,2 * * * *",
            "minute: \"1,,2\" has an empty element in its comma list",
        ),
        (
            "* * * foo *",
            "month: \"foo\" is not a valid value: expected a number or a name (jan, feb, mar, apr, may, jun, jul, aug, sep, oct, nov, dec)",
        ),
        ("* * * * fri-", "day-of-week: a value is missing"),
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
