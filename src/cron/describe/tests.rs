//! Every construct of cron strings and field-style triggers, with the words
//! it reads as.

use crate::cron::{CronFields, CronSchedule};

fn cron(expr: &str) -> String {
    let schedule: CronSchedule = expr.parse().expect(expr);
    schedule.describe()
}

#[test]
// One table of cases: long, but read one line at a time.
#[allow(clippy::too_many_lines)]
fn cron_strings_read_in_plain_words() {
    let cases = [
        ("* * * * *", "every minute"),
        ("*/1 * * * *", "every minute"),
        ("*/5 * * * *", "every 5 minutes"),
        ("*/30 * * * *", "every 30 minutes"),
        ("*/7 * * * *", "every 7 minutes"),
        ("0 * * * *", "every hour"),
        ("15 * * * *", "at minute 15 of every hour"),
        ("30 2 * * *", "at 02:30 every day"),
        ("0 9 * * mon-fri", "at 09:00 on Monday through Friday"),
        ("0 9 ? * mon-fri", "at 09:00 on Monday through Friday"),
        ("0 9 * * 1-5", "at 09:00 on Monday through Friday"),
        (
            "0 9-17 * * mon-fri",
            "every hour from 09:00 through 17:00 on Monday through Friday",
        ),
        ("30 9-17 * * *", "every hour from 09:30 through 17:30"),
        ("0 */6 * * *", "every 6 hours"),
        ("30 */6 * * *", "at 00:30, 06:30, 12:30 and 18:30 every day"),
        ("0 8-18/2 * * *", "every 2 hours from 08:00 through 18:00"),
        ("0 1/2 * * *", "every 2 hours from 01:00 through 23:00"),
        (
            "0 9,17 * * 1,3",
            "at 09:00 and 17:00 on Monday and Wednesday",
        ),
        ("0 0,6,12 * * *", "at 00:00, 06:00 and 12:00 every day"),
        (
            "0 0-5,8,10-23 * * *",
            "at minute 0 past hours 0 through 5, 8 and 10 through 23",
        ),
        ("0 22-23,0-2 * * *", "every hour from 22:00 through 02:00"),
        (
            "15,45 8-18/2 * * 1-5",
            "at minutes 15 and 45 past the hour, in every 2nd hour from 08:00 through 18:59 on Monday through Friday",
        ),
        ("15,45 * * * *", "at minutes 15 and 45 past every hour"),
        ("15,45 9 * * *", "at 09:15 and 09:45 every day"),
        (
            "10-20 * * * *",
            "every minute from minute 10 through 20 past every hour",
        ),
        (
            "0-30/10 * * * *",
            "every 10 minutes from minute 0 through 30 past every hour",
        ),
        (
            "*/15 9-17 * * *",
            "every 15 minutes from 09:00 through 17:45",
        ),
        ("*/15 9 * * *", "every 15 minutes from 09:00 through 09:45"),
        ("* 9 * * *", "every minute from 09:00 through 09:59"),
        ("*/10 8,12 * * *", "every 10 minutes, during hours 8 and 12"),
        ("*/20 */2 * * *", "every 20 minutes, in every 2nd hour"),
        ("0 0 1 * *", "at 00:00 on day 1 of the month"),
        ("0 0 1,15 * *", "at 00:00 on days 1 and 15 of the month"),
        ("0 0 1-7 * *", "at 00:00 on days 1 through 7 of the month"),
        ("0 0 */2 * *", "at 00:00 on every 2nd day of the month"),
        (
            "0 0 5-25/5 * *",
            "at 00:00 on every 5th day of the month from day 5 through 25",
        ),
        ("0 0 L * *", "at 00:00 on the last day of the month"),
        (
            "0 0 L-1 * *",
            "at 00:00 on the day before the last day of the month",
        ),
        (
            "0 0 L-3 * *",
            "at 00:00 on the 3rd day before the last day of the month",
        ),
        (
            "0 0 15W * *",
            "at 00:00 on the weekday nearest day 15 of the month",
        ),
        ("0 0 LW * *", "at 00:00 on the last weekday of the month"),
        (
            "0 0 1,L * *",
            "at 00:00 on day 1 of the month and on the last day of the month",
        ),
        ("0 16 * * 5L", "at 16:00 on the last Friday of the month"),
        ("0 16 * * friL", "at 16:00 on the last Friday of the month"),
        ("0 0 * * fri#3", "at 00:00 on the third Friday of the month"),
        (
            "0 0 * * 1#1,5#5",
            "at 00:00 on the first Monday of the month and on the fifth Friday of the month",
        ),
        ("0 0 ? * mon", "at 00:00 on Monday"),
        ("0 0 ? * ?", "at 00:00 every day"),
        ("0 0 13 * 5", "at 00:00 on day 13 of the month or on Friday"),
        (
            "0 0 */2 * 1",
            "at 00:00 on every 2nd day of the month, only on Monday",
        ),
        ("0 0 * * 6,0", "at 00:00 on Saturday and Sunday"),
        ("0 0 * * 0-6", "at 00:00 on every day of the week"),
        ("0 0 * * 1,3,5", "at 00:00 on Monday, Wednesday and Friday"),
        (
            "0 0 * * 1-2,4-6",
            "at 00:00 on Monday, Tuesday and Thursday through Saturday",
        ),
        ("0 0 29 2 *", "at 00:00 on February 29"),
        (
            "0 0 1 1-3 *",
            "at 00:00 on day 1 of the month in January through March",
        ),
        (
            "0 0 1 */3 *",
            "at 00:00 on day 1 of the month in January, April, July and October",
        ),
        (
            "0 0 1 */2 *",
            "at 00:00 on day 1 of the month in every 2nd month",
        ),
        (
            "0 0 1 jan,jul *",
            "at 00:00 on day 1 of the month in January and July",
        ),
        (
            "0 0 1 11,12,1,2 *",
            "at 00:00 on day 1 of the month in November through February",
        ),
        ("* * * * * *", "every second"),
        ("*/10 * * * * *", "every 10 seconds"),
        ("30 0 9 * * *", "at 09:00:30 every day"),
        ("30 */5 * * * *", "every 5 minutes, at second 30"),
        (
            "10,40 * 9-17 * * *",
            "at seconds 10 and 40 of every minute, between 09:00 and 17:59",
        ),
        ("*/10 5 * * * *", "every 10 seconds, during minute 5"),
        ("0 0 0 1 1 * 2030", "at 00:00 on January 1 in 2030"),
        (
            "0 0 0 1 1 * 2026-2030",
            "at 00:00 on January 1 in 2026 through 2030",
        ),
        (
            "0 0 0 1 1 * 2026/4",
            "at 00:00 on January 1 in every 4th year from 2026 through 2198",
        ),
        ("0 0 0 1 1 * *", "at 00:00 on January 1"),
        (
            "0 0 12 ? * * 2027,2029",
            "at 12:00 every day in 2027 and 2029",
        ),
        ("@yearly", "at 00:00 on January 1"),
        ("@monthly", "at 00:00 on day 1 of the month"),
        ("@weekly", "at 00:00 on Sunday"),
        ("@daily", "at 00:00 every day"),
        ("@hourly", "every hour"),
        ("*/59 * * * *", "at minutes 0 and 59 past every hour"),
        ("0 12 * 6 sun", "at 12:00 on Sunday in June"),
    ];
    let mut bad = Vec::new();
    for (expr, want) in cases {
        let got = cron(expr);
        if got != want {
            bad.push(format!("(\"{expr}\", \"{got}\"),"));
        }
    }
    assert!(bad.is_empty(), "\n{}", bad.join("\n"));
}

