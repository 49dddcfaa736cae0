//! Deadlines of running processes: a job's timeout, the shutdown timeout,
//! then SIGTERM, SIGKILL after [`KILL_GRACE`], and giving up after
//! [`KILL_WAIT`].

use super::super::notice::Notice;
use super::super::persist::RunResult;
use super::super::{Action, Change, Event, KILL_GRACE, KILL_WAIT, Record, RunId, Scheduler};
use chrono::{DateTime, Utc};

impl Scheduler {
    /// Sets when a running process is next acted on (SIGTERM, or SIGKILL if
    /// it was already sent SIGTERM). An earlier deadline already set stays.
    pub(in crate::scheduler) fn set_deadline(&mut self, id: RunId, at: DateTime<Utc>) {
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
    pub(in crate::scheduler) fn tick_deadlines(
        &mut self,
        now: DateTime<Utc>,
        actions: &mut Vec<Action>,
    ) {
        while let Some(&(at, id)) = self.deadlines.first() {
            if at > now {
                break;
            }
            self.deadlines.pop_first();
            let Some(run) = self.runs.get_mut(&id) else {
                continue;
            };
            let Some(record) = run.record() else {
                continue;
            };
            run.deadline = None;
            let job = run.job.id.clone();
            if run.killed {
                self.give_up(id, record, actions);
                continue;
            }
            if run.terminated {
                self.kill(id, now, actions);
                continue;
            }
            run.terminated = true;
            if !self.shutting_down {
                run.timed_out = true;
                let timeout = run.job.more.timeout.unwrap_or_default();
                actions.push(Action::Log(Event::JobTimedOut {
                    job,
                    run: record,
                    timeout,
                }));
            }
            actions.push(Action::Terminate(id));
            let kill_at = now + KILL_GRACE;
            run.deadline = Some(kill_at);
            self.deadlines.insert((kill_at, id));
        }
    }

    /// Sends SIGKILL to a running process group; one that still has not
    /// ended after [`KILL_WAIT`] is given up.
    pub(in crate::scheduler) fn kill(
        &mut self,
        id: RunId,
        now: DateTime<Utc>,
        actions: &mut Vec<Action>,
    ) {
        let Some(run) = self.runs.get_mut(&id) else {
            return;
        };
        let Some(record) = run.record() else {
            return;
        };
        if let Some(old) = run.deadline.take() {
            self.deadlines.remove(&(old, id));
        }
        run.terminated = true;
        run.killed = true;
        actions.push(Action::Kill(id));
        actions.push(Action::Log(Event::JobKilled {
            job: run.job.id.clone(),
            run: record,
        }));
        run.deadline = Some(now + KILL_WAIT);
        self.deadlines.insert((now + KILL_WAIT, id));
    }

    /// Forgets a run whose process did not end even on SIGKILL (a process in
    /// uninterruptible sleep): recorded as interrupted.
    fn give_up(&mut self, id: RunId, record: Record, actions: &mut Vec<Action>) {
        let Some(run) = self.runs.remove(&id) else {
            return;
        };
        self.busy = self.busy.saturating_sub(1);
        self.release(run.seq);
        actions.push(Action::Persist(Change::Ended {
            record,
            exit: None,
            result: RunResult::Interrupted,
        }));
        if let Some(current) = run.current {
            actions.push(Action::Notify(Notice::Interrupted {
                job: run.job.id.clone(),
                record,
                scheduled: current.scheduled.with_timezone(&Utc),
                result: RunResult::Interrupted,
            }));
        }
        if self.is_done() {
            actions.push(Action::Log(Event::SchedulerStopped));
        }
    }
}
