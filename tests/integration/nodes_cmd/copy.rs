//! `apsched state copy FROM TO`: the jobs' state and the run history from
//! an SQLite file into a PostgreSQL database and back, so that a scheduler
//! goes on where it left off; refused while a scheduler runs on either
//! side, and into a state that holds some unless `--force`.

use super::{node, schedule};
use crate::cluster::fixture::database;
use crate::harness::Dir;
use serde_json::Value;

/// A job every second (history), one every ten minutes anchored where the
/// scheduler first started it (its next run time shows whether the
/// anchor survived), and a yearly one to pause.
const JOBS: &str = r#"[jobs.tick]
command = "echo tick"
trigger = "interval"
seconds = 1

[jobs.ten]
command = "true"
trigger = "interval"
minutes = 10

[jobs.yearly]
command = "true"
cron = "0 0 1 1 *"
"#;

/// A directory whose `s.db` holds a few runs of `tick`, the anchor of
/// `ten`, and `yearly` paused.
fn used() -> Dir {
    let dir = schedule("s.db", JOBS);
    let running = dir.run().spawn();
    running.wait_for_stderr("job_executed job=tick", 2);
    running.stop();
    dir.apsched(["pause", "yearly", "-f", "s.toml"]).run();
    // A scheduler started afresh now would anchor `ten` a second later.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    dir
}

/// `list --json` against a state: (id, next run time, paused) per job.
/// One time only: the stored one; those after it depend on when `list`
/// runs (`tick`'s second time is a second after the clock's).
fn jobs(dir: &Dir, state: &str) -> Vec<(Value, Value, Value)> {
    let out = dir
        .apsched(["list", "s.toml", "--json", "-n", "1", "--state", state])
        .run();
    let list = out.json();
    list.as_array()
        .expect("an array")
        .iter()
        .map(|j| {
            (
                j["id"].clone(),
                j["next_run_times"].clone(),
                j["paused"].clone(),
            )
        })
        .collect()
}

/// `history --json` against a state, without the run numbers and nodes
/// (the copy's own): newest first.
fn runs(dir: &Dir, state: &str) -> Vec<Value> {
    let out = dir
        .apsched([
            "history", "-f", "s.toml", "--json", "-n", "1000", "--state", state,
        ])
        .run();
    let mut all = out.json().as_array().expect("an array").clone();
    for run in &mut all {
        let o = run.as_object_mut().expect("an object");
        o.remove("id");
        o.remove("node");
    }
    all
}

fn copy(dir: &Dir, args: &[&str]) -> String {
    let mut all = vec!["state", "copy"];
    all.extend(args);
    dir.apsched(all).run().stdout
}

#[test]
fn a_file_copied_into_a_database_and_back_goes_on_where_it_left_off() {
    let Some(dsn) = database() else { return };
    let dir = used();
    let (before, history) = (jobs(&dir, "s.db"), runs(&dir, "s.db"));
    assert!(history.len() >= 2, "{history:?}");
    assert_eq!(before[2].2, true, "yearly is paused");

    let said = copy(&dir, &["s.db", &dsn]);
    let want = format!(
        "copied 3 jobs and {} runs from s.db to database \"",
        history.len()
    );
    assert!(said.starts_with(&want), "{said}");
    assert!(said.ends_with(", cluster \"default\"\n"), "{said}");
    assert_eq!(jobs(&dir, &dsn), before);
    assert_eq!(runs(&dir, &dsn), history);
    // Output tails come along.
    let out = dir
        .apsched([
            "history", "-f", "s.toml", "--json", "-n", "1", "--state", &dsn,
        ])
        .run();
    let last = out.json()[0]["id"]
        .as_i64()
        .expect("a run number")
        .to_string();
    dir.apsched([
        "history", "-f", "s.toml", "--state", &dsn, "--output", &last,
    ])
    .stdout("tick\n")
    .run();

    // A node of the cluster starts from the copied next run time.
    let ten = before[1].1[0].as_str().expect("a time").to_string();
    let db = schedule(&dsn, JOBS);
    let n1 = node(&db, "n1");
    let started = n1.wait_for_stderr("job_added job=ten", 1);
    assert!(
        started.contains(&format!("job_added job=ten next_run_time={ten}")),
        "{started}"
    );
    n1.stop();

    // And back into a file, where a scheduler sees the same.
    let back = copy(&dir, &[&dsn, "back.db"]);
    assert!(back.contains(" to back.db\n"), "{back}");
    let now = jobs(&dir, "back.db");
    assert_eq!(now[1].1[0], ten.as_str());
    assert_eq!(now[2].2, true);
    assert!(runs(&dir, "back.db").len() > history.len());
}

