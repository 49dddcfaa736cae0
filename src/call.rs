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

/// What an async job's function returns: the run, to be spawned.
#[cfg(feature = "tokio")]
pub(crate) type Run = std::pin::Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;

/// An async job's function: a run's future for each context.
#[cfg(feature = "tokio")]
type Launch = dyn Fn(JobContext) -> Run + Send + Sync;

/// What a job calls: a function for a worker thread, or (with the `tokio`
/// feature) one that makes a future for the runtime it was added from.
#[derive(Clone)]
pub(crate) enum Body {
    Thread(Arc<Function>),
    #[cfg(feature = "tokio")]
    Future(Arc<Launch>, tokio::runtime::Handle),
}

/// A job's function. Two jobs hold the same `Call` only when they share
/// the very function (it is compared by address, as it cannot be compared
/// by what it does).
#[derive(Clone)]
pub struct Call(pub(crate) Body);

impl Call {
    /// A function run on a worker thread.
    pub(crate) fn thread(f: Arc<Function>) -> Call {
        Call(Body::Thread(f))
    }

    /// Runs it for `ctx` on this thread; an async job's future is not run
    /// here but spawned on its runtime (by the library's host).
    pub(crate) fn run(&self, ctx: &JobContext) -> Result<(), String> {
        match &self.0 {
            Body::Thread(f) => f(ctx),
            #[cfg(feature = "tokio")]
            Body::Future(..) => Err("an async job runs on its runtime".into()),
        }
    }

    /// The address that stands for the function.
    fn address(&self) -> *const () {
        match &self.0 {
            Body::Thread(f) => Arc::as_ptr(f).cast::<()>(),
            #[cfg(feature = "tokio")]
            Body::Future(f, _) => Arc::as_ptr(f).cast::<()>(),
        }
    }
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Call(<function>)")
    }
}

impl PartialEq for Call {
    fn eq(&self, other: &Call) -> bool {
        std::ptr::eq(self.address(), other.address())
    }
}

impl Eq for Call {}

impl std::hash::Hash for Call {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.address().hash(state);
    }
}
