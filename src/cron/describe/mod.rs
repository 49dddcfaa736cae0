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

/// Describes the schedule.
pub(super) fn describe(spec: &Spec) -> String {
    let time = time::time_phrase(spec.seconds, spec.minutes, spec.hours);
    let mut text = time.text;
    let mut months = months_text(spec.months);
    let day = spec
        .days
        .day_of_month
        .as_ref()
        .map(|set| (set, shape(set.days, 1, 31, false)));
    let date = match (
        day,
        &spec.days.day_of_week,
        spec.days.weeks,
        shape(spec.months, 1, 12, true),
    ) {
        (Some((set, Shape::One(d))), None, None, Shape::One(m))
            if set.items.is_empty() && set.weekdays == 0 =>
        {
            Some(format!("on {} {d}", month(m)))
        }
        _ => None,
    };
    if let Some(date) = date {
        months = None;
        text.push(' ');
        text.push_str(&date);
    } else {
        match days::days_text(&spec.days) {
            Some(days) => {
                text.push(' ');
                text.push_str(&days);
            }
            None if time.clock_times => text.push_str(" every day"),
            None => {}
        }
    }
    for part in [months, years_text(&spec.years)].into_iter().flatten() {
        text.push(' ');
        text.push_str(&part);
    }
    text
}

#[cfg(test)]
mod tests;
