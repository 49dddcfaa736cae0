//! What the scheduling core asks of the runner: runs to start, signals to
//! send, lines to log and changes to write.

use super::persist::{Claim, JobState, RunResult};
use super::{Event, Record, RunId};
use crate::config::Job;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::sync::Arc;

/// A run the runner must start.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RunRequest {
    pub run: RunId,
    pub record: Record,
    pub job: Arc<Job>,
    pub scheduled: DateTime<Tz>,
}

/// How a run's process ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Exited with this status.
    Exited(i32),
    /// Ended by this signal.
    Signaled(i32),
    /// Could not be started.
    NotStarted(String),
    /// A function job returned this error (or panicked with it).
    Failed(String),
}

impl Outcome {
    /// How it ended, for people: `exit status 3`, `killed by signal 9`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Outcome::Exited(code) => format!("exit status {code}"),
            Outcome::Signaled(sig) => format!("killed by signal {sig}"),
            Outcome::NotStarted(why) => format!("cannot start: {why}"),
            Outcome::Failed(why) => format!("failed: {why}"),
        }
    }
}

/// What the scheduler wakes up for next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Due {
    /// A job's next slot (jitter included).
    Slot(String),
    /// A running job's timeout or kill deadline.
    Deadline { job: String, run: Record },
}

/// What the runner must do.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Action {
    Start(RunRequest),
    /// Send SIGTERM to the run's process group.
    Terminate(RunId),
    /// Send SIGKILL to the run's process group.
    Kill(RunId),
    Log(Event),
    /// Log, once the change before it is written: what a claim decided
    /// (a catch-up, a missed run) is not this host's to tell when another
    /// host's claim won.
    LogWritten(Event),
    /// Write to the state store (before the actions that follow it).
    Persist(Change),
    /// Tell hooks and metrics, once the change before it is written.
    Notify(super::Notice),
}

/// A change of persistent state. The store numbers the runs it records
/// (claimed slots, run-now); the runner hands those numbers back with
/// [`Scheduler::recorded`](super::Scheduler::recorded) before anything of
/// the run starts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Change {
    /// Save a job's state as is: new or changed job, pause, resume.
    Save { job: String, state: JobState },
    /// A due slot was handled; `run` runs the slots of `claim.runs`, in order.
    Claim { claim: Claim, run: Option<RunId> },
    /// A run outside the schedule (run-now), answering `request` if any.
    Extra {
        run: RunId,
        job: String,
        scheduled: DateTime<Utc>,
        request: Option<i64>,
    },
    /// A run-now request was refused.
    Refused { request: i64, reason: String },
    /// A run started.
    Started { record: Record },
    /// A run ended (or was missed while waiting for a worker).
    Ended {
        record: Record,
        exit: Option<i32>,
        result: RunResult,
    },
    /// Runs that will not happen now (shutdown).
    Dropped { records: Vec<Record> },
}

impl Change {
    /// The run whose slots this change records, if any.
    pub(crate) fn run(&self) -> Option<RunId> {
        match self {
            Change::Claim { run, .. } => *run,
            Change::Extra { run, .. } => Some(*run),
            _ => None,
        }
    }
}
