//! Every schedule in plain words, in the style of cronstrue and
//! cron-descriptor: `at 09:00 on Monday through Friday`, `at 16:00 on the
//! last Friday of the month`, `every 15 minutes from 09:00 through 17:45`.
//!
//! The words come from the compiled [`Spec`] (sets of values and day rules),
//! not from the text, so every spelling of the same schedule reads the same.

mod days;
mod shape;
mod time;

use super::matcher::{Spec, YearSet};
use shape::{Shape, ordinal, pieces_text, shape};

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

fn month(m: u32) -> String {
    MONTHS[(m as usize + 11) % 12].to_string()
}

/// The months of `mask` (bits 1-12) in words; `None` for all twelve.
fn months_text(mask: u64) -> Option<String> {
    let listed = |values: Vec<u32>| {
        let names: Vec<String> = values.into_iter().map(month).collect();
        shape::join(&names)
    };
    Some(match shape(mask, 1, 12, true) {
        Shape::All => return None,
        Shape::One(m) => format!("in {}", month(m)),
        Shape::Range(a, b) => format!("in {} through {}", month(a), month(b)),
        Shape::Every(_) | Shape::Stepped { .. } if shape::values(mask, 1, 12).len() <= 4 => {
            format!("in {}", listed(shape::values(mask, 1, 12)))
        }
        Shape::Every(step) => format!("in every {} month", ordinal(step)),
        Shape::Stepped { first, last, step } => format!(
            "in every {} month from {} through {}",
            ordinal(step),
            month(first),
            month(last)
        ),
        Shape::List(pieces) => format!("in {}", pieces_text(&pieces, month)),
    })
}

/// The years in words; `None` for every year the engine searches.
fn years_text(years: &YearSet) -> Option<String> {
    let ranges = years.0.as_ref()?;
    // `*` in the year field of a cron string: 1970-2199, every year.
    if ranges
        .iter()
        .any(|&(first, last, step)| first <= 1970 && last >= 2199 && step == 1)
    {
        return None;
    }
    let words: Vec<String> = ranges
        .iter()
        .map(|&(first, last, step)| match (first == last, step) {
            (true, _) => first.to_string(),
            (false, 1) => format!("{first} through {last}"),
            (false, step) => {
                let last = last - (last - first) % step.max(1);
                format!(
                    "every {} year from {first} through {last}",
                    ordinal(step.unsigned_abs())
                )
            }
        })
        .collect();
    Some(format!("in {}", shape::join(&words)))
}

/// `on February 29`: one plain day of one month, and no other day rule.
fn date_text(spec: &Spec) -> Option<String> {
    let rule = &spec.days;
    let set = rule.day_of_month.as_ref()?;
    let plain = set.items.is_empty() && set.weekdays == 0;
    if !plain || rule.day_of_week.is_some() || rule.weeks.is_some() {
        return None;
    }
    match (
        shape(set.days, 1, 31, false),
        shape(spec.months, 1, 12, true),
    ) {
        (Shape::One(day), Shape::One(m)) => Some(format!("on {} {day}", month(m))),
        _ => None,
    }
}

/// Describes the schedule: time of day, days, months, years.
pub(super) fn describe(spec: &Spec) -> String {
    let time = time::time_phrase(spec.seconds, spec.minutes, spec.hours);
    let mut parts = vec![time.text];
    if let Some(date) = date_text(spec) {
        parts.push(date);
    } else {
        match days::days_text(&spec.days) {
            Some(days) => parts.push(days),
            None if time.clock_times => parts.push("every day".into()),
            None => {}
        }
        parts.extend(months_text(spec.months));
    }
    parts.extend(years_text(&spec.years));
    parts.join(" ")
}

#[cfg(test)]
mod tests;
