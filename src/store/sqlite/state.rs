//! [`StateStore`] for the SQLite store: writes grouped in one transaction,
//! errors named with the state file.

use super::{COLUMNS, JOB_COLUMNS, SqliteStore, ops, row};
use crate::store::{JobState, LastTimes, RunResult, RunRow, StateStore, StoreError};
use rusqlite::params;
use rustix::process::{Pid, Signal, kill_process};
use std::collections::HashMap;

impl StateStore for SqliteStore {
    /// One transaction from here to [`StateStore::commit`].
    fn begin(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch("BEGIN")?;
        Ok(())
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }

    fn touch(&mut self) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('touched', ?1)",
            params![crate::store::text(&chrono::Utc::now())],
        )?;
        Ok(())
    }

    fn saved_jobs(&self) -> Result<HashMap<String, JobState>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {JOB_COLUMNS} FROM jobs"))?;
        let mut rows = stmt.query([])?;
        let mut jobs = HashMap::new();
        while let Some(r) = rows.next()? {
            if let Ok((id, state)) = ops::read_job(r) {
                jobs.insert(id, state);
            }
        }
        Ok(jobs)
    }

    fn saved_job(&self, id: &str) -> Result<Option<JobState>, StoreError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![id])?;
        Ok(match rows.next()? {
            Some(r) => ops::read_job(r).ok().map(|(_, state)| state),
            None => None,
        })
    }

    fn job_states(&self) -> Result<Vec<(String, bool)>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT id, paused FROM jobs")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? != 0)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn last_runs(&self) -> Result<Vec<RunRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM runs WHERE id IN (SELECT max(id) FROM runs WHERE result != ?1 GROUP BY job)"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(params![RunResult::Pending], row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    fn id_range(&self, job: Option<&str>) -> Result<Option<(i64, i64)>, StoreError> {
        let range: (Option<i64>, Option<i64>) = self.conn.query_row(
            "SELECT min(id), max(id) FROM runs WHERE (?1 IS NULL OR job = ?1)",
            params![job],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(range.0.zip(range.1))
    }

    fn last_times(&self) -> Result<HashMap<String, LastTimes>, StoreError> {
        self.last_times_query()
    }

    /// The error with the state file named (`:memory:` for none).
    fn runner(&self) -> Option<String> {
        SqliteStore::runner(&self.path).map(|pid| format!("pid {pid}"))
    }

    /// SIGUSR1 to the scheduler holding the file's lock.
    fn wake(&mut self) {
        let pid = SqliteStore::runner(&self.path).and_then(|p| p.parse::<i32>().ok());
        if let Some(p) = pid.filter(|p| *p > 0).and_then(Pid::from_raw) {
            let _ = kill_process(p, Signal::USR1);
        }
    }

    fn import(&mut self, dump: &crate::store::copy::Dump, replace: bool) -> Result<(), StoreError> {
        self.import_dump(dump, replace)
    }

    fn named_error(&self, e: StoreError) -> StoreError {
        e.at(&self.path)
    }
}
