//! The hook thread: turns notices into hook runs, starts them up to the
//! concurrency cap, ends those past their timeout, and logs the ones that
//! failed. Nothing here ever waits on the scheduling loop, nor it on this.

use super::queue::{CAPACITY, Push, Queue};
use super::table::{HookRun, Table};
use super::{Msg, Report};
use crate::log::Logger;
use crate::scheduler::{Event, Notice, Outcome, Record};
use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long an end waits for its run's output tail.
const TAIL_WAIT: Duration = Duration::from_secs(2);
/// From SIGTERM to SIGKILL of a hook past its timeout.
const KILL_AFTER: Duration = Duration::from_secs(5);
/// Output tails kept for ends not yet told.
const TAILS_KEPT: usize = 256;
/// How often a worker that reaps its own children looks at them.
const POLL: Duration = Duration::from_millis(20);

/// A hook process that runs.
struct Running {
    run: HookRun,
    /// When it gets SIGTERM, then (once `timed_out`) SIGKILL.
    deadline: Instant,
    timed_out: bool,
}

pub(super) struct Worker {
    pub table: Table,
    pub logger: Logger,
    pub report: Report,
    /// Reap hook processes here (`run-now`), not through the signal thread.
    pub own_reap: bool,
    queue: Queue,
    running: HashMap<i32, Running>,
    /// Ends waiting for their output tail, until the deadline.
    awaiting: Vec<(Instant, Notice)>,
    tails: HashMap<Record, Vec<u8>>,
    tail_order: VecDeque<Record>,
    key: RandomState,
    hostname: String,
    finish: Option<Instant>,
}

impl Worker {
    pub(super) fn new(table: Table, logger: Logger, report: Report, own_reap: bool) -> Worker {
        Worker {
            table,
            logger,
            report,
            own_reap,
            queue: Queue::default(),
            running: HashMap::new(),
            awaiting: Vec::new(),
            tails: HashMap::new(),
            tail_order: VecDeque::new(),
            key: RandomState::new(),
            hostname: super::payload::hostname(),
            finish: None,
        }
    }

