//! Event hooks: commands the schedule file sets for events (`on_failure`,
//! `on_missed`, ...; `man apsched`, HOOKS), run on a thread of their own
//! with a timeout, a concurrency cap and a bounded queue, so that a slow or
//! hanging hook never delays a run. A hook's own failure is logged
//! (`hook_failed`) and runs no hook.

mod describe;
mod direct;
mod mail;
mod payload;
pub(crate) use payload::hostname;
mod queue;
mod spawn;
mod table;
#[cfg(test)]
mod tests_table;
#[cfg(test)]
mod tests_worker;
mod worker;

pub(crate) use direct::Direct;
pub(crate) use table::any;

use crate::config::{Job, Settings};
use crate::log::Logger;
use crate::scheduler::{Miss, Notice, Record};
use std::sync::Arc;
use std::sync::mpsc::{Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use table::Table;

/// Told of every hook that ended or was dropped: its event (`job_failed`)
/// and `success`, `failure`, `timeout` or `dropped`.
pub(crate) type Report = Box<dyn Fn(&'static str, &'static str) + Send>;

/// What the hook thread is told.
pub(super) enum Msg {
    Notice(Notice),
    /// A run's output tail, once its pipes closed.
    Tail(Record, Vec<u8>),
    /// A child that is not a run ended (pid, `waitpid` status).
    Reaped(i32, i32),
    /// The hooks after a reload.
    Table(Box<Table>),
    /// Start nothing new after this time, and end once idle or then.
    Finish(Instant),
}

/// The most a finish waits for running hooks.
const FINISH_MAX: Duration = Duration::from_secs(5);

/// The hook thread, as the scheduler sees it.
pub(crate) struct Hooks {
    tx: Sender<Msg>,
    thread: JoinHandle<()>,
    timeout: Duration,
}

impl Hooks {
    /// Starts the thread with the hooks of `settings` and `jobs`. With
    /// `own_reap` it reaps its processes itself (no signal thread reaps:
    /// `run-now`); else their statuses come through [`Hooks::reaped`].
    pub(crate) fn start(
        settings: &Settings,
        jobs: &[Arc<Job>],
        logger: Logger,
        report: Report,
        own_reap: bool,
    ) -> std::io::Result<Hooks> {
        let table = Table::new(settings, jobs);
        let (tx, rx) = channel();
        let worker = worker::Worker::new(table, logger, report, own_reap);
        let thread = std::thread::Builder::new()
            .name("apsched-hooks".into())
            .spawn(move || worker.run(&rx))?;
        Ok(Hooks {
            tx,
            thread,
            timeout: settings.hooks.timeout,
        })
    }

    /// Tells the thread of a notice (one whose record is written).
    pub(crate) fn tell(&self, notice: &Notice) {
        let heard = match notice {
            Notice::Reloaded => false,
            Notice::Missed { reason, .. } => *reason != Miss::Coalesced,
            _ => true,
        };
        if heard {
            let _ = self.tx.send(Msg::Notice(notice.clone()));
        }
    }

    /// A run's output tail.
    pub(crate) fn tail(&self, record: Record, tail: &[u8]) {
        let _ = self.tx.send(Msg::Tail(record, tail.to_vec()));
    }

    /// A child that is not a run ended: perhaps a hook.
    pub(crate) fn reaped(&self, pid: i32, status: i32) {
        let _ = self.tx.send(Msg::Reaped(pid, status));
    }

    /// The hooks of a reloaded file.
    pub(crate) fn jobs(&mut self, settings: &Settings, jobs: &[Arc<Job>]) {
        self.timeout = settings.hooks.timeout;
        let _ = (self.tx).send(Msg::Table(Box::new(Table::new(settings, jobs))));
    }

    /// Asks the thread to end once its hooks are done, or at the latest
    /// after `wait`; when that is.
    pub(crate) fn finish(&self, wait: Duration) -> Instant {
        let at = Instant::now() + wait;
        let _ = self.tx.send(Msg::Finish(at));
        at
    }

    /// How long a shutdown waits for hooks: their timeout, at most 5 s.
    pub(crate) fn shutdown_wait(&self) -> Duration {
        self.timeout.min(FINISH_MAX)
    }

    /// How long `run-now` waits for its hooks: their timeout and the kill.
    pub(crate) fn direct_wait(&self) -> Duration {
        self.timeout + Duration::from_secs(6)
    }

    /// Whether the thread has ended.
    pub(crate) fn done(&self) -> bool {
        self.thread.is_finished()
    }
}
