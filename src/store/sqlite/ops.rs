//! The [`Store`] operations of the SQLite store.

use super::{COLUMNS, JOB_COLUMNS, JOB_FORMAT, SqliteStore, requests, row};
use crate::store::{
    Answer, Claim, JobState, Loaded, RunResult, RunRow, StartedRun, Store, StoreError, parse, text,
};
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

/// Reads one `jobs` row, or says why it cannot be used.
pub(super) fn read_job(r: &rusqlite::Row<'_>) -> Result<(String, JobState), (String, String)> {
    let id: String = r.get(0).map_err(|e| ("?".to_string(), e.to_string()))?;
    let bad = |why: String| (id.clone(), why);
    let format: i64 = r.get(1).map_err(|e| bad(e.to_string()))?;
    if format > JOB_FORMAT {
        return Err(bad(format!(
            "written by a newer apsched (row format {format})"
        )));
    }
    let fingerprint: String = r.get(2).map_err(|e| bad(e.to_string()))?;
    let next_text: Option<String> = r.get(3).map_err(|e| bad(e.to_string()))?;
    let next_run = match next_text {
        Some(t) => Some(parse(&t).ok_or_else(|| bad(format!("next_run {t:?} is not a time")))?),
        None => None,
    };
    let anchor_text: String = r.get(4).map_err(|e| bad(e.to_string()))?;
    let anchor =
        parse(&anchor_text).ok_or_else(|| bad(format!("anchor {anchor_text:?} is not a time")))?;
    let paused: i64 = r.get(5).map_err(|e| bad(e.to_string()))?;
    let reschedule: i64 = r.get(6).map_err(|e| bad(e.to_string()))?;
    let file_paused: Option<i64> = r.get(7).map_err(|e| bad(e.to_string()))?;
    Ok((
        id.clone(),
        JobState {
            fingerprint,
            next_run,
            anchor,
            paused: paused != 0,
            file_paused: file_paused.map(|f| f != 0),
            reschedule: reschedule != 0,
        },
    ))
}

impl SqliteStore {
    /// [`Store::load`], keeping the jobs' states or only checking them.
    fn load_keeping(&mut self, keep: bool) -> Result<Loaded, StoreError> {
        let tx = self.conn.transaction()?;
        let mut loaded = Loaded::default();
        {
            let mut stmt = tx.prepare(&format!("SELECT {JOB_COLUMNS} FROM jobs"))?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                match read_job(r) {
                    Ok((id, state)) => {
                        if keep {
                            loaded.jobs.insert(id, state);
                        } else {
                            // Some state is left to read when asked for.
                            loaded.lazy = true;
                        }
                    }
                    Err(aside) => loaded.set_aside.push(aside),
                }
            }
        }
        let now = text(&Utc::now());
        for (job, reason) in &loaded.set_aside {
            tx.execute(
                "INSERT INTO set_aside (job, row, reason, at)
                 SELECT id, json_array(id, format, fingerprint, next_run, anchor, paused, reschedule), ?2, ?3 FROM jobs WHERE id = ?1",
                params![job, reason, now],
            )?;
            tx.execute("DELETE FROM jobs WHERE id = ?1", params![job])?;
        }
        let found = |r: &rusqlite::Row<'_>| {
            Ok(StartedRun {
                record: r.get(0)?,
                job: r.get(1)?,
                scheduled: r.get(2)?,
                pid: r.get(3)?,
                identity: r.get(4)?,
            })
        };
        {
            let mut stmt = tx.prepare(
                "UPDATE runs SET result = ?1 WHERE result = ?2
                 RETURNING id, job, scheduled, pid, pid_identity",
            )?;
            let rows =
                stmt.query_map(params![RunResult::Interrupted, RunResult::Pending], found)?;
            loaded.pending = rows.collect::<Result<Vec<_>, _>>()?;
            loaded.pending.sort_by_key(|r| r.record);
            loaded.interrupted = loaded.pending.len() as u64;
        }
        {
            let mut stmt = tx.prepare(
                "SELECT id, job, scheduled, pid, pid_identity FROM runs WHERE result = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map(params![RunResult::Started], found)?;
            loaded.started = rows.collect::<Result<Vec<_>, _>>()?;
        }
        requests::refuse_stale(&tx)?;
        tx.commit()?;
        Ok(loaded)
    }
}

impl Store for SqliteStore {
    fn load(&mut self) -> Result<Loaded, StoreError> {
        self.load_keeping(true)
    }

    fn load_lazily(&mut self) -> Result<Loaded, StoreError> {
        self.load_keeping(false)
    }