    /// Runs until told to finish and done, or until the deadline of the finish.
    pub(super) fn run(mut self, rx: &Receiver<Msg>) {
        loop {
            let now = Instant::now();
            if let Some(at) = self.finish
                && (now >= at || self.idle())
            {
                let left = self.queue.take();
                self.failed_all(&left);
                self.logger.flush();
                return;
            }
            let wait = self.next_deadline().map_or(Duration::from_secs(3600), |d| {
                d.saturating_duration_since(now)
            });
            match rx.recv_timeout(wait) {
                Ok(msg) => self.message(msg),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    self.finish.get_or_insert(now);
                }
            }
            while let Ok(msg) = rx.try_recv() {
                self.message(msg);
            }
            self.tick(Instant::now());
            self.logger.flush();
        }
    }

    fn idle(&self) -> bool {
        self.queue.is_empty() && self.running.is_empty() && self.awaiting.is_empty()
    }

    fn next_deadline(&self) -> Option<Instant> {
        let mut next = (self.running.values().map(|r| r.deadline))
            .chain(self.awaiting.iter().map(|(at, _)| *at))
            .chain(self.finish)
            .min();
        if self.own_reap && !self.running.is_empty() {
            let poll = Instant::now() + POLL;
            next = Some(next.map_or(poll, |n| n.min(poll)));
        }
        next
    }

    fn message(&mut self, msg: Msg) {
        match msg {
            Msg::Notice(notice) => self.notice(notice),
            Msg::Tail(record, tail) => self.tail(record, tail),
            Msg::Reaped(pid, status) => self.reaped(pid, status),
            Msg::Table(table) => self.table = *table,
            Msg::Finish(at) => self.finish = Some(at),
        }
    }

    fn notice(&mut self, notice: Notice) {
        if let Notice::Ended(end) = &notice
            && !matches!(end.outcome, Outcome::NotStarted(_))
            && self.table.wants_tail(&end.job)
            && !self.tails.contains_key(&end.record)
        {
            self.awaiting.push((Instant::now() + TAIL_WAIT, notice));
            return;
        }
        self.release(&notice);
    }

    fn tail(&mut self, record: Record, tail: Vec<u8>) {
        if let Some(i) = (self.awaiting.iter())
            .position(|(_, n)| matches!(n, Notice::Ended(e) if e.record == record))
        {
            self.tails.insert(record, tail);
            let (_, notice) = self.awaiting.remove(i);
            self.release(&notice);
            return;
        }
        if self.tail_order.len() >= TAILS_KEPT
            && let Some(old) = self.tail_order.pop_front()
        {
            self.tails.remove(&old);
        }
        self.tail_order.push_back(record);
        self.tails.insert(record, tail);
    }

    /// Queues the hooks of `notice`, with its run's tail if there is one.
    fn release(&mut self, notice: &Notice) {
        let record = match notice {
            Notice::Ended(end) => Some(end.record),
            _ => None,
        };
        let tail = record.and_then(|r| self.tails.remove(&r));
        let tail = tail
            .as_deref()
            .map(|t| (t, t.len() >= crate::host::output::TAIL));
        for run in self.table.runs(notice, tail, &self.key, &self.hostname) {
            let (hook, event, job) = (run.key, run.event, run.job.clone());
            if let Push::Dropped { first } = self.queue.push(run) {
                (self.report)(event, "dropped");
                if first {
                    self.logger.log(&Event::HookFailed {
                        hook,
                        event,
                        job,
                        reason: format!(
                            "dropped: {CAPACITY} hooks are waiting already; further ones are dropped until the queue empties"
                        ),
                    });
                }
            }
        }
    }

    fn reaped(&mut self, pid: i32, status: i32) {
        let Some(done) = self.running.remove(&pid) else {
            return;
        };
        let result = match (done.timed_out, crate::host::signals::outcome(status)) {
            (true, _) => Err((
                "timeout",
                format!("timed out after {}s", self.table.timeout.as_secs()),
            )),
            (false, Outcome::Exited(0)) => Ok(()),
            (false, outcome) => Err(("failure", outcome.describe())),
        };
        match result {
            Ok(()) => (self.report)(done.run.event, "success"),
            Err((label, reason)) => {
                (self.report)(done.run.event, label);
                self.log_failed(&done.run, reason);
            }
        }
    }

    fn log_failed(&mut self, run: &HookRun, reason: String) {
        self.logger.log(&Event::HookFailed {
            hook: run.key,
            event: run.event,
            job: run.job.clone(),
            reason,
        });
    }

    /// Releases ends whose tail is late, ends hooks past their timeout,
    /// reaps (in own-reap mode) and starts what the cap allows.
    fn tick(&mut self, now: Instant) {
        let (late, waiting): (Vec<_>, Vec<_>) =
            self.awaiting.drain(..).partition(|(at, _)| *at <= now);
        self.awaiting = waiting;
        for (_, notice) in late {
            self.release(&notice);
        }
        for (pid, r) in &mut self.running {
            if r.deadline <= now {
                crate::host::process::signal_group(pid.unsigned_abs(), r.timed_out);
                r.timed_out = true;
                r.deadline = now + KILL_AFTER;
            }
        }
        if self.own_reap {
            self.reap_own();
        }
        while self.running.len() < self.table.max_concurrent.max(1)
            && self.finish.is_none_or(|at| at > now)
            && let Some(run) = self.queue.pop_first(|r| !after_start(r, &self.running))
        {
            match super::spawn::spawn(&run) {
                Ok(pid) => {
                    let deadline = now + self.table.timeout;
                    self.running.insert(
                        pid,
                        Running {
                            run,
                            deadline,
                            timed_out: false,
                        },
                    );
                }
                Err(why) => {
                    (self.report)(run.event, "failure");
                    self.log_failed(&run, format!("cannot start: {why}"));
                }
            }
        }
    }

    fn reap_own(&mut self) {
        use rustix::process::{Pid, WaitOptions, waitpid};
        let pids: Vec<i32> = self.running.keys().copied().collect();
        for pid in pids {
            let Some(p) = Pid::from_raw(pid) else {
                continue;
            };
            if let Ok(Some((_, status))) = waitpid(Some(p), WaitOptions::NOHANG) {
                self.reaped(pid, status.as_raw());
            }
        }
    }

    /// At the end of a finish: the hooks dropped and those left running.
    fn failed_all(&mut self, dropped: &[HookRun]) {
        for run in dropped {
            (self.report)(run.event, "dropped");
        }
        if let Some(first) = dropped.first() {
            self.logger.log(&Event::HookFailed {
                hook: first.key,
                event: first.event,
                job: first.job.clone(),
                reason: format!(
                    "dropped with {} more: apsched stopped before they started",
                    dropped.len() - 1
                ),
            });
        }
        let left: Vec<HookRun> = self.running.drain().map(|(_, r)| r.run).collect();
        for run in left {
            self.log_failed(
                &run,
                "still running when apsched stopped; left to finish".into(),
            );
        }
    }
}

/// Whether `run` must wait: its run's `on_start` hook still runs.
fn after_start(run: &HookRun, running: &HashMap<i32, Running>) -> bool {
    !run.first
        && run.record.is_some()
        && running
            .values()
            .any(|r| r.run.first && r.run.record == run.record)
}
