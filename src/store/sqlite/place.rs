//! Where a state file is: checks of its directory that create nothing, and
//! connections that read it without writing or creating anything.

use super::found::describe;
use crate::store::StoreError;
use rusqlite::{Connection, OpenFlags};
use std::fmt::Write as _;
use std::fs::File;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// How a message says to use another state file.
pub(super) const ELSEWHERE: &str =
    "set [scheduler] state in the schedule file (or --state PATH) to";

pub(super) fn open_error(path: &Path, message: impl Into<String>) -> StoreError {
    StoreError::Open {
        path: path.display().to_string(),
        message: message.into(),
    }
}

pub(super) fn failed(path: &Path, e: &rusqlite::Error) -> StoreError {
    open_error(path, describe(e))
}

/// Whether this process may write `path` (for a directory: create files in it).
pub(super) fn writable(path: &Path) -> bool {
    rustix::fs::access(path, rustix::fs::Access::WRITE_OK).is_ok()
}

/// `path` with `suffix` after its name (`s.db-wal`).
pub(super) fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The directory a state file is in (`.` for a bare name).
pub(super) fn directory(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

pub(super) fn not_a_directory(path: &Path) -> Result<(), StoreError> {
    if path.is_dir() {
        return Err(open_error(
            path,
            format!(
                "it is a directory, not a file; {ELSEWHERE} a file, such as {}",
                path.join("schedules.db").display()
            ),
        ));
    }
    Ok(())
}

/// Checks that `path` can be the state file of a scheduler: not a
/// directory, in a directory that exists and can be written (the file and
/// its -wal and -shm files are made there). Creates nothing.
pub(super) fn writable_place(path: &Path) -> Result<(), StoreError> {
    not_a_directory(path)?;
    let dir = directory(path);
    if !dir.is_dir() {
        let what = if dir.exists() {
            format!("{} is not a directory;", dir.display())
        } else {
            format!("directory {} does not exist; create it or", dir.display())
        };
        return Err(open_error(
            path,
            format!("{what} {ELSEWHERE} a file in an existing directory"),
        ));
    }
    let in_use = beside(path, "-wal").exists() && beside(path, "-shm").exists();
    if !writable(dir) && !in_use {
        return Err(open_error(
            path,
            format!(
                "directory {} cannot be written, and apsched keeps the state file and its -wal and -shm files there; make it writable, or {ELSEWHERE} a file in a writable directory",
                dir.display()
            ),
        ));
    }
    Ok(())
}

/// Whether the file's header says WAL mode.
pub(super) fn wal_mode(path: &Path) -> bool {
    let mut header = [0u8; 20];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok()
        && header.starts_with(b"SQLite format 3\0")
        && header[18] == 2
}

/// `path` as an SQLite URI that reads the file as it is: no locks, no
/// -wal or -shm file. Exact only while no connection writes it.
pub(super) fn immutable(path: &Path) -> Result<Connection, StoreError> {
    let absolute = std::path::absolute(path).map_err(|e| open_error(path, e.to_string()))?;
    let mut uri = String::from("file:");
    for b in absolute.as_os_str().as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(char::from(*b));
            }
            // Writing to a String cannot fail.
            _ => {
                let _ = write!(uri, "%{b:02X}");
            }
        }
    }
    uri.push_str("?immutable=1");
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(uri, flags).map_err(|e| failed(path, &e))
}

pub(super) fn read_only(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(path, flags).map_err(|e| failed(path, &e))
}

/// Whether no connection has the WAL-mode file at `path` open: one that
/// has keeps its -wal file.
pub(super) fn idle_wal(path: &Path) -> bool {
    wal_mode(path) && !beside(path, "-wal").exists()
}

/// A connection that reads `path` and writes or creates nothing: a WAL-mode
/// file nobody has open is read as immutable, so no -wal or -shm file is
/// left beside it.
pub(super) fn reader(path: &Path) -> Result<Connection, StoreError> {
    if idle_wal(path) {
        immutable(path)
    } else {
        read_only(path)
    }
}
