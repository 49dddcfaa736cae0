//! [`StateStore`] for the SQLite store: writes grouped in one transaction,
//! errors named with the state file.

use super::{JOB_COLUMNS, SqliteStore, ops};
use crate::store::{JobState, LastTimes, StateStore, StoreError};
use rusqlite::params;
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

    fn job_states(&self) -> Result<Vec<(String, bool)>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT id, paused FROM jobs")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? != 0)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn last_times(&self) -> Result<HashMap<String, LastTimes>, StoreError> {
        self.last_times_query()
    }

    /// The error with the state file named (`:memory:` for none).
    fn named_error(&self, e: StoreError) -> StoreError {
        e.at(&self.path)
    }
}
