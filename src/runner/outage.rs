//! A store that cannot be written (full disk, I/O error): fail closed. No
//! run starts without its claim and start committed; the error is logged
//! once per episode; the store is retried with backoff; when a write works
//! again every job resumes from its saved state by the normal misfire and
//! coalescing rules, so no slot is replayed.

use super::Host;
use crate::scheduler::{Event, Notice, Scheduler};
use chrono::{DateTime, Utc};

/// The first retry comes after this long; each failed retry doubles it, up
/// to [`MAX_BACKOFF`].
const FIRST_BACKOFF: chrono::Duration = chrono::Duration::seconds(1);
const MAX_BACKOFF: chrono::Duration = chrono::Duration::seconds(60);

/// One episode of a failing store.
#[derive(Clone, Debug)]
pub(super) struct Outage {
    pub since: DateTime<Utc>,
    /// The error that began it.
    pub error: String,
    pub next_try: DateTime<Utc>,
    backoff: chrono::Duration,
    /// Notices of runs whose ends the host keeps until the store works
    /// again; told once they are written.
    pub held: Vec<Notice>,
}

impl Outage {
    /// Schedules the next retry after a failed one.
    pub(super) fn retry_later(&mut self, now: DateTime<Utc>) {
        self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
        self.next_try = now + self.backoff;
    }
}

/// A write failed: begins an episode (logged once) unless one is going, and
/// holds the scheduler's runs until the store works again.
pub(super) fn enter(
    host: &mut impl Host,
    core: &mut Scheduler,
    outage: &mut Option<Outage>,
    error: String,
    now: DateTime<Utc>,
) {
    core.suspend();
    if outage.is_some() {
        return;
    }
    host.log(&Event::StateFailing {
        error: error.clone(),
    });
    *outage = Some(Outage {
        since: now,
        error,
        next_try: now + FIRST_BACKOFF,
        backoff: FIRST_BACKOFF,
        held: Vec::new(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_a_minute() {
        let now = DateTime::UNIX_EPOCH;
        let mut o = Outage {
            since: now,
            error: String::new(),
            next_try: now + FIRST_BACKOFF,
            backoff: FIRST_BACKOFF,
            held: Vec::new(),
        };
        let mut gaps = Vec::new();
        for _ in 0..8 {
            o.retry_later(now);
            gaps.push((o.next_try - now).num_seconds());
        }
        assert_eq!(gaps, [2, 4, 8, 16, 32, 60, 60, 60]);
    }
}
