//! How hooks run: timeouts and kills, no hook for a failed hook, the
//! concurrency cap, shutdown.

use super::*;

#[test]
fn a_hanging_hook_is_ended_at_its_timeout_and_jobs_fire_on_time_meanwhile() {
    let dir = schedule(
        r#"[hooks]
timeout = "2s"
on_failure = "sleep 60 & echo $$ $! > hook.pids; wait"
[jobs.fail]
command = "exit 1"
trigger = "startup"
[jobs.tick]
command = "true"
trigger = "interval"
seconds = 1
"#,
    );
    let run = dir.run().spawn();
    let pids = lines_in(&dir.join("hook.pids"), 1);
    let pids: Vec<String> = pids.split_whitespace().map(str::to_string).collect();
    assert_eq!(pids.len(), 2, "{pids:?}");
    assert!(pids.iter().all(|p| alive(p)), "the hook runs");
    let log = run.wait_for_stderr("hook_failed", 1);
    assert!(
        until(PATIENCE, || pids.iter().all(|p| !alive(p))),
        "the hook's whole process group ended"
    );
    run.stop();
    assert!(
        log.contains(
            "hook_failed hook=on_failure hook_event=job_failed job=fail reason=\"timed out after 2s\""
        ),
        "{log}"
    );
    // tick fired every second while the hook hung, each on time.
    let submitted: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("job_submitted job=tick"))
        .collect();
    assert!(submitted.len() >= 2, "{log}");
    for line in submitted {
        let at = &line[17..23];
        let slot = line.split("scheduled=").nth(1).unwrap_or_default();
        assert_eq!(&slot[17..19], &at[..2], "late: {line}");
        let ms: u32 = at[3..6].parse().unwrap_or(999);
        assert!(ms < 500, "late: {line}");
    }
}

#[test]
fn a_hook_that_ignores_sigterm_is_killed_5_seconds_later() {
    let dir = schedule(
        r#"[hooks]
timeout = "1s"
on_failure = "trap '' TERM; echo $$ > hook.pid; while :; do sleep 0.2; done"
[jobs.fail]
command = "exit 1"
trigger = "startup"
"#,
    );
    let run = dir.run().spawn();
    let pid = lines_in(&dir.join("hook.pid"), 1);
    let began = std::time::Instant::now();
    let log = run.wait_for_stderr("hook_failed", 1);
    let took = began.elapsed().as_secs_f64();
    assert!(log.contains("reason=\"timed out after 1s\""), "{log}");
    assert!((5.0..9.0).contains(&took), "killed after {took}s");
    assert!(!alive(&pid), "the hook is gone");
    run.stop();
}

#[test]
fn a_failing_hook_is_logged_and_runs_no_hook() {
    let dir = schedule(
        r#"[hooks]
on_failure = "echo $APSCHED_EVENT >> calls; exit 7"
[jobs.fail]
command = "exit 1"
trigger = "interval"
seconds = 1
"#,
    );
    let run = dir.run().spawn();
    run.wait_for_stderr("hook_failed", 2);
    let done = run.stop();
    let failures = field(&done.stderr, "job_error", "run").len();
    assert_eq!(count_lines(&dir.join("calls")), failures, "{}", done.stderr);
    assert!(dir.read("calls").lines().all(|l| l == "job_failed"));
    assert!(
        done.stderr.contains(
            "WARN  hook_failed hook=on_failure hook_event=job_failed job=fail reason=\"exit status 7\""
        ),
        "{}",
        done.stderr
    );
}

#[test]
fn a_hook_that_cannot_start_is_logged() {
    let dir = schedule(
        r#"[hooks]
on_failure = ["/nonexistent/notify"]
[jobs.fail]
command = "exit 1"
cron = "@daily"
"#,
    );
    dir.apsched(["run-now", "fail", "-f", "s.toml"])
        .status(1)
        .stderr_contains("WARN  hook_failed hook=on_failure hook_event=job_failed job=fail reason=\"cannot start: /nonexistent/notify: No such file or directory")
        .run();
}

#[test]
fn a_shutdown_waits_for_a_running_hook() {
    let dir = schedule(
        r#"[hooks]
on_failure = "sleep 1; echo done > done"
[jobs.fail]
command = "exit 1"
trigger = "startup"
"#,
    );
    let done = dir.run().spawn().stop_when("job_error", 1);
    assert_eq!(done.code, Some(0));
    assert_eq!(dir.read("done"), "done\n", "{}", done.stderr);
    assert!(!done.stderr.contains("hook_failed"), "{}", done.stderr);
}

#[test]
fn max_concurrent_runs_hooks_one_after_another() {
    let dir = schedule(
        r#"[hooks]
max_concurrent = 1
on_failure = "echo begin >> order; sleep 0.3; echo end >> order"
on_finish = "echo begin >> order; sleep 0.3; echo end >> order"
[jobs.fail]
command = "exit 1"
trigger = "startup"
"#,
    );
    let run = dir.run().spawn();
    let order = lines_in(&dir.join("order"), 4);
    run.stop();
    assert_eq!(order, "begin\nend\nbegin\nend\n");
}

#[test]
fn hook_failed_keeps_its_name_in_json_logs() {
    let dir = schedule(
        r#"[hooks]
on_failure = "exit 7"
[jobs.fail]
command = "exit 1"
trigger = "startup"
"#,
    );
    let run = dir
        .apsched(["run", "s.toml", "--log-format", "json"])
        .spawn();
    let log = run.wait_for_stderr("hook_failed", 1);
    run.stop();
    let line = log
        .lines()
        .find(|l| l.contains("hook_failed"))
        .unwrap_or_default();
    let json: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    assert_eq!(json["event"], "hook_failed");
    assert_eq!(json["level"], "warn");
    assert_eq!(json["hook"], "on_failure");
    assert_eq!(json["hook_event"], "job_failed");
    assert_eq!(json["job"], "fail");
    assert_eq!(json["reason"], "exit status 7");
}
