//! What the scheduling core needs persisted between runs of the scheduler:
//! a job's state, the claim of a due slot, and how a run ended. The core
//! defines these; the state store keeps them.

use chrono::{DateTime, Utc};

/// What the store remembers of a job between runs of the scheduler.
#[derive(Clone, Debug, PartialEq)]
pub struct JobState {
    /// The trigger definition it was scheduled with; a different one means
    /// the job starts afresh, with no catch-up.
    pub fingerprint: String,
    /// The next slot; `None` once the trigger has no more run times.
    pub next_run: Option<DateTime<Utc>>,
    /// When an interval job without `start_date` was first scheduled.
    pub anchor: DateTime<Utc>,
    /// Whether the job is paused (by the file or by `apsched pause`).
    pub paused: bool,
    /// The file's `paused` value last applied; `None` in state saved before
    /// it was kept. See `scheduler::initial::paused`.
    pub file_paused: Option<bool>,
    /// Resumed while no scheduler ran: schedule from the next start, no catch-up.
    pub reschedule: bool,
}

/// How a run ended (or what became of a slot).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunResult {
    /// Claimed, waiting for a worker.
    Pending,
    Started,
    Success,
    Failed,
    TimedOut,
    Missed,
    /// Skipped because `max_instances` runs were going.
    Skipped,
    /// Found pending when the scheduler started again, or found still
    /// running then (and ended), or given up after SIGKILL.
    Interrupted,
    /// Found started when the scheduler started again, its process gone:
    /// it ended while no scheduler watched, how is not known.
    Unknown,
}

impl RunResult {
    /// Every result, in declaration order.
    pub const ALL: [RunResult; 9] = [
        RunResult::Pending,
        RunResult::Started,
        RunResult::Success,
        RunResult::Failed,
        RunResult::TimedOut,
        RunResult::Missed,
        RunResult::Skipped,
        RunResult::Interrupted,
        RunResult::Unknown,
    ];

    /// The result as the store keeps it and `history` shows it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            RunResult::Pending => "pending",
            RunResult::Started => "started",
            RunResult::Success => "success",
            RunResult::Failed => "failed",
            RunResult::TimedOut => "timed out",
            RunResult::Missed => "missed",
            RunResult::Skipped => "skipped",
            RunResult::Interrupted => "interrupted",
            RunResult::Unknown => "unknown",
        }
    }

    /// The result that [`RunResult::as_str`] gave `text`, if any.
    #[must_use]
    pub fn parse(text: &str) -> Option<RunResult> {
        RunResult::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

impl std::fmt::Display for RunResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A due slot handled: everything written in one transaction.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub job: String,
    /// The saved next run time being claimed.
    pub expected: DateTime<Utc>,
    /// The job's new next run time.
    pub next: Option<DateTime<Utc>>,
    /// Slots that will run: a pending row each.
    pub runs: Vec<DateTime<Utc>>,
    /// Slots missed: (first, last, count), one summary row.
    pub missed: Option<(DateTime<Utc>, DateTime<Utc>, u64)>,
    /// Slots skipped for max instances: (first, count).
    pub skipped: Option<(DateTime<Utc>, u64)>,
    /// When the claim is due: the claimed slot's start (its jitter
    /// included), or the latest slot it runs if later (a catch-up); a store
    /// shared by hosts checks it against its own clock.
    pub due_at: DateTime<Utc>,
    /// The job's misfire grace time, for the same check; `None`: no limit.
    pub grace: Option<std::time::Duration>,
    /// The job's `max_instances`, which a shared store holds across hosts.
    pub max_instances: usize,
    /// The trigger the slot was planned with: a shared store lets only the
    /// hosts whose trigger it keeps claim.
    pub fingerprint: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_result_reads_back_from_its_text() {
        for result in RunResult::ALL {
            assert_eq!(RunResult::parse(result.as_str()), Some(result));
        }
        assert_eq!(RunResult::parse("running"), None);
    }
}
