//! The scheduling core: pure and deterministic. Given the jobs, their state
//! and the time, it says which runs to start, which to end, what to log, and
//! when to wake next. It never reads a clock, sleeps or spawns: the runner
//! ([`crate::runner`]) does that and feeds the results back.
//!
//! The logic of a due job is APScheduler's `_process_jobs`: every run time up
//! to now is due; with `coalesce` only the latest of them runs; a run later
//! than `misfire_grace_time` is missed; a run due while `max_instances` runs of
//! the job are going is skipped. Runs wait for one of `max_workers` workers in
//! order of their scheduled time.

mod due;
pub mod event;
mod runs;
#[cfg(test)]
mod sim;
#[cfg(test)]
mod tests;

use crate::config::{Job, Settings};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
pub use event::{Event, Level};
use runs::Run;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

/// The id of one run (one process).
pub type RunId = u64;

/// How long a process has between SIGTERM and SIGKILL.
pub const KILL_GRACE: Duration = Duration::from_secs(5);

/// A run the runner must start.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRequest {
    pub run: RunId,
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

/// What the runner must do.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Start(RunRequest),
    /// Send SIGTERM to the run's process group.
    Terminate(RunId),
    /// Send SIGKILL to the run's process group.
    Kill(RunId),
    Log(Event),
}

/// The next scheduled run of a job.
#[derive(Clone, Copy, Debug)]
struct Slot {
    scheduled: DateTime<Tz>,
    /// When to fire: `scheduled` plus jitter.
    start_at: DateTime<Utc>,
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
}

/// `t` without its fraction of a second: interval jobs are anchored on whole
/// seconds, so their run times read cleanly.
fn whole_second(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
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
    rng: u64,
}

impl Scheduler {
    /// A scheduler for `jobs`, started at `now`. `seed` drives jitter.
    pub fn new(
        settings: &Settings,
        jobs: Vec<Job>,
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
            rng: seed | 1,
        };
        let mut actions = vec![Action::Log(Event::SchedulerStarted { jobs: jobs.len() })];
        for job in jobs {
            s.add(job, now, &mut actions);
        }
        (s, actions)
    }

    /// Adds a job, scheduled from `now`.
    fn add(&mut self, job: Job, now: DateTime<Utc>, actions: &mut Vec<Action>) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let anchor = whole_second(now).with_timezone(&job.trigger.tz);
        let entry = Entry {
            job: Arc::new(job),
            slot: None,
            anchor,
            instances: 0,
        };
        self.ids.insert(entry.job.id.clone(), seq);
        self.entries.insert(seq, entry);
        let next = self.schedule_from(seq, &anchor);
        let job = &self.entries[&seq].job;
        actions.push(Action::Log(Event::JobAdded {
            job: job.id.clone(),
            next,
            paused: job.paused,
        }));
    }

    /// Sets the job's next slot to its first run time after `after` and
    /// queues it; returns that time.
    fn schedule_from(&mut self, seq: u64, after: &DateTime<Tz>) -> Option<DateTime<Tz>> {
        let rand = self.random();
        let entry = self.entries.get_mut(&seq)?;
        if let Some(old) = entry.slot.take() {
            self.queue.remove(&(old.start_at, seq));
        }
        if entry.job.paused {
            return None;
        }
        let trigger = &entry.job.trigger;
        let scheduled = trigger.next_after(after, &entry.anchor)?;
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
        Some(scheduled)
    }

    /// xorshift64: jitter needs spread, not cryptography.
    fn random(&mut self) -> u64 {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng
    }

    /// The next moment something is due (a run or a deadline), if any.
    pub fn next_wake(&self) -> Option<DateTime<Utc>> {
        let slot = self.queue.first().map(|(t, _)| *t);
        let deadline = self.deadlines.first().map(|(t, _)| *t);
        match (slot, deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether shutdown has finished: no process is left.
    pub fn is_done(&self) -> bool {
        self.shutting_down && self.runs.is_empty()
    }

    /// How many runs have a process now.
    pub fn running(&self) -> usize {
        self.busy
    }

    /// The next scheduled time of a job, for `list` and tests.
    pub fn next_run_time(&self, id: &str) -> Option<DateTime<Tz>> {
        let seq = self.ids.get(id)?;
        self.entries.get(seq)?.slot.map(|s| s.scheduled)
    }

    /// Stops scheduling. Running processes get `shutdown_timeout` to end
    /// (none if `immediate`), then SIGTERM, then SIGKILL.
    pub fn shutdown(&mut self, now: DateTime<Utc>, immediate: bool) -> Vec<Action> {
        let mut actions = Vec::new();
        if !self.shutting_down {
            self.shutting_down = true;
            actions.push(Action::Log(Event::SchedulerShutdown {
                running: self.busy,
                timeout: self.shutdown_timeout,
            }));
        }
        self.queue.clear();
        for (_, run) in std::mem::take(&mut self.pending) {
            self.runs.remove(&run);
        }
        let wait = if immediate {
            Duration::ZERO
        } else {
            self.shutdown_timeout
        };
        let ids: Vec<RunId> = self.runs.keys().copied().collect();
        for id in ids {
            if let Some(run) = self.runs.get_mut(&id) {
                run.remaining.clear();
            }
            self.set_deadline(id, now + wait);
        }
        self.tick_deadlines(now, &mut actions);
        if self.is_done() {
            actions.push(Action::Log(Event::SchedulerStopped));
        }
        actions
    }

    /// Replaces the job list (a reload): unchanged jobs keep their state,
    /// changed ones are rescheduled from `now`, new ones added, removed ones
    /// dropped (a running instance finishes).
    pub fn reload(
        &mut self,
        settings: &Settings,
        jobs: Vec<Job>,
        now: DateTime<Utc>,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        self.max_workers = settings.max_workers.max(1);
        self.shutdown_timeout = settings.shutdown_timeout;
        let (mut added, mut modified, mut unchanged) = (0, 0, 0);
        let keep: std::collections::HashSet<String> = jobs.iter().map(|j| j.id.clone()).collect();
        let gone: Vec<(String, u64)> = self
            .ids
            .iter()
            .filter(|(id, _)| !keep.contains(*id))
            .map(|(id, s)| (id.clone(), *s))
            .collect();
        for (id, seq) in &gone {
            if let Some(slot) = self.entries.remove(seq).and_then(|e| e.slot) {
                self.queue.remove(&(slot.start_at, *seq));
            }
            self.ids.remove(id);
            actions.push(Action::Log(Event::JobRemoved {
                job: id.clone(),
                reason: "removed from the file",
            }));
        }
        for job in jobs {
            match self.ids.get(&job.id).copied() {
                Some(seq) if *self.entries[&seq].job == job => unchanged += 1,
                Some(seq) => {
                    modified += 1;
                    let anchor = whole_second(now).with_timezone(&job.trigger.tz);
                    if let Some(entry) = self.entries.get_mut(&seq) {
                        entry.job = Arc::new(job);
                        entry.anchor = anchor;
                    }
                    let next = self.schedule_from(seq, &anchor);
                    actions.push(Action::Log(Event::JobModified {
                        job: self.entries[&seq].job.id.clone(),
                        next,
                    }));
                }
                None => {
                    added += 1;
                    self.add(job, now, &mut actions);
                }
            }
        }
        actions.push(Action::Log(Event::Reloaded {
            added,
            removed: gone.len(),
            modified,
            unchanged,
        }));
        self.dispatch(now, &mut actions);
        actions
    }
}
