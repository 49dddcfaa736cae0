//! Hooks of a run made in the foreground (`run-now` with no scheduler
//! running): the same hooks as under `apsched run`, waited for before the
//! command returns, at most for the hook timeout and the kill after it.

use super::{Hooks, Report};
use crate::config::{Job, Settings};
use crate::console::Console;
use crate::log::{Format, Logger};
use crate::scheduler::{Level, Notice, Record};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The hooks of one foreground run; none when the file sets none for it.
pub(crate) struct Direct {
    hooks: Option<Hooks>,
}

impl Direct {
    /// Starts the hook thread if `job` has hooks; its `hook_failed` lines
    /// go to stderr.
    pub(crate) fn start(settings: &Settings, job: &Arc<Job>) -> Direct {
        let jobs = std::slice::from_ref(job);
        if !super::any(settings, jobs) {
            return Direct { hooks: None };
        }
        let logger = Logger::new(Format::Text, Level::Info, Console::new());
        let report: Report = Box::new(|_, _| {});
        Direct {
            hooks: Hooks::start(settings, jobs, logger, report, true).ok(),
        }
    }

    pub(crate) fn tell(&self, notice: &Notice) {
        if let Some(hooks) = &self.hooks {
            hooks.tell(notice);
        }
    }

    pub(crate) fn tail(&self, record: Record, tail: &[u8]) {
        if let Some(hooks) = &self.hooks {
            hooks.tail(record, tail);
        }
    }

    /// Waits for the hooks to end (at most their timeout and the kill).
    pub(crate) fn finish(self) {
        let Some(hooks) = self.hooks else { return };
        let until = hooks.finish(hooks.direct_wait()) + Duration::from_millis(500);
        while !hooks.done() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
