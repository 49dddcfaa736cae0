//! The seam between the runner and the world: the [`Host`] trait, what it
//! hands the runner ([`Input`]), and why its calls fail.

use crate::config::{Job, Settings};
use crate::scheduler::persist::JobState;
use crate::scheduler::{Change, Event, Notice, Outcome, Record, RunId, RunRequest};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::fmt::Display;
use std::sync::Arc;

/// Something that happened outside while the runner waited.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Input {
    /// A run's process ended.
    Exited { run: RunId, outcome: Outcome },
    /// SIGINT or SIGTERM: shut down (a second one: at once).
    Stop,
    /// SIGHUP: reload the schedule file.
    Reload,
    /// The watched schedule file changed (`--watch`): reload it, as on SIGHUP.
    FileChanged,
    /// `apsched pause` or `resume` changed the state.
    Paused { job: String, paused: bool },
    /// `apsched run-now`, and its request's number.
    RunNow { job: String, request: Option<i64> },
    /// A write the host made on its own (a run's output) failed.
    StoreFailed { error: String },
    /// The wall clock was set, or the machine resumed from suspend: read
    /// it again.
    ClockSet,
}

/// Why a state change was not written.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum PersistError {
    /// The store refused it: the slot was claimed before. Not ours to run.
    Refused(String),
    /// The store cannot be written now (full disk, I/O error, ...).
    Failed(String),
    /// A claim of a store shared by hosts: the slot is not this host's to
    /// run (another claimed it, or the shared clock disagrees); the job's
    /// state as stored, to go on from.
    Lost {
        reason: String,
        saved: Option<JobState>,
    },
}

/// Why a run's process could not start; the reason ends up in the run's
/// `job_error` line (`cannot start: REASON`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub(crate) struct StartError {
    pub reason: String,
}

impl StartError {
    /// A start that failed for `reason`.
    pub(crate) fn new(reason: impl Display) -> StartError {
        StartError {
            reason: reason.to_string(),
        }
    }
}

/// Why the schedule file could not be read again: every problem found, each
/// logged as its own `reload_failed` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ReloadError {
    pub problems: Vec<String>,
}

/// Why the store still cannot be written after a failure.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub(crate) struct RecoverError {
    pub reason: String,
}

/// Everything the runner needs from the world.
pub(crate) trait Host {
    /// The wall clock.
    fn now(&mut self) -> DateTime<Utc>;
    /// Waits until `deadline` (`DateTime::MAX_UTC`: no deadline) or until
    /// inputs arrive, and returns them.
    fn wait(&mut self, deadline: DateTime<Utc>) -> Vec<Input>;
    /// Whether a clock step or a resume from suspend wakes [`Host::wait`]
    /// at once ([`Input::ClockSet`]); if not, the runner waits at most
    /// [`MAX_SLEEP`](super::MAX_SLEEP) at a time.
    fn notices_clock_steps(&self) -> bool {
        false
    }
    /// Starts the run's process; an error means it could not start.
    fn start(&mut self, run: &RunRequest) -> Result<(), StartError>;
    /// Sends SIGTERM (or SIGKILL with `kill`) to the run's process group.
    fn signal(&mut self, run: RunId, kill: bool);
    fn log(&mut self, event: &Event);
    /// Tells hooks and metrics of something whose record is written (or,
    /// between [`Host::begin`] and [`Host::commit`], will be on commit).
    fn notify(&mut self, _notice: Notice) {}
    /// Reads the schedule file again; the problems if it is not valid.
    fn reload(&mut self) -> Result<(Settings, Vec<Arc<Job>>), ReloadError>;
    /// Writes a state change; returns the history numbers of the runs it
    /// recorded (a claim's slots, a run-now). An error means it was not
    /// recorded: a claim or start that was not recorded does not run. The
    /// host keeps failed records of runs that happened (ends, output) and
    /// writes them on [`Host::recover`].
    fn persist(&mut self, change: &Change) -> Result<Vec<Record>, PersistError>;
    /// After a failed write: writes what was kept and, if the store works
    /// again, returns every job's saved state.
    fn recover(&mut self) -> Result<HashMap<String, JobState>, RecoverError>;
    /// Groups the state changes that follow, up to [`Host::commit`], into
    /// one transaction (startup and reload save many jobs at once).
    fn begin(&mut self) {}
    fn commit(&mut self) {}
    /// The saved states of the jobs `ids` that have one, for start-up,
    /// which asks for each job once: a job with none starts afresh.
    fn saved_states(&mut self, ids: &[&str]) -> HashMap<String, JobState> {
        let _ = ids;
        HashMap::new()
    }
    /// Start-up or a reload is over and what it alone needed is freed:
    /// the host may give that memory back to the system.
    fn settled(&mut self) {}
}
