//! Opening state files that are not what they should be: every way of
//! opening refuses them with the file named, and leaves them as they were.

use super::SqliteStore;
use rusqlite::Connection;
use std::fs;
use std::path::{Path, PathBuf};

/// Every way a command opens a state file; the error text of each.
fn open_all(path: &Path) -> Vec<(&'static str, Option<String>)> {
    vec![
        (
            "run",
            SqliteStore::open_for_run(path, 10)
                .err()
                .map(|e| e.to_string()),
        ),
        (
            "pause",
            SqliteStore::open(path, 10).err().map(|e| e.to_string()),
        ),
        (
            "list",
            SqliteStore::open_read_only(path, 10)
                .err()
                .map(|e| e.to_string()),
        ),
        (
            "check",
            SqliteStore::check_path(path).err().map(|e| e.to_string()),
        ),
    ]
}

fn sqlite(path: &Path, sql: &str) {
    let conn = Connection::open(path).expect("open");
    conn.execute_batch(sql).expect("sql");
}

/// The files in `dir`, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn files_that_are_not_apscheds_are_refused_and_left_as_they_were() {
    type Make = fn(&Path) -> PathBuf;
    let cases: Vec<(&str, Make, &str)> = vec![
        (
            "foreign",
            |dir| {
                let path = dir.join("s.db");
                sqlite(&path, "CREATE TABLE users (id); CREATE TABLE orders (id);");
                path
            },
            "it holds tables users, orders that apsched did not create; apsched keeps its state in a file of its own and left this one as it was",
        ),
        (
            "foreign in WAL mode",
            |dir| {
                let path = dir.join("s.db");
                sqlite(&path, "PRAGMA journal_mode = WAL; CREATE TABLE users (id);");
                path
            },
            "it holds table users that apsched did not create",
        ),
        (
            "newer",
            |dir| {
                let path = dir.join("s.db");
                drop(SqliteStore::open_for_run(&path, 10).expect("open"));
                sqlite(&path, "PRAGMA user_version = 99;");
                path
            },
            "it was written by a newer apsched (schema version 99, this one knows ",
        ),
        (
            "text",
            |dir| {
                let path = dir.join("s.db");
                fs::write(&path, "not a database, only text, and long enough").expect("write");
                path
            },
            "it is not an SQLite database; set [scheduler] state in the schedule file (or --state PATH) to another file",
        ),
        (
            "truncated",
            |dir| {
                let path = dir.join("s.db");
                let store = SqliteStore::open_for_run(&path, 10).expect("open");
                store
                    .conn
                    .execute_batch("INSERT INTO meta VALUES ('pad', hex(randomblob(20000)))")
                    .expect("pad");
                drop(store);
                let bytes = fs::read(&path).expect("read");
                fs::write(&path, &bytes[..bytes.len() / 2]).expect("truncate");
                path
            },
            "it is damaged (",
        ),
        (
            "directory",
            |dir| {
                let path = dir.join("s.db");
                fs::create_dir(&path).expect("mkdir");
                path
            },
            "it is a directory, not a file; set [scheduler] state in the schedule file (or --state PATH) to a file, such as",
        ),
    ];
    for (name, make, want) in cases {
        let dir = tempfile::tempdir().expect("dir");
        let path = make(dir.path());
        let before = fs::read(&path).ok();
        let listed = files(dir.path());
        for (command, err) in open_all(&path) {
            let err = err.unwrap_or_else(|| panic!("{name}: {command} opened it"));
            assert!(
                err.starts_with(&format!("state file {}: ", path.display())) && err.contains(want),
                "{name}: {command}: {err}"
            );
        }
        assert_eq!(fs::read(&path).ok(), before, "{name}: changed");
        assert_eq!(files(dir.path()), listed, "{name}: files left behind");
    }
}

#[test]
fn an_empty_database_is_adopted_and_check_creates_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("s.db");
    assert!(SqliteStore::check_path(&path).is_ok());
    assert!(
        SqliteStore::open_read_only(&path, 10)
            .expect("list")
            .is_none()
    );
    assert_eq!(files(dir.path()), Vec::<String>::new(), "nothing created");
    sqlite(&path, "CREATE TABLE t (x); DROP TABLE t;");
    assert!(SqliteStore::check_path(&path).is_ok());
    assert!(
        SqliteStore::open_read_only(&path, 10)
            .expect("list")
            .is_none()
    );
    drop(SqliteStore::open_for_run(&path, 10).expect("adopted"));
    assert!(
        SqliteStore::open_read_only(&path, 10)
            .expect("list")
            .is_some()
    );
    assert!(SqliteStore::check_path(&path).is_ok());
    let missing = dir.path().join("no/s.db");
    let err = SqliteStore::check_path(&missing).expect_err("no directory");
    assert!(err.to_string().contains("does not exist"), "{err}");
    assert!(!dir.path().join("no").exists());
}
