//! [`SchedulerHandle`]: changes the jobs of a scheduler, before or while
//! it runs, from any thread, and shuts it down.

use super::{Error, Inner, JobSpec, Placed, SchedulerEvent, TriggerSpec, lock};
use crate::host::Msg;
use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// The scheduler's thread, once started, and how it ended.
type Thread = JoinHandle<Result<(), Error>>;

/// A job as the scheduler has it now.
///
/// ```
/// use apsched::{JobSpec, Scheduler, TriggerSpec};
///
/// let scheduler = Scheduler::builder().build()?;
/// scheduler.add_job(JobSpec::shell("nightly", TriggerSpec::cron("0 3 * * *"), "true"))?;
/// let handle = scheduler.start()?;
/// for job in handle.jobs() {
///     println!("{}: next {:?}, paused {}", job.id, job.next_run_time, job.paused);
/// }
/// handle.shutdown(true)?;
/// # Ok::<(), apsched::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct JobInfo {
    pub id: String,
    /// When it runs next; `None` when paused or when it has no run time
    /// left (and before the scheduler has placed it).
    pub next_run_time: Option<DateTime<Utc>>,
    pub paused: bool,
}

/// Changes a scheduler's jobs and shuts it down; cheap to clone, usable
/// from any thread. What it changes takes effect as the scheduler's
/// thread reads it, in the order it was asked.
///
/// ```
/// use apsched::{JobSpec, Scheduler, TriggerSpec};
///
/// let scheduler = Scheduler::builder().build()?;
/// let handle = scheduler.start()?;
/// handle.add_job(JobSpec::function("tick", TriggerSpec::cron("*/5 * * * * *"), |_| {
///     Ok::<(), String>(())
/// }))?;
/// handle.pause_job("tick")?;
/// handle.reschedule_job("tick", &TriggerSpec::cron("* * * * * *"))?;
/// handle.resume_job("tick")?;
/// handle.remove_job("tick")?;
/// handle.shutdown(true)?;
/// # Ok::<(), apsched::Error>(())
/// ```
#[derive(Clone)]
pub struct SchedulerHandle {
    pub(super) inner: Arc<Inner>,
    tx: Sender<Msg>,
    thread: Arc<Mutex<Option<Thread>>>,
    /// The scheduler has read its jobs: changes must be told to it.
    running: Arc<AtomicBool>,
    stopped: Arc<AtomicBool>,
}

impl SchedulerHandle {
    pub(super) fn new(inner: Arc<Inner>, tx: Sender<Msg>) -> SchedulerHandle {
        SchedulerHandle {
            inner,
            tx,
            thread: Arc::new(Mutex::new(None)),
            running: Arc::new(AtomicBool::new(false)),
            stopped: Arc::new(AtomicBool::new(false)),
        }
    }

    pub(super) fn keep_thread(&self, thread: Thread) {
        *lock(&self.thread) = Some(thread);
    }

    /// The scheduler is about to read its jobs: from now on each change is
    /// told to it (one made meanwhile may be told and read both, which is
    /// harmless).
    pub(super) fn running(&self) {
        self.running.store(true, Ordering::SeqCst);
    }

    pub(super) fn stopped(&self) {
        self.stopped.store(true, Ordering::Release);
    }

    fn send(&self, msg: Msg) -> Result<(), Error> {
        if self.stopped.load(Ordering::Acquire) {
            return Err(Error::ShutDown);
        }
        self.tx.send(msg).map_err(|_| Error::ShutDown)
    }

    /// A channel of what happens from now on (see [`SchedulerEvent`]).
    /// Events wait in it until read; drop the receiver to stop them.
    #[must_use]
    pub fn subscribe(&self) -> Receiver<SchedulerEvent> {
        let (tx, rx) = channel();
        lock(&self.inner.subscribers).push(tx);
        rx
    }

    /// Adds a job; an error if it is not valid, or if its id is taken
    /// and it does not [`replace_existing`](JobSpec::replace_existing).
    pub fn add_job(&self, spec: JobSpec) -> Result<(), Error> {
        let job = Arc::new(spec.build(
            &self.inner.defaults,
            self.inner.settings.timezone,
            Utc::now(),
            &mut self.inner.shared(),
        )?);
        if !lock(&self.inner.jobs).put(job, spec.replace_existing) {
            return Err(Error::JobExists(spec.id));
        }
        self.changed()
    }

