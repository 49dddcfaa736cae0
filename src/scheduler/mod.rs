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

mod collect;
mod control;
mod due;
pub mod event;
pub mod initial;
pub mod misfire;
pub mod persist;
mod runs;

use crate::config::{Job, Settings};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
pub use event::{Event, Level};
use initial::Start;
use persist::{Claim, JobState, RunResult};
use runs::Run;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

/// The scheduler's own key of one submitted run: one process at a time, or
/// several slots in turn without coalescing.
pub type RunId = u64;

/// The number of one run in the history: the store's id of its row. Log
/// lines, `history` and `history --output` all show this number.
pub type Record = i64;

/// How long a process has between SIGTERM and SIGKILL.
pub const KILL_GRACE: Duration = Duration::from_secs(5);

/// How long a process killed with SIGKILL may take to be reaped before the
/// scheduler gives it up.
pub const KILL_WAIT: Duration = Duration::from_secs(1);

/// A run the runner must start.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRequest {
    pub run: RunId,
    pub record: Record,
    pub job: Arc<Job>,
    pub scheduled: DateTime<Tz>,
}

/// How a run's process ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Exited with this status.
    Exited(i32),
    /// Ended by this signal.
    Signaled(i32),
    /// Could not be started.
    NotStarted(String),
}

impl Outcome {
    /// How it ended, for people: `exit status 3`, `killed by signal 9`.
    pub fn describe(&self) -> String {
        match self {
            Outcome::Exited(code) => format!("exit status {code}"),
            Outcome::Signaled(sig) => format!("killed by signal {sig}"),
            Outcome::NotStarted(why) => format!("cannot start: {why}"),
        }
    }
}

/// What the scheduler wakes up for next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Due {
    /// A job's next slot (jitter included).
    Slot(String),
    /// A running job's timeout or kill deadline.
    Deadline { job: String, run: Record },
}

/// What the runner must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Start(RunRequest),
    /// Send SIGTERM to the run's process group.
    Terminate(RunId),
    /// Send SIGKILL to the run's process group.
    Kill(RunId),
    Log(Event),
    /// Write to the state store (before the actions that follow it).
    Persist(Change),
}

/// A change of persistent state. The store numbers the runs it records
/// (claimed slots, run-now); the runner hands those numbers back with
/// [`Scheduler::recorded`] before anything of the run starts.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Save a job's state as is: new or changed job, pause, resume.
    Save { job: String, state: JobState },
    /// A due slot was handled; `run` runs the slots of `claim.runs`, in order.
    Claim { claim: Claim, run: Option<RunId> },
    /// A run outside the schedule (run-now), answering `request` if any.
    Extra {
        run: RunId,
        job: String,
        scheduled: DateTime<Utc>,
        request: Option<i64>,
    },
    /// A run-now request was refused.
    Refused { request: i64, reason: String },
    /// A run started.
    Started { record: Record },
    /// A run ended (or was missed while waiting for a worker).
    Ended {
        record: Record,
        exit: Option<i32>,
        result: RunResult,
    },
    /// Runs that will not happen now (shutdown).
    Dropped { records: Vec<Record> },
}

impl Change {
    /// The run whose slots this change records, if any.
    pub fn run(&self) -> Option<RunId> {
        match self {
            Change::Claim { run, .. } => *run,
            Change::Extra { run, .. } => Some(*run),
            _ => None,
        }
    }
}

/// A scheduled run time and when it is meant to start.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slot {
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

/// A job and its scheduling state.
#[derive(Clone, Debug)]
struct Entry {
    job: Arc<Job>,
    slot: Option<Slot>,
    /// When an interval job without `start_date` was first scheduled.
    anchor: DateTime<Tz>,
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
            next_run: self.slot.map(|s| s.scheduled.with_timezone(&Utc)),
            anchor: self.anchor.with_timezone(&Utc),
            paused: self.paused,
            file_paused: Some(self.job.paused),
            reschedule: false,
        }
    }
}

/// The scheduling core.
pub struct Scheduler {
    max_workers: usize,
    shutdown_timeout: Duration,
    entries: HashMap<u64, Entry>,
    ids: HashMap<String, u64>,
    next_seq: u64,
    /// Slots in firing order: (start_at, entry seq).
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
    /// A scheduler for `jobs`, started at `now`. `saved` is the state kept
    /// from an earlier run: a job whose trigger is unchanged resumes from its
    /// saved next run time (earlier ones now due are caught up on the first
    /// tick); others start from now. `seed` drives jitter.
    pub fn new(
        settings: &Settings,
        jobs: Vec<Job>,
        saved: &HashMap<String, JobState>,
        now: DateTime<Utc>,
        seed: u64,
    ) -> (Scheduler, Vec<Action>) {
        let mut s = Scheduler {
            max_workers: settings.max_workers.max(1),
            shutdown_timeout: settings.shutdown_timeout,
            entries: HashMap::new(),
            ids: HashMap::new(),
            next_seq: 0,
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
        let mut actions = vec![Action::Log(Event::SchedulerStarted { jobs: jobs.len() })];
        for job in jobs {
            let saved = saved.get(&job.id);
            let start = initial::start(&job, saved, now);
            s.add(job, start, saved, &mut actions);
        }
        (s, actions)
    }

    fn insert(&mut self, entry: Entry) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.ids.insert(entry.job.id.clone(), seq);
        self.entries.insert(seq, entry);
        seq
    }

