//! Naming the schedule file (`FILE`, `-f`, `APSCHED_CONFIG`, `-` for
//! standard input) and the errors of commands that name a job or a run, run
//! as a user would.

mod support;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::sleep;
use std::time::Duration;
use support::Test;

const QUICK: &str = "[scheduler]\ntimezone = \"UTC\"\nstate = \"quick.db\"\n\
[jobs.a]\ncommand = \"echo a\"\ncron = \"@daily\"\n\
[jobs.b]\ncommand = \"echo b\"\ncron = \"@hourly\"\n\
[jobs.c]\ncommand = \"echo c\"\ncron = \"@weekly\"\n";

fn dir_with(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join(name), text).expect("write");
    dir
}

#[test]
fn every_command_that_reads_the_file_takes_dash_f() {
    let dir = dir_with("quick.toml", QUICK);
    let cases: &[&[&str]] = &[
        &["check", "-f", "quick.toml"],
        &["check", "--file", "quick.toml"],
        &["list", "-f", "quick.toml"],
        &["pause", "a", "-f", "quick.toml"],
        &["resume", "a", "-f", "quick.toml"],
        &["run-now", "a", "-f", "quick.toml"],
        &["history", "-f", "quick.toml"],
    ];
    for args in cases {
        Test::new().dir(dir.path()).args(args).run();
    }
    // run: an invalid file named by -f is read and refused.
    fs::write(dir.path().join("bad.toml"), "[jobs.x]\ncommand = 5\n").expect("write");
    Test::new()
        .dir(dir.path())
        .args(&["run", "-f", "bad.toml"])
        .status(3)
        .stderr_contains("bad.toml:2:11: jobs.x.command must be a string")
        .run();
    // APSCHED_CONFIG, for a command that used to take only -f.
    Test::new()
        .dir(dir.path())
        .env("APSCHED_CONFIG", "quick.toml")
        .args(&["pause", "b"])
        .stdout("paused job b: it takes effect when apsched run starts\n")
        .run();
}

#[test]
fn a_file_given_twice_is_a_usage_error() {
    let dir = dir_with("quick.toml", QUICK);
    for command in ["check", "list", "run"] {
        Test::new()
            .dir(dir.path())
            .args(&[command, "quick.toml", "-f", "quick.toml"])
            .status(2)
            .stdout("")
            .stderr_contains("cannot be used with")
            .run();
    }
}

#[test]
fn hints_name_the_flag_of_the_command_at_hand() {
    let empty = tempfile::tempdir().expect("temp dir");
    let missing =
        "cannot read the schedule file schedules.toml: No such file or directory (os error 2)";
    let cases = [
        (
            &["list"][..],
            "name one as an argument or with -f FILE, set APSCHED_CONFIG, or create schedules.toml",
        ),
        (
            &["pause", "a"][..],
            "name one with -f FILE, set APSCHED_CONFIG, or create schedules.toml",
        ),
        (
            &["history"][..],
            "name one with -f FILE, set APSCHED_CONFIG, or create schedules.toml",
        ),
    ];
    for (args, hint) in cases {
        Test::new()
            .dir(empty.path())
            .args(args)
            .status(1)
            .stderr(&format!("apsched: error: {missing} ({hint})\n"))
            .run();
    }
    // A job id that is really the schedule file.
    let dir = dir_with("quick.toml", QUICK);
    Test::new()
        .dir(dir.path())
        .args(&["pause", "quick.toml"])
        .status(1)
        .stderr_contains("(did you mean -f quick.toml? The job id comes first, the file after -f)")
        .run();
    fs::write(dir.path().join("schedules.toml"), QUICK).expect("write");
    Test::new()
        .dir(dir.path())
        .args(&["resume", "quick.toml"])
        .status(3)
        .stderr("apsched: error: no job \"quick.toml\" in schedules.toml (jobs: a, b, c): did you mean -f quick.toml?\n")
        .run();
}

#[test]
fn unknown_jobs_exit_3_and_name_the_jobs() {
    let dir = dir_with("quick.toml", QUICK);
    for command in ["pause", "resume", "run-now", "history"] {
        Test::new()
            .dir(dir.path())
            .args(&[command, "nosuch", "-f", "quick.toml"])
            .status(3)
            .stdout("")
            .stderr("apsched: error: no job \"nosuch\" in quick.toml (jobs: a, b, c)\n")
            .run();
    }
    Test::new()
        .dir(dir.path())
        .args(&["pause", "bb", "-f", "quick.toml"])
        .status(3)
        .stderr(
            "apsched: error: no job \"bb\" in quick.toml (jobs: a, b, c): did you mean \"b\"?\n",
        )
        .run();
}

