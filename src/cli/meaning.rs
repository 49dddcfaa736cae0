//! A trigger in plain words, as `list` and `check` show it: the cron
//! schedule's meaning, `every 90 seconds` or `once, at ...`, with the start
//! and end dates that bound it.

use crate::duration;
use crate::timefmt::rfc3339_auto;
use crate::trigger::{Kind, Trigger};
use std::time::Duration;

/// `every 90 seconds`, `every hour`, `every 2 days`: the largest unit the
/// period is a whole number of; `every 1.5s` below the second.
pub(super) fn interval_text(period: Duration) -> String {
    if period.subsec_nanos() != 0 {
        return format!("every {}", duration::format(period));
    }
    let secs = period.as_secs();
    let units = [
        (604_800, "week"),
        (86_400, "day"),
        (3600, "hour"),
        (60, "minute"),
        (1, "second"),
    ];
    let (size, unit) = units
        .iter()
        .find(|(size, _)| secs >= *size && secs.is_multiple_of(*size))
        .copied()
        .unwrap_or((1, "second"));
    match secs / size {
        1 => format!("every {unit}"),
        n => format!("every {n} {unit}s"),
    }
}

/// `kind` in plain words: `at 09:00 every day, or every 2 hours`; an
/// `and` as `when all agree: ...`.
fn kind_meaning(kind: &Kind) -> String {
    match kind {
        Kind::Cron(schedule) => schedule.describe(),
        Kind::Interval { period } => interval_text(*period),
        Kind::Date { run_date } => format!("once, at {}", rfc3339_auto(run_date)),
        Kind::Startup => "once each time apsched run starts".into(),
        Kind::Or(members) => members
            .iter()
            .map(kind_meaning)
            .collect::<Vec<_>>()
            .join(", or "),
        Kind::And(members) => {
            let parts: Vec<String> = members.iter().map(kind_meaning).collect();
            format!("when all agree: {}", parts.join("; and "))
        }
    }
}

/// The trigger in plain words.
pub(super) fn meaning(trigger: &Trigger) -> String {
    let mut text = kind_meaning(&trigger.kind);
    if let Some(start) = &trigger.start_date {
        text.push_str(", from ");
        text.push_str(&rfc3339_auto(start));
    }
    if let Some(end) = &trigger.end_date {
        text.push_str(", until ");
        text.push_str(&rfc3339_auto(end));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;
    use std::path::Path;

    fn trigger(body: &str) -> Trigger {
        let text = format!("[scheduler]\ntimezone = \"UTC\"\n[jobs.j]\ncommand = \"x\"\n{body}");
        let mut c = config::load_text(Path::new("s.toml"), &text, None).expect(body);
        c.jobs.remove(0).trigger.clone()
    }

    #[test]
    fn every_trigger_reads_in_plain_words() {
        let cases = [
            ("cron = \"30 2 * * *\"", "at 02:30 every day"),
            (
                "trigger = \"cron\"\nday = \"last fri\"\nhour = 16",
                "at 16:00 on the last Friday of the month",
            ),
            ("trigger = \"interval\"\nseconds = 90", "every 90 seconds"),
            ("trigger = \"interval\"\nminutes = 90", "every 90 minutes"),
            ("trigger = \"interval\"\nhours = 1", "every hour"),
            ("trigger = \"interval\"\ndays = 2", "every 2 days"),
            ("trigger = \"interval\"\nweeks = 1", "every week"),
            (
                "trigger = \"interval\"\nweeks = 1\ndays = 1",
                "every 8 days",
            ),
            ("trigger = \"interval\"\nminutes = 1", "every minute"),
            (
                "trigger = \"interval\"\nseconds = 90\nstart_date = \"2026-12-01T10:00:00Z\"",
                "every 90 seconds, from 2026-12-01T10:00:00+00:00",
            ),
            (
                "cron = \"0 9 * * mon-fri\"\nstart_date = \"2027-01-01\"\nend_date = \"2027-06-30\"",
                "at 09:00 on Monday through Friday, from 2027-01-01T00:00:00+00:00, until 2027-06-30T00:00:00+00:00",
            ),
            (
                "trigger = \"date\"\nrun_date = \"2030-01-01T00:00:00Z\"",
                "once, at 2030-01-01T00:00:00+00:00",
            ),
        ];
        for (body, want) in cases {
            assert_eq!(meaning(&trigger(body)), want, "{body}");
        }
    }
}
