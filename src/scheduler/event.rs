//! What the scheduler reports: one event per line in the log. Event names
//! follow APScheduler's (`EVENT_JOB_SUBMITTED` is `job_submitted`, ...).

use chrono::{DateTime, SecondsFormat};
use chrono_tz::Tz;
use std::time::Duration;

/// How much a log line matters; `--quiet` shows warnings and errors only,
/// `-v` adds debug lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Debug,
    Info,
    Warn,
    Error,
}

/// One thing that happened.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    SchedulerStarted {
        jobs: usize,
    },
    /// Shutdown began: no new runs; running ones get `timeout` to finish.
    SchedulerShutdown {
        running: usize,
        timeout: Duration,
    },
    SchedulerStopped,
    /// The scheduler goes to sleep until this time (debug).
    Sleeping {
        until: DateTime<chrono::Utc>,
    },
    JobAdded {
        job: String,
        next: Option<DateTime<Tz>>,
        paused: bool,
    },
    JobModified {
        job: String,
        next: Option<DateTime<Tz>>,
    },
    JobRemoved {
        job: String,
        reason: &'static str,
    },
    /// A run started (its process is running).
    JobSubmitted {
        job: String,
        run: u64,
        scheduled: DateTime<Tz>,
    },
    /// A run ended with exit status 0.
    JobExecuted {
        job: String,
        run: u64,
        scheduled: DateTime<Tz>,
        duration: Duration,
    },
    /// A run failed: non-zero exit, killed by a signal, or could not start.
    JobError {
        job: String,
        run: u64,
        scheduled: DateTime<Tz>,
        reason: String,
        duration: Duration,
    },
    /// A run was later than its misfire grace time and did not run.
    JobMissed {
        job: String,
        scheduled: DateTime<Tz>,
        late: Duration,
    },
    /// Several run times of one job were due at once (after downtime or a
    /// clock jump): how many were missed, how many run, how many coalesced.
    JobCatchUp {
        job: String,
        due: u64,
        missed: u64,
        run: u64,
        coalesced: u64,
        first: DateTime<Tz>,
        last: DateTime<Tz>,
    },
    JobPaused {
        job: String,
    },
    JobResumed {
        job: String,
        next: Option<DateTime<Tz>>,
    },
    /// Runs found unfinished in the state at start, now recorded as interrupted.
    StateInterrupted {
        count: u64,
    },
    /// A job's saved state could not be read; it was moved aside and the job starts afresh.
    StateSetAside {
        job: String,
        reason: String,
    },
    /// A run was skipped because `max_instances` runs were still going.
    JobMaxInstances {
        job: String,
        scheduled: DateTime<Tz>,
        running: usize,
    },
    /// A run outlived its timeout and is being ended.
    JobTimedOut {
        job: String,
        run: u64,
        timeout: Duration,
    },
    /// A run did not end after SIGTERM and was killed.
    JobKilled {
        job: String,
        run: u64,
    },
    /// Writing the state failed.
    StateError {
        error: String,
    },
    /// A reload was refused (one event per problem); the old file stays in force.
    ReloadFailed {
        problem: String,
    },
    Reloaded {
        added: usize,
        removed: usize,
        modified: usize,
        unchanged: usize,
    },
    /// The schedule file is valid but has something likely not meant.
    ConfigWarning {
        warning: String,
    },
}

