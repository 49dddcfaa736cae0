//! The combined triggers' rules: an `or` fires at the earliest next time of
//! any member (in [`super::Trigger::next_of`]), an `and` at a time every
//! member has, searched here.

use super::{AND_STEPS, Kind, Trigger, kind_text};
use chrono::{DateTime, TimeDelta};
use chrono_tz::Tz;

/// The first time strictly after `after` that every member of an `and`
/// has, or `None` if a member has no time left, the search passes
/// `end_date`, or [`AND_STEPS`] candidates go by without agreement.
///
/// Each step asks every member for its first time at or after the
/// candidate; when they all give the same time, that is the answer, else
/// the latest of them is the next candidate. The candidate only moves
/// forward: every answer is later than the step's `after`, so the latest
/// is too.
pub(super) fn agreed(
    trigger: &Trigger,
    members: &[Kind],
    after: &DateTime<Tz>,
    anchor: &DateTime<Tz>,
) -> Option<DateTime<Tz>> {
    let mut after = *after;
    for _ in 0..AND_STEPS {
        let mut earliest: Option<DateTime<Tz>> = None;
        let mut latest: Option<DateTime<Tz>> = None;
        for member in members {
            let t = trigger.next_of(member, &after, anchor)?;
            earliest = Some(earliest.map_or(t, |e| e.min(t)));
            latest = Some(latest.map_or(t, |l| l.max(t)));
        }
        let (earliest, latest) = (earliest?, latest?);
        if earliest == latest {
            return Some(latest);
        }
        if trigger.past_end(&latest) {
            return None;
        }
        // The next step asks for times at or after `latest`.
        after = latest.checked_sub_signed(TimeDelta::nanoseconds(1))?;
    }
    None
}

/// `or(A; B)` / `and(A; B)`: the members' texts, `;`-separated (cron
/// strings hold commas).
pub(super) fn text(name: &str, members: &[Kind], normalized: bool) -> String {
    let inner: Vec<String> = members.iter().map(|m| kind_text(m, normalized)).collect();
    format!("{name}({})", inner.join("; "))
}

#[cfg(test)]
#[path = "combined_tests.rs"]
mod tests;
