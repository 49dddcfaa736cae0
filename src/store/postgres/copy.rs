//! Writing a copied state into a cluster's rows
//! ([`StateStore::import`](crate::store::StateStore::import)). Copied runs
//! have no node and no lease: none of them is unfinished (see
//! [`crate::store::copy::export`]).

use super::{PgStore, micros};
use crate::store::copy::Dump;
use crate::store::{RunRow, Store, StoreError, parse};
use chrono::{DateTime, Utc};

/// A time of a copied run, as PostgreSQL keeps it.
fn time(run: &RunRow, text: Option<&str>) -> Result<Option<DateTime<Utc>>, StoreError> {
    text.map(|t| {
        parse(t).map(micros).ok_or_else(|| {
            StoreError::Database(format!(
                "run {} of job {} has a time that is not one ({t:?}); nothing was copied",
                run.id, run.job
            ))
        })
    })
    .transpose()
}

impl PgStore {
    /// Writes `dump` in one transaction, after deleting the cluster's rows
    /// when `replace`; the jobs as [`Store::save_job`] saves them.
    pub(super) fn import_dump(&mut self, dump: &Dump, replace: bool) -> Result<(), StoreError> {
        self.conn()?.batch_execute("BEGIN")?;
        let written = self.write_dump(dump, replace);
        let end = if written.is_ok() {
            "COMMIT"
        } else {
            "ROLLBACK"
        };
        self.conn()?.batch_execute(end)?;
        written
    }

    fn write_dump(&mut self, dump: &Dump, replace: bool) -> Result<(), StoreError> {
        let cluster = self.cluster.clone();
        if replace {
            for table in [
                "apsched_jobs",
                "apsched_runs",
                "apsched_requests",
                "apsched_set_aside",
            ] {
                self.conn()?.execute(
                    &format!("DELETE FROM {table} WHERE cluster = $1"),
                    &[&cluster],
                )?;
            }
        }
        for (id, s) in &dump.jobs {
            self.save_job(id, s)?;
        }
        let mut conn = self.conn()?;
        let run = conn.prepare(
            "INSERT INTO apsched_runs (cluster, job_id, scheduled_at, scheduled_last, kind, state,
                                       missed_count, started_at, finished_at, exit_code, output_tail)
             VALUES ($1, $2, $3, $4, 'copied', $5, $6, $7, $8, $9, $10)",
        )?;
        for r in &dump.runs {
            let scheduled = time(r, Some(&r.scheduled))?;
            conn.execute(
                &run,
                &[
                    &cluster,
                    &r.job,
                    &scheduled,
                    &time(r, r.scheduled_last.as_deref())?,
                    &r.result.as_str(),
                    &r.count,
                    &time(r, r.started.as_deref())?,
                    &time(r, r.ended.as_deref())?,
                    &r.exit_status,
                    &r.output,
                ],
            )?;
        }
        Ok(())
    }
}
