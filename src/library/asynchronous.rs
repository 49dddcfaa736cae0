//! [`AsyncScheduler`] (the `tokio` feature): a scheduler for a program that
//! already runs tokio, its jobs futures spawned on the program's runtime
//! (see [`JobSpec::future`]). The scheduling loop itself waits on a
//! blocking thread of that runtime, so it never holds up a task.

use super::{Error, JobSpec, Scheduler, SchedulerEvent, SchedulerHandle};
use std::sync::mpsc::Receiver;

/// A scheduler whose [`run`](AsyncScheduler::run) is awaited (APScheduler's
/// `AsyncIOScheduler`).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), apsched::Error> {
/// use apsched::{AsyncScheduler, JobSpec, Scheduler, TriggerSpec};
///
/// let scheduler = AsyncScheduler::new(Scheduler::builder().build()?);
/// let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
/// scheduler.add_job(JobSpec::future("tick", TriggerSpec::cron("* * * * * *"), move |ctx| {
///     let tx = tx.clone();
///     async move { tx.send(ctx.scheduled).map_err(|e| e.to_string()) }
/// }))?;
/// let handle = scheduler.handle();
/// let running = tokio::spawn(scheduler.run());
/// let first = rx.recv().await.expect("a run");
/// handle.shutdown(true)?;
/// running.await.expect("the scheduler task")?;
/// assert_eq!(first.timestamp_subsec_nanos(), 0);
/// # Ok(())
/// # }
/// ```
pub struct AsyncScheduler {
    scheduler: Scheduler,
}

impl AsyncScheduler {
    /// The async form of `scheduler`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), apsched::Error> {
    /// let scheduler = apsched::AsyncScheduler::new(apsched::Scheduler::builder().build()?);
    /// # let _ = scheduler;
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn new(scheduler: Scheduler) -> AsyncScheduler {
        AsyncScheduler { scheduler }
    }

    /// Adds a job before it runs (as [`SchedulerHandle::add_job`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), apsched::Error> {
    /// use apsched::{AsyncScheduler, JobSpec, Scheduler, TriggerSpec};
    /// let scheduler = AsyncScheduler::new(Scheduler::builder().build()?);
    /// scheduler.add_job(JobSpec::future("ping", TriggerSpec::cron("@hourly"), |_| async { Ok::<(), String>(()) }))?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_job(&self, job: JobSpec) -> Result<(), Error> {
        self.scheduler.add_job(job)
    }

    /// A handle to change its jobs and shut it down.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), apsched::Error> {
    /// let scheduler = apsched::AsyncScheduler::new(apsched::Scheduler::builder().build()?);
    /// let handle = scheduler.handle();
    /// let running = tokio::spawn(scheduler.run());
    /// handle.shutdown(true)?;
    /// running.await.expect("the scheduler task")?;
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn handle(&self) -> SchedulerHandle {
        self.scheduler.handle()
    }

    /// A channel of what happens from now on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), apsched::Error> {
    /// use apsched::{AsyncScheduler, Scheduler, SchedulerEvent};
    /// let scheduler = AsyncScheduler::new(Scheduler::builder().build()?);
    /// let events = scheduler.subscribe();
    /// let handle = scheduler.handle();
    /// let running = tokio::spawn(scheduler.run());
    /// handle.shutdown(true)?;
    /// running.await.expect("the scheduler task")?;
    /// assert!(events.try_iter().any(|e| e == SchedulerEvent::Stopped));
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn subscribe(&self) -> Receiver<SchedulerEvent> {
        self.scheduler.subscribe()
    }

    /// Runs the jobs until [`SchedulerHandle::shutdown`]; must be awaited
    /// inside a tokio runtime.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), apsched::Error> {
    /// let scheduler = apsched::AsyncScheduler::new(apsched::Scheduler::builder().build()?);
    /// let handle = scheduler.handle();
    /// let running = tokio::spawn(scheduler.run()); // or scheduler.run().await on a task of its own
    /// handle.shutdown(true)?;
    /// running.await.expect("the scheduler task")?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn run(self) -> Result<(), Error> {
        let scheduler = self.scheduler;
        tokio::task::spawn_blocking(move || scheduler.run())
            .await
            .unwrap_or(Err(Error::ShutDown))
    }
}
