//! State files that cannot be apsched's, through the real binary: a foreign
//! SQLite database is refused and left byte for byte as it was, a newer
//! state is refused by every command, damaged files and directories are
//! named, `check` validates the state path, and a directory that cannot be
//! written says so.

use crate::harness::{Dir, Output, Test};
use rusqlite::Connection;
use std::fs;
use std::path::Path;

const FILE: &str = r#"[scheduler]
timezone = "UTC"
state = "s.db"
[jobs.a]
command = "echo hi"
cron = "@daily"
"#;

fn setup() -> Dir {
    Dir::new().file("s.toml", FILE)
}

/// The commands that open the state, each as it is typed.
const COMMANDS: &[&[&str]] = &[
    &["run", "s.toml"],
    &["list", "s.toml"],
    &["history", "-f", "s.toml"],
    &["check", "s.toml"],
    &["pause", "a", "-f", "s.toml"],
    &["run-now", "a", "-f", "s.toml"],
];

/// Runs every command in `dir`; each must exit 4 with `message`.
fn refused_by_all(dir: &Path, message: &str) {
    refused_by_all_with(
        dir,
        &[&format!("apsched: error: state file s.db: {message}\n")],
    );
}

/// Runs every command in `dir`; each must exit 4 with one line that holds
/// each of `parts`.
fn refused_by_all_with(dir: &Path, parts: &[&str]) {
    for args in COMMANDS {
        let out = parts
            .iter()
            .fold(Test::new().dir(dir).args(*args), |t, p| {
                t.stderr_contains(p)
            })
            .status(4)
            .stdout("")
            .run();
        assert_eq!(out.stderr.lines().count(), 1, "{args:?}");
    }
}

