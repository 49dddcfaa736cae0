//! apsched as a library: the scheduler `apsched run` runs, for a program's
//! own jobs (functions or commands), as APScheduler's Blocking and
//! Background schedulers. The same core decides every run: misfire grace
//! time, coalescing, max instances, the DST policy and catch-up from a
//! saved state.

#[cfg(feature = "tokio")]
mod asynchronous;
mod builder;
mod event;
mod handle;
mod job;
mod jobs;
mod serve;
pub(crate) use serve::{Home, Joined, Process, Serve, ServeError, serve};
mod store;
pub(crate) use store::{JoinError, Member, join, open};
mod trigger;

#[cfg(feature = "tokio")]
pub use asynchronous::AsyncScheduler;
pub use builder::SchedulerBuilder;
pub use event::SchedulerEvent;
pub use handle::{JobInfo, SchedulerHandle};
pub use job::JobSpec;
pub use trigger::TriggerSpec;

use crate::config::{Defaults, Job, Settings, Shared};
use crate::host::{Msg, Program};
use crate::scheduler::{Change, Event};
use crate::store::StateStore;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Why a library call failed.
///
/// ```
/// use apsched::{Error, JobSpec, Scheduler, TriggerSpec};
///
/// let scheduler = Scheduler::builder().build()?;
/// let bad = JobSpec::shell("bad", TriggerSpec::cron("61 * * * *"), "true");
/// match scheduler.add_job(bad) {
///     Err(Error::InvalidJob { job, reason }) => println!("{job}: {reason}"),
///     other => panic!("{other:?}"),
/// }
/// # Ok::<(), apsched::Error>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The job cannot be added as it is: what is wrong, in words.
    #[error("job {job:?}: {reason}")]
    InvalidJob { job: String, reason: String },
    /// A job of this id exists (see [`JobSpec::replace_existing`]).
    #[error("job {0:?} exists already")]
    JobExists(String),
    /// No job has this id.
    #[error("no job {0:?}")]
    NoSuchJob(String),
    /// The state store cannot be opened or written.
    #[error("state: {0}")]
    State(String),
    /// The scheduler has shut down.
    #[error("the scheduler has shut down")]
    ShutDown,
    /// Its thread could not be started.
    #[error("cannot start the scheduler's thread: {0}")]
    Thread(std::io::Error),
}

/// A job's next run time and pause, as last written to the store.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Placed {
    next: Option<DateTime<Utc>>,
    paused: bool,
}

/// What the scheduler thread and its handles share.
pub(crate) struct Inner {
    settings: Settings,
    defaults: Defaults,
    jobs: Mutex<jobs::JobList>,
    /// What the jobs share: their cron schedules and settings.
    shared: Mutex<Shared>,
    next: Mutex<HashMap<String, Placed>>,
    subscribers: Mutex<Vec<Sender<SchedulerEvent>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// At most this many cron texts are kept for sharing; past it the jobs
/// added later share afresh (a program that keeps adding new schedules
/// does not grow the cache without end).
const SCHEDULES_KEPT: usize = 4096;

impl Inner {
    /// What the jobs share, for a job being built.
    fn shared(&self) -> MutexGuard<'_, Shared> {
        let mut shared = lock(&self.shared);
        if shared.schedules.len() >= SCHEDULES_KEPT {
            *shared = Shared::default();
        }
        shared
    }

    fn settings(&self) -> Settings {
        self.settings.clone()
    }

    fn jobs(&self) -> Vec<Arc<Job>> {
        lock(&self.jobs).all().to_vec()
    }

    /// Keeps what the store now holds of `job`, while it is one of the
    /// jobs: a removed job's entry is gone for good, so the map never holds
    /// more than the jobs.
    fn set_next(&self, job: &str, next: Option<DateTime<Utc>>, paused: bool) {
        let jobs = lock(&self.jobs);
        if jobs.get(job).is_some() {
            lock(&self.next).insert(job.to_string(), Placed { next, paused });
        }
    }

    /// Tells every subscriber still listening.
    fn publish(&self, event: &SchedulerEvent) {
        lock(&self.subscribers).retain(|s| s.send(event.clone()).is_ok());
    }
}

impl Program for Inner {
    fn jobs(&self) -> (Settings, Vec<Arc<Job>>) {
        (self.settings(), Inner::jobs(self))
    }

    fn event(&self, event: &Event) {
        if let Some(event) = event::public(event) {
            self.publish(&event);
        }
    }

    fn written(&self, change: &Change) {
        match change {
            Change::Save { job, state } => self.set_next(job, state.next_run, state.paused),
            Change::Claim { claim, .. } => self.set_next(&claim.job, claim.next, false),
            _ => {}
        }
    }
}

impl From<ServeError> for Error {
    fn from(e: ServeError) -> Error {
        match e {
            ServeError::State(e) => Error::State(e.to_string()),
            ServeError::Host(e) => Error::Thread(e),
            ServeError::MetricsListen { addr, source } => {
                Error::State(format!("cannot serve metrics at {addr}: {source}"))
            }
            ServeError::Watch { file, problem } => {
                Error::State(format!("cannot watch {file}: {problem}"))
            }
        }
    }
}

