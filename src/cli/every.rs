//! `apsched validate "@every 90s"`: the next times of an interval written
//! as robfig/cron's and croner's shorthand, counted from `--after` (now by
//! default), as the interval trigger counts them from when it starts.

use super::error::Error;
use super::meaning::interval_text;
use super::output::{print, print_json};
use super::times::schedule_time;
use super::validate::{head, times_heading};
use chrono::{DateTime, TimeDelta};
use chrono_tz::Tz;
use std::time::Duration;

/// Prints the expression, its period, the zone and the next `count` times
/// after `after`, every `period` (as text, or one JSON object with the keys
/// of `validate --json`).
pub(super) fn show(
    expression: &str,
    period: Duration,
    after: &DateTime<Tz>,
    count: usize,
    json: bool,
) -> Result<(), Error> {
    let normalized = format!("trigger = \"interval\", seconds = {}", period.as_secs());
    let meaning = interval_text(period);
    let times = times(period, after, count);
    if json {
        return print_json(&serde_json::json!({
            "expression": expression,
            "normalized": normalized,
            "meaning": meaning,
            "description": meaning,
            "timezone": after.timezone().name(),
            "after": schedule_time(after),
            "next_run_times": times.iter().map(schedule_time).collect::<Vec<_>>(),
        }));
    }
    let mut text = head(expression, &normalized, &meaning, after.timezone());
    text.push_str(&times_heading(times.len(), after));
    super::validate::time_lines(&mut text, after, &times);
    print(&text)
}

/// `after + k × period` for k = 1..=count, as far as chrono reaches.
fn times(period: Duration, after: &DateTime<Tz>, count: usize) -> Vec<DateTime<Tz>> {
    let step = TimeDelta::try_seconds(i64::try_from(period.as_secs()).unwrap_or(i64::MAX));
    (1..=count)
        .map_while(|k| {
            let total = step?.checked_mul(i32::try_from(k).ok()?)?;
            after.checked_add_signed(total)
        })
        .collect()
}