/// The names and contents of the files in `dir`.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .expect("dir")
        .map(|e| {
            let e = e.expect("entry");
            let bytes = fs::read(e.path()).unwrap_or_default();
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    files.sort();
    files
}

fn sql(path: &Path, sql: &str) {
    Connection::open(path)
        .expect("open")
        .execute_batch(sql)
        .expect("sql");
}

#[test]
fn a_foreign_database_is_refused_and_left_unchanged() {
    for journal in ["DELETE", "WAL"] {
        let dir = setup();
        sql(
            &dir.path().join("s.db"),
            &format!(
                "PRAGMA journal_mode = {journal}; CREATE TABLE users (id); CREATE TABLE orders (id); INSERT INTO users VALUES (1);"
            ),
        );
        let before = snapshot(dir.path());
        refused_by_all(
            dir.path(),
            "it holds tables users, orders that apsched did not create; apsched keeps its state in a file of its own and left this one as it was: set [scheduler] state in the schedule file (or --state PATH) to another file",
        );
        assert!(before == snapshot(dir.path()), "{journal}: files changed");
    }
}

#[test]
fn an_empty_database_is_adopted() {
    let dir = setup();
    sql(
        &dir.path().join("s.db"),
        "CREATE TABLE t (x); DROP TABLE t;",
    );
    dir.apsched(["pause", "a", "-f", "s.toml"])
        .stdout_contains("paused job a")
        .run();
    dir.apsched(["list", "s.toml", "--json"])
        .stdout_contains("\"paused\": true")
        .run();
}

#[test]
fn a_newer_state_is_refused_by_every_command() {
    let dir = setup();
    dir.apsched(["pause", "a", "-f", "s.toml"]).run();
    sql(&dir.path().join("s.db"), "PRAGMA user_version = 99;");
    let before = snapshot(dir.path());
    refused_by_all_with(
        dir.path(),
        &[
            "apsched: error: state file s.db: it was written by a newer apsched (schema version 99, this one knows ",
            "); use that version, or another state file\n",
        ],
    );
    assert!(before == snapshot(dir.path()), "files changed");
}

#[test]
fn damaged_state_files_are_named() {
    let dir = setup();
    // Pseudo-random bytes: the cast keeps the low byte on purpose.
    #[allow(clippy::cast_possible_truncation)]
    let random: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    fs::write(dir.path().join("s.db"), &random).expect("write");
    refused_by_all(
        dir.path(),
        "it is not an SQLite database; set [scheduler] state in the schedule file (or --state PATH) to another file",
    );
    fs::remove_file(dir.path().join("s.db")).expect("remove");
    dir.apsched(["pause", "a", "-f", "s.toml"]).run();
    let path = dir.path().join("s.db");
    sql(
        &path,
        "INSERT INTO meta VALUES ('pad', hex(randomblob(30000)));",
    );
    let bytes = fs::read(&path).expect("read");
    fs::write(&path, &bytes[..bytes.len() / 2]).expect("truncate");
    refused_by_all_with(
        dir.path(),
        &[
            "apsched: error: state file s.db: it is damaged (",
            "); move it away to start afresh, without its history, or restore it from a backup\n",
        ],
    );
}

#[test]
fn a_directory_is_refused_by_every_command() {
    let dir = setup();
    fs::create_dir(dir.path().join("s.db")).expect("mkdir");
    refused_by_all(
        dir.path(),
        "it is a directory, not a file; set [scheduler] state in the schedule file (or --state PATH) to a file, such as s.db/schedules.db",
    );
}

#[test]
fn check_validates_the_state_path_and_creates_nothing() {
    let dir = setup();
    dir.apsched(["check", "s.toml"])
        .stdout_contains("s.toml: valid, 1 job")
        .run();
    dir.apsched(["check", "s.toml", "--state", "no/such/s.db"])
        .status(4)
        .stderr("apsched: error: state file no/such/s.db: directory no/such does not exist; create it or set [scheduler] state in the schedule file (or --state PATH) to a file in an existing directory\n")
        .run();
    assert_eq!(snapshot(dir.path()).len(), 1, "check created a file");
    fs::write(
        dir.path().join("empty.toml"),
        FILE.replace("\"s.db\"", "\"\""),
    )
    .expect("write");
    for command in ["check", "run", "list"] {
        dir.apsched([command, "empty.toml"])
            .status(3)
            .stderr("apsched: error: empty.toml:3:9: scheduler.state is empty (name a file, such as \"schedules.db\" beside this one, \":memory:\" to keep no state, or a PostgreSQL database (\"postgresql://…\"))\napsched: empty.toml has 1 problem\n")
            .run();
    }
    dir.apsched(["check", "s.toml", "--state", ""])
        .status(2)
        .stderr_contains("the state file name is empty")
        .run();
}

/// `apsched ARGS` run as the user nobody, if this machine allows it.
fn as_nobody(dir: &Path, args: &[&str]) -> Option<Output> {
    Test::new()
        .under([
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
        ])
        .args(args)
        .dir(dir)
        .try_output()
        .ok()
}

#[test]
fn a_directory_that_cannot_be_written_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = setup();
    // Root writes everywhere; run as nobody in a directory only root may write.
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
    let probe = as_nobody(dir.path(), &["--version"]);
    if probe.is_none_or(|o| o.code != Some(0)) {
        eprintln!("skipped: cannot run apsched as nobody here (setpriv --reuid=65534)");
        return;
    }
    let message = "apsched: error: state file s.db: directory . cannot be written, and apsched keeps the state file and its -wal and -shm files there; make it writable, or set [scheduler] state in the schedule file (or --state PATH) to a file in a writable directory\n";
    for exists in [false, true] {
        if exists {
            dir.apsched(["pause", "a", "-f", "s.toml"]).run();
            fs::set_permissions(dir.path().join("s.db"), fs::Permissions::from_mode(0o666))
                .expect("chmod");
        }
        for args in [
            &["run", "s.toml"][..],
            &["check", "s.toml"],
            &["pause", "a", "-f", "s.toml"],
        ] {
            let out = as_nobody(dir.path(), args).expect("runs");
            let err = out.stderr.as_str();
            assert_eq!((out.code, err), (Some(4), message), "{args:?}");
        }
    }
    // Reading needs no writing: list and history still work.
    let out = as_nobody(dir.path(), &["list", "s.toml", "--json"]).expect("runs");
    let text = &out.stdout;
    assert!(
        out.code == Some(0) && text.contains("\"paused\": true"),
        "{text}"
    );
    assert_eq!(snapshot(dir.path()).len(), 2, "files left behind");
}
