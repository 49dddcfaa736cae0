//! The SQLite store: one file, WAL mode, created with mode 0600, versioned
//! schema with migrations, and a lock so that one `apsched run` uses it at a
//! time while readers (`list`, `history`) go on. Opening, and refusing a
//! file that is not apsched's, is in `open`.

use super::{RunRow, StoreError};
use rusqlite::{Connection, OptionalExtension, params};
use std::fs::File;
use std::path::PathBuf;

/// Schema migrations; version N is reached by running `MIGRATIONS[N - 1]`.
const MIGRATIONS: &[&str] = &["
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        format INTEGER NOT NULL DEFAULT 1,
        fingerprint TEXT NOT NULL,
        next_run TEXT,
        anchor TEXT NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,
        reschedule INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        job TEXT NOT NULL,
        scheduled TEXT NOT NULL,
        scheduled_last TEXT,
        count INTEGER NOT NULL DEFAULT 1,
        started TEXT,
        ended TEXT,
        exit_status INTEGER,
        result TEXT NOT NULL,
        output BLOB,
        UNIQUE (job, scheduled)
    );
    CREATE INDEX runs_by_job ON runs (job, id);
    CREATE TABLE requests (id INTEGER PRIMARY KEY, job TEXT NOT NULL, at TEXT NOT NULL);
    CREATE TABLE set_aside (job TEXT NOT NULL, row TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
", "
    ALTER TABLE jobs ADD COLUMN file_paused INTEGER;
", "
    ALTER TABLE requests ADD COLUMN taken INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE requests ADD COLUMN run INTEGER;
    ALTER TABLE requests ADD COLUMN refused TEXT;
", "
    ALTER TABLE runs ADD COLUMN pid INTEGER;
    ALTER TABLE runs ADD COLUMN pid_identity TEXT;
"];

/// The row format of `jobs` this version writes and reads.
const JOB_FORMAT: i64 = 1;

pub struct SqliteStore {
    conn: Connection,
    /// The file, named in errors.
    path: PathBuf,
    /// Run-history rows kept per job.
    history: usize,
    /// Held for the scheduler's lifetime: the `flock` on the state file.
    _lock: Option<File>,
}

impl SqliteStore {
    fn meta(&self, key: &str) -> Option<String> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()
            .ok()
            .flatten()
    }

    // `history` is at most 1,000,000 (checked at parse time): it fits an i64.
    #[allow(clippy::cast_possible_wrap)]
    fn trim_history(&self, job: &str) -> Result<(), StoreError> {
        self.conn.prepare_cached("DELETE FROM runs WHERE job = ?1 AND id <= (SELECT id FROM runs WHERE job = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)")?.execute(params![job, self.history as i64],
        )?;
        Ok(())
    }
}

const JOB_COLUMNS: &str =
    "id, format, fingerprint, next_run, anchor, paused, reschedule, file_paused";

const COLUMNS: &str =
    "id, job, scheduled, scheduled_last, count, started, ended, exit_status, result, output";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RunRow> {
    Ok(RunRow {
        id: r.get(0)?,
        job: r.get(1)?,
        scheduled: r.get(2)?,
        scheduled_last: r.get(3)?,
        count: r.get(4)?,
        started: r.get(5)?,
        ended: r.get(6)?,
        exit_status: r.get(7)?,
        result: r.get(8)?,
        output: r.get(9)?,
        node: None,
        attempt: None,
        note: None,
    })
}

mod copy;
mod found;
pub(crate) use found::describe;
mod open;
mod ops;
mod place;
mod requests;
mod result;
mod state;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_open;
mod times;
