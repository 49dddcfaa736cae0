//! An idle `apsched run -v`: it sleeps until the next run time however far
//! away, with no wake-up in between (the clock watch notices clock steps),
//! and with nothing due until something wakes it.

use crate::harness::Dir;
use chrono::{Datelike, Utc};

/// The `sleeping` debug lines of a log.
fn sleeping(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.split_whitespace().nth(2) == Some("sleeping"))
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
    let log = running.stop().stderr;
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
