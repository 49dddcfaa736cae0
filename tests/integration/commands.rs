//! Naming the schedule file (`FILE`, `-f`, `APSCHED_CONFIG`, `-` for
//! standard input) and the errors of commands that name a job or a run, run
//! as a user would.

use crate::harness::{Dir, Finished, Test};
use std::fs;
use std::path::Path;

const QUICK: &str = r#"[scheduler]
timezone = "UTC"
state = "quick.db"
[jobs.a]
command = "echo a"
cron = "@daily"
[jobs.b]
command = "echo b"
cron = "@hourly"
[jobs.c]
command = "echo c"
cron = "@weekly"
"#;

fn dir_with(name: &str, text: &str) -> Dir {
    Dir::new().file(name, text)
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
        dir.apsched(*args).run();
    }
    // run: an invalid file named by -f is read and refused.
    fs::write(
        dir.path().join("bad.toml"),
        r"[jobs.x]
command = 5
",
    )
    .expect("write");
    dir.apsched(["run", "-f", "bad.toml"])
        .status(3)
        .stderr_contains("bad.toml:2:11: jobs.x.command must be a string")
        .run();
    // APSCHED_CONFIG, for a command that used to take only -f.
    Test::new()
        .dir(dir.path())
        .env("APSCHED_CONFIG", "quick.toml")
        .args(["pause", "b"])
        .stdout("paused job b: it takes effect when apsched run starts\n")
        .run();
}

#[test]
fn a_file_given_twice_is_a_usage_error() {
    let dir = dir_with("quick.toml", QUICK);
    for command in ["check", "list", "run"] {
        dir.apsched([command, "quick.toml", "-f", "quick.toml"])
            .status(2)
            .stdout("")
            .stderr_contains("cannot be used with")
            .run();
    }
}

#[test]
fn hints_name_the_flag_of_the_command_at_hand() {
    let empty = Dir::new();
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
        empty
            .apsched(args)
            .status(1)
            .stderr(&format!("apsched: error: {missing} ({hint})\n"))
            .run();
    }
    // A job id that is really the schedule file.
    let dir = dir_with("quick.toml", QUICK);
    dir.apsched(["pause", "quick.toml"])
        .status(1)
        .stderr_contains("(did you mean -f quick.toml? The job id comes first, the file after -f)")
        .run();
    fs::write(dir.path().join("schedules.toml"), QUICK).expect("write");
    dir.apsched(["resume", "quick.toml"])
        .status(3)
        .stderr("apsched: error: no job \"quick.toml\" in schedules.toml (jobs: a, b, c): did you mean -f quick.toml?\n")
        .run();
}

#[test]
fn unknown_jobs_exit_3_and_name_the_jobs() {
    let dir = dir_with("quick.toml", QUICK);
    for command in ["pause", "resume", "run-now", "history"] {
        dir.apsched([command, "nosuch", "-f", "quick.toml"])
            .status(3)
            .stdout("")
            .stderr("apsched: error: no job \"nosuch\" in quick.toml (jobs: a, b, c)\n")
            .run();
    }
    dir.apsched(["pause", "bb", "-f", "quick.toml"])
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
        dir.apsched(["history", "-f", "quick.toml", "--output", "999"])
            .status(3)
            .stderr(stderr)
            .run();
    };
    no_run("apsched: error: no run 999 (no runs are recorded)\n");
    for _ in 0..2 {
        dir.apsched(["run-now", "a", "-f", "quick.toml"]).run();
    }
    no_run("apsched: error: no run 999 (runs 1-2 are recorded)\n");
}

#[test]
fn a_schedule_that_keeps_no_state_cannot_keep_a_pause() {
    let dir = dir_with("m.toml", &QUICK.replace("quick.db", ":memory:"));
    for command in ["pause", "resume"] {
        dir.apsched([command, "a", "-f", "m.toml"])
            .status(4)
            .stderr(&format!("apsched: error: the schedule keeps no state (state = \":memory:\"), so {command} has nothing to change (set [scheduler] state to a file to keep pauses)\n"))
            .run();
    }
}

#[test]
fn an_unusable_state_directory_names_both_ways_to_set_it() {
    let dir = dir_with("quick.toml", QUICK);
    for state in ["no/such/dir/s.db", "/proc/apsched-test.db"] {
        let out = dir
            .apsched(["pause", "a", "-f", "quick.toml", "--state", state])
            .status(4)
            .run();
        let err = out.stderr.clone();
        assert!(
            err.contains("set [scheduler] state in the schedule file (or --state PATH)"),
            "{err}"
        );
    }
}

#[test]
fn the_schedule_can_come_from_standard_input() {
    let dir = Dir::new();
    let no_state = QUICK.replace("state = \"quick.db\"\n", "");
    dir.apsched(["check", "-"])
        .stdin(&no_state)
        .stdout_contains("<stdin>: valid, 3 jobs (time zone UTC)\n")
        .run();
    dir.apsched(["list", "--json", "-f", "-"])
        .stdin(&no_state)
        .stdout_contains("\"id\": \"c\"")
        .run();
    // A state must be named: nothing is created beside standard input.
    dir.apsched(["pause", "a", "-f", "-"])
        .stdin(&no_state)
        .status(2)
        .stderr("apsched: error: the schedule comes from standard input, so its state file must be named: set [scheduler] state in it (relative to the current directory), or pass --state PATH (\":memory:\" keeps none)\n")
        .run();
    let names = |d: &Path| fs::read_dir(d).map_or(0, std::iter::Iterator::count);
    assert_eq!(names(dir.path()), 0, "no file was created");
    // Named in the file (relative to the current directory) or by --state.
    dir.apsched(["pause", "a", "-f", "-"]).stdin(QUICK).run();
    assert!(dir.path().join("quick.db").exists());
    dir.apsched(["history", "-f", "-", "--state", "other.db"])
        .stdin(&no_state)
        .stdout("no runs recorded\n")
        .run();
}

#[test]
fn a_schedule_from_standard_input_is_not_reloaded() {
    let running = Test::new()
        .args(["run", "-", "--state", ":memory:"])
        .stdin(QUICK)
        .spawn();
    running.wait_started();
    running.signal(libc::SIGHUP);
    running.wait_for_stderr("reload_failed", 1);
    let Finished {
        code, stderr: err, ..
    } = running.stop();
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("scheduler_started jobs=3"), "{err}");
    assert!(
        err.contains("reload_failed problem=\"the schedule came from standard input, which cannot be read again; restart apsched to change it\""),
        "{err}"
    );
}

/// The help says what apsched is in its own words (the doc comment of the
/// command line), not the package description.
#[test]
fn help_opens_with_what_apsched_is() {
    let out = Test::new().args(["--help"]).status(0).run();
    assert!(
        out.stdout.starts_with(
            "apsched: run commands on cron, interval and date schedules, with APScheduler's misfire grace time,\ncoalescing and persistent state\n"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Usage: apsched <COMMAND>"),
        "{}",
        out.stdout
    );
}
