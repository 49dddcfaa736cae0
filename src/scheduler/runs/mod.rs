//! Runs in flight: waiting for a worker, running, ending; timeouts.

mod deadlines;

use super::misfire;
use super::notice::{Miss, Notice, RunEnd};
use super::persist::RunResult;
use super::{Action, Change, Event, Outcome, Record, RunId, RunRequest, Scheduler, Slot};
use crate::config::Job;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

/// The slot a run's process is running.
#[derive(Clone, Copy, Debug)]
struct Current {
    scheduled: DateTime<Tz>,
    started: DateTime<Utc>,
    record: Record,
}

/// One submitted instance of a job: the slots it still has to run, in
/// order (several without coalescing), their history numbers once the
/// store gave them, and its process if one is running.
#[derive(Clone, Debug)]
pub(super) struct Run {
    seq: u64,
    job: Arc<Job>,
    pub remaining: VecDeque<Slot>,
    /// The numbers of `remaining`, in the same order.
    records: VecDeque<Record>,
    current: Option<Current>,
    /// The pending deadline and whether SIGTERM, then SIGKILL, were sent.
    deadline: Option<DateTime<Utc>>,
    terminated: bool,
    killed: bool,
    timed_out: bool,
}

impl Run {
    pub(super) fn new(seq: u64, job: Arc<Job>, remaining: VecDeque<Slot>) -> Run {
        Run {
            seq,
            job,
            remaining,
            records: VecDeque::new(),
            current: None,
            deadline: None,
            terminated: false,
            killed: false,
            timed_out: false,
        }
    }

    /// Takes the numbers of the slots still to run.
    pub(super) fn take_records(&mut self) -> Vec<Record> {
        self.records.drain(..).collect()
    }

    pub(super) fn job_id(&self) -> &str {
        &self.job.id
    }

    /// The history number of the slot running now.
    pub(super) fn record(&self) -> Option<Record> {
        self.current.map(|c| c.record)
    }
}

impl Scheduler {
    /// The store recorded the run's slots under these numbers, in order.
    pub(crate) fn recorded(&mut self, id: RunId, records: Vec<Record>) {
        if let Some(run) = self.runs.get_mut(&id) {
            run.records.extend(records);
        }
    }

    /// Starts waiting runs while workers are free, oldest scheduled first.
    /// The runner calls it once the store has recorded what came before.
    pub(crate) fn dispatch(&mut self, now: DateTime<Utc>) -> Vec<Action> {
        let mut actions = Vec::new();
        while self.busy < self.max_workers && !self.shutting_down && !self.suspended {
            let Some((_, id)) = self.pending.pop_first() else {
                break;
            };
            let Some((slot, record)) = self.next_slot(id, now, &mut actions) else {
                if let Some(run) = self.runs.remove(&id) {
                    self.release(run.seq);
                }
                continue;
            };
            let Some(run) = self.runs.get_mut(&id) else {
                continue;
            };
            run.current = Some(Current {
                scheduled: slot.scheduled,
                started: now,
                record,
            });
            let job = run.job.clone();
            self.busy += 1;
            // The runner records the start and logs it before the process starts.
            actions.push(Action::Start(RunRequest {
                run: id,
                record,
                job: job.clone(),
                scheduled: slot.scheduled,
            }));
            if let Some(timeout) = job.more.timeout {
                self.set_deadline(id, now + timeout);
            }
        }
        actions
    }

    /// The run's next slot that is still in time, with its number; slots
    /// that waited past the grace time are missed after all. `None` when
    /// no slot is left (or the store never recorded them).
    fn next_slot(
        &mut self,
        id: RunId,
        now: DateTime<Utc>,
        actions: &mut Vec<Action>,
    ) -> Option<(Slot, Record)> {
        let run = self.runs.get_mut(&id)?;
        let grace = misfire::grace(&run.job);
        while let Some(slot) = run.remaining.pop_front() {
            let record = run.records.pop_front()?;
            if !misfire::is_missed(slot.start_at, now, grace) {
                return Some((slot, record));
            }
            actions.push(Action::Persist(Change::Ended {
                record,
                exit: None,
                result: RunResult::Missed,
            }));
            actions.push(Action::Notify(Notice::Missed {
                job: run.job.id.clone(),
                first: slot.scheduled,
                last: slot.scheduled,
                count: 1,
                reason: Miss::Misfire,
            }));
            actions.push(Action::Log(Event::JobMissed {
                job: run.job.id.clone(),
                scheduled: slot.scheduled,
                late: misfire::lateness(slot.start_at, now),
            }));
        }
        None
    }

