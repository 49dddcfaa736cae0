//! Faults from outside, through the real binary: a state file on a full
//! filesystem. Mounting a small tmpfs needs root; without it (and without
//! APSCHED_REQUIRE_MOUNT=1, which `.ci/run` sets) the test says so and passes.

mod common {
    pub mod sched;
}

use common::sched::{Dir, alive, start_logged as start, stop};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// A small tmpfs, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        fs::create_dir_all(at).expect("mount point");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        if !ok && std::env::var_os("APSCHED_REQUIRE_MOUNT").is_some() {
            panic!("cannot mount a tmpfs (run as root)");
        }
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs (not root?)");
        }
        ok.then(|| Tmpfs(at.to_path_buf()))
    }

    /// Fills it up; returns the filler file.
    fn fill(&self) -> PathBuf {
        let filler = self.0.join("filler");
        let mut file = fs::File::create(&filler).expect("filler");
        let chunk = vec![0u8; 4096];
        while std::io::Write::write_all(&mut file, &chunk).is_ok() {}
        filler
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

const JOBS: &str = "[jobs.a]\ncommand = \"echo a $APSCHED_SCHEDULED_TIME >> runs.txt\"\ncron = \"* * * * * *\"\n\
[jobs.b]\ncommand = \"echo b $APSCHED_SCHEDULED_TIME >> runs.txt\"\ncron = \"* * * * * *\"\n";

fn wait_for(path: &Path, text: &str, limit: Duration) -> String {
    let began = Instant::now();
    loop {
        let log = fs::read_to_string(path).unwrap_or_default();
        if log.contains(text) || began.elapsed() > limit {
            return log;
        }
        sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_full_disk_holds_runs_and_never_replays_a_slot() {
    let dir = Dir::with_head(
        "[scheduler]\ntimezone = \"UTC\"\nstate = \"fs/s.db\"\nshutdown_timeout = \"2s\"\n",
        JOBS,
    );
    let Some(fs) = Tmpfs::mount(&dir.path().join("fs"), "2m") else {
        return;
    };
    let child = start(&dir, "first.log");
    sleep(Duration::from_millis(1500));
    let filler = fs.fill();
    let log_path = dir.path().join("first.log");
    let log = wait_for(&log_path, "state_failing", Duration::from_secs(8));
    assert!(log.contains("state_failing"), "{log}");
    assert!(
        log.contains("fs/s.db: database or disk is full"),
        "names the file: {log}"
    );
    let runs_at_failure = fs::read_to_string(dir.path().join("runs.txt")).unwrap_or_default();
    sleep(Duration::from_millis(1500));
    let runs_later = fs::read_to_string(dir.path().join("runs.txt")).unwrap_or_default();
    assert!(
        runs_later.lines().count() <= runs_at_failure.lines().count() + 2,
        "runs went on while the state could not be written"
    );
    fs::remove_file(&filler).expect("free the space");
    let log = wait_for(&log_path, "state_recovered", Duration::from_secs(10));
    assert!(log.contains("state_recovered"), "{log}");
    sleep(Duration::from_millis(1200));
    let out = stop(child);
    assert_eq!(out.status.code(), Some(0), "recovered, so a clean exit");
    let log = fs::read_to_string(&log_path).expect("log");
    assert_eq!(
        log.matches("state_failing").count(),
        1,
        "once per episode:\n{log}"
    );
    assert!(!log.contains("already claimed"), "{log}");

    // A restart goes on without replaying anything.
    let child = start(&dir, "second.log");
    sleep(Duration::from_millis(1500));
    stop(child);
    let runs = fs::read_to_string(dir.path().join("runs.txt")).expect("runs");
    let mut seen = HashSet::new();
    for line in runs.lines() {
        assert!(seen.insert(line), "{line} ran twice:\n{runs}");
    }
    // Every run that happened was claimed first: it has a history row.
    let rows = dir.history();
    let recorded: HashSet<String> = rows
        .iter()
        .filter(|r| r["count"] == 1)
        .map(|r| {
            format!(
                "{} {}",
                r["job"].as_str().unwrap_or(""),
                r["scheduled"].as_str().unwrap_or("")
            )
        })
        .collect();
    for line in runs.lines() {
        assert!(
            recorded.contains(line),
            "{line} ran without a recorded claim"
        );
    }
}

#[test]
fn a_second_sigterm_kills_jobs_that_ignore_the_first_at_once() {
    let dir = Dir::with_head(
        "[scheduler]\ntimezone = \"UTC\"\nstate = \":memory:\"\nshutdown_timeout = \"30s\"\n",
        "[jobs.stubborn]\ncommand = \"trap '' TERM; echo $$ > leader; sleep 30 & echo $! > child; wait\"\ncron = \"* * * * * *\"\n",
    );
    let child = start(&dir, "log");
    sleep(Duration::from_millis(1500));
    let leader = fs::read_to_string(dir.path().join("leader")).expect("the job started");
    let grandchild = fs::read_to_string(dir.path().join("child")).expect("its child started");
    assert!(alive(&leader) && alive(&grandchild));
    common::sched::signal(&child, libc::SIGTERM);
    sleep(Duration::from_millis(300));
    let began = Instant::now();
    let out = stop(child);
    let took = began.elapsed();
    assert_eq!(out.status.code(), Some(0));
    assert!(took < Duration::from_secs(2), "took {took:?}");
    sleep(Duration::from_millis(200));
    assert!(!alive(&leader), "the job's leader is gone");
    assert!(!alive(&grandchild), "and its whole process group");
    let log = fs::read_to_string(dir.path().join("log")).expect("log");
    assert!(log.contains("job_killed job=stubborn"), "{log}");
}
