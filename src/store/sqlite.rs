//! The SQLite store: one file, WAL mode, created with mode 0600, versioned
//! schema with migrations, and a lock so that one `apsched run` uses it at a
//! time while readers (`list`, `history`) go on.

use super::{JobState, RunRow, StoreError};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Duration;

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
    /// Run-history rows kept per job.
    history: usize,
    /// Held for the scheduler's lifetime: the `flock` on the state file.
    _lock: Option<File>,
}

fn open_error(path: &Path, message: impl Into<String>) -> StoreError {
    StoreError::Open {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// Tries to take the exclusive lock of a running scheduler on `file`.
fn try_lock(file: &File) -> bool {
    // SAFETY: flock on a descriptor we own; no memory is involved.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

impl SqliteStore {
    fn configure(conn: Connection, path: &Path, history: usize) -> Result<SqliteStore, StoreError> {
        conn.busy_timeout(Duration::from_secs(5))?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| open_error(path, format!("{e} (is it an SQLite database?)")))?;
        if mode != "wal" && mode != "memory" {
            return Err(open_error(
                path,
                format!("cannot use WAL mode (journal mode is {mode})"),
            ));
        }
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
        let mut store = SqliteStore {
            conn,
            history,
            _lock: None,
        };
        store.migrate(path)?;
        Ok(store)
    }

    fn migrate(&mut self, path: &Path) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(open_error(
                path,
                format!(
                    "it was written by a newer apsched (schema version {version}, this one knows {known}); use that version, or another state file"
                ),
            ));
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Opens (creating if needed, mode 0600) the state of a running
    /// scheduler, taking its lock; fails if another scheduler holds it.
    pub fn open_for_run(path: &Path, history: usize) -> Result<SqliteStore, StoreError> {
        let file = Self::create(path)?;
        if !try_lock(&file) {
            let pid = Self::open_read_only(path, history)
                .ok()
                .flatten()
                .and_then(|s| s.meta("runner_pid"))
                .unwrap_or_else(|| "unknown".into());
            return Err(StoreError::Locked {
                path: path.display().to_string(),
                pid,
            });
        }
        let conn = Connection::open(path).map_err(|e| open_error(path, e.to_string()))?;
        let mut store = Self::configure(conn, path, history)?;
        store.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('runner_pid', ?1)",
            params![std::process::id().to_string()],
        )?;
        store._lock = Some(file);
        Ok(store)
    }

    /// Opens the state for a change from the command line (pause, resume,
    /// run-now), creating it if needed; no lock.
    pub fn open(path: &Path, history: usize) -> Result<SqliteStore, StoreError> {
        Self::create(path)?;
        let conn = Connection::open(path).map_err(|e| open_error(path, e.to_string()))?;
        Self::configure(conn, path, history)
    }

    /// Opens an existing state read-only (`list`, `history`); `None` if there is none.
    pub fn open_read_only(path: &Path, history: usize) -> Result<Option<SqliteStore>, StoreError> {
        if !path.exists() {
            return Ok(None);
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| open_error(path, e.to_string()))?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let store = SqliteStore {
            conn,
            history,
            _lock: None,
        };
        let version: i64 = store
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| open_error(path, format!("{e} (is it an SQLite database?)")))?;
        if version == 0 {
            return Ok(None);
        }
        Ok(Some(store))
    }

    /// A store that keeps nothing (`state = ":memory:"`).
    pub fn memory(history: usize) -> Result<SqliteStore, StoreError> {
        Self::configure(
            Connection::open_in_memory()?,
            Path::new(":memory:"),
            history,
        )
    }

    /// The pid of the scheduler running on `path`, if one holds its lock.
    pub fn runner(path: &Path) -> Option<String> {
        let file = File::open(path).ok()?;
        if try_lock(&file) {
            return None; // nobody holds it; dropping the file releases ours
        }
        Self::open_read_only(path, 1)
            .ok()
            .flatten()?
            .meta("runner_pid")
    }

    fn create(path: &Path) -> Result<File, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            {
                return Err(open_error(
                    path,
                    format!(
                        "directory {} does not exist; create it or set [scheduler] state in the schedule file (or --state PATH) to a file in an existing directory",
                        dir.display()
                    ),
                ));
            }
        }
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)
            .map_err(|e| {
                open_error(
                    path,
                    format!(
                        "cannot open it for writing: {e}; set [scheduler] state in the schedule file (or --state PATH) to a writable place"
                    ),
                )
            })
    }

    fn meta(&self, key: &str) -> Option<String> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()
            .ok()
            .flatten()
    }

    /// Starts a transaction grouping the writes up to [`SqliteStore::commit`]
    /// (many jobs saved at start or reload). Claims must not happen inside.
    pub fn begin(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch("BEGIN")?;
        Ok(())
    }

    /// Commits what [`SqliteStore::begin`] started.
    pub fn commit(&mut self) -> Result<(), StoreError> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }

    /// The newest finished-or-started run of every job, for `list`.
    pub fn last_runs(&self) -> Result<Vec<RunRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM runs WHERE id IN (SELECT max(id) FROM runs WHERE result != 'pending' GROUP BY job)"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The paused flag of every job (read by a running scheduler on SIGUSR1).
    pub fn job_states(&self) -> Result<Vec<(String, bool)>, StoreError> {
        let mut stmt = self.conn.prepare("SELECT id, paused FROM jobs")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? != 0)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The saved state of one job, if it can be read.
    pub fn saved_job(&self, id: &str) -> Result<Option<JobState>, StoreError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1");
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(params![id])?;
        Ok(match rows.next()? {
            Some(r) => ops::read_job(r).ok().map(|(_, state)| state),
            None => None,
        })
    }

    /// A small write that proves the store writable again.
    pub fn touch(&mut self) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('touched', ?1)",
            params![super::text(&chrono::Utc::now())],
        )?;
        Ok(())
    }

    /// The first and last run numbers recorded (of one job, or all).
    pub fn id_range(&self, job: Option<&str>) -> Result<Option<(i64, i64)>, StoreError> {
        let range: (Option<i64>, Option<i64>) = self.conn.query_row(
            "SELECT min(id), max(id) FROM runs WHERE (?1 IS NULL OR job = ?1)",
            params![job],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(range.0.zip(range.1))
    }

    /// The saved state of every job that can be read, without changing
    /// anything (`list`); unreadable rows are left out.
    pub fn saved_jobs(&self) -> Result<HashMap<String, JobState>, StoreError> {
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
    })
}

mod ops;
mod requests;
#[cfg(test)]
mod tests;
