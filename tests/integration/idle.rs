//! An idle `apsched run -v`: it sleeps until the next run time however far
//! away, with no wake-up in between (the clock watch notices clock steps),
//! with nothing due until something wakes it, and so under libfaketime too.

use crate::harness::Dir;
use crate::harness::poll::{PATIENCE, until};
use chrono::{Datelike, Utc};

/// The `sleeping` debug lines of a log.
fn sleeping(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.split_whitespace().nth(2) == Some("sleeping"))
        .collect()
}

/// The names of a process's threads.
fn threads(pid: u32) -> Vec<String> {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).expect("/proc/PID/task");
    (tasks.flatten())
        .filter_map(|t| std::fs::read_to_string(t.path().join("comm")).ok())
        .map(|name| name.trim_end().to_string())
        .collect()
}

#[test]
fn it_sleeps_until_the_next_run_time_not_a_minute() {
    let dir = Dir::schedule(
        r#"[jobs.new_year]
command = "true"
cron = "0 0 1 1 *"
"#,
    );
    let running = dir.run().args(["-v"]).spawn();
    running.wait_for_stderr(" sleeping ", 1);
    // The thread that notices clock steps runs (a new thread has its
    // process's name until it names itself).
    let clock = || threads(running.pid()).iter().any(|t| t == "apsched-clock");
    let named = until(PATIENCE, clock);
    let threads = threads(running.pid());
    let log = running.stop().stderr;
    assert!(named, "{threads:?}");
    assert!(!log.contains("clock_watch_failed"), "{log}");
    let next = Utc::now().year() + 1;
    let want = format!("sleeping until={next}-01-01T00:00:00.000Z for=slot job=new_year");
    let lines = sleeping(&log);
    assert!(
        lines.first().is_some_and(|l| l.ends_with(&want)),
        "no {want:?}:\n{log}"
    );
    assert!(!log.contains("for=clock_check"), "{log}");
    assert!(!log.contains("reason=timer"), "{log}");
}

#[test]
fn with_nothing_due_it_sleeps_until_woken() {
    let dir = Dir::schedule(
        r#"[jobs.held]
command = "true"
cron = "* * * * *"
"#,
    );
    let paused = dir.apsched(["pause", "held", "-f", "s.toml"]).output();
    assert_eq!(paused.code, Some(0), "{}", paused.stderr);
    let running = dir.run().args(["-v"]).spawn();
    running.wait_for_stderr(" sleeping ", 1);
    let log = running.stop().stderr;
    assert!(
        sleeping(&log)
            .first()
            .is_some_and(|l| l.ends_with("DEBUG sleeping for=nothing_due")),
        "{log}"
    );
    assert!(log.contains("woke reason=signal"), "{log}");
}

#[test]
fn under_a_fake_clock_it_sleeps_until_the_fake_next_run_time() {
    if !crate::harness::faketime() {
        return;
    }
    // libfaketime fakes the clock apsched reads, not the kernel's timers:
    // the clock watch's timer must neither fire nor be cancelled by it.
    let dir = Dir::schedule(
        r#"[jobs.evening]
command = "true"
cron = "0 22 * * *"
"#,
    );
    let running = dir.run().args(["-v"]).at("2027-06-01 12:00:00").spawn();
    running.wait_for_stderr(" sleeping ", 1);
    running.sleep_ms(500);
    let log = running.stop().stderr;
    let lines = sleeping(&log);
    assert_eq!(lines.len(), 1, "{log}");
    assert!(
        lines[0].ends_with("sleeping until=2027-06-01T22:00:00.000Z for=slot job=evening"),
        "{log}"
    );
    assert!(!log.contains("reason=clock_set"), "{log}");
}
