//! Persistent job state and run history, behind a small interface.
//!
//! The interface ([`Store`]) is what the scheduler needs: load the state,
//! claim a due slot, record a run's start and end, read history. SQLite
//! ([`sqlite::SqliteStore`]) is the one the scheduler uses; a PostgreSQL
//! store (`postgres::PgStore`), which several hosts can share with the same
//! compare-and-set claim keeping every slot to one host, implements the
//! same interface but is not wired in yet. What a running scheduler needs
//! besides ([`StateStore`]: grouped writes, the saved jobs, the last run
//! times) both implement too, and the host holds the store as a
//! `Box<dyn StateStore>`. Nothing outside this module writes SQL.
//! The types it keeps (a job's state, a claim, a run's result) are the
//! scheduling core's ([`crate::scheduler::persist`]).
//!
//! **At most once per slot.** A claim advances the job's saved next run time
//! only if it still equals the slot being claimed, and inserts the slot's run
//! row (unique on job and scheduled time), in one transaction committed before
//! the command starts. A crash or `kill -9` therefore never replays a slot
//! that was claimed; a run found still pending or started at the next start is
//! recorded as interrupted.

pub(crate) mod copy;
mod location;
pub(crate) use location::{Database, Location};
pub(crate) mod postgres;
pub(crate) mod sqlite;
mod state;
pub(crate) use state::{LastTimes, StateStore};

pub use crate::scheduler::persist::{Claim, JobState, RunResult};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// One row of run history.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RunRow {
    pub id: i64,
    pub job: String,
    pub scheduled: String,
    /// For a summary row of several missed runs: the last one.
    pub scheduled_last: Option<String>,
    /// How many slots the row stands for (1 but for summaries).
    pub count: i64,
    pub started: Option<String>,
    pub ended: Option<String>,
    pub exit_status: Option<i32>,
    #[serde(serialize_with = "result_text")]
    pub result: RunResult,
    #[serde(skip)]
    pub output: Option<Vec<u8>>,
    /// The node of a cluster that claimed the run; `None` in an SQLite
    /// file, and for a run no node claimed.
    pub node: Option<String>,
    /// Which attempt of its slot the run is, when not the first (a
    /// cluster's `on_lost = "rerun"`); `None` for a first attempt.
    pub attempt: Option<i16>,
    /// What a cluster noted of the run: why it was interrupted, and how its
    /// node ended it late; `None` if nothing.
    pub note: Option<String>,
}

/// A run's result as its text (`success`, `timed out`, ...).
// serde's `serialize_with` passes the field by reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn result_text<S: serde::Serializer>(result: &RunResult, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(result.as_str())
}

/// The state as loaded at start.
#[derive(Debug, Default)]
pub struct Loaded {
    pub jobs: HashMap<String, JobState>,
    /// Some jobs' states were left unread ([`Store::load_lazily`]); when
    /// false, `jobs` holds every saved state (none, for a fresh store).
    pub lazy: bool,
    /// Jobs whose state could not be read: (job, why). Their rows were moved
    /// to the `set_aside` table, not deleted.
    pub set_aside: Vec<(String, String)>,
    /// Runs found pending (never started), or still running and ended: now
    /// recorded interrupted.
    pub interrupted: u64,
    /// Runs found started whose process had ended unseen: recorded unknown.
    pub unknown: u64,
    /// Runs found started: their processes may outlive a killed scheduler.
    pub started: Vec<StartedRun>,
    /// Runs found pending, now recorded interrupted.
    pub pending: Vec<StartedRun>,
}

/// A run found started when the scheduler starts again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StartedRun {
    pub record: i64,
    pub job: String,
    /// The run's scheduled time, as stored.
    pub scheduled: String,
    /// Its process group (the leader's pid), if recorded.
    pub pid: Option<i32>,
    /// The leader's identity when it started: `BOOT_ID/START_TICKS`.
    pub identity: Option<String>,
}

