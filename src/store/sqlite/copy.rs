//! Writing a copied state into an SQLite file
//! ([`StateStore::import`](crate::store::StateStore::import)).

use super::SqliteStore;
use crate::store::copy::Dump;
use crate::store::{Store, StoreError};
use rusqlite::params;

impl SqliteStore {
    /// Writes `dump` in one transaction, after deleting what the file
    /// held when `replace`; the jobs as [`Store::save_job`] saves them.
    pub(super) fn import_dump(&mut self, dump: &Dump, replace: bool) -> Result<(), StoreError> {
        self.conn.execute_batch("BEGIN")?;
        let written = self.write_dump(dump, replace);
        let end = if written.is_ok() {
            "COMMIT"
        } else {
            "ROLLBACK"
        };
        self.conn.execute_batch(end)?;
        written
    }

    fn write_dump(&mut self, dump: &Dump, replace: bool) -> Result<(), StoreError> {
        if replace {
            self.conn.execute_batch(
                "DELETE FROM jobs; DELETE FROM runs; DELETE FROM requests; DELETE FROM set_aside;",
            )?;
        }
        for (id, s) in &dump.jobs {
            self.save_job(id, s)?;
        }
        let mut run = self.conn.prepare(
            "INSERT INTO runs (job, scheduled, scheduled_last, count, started, ended, exit_status, result, output)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for r in &dump.runs {
            run.execute(params![
                r.job,
                r.scheduled,
                r.scheduled_last,
                r.count,
                r.started,
                r.ended,
                r.exit_status,
                r.result,
                r.output
            ])?;
        }
        Ok(())
    }
}
