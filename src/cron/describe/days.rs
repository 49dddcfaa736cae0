//! Which days a schedule runs on, in words: day-of-month and day-of-week
//! sets with their special items (`L`, `L-3`, `15W`, `LW`, `5L`, `fri#3`),
//! how the two combine, and ISO weeks.

use super::shape::{Shape, join, ordinal, pieces, pieces_text, shape, values};
use crate::cron::days::{Combine, DayItem, DayRule, DaySet};

const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const NTH: [&str; 5] = ["first", "second", "third", "fourth", "fifth"];

fn weekday(day: u32) -> &'static str {
    WEEKDAYS[(day % 7) as usize]
}

/// The plain weekdays of `mask` (bit 0 = Sunday) in Monday-first order,
/// `Monday through Friday`, `Friday through Monday`; `None` for all seven.
fn weekdays_text(mask: u8) -> Option<String> {
    // Monday-first positions 0-6, so that a week reads Monday to Sunday.
    let monday_first = (u64::from(mask) >> 1) | (u64::from(mask & 1) << 6);
    let name = |position: u32| weekday(position + 1).to_string();
    Some(match shape(monday_first, 0, 6, true) {
        Shape::All => return None,
        Shape::One(d) => name(d),
        Shape::Range(a, b) => format!("{} through {}", name(a), name(b)),
        _ => {
            let pieces = pieces(&values(monday_first, 0, 6));
            pieces_text(&pieces, name)
        }
    })
}

fn item_text(item: DayItem) -> String {
    match item {
        DayItem::LastMinus(0) => "on the last day of the month".into(),
        DayItem::LastMinus(1) => "on the day before the last day of the month".into(),
        DayItem::LastMinus(n) => {
            format!("on the {} day before the last day of the month", ordinal(n))
        }
        DayItem::NearestWeekday(n) => format!("on the weekday nearest day {n} of the month"),
        DayItem::LastWeekday => "on the last weekday of the month".into(),
        DayItem::NthWeekday { weekday: day, nth } => format!(
            "on the {} {} of the month",
            nth.checked_sub(1)
                .and_then(|i| NTH.get(i as usize))
                .copied()
                .unwrap_or("last"),
            weekday(day)
        ),
        DayItem::LastOfWeekday(day) => format!("on the last {} of the month", weekday(day)),
        DayItem::ToLast { first, step: 1 } => {
            format!("on every day from day {first} through the last day of the month")
        }
        DayItem::ToLast { first, step } => format!(
            "on every {} day from day {first} through the last day of the month",
            ordinal(step)
        ),
    }
}

/// The plain days of the month of `mask` (bits 1-31).
fn month_days_text(mask: u64) -> Option<String> {
    Some(match shape(mask, 1, 31, false) {
        _ if mask == 0 => return None,
        Shape::All => "on every day of the month".into(),
        Shape::One(d) => format!("on day {d} of the month"),
        Shape::Range(a, b) => format!("on days {a} through {b} of the month"),
        Shape::Every(step) => format!("on every {} day of the month", ordinal(step)),
        Shape::Stepped { first, last, step } => format!(
            "on every {} day of the month from day {first} through {last}",
            ordinal(step)
        ),
        Shape::List(pieces) => {
            format!(
                "on days {} of the month",
                pieces_text(&pieces, |d| d.to_string())
            )
        }
    })
}

/// A day set in words; `None` when it is empty.
fn set_text(set: &DaySet, month_days: bool) -> Option<String> {
    let mut parts = Vec::new();
    if month_days {
        parts.extend(month_days_text(set.days));
    }
    if set.weekdays != 0 {
        let days = weekdays_text(set.weekdays).unwrap_or_else(|| "every day of the week".into());
        parts.push(format!("on {days}"));
    }
    parts.extend(set.items.iter().map(|i| item_text(*i)));
    (!parts.is_empty()).then(|| join(&parts))
}

/// The days of a rule in words, `None` for every day.
pub(super) fn days_text(rule: &DayRule) -> Option<String> {
    let dom = rule.day_of_month.as_ref().and_then(|s| set_text(s, true));
    let dow = rule.day_of_week.as_ref().and_then(|s| set_text(s, false));
    let days = match (dom, dow, rule.combine) {
        (None, None, _) => None,
        (Some(one), None, _) | (None, Some(one), _) => Some(one),
        (Some(dom), Some(dow), Combine::Either) => Some(format!("{dom} or {dow}")),
        (Some(dom), Some(dow), Combine::All) => Some(format!("{dom}, only {dow}")),
    };
    let weeks = rule.weeks.map(weeks_text);
    match (days, weeks) {
        (None, None) => None,
        (Some(d), None) => Some(d),
        (None, Some(w)) => Some(w),
        (Some(d), Some(w)) => Some(format!("{d}, {w}")),
    }
}

/// ISO weeks (bits 1-53) in words.
fn weeks_text(mask: u64) -> String {
    match shape(mask, 1, 53, false) {
        Shape::All => "in every ISO week".into(),
        Shape::One(w) => format!("in ISO week {w}"),
        Shape::Range(a, b) => format!("in ISO weeks {a} through {b}"),
        Shape::Every(step) => format!("in every {} ISO week", ordinal(step)),
        Shape::Stepped { first, last, step } => format!(
            "in every {} ISO week from week {first} through {last}",
            ordinal(step)
        ),
        Shape::List(pieces) => {
            format!("in ISO weeks {}", pieces_text(&pieces, |w| w.to_string()))
        }
    }
}