/// A scheduler of a program's own jobs.
///
/// ```
/// use apsched::{JobSpec, Scheduler, TriggerSpec};
/// use std::sync::mpsc;
///
/// let scheduler = Scheduler::builder().build()?;
/// let (tx, rx) = mpsc::channel();
/// scheduler.add_job(JobSpec::function("tick", TriggerSpec::cron("* * * * * *"), move |ctx| {
///     tx.send(ctx.scheduled).map_err(|e| e.to_string())
/// }))?;
/// let handle = scheduler.start()?;
/// let first = rx.recv_timeout(std::time::Duration::from_secs(3)).expect("a run");
/// handle.shutdown(true)?;
/// assert_eq!(first.timestamp_subsec_nanos(), 0);
/// # Ok::<(), apsched::Error>(())
/// ```
pub struct Scheduler {
    handle: SchedulerHandle,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
    store: Box<dyn StateStore + Send>,
    /// In a cluster, the node to join when it starts.
    cluster: Option<store::Joining>,
}

impl Scheduler {
    /// A builder with APScheduler's defaults: UTC, 10 workers, coalescing,
    /// one instance per job, no grace limit, state in memory.
    ///
    /// ```
    /// let scheduler = apsched::Scheduler::builder().build()?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn builder() -> SchedulerBuilder {
        SchedulerBuilder::new()
    }

    /// Adds a job before the scheduler starts (as [`SchedulerHandle::add_job`]).
    ///
    /// ```
    /// use apsched::{JobSpec, Scheduler, TriggerSpec};
    /// let scheduler = Scheduler::builder().build()?;
    /// scheduler.add_job(JobSpec::shell("rotate", TriggerSpec::cron("@daily"), "logrotate /etc/logrotate.conf"))?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn add_job(&self, job: JobSpec) -> Result<(), Error> {
        self.handle.add_job(job)
    }

    /// A handle to change the jobs and stop the scheduler from other
    /// threads, before or while it runs.
    ///
    /// ```
    /// use apsched::{JobSpec, Scheduler, TriggerSpec};
    /// let scheduler = Scheduler::builder().build()?;
    /// let handle = scheduler.handle();
    /// std::thread::spawn(move || handle.shutdown(false));
    /// scheduler.run()?; // returns once the other thread shuts it down
    /// # Ok::<(), apsched::Error>(())
    /// ```
    #[must_use]
    pub fn handle(&self) -> SchedulerHandle {
        self.handle.clone()
    }

    /// A channel of what happens from now on (see [`SchedulerEvent`]).
    /// Events wait in it until read; drop the receiver to stop them.
    ///
    /// ```
    /// use apsched::{Scheduler, SchedulerEvent};
    /// let scheduler = Scheduler::builder().build()?;
    /// let events = scheduler.subscribe();
    /// let handle = scheduler.start()?;
    /// handle.shutdown(true)?;
    /// assert!(events.iter().any(|e| e == SchedulerEvent::Stopped));
    /// # Ok::<(), apsched::Error>(())
    /// ```
    #[must_use]
    pub fn subscribe(&self) -> Receiver<SchedulerEvent> {
        self.handle.subscribe()
    }

    /// Runs the jobs on this thread until [`SchedulerHandle::shutdown`]
    /// (APScheduler's `BlockingScheduler`); an error if the state could
    /// not be read, or could not be written when it stopped.
    ///
    /// ```
    /// use apsched::{JobSpec, Scheduler, TriggerSpec};
    /// let scheduler = Scheduler::builder().build()?;
    /// let handle = scheduler.handle();
    /// scheduler.add_job(JobSpec::function("once", TriggerSpec::cron("* * * * * *"), move |_| {
    ///     handle.shutdown(false).map_err(|e| e.to_string())
    /// }))?;
    /// scheduler.run()?; // until the job's first run shuts it down
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn run(self) -> Result<(), Error> {
        let handle = self.handle.clone();
        handle.running();
        let served = self.serve();
        handle.stopped();
        match served? {
            crate::runner::Ending::Clean => Ok(()),
            crate::runner::Ending::StoreFailing { error, .. } => Err(Error::State(error)),
        }
    }

    /// Serves the jobs as they are now, as `apsched run` serves a file's.
    fn serve(self) -> Result<crate::runner::Ending, Error> {
        let inner = self.handle.inner.clone();
        let jobs = inner.jobs();
        let node = match self.cluster {
            Some(joining) => Some(joining.join(&jobs)?),
            None => None,
        };
        let program: Arc<dyn Program> = inner.clone();
        Ok(serve(Serve {
            home: Home::Program(program, (self.tx, self.rx)),
            settings: inner.settings(),
            jobs,
            store: self.store,
            node,
        })?)
    }

    /// Runs the jobs on a thread of their own (APScheduler's
    /// `BackgroundScheduler`); the handle changes them and shuts it down.
    ///
    /// ```
    /// let handle = apsched::Scheduler::builder().build()?.start()?;
    /// handle.shutdown(true)?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn start(self) -> Result<SchedulerHandle, Error> {
        let handle = self.handle.clone();
        let thread = std::thread::Builder::new()
            .name("apsched".into())
            .spawn(move || self.run())
            .map_err(Error::Thread)?;
        handle.keep_thread(thread);
        Ok(handle)
    }
}
