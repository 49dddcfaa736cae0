//! [`SchedulerEvent`]: what [`Scheduler::subscribe`](super::Scheduler::subscribe)
//! hands out, the same happenings `apsched run` logs, as APScheduler's
//! listeners receive them.

use crate::scheduler::Event;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// Something that happened in a running scheduler.
///
/// ```
/// use apsched::{JobSpec, Scheduler, SchedulerEvent, TriggerSpec};
/// use std::time::Duration;
///
/// let scheduler = Scheduler::builder().build()?;
/// let events = scheduler.subscribe();
/// scheduler.add_job(JobSpec::function("fail", TriggerSpec::cron("* * * * * *"), |_| {
///     Err("the disk is full")
/// }))?;
/// let handle = scheduler.start()?;
/// while let Ok(event) = events.recv_timeout(Duration::from_secs(3)) {
///     if let SchedulerEvent::JobError { job, reason, .. } = event {
///         assert_eq!((job.as_str(), reason.as_str()), ("fail", "failed: the disk is full"));
///         break;
///     }
/// }
/// handle.shutdown(true)?;
/// # Ok::<(), apsched::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchedulerEvent {
    /// The scheduler started with this many jobs.
    Started {
        jobs: usize,
    },
    /// Shutdown began: no run starts any more.
    Shutdown,
    /// The scheduler stopped.
    Stopped,
    /// A job was added (or was there at start); its next run time.
    JobAdded {
        job: String,
        next_run_time: Option<DateTime<Utc>>,
    },
    /// A job's trigger or settings changed.
    JobModified {
        job: String,
        next_run_time: Option<DateTime<Utc>>,
    },
    /// A job was removed, or has no run time left; why, in words.
    JobRemoved {
        job: String,
        reason: String,
    },
    /// A run started.
    JobSubmitted {
        job: String,
        run_id: i64,
        scheduled: DateTime<Utc>,
    },
    /// A run ended well (a function returned `Ok`, a command exited 0).
    JobExecuted {
        job: String,
        run_id: i64,
        scheduled: DateTime<Utc>,
        duration: Duration,
    },
    /// A run failed: the function's error or panic, a command's exit
    /// status or signal, or why it could not start.
    JobError {
        job: String,
        run_id: i64,
        scheduled: DateTime<Utc>,
        reason: String,
    },
    /// A run time passed more than `misfire_grace_time` before it could
    /// start, and was not run.
    JobMissed {
        job: String,
        scheduled: DateTime<Utc>,
    },
    /// Several run times were due at once (after downtime): how many were
    /// missed, run, and coalesced into one run.
    JobCatchUp {
        job: String,
        due: u64,
        missed: u64,
        run: u64,
        coalesced: u64,
    },
    /// A run time was skipped: `max_instances` runs were still going.
    JobMaxInstances {
        job: String,
        scheduled: DateTime<Utc>,
    },
    JobPaused {
        job: String,
    },
    JobResumed {
        job: String,
        next_run_time: Option<DateTime<Utc>>,
    },
    /// A `run_job_now` was not run, and why.
    RunNowRefused {
        job: String,
        reason: String,
    },
    /// A state write failed or was refused (a commit, a run time claimed
    /// before); the scheduler goes on.
    StateError {
        error: String,
    },
    /// The state cannot be written: no run starts until it can.
    StateFailing {
        error: String,
    },
    /// The state can be written again.
    StateRecovered,
    /// On PostgreSQL: this scheduler could not renew its node's lease (told
    /// once an episode); once the lease lapses it claims no run time until
    /// a renewal works again.
    LeaseRenewalFailed {
        error: String,
    },
    /// On PostgreSQL: the lease is renewed again.
    LeaseRenewed,
    /// On PostgreSQL: a run of a node whose lease lapsed (`node`, if it is
    /// known) was recorded interrupted.
    RunLost {
        job: String,
        run_id: i64,
        node: Option<String>,
    },
}

fn utc(t: &DateTime<chrono_tz::Tz>) -> DateTime<Utc> {
    t.with_timezone(&Utc)
}

