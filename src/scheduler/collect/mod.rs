//! Which run times of a job came due: every one from its slot up to now;
//! those meant to start more than the grace time ago are missed; the rest
//! run (with `coalesce` only the latest of them). Pure: no state, no clock.

use super::{Slot, misfire};
use crate::trigger::{Kind, Trigger};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::time::Duration;

/// Without coalescing, at most this many due run times run one by one; the
/// rest count as missed.
const MAX_LISTED: usize = 10_000;
/// At most this many run times are walked to catch up (a year of an
/// every-second cron job is 31.5 million); past that the job resumes from its
/// first run time after now and the rest count as missed.
const MAX_WALKED: u64 = 100_000_000;

/// The run times of one job that came due, counted without listing them all.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Due {
    pub missed: u64,
    pub missed_first: Option<DateTime<Tz>>,
    pub missed_last: Option<DateTime<Tz>>,
    /// How many are in time (to run, or coalesced into one run).
    pub ok: u64,
    /// Those in time, listed when they run one by one (no coalescing).
    pub ok_listed: Vec<DateTime<Tz>>,
    pub ok_last: Option<DateTime<Tz>>,
    pub first: DateTime<Tz>,
    pub last: DateTime<Tz>,
    /// The job's next run time after now.
    pub next: Option<DateTime<Tz>>,
}

impl Due {
    /// Nothing counted yet, from the slot at `first`.
    fn new(first: DateTime<Tz>) -> Due {
        Due {
            missed: 0,
            missed_first: None,
            missed_last: None,
            ok: 0,
            ok_listed: Vec::new(),
            ok_last: None,
            first,
            last: first,
            next: None,
        }
    }

    fn add(&mut self, t: DateTime<Tz>, missed: bool, list: bool) {
        self.last = t;
        if missed {
            self.missed += 1;
            self.missed_first.get_or_insert(t);
            self.missed_last = Some(t);
        } else {
            self.ok += 1;
            self.ok_last = Some(t);
            if list && self.ok_listed.len() < MAX_LISTED {
                self.ok_listed.push(t);
            } else if list {
                // Too many to run one by one: counted as missed instead.
                self.ok -= 1;
                self.missed += 1;
                self.missed_last = Some(t);
            }
        }
    }

    /// The run times that run: the latest in time with `coalesce`, else
    /// every listed one.
    pub(super) fn runs(&self, coalesce: bool) -> Vec<DateTime<Tz>> {
        if coalesce {
            self.ok_last.into_iter().collect()
        } else {
            self.ok_listed.clone()
        }
    }

    /// How many run times came due.
    pub(super) fn total(&self) -> u64 {
        self.missed + self.ok
    }
}

/// The run times of `trigger` due at `now`, from `slot` on (`anchor` as for
/// [`Trigger::next_after`]). A run time is missed when it starts later than
/// `grace` after it was meant to: the first slot's jitter is not lateness.
pub(super) fn collect(
    trigger: &Trigger,
    slot: Slot,
    anchor: &DateTime<Tz>,
    now: DateTime<Utc>,
    grace: Option<Duration>,
    coalesce: bool,
) -> Due {
    let now_tz = now.with_timezone(&trigger.tz);
    let is_missed = |meant: DateTime<Utc>| misfire::is_missed(meant, now, grace);
    let mut due = Due::new(slot.scheduled);
    due.add(slot.scheduled, is_missed(slot.start_at), !coalesce);
    let mut walked = 1;
    let mut next = trigger.next_after(&slot.scheduled, anchor);
    if let (Kind::Interval { period }, Some(n)) = (&trigger.kind, next) {
        // Elapsed-time triggers are counted, not walked.
        if n <= now_tz && coalesce && trigger.end_date.is_none() {
            count_interval(&mut due, *period, n, now_tz, misfire::cutoff(now, grace));
            next = trigger.next_after(&due.last, anchor);
        }
    }
    while let Some(t) = next.filter(|t| *t <= now_tz) {
        due.add(t, is_missed(t.with_timezone(&Utc)), !coalesce);
        walked += 1;
        if walked >= MAX_WALKED {
            next = trigger.next_after(&now_tz, anchor);
            break;
        }
        next = trigger.next_after(&t, anchor);
    }
    due.next = next;
    due
}

/// Counts the run times `n`, `n + period`, ... up to `now` of an interval
/// trigger into `due`: those meant before `cutoff` are missed.
// A period in nanoseconds fits an i128, and every count and offset is bounded
// by the span `now - n` in nanoseconds (an i64): the casts keep the arithmetic
// exactly as it is.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]
fn count_interval(
    due: &mut Due,
    period: Duration,
    n: DateTime<Tz>,
    now: DateTime<Tz>,
    cutoff: Option<DateTime<Utc>>,
) {
    let p = (period.as_nanos() as i128).max(1);
    let nanos = |d: chrono::Duration| i128::from(d.num_nanoseconds().unwrap_or(i64::MAX));
    let count = nanos(now - n) / p + 1;
    let nth = |k: i128| n + chrono::Duration::nanoseconds((k * p) as i64);
    let missed = match cutoff {
        Some(c) if c > n.with_timezone(&Utc) => {
            ((nanos(c - n.with_timezone(&Utc)) + p - 1) / p).min(count)
        }
        _ => 0,
    };
    if missed > 0 {
        due.missed += missed as u64;
        due.missed_first.get_or_insert(n);
        due.missed_last = Some(nth(missed - 1));
    }
    if count > missed {
        due.ok += (count - missed) as u64;
        due.ok_last = Some(nth(count - 1));
    }
    due.last = nth(count - 1);
}

#[cfg(test)]
mod tests;