    /// Adds a job that starts as `start` says; saves its state unless it is
    /// the `saved` one unchanged.
    fn add(&mut self, job: Job, start: Start, saved: Option<&JobState>, actions: &mut Vec<Action>) {
        let seq = self.insert(Entry {
            job: Arc::new(job),
            slot: None,
            anchor: start.anchor,
            instances: 0,
            paused: start.paused,
        });
        let next = self.place(seq, &start, saved, actions);
        actions.push(Action::Log(Event::JobAdded {
            job: self.entries[&seq].job.id.clone(),
            next,
            paused: start.paused,
        }));
    }

    /// Puts the job at `seq` where `start` says (anchor, pause, next slot)
    /// and saves its state unless it is the `saved` one unchanged; returns
    /// the slot it is scheduled for.
    fn place(
        &mut self,
        seq: u64,
        start: &Start,
        saved: Option<&JobState>,
        actions: &mut Vec<Action>,
    ) -> Option<DateTime<Tz>> {
        let entry = self.entries.get_mut(&seq)?;
        entry.anchor = start.anchor;
        entry.paused = start.paused;
        if let Some(old) = entry.slot.take() {
            self.queue.remove(&(old.start_at, seq));
        }
        let next = start.next.filter(|_| !start.paused);
        if let Some(scheduled) = next {
            self.set_slot(seq, scheduled);
        }
        let entry = &self.entries[&seq];
        let state = entry.state();
        if saved != Some(&state) {
            actions.push(Action::Persist(Change::Save {
                job: entry.job.id.clone(),
                state,
            }));
        }
        next
    }

    /// Queues `scheduled` as the job's next slot, with jitter.
    fn set_slot(&mut self, seq: u64, scheduled: DateTime<Tz>) {
        let rand = self.random();
        let Some(entry) = self.entries.get_mut(&seq) else {
            return;
        };
        if let Some(old) = entry.slot.take() {
            self.queue.remove(&(old.start_at, seq));
        }
        let trigger = &entry.job.trigger;
        let mut start_at = scheduled.with_timezone(&Utc);
        if let Some(jitter) = trigger.jitter.filter(|j| !j.is_zero()) {
            // Up to `jitter` late, but before the following run time.
            let mut bound = jitter.as_millis() as i64;
            if let Some(following) = trigger.next_after(&scheduled, &entry.anchor) {
                bound = bound.min((following - scheduled).num_milliseconds() - 1);
            }
            if bound > 0 {
                start_at += chrono::Duration::milliseconds((rand % (bound as u64 + 1)) as i64);
            }
        }
        entry.slot = Some(Slot {
            scheduled,
            start_at,
        });
        self.queue.insert((start_at, seq));
    }

    /// Sets the job's next slot to its first run time after `after` and
    /// queues it; returns that time.
    fn schedule_from(&mut self, seq: u64, after: &DateTime<Tz>) -> Option<DateTime<Tz>> {
        let entry = self.entries.get_mut(&seq)?;
        if let Some(old) = entry.slot.take() {
            self.queue.remove(&(old.start_at, seq));
        }
        if entry.paused {
            return None;
        }
        let scheduled = entry.job.trigger.next_after(after, &entry.anchor)?;
        self.set_slot(seq, scheduled);
        Some(scheduled)
    }

    /// xorshift64: jitter needs spread, not cryptography.
    fn random(&mut self) -> u64 {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng
    }

    /// The next moment something is due, and what: a job's slot or a
    /// run's deadline (timeout, kill); `None` when nothing is.
    pub fn next_wake(&self) -> Option<(DateTime<Utc>, Due)> {
        let queue = self.queue.first().filter(|_| !self.suspended);
        let slot = queue.map(|(t, seq)| {
            let job = self.entries.get(seq).map(|e| e.job.id.clone());
            (*t, Due::Slot(job.unwrap_or_default()))
        });
        let deadline = self.deadlines.first().map(|(t, id)| {
            let run = self.runs.get(id);
            let job = run.map(|r| r.job_id().to_string()).unwrap_or_default();
            let record = run.and_then(|r| r.record()).unwrap_or_default();
            (*t, Due::Deadline { job, run: record })
        });
        match (slot, deadline) {
            (Some(a), Some(b)) => Some(if b.0 < a.0 { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    /// The job and history number of a run in flight.
    pub fn describe_run(&self, id: RunId) -> Option<(String, Option<Record>)> {
        let run = self.runs.get(&id)?;
        Some((run.job_id().to_string(), run.record()))
    }

    /// Whether shutdown has finished: no process is left.
    pub fn is_done(&self) -> bool {
        self.shutting_down && self.runs.is_empty()
    }
}