#[test]
fn a_database_in_use_or_holding_state_is_refused_unless_forced() {
    let Some(dsn) = database() else { return };
    let dir = used();
    copy(&dir, &["s.db", &dsn]);
    dir.apsched(["state", "copy", "s.db", &dsn])
        .status(4)
        .stderr_contains("apsched: error: cannot copy the state: database \"")
        .stderr_contains(
            ", cluster \"default\" already holds jobs or runs; copy into another state, or pass --force to replace them\n",
        )
        .run();
    let forced = copy(&dir, &["--force", "s.db", &dsn]);
    assert!(forced.starts_with("copied 3 jobs and "), "{forced}");
    assert_eq!(runs(&dir, &dsn), runs(&dir, "s.db"), "replaced, not added");

    // Another cluster of the same database is empty: nothing to copy from
    // it, and it can be copied into.
    dir.apsched(["state", "copy", "--cluster", "other", &dsn, "x.db"])
        .status(4)
        .stderr_contains(
            ", cluster \"other\" holds no jobs or runs: there is nothing to copy (check the name and --cluster)\n",
        )
        .run();
    assert!(!dir.exists("x.db"));
    let other = copy(&dir, &["s.db", &dsn, "--cluster", "other"]);
    assert!(other.ends_with(", cluster \"other\"\n"), "{other}");

    // While a node of the cluster runs, neither way.
    let db = schedule(&dsn, JOBS);
    let n1 = node(&db, "n1");
    for (from, to) in [(dsn.as_str(), "y.db"), ("s.db", dsn.as_str())] {
        dir.apsched(["state", "copy", "--force", from, to])
            .status(4)
            .stderr_contains("apsched: error: cannot copy the state: apsched run uses database \"")
            .stderr_contains(
                "(node n1); stop it first, so that nothing changes the state while it is copied\n",
            )
            .run();
    }
    n1.stop();
}

#[test]
fn files_are_refused_while_in_use_holding_state_or_the_same() {
    let dir = used();
    let first = copy(&dir, &["s.db", "t.db"]);
    assert!(first.starts_with("copied 3 jobs and "), "{first}");
    assert!(first.ends_with(" runs from s.db to t.db\n"), "{first}");
    assert_eq!(jobs(&dir, "t.db"), jobs(&dir, "s.db"));
    dir.apsched(["state", "copy", "s.db", "t.db"])
        .status(4)
        .stderr(
            "apsched: error: cannot copy the state: t.db already holds jobs or runs; copy into another state, or pass --force to replace them\n",
        )
        .run();
    copy(&dir, &["s.db", "t.db", "--force"]);
    assert_eq!(runs(&dir, "t.db"), runs(&dir, "s.db"));
    let cases: [(&[&str], i32, &str); 4] = [
        (
            &["s.db", "./s.db"],
            2,
            "apsched: error: FROM and TO are the same state (s.db); name another state to copy into\n",
        ),
        (
            &["none.db", "u.db"],
            4,
            "apsched: error: cannot copy the state: none.db holds no jobs or runs: there is nothing to copy (check the name)\n",
        ),
        (
            &["s.db", ":memory:"],
            2,
            "error: invalid value ':memory:' for '<TO>': :memory: keeps no state, so there is nothing to copy to or from; name a state file or a PostgreSQL database\n",
        ),
        (
            &["s.db", "postgresql://h/db?nonsense=1"],
            2,
            "error: invalid value 'postgresql://h/db?nonsense=1' for '<TO>': is not a valid PostgreSQL connection string",
        ),
    ];
    for (args, status, want) in cases {
        let mut all = vec!["state", "copy"];
        all.extend(args);
        dir.apsched(all).status(status).stderr_contains(want).run();
    }
    assert!(!dir.exists("u.db"));
    // A scheduler on either file.
    let running = dir.apsched(["run", "s.toml", "--state", "t.db"]).spawn();
    running.wait_started();
    let pid = running.pid();
    for (from, to) in [("t.db", "v.db"), ("s.db", "t.db")] {
        dir.apsched(["state", "copy", "--force", from, to])
            .status(4)
            .stderr(&format!(
                "apsched: error: cannot copy the state: apsched run uses t.db (pid {pid}); stop it first, so that nothing changes the state while it is copied\n"
            ))
            .run();
    }
    running.stop();
    assert!(!dir.exists("v.db"));
}

#[test]
fn a_run_a_killed_scheduler_left_started_is_copied_unknown() {
    let dir = schedule(
        "s.db",
        "[jobs.slow]\ncommand = \"sleep 3\"\ntrigger = \"interval\"\nseconds = 1\n",
    );
    let running = dir.run().spawn();
    running.wait_for_stderr("job_submitted job=slow", 1);
    running.kill_9();
    // No schedule file is needed, only the two states.
    let elsewhere = Dir::new();
    let from = dir.join("s.db");
    let from = from.to_str().expect("a UTF-8 path");
    let said = elsewhere
        .apsched(["state", "copy", from, "t.db"])
        .run()
        .stdout;
    assert_eq!(
        said,
        format!("copied 1 job and 1 run from {from} to t.db\n")
    );
    let out = elsewhere
        .apsched(["history", "--state", "t.db", "-f", "-", "--json"])
        .stdin("[jobs.slow]\ncommand = \"true\"\ncron = \"@daily\"\n")
        .run();
    assert_eq!(out.json()[0]["result"], "unknown");
}
