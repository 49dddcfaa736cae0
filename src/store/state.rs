//! What a running scheduler needs of its store besides [`Store`]: grouping
//! writes, proving the store writable again, the saved jobs and their
//! paused flags (read again on SIGUSR1), the last run times the metrics
//! start from, and naming the store in its errors. Both stores implement
//! it, so the host holds a `Box<dyn StateStore>` and does not know which.

use super::{JobState, RunRow, Store, StoreError};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// The latest times of one job's runs, as far as the history kept goes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct LastTimes {
    /// The latest start of a run (or of a try to start one).
    pub run: Option<DateTime<Utc>>,
    /// The latest end of a successful run.
    pub success: Option<DateTime<Utc>>,
    /// The latest end of a failed or timed-out run (a command that could
    /// not start is recorded failed).
    pub failure: Option<DateTime<Utc>>,
}

/// The store of a running scheduler.
pub(crate) trait StateStore: Store {
    /// Starts grouping the writes up to [`StateStore::commit`] (many jobs
    /// saved at start or reload). A store may group them in one
    /// transaction or write each at once; either way each write is whole.
    /// No claim may happen between the two calls.
    fn begin(&mut self) -> Result<(), StoreError>;
    /// Ends what [`StateStore::begin`] started: every write since is in the
    /// store when it returns `Ok`. Harmless without a `begin`.
    fn commit(&mut self) -> Result<(), StoreError>;
    /// Makes a small write of no meaning; `Ok` proves the store writable.
    fn touch(&mut self) -> Result<(), StoreError>;
    /// The saved state of every job that can be read, changing nothing;
    /// rows that cannot be read are left out.
    fn saved_jobs(&self) -> Result<HashMap<String, JobState>, StoreError>;
    /// The saved state of one job; `None` if there is none or its row
    /// cannot be read.
    fn saved_job(&self, id: &str) -> Result<Option<JobState>, StoreError>;
    /// Every saved job and its paused flag, as `pause` and `resume` left it.
    fn job_states(&self) -> Result<Vec<(String, bool)>, StoreError>;
    /// The newest run of every job that is not pending (`list`).
    fn last_runs(&self) -> Result<Vec<RunRow>, StoreError>;
    /// The first and last run numbers recorded, of one job or all; `None`
    /// when there is none.
    fn id_range(&self, job: Option<&str>) -> Result<Option<(i64, i64)>, StoreError>;
    /// [`LastTimes`] of every job with a run in the history kept; times are
    /// compared as times, not as text.
    fn last_times(&self) -> Result<HashMap<String, LastTimes>, StoreError>;
    /// Who runs the schedule on this state now, for people (`pid 123`,
    /// `nodes a, b`); `None` when nobody does.
    fn runner(&self) -> Option<String>;
    /// Tells whoever runs the schedule to read the pauses and run-now
    /// requests now rather than at its next poll.
    fn wake(&mut self);
    /// After a claim the store refused: why, when the slot is another
    /// host's (claimed by another node of a cluster, not due yet by the
    /// shared clock), and the job's state as stored now, to go on from.
    /// `None` for a store no other host writes.
    fn take_lost(&mut self) -> Option<(String, Option<JobState>)> {
        None
    }
    /// Adds the run that answers run-now request `request` (see
    /// [`Store::add_run`]); `None` when the store refuses it (a retry of a
    /// lost run whose attempt another node recorded).
    fn add_requested_run(
        &mut self,
        job: &str,
        scheduled: DateTime<Utc>,
        _request: i64,
    ) -> Result<Option<i64>, StoreError> {
        self.add_run(job, scheduled).map(Some)
    }
    /// How new the configuration the scheduler now runs is (after a
    /// reload): a store shared by hosts keeps the newer one's triggers.
    fn set_generation(&mut self, _generation: i64) {}
    /// What a run's command is told of its claim besides the usual
    /// variables (`APSCHED_NODE`, `APSCHED_FENCE` in a cluster).
    fn run_env(&self, _record: i64) -> Vec<(String, String)> {
        Vec::new()
    }
    /// Writes `dump` into the store in one transaction: all of it or, on
    /// an error, none. With `replace`, the jobs, runs, run-now requests and
    /// set-aside rows the store held are deleted first (in the same
    /// transaction); without, they stay (the caller checks there are none).
    fn import(&mut self, dump: &super::copy::Dump, replace: bool) -> Result<(), StoreError>;
    /// The error with the store named in it, for people (an SQLite error
    /// names no file; a PostgreSQL one already says which database).
    fn named_error(&self, e: StoreError) -> StoreError;
}
