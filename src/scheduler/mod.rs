//! The scheduling core: pure and deterministic. Given the jobs, their state
//! and the time, it says which runs to start, which to end, what to log, and
//! when to wake next. It never reads a clock, sleeps or spawns: the runner
//! does that and feeds the results back.
//!
//! The logic of a due job is APScheduler's `_process_jobs`: every run time up
//! to now is due; with `coalesce` only the latest of them runs; a run later
//! than `misfire_grace_time` is missed; a run due while `max_instances` runs of
//! the job are going is skipped. Runs wait for one of `max_workers` workers in
//! order of their scheduled time.

mod action;
mod collect;
mod control;
mod due;
pub(crate) mod event;
pub(crate) mod initial;
pub(crate) mod misfire;
pub(crate) mod notice;
pub(crate) mod persist;
mod runs;
mod slots;
mod table;

use crate::config::{Job, Settings};
pub(crate) use action::{Action, Change, Due, Outcome, RunRequest};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
pub(crate) use event::{Event, Level};
use initial::Start;
pub(crate) use notice::{Miss, Notice, RunEnd};
use persist::JobState;
use runs::Run;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

/// The scheduler's own key of one submitted run: one process at a time, or
/// several slots in turn without coalescing.
pub(crate) type RunId = u64;

/// The number of one run in the history: the store's id of its row. Log
/// lines, `history` and `history --output` all show this number.
pub(crate) type Record = i64;

/// How long a process has between SIGTERM and SIGKILL.
pub(crate) const KILL_GRACE: Duration = Duration::from_secs(5);

/// How long a process killed with SIGKILL may take to be reaped before the
/// scheduler gives it up.
pub(crate) const KILL_WAIT: Duration = Duration::from_secs(1);

/// A scheduled run time and when it is meant to start.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Slot {
    pub scheduled: DateTime<Tz>,
    /// When to fire: `scheduled` plus jitter. Lateness counts from here.
    pub start_at: DateTime<Utc>,
}

impl Slot {
    /// A slot with no jitter.
    fn at(scheduled: DateTime<Tz>) -> Slot {
        Slot {
            scheduled,
            start_at: scheduled.with_timezone(&Utc),
        }
    }
}

/// A job's next slot as its entry keeps it: in UTC, as the queue does
/// (the job's trigger has its zone).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Queued {
    scheduled: DateTime<Utc>,
    start_at: DateTime<Utc>,
}

impl Queued {
    /// The slot in the zone `tz`.
    fn slot(self, tz: Tz) -> Slot {
        Slot {
            scheduled: self.scheduled.with_timezone(&tz),
            start_at: self.start_at,
        }
    }
}

/// A job and its scheduling state.
#[derive(Clone, Debug)]
struct Entry {
    job: Arc<Job>,
    slot: Option<Queued>,
    /// When an interval job without `start_date` was first scheduled.
    /// In UTC, as stored: the job's zone is its trigger's.
    anchor: DateTime<Utc>,
    /// Runs of this job submitted and not finished (waiting or running).
    instances: usize,
    /// Paused, by the file or a command ([`initial::paused`]).
    paused: bool,
}

impl Entry {
    /// The state to save for this job.
    fn state(&self) -> JobState {
        JobState {
            fingerprint: self.job.trigger.fingerprint(),
            next_run: self.slot.map(|s| s.scheduled),
            anchor: self.anchor,
            paused: self.paused,
            file_paused: Some(self.job.paused),
            reschedule: false,
        }
    }
}

/// The scheduling core.
pub(crate) struct Scheduler {
    max_workers: usize,
    shutdown_timeout: Duration,
    /// The jobs, by seq and by id.
    entries: table::Table,
    /// Slots in firing order: (`start_at`, entry seq).
    queue: BTreeSet<(DateTime<Utc>, u64)>,
    runs: HashMap<RunId, Run>,
    /// Runs waiting for a worker: (scheduled time, run id).
    pending: BTreeSet<(DateTime<Utc>, RunId)>,
    /// Timeouts and kill deadlines: (when, run id).
    deadlines: BTreeSet<(DateTime<Utc>, RunId)>,
    busy: usize,
    next_run: RunId,
    shutting_down: bool,
    /// The store cannot be written: nothing fires or starts until
    /// [`Scheduler::resync`].
    suspended: bool,
    rng: u64,
}

