//! [`StateStore`] for the PostgreSQL store. Writes are not grouped: each
//! is its own statement, committed at once, so no transaction is left open
//! on the server between a scheduler's calls.

use super::ops::{JOB_COLUMNS, read_job};
use super::{COLUMNS, PgStore, nodes, row};
use crate::store::{JobState, LastTimes, RunResult, RunRow, StateStore, StoreError, text};
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
                return Err(StoreError::Database(
                    "the connection was lost before the writes since BEGIN were committed".into(),
                ));
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
        let row = self
            .client
            .borrow_mut()
            .query_opt(&sql, &[&self.cluster, &id])?;
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
