//! The misfire rule, in one place: a run is missed when it would start later
//! than `misfire_grace_time` after the moment it was meant to start. That
//! moment is the scheduled time plus any jitter we chose ourselves: a delay
//! apsched picked is never lateness (as in APScheduler, where jitter moves
//! the fire time itself).
//!
//! A startup job's run is never missed: its time is the start itself, and
//! it is not caught up later ([`grace`]).

use crate::config::Job;
use crate::trigger::Kind;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// The grace time of `job`'s runs: its `misfire_grace_time`; `None` (no
/// limit) for a startup job.
pub(crate) fn grace(job: &Job) -> Option<Duration> {
    match job.trigger.kind {
        Kind::Startup => None,
        _ => job.more.misfire_grace_time,
    }
}

/// How late a run starting at `now` is, against `meant` (scheduled time
/// plus chosen jitter); zero when it is not late.
pub(crate) fn lateness(meant: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (now - meant).to_std().unwrap_or(Duration::ZERO)
}

/// The earliest meant start that still runs at `now`: one meant before it
/// is missed. `None` when `grace` is `None` (no limit).
pub(crate) fn cutoff(now: DateTime<Utc>, grace: Option<Duration>) -> Option<DateTime<Utc>> {
    let grace = chrono::Duration::from_std(grace?).unwrap_or(chrono::Duration::MAX);
    Some(
        now.checked_sub_signed(grace)
            .unwrap_or(DateTime::<Utc>::MIN_UTC),
    )
}

/// Whether a run meant to start at `meant` is missed if started at `now`.
/// `grace` of `None` is no limit.
pub(crate) fn is_missed(meant: DateTime<Utc>, now: DateTime<Utc>, grace: Option<Duration>) -> bool {
    cutoff(now, grace).is_some_and(|c| meant < c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_beyond_the_grace_time_is_missed() {
        let t = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .expect("time")
                .with_timezone(&Utc)
        };
        let meant = t("2027-01-01T00:00:00Z");
        let cases = [
            ("2027-01-01T00:00:00Z", None, false),
            ("2030-01-01T00:00:00Z", None, false),
            ("2027-01-01T00:00:10Z", Some(10), false),
            ("2027-01-01T00:00:10.001Z", Some(10), true),
            ("2026-12-31T23:59:00Z", Some(0), false),
        ];
        for (now, grace, missed) in cases {
            let grace = grace.map(Duration::from_secs);
            assert_eq!(is_missed(meant, t(now), grace), missed, "{now} {grace:?}");
        }
    }
}
