//! Naming a PostgreSQL state, through the real binary, without a server:
//! `$APSCHED_DATABASE_URL` wins over the file and `--state` over it, a
//! value that is not a connection string is a usage error, a password is
//! never printed, `password_file` is read, and `--node-id` is checked.
//! (What a cluster does is in `cluster`, against a real server.)

use crate::harness::{Dir, Test};

const FILE: &str = r#"[scheduler]
timezone = "UTC"
state = "s.db"
[jobs.a]
command = "echo hi"
cron = "@daily"
"#;

/// A database nobody serves: connecting fails at once (no such socket).
const NOWHERE: &str = "host=/nonexistent/apsched port=5999 user=apsched dbname=jobs";

#[test]
fn the_database_url_wins_over_the_file_and_the_flag_over_both() {
    let dir = Dir::new().file("s.toml", FILE);
    let cannot = "apsched: error: PostgreSQL state database: cannot connect to database \"jobs\" on /nonexistent/apsched";
    for args in [
        &["check", "s.toml"][..],
        &["list", "s.toml"],
        &["history", "-f", "s.toml"],
    ] {
        Test::new()
            .dir(dir.path())
            .env("APSCHED_DATABASE_URL", NOWHERE)
            .args(args)
            .status(4)
            .stderr_contains(cannot)
            .run();
    }
    Test::new()
        .dir(dir.path())
        .env("APSCHED_DATABASE_URL", NOWHERE)
        .args(["check", "s.toml", "--state", "other.db"])
        .status(0)
        .run();
    Test::new()
        .dir(dir.path())
        .args(["check", "s.toml", "--state", NOWHERE])
        .status(4)
        .stderr_contains(cannot)
        .run();
}

#[test]
fn a_database_url_that_is_not_one_is_a_usage_error() {
    let dir = Dir::new().file("s.toml", FILE);
    Test::new()
        .dir(dir.path())
        .env("APSCHED_DATABASE_URL", "/var/lib/apsched.db")
        .args(["list", "s.toml"])
        .status(2)
        .stderr("apsched: error: APSCHED_DATABASE_URL is not a PostgreSQL connection string (postgresql://… or key=value); set it to postgresql://USER@HOST/DB (or key=value), or unset it to use [scheduler] state\n")
        .run();
}

#[test]
fn passwords_are_never_printed() {
    let file = FILE.replace(
        "state = \"s.db\"",
        "state = \"postgresql://apsched:hunter2@/jobs?host=/nonexistent/apsched&sslmode=bogus\"",
    );
    let dir = Dir::new().file("s.toml", &file);
    let out = Test::new()
        .dir(dir.path())
        .args(["check", "s.toml"])
        .status(3)
        .stderr_contains("s.toml:3:9: scheduler.state is not a valid PostgreSQL connection string")
        .run();
    assert!(!out.stderr.contains("hunter2"), "{}", out.stderr);
    let file = FILE.replace(
        "state = \"s.db\"",
        "state = \"postgresql://apsched:hunter2@/jobs?host=/nonexistent/apsched\"",
    );
    let dir = Dir::new().file("s.toml", &file);
    let out = Test::new()
        .dir(dir.path())
        .args(["run", "s.toml"])
        .status(4)
        .stderr_contains("cannot connect to database \"jobs\" on /nonexistent/apsched")
        .run();
    assert!(!out.stderr.contains("hunter2"), "{}", out.stderr);
}

#[test]
fn the_password_file_is_read_beside_the_schedule() {
    let file = FILE.replace(
        "state = \"s.db\"",
        &format!("state = \"{NOWHERE}\"\npassword_file = \"missing-secret\""),
    );
    let dir = Dir::new().file("s.toml", &file);
    Test::new()
        .dir(dir.path())
        .args(["list", "s.toml"])
        .status(4)
        .stderr_contains("cannot read the password file ")
        .stderr_contains("missing-secret: No such file or directory")
        .run();
}

#[test]
fn node_ids_are_checked() {
    let dir = Dir::new().file("s.toml", FILE);
    Test::new()
        .dir(dir.path())
        .args(["run", "s.toml", "--node-id", "has space"])
        .status(2)
        .stderr_contains("invalid value 'has space' for '--node-id <ID>': use 1 to 64 letters, digits, '.', '_' or '-'")
        .run();
}
