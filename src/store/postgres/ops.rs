//! The [`Store`] operations of the PostgreSQL store, with the meaning of
//! the SQLite store's.

use super::{COLUMNS, JOB_FORMAT, PgStore, micros, requests, row};
use crate::store::{
    Answer, Claim, JobState, Loaded, RunResult, RunRow, StartedRun, Store, StoreError, text,
};
use chrono::{DateTime, Utc};
use postgres::{GenericClient, Row};

pub(super) const JOB_COLUMNS: &str =
    "job_id, format, trigger_fp, next_run_at, anchor, paused, reschedule, file_paused";

/// One `apsched_jobs` row, or why it cannot be used.
pub(super) fn read_job(r: &Row) -> Result<(String, JobState), (String, String)> {
    let id: String = r.try_get(0).map_err(|e| ("?".to_string(), e.to_string()))?;
    let bad = |e: postgres::Error| (id.clone(), e.to_string());
    let format: i32 = r.try_get(1).map_err(bad)?;
    if format > JOB_FORMAT {
        let why = format!("written by a newer apsched (row format {format})");
        return Err((id, why));
    }
    let state = JobState {
        fingerprint: r.try_get(2).map_err(bad)?,
        next_run: r.try_get(3).map_err(bad)?,
        anchor: r.try_get(4).map_err(bad)?,
        paused: r.try_get(5).map_err(bad)?,
        reschedule: r.try_get(6).map_err(bad)?,
        file_paused: r.try_get(7).map_err(bad)?,
    };
    Ok((id, state))
}

/// The unfinished runs of a cluster in one state: (record, job,
/// scheduled, pid, identity), oldest first.
fn found(r: &Row) -> Result<StartedRun, postgres::Error> {
    Ok(StartedRun {
        record: r.try_get(0)?,
        job: r.try_get(1)?,
        scheduled: text(&r.try_get::<_, DateTime<Utc>>(2)?),
        pid: r.try_get(3)?,
        identity: r.try_get(4)?,
    })
}

/// Moves unreadable job rows to `apsched_set_aside`.
fn set_aside(
    tx: &mut impl GenericClient,
    cluster: &str,
    aside: &[(String, String)],
) -> Result<(), StoreError> {
    for (job, reason) in aside {
        tx.execute(
            "INSERT INTO apsched_set_aside (cluster, job_id, row, reason)
             SELECT cluster, job_id, row_to_json(j)::text, $3 FROM apsched_jobs j
              WHERE cluster = $1 AND job_id = $2",
            &[&cluster, job, reason],
        )?;
        tx.execute(
            "DELETE FROM apsched_jobs WHERE cluster = $1 AND job_id = $2",
            &[&cluster, job],
        )?;
    }
    Ok(())
}

impl Store for PgStore {
    fn load(&mut self) -> Result<Loaded, StoreError> {
        let cluster = self.cluster.clone();
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        let mut loaded = Loaded::default();
        let sql = format!("SELECT {JOB_COLUMNS} FROM apsched_jobs WHERE cluster = $1");
        for r in tx.query(&sql, &[&cluster])? {
            match read_job(&r) {
                Ok((id, state)) => {
                    loaded.jobs.insert(id, state);
                }
                Err(aside) => loaded.set_aside.push(aside),
            }
        }
        set_aside(&mut tx, &cluster, &loaded.set_aside)?;
        let unfinished = "RETURNING run_id, job_id, scheduled_at, pid, pid_identity";
        // This node's runs only: the others' are theirs, or the reaper's.
        let node = self.node.clone();
        let pending = tx.query(
            &format!(
                "UPDATE apsched_runs SET state = $2 WHERE cluster = $1 AND state = $3
                    AND node_id IS NOT DISTINCT FROM $4 {unfinished}"
            ),
            &[
                &cluster,
                &RunResult::Interrupted.as_str(),
                &RunResult::Pending.as_str(),
                &node,
            ],
        )?;
        loaded.pending = pending.iter().map(found).collect::<Result<_, _>>()?;
        loaded.pending.sort_by_key(|r| r.record);
        loaded.interrupted = loaded.pending.len() as u64;
        let started = tx.query(
            "SELECT run_id, job_id, scheduled_at, pid, pid_identity FROM apsched_runs
              WHERE cluster = $1 AND state = $2 AND node_id IS NOT DISTINCT FROM $3
              ORDER BY run_id",
            &[&cluster, &RunResult::Started.as_str(), &node],
        )?;
        loaded.started = started.iter().map(found).collect::<Result<_, _>>()?;
        requests::refuse_stale(&mut tx, &cluster)?;
        tx.commit()?;
        Ok(loaded)
    }

    /// Saves the state as is, but a different trigger only from a newer
    /// configuration than the stored one's (a rolling change: the newer
    /// file wins, and nodes with the older one do not fight).
    fn save_job(&mut self, job: &str, s: &JobState) -> Result<(), StoreError> {
        self.conn()?.execute(
            "INSERT INTO apsched_jobs (cluster, job_id, format, trigger_fp, next_run_at, anchor, paused, reschedule, file_paused, config_generation)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (cluster, job_id) DO UPDATE SET format = EXCLUDED.format,
               trigger_fp = EXCLUDED.trigger_fp, next_run_at = EXCLUDED.next_run_at,
               anchor = EXCLUDED.anchor, paused = EXCLUDED.paused,
               reschedule = EXCLUDED.reschedule, file_paused = EXCLUDED.file_paused,
               config_generation = greatest(apsched_jobs.config_generation, EXCLUDED.config_generation),
               updated_at = now()
             WHERE apsched_jobs.trigger_fp = EXCLUDED.trigger_fp OR apsched_jobs.trigger_fp = ''
                OR apsched_jobs.config_generation < EXCLUDED.config_generation",
            &[
                &self.cluster,
                &job,
                &JOB_FORMAT,
                &s.fingerprint,
                &s.next_run.map(micros),
                &micros(s.anchor),
                &s.paused,
                &s.reschedule,
                &s.file_paused,
                &self.generation,
            ],
        )?;
        Ok(())
    }

