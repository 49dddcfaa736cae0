//! A claimed run's start and end, fenced on its state: a run the reaper
//! recorded interrupted (its node lost its lease) neither starts nor
//! loses that record when its node ends it late.

use super::{PgStore, micros};
use crate::store::{RunResult, StoreError};
use chrono::{DateTime, Utc};

impl PgStore {
    /// Only a pending run starts: one reaped meanwhile (its lease lapsed
    /// before it started) does not, and the caller hears why.
    pub(super) fn start_run(&mut self, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
        let started = self.conn()?.execute(
            "UPDATE apsched_runs SET started_at = $1, state = $2
              WHERE run_id = $3 AND cluster = $4 AND state = $5",
            &[
                &micros(at),
                &RunResult::Started.as_str(),
                &id,
                &self.cluster,
                &RunResult::Pending.as_str(),
            ],
        )?;
        if started == 0 {
            return Err(StoreError::Database(format!(
                "run {id} is no longer pending (its lease lapsed and it was recorded interrupted); it does not start"
            )));
        }
        Ok(())
    }

    /// Ends a run; one reaped meanwhile stays interrupted, its end noted.
    pub(super) fn end_run(
        &mut self,
        id: i64,
        at: Option<DateTime<Utc>>,
        exit: Option<i32>,
        result: RunResult,
    ) -> Result<(), StoreError> {
        // Its command was told these at start.
        self.fences.remove(&id);
        self.attempts.remove(&id);
        // A run reaped meanwhile stays interrupted; its end is noted.
        let mut conn = self.conn()?;
        let ended = conn.execute(
            "UPDATE apsched_runs SET finished_at = $1, exit_code = $2, state = $3
              WHERE run_id = $4 AND cluster = $5 AND state IN ($6, $7)",
            &[
                &at.map(micros),
                &exit,
                &result.as_str(),
                &id,
                &self.cluster,
                &RunResult::Pending.as_str(),
                &RunResult::Started.as_str(),
            ],
        )?;
        if ended == 0 {
            let late = format!(
                "its node ended it late: {}{}",
                result.as_str(),
                exit.map(|e| format!(" (exit status {e})"))
                    .unwrap_or_default()
            );
            conn.execute(
                "UPDATE apsched_runs SET note = concat_ws('; ', note, $1::text)
                  WHERE run_id = $2 AND cluster = $3 AND state = $4",
                &[&late, &id, &self.cluster, &RunResult::Interrupted.as_str()],
            )?;
        }
        Ok(())
    }
}