    /// The run's process started at `at`: its duration counts from then,
    /// not from when it was dispatched (in a burst, the last of a thousand
    /// starts a second or more later).
    pub(crate) fn started(&mut self, id: RunId, at: DateTime<Utc>) {
        if let Some(current) = self.runs.get_mut(&id).and_then(|r| r.current.as_mut()) {
            current.started = at;
        }
    }

    /// Forgets a run that has not started (shutdown, or slots the store
    /// refused to record); the numbers of its slots, if there was one.
    pub(crate) fn abandon(&mut self, id: RunId) -> Option<Vec<Record>> {
        let waiting = self.runs.get(&id).is_some_and(|r| r.current.is_none());
        if !waiting {
            return None;
        }
        self.pending.retain(|(_, r)| *r != id);
        let run = self.runs.remove(&id)?;
        self.release(run.seq);
        Some(run.records.into_iter().collect())
    }

    /// One instance of the job at `seq` is over.
    fn release(&mut self, seq: u64) {
        if let Some(entry) = self.entries.get_mut(seq) {
            entry.instances = entry.instances.saturating_sub(1);
        }
    }

    /// A run's process ended (or never started).
    pub(crate) fn finished(
        &mut self,
        id: RunId,
        outcome: &Outcome,
        now: DateTime<Utc>,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(run) = self.runs.get_mut(&id) else {
            return actions;
        };
        if let Some(old) = run.deadline.take() {
            self.deadlines.remove(&(old, id));
        }
        let Some(current) = run.current.take() else {
            return actions;
        };
        self.busy = self.busy.saturating_sub(1);
        let duration = (now - current.started).to_std().unwrap_or(Duration::ZERO);
        let (exit, result) = match (outcome, run.timed_out) {
            (_, true) => (None, RunResult::TimedOut),
            (Outcome::Exited(0), _) => (Some(0), RunResult::Success),
            (Outcome::Exited(code), _) => (Some(*code), RunResult::Failed),
            _ => (None, RunResult::Failed),
        };
        actions.push(Action::Persist(Change::Ended {
            record: current.record,
            exit,
            result,
        }));
        actions.push(Action::Notify(Notice::Ended(Box::new(RunEnd {
            job: run.job.id.clone(),
            record: current.record,
            scheduled: current.scheduled,
            started: current.started,
            ended: now,
            outcome: outcome.clone(),
            result,
        }))));
        actions.push(Action::Log(ended_event(
            &run.job.id,
            current,
            outcome,
            run.timed_out,
            duration,
        )));
        run.terminated = false;
        run.killed = false;
        run.timed_out = false;
        if run.remaining.is_empty() || self.shutting_down {
            let seq = run.seq;
            self.runs.remove(&id);
            self.release(seq);
        } else if let Some(next) = run.remaining.front() {
            // The batch goes on with its next slot, on the next free worker.
            self.pending
                .insert((next.scheduled.with_timezone(&Utc), id));
        }
        if self.is_done() {
            actions.push(Action::Log(Event::SchedulerStopped));
        }
        actions
    }
}

/// `job_executed` or `job_error` for a run that ended.
fn ended_event(
    job: &str,
    current: Current,
    outcome: &Outcome,
    timed_out: bool,
    duration: Duration,
) -> Event {
    let (job, run, scheduled) = (job.to_string(), current.record, current.scheduled);
    if let (Outcome::Exited(0), false) = (outcome, timed_out) {
        return Event::JobExecuted {
            job,
            run,
            scheduled,
            duration,
        };
    }
    let reason = outcome.describe();
    let reason = if timed_out {
        format!("timed out ({reason})")
    } else {
        reason
    };
    Event::JobError {
        job,
        run,
        scheduled,
        reason,
        duration,
    }
}