    fn save_job(&mut self, job: &str, s: &JobState) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT OR REPLACE INTO jobs (id, format, fingerprint, next_run, anchor, paused, reschedule, file_paused)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        stmt.execute(params![
            job,
            JOB_FORMAT,
            s.fingerprint,
            s.next_run.as_ref().map(text),
            text(&s.anchor),
            s.paused,
            s.reschedule,
            s.file_paused
        ])?;
        Ok(())
    }

    // Missed and skipped counts are bounded by a span in nanoseconds (an
    // i64): they fit an i64.
    #[allow(clippy::cast_possible_wrap)]
    fn claim(&mut self, c: &Claim) -> Result<Option<Vec<i64>>, StoreError> {
        let tx = self.conn.transaction()?;
        let advanced = tx
            .prepare_cached("UPDATE jobs SET next_run = ?1 WHERE id = ?2 AND next_run = ?3")?
            .execute(params![c.next.as_ref().map(text), c.job, text(&c.expected)])?;
        if advanced != 1 {
            return Ok(None);
        }
        let mut rows = Vec::new();
        for scheduled in &c.runs {
            let inserted = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO runs (job, scheduled, result) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![c.job, text(scheduled), RunResult::Pending])?;
            if inserted != 1 {
                return Ok(None); // the slot's row exists: claimed before
            }
            rows.push(tx.last_insert_rowid());
        }
        if let Some((first, last, count)) = &c.missed {
            tx.prepare_cached("INSERT OR IGNORE INTO runs (job, scheduled, scheduled_last, count, result) VALUES (?1, ?2, ?3, ?4, ?5)")?.execute(params![c.job, text(first), (count > &1).then(|| text(last)), *count as i64, RunResult::Missed],
            )?;
        }
        if let Some((first, count)) = &c.skipped {
            tx.prepare_cached("INSERT OR IGNORE INTO runs (job, scheduled, count, result) VALUES (?1, ?2, ?3, ?4)")?.execute(params![c.job, text(first), *count as i64, RunResult::Skipped],
            )?;
        }
        tx.commit()?;
        self.trim_history(&c.job)?;
        Ok(Some(rows))
    }

    fn add_run(&mut self, job: &str, scheduled: DateTime<Utc>) -> Result<i64, StoreError> {
        self.conn
            .prepare_cached("INSERT INTO runs (job, scheduled, result) VALUES (?1, ?2, ?3)")?
            .execute(params![job, text(&scheduled), RunResult::Pending])?;
        Ok(self.conn.last_insert_rowid())
    }

    fn run_started(&mut self, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE runs SET started = ?1, result = ?2 WHERE id = ?3")?
            .execute(params![text(&at), RunResult::Started, id])?;
        Ok(())
    }

    fn run_process(&mut self, id: i64, pid: u32, identity: &str) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE runs SET pid = ?1, pid_identity = ?2 WHERE id = ?3")?
            .execute(params![pid, identity, id])?;
        Ok(())
    }

    fn run_ended(
        &mut self,
        id: i64,
        at: Option<DateTime<Utc>>,
        exit: Option<i32>,
        result: RunResult,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "UPDATE runs SET ended = ?1, exit_status = ?2, result = ?3 WHERE id = ?4",
            )?
            .execute(params![at.as_ref().map(text), exit, result, id])?;
        Ok(())
    }

    fn run_output(&mut self, id: i64, tail: &[u8]) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE runs SET output = ?1 WHERE id = ?2")?
            .execute(params![tail, id])?;
        Ok(())
    }

    fn history(&self, job: Option<&str>, limit: usize) -> Result<Vec<RunRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM runs WHERE (?1 IS NULL OR job = ?1) ORDER BY id DESC LIMIT ?2"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        // Past `i64::MAX` rows, every row is shown either way.
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![job, limit], row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn set_paused(
        &mut self,
        job: &str,
        paused: bool,
        file_paused: bool,
    ) -> Result<bool, StoreError> {
        let known: Option<i64> = self
            .conn
            .query_row("SELECT 1 FROM jobs WHERE id = ?1", params![job], |r| {
                r.get(0)
            })
            .optional()?;
        if known.is_none() {
            // Never scheduled yet: remember the pause; the job starts afresh.
            self.conn.execute(
                "INSERT INTO jobs (id, format, fingerprint, next_run, anchor, paused, file_paused) VALUES (?1, ?2, '', NULL, ?3, ?4, ?5)",
                params![job, JOB_FORMAT, text(&Utc::now()), paused, file_paused],
            )?;
            return Ok(false);
        }
        // Resuming reschedules from now: the paused time is not replayed.
        self.conn.execute(
            "UPDATE jobs SET paused = ?1, file_paused = ?3, reschedule = CASE WHEN ?1 THEN reschedule ELSE 1 END WHERE id = ?2",
            params![paused, job, file_paused],
        )?;
        Ok(true)
    }

    fn run(&self, id: i64) -> Result<Option<RunRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM runs WHERE id = ?1");
        Ok(self.conn.query_row(&sql, params![id], row).optional()?)
    }

    fn request_run(&mut self, job: &str) -> Result<i64, StoreError> {
        requests::add(&self.conn, job)
    }

    fn take_requests(&mut self) -> Result<Vec<(i64, String)>, StoreError> {
        requests::take(&mut self.conn)
    }

    fn answer_request(&mut self, request: i64, answer: &Answer) -> Result<(), StoreError> {
        requests::answer(&self.conn, request, answer)
    }

    fn request_answer(&self, request: i64) -> Result<Option<Answer>, StoreError> {
        requests::read(&self.conn, request)
    }
}
