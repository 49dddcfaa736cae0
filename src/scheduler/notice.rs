//! What hooks and metrics are told: one notice per thing that happened to a
//! run or to a job's slots. The core emits a notice right after the change
//! that records it, and the runner passes it on only once that change is
//! written, so a hook never reports what the state does not hold.

use super::persist::RunResult;
use super::{Outcome, Record};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// Why slots of a job did not run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Miss {
    /// Later than the misfire grace time.
    Misfire,
    /// `max_instances` runs of the job were still going.
    Overlap,
    /// Merged into one run by `coalesce`.
    Coalesced,
}

impl Miss {
    /// Every reason, in declaration order.
    pub(crate) const ALL: [Miss; 3] = [Miss::Misfire, Miss::Overlap, Miss::Coalesced];

    /// The reason as metrics label it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Miss::Misfire => "misfire",
            Miss::Overlap => "overlap",
            Miss::Coalesced => "coalesced",
        }
    }
}

/// A run that ended (or never started).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RunEnd {
    pub job: String,
    pub record: Record,
    pub scheduled: DateTime<Tz>,
    /// When the scheduler started it (or tried to).
    pub started: DateTime<Utc>,
    pub ended: DateTime<Utc>,
    pub outcome: Outcome,
    /// As recorded: success, failed or timed out.
    pub result: RunResult,
}

/// One thing hooks and metrics hear of.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Notice {
    /// A run's process started (its start is recorded).
    Started {
        job: String,
        record: Record,
        scheduled: DateTime<Tz>,
        started: DateTime<Utc>,
    },
    /// A run ended, or could not start.
    Ended(Box<RunEnd>),
    /// Slots of one job that will not run, decided at once: one notice for
    /// any number of them.
    Missed {
        job: String,
        first: DateTime<Tz>,
        last: DateTime<Tz>,
        count: u64,
        reason: Miss,
    },
    /// A run found unfinished when the scheduler started (after a crash):
    /// recorded interrupted, or unknown when it ended while no scheduler
    /// watched.
    Interrupted {
        job: String,
        record: Record,
        scheduled: DateTime<Utc>,
        result: RunResult,
    },
    /// A reload was refused; the old file stays in force.
    ReloadFailed { problems: Vec<String> },
    /// A reload took effect.
    Reloaded,
}
