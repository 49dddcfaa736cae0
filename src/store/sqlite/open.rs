//! Opening a state file. What the file holds is judged first, through a
//! connection that writes and creates nothing ([`found`]), so a file that
//! is not apsched's is refused and left byte for byte as it was; only then
//! come WAL mode and the migrations. A running scheduler also takes the
//! file's lock. Every error names the file.

use super::found::{self, Found};
use super::place::{
    ELSEWHERE, failed, idle_wal, immutable, not_a_directory, open_error, read_only, reader,
    writable, writable_place,
};
use super::{MIGRATIONS, SqliteStore};
use crate::store::StoreError;
use crate::text::plain;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, params};
use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::Duration;

/// The newest schema version this apsched knows.
// A handful of migrations: the count fits an i64.
#[allow(clippy::cast_possible_wrap)]
fn known() -> i64 {
    MIGRATIONS.len() as i64
}

fn newer(path: &Path, version: i64) -> StoreError {
    open_error(
        path,
        format!(
            "it was written by a newer apsched (schema version {version}, this one knows {}); use that version, or another state file",
            known()
        ),
    )
}

/// Tries to take the exclusive lock of a running scheduler on `file`
/// (`flock(LOCK_EX | LOCK_NB)`: held by the open file, released when it
/// closes, also when the scheduler is killed).
fn try_lock(file: &File) -> bool {
    file.try_lock().is_ok()
}

/// What the file at `path` holds, read without writing or creating
/// anything (a WAL-mode file nobody has open is read as immutable, so no
/// -wal or -shm file is left beside it).
fn judge_file(path: &Path) -> Result<Found, StoreError> {
    if std::fs::metadata(path).is_ok_and(|m| m.len() == 0) {
        return Ok(Found::Empty);
    }
    let conn = reader(path)?;
    found::inspect(&conn, known()).map_err(|e| failed(path, &e))
}

/// Refuses a file that is not apsched's, or is a newer apsched's.
fn admit(path: &Path) -> Result<Found, StoreError> {
    match judge_file(path)? {
        Found::Newer(version) => Err(newer(path, version)),
        Found::Foreign(what) => Err(open_error(
            path,
            format!(
                "{what}; apsched keeps its state in a file of its own and left this one as it was: {ELSEWHERE} another file"
            ),
        )),
        found => Ok(found),
    }
}

/// Fails unless SQLite finds the file's pages sound.
fn intact(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let verdict: String = conn
        .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
        .map_err(|e| failed(path, &e))?;
    if verdict != "ok" {
        let lines: Vec<&str> = verdict.lines().filter(|l| !l.starts_with("***")).collect();
        return Err(open_error(
            path,
            format!(
                "it is damaged ({}); move it away to start afresh, without its history, or restore it from a backup",
                plain(&lines.join("; "))
            ),
        ));
    }
    Ok(())
}

impl SqliteStore {
    fn configure(conn: Connection, path: &Path, history: usize) -> Result<SqliteStore, StoreError> {
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| failed(path, &e))?;
        intact(&conn, path)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| failed(path, &e))?;
        if mode != "wal" && mode != "memory" {
            return Err(open_error(
                path,
                format!("cannot use WAL mode (journal mode is {mode})"),
            ));
        }
        // A page cache of 512 KiB (SQLite's default is 2 MiB): the
        // scheduler reads the file only at start and writes a few pages
        // per run, so a larger cache buys nothing but resident memory.
        // Plans fixed at prepare time: without this, binding a new job id
        // to the history trim expires its plan, and every run prepared it
        // anew.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
            .map_err(|e| failed(path, &e))?;
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -512;",
        )
        .map_err(|e| failed(path, &e))?;
        let mut store = SqliteStore {
            conn,
            path: path.to_path_buf(),
            history,
            _lock: None,
        };
        store.migrate().map_err(|e| e.at(path))?;
        Ok(store)
    }

    // An index into the handful of migrations fits an i64.
    #[allow(clippy::cast_possible_wrap)]
    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > known() {
            return Err(newer(&self.path, version));
        }
        // A negative version skips every migration.
        let done = usize::try_from(version).unwrap_or(usize::MAX);
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(done) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Opens (creating if needed, mode 0600) the state of a running
    /// scheduler, taking its lock; fails if another scheduler holds it.
    // `_lock` is held only to be dropped with the store; it is never read.
    #[allow(clippy::used_underscore_binding)]
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
        admit(path)?;
        let conn = Connection::open(path).map_err(|e| failed(path, &e))?;
        let mut store = Self::configure(conn, path, history)?;
        store
            .conn
            .execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('runner_pid', ?1)",
                params![std::process::id().to_string()],
            )
            .map_err(|e| failed(path, &e))?;
        store._lock = Some(file);
        Ok(store)
    }

    /// Opens the state for a change from the command line (pause, resume,
    /// run-now), creating it if needed; no lock.
    pub fn open(path: &Path, history: usize) -> Result<SqliteStore, StoreError> {
        Self::create(path)?;
        admit(path)?;
        let conn = Connection::open(path).map_err(|e| failed(path, &e))?;
        Self::configure(conn, path, history)
    }

    /// Opens an existing state read-only (`list`, `history`); `None` if there
    /// is none. A file that is not apsched's, or is a newer apsched's, is
    /// refused.
    pub fn open_read_only(path: &Path, history: usize) -> Result<Option<SqliteStore>, StoreError> {
        not_a_directory(path)?;
        if !path.exists() {
            return Ok(None);
        }
        if admit(path)? == Found::Empty {
            return Ok(None);
        }
        let mut conn = read_only(path)?;
        // In a directory that cannot be written SQLite cannot make the -shm
        // file a WAL-mode reader needs; with no -wal file nobody writes, so
        // the file as it is is exact.
        if conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })
            .is_err()
            && idle_wal(path)
        {
            conn = immutable(path)?;
        }
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| failed(path, &e))?;
        Ok(Some(SqliteStore {
            conn,
            path: path.to_path_buf(),
            history,
            _lock: None,
        }))
    }

    /// Checks, creating and changing nothing, that `path` can be the state
    /// file of `apsched run` (`check`): not a directory, in a directory that
    /// exists and can be written; if it exists, writable, apsched's, sound.
    pub fn check_path(path: &Path) -> Result<(), StoreError> {
        writable_place(path)?;
        if !path.exists() {
            return Ok(());
        }
        if !writable(path) {
            return Err(open_error(
                path,
                format!("it cannot be written; make it writable, or {ELSEWHERE} another file"),
            ));
        }
        if admit(path)? == Found::Empty {
            return Ok(());
        }
        intact(&reader(path)?, path)
    }

    /// A store that keeps nothing (`state = ":memory:"`).
    pub fn memory(history: usize) -> Result<SqliteStore, StoreError> {
        let path = Path::new(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| failed(path, &e))?;
        Self::configure(conn, path, history)
    }

    /// The pid of the scheduler running on `path`, if one holds its lock.
    #[must_use]
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
        writable_place(path)?;
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
                        "cannot open it for writing: {e}; make it writable, or {ELSEWHERE} a writable place"
                    ),
                )
            })
    }
}