/// The public form of `event`, if it is one a subscriber is told of (the
/// debug lines are not).
pub(crate) fn public(event: &Event) -> Option<SchedulerEvent> {
    use SchedulerEvent as S;
    Some(match event {
        Event::SchedulerStarted { jobs } => S::Started { jobs: *jobs },
        Event::SchedulerShutdown { .. } => S::Shutdown,
        Event::SchedulerStopped => S::Stopped,
        Event::JobAdded { job, next, .. } => S::JobAdded {
            job: job.clone(),
            next_run_time: next.as_ref().map(utc),
        },
        Event::JobModified { job, next } => S::JobModified {
            job: job.clone(),
            next_run_time: next.as_ref().map(utc),
        },
        Event::JobRemoved { job, reason } => S::JobRemoved {
            job: job.clone(),
            reason: (*reason).to_string(),
        },
        Event::JobSubmitted {
            job,
            run,
            scheduled,
        } => S::JobSubmitted {
            job: job.clone(),
            run_id: *run,
            scheduled: utc(scheduled),
        },
        Event::JobExecuted {
            job,
            run,
            scheduled,
            duration,
        } => S::JobExecuted {
            job: job.clone(),
            run_id: *run,
            scheduled: utc(scheduled),
            duration: *duration,
        },
        Event::JobError {
            job,
            run,
            scheduled,
            reason,
            ..
        } => S::JobError {
            job: job.clone(),
            run_id: *run,
            scheduled: utc(scheduled),
            reason: reason.clone(),
        },
        Event::JobMissed { job, scheduled, .. } => S::JobMissed {
            job: job.clone(),
            scheduled: utc(scheduled),
        },
        Event::JobCatchUp {
            job,
            due,
            missed,
            run,
            coalesced,
            ..
        } => S::JobCatchUp {
            job: job.clone(),
            due: *due,
            missed: *missed,
            run: *run,
            coalesced: *coalesced,
        },
        Event::JobMaxInstances { job, scheduled, .. } => S::JobMaxInstances {
            job: job.clone(),
            scheduled: utc(scheduled),
        },
        Event::JobPaused { job } => S::JobPaused { job: job.clone() },
        Event::JobResumed { job, next } => S::JobResumed {
            job: job.clone(),
            next_run_time: next.as_ref().map(utc),
        },
        Event::RunNowRefused { job, reason } => S::RunNowRefused {
            job: job.clone(),
            reason: reason.clone(),
        },
        Event::StateError { error } => S::StateError {
            error: error.clone(),
        },
        Event::StateFailing { error, .. } => S::StateFailing {
            error: error.clone(),
        },
        Event::StateRecovered { .. } => S::StateRecovered,
        Event::HeartbeatFailed { error } => S::LeaseRenewalFailed {
            error: error.clone(),
        },
        Event::HeartbeatRecovered { .. } => S::LeaseRenewed,
        Event::RunLost { job, run, node, .. } => S::RunLost {
            job: job.clone(),
            run_id: *run,
            node: node.clone(),
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_nodes_lease_events_reach_subscribers_and_debug_lines_do_not() {
        let cases = [
            (
                Event::HeartbeatFailed {
                    error: "gone".into(),
                },
                Some(SchedulerEvent::LeaseRenewalFailed {
                    error: "gone".into(),
                }),
            ),
            (
                Event::HeartbeatRecovered {
                    after: Duration::from_secs(4),
                },
                Some(SchedulerEvent::LeaseRenewed),
            ),
            (
                Event::RunLost {
                    job: "j".into(),
                    run: 7,
                    node: Some("n1".into()),
                    rerun: false,
                },
                Some(SchedulerEvent::RunLost {
                    job: "j".into(),
                    run_id: 7,
                    node: Some("n1".into()),
                }),
            ),
            (Event::ClockOffset { offset: 2.0 }, None),
        ];
        for (event, want) in cases {
            assert_eq!(public(&event), want, "{event:?}");
        }
    }
}