    /// Replaces the job of the same id (its trigger, function or command,
    /// and settings); an error if there is none.
    pub fn modify_job(&self, spec: JobSpec) -> Result<(), Error> {
        self.ensure(&spec.id)?;
        self.add_job(spec.replace_existing(true))
    }

    /// Gives a job a new trigger, keeping the rest; its next run time is
    /// planned afresh.
    pub fn reschedule_job(&self, id: &str, trigger: &TriggerSpec) -> Result<(), Error> {
        self.ensure(id)?;
        let built = trigger
            .build(
                self.inner.settings.timezone,
                Utc::now(),
                &mut self.inner.shared(),
            )
            .map_err(|reason| Error::InvalidJob {
                job: id.into(),
                reason,
            })?;
        {
            let mut jobs = lock(&self.inner.jobs);
            let old = jobs.get(id).ok_or_else(|| Error::NoSuchJob(id.into()))?;
            let mut job = (**old).clone();
            job.trigger = built;
            jobs.put(Arc::new(job), true);
        }
        self.changed()
    }

    /// Removes a job; a run of it that is going goes on to its end.
    pub fn remove_job(&self, id: &str) -> Result<(), Error> {
        if !lock(&self.inner.jobs).remove(id) {
            return Err(Error::NoSuchJob(id.into()));
        }
        lock(&self.inner.next).remove(id);
        self.changed()
    }

    /// Stops running a job until [`resume_job`](Self::resume_job); its run
    /// times meanwhile are not caught up.
    pub fn pause_job(&self, id: &str) -> Result<(), Error> {
        self.ensure(id)?;
        self.send(Msg::Paused {
            job: id.into(),
            paused: true,
        })
    }

    /// Runs a paused job again from its next run time after now.
    pub fn resume_job(&self, id: &str) -> Result<(), Error> {
        self.ensure(id)?;
        self.send(Msg::Paused {
            job: id.into(),
            paused: false,
        })
    }

    /// Runs a job once now, outside its schedule (within `max_instances`
    /// and `max_workers`).
    pub fn run_job_now(&self, id: &str) -> Result<(), Error> {
        self.ensure(id)?;
        self.send(Msg::RunNow { job: id.into() })
    }

    /// The jobs, in the order they were added, with their next run times.
    #[must_use]
    pub fn jobs(&self) -> Vec<JobInfo> {
        let next = lock(&self.inner.next);
        lock(&self.inner.jobs)
            .all()
            .iter()
            .map(|j| {
                let placed = next.get(&j.id).copied().unwrap_or(Placed {
                    next: None,
                    paused: j.paused,
                });
                JobInfo {
                    id: j.id.clone(),
                    next_run_time: placed.next.filter(|_| !placed.paused),
                    paused: placed.paused,
                }
            })
            .collect()
    }

    /// Stops the scheduler: no run starts any more. With `wait`, running
    /// jobs get the shutdown timeout to end (a command is then ended; a
    /// function cannot be, and is waited for); without, commands are
    /// killed at once. Waits for the scheduler's thread when it was
    /// [`started`](super::Scheduler::start); its error, if it stopped with
    /// one. Shutting down twice is no error.
    pub fn shutdown(&self, wait: bool) -> Result<(), Error> {
        let stops = if wait { 1 } else { 2 };
        for _ in 0..stops {
            // Already stopped: nothing to tell.
            let _ = self.send(Msg::Stop);
        }
        let thread = lock(&self.thread).take();
        match thread {
            Some(thread) => thread.join().unwrap_or(Err(Error::ShutDown)),
            None => Ok(()),
        }
    }

    /// Tells the scheduler its jobs changed, once it has read them; before,
    /// it reads them as they are when it starts.
    fn changed(&self) -> Result<(), Error> {
        if self.stopped.load(Ordering::Acquire) {
            return Err(Error::ShutDown);
        }
        if self.running.load(Ordering::SeqCst) {
            self.send(Msg::Jobs)?;
        }
        Ok(())
    }

    fn ensure(&self, id: &str) -> Result<(), Error> {
        if lock(&self.inner.jobs).get(id).is_some() {
            Ok(())
        } else {
            Err(Error::NoSuchJob(id.into()))
        }
    }
}
