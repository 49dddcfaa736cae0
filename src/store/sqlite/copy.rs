//! Writing a copied state into an SQLite file
//! ([`StateStore::import`](crate::store::StateStore::import)).

use super::{JOB_FORMAT, SqliteStore};
use crate::store::copy::Dump;
use crate::store::{StoreError, text};
use rusqlite::params;

impl SqliteStore {
    /// Writes `dump` in one transaction, after deleting what the file
    /// held when `replace`.
    pub(super) fn import_dump(&mut self, dump: &Dump, replace: bool) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        if replace {
            tx.execute_batch(
                "DELETE FROM jobs; DELETE FROM runs; DELETE FROM requests; DELETE FROM set_aside;",
            )?;
        }
        {
            let mut job = tx.prepare(
                "INSERT INTO jobs (id, format, fingerprint, next_run, anchor, paused, reschedule, file_paused)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for (id, s) in &dump.jobs {
                job.execute(params![
                    id,
                    JOB_FORMAT,
                    s.fingerprint,
                    s.next_run.as_ref().map(text),
                    text(&s.anchor),
                    s.paused,
                    s.reschedule,
                    s.file_paused
                ])?;
            }
            let mut run = tx.prepare(
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
        }
        tx.commit()?;
        Ok(())
    }
}
