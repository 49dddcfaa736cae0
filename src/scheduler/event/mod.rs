//! What the scheduler reports: one event per line in the log. Event names
//! follow APScheduler's (`EVENT_JOB_SUBMITTED` is `job_submitted`, ...).

use chrono::DateTime;
use chrono_tz::Tz;
use std::time::Duration;

mod cluster;
mod fields;
mod names;
pub(crate) use fields::Field;

/// How much a log line matters; `--quiet` shows warnings and errors only,
/// `-v` adds debug lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Debug,
    Info,
    Warn,
    Error,
}

/// One thing that happened.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Event {
    SchedulerStarted {
        jobs: usize,
    },
    /// Shutdown began: no new runs; running ones get `timeout` to finish.
    SchedulerShutdown {
        running: usize,
        timeout: Duration,
    },
    SchedulerStopped,
    /// The scheduler goes to sleep until this time, for this (debug); with
    /// no time, until something wakes it (nothing is due).
    Sleeping {
        until: Option<DateTime<chrono::Utc>>,
        due: Option<super::Due>,
    },
    /// The scheduler woke up, and why (debug): `timer`, `child_exit`,
    /// `signal` (stop or reload), `file` (the watched file changed),
    /// `control` (pause, resume, run-now), `clock_set` (the wall clock was
    /// set, or the machine resumed from suspend).
    Woke {
        reason: &'static str,
        job: Option<String>,
        run: Option<i64>,
    },
    /// A due slot was claimed in the state: the runs it records (debug).
    Claimed {
        job: String,
        slot: DateTime<chrono::Utc>,
        runs: Vec<i64>,
    },
    /// A run's output was saved to its history row (debug).
    OutputSaved {
        run: i64,
        bytes: usize,
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
        run: i64,
        scheduled: DateTime<Tz>,
    },
    /// A run ended with exit status 0.
    JobExecuted {
        job: String,
        run: i64,
        scheduled: DateTime<Tz>,
        duration: Duration,
    },
    /// A run failed: non-zero exit, killed by a signal, or could not start.
    JobError {
        job: String,
        run: i64,
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
    /// Runs found unfinished in the state at start: recorded interrupted
    /// (never started, or still running and now ended) or unknown (ended
    /// while no scheduler watched).
    StateInterrupted {
        count: u64,
        unknown: u64,
    },
    /// A job process left by a scheduler that died was still running; its
    /// process group was ended before anything else started.
    OrphanEnded {
        job: String,
        run: i64,
        pgid: i32,
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
    /// A run-now was not run, and why.
    RunNowRefused {
        job: String,
        reason: String,
    },
    /// A run outlived its timeout and is being ended.
    JobTimedOut {
        job: String,
        run: i64,
        timeout: Duration,
    },
    /// A run did not end after SIGTERM and was killed.
    JobKilled {
        job: String,
        run: i64,
    },
    /// A state write was refused (a slot claimed before).
    StateError {
        error: String,
    },
    /// The state cannot be written: no run starts until it can (logged once
    /// per episode).
    StateFailing {
        error: String,
    },
    /// The state can be written again, after this long.
    StateRecovered {
        after: Duration,
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
    /// The watched schedule file changed (`--watch`); a reload follows (debug).
    FileChanged {
        path: String,
    },
    /// The schedule file can no longer be watched for changes.
    WatchFailed {
        error: String,
    },
    /// Clock steps and suspends can no longer be noticed at once: the
    /// scheduler re-reads the clock every minute instead.
    ClockWatchFailed {
        error: String,
    },
    /// A message to the service manager (`NOTIFY_SOCKET`) could not be
    /// sent (logged once).
    NotifyFailed {
        error: String,
    },
    /// A hook did not succeed: it exited non-zero, was killed by a signal
    /// or at its timeout, could not start, or was dropped (queue full). It
    /// runs no hook.
    HookFailed {
        /// The key that set it: `on_failure`, `mailto`, ...
        hook: &'static str,
        /// The event it was told of: `job_failed`, ...
        event: &'static str,
        job: Option<String>,
        reason: String,
    },
    /// The metrics and health endpoint listens at this address (`[metrics]
    /// listen`, `--metrics-listen`), with any port 0 replaced by the one
    /// chosen.
    MetricsListening {
        addr: String,
    },
    /// This node joined its cluster (PostgreSQL state).
    NodeStarted {
        node: String,
        cluster: String,
        database: String,
    },
    /// A due slot is not this node's to run: another node claimed it, it
    /// is paused in the cluster, or the database's clock disagrees (debug).
    ClaimLost {
        job: String,
        slot: DateTime<chrono::Utc>,
        reason: String,
    },
    /// A run whose node lost its lease (died, froze, lost the database)
    /// was recorded interrupted, by this node; it is not run again.
    RunLost {
        job: String,
        run: i64,
        node: Option<String>,
        /// Its next attempt was asked for (`on_lost = "rerun"`).
        rerun: bool,
    },
    /// This node could not renew its lease for two thirds of it: it ended a
    /// run of an `on_lost = "rerun"` job (its process group), which other
    /// nodes may soon run again.
    LeaseLostKilled {
        job: String,
        pid: u32,
    },
    /// The node could not renew its lease (logged once per episode); once
    /// the lease lapses it claims no slot until a renewal works again.
    HeartbeatFailed {
        error: String,
    },
    /// The node renews its lease again, after this long.
    HeartbeatRecovered {
        after: Duration,
    },
    /// This host's clock and the database's differ by more than a second:
    /// runs start by the database's clock, so wake-ups are corrected.
    ClockOffset {
        /// The database's time minus this host's, in seconds.
        offset: f64,
    },
}
