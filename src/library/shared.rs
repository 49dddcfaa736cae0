//! What the jobs of one library scheduler share: parsed cron schedules and
//! the settings most jobs repeat, each held once (as a file's jobs share
//! them).

use crate::config::JobMore;
use crate::cron::CronSchedule;
use std::collections::HashMap;
use std::sync::Arc;

/// At most this many schedule texts are kept; past it the cache starts
/// afresh.
const SCHEDULES_KEPT: usize = 4096;

#[derive(Default)]
pub(crate) struct Shared {
    schedules: HashMap<String, Arc<CronSchedule>>,
    more: Option<Arc<JobMore>>,
}

impl Shared {
    /// The schedule `text` parses to, or why it does not.
    pub(crate) fn schedule(&mut self, text: &str) -> Result<Arc<CronSchedule>, String> {
        if let Some(found) = self.schedules.get(text) {
            return Ok(found.clone());
        }
        let schedule: CronSchedule = text
            .parse()
            .map_err(|e| format!("invalid cron expression {text:?}: {e}"))?;
        if self.schedules.len() >= SCHEDULES_KEPT {
            self.schedules.clear();
        }
        let schedule = Arc::new(schedule);
        self.schedules.insert(text.to_string(), schedule.clone());
        Ok(schedule)
    }

    /// `more`, shared with the job added before if it is the same.
    pub(crate) fn more(&mut self, more: JobMore) -> Arc<JobMore> {
        match &self.more {
            Some(last) if **last == more => last.clone(),
            _ => self.more.insert(Arc::new(more)).clone(),
        }
    }
}