fn fields(given: &[(&str, &str)]) -> String {
    let mut fields = CronFields::default();
    for (name, value) in given {
        *fields.slot(name).expect(name) = Some((*value).to_string());
    }
    CronSchedule::from_fields(&fields)
        .expect("valid")
        .describe()
}

#[test]
fn field_style_triggers_read_in_plain_words() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[], "every second"),
        (&[("hour", "3")], "at 03:00 every day"),
        (
            &[("day_of_week", "mon"), ("hour", "9")],
            "at 09:00 on Monday",
        ),
        (
            &[("day_of_week", "mon-fri"), ("hour", "9"), ("minute", "30")],
            "at 09:30 on Monday through Friday",
        ),
        (
            &[("day", "last fri"), ("hour", "16")],
            "at 16:00 on the last Friday of the month",
        ),
        (
            &[("day", "3rd fri")],
            "at 00:00 on the third Friday of the month",
        ),
        (
            &[("day", "1st mon,last")],
            "at 00:00 on the first Monday of the month and on the last day of the month",
        ),
        (&[("day", "last")], "at 00:00 on the last day of the month"),
        (
            &[("week", "1-10"), ("hour", "6")],
            "at 06:00 in ISO weeks 1 through 10",
        ),
        (
            &[("week", "*/2"), ("day_of_week", "mon")],
            "at 00:00 on Monday, in every 2nd ISO week",
        ),
        (
            &[("day", "1-7"), ("day_of_week", "mon")],
            "at 00:00 on days 1 through 7 of the month, only on Monday",
        ),
        (
            &[("month", "6-8"), ("day", "1")],
            "at 00:00 on day 1 of the month in June through August",
        ),
        (
            &[("year", "2027"), ("month", "1")],
            "at 00:00 on January 1 in 2027",
        ),
        (&[("minute", "*/10")], "every 10 minutes"),
        (&[("second", "30")], "every minute, at second 30"),
    ];
    let mut bad = Vec::new();
    for (given, want) in cases {
        let got = fields(given);
        if got != *want {
            bad.push(format!("(&{given:?}, \"{got}\"),"));
        }
    }
    assert!(bad.is_empty(), "\n{}", bad.join("\n"));
}

/// Every combination of a few spellings per field reads as some words,
/// without a panic.
#[test]
fn every_combination_is_described() {
    let minutes = ["0", "*", "*/7", "5-50/5", "1,2,3,30", "50-59,0-10", "59"];
    let hours = ["0", "*", "*/5", "9-17", "8,12", "1-23/11", "0-2,22-23"];
    let days = ["*", "?", "1", "L", "L-30", "31W", "LW", "1-31/10", "2,30"];
    let months = ["*", "2", "*/4", "1,12", "6-8"];
    let weekdays = [
        "*", "?", "0", "7", "1-5", "6#5", "0L", "0-6", "1,3-5", "5,6,0,1",
    ];
    let mut count = 0;
    for m in minutes {
        for h in hours {
            for d in days {
                for mo in months {
                    for w in weekdays {
                        let expr = format!("{m} {h} {d} {mo} {w}");
                        if let Ok(schedule) = expr.parse::<CronSchedule>() {
                            assert!(!schedule.describe().is_empty(), "{expr}");
                            count += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(count > 10_000, "{count}");
}