    fn claim(&mut self, claim: &Claim) -> Result<Option<Vec<i64>>, StoreError> {
        self.claim_slot(claim)
    }

    fn add_run(&mut self, job: &str, scheduled: DateTime<Utc>) -> Result<i64, StoreError> {
        // A node's run is its own, with a lease, as a claimed one: renewed
        // while the node lives, reaped when it dies.
        let lease = self.lease.as_secs_f64();
        let row = self.conn()?.query_one(
            "INSERT INTO apsched_runs (cluster, job_id, scheduled_at, kind, state, node_id, lease_until)
             VALUES ($1, $2, $3, 'manual', $4, $5,
                     CASE WHEN $5::text IS NOT NULL THEN now() + make_interval(secs => $6) END)
             RETURNING run_id",
            &[
                &self.cluster,
                &job,
                &micros(scheduled),
                &RunResult::Pending.as_str(),
                &self.node,
                &lease,
            ],
        )?;
        Ok(row.try_get(0)?)
    }

    /// Only a pending run starts: see [`PgStore::start_run`].
    fn run_started(&mut self, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.start_run(id, at)
    }

    fn run_process(&mut self, id: i64, pid: u32, identity: &str) -> Result<(), StoreError> {
        // Linux pids are at most 2^22: an out-of-range one is not recorded.
        let pid = i32::try_from(pid).ok();
        self.conn()?.execute(
            "UPDATE apsched_runs SET pid = $1, pid_identity = $2 WHERE run_id = $3 AND cluster = $4",
            &[&pid, &identity, &id, &self.cluster],
        )?;
        Ok(())
    }

    /// A run reaped meanwhile stays interrupted: see [`PgStore::end_run`].
    fn run_ended(
        &mut self,
        id: i64,
        at: Option<DateTime<Utc>>,
        exit: Option<i32>,
        result: RunResult,
    ) -> Result<(), StoreError> {
        self.end_run(id, at, exit, result)
    }

    fn run_output(&mut self, id: i64, tail: &[u8]) -> Result<(), StoreError> {
        self.conn()?.execute(
            "UPDATE apsched_runs SET output_tail = $1 WHERE run_id = $2 AND cluster = $3",
            &[&tail, &id, &self.cluster],
        )?;
        Ok(())
    }

    fn history(&self, job: Option<&str>, limit: usize) -> Result<Vec<RunRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM apsched_runs WHERE cluster = $1 AND ($2::text IS NULL OR job_id = $2)
              ORDER BY run_id DESC LIMIT $3"
        );
        // Past `i64::MAX` rows, every row is shown either way.
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = self.conn()?.query(&sql, &[&self.cluster, &job, &limit])?;
        rows.iter().map(row).collect()
    }

    fn set_paused(
        &mut self,
        job: &str,
        paused: bool,
        file_paused: bool,
    ) -> Result<bool, StoreError> {
        // Resuming reschedules from now: the paused time is not replayed.
        let updated = self.conn()?.execute(
            "UPDATE apsched_jobs SET paused = $3, file_paused = $4, updated_at = now(),
                    reschedule = CASE WHEN $3 THEN reschedule ELSE true END
              WHERE cluster = $1 AND job_id = $2",
            &[&self.cluster, &job, &paused, &file_paused],
        )?;
        if updated == 1 {
            return Ok(true);
        }
        // Never scheduled yet: remember the pause; the job starts afresh.
        self.conn()?.execute(
            "INSERT INTO apsched_jobs (cluster, job_id, format, trigger_fp, next_run_at, anchor, paused, file_paused)
             VALUES ($1, $2, $3, '', NULL, $4, $5, $6) ON CONFLICT (cluster, job_id) DO NOTHING",
            &[&self.cluster, &job, &JOB_FORMAT, &micros(Utc::now()), &paused, &file_paused],
        )?;
        Ok(false)
    }

    fn run(&self, id: i64) -> Result<Option<RunRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM apsched_runs WHERE run_id = $1 AND cluster = $2");
        let found = self.conn()?.query_opt(&sql, &[&id, &self.cluster])?;
        found.as_ref().map(row).transpose()
    }

    fn request_run(&mut self, job: &str) -> Result<i64, StoreError> {
        requests::add(&mut *self.conn()?, &self.cluster, job)
    }

    fn take_requests(&mut self) -> Result<Vec<(i64, String)>, StoreError> {
        let mut retries = std::collections::HashMap::new();
        let taken = requests::take(&mut *self.conn()?, &self.cluster, &mut retries)?;
        self.retries.extend(retries);
        Ok(taken)
    }

    fn answer_request(&mut self, request: i64, answer: &Answer) -> Result<(), StoreError> {
        requests::answer(&mut *self.conn()?, &self.cluster, request, answer)
    }

    fn request_answer(&self, request: i64) -> Result<Option<Answer>, StoreError> {
        requests::read(&mut *self.conn()?, &self.cluster, request)
    }
}