fn time(t: &DateTime<Tz>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

fn secs(d: &Duration) -> String {
    format!("{:.3}s", d.as_secs_f64())
}

impl Event {
    /// The event's name, APScheduler's where it has one.
    pub fn name(&self) -> &'static str {
        match self {
            Event::SchedulerStarted { .. } => "scheduler_started",
            Event::SchedulerShutdown { .. } => "scheduler_shutdown",
            Event::SchedulerStopped => "scheduler_stopped",
            Event::Sleeping { .. } => "sleeping",
            Event::JobAdded { .. } => "job_added",
            Event::JobModified { .. } => "job_modified",
            Event::JobRemoved { .. } => "job_removed",
            Event::JobSubmitted { .. } => "job_submitted",
            Event::JobExecuted { .. } => "job_executed",
            Event::JobError { .. } => "job_error",
            Event::JobMissed { .. } => "job_missed",
            Event::JobCatchUp { .. } => "job_catch_up",
            Event::JobPaused { .. } => "job_paused",
            Event::JobResumed { .. } => "job_resumed",
            Event::StateInterrupted { .. } => "state_interrupted",
            Event::StateSetAside { .. } => "state_set_aside",
            Event::StateError { .. } => "state_error",
            Event::JobMaxInstances { .. } => "job_max_instances",
            Event::JobTimedOut { .. } => "job_timed_out",
            Event::JobKilled { .. } => "job_killed",
            Event::ReloadFailed { .. } => "reload_failed",
            Event::Reloaded { .. } => "reloaded",
            Event::ConfigWarning { .. } => "config_warning",
        }
    }

    pub fn level(&self) -> Level {
        match self {
            Event::JobError { .. }
            | Event::JobTimedOut { .. }
            | Event::JobKilled { .. }
            | Event::ReloadFailed { .. }
            | Event::StateError { .. } => Level::Error,
            Event::JobMissed { .. }
            | Event::JobMaxInstances { .. }
            | Event::StateInterrupted { .. }
            | Event::StateSetAside { .. }
            | Event::ConfigWarning { .. } => Level::Warn,
            Event::JobCatchUp { missed, .. } if *missed > 0 => Level::Warn,
            _ => Level::Info,
        }
    }

    /// The event's fields as key and value texts, in a fixed order.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let job = |j: &String| ("job", j.clone());
        let next =
            |n: &Option<DateTime<Tz>>| ("next_run_time", n.as_ref().map_or("none".into(), time));
        match self {
            Event::SchedulerStarted { jobs } => vec![("jobs", jobs.to_string())],
            Event::SchedulerShutdown { running, timeout } => {
                vec![
                    ("running", running.to_string()),
                    ("shutdown_timeout", secs(timeout)),
                ]
            }
            Event::SchedulerStopped => vec![],
            Event::Sleeping { until } => {
                vec![("until", until.to_rfc3339_opts(SecondsFormat::Millis, true))]
            }
            Event::JobAdded {
                job: j,
                next: n,
                paused,
            } => {
                let mut f = vec![job(j), next(n)];
                if *paused {
                    f.push(("paused", "true".into()));
                }
                f
            }
            Event::JobModified { job: j, next: n } => vec![job(j), next(n)],
            Event::JobRemoved { job: j, reason } => vec![job(j), ("reason", reason.to_string())],
            Event::JobSubmitted {
                job: j,
                run,
                scheduled,
            } => {
                vec![
                    job(j),
                    ("run", run.to_string()),
                    ("scheduled", time(scheduled)),
                ]
            }
            Event::JobExecuted {
                job: j,
                run,
                scheduled,
                duration,
            } => vec![
                job(j),
                ("run", run.to_string()),
                ("scheduled", time(scheduled)),
                ("exit", "0".into()),
                ("duration", secs(duration)),
            ],
            Event::JobError {
                job: j,
                run,
                scheduled,
                reason,
                duration,
            } => vec![
                job(j),
                ("run", run.to_string()),
                ("scheduled", time(scheduled)),
                ("error", reason.clone()),
                ("duration", secs(duration)),
            ],
            Event::JobMissed {
                job: j,
                scheduled,
                late,
            } => {
                vec![job(j), ("scheduled", time(scheduled)), ("late", secs(late))]
            }
            Event::JobCatchUp {
                job: j,
                due,
                missed,
                run,
                coalesced,
                first,
                last,
            } => vec![
                job(j),
                ("due", due.to_string()),
                ("missed", missed.to_string()),
                ("run", run.to_string()),
                ("coalesced", coalesced.to_string()),
                ("first", time(first)),
                ("last", time(last)),
            ],
            Event::JobPaused { job: j } => vec![job(j)],
            Event::JobResumed { job: j, next: n } => vec![job(j), next(n)],
            Event::StateInterrupted { count } => vec![("interrupted", count.to_string())],
            Event::StateSetAside { job: j, reason } => vec![job(j), ("reason", reason.clone())],
            Event::StateError { error } => vec![("error", error.clone())],
            Event::JobMaxInstances {
                job: j,
                scheduled,
                running,
            } => vec![
                job(j),
                ("scheduled", time(scheduled)),
                ("running", running.to_string()),
            ],
            Event::JobTimedOut {
                job: j,
                run,
                timeout,
            } => {
                vec![job(j), ("run", run.to_string()), ("timeout", secs(timeout))]
            }
            Event::JobKilled { job: j, run } => vec![job(j), ("run", run.to_string())],
            Event::ReloadFailed { problem } => vec![("problem", problem.clone())],
            Event::Reloaded {
                added,
                removed,
                modified,
                unchanged,
            } => vec![
                ("added", added.to_string()),
                ("removed", removed.to_string()),
                ("modified", modified.to_string()),
                ("unchanged", unchanged.to_string()),
            ],
            Event::ConfigWarning { warning } => vec![("warning", warning.clone())],
        }
    }
}
