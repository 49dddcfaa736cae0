//! What the host tells hooks and metrics: every notice once its record is
//! written, the state writes that failed, the jobs after a reload, run
//! output tails and the liveness of the scheduling loop. Both are off the
//! scheduling path: hooks run on their own thread, metrics are read by
//! their own server thread.

use super::metrics::Metrics;
use crate::config::{Job, Settings};
use crate::scheduler::{Change, Notice, Record};

/// The observers of a running scheduler.
#[derive(Default)]
pub(super) struct Observers {
    /// Notices of a transaction not yet committed.
    batch: Option<Vec<Notice>>,
    /// The metrics endpoint's counts, when it is on.
    pub(super) metrics: Option<Metrics>,
}

// Hooks and metrics fill these in; until then they are no-ops.
#[allow(clippy::unused_self)]
impl Observers {
    /// Tells a notice now, or at [`Observers::commit`] inside a transaction.
    pub(super) fn notice(&mut self, notice: Notice) {
        match &mut self.batch {
            Some(batch) => batch.push(notice),
            None => self.tell(&notice),
        }
    }

    /// A transaction began: notices wait for its commit.
    pub(super) fn begin(&mut self) {
        self.batch.get_or_insert_with(Vec::new);
    }

    /// The transaction ended: tells the notices it held.
    pub(super) fn commit(&mut self) {
        for notice in self.batch.take().unwrap_or_default() {
            self.tell(&notice);
        }
    }

    fn tell(&mut self, notice: &Notice) {
        if let Some(m) = &self.metrics {
            m.tell(notice);
        }
    }

    /// A state change was written.
    pub(super) fn written(&mut self, change: &Change) {
        if let Some(m) = &self.metrics {
            m.written(change);
            m.write_result(None);
        }
    }

    /// A state write failed with this error, or (`None`) succeeded again.
    pub(super) fn write_result(&mut self, error: Option<&str>) {
        if let Some(m) = &self.metrics {
            m.write_result(error);
        }
    }

    /// The schedule file was read again: the jobs now in force.
    pub(super) fn jobs(&mut self, _settings: &Settings, jobs: &[Job]) {
        if let Some(m) = &self.metrics {
            m.jobs(jobs);
        }
    }

    /// The last bytes of a run's output, once its pipes closed.
    pub(super) fn tail(&mut self, _record: Record, _tail: &[u8]) {}

    /// A child that is not a run ended; true if it was an observer's.
    pub(super) fn reaped(&mut self, _pid: i32, _status: i32) -> bool {
        false
    }

    /// The scheduling loop is about to wait, or has woken.
    pub(super) fn alive(&mut self) {
        if let Some(m) = &self.metrics {
            m.alive();
        }
    }
}