impl Scheduler {
    /// A scheduler with no jobs yet, room for `jobs`, and the action that
    /// logs its start; [`Scheduler::add_jobs`] then adds them, a batch at a
    /// time if the caller likes, so that the actions of 100,000 jobs are
    /// never held at once. `seed` drives jitter.
    pub(crate) fn begin(settings: &Settings, jobs: usize, seed: u64) -> (Scheduler, Action) {
        let s = Scheduler {
            max_workers: settings.max_workers.max(1),
            shutdown_timeout: settings.shutdown_timeout,
            entries: table::Table::with_capacity(jobs),
            queue: BTreeSet::new(),
            runs: HashMap::new(),
            pending: BTreeSet::new(),
            deadlines: BTreeSet::new(),
            busy: 0,
            next_run: 1,
            shutting_down: false,
            suspended: false,
            rng: seed | 1,
        };
        (s, Action::Log(Event::SchedulerStarted { jobs }))
    }

    /// Adds `jobs`, started at `now`. `saved` is the state kept from an
    /// earlier run: a job whose trigger is unchanged resumes from its saved
    /// next run time (earlier ones now due are caught up on the first
    /// tick); others start from now.
    pub(crate) fn add_jobs(
        &mut self,
        jobs: impl IntoIterator<Item = Arc<Job>>,
        saved: &HashMap<String, JobState>,
        now: DateTime<Utc>,
        actions: &mut Vec<Action>,
    ) {
        for job in jobs {
            let saved = saved.get(&job.id);
            let start = initial::start(&job, saved, now);
            self.add(job, &start, saved, actions);
        }
    }

    /// Adds a job that starts as `start` says; saves its state unless it is
    /// the `saved` one unchanged.
    fn add(
        &mut self,
        job: Arc<Job>,
        start: &Start,
        saved: Option<&JobState>,
        actions: &mut Vec<Action>,
    ) {
        let seq = self.entries.insert(Entry {
            job,
            slot: None,
            anchor: start.anchor.with_timezone(&Utc),
            instances: 0,
            paused: start.paused,
        });
        let next = self.place(seq, start, saved, actions);
        actions.push(Action::Log(Event::JobAdded {
            job: self.entries[seq].job.id.clone(),
            next,
            paused: start.paused,
        }));
    }

    /// The next moment something is due, and what: a job's slot or a
    /// run's deadline (timeout, kill); `None` when nothing is.
    pub(crate) fn next_wake(&self) -> Option<(DateTime<Utc>, Due)> {
        let queue = self.queue.first().filter(|_| !self.suspended);
        let slot = queue.map(|(t, seq)| {
            let job = self.entries.get(*seq).map(|e| e.job.id.clone());
            (*t, Due::Slot(job.unwrap_or_default()))
        });
        let deadline = self.deadlines.first().map(|(t, id)| {
            let run = self.runs.get(id);
            let job = run.map(|r| r.job_id().to_string()).unwrap_or_default();
            let record = run.and_then(runs::Run::record).unwrap_or_default();
            (*t, Due::Deadline { job, run: record })
        });
        match (slot, deadline) {
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    /// The job and history number of a run in flight.
    pub(crate) fn describe_run(&self, id: RunId) -> Option<(String, Option<Record>)> {
        let run = self.runs.get(&id)?;
        Some((run.job_id().to_string(), run.record()))
    }

    /// Whether shutdown has finished: no process is left.
    pub(crate) fn is_done(&self) -> bool {
        self.shutting_down && self.runs.is_empty()
    }
}
