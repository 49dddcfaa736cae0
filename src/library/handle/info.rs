//! [`JobInfo`]: the jobs as a handle sees them, with their next run times.

use super::SchedulerHandle;
use crate::library::{Placed, lock};
use chrono::{DateTime, Utc};

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

impl SchedulerHandle {
    /// The jobs, in the order they were added, with their next run times.
    ///
    /// ```
    /// use apsched::{JobSpec, Scheduler, TriggerSpec};
    /// let scheduler = Scheduler::builder().build()?;
    /// scheduler.add_job(JobSpec::shell("a", TriggerSpec::cron("@daily"), "true"))?;
    /// let handle = scheduler.start()?;
    /// let ids: Vec<String> = handle.jobs().into_iter().map(|j| j.id).collect();
    /// assert_eq!(ids, ["a"]);
    /// handle.shutdown(true)?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    #[must_use]
    pub fn jobs(&self) -> Vec<JobInfo> {
        // Jobs before next run times, as every holder of both locks takes them.
        let jobs = lock(&self.inner.jobs);
        let next = lock(&self.inner.next);
        jobs.all()
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
}