#[test]
fn an_unknown_run_says_which_runs_are_recorded() {
    let dir = dir_with("quick.toml", QUICK);
    let no_run = |stderr: &str| {
        Test::new()
            .dir(dir.path())
            .args(&["history", "-f", "quick.toml", "--output", "999"])
            .status(3)
            .stderr(stderr)
            .run();
    };
    no_run("apsched: error: no run 999 (no runs are recorded)\n");
    for _ in 0..2 {
        Test::new()
            .dir(dir.path())
            .args(&["run-now", "a", "-f", "quick.toml"])
            .run();
    }
    no_run("apsched: error: no run 999 (runs 1-2 are recorded)\n");
}

#[test]
fn a_schedule_that_keeps_no_state_cannot_keep_a_pause() {
    let dir = dir_with("m.toml", &QUICK.replace("quick.db", ":memory:"));
    for command in ["pause", "resume"] {
        Test::new()
            .dir(dir.path())
            .args(&[command, "a", "-f", "m.toml"])
            .status(4)
            .stderr(&format!("apsched: error: the schedule keeps no state (state = \":memory:\"), so {command} has nothing to change (set [scheduler] state to a file to keep pauses)\n"))
            .run();
    }
}

#[test]
fn an_unusable_state_directory_names_both_ways_to_set_it() {
    let dir = dir_with("quick.toml", QUICK);
    for state in ["no/such/dir/s.db", "/proc/apsched-test.db"] {
        let out = Test::new()
            .dir(dir.path())
            .args(&["pause", "a", "-f", "quick.toml", "--state", state])
            .status(4)
            .run();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("set [scheduler] state in the schedule file (or --state PATH)"),
            "{err}"
        );
    }
}

#[test]
fn the_schedule_can_come_from_standard_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let no_state = QUICK.replace("state = \"quick.db\"\n", "");
    Test::new()
        .dir(dir.path())
        .args(&["check", "-"])
        .stdin(&no_state)
        .stdout_contains("<stdin>: valid, 3 jobs (time zone UTC)\n")
        .run();
    Test::new()
        .dir(dir.path())
        .args(&["list", "--json", "-f", "-"])
        .stdin(&no_state)
        .stdout_contains("\"id\": \"c\"")
        .run();
    // A state must be named: nothing is created beside standard input.
    Test::new()
        .dir(dir.path())
        .args(&["pause", "a", "-f", "-"])
        .stdin(&no_state)
        .status(2)
        .stderr("apsched: error: the schedule comes from standard input, so its state file must be named: set [scheduler] state in it (relative to the current directory), or pass --state PATH (\":memory:\" keeps none)\n")
        .run();
    let names = |d: &Path| fs::read_dir(d).map_or(0, |r| r.count());
    assert_eq!(names(dir.path()), 0, "no file was created");
    // Named in the file (relative to the current directory) or by --state.
    Test::new()
        .dir(dir.path())
        .args(&["pause", "a", "-f", "-"])
        .stdin(QUICK)
        .run();
    assert!(dir.path().join("quick.db").exists());
    Test::new()
        .dir(dir.path())
        .args(&["history", "-f", "-", "--state", "other.db"])
        .stdin(&no_state)
        .stdout("no runs recorded\n")
        .run();
}

#[test]
fn a_schedule_from_standard_input_is_not_reloaded() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_apsched"))
        .args(["run", "-", "--state", ":memory:"])
        .env("TZ", "UTC")
        .env_remove("APSCHED_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    if let Some(mut input) = child.stdin.take() {
        use std::io::Write;
        input.write_all(QUICK.as_bytes()).expect("write");
    }
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    sleep(Duration::from_millis(600));
    // SAFETY: signaling our own child.
    unsafe { libc::kill(pid, libc::SIGHUP) };
    sleep(Duration::from_millis(300));
    // SAFETY: as above.
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let out = child.wait_with_output().expect("ends");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("scheduler_started jobs=3"), "{err}");
    assert!(
        err.contains("reload_failed problem=\"the schedule came from standard input, which cannot be read again; restart apsched to change it\""),
        "{err}"
    );
}
