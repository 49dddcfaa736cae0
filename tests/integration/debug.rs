//! `apsched run -v`: the debug lines that answer "why hasn't my job run?".

use crate::harness::Dir;

fn debug_lines(log: &str, event: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.contains(" DEBUG ") && l.split_whitespace().nth(2) == Some(event))
        .map(str::to_string)
        .collect()
}

#[test]
fn verbose_logs_sleeps_wake_ups_and_claims() {
    let dir = Dir::schedule(
        r#"[jobs.t]
command = "echo hi"
trigger = "interval"
seconds = 1
"#,
    );
    let running = dir.run().args(["-v"]).spawn();
    running.wait_for_stderr("job_executed job=t", 1);
    let paused = dir.apsched(["pause", "t", "-f", "s.toml"]).output();
    assert_eq!(paused.code, Some(0));
    running.wait_for_stderr("reason=control job=t", 1);
    let log = running.stop().stderr;
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
    let dir = Dir::schedule(
        r#"[jobs.t]
command = "true"
trigger = "interval"
seconds = 1
"#,
    );
    let running = dir.run().spawn();
    running.wait_for_stderr("job_executed", 1);
    let log = running.stop().stderr;
    assert!(!log.contains("DEBUG"), "{log}");
    assert!(log.contains("job_executed"), "{log}");
}
