//! Runs in flight: waiting for a worker, running, ending; timeouts.

use super::{Action, Change, Event, KILL_GRACE, Outcome, RunId, RunRequest, Scheduler};
use crate::config::Job;
use crate::store::RunResult;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

/// One submitted instance of a job: the run times it still has to run, in
/// order (several without coalescing), and its process if one is running.
#[derive(Clone, Debug)]
pub struct Run {
    seq: u64,
    job: Arc<Job>,
    pub remaining: VecDeque<DateTime<Tz>>,
    /// The run time being run and when its process started.
    current: Option<(DateTime<Tz>, DateTime<Utc>)>,
    /// The pending deadline and whether SIGTERM was already sent.
    deadline: Option<DateTime<Utc>>,
    terminated: bool,
    timed_out: bool,
}

impl Run {
    pub fn new(seq: u64, job: Arc<Job>, remaining: VecDeque<DateTime<Tz>>) -> Run {
        Run {
            seq,
            job,
            remaining,
            current: None,
            deadline: None,
            terminated: false,
            timed_out: false,
        }
    }
}

impl Scheduler {
    /// Starts waiting runs while workers are free, oldest scheduled first.
    pub(super) fn dispatch(&mut self, now: DateTime<Utc>, actions: &mut Vec<Action>) {
        while self.busy < self.max_workers && !self.shutting_down {
            let Some((_, id)) = self.pending.pop_first() else {
                return;
            };
            let Some(run) = self.runs.get_mut(&id) else {
                continue;
            };
            // A run that waited past its grace time is missed after all.
            let grace = run.job.misfire_grace_time;
            let mut started = None;
            while let Some(t) = run.remaining.pop_front() {
                let late = (now - t.with_timezone(&Utc)).to_std().unwrap_or_default();
                if grace.is_some_and(|g| late > g) {
                    actions.push(Action::Persist(Change::Ended {
                        run: id,
                        exit: None,
                        result: RunResult::Missed,
                    }));
                    actions.push(Action::Log(Event::JobMissed {
                        job: run.job.id.clone(),
                        scheduled: t,
                        late,
                    }));
                } else {
                    started = Some(t);
                    break;
                }
            }
            let Some(scheduled) = started else {
                let seq = run.seq;
                self.runs.remove(&id);
                self.release(seq);
                continue;
            };
            run.current = Some((scheduled, now));
            let job = run.job.clone();
            self.busy += 1;
            // Recorded as started before the command starts.
            actions.push(Action::Persist(Change::Started { run: id }));
            actions.push(Action::Start(RunRequest {
                run: id,
                job: job.clone(),
                scheduled,
            }));
            actions.push(Action::Log(Event::JobSubmitted {
                job: job.id.clone(),
                run: id,
                scheduled,
            }));
            if let Some(timeout) = job.timeout {
                self.set_deadline(id, now + timeout);
            }
        }
    }

    /// Forgets a run that has not started (shutdown, or a slot the store
    /// refused to claim); true if there was one.
    pub fn abandon(&mut self, id: RunId) -> bool {
        let waiting = self.runs.get(&id).is_some_and(|r| r.current.is_none());
        if !waiting {
            return false;
        }
        self.pending.retain(|(_, r)| *r != id);
        if let Some(run) = self.runs.remove(&id) {
            self.release(run.seq);
        }
        true
    }

    /// One instance of the job at `seq` is over.
    fn release(&mut self, seq: u64) {
        if let Some(entry) = self.entries.get_mut(&seq) {
            entry.instances = entry.instances.saturating_sub(1);
        }
    }

    /// Sets when a running process is next acted on (SIGTERM, or SIGKILL if
    /// it was already sent SIGTERM). An earlier deadline already set stays.
    pub(super) fn set_deadline(&mut self, id: RunId, at: DateTime<Utc>) {
        let Some(run) = self.runs.get_mut(&id) else {
            return;
        };
        if run.current.is_none() {
            return;
        }
        if let Some(old) = run.deadline {
            if old <= at {
                return;
            }
            self.deadlines.remove(&(old, id));
        }
        run.deadline = Some(at);
        self.deadlines.insert((at, id));
    }

    /// Acts on deadlines that have come: SIGTERM first, SIGKILL after
    /// [`KILL_GRACE`].
    pub(super) fn tick_deadlines(&mut self, now: DateTime<Utc>, actions: &mut Vec<Action>) {
        while let Some(&(at, id)) = self.deadlines.first() {
            if at > now {
                break;
            }
            self.deadlines.pop_first();
            let Some(run) = self.runs.get_mut(&id) else {
                continue;
            };
            run.deadline = None;
            if run.terminated {
                actions.push(Action::Kill(id));
                actions.push(Action::Log(Event::JobKilled {
                    job: run.job.id.clone(),
                    run: id,
                }));
                continue;
            }
            run.terminated = true;
            if !self.shutting_down {
                run.timed_out = true;
                let timeout = run.job.timeout.unwrap_or_default();
                actions.push(Action::Log(Event::JobTimedOut {
                    job: run.job.id.clone(),
                    run: id,
                    timeout,
                }));
            }
            actions.push(Action::Terminate(id));
            let kill_at = now + KILL_GRACE;
            run.deadline = Some(kill_at);
            self.deadlines.insert((kill_at, id));
        }
    }

    /// A run's process ended (or never started).
    pub fn finished(&mut self, id: RunId, outcome: Outcome, now: DateTime<Utc>) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(run) = self.runs.get_mut(&id) else {
            return actions;
        };
        if let Some(old) = run.deadline.take() {
            self.deadlines.remove(&(old, id));
        }
        let Some((scheduled, started)) = run.current.take() else {
            return actions;
        };
        self.busy = self.busy.saturating_sub(1);
        let duration = (now - started).to_std().unwrap_or(Duration::ZERO);
        let job = run.job.id.clone();
        let (exit, result) = match (&outcome, run.timed_out) {
            (_, true) => (None, RunResult::TimedOut),
            (Outcome::Exited(0), _) => (Some(0), RunResult::Success),
            (Outcome::Exited(code), _) => (Some(*code), RunResult::Failed),
            _ => (None, RunResult::Failed),
        };
        actions.push(Action::Persist(Change::Ended {
            run: id,
            exit,
            result,
        }));
        let event = match (&outcome, run.timed_out) {
            (Outcome::Exited(0), false) => Event::JobExecuted {
                job,
                run: id,
                scheduled,
                duration,
            },
            (o, timed_out) => {
                let mut reason = match o {
                    Outcome::Exited(code) => format!("exit status {code}"),
                    Outcome::Signaled(sig) => format!("killed by signal {sig}"),
                    Outcome::NotStarted(why) => format!("cannot start: {why}"),
                };
                if timed_out {
                    reason = format!("timed out ({reason})");
                }
                Event::JobError {
                    job,
                    run: id,
                    scheduled,
                    reason,
                    duration,
                }
            }
        };
        actions.push(Action::Log(event));
        run.terminated = false;
        run.timed_out = false;
        if run.remaining.is_empty() || self.shutting_down {
            let seq = run.seq;
            self.runs.remove(&id);
            self.release(seq);
        } else if let Some(next) = run.remaining.front() {
            // The batch goes on with its next run time, on the next free worker.
            self.pending.insert((next.with_timezone(&Utc), id));
        }
        self.dispatch(now, &mut actions);
        if self.is_done() {
            actions.push(Action::Log(Event::SchedulerStopped));
        }
        actions
    }
}
