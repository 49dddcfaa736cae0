//! [`StateStore`] for the PostgreSQL store. Writes are not grouped: each
//! is its own statement, committed at once, so no transaction is left open
//! on the server between a scheduler's calls.

use super::ops::{JOB_COLUMNS, read_job};
use super::{COLUMNS, LOST_IN_TRANSACTION, PgStore, nodes, row};
use crate::store::{JobState, LastTimes, RunResult, RunRow, StateStore, Store, StoreError, text};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

impl StateStore for PgStore {
    /// One transaction up to [`StateStore::commit`]: the jobs saved at a
    /// start or a reload (no claim comes between).
    fn begin(&mut self) -> Result<(), StoreError> {
        if !self.in_transaction {
            self.conn()?.batch_execute("BEGIN")?;
            self.in_transaction = true;
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<(), StoreError> {
        if std::mem::take(&mut self.in_transaction) {
            if self.client.get_mut().is_closed() {
                return Err(StoreError::Database(LOST_IN_TRANSACTION.into()));
            }
            let mut conn = self.conn()?;
            if let Err(e) = conn.batch_execute("COMMIT") {
                let _ = conn.batch_execute("ROLLBACK");
                return Err(e.into());
            }
        }
        Ok(())
    }

    /// Writes the time into `apsched_meta`, under a key of this cluster's.
    fn touch(&mut self) -> Result<(), StoreError> {
        let key = format!("touched:{}", self.cluster);
        self.conn()?.execute(
            "INSERT INTO apsched_meta (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[&key, &text(&chrono::Utc::now())],
        )?;
        Ok(())
    }

    fn saved_jobs(&self) -> Result<HashMap<String, JobState>, StoreError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM apsched_jobs WHERE cluster = $1");
        let rows = self.conn()?.query(&sql, &[&self.cluster])?;
        Ok(rows.iter().filter_map(|r| read_job(r).ok()).collect())
    }

    fn saved_job(&self, id: &str) -> Result<Option<JobState>, StoreError> {
        let sql =
            format!("SELECT {JOB_COLUMNS} FROM apsched_jobs WHERE cluster = $1 AND job_id = $2");
        let row = self.conn()?.query_opt(&sql, &[&self.cluster, &id])?;
        Ok(row.and_then(|r| read_job(&r).ok().map(|(_, state)| state)))
    }

    fn job_states(&self) -> Result<Vec<(String, bool)>, StoreError> {
        let rows = self.conn()?.query(
            "SELECT job_id, paused FROM apsched_jobs WHERE cluster = $1",
            &[&self.cluster],
        )?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    }

    fn last_runs(&self) -> Result<Vec<RunRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM apsched_runs WHERE run_id IN (SELECT max(run_id) FROM apsched_runs WHERE cluster = $1 AND state != $2 GROUP BY job_id)"
        );
        let rows = (self.conn()?).query(&sql, &[&self.cluster, &RunResult::Pending.as_str()])?;
        rows.iter().map(row).collect()
    }

    fn id_range(&self, job: Option<&str>) -> Result<Option<(i64, i64)>, StoreError> {
        let r = self.conn()?.query_one(
            "SELECT min(run_id), max(run_id) FROM apsched_runs WHERE cluster = $1 AND ($2::text IS NULL OR job_id = $2)",
            &[&self.cluster, &job],
        )?;
        let (first, last): (Option<i64>, Option<i64>) = (r.try_get(0)?, r.try_get(1)?);
        Ok(first.zip(last))
    }

    fn last_times(&self) -> Result<HashMap<String, LastTimes>, StoreError> {
        let rows = self.conn()?.query(
            "SELECT job_id, max(started_at),
                    max(finished_at) FILTER (WHERE state = $2),
                    max(finished_at) FILTER (WHERE state IN ($3, $4))
             FROM apsched_runs WHERE cluster = $1 GROUP BY job_id",
            &[
                &self.cluster,
                &RunResult::Success.as_str(),
                &RunResult::Failed.as_str(),
                &RunResult::TimedOut.as_str(),
            ],
        )?;
        rows.iter()
            .map(|r| {
                let times = LastTimes {
                    run: r.try_get(1)?,
                    success: r.try_get(2)?,
                    failure: r.try_get(3)?,
                };
                Ok((r.try_get(0)?, times))
            })
            .collect()
    }

    /// The cluster's live nodes; `None` when none is, or the database
    /// cannot say.
    fn runner(&self) -> Option<String> {
        let nodes = self.nodes().ok()?;
        let live: Vec<String> = nodes
            .into_iter()
            .filter(|n| n.alive)
            .map(|n| n.id)
            .collect();
        match live.len() {
            0 => None,
            1 => Some(format!("node {}", live[0])),
            _ => Some(format!("nodes {}", live.join(", "))),
        }
    }

    /// NOTIFY on the cluster's channel; the nodes also poll, so a lost
    /// notification only delays.
    fn wake(&mut self) {
        if let Ok(mut c) = self.conn() {
            let _ = nodes::wake(&mut *c, &self.cluster);
        }
    }

    /// A retry of a lost run is the next attempt of its slot, claimed by
    /// this node under its lease; the others are run-now runs.
    fn add_requested_run(
        &mut self,
        job: &str,
        scheduled: DateTime<Utc>,
        request: i64,
    ) -> Result<Option<i64>, StoreError> {
        let Some((slot, attempt)) = self.retries.remove(&request) else {
            return self.add_run(job, scheduled).map(Some);
        };
        let lease = self.lease.as_secs_f64();
        // A retry is a claim of the job too: it raises the fence.
        let row = self.conn()?.query_opt(
            "WITH fenced AS (
               UPDATE apsched_jobs SET fence = fence + 1 WHERE cluster = $1 AND job_id = $2
               RETURNING fence)
             INSERT INTO apsched_runs (cluster, job_id, scheduled_at, attempt, kind, state, node_id,
                                       lease_until, fence)
             VALUES ($1, $2, $3, $4, 'retry', $5, $6, now() + make_interval(secs => $7),
                     (SELECT fence FROM fenced))
             ON CONFLICT (cluster, job_id, scheduled_at, attempt) DO NOTHING
             RETURNING run_id, fence",
            &[
                &self.cluster,
                &job,
                &slot,
                &attempt,
                &RunResult::Pending.as_str(),
                &self.node,
                &lease,
            ],
        )?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: i64 = row.try_get(0)?;
        if let Some(fence) = row.try_get::<_, Option<i64>>(1)? {
            self.fences.insert(id, fence);
        }
        self.attempts.insert(id, (attempt, slot));
        Ok(Some(id))
    }

    fn set_generation(&mut self, generation: i64) {
        self.generation = generation;
    }

    fn take_lost(&mut self) -> Option<(String, Option<JobState>)> {
        self.lost.take()
    }

    fn run_env(&self, record: i64) -> Vec<(String, String)> {
        let mut env = Vec::new();
        if let Some(node) = &self.node {
            env.push(("APSCHED_NODE".into(), node.clone()));
        }
        if let Some(fence) = self.fences.get(&record) {
            env.push(("APSCHED_FENCE".into(), fence.to_string()));
        }
        if self.node.is_some() {
            let retry = self.attempts.get(&record);
            let attempt = retry.map_or(1, |(attempt, _)| *attempt);
            env.push(("APSCHED_ATTEMPT".into(), attempt.to_string()));
            // A retry runs its lost run's slot.
            if let Some((_, slot)) = retry {
                let slot = crate::timefmt::rfc3339_auto_z(slot);
                env.push(("APSCHED_SCHEDULED_TIME".into(), slot));
            }
        }
        env
    }

    fn import(&mut self, dump: &crate::store::copy::Dump, replace: bool) -> Result<(), StoreError> {
        self.import_dump(dump, replace)
    }

    /// As it is: a PostgreSQL error already says what failed.
    fn named_error(&self, e: StoreError) -> StoreError {
        e
    }
}
