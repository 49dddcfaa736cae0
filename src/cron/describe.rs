//! Plain-words descriptions of common schedules (`at 02:30 every day`).
//! Only the easy shapes are described; anything else gets no description
//! rather than a wrong one.

use super::days::{DayItem, DaySet};
use super::matcher::{ALL_HOURS, Spec};

const ALL_SIXTY: u64 = (1 << 60) - 1;
const ALL_MONTHS: u64 = 0x1ffe;
const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn values(mask: u64) -> Vec<u32> {
    (0..64).filter(|v| mask & (1 << v) != 0).collect()
}

/// The step `n` if `mask` is exactly `0, n, 2n, ...` below `limit`.
fn step_of(mask: u64, limit: u32) -> Option<u32> {
    let v = values(mask);
    let step = *v.get(1)?;
    let expected: Vec<u32> = (0..limit).step_by(step as usize).collect();
    (v == expected && step > 1).then_some(step)
}

fn list(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn time_phrase(spec: &Spec) -> Option<String> {
    let (s, m, h) = (spec.seconds, spec.minutes, spec.hours);
    let all_hours = h == ALL_HOURS;
    let zero_seconds = s == 1;
    Some(match (values(s).as_slice(), values(m).as_slice()) {
        _ if s == ALL_SIXTY && m == ALL_SIXTY && all_hours => "every second".into(),
        _ if zero_seconds && m == ALL_SIXTY && all_hours => "every minute".into(),
        _ if m == ALL_SIXTY && all_hours => format!("every {} seconds", step_of(s, 60)?),
        _ if zero_seconds && all_hours && step_of(m, 60).is_some() => {
            format!("every {} minutes", step_of(m, 60)?)
        }
        ([0], [0]) if step_of(h, 24).is_some() => format!("every {} hours", step_of(h, 24)?),
        ([sec], [min]) if all_hours => match sec {
            0 => format!("at minute {min} of every hour"),
            _ => format!("at {min:02}:{sec:02} past every hour"),
        },
        ([sec], [min]) => {
            let hours = values(h);
            if hours.len() > 6 {
                return None;
            }
            let times: Vec<String> = hours
                .iter()
                .map(|hour| match sec {
                    0 => format!("{hour:02}:{min:02}"),
                    _ => format!("{hour:02}:{min:02}:{sec:02}"),
                })
                .collect();
            format!("at {}", list(&times))
        }
        _ => return None,
    })
}

fn weekday_phrase(weekdays: u8) -> String {
    let days = values(u64::from(weekdays));
    let contiguous = days.len() > 2 && days.windows(2).all(|w| w[1] == w[0] + 1);
    match days.as_slice() {
        [first, .., last] if contiguous => {
            format!(
                "on {} through {}",
                WEEKDAYS[*first as usize], WEEKDAYS[*last as usize]
            )
        }
        _ => {
            let names: Vec<String> = days.iter().map(|d| WEEKDAYS[*d as usize].into()).collect();
            format!("on {}", list(&names))
        }
    }
}

fn day_of_month_phrase(set: &DaySet) -> Option<String> {
    match (values(set.days).as_slice(), set.items.as_slice()) {
        ([], [DayItem::LastMinus(0)]) => Some("on the last day of the month".into()),
        ([], [DayItem::LastWeekday]) => Some("on the last weekday of the month".into()),
        (days, []) if !days.is_empty() && days.len() <= 4 => {
            let names: Vec<String> = days.iter().map(u32::to_string).collect();
            Some(format!("on day {} of the month", list(&names)))
        }
        _ => None,
    }
}

fn day_phrase(spec: &Spec) -> Option<String> {
    let rule = &spec.days;
    if rule.weeks.is_some() {
        return None;
    }
    let dow = rule
        .day_of_week
        .as_ref()
        .filter(|s| !(s.weekdays == 0x7f && s.items.is_empty()));
    let dom = rule.day_of_month.as_ref();
    match (dom, dow) {
        (None, None) => Some("every day".into()),
        (None, Some(set)) if set.items.is_empty() => Some(weekday_phrase(set.weekdays)),
        (Some(set), None) if set.weekdays == 0 => day_of_month_phrase(set),
        _ => None,
    }
}

/// Describes the schedule, or `None` if it is not one of the easy shapes.
pub(super) fn describe(spec: &Spec) -> Option<String> {
    if spec.years.0.is_some() {
        return None;
    }
    let mut text = time_phrase(spec)?;
    let days = day_phrase(spec)?;
    let repeats_all_day = text.starts_with("every") || text.contains("every hour");
    if !(days == "every day" && repeats_all_day) {
        text = format!("{text} {days}");
    }
    if spec.months != ALL_MONTHS {
        let months = values(spec.months);
        if months.len() > 3 {
            return None;
        }
        let names: Vec<String> = months
            .iter()
            .map(|m| MONTHS[*m as usize - 1].into())
            .collect();
        text = format!("{text} in {}", list(&names));
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use crate::cron::CronSchedule;

    #[test]
    fn common_shapes_are_described() {
        let cases = [
            ("30 2 * * *", Some("at 02:30 every day")),
            ("*/5 * * * *", Some("every 5 minutes")),
            ("* * * * *", Some("every minute")),
            ("* * * * * *", Some("every second")),
            ("*/10 * * * * *", Some("every 10 seconds")),
            ("0 9 * * mon-fri", Some("at 09:00 on Monday through Friday")),
            (
                "0 9,17 * * 1,3",
                Some("at 09:00 and 17:00 on Monday and Wednesday"),
            ),
            ("0 0 L * *", Some("at 00:00 on the last day of the month")),
            (
                "0 0 29 2 *",
                Some("at 00:00 on day 29 of the month in February"),
            ),
            ("15 * * * *", Some("at minute 15 of every hour")),
            ("0 */6 * * *", Some("every 6 hours")),
            ("0 0 13 * 5", None),
            ("0 0 * * 5#3", None),
        ];
        for (expr, want) in cases {
            let schedule: CronSchedule = expr.parse().expect(expr);
            assert_eq!(schedule.describe().as_deref(), want, "{expr}");
        }
    }
}
