//! A Rust function as a job: what a library user's closure is given when it
//! runs ([`JobContext`]) and how the scheduler holds it ([`Call`]).

use chrono::{DateTime, Utc};
use std::sync::Arc;

/// What a function job is told when it runs.
///
/// ```
/// use apsched::JobContext;
/// fn report(ctx: &JobContext) -> Result<(), String> {
///     println!("{} run {} for {}", ctx.job_id, ctx.run_id, ctx.scheduled);
///     Ok(())
/// }
/// # let _ = report;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct JobContext {
    /// The job's id.
    pub job_id: String,
    /// The run time this run is for (the latest of them when runs
    /// coalesced); for a run started by `run_job_now`, when it was asked.
    pub scheduled: DateTime<Utc>,
    /// The run's number in the history, as `apsched history` shows it.
    pub run_id: i64,
}

/// The function a job runs; an `Err` is the run's failure, in words.
type Function = dyn Fn(&JobContext) -> Result<(), String> + Send + Sync;

/// A job's function. Two jobs hold the same `Call` only when they share
/// the very function (it is compared by address, as it cannot be compared
/// by what it does).
#[derive(Clone)]
pub struct Call(pub(crate) Arc<Function>);

impl Call {
    /// Runs it for `ctx`.
    pub(crate) fn run(&self, ctx: &JobContext) -> Result<(), String> {
        (self.0)(ctx)
    }
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Call(<function>)")
    }
}

impl PartialEq for Call {
    fn eq(&self, other: &Call) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Call {}

impl std::hash::Hash for Call {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        Arc::as_ptr(&self.0).cast::<()>().hash(state);
    }
}
