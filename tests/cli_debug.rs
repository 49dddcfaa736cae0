//! `apsched run -v`: the debug lines that answer "why hasn't my job run?".

mod common {
    pub mod sched;
}

use common::sched::{Dir, stop};
use std::process::Stdio;
use std::thread::sleep;
use std::time::Duration;

fn debug_lines(log: &str, event: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.contains(" DEBUG ") && l.split_whitespace().nth(2) == Some(event))
        .map(str::to_string)
        .collect()
}

#[test]
fn verbose_logs_sleeps_wake_ups_and_claims() {
    let dir = Dir::new("[jobs.t]\ncommand = \"echo hi\"\ntrigger = \"interval\"\nseconds = 1\n");
    let child = dir
        .command(None, &["run", "s.toml", "-v"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    sleep(Duration::from_millis(1600));
    let paused = dir.output(&["pause", "t", "-f", "s.toml"]);
    assert_eq!(paused.status.code(), Some(0));
    sleep(Duration::from_millis(300));
    let out = stop(child);
    let log = String::from_utf8_lossy(&out.stderr);
    let has = |event: &str, text: &str| {
        let lines = debug_lines(&log, event);
        assert!(
            lines.iter().any(|l| l.contains(text)),
            "no {event} with {text:?}:\n{log}"
        );
    };
    has("sleeping", "for=slot job=t");
    has("woke", "reason=timer");
    has("claimed", "job=t slot=");
    has("woke", "reason=child_exit job=t run=");
    has("output_saved", "bytes=3");
    has("woke", "reason=control job=t");
    has("woke", "reason=signal");
}

#[test]
fn without_verbose_there_are_no_debug_lines() {
    let dir = Dir::new("[jobs.t]\ncommand = \"true\"\ntrigger = \"interval\"\nseconds = 1\n");
    let (_, log) = dir.run_for(None, 1.3, &[]);
    assert!(!log.contains("DEBUG"), "{log}");
    assert!(log.contains("job_executed"), "{log}");
}
