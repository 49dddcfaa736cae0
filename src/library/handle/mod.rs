//! [`SchedulerHandle`]: changes the jobs of a scheduler, before or while
//! it runs, from any thread, and shuts it down.

mod info;
pub use info::JobInfo;

use super::{Error, Inner, JobSpec, SchedulerEvent, TriggerSpec, lock};
use crate::host::Msg;
use chrono::Utc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// The scheduler's thread, once started, and how it ended.
type Thread = JoinHandle<Result<(), Error>>;

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
    ///
    /// ```
    /// use apsched::{JobSpec, Scheduler, SchedulerEvent, TriggerSpec};
    /// let handle = Scheduler::builder().build()?.start()?;
    /// let events = handle.subscribe();
    /// handle.add_job(JobSpec::shell("x", TriggerSpec::cron("@yearly"), "true"))?;
    /// let added = events.iter().find(|e| matches!(e, SchedulerEvent::JobAdded { .. }));
    /// assert!(matches!(added, Some(SchedulerEvent::JobAdded { job, .. }) if job == "x"));
    /// handle.shutdown(true)?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    #[must_use]
    pub fn subscribe(&self) -> Receiver<SchedulerEvent> {
        let (tx, rx) = channel();
        lock(&self.inner.subscribers).push(tx);
        rx
    }

    /// Adds a job; an error if it is not valid, or if its id is taken
    /// and it does not [`replace_existing`](JobSpec::replace_existing).
    ///
    /// ```
    /// use apsched::{JobSpec, Scheduler, TriggerSpec};
    /// let handle = Scheduler::builder().build()?.start()?;
    /// handle.add_job(JobSpec::shell("report", TriggerSpec::cron("0 8 * * mon"), "true"))?;
    /// assert!(handle.add_job(JobSpec::shell("report", TriggerSpec::cron("@daily"), "true")).is_err());
    /// handle.shutdown(true)?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
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
    ///
    /// ```
    /// use apsched::{JobSpec, Scheduler, TriggerSpec};
    /// let handle = Scheduler::builder().build()?.start()?;
    /// handle.add_job(JobSpec::shell("sync", TriggerSpec::cron("@hourly"), "true"))?;
    /// handle.modify_job(JobSpec::shell("sync", TriggerSpec::cron("@hourly"), "true").max_instances(2))?;
    /// handle.shutdown(true)?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn modify_job(&self, spec: JobSpec) -> Result<(), Error> {
        self.ensure(&spec.id)?;
        self.add_job(spec.replace_existing(true))
    }

    /// Gives a job a new trigger, keeping the rest; its next run time is
    /// planned afresh.
    ///
    /// ```
    /// use apsched::{JobSpec, Scheduler, TriggerSpec};
    /// let handle = Scheduler::builder().build()?.start()?;
    /// handle.add_job(JobSpec::shell("sync", TriggerSpec::cron("@hourly"), "true"))?;
    /// handle.reschedule_job("sync", &TriggerSpec::cron("*/15 * * * *"))?;
    /// handle.shutdown(true)?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
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
    ///
    /// ```
    /// use apsched::{Error, JobSpec, Scheduler, TriggerSpec};
    /// let handle = Scheduler::builder().build()?.start()?;
    /// handle.add_job(JobSpec::shell("old", TriggerSpec::cron("@daily"), "true"))?;
    /// handle.remove_job("old")?;
    /// assert!(matches!(handle.remove_job("old"), Err(Error::NoSuchJob(_))));
    /// handle.shutdown(true)?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn remove_job(&self, id: &str) -> Result<(), Error> {
        let mut jobs = lock(&self.inner.jobs);
        if !jobs.remove(id) {
            return Err(Error::NoSuchJob(id.into()));
        }
        // Under the jobs' lock: a write the scheduler made before it read
        // the removal cannot bring the entry back (see `Inner::set_next`).
        lock(&self.inner.next).remove(id);
        drop(jobs);
        self.changed()
    }

    /// Stops running a job until [`resume_job`](Self::resume_job); its run
    /// times meanwhile are not caught up.
    ///
    /// ```
    /// use apsched::{JobSpec, Scheduler, TriggerSpec};
    /// let handle = Scheduler::builder().build()?.start()?;
    /// handle.add_job(JobSpec::shell("backup", TriggerSpec::cron("@daily"), "true"))?;
    /// handle.pause_job("backup")?; // until resume_job("backup")
    /// handle.shutdown(true)?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn pause_job(&self, id: &str) -> Result<(), Error> {
        self.ensure(id)?;
        self.send(Msg::Paused {
            job: id.into(),
            paused: true,
        })
    }

    /// Runs a paused job again from its next run time after now.
    ///
    /// ```
    /// use apsched::{JobSpec, Scheduler, TriggerSpec};
    /// let handle = Scheduler::builder().build()?.start()?;
    /// handle.add_job(JobSpec::shell("backup", TriggerSpec::cron("@daily"), "true").paused(true))?;
    /// handle.resume_job("backup")?;
    /// handle.shutdown(true)?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn resume_job(&self, id: &str) -> Result<(), Error> {
        self.ensure(id)?;
        self.send(Msg::Paused {
            job: id.into(),
            paused: false,
        })
    }

    /// Runs a job once now, outside its schedule (within `max_instances`
    /// and `max_workers`).
    ///
    /// ```
    /// use apsched::{JobSpec, Scheduler, SchedulerEvent, TriggerSpec};
    /// let scheduler = Scheduler::builder().build()?;
    /// let events = scheduler.subscribe();
    /// scheduler.add_job(JobSpec::function("yearly", TriggerSpec::cron("@yearly"), |_| Ok::<(), String>(())))?;
    /// let handle = scheduler.start()?;
    /// handle.run_job_now("yearly")?;
    /// let ran = events.iter().find(|e| matches!(e, SchedulerEvent::JobExecuted { .. }));
    /// assert!(ran.is_some());
    /// handle.shutdown(true)?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn run_job_now(&self, id: &str) -> Result<(), Error> {
        self.ensure(id)?;
        self.send(Msg::RunNow { job: id.into() })
    }

    /// Stops the scheduler: no run starts any more. With `wait`, running
    /// jobs get the shutdown timeout to end (a command is then ended; a
    /// function cannot be, and is waited for); without, commands are
    /// killed at once. Waits for the scheduler's thread when it was
    /// [`started`](super::Scheduler::start); its error, if it stopped with
    /// one. Shutting down twice is no error.
    ///
    /// ```
    /// let handle = apsched::Scheduler::builder().build()?.start()?;
    /// handle.shutdown(true)?; // waits for running jobs, up to the shutdown timeout
    /// # Ok::<(), apsched::Error>(())
    /// ```
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