/// What became of a run-now request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// It runs (or ran) as this run.
    Run(i64),
    /// It was not run, for this reason.
    Refused(String),
}

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The state file cannot be opened or read, or is not apsched's.
    #[error("state file {path}: {message}")]
    Open { path: String, message: String },
    #[error(
        "state file {path} is in use by another apsched run (pid {pid}); stop it first, or use another state file with --state"
    )]
    Locked { path: String, pid: String },
    /// An SQLite error not yet tied to its file; see [`StoreError::at`].
    #[error("state file: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The PostgreSQL state database cannot be reached, or refused a
    /// statement; the message says which and what the server said.
    #[error("PostgreSQL state database: {0}")]
    Database(String),
}

impl StoreError {
    /// The error with the state file at `path` named in it: SQLite's own
    /// errors carry no path.
    pub fn at(self, path: &std::path::Path) -> StoreError {
        match self {
            StoreError::Sql(e) => StoreError::Open {
                path: path.display().to_string(),
                message: sqlite::describe(&e),
            },
            other => other,
        }
    }
}

/// The interface the scheduler uses.
pub trait Store {
    /// Loads every job's state; marks unfinished runs interrupted.
    fn load(&mut self) -> Result<Loaded, StoreError>;
    /// As [`Store::load`], but a store may leave the jobs' states unread
    /// (it still checks every row and sets aside those it cannot read):
    /// `Loaded::jobs` is then empty, `Loaded::lazy` is set, and
    /// `StateStore::saved_job` reads each when it is needed.
    fn load_lazily(&mut self) -> Result<Loaded, StoreError> {
        self.load()
    }
    /// Saves a job's state as is (new job, changed trigger, pause, resume).
    fn save_job(&mut self, job: &str, state: &JobState) -> Result<(), StoreError>;
    /// Claims a slot; `None` if it was no longer the job's next run time.
    /// Returns the row ids of the pending runs, in order.
    fn claim(&mut self, claim: &Claim) -> Result<Option<Vec<i64>>, StoreError>;
    /// Adds a pending run that no slot stands for (run-now).
    fn add_run(&mut self, job: &str, scheduled: DateTime<Utc>) -> Result<i64, StoreError>;
    fn run_started(&mut self, row: i64, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// Records the process group of a started run and its leader's identity.
    fn run_process(&mut self, row: i64, pid: u32, identity: &str) -> Result<(), StoreError>;
    fn run_ended(
        &mut self,
        row: i64,
        at: Option<DateTime<Utc>>,
        exit: Option<i32>,
        result: RunResult,
    ) -> Result<(), StoreError>;
    /// Saves the last few KB of a run's output.
    fn run_output(&mut self, row: i64, tail: &[u8]) -> Result<(), StoreError>;
    /// Runs, newest first, of one job or all.
    fn history(&self, job: Option<&str>, limit: usize) -> Result<Vec<RunRow>, StoreError>;
    /// Marks a job paused or resumed, noting the file's `paused` value of
    /// now; false if the store did not know the job.
    fn set_paused(
        &mut self,
        job: &str,
        paused: bool,
        file_paused: bool,
    ) -> Result<bool, StoreError>;
    /// One run by its number.
    fn run(&self, id: i64) -> Result<Option<RunRow>, StoreError>;
    /// Asks the running scheduler to run a job now; the request's number.
    fn request_run(&mut self, job: &str) -> Result<i64, StoreError>;
    /// Takes the run-now requests not taken yet: (request, job).
    fn take_requests(&mut self) -> Result<Vec<(i64, String)>, StoreError>;
    /// Records what became of a request.
    fn answer_request(&mut self, request: i64, answer: &Answer) -> Result<(), StoreError>;
    /// What became of a request, once the scheduler answered it.
    fn request_answer(&self, request: i64) -> Result<Option<Answer>, StoreError>;
}

/// Formats a time as the store keeps it: RFC 3339, UTC.
pub(crate) fn text(t: &DateTime<Utc>) -> String {
    crate::timefmt::rfc3339_auto_z(t)
}

/// Reads a time kept by the store.
pub(crate) fn parse(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
