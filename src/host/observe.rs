//! What the host tells hooks and metrics: every notice once its record is
//! written, the state writes that failed, the jobs after a reload, run
//! output tails and the liveness of the scheduling loop. Both are off the
//! scheduling path: hooks run on their own thread, metrics are read by
//! their own server thread.

use super::hooks::{self, Hooks};
use super::metrics::Metrics;
use crate::config::{Job, Settings};
use crate::log::Logger;
use crate::scheduler::{Change, Notice, Record};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The observers of a running scheduler.
#[derive(Default)]
pub(super) struct Observers {
    /// Notices of a transaction not yet committed.
    batch: Option<Vec<Notice>>,
    /// The hook thread; `None` while no hook is set anywhere.
    hooks: Option<Hooks>,
    /// What starts the hook thread when a reload first sets a hook.
    hook_logger: Option<Logger>,
    /// The metrics endpoint's counts, when it is on.
    pub(super) metrics: Option<Metrics>,
}

impl Observers {
    /// Tells a notice now, or at [`Observers::commit`] inside a transaction.
    pub(super) fn notice(&mut self, notice: Notice) {
        match &mut self.batch {
            Some(batch) => batch.push(notice),
            None => self.tell(&notice),
        }
    }

    /// A transaction began: notices wait for its commit.
    pub(super) fn begin(&mut self) {
        self.batch.get_or_insert_with(Vec::new);
    }

    /// The transaction ended: tells the notices it held.
    pub(super) fn commit(&mut self) {
        for notice in self.batch.take().unwrap_or_default() {
            self.tell(&notice);
        }
    }

    fn tell(&mut self, notice: &Notice) {
        if let Some(m) = &self.metrics {
            m.tell(notice);
        }
        if let Some(hooks) = &self.hooks {
            hooks.tell(notice);
        }
    }

    /// Starts the hook thread if the file sets any hook; its lines go to
    /// `logger`.
    pub(super) fn start_hooks(&mut self, settings: &Settings, jobs: &[Arc<Job>], logger: Logger) {
        if hooks::any(settings, jobs) {
            self.hooks = start_hooks(settings, jobs, logger.clone(), self.metrics.clone());
        }
        self.hook_logger = Some(logger);
    }

    /// Asks the hook thread to end within its shutdown wait; when it will
    /// have, if there is one.
    pub(super) fn finish_hooks(&self) -> Option<Instant> {
        let hooks = self.hooks.as_ref()?;
        Some(hooks.finish(hooks.shutdown_wait()))
    }

    /// Whether no hook thread runs any more.
    pub(super) fn hooks_done(&self) -> bool {
        self.hooks.as_ref().is_none_or(Hooks::done)
    }

    /// A state change was written.
    pub(super) fn written(&mut self, change: &Change) {
        if let Some(m) = &self.metrics {
            m.written(change);
            m.write_result(None);
        }
    }

    /// A state write failed with this error, or (`None`) succeeded again.
    pub(super) fn write_result(&mut self, error: Option<&str>) {
        if let Some(m) = &self.metrics {
            m.write_result(error);
        }
    }

    /// The schedule file was read again: the jobs now in force.
    pub(super) fn jobs(&mut self, settings: &Settings, jobs: &[Arc<Job>]) {
        if let Some(m) = &self.metrics {
            m.jobs(jobs);
        }
        match (&mut self.hooks, &self.hook_logger) {
            (Some(hooks), _) => hooks.jobs(settings, jobs),
            (None, Some(logger)) if hooks::any(settings, jobs) => {
                let metrics = self.metrics.clone();
                self.hooks = start_hooks(settings, jobs, logger.clone(), metrics);
            }
            (None, _) => {}
        }
    }

    /// The last bytes of a run's output, once its pipes closed.
    pub(super) fn tail(&mut self, record: Record, tail: &[u8]) {
        if let Some(hooks) = &self.hooks {
            hooks.tail(record, tail);
        }
    }

    /// A child that is not a run ended; true if it may be an observer's
    /// (a hook's: the hook thread knows).
    pub(super) fn reaped(&mut self, pid: i32, status: i32) -> bool {
        let Some(hooks) = &self.hooks else {
            return false;
        };
        hooks.reaped(pid, status);
        true
    }

    /// The scheduling loop goes to wait (`true`), or has woken.
    pub(super) fn waiting(&mut self, waiting: bool) {
        if let Some(m) = &self.metrics {
            m.waiting(waiting);
        }
    }
}

/// The hook thread, or `None` (logged) when no thread can be started.
fn start_hooks(
    settings: &Settings,
    jobs: &[Arc<Job>],
    mut logger: Logger,
    metrics: Option<Metrics>,
) -> Option<Hooks> {
    // Each hook's result is counted in `apsched_hook_runs_total`.
    let report: hooks::Report = match metrics {
        Some(m) => Box::new(move |event, result| m.hook_ran(event, result)),
        None => Box::new(|_, _| {}),
    };
    match Hooks::start(settings, jobs, logger.clone(), report, false) {
        Ok(hooks) => Some(hooks),
        Err(e) => {
            logger.log(&crate::scheduler::Event::HookFailed {
                hook: "hooks",
                event: "scheduler_started",
                job: None,
                reason: format!("no hook runs: cannot start the hook thread: {e}"),
            });
            None
        }
    }
}

/// How long a finish waits at most beyond the hook thread's own deadline.
pub(super) const FINISH_SLACK: Duration = Duration::from_millis(500);
