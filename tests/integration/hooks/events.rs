//! Events beyond a run's end: missed runs, crashes, reloads, `max_instances`.

use super::*;

#[test]
fn a_long_downtime_runs_one_on_missed_with_the_count() {
    if !faketime() {
        return;
    }
    let dir = Dir::new().file(
        "s.toml",
        format!(
            r#"[scheduler]
timezone = "UTC"
[hooks]
on_missed = {DUMP}
[jobs.s]
command = "true"
trigger = "interval"
seconds = 1
misfire_grace_time = "30s"
"#
        ),
    );
    dir.run()
        .at("2027-01-01 00:00:00")
        .spawn()
        .stop_when("job_executed", 1);
    let run = dir.run().at("2027-01-02 00:00:00").spawn();
    let log = run.wait_for_stderr("job_catch_up", 1);
    let json = input(&dir, "in.job_missed.");
    let done = run.stop();
    assert_eq!(count_lines(&dir.join("calls")), 1, "{}", done.stderr);
    let missed = field(&log, "job_catch_up", "missed");
    assert_eq!(json["missed_count"].to_string(), missed[0], "{log}");
    assert!(json["missed_count"].as_u64().is_some_and(|n| n > 86_000));
    assert_eq!(json["result"], "missed");
    assert_eq!(json["job"], "s");
    assert_eq!(json["run_id"], Value::Null);
    assert!(
        json["scheduled"]
            .as_str()
            .is_some_and(|s| s.starts_with("2027-01-01T00:00:"))
    );
    assert!(
        json["last_scheduled"]
            .as_str()
            .is_some_and(|s| s.starts_with("2027-01-01T23:59:"))
    );
    let vars = env(&dir, "env.job_missed.");
    assert_eq!(vars["APSCHED_MISSED_COUNT"], missed[0]);
    assert_eq!(vars["APSCHED_RESULT"], "missed");
    assert_eq!(vars["APSCHED_RUN_ID"], "");
}

#[test]
fn a_run_cut_short_by_a_crash_runs_on_interrupted_at_the_restart() {
    let file = format!(
        r#"[scheduler]
timezone = "UTC"
[hooks]
on_interrupted = {DUMP}
[jobs.long]
command = "sleep 30"
trigger = "startup"
"#
    );
    let dir = Dir::new().file("s.toml", file);
    let run = dir.run().spawn();
    run.wait_for_stderr("job_submitted", 1);
    run.kill_9();
    let run = dir.run().spawn();
    let json = input(&dir, "in.job_interrupted.1");
    run.stop();
    assert_eq!(json["job"], "long");
    assert_eq!(json["run_id"], 1);
    assert!(
        matches!(json["result"].as_str(), Some("interrupted" | "unknown")),
        "{json}"
    );
    let vars = env(&dir, "env.job_interrupted.1");
    assert_eq!(vars["APSCHED_EVENT"], "job_interrupted");
}

#[test]
fn a_refused_reload_runs_on_reload_failed_with_its_problems() {
    let dir = schedule(&format!(
        r#"[hooks]
on_reload_failed = {DUMP}
[jobs.a]
command = "true"
cron = "@daily"
"#
    ));
    let run = dir.run().spawn();
    run.wait_started();
    dir.write(
        "s.toml",
        format!("{HEAD}[jobs.a]\ncommand = \"true\"\ncron = \"@dayly\"\n"),
    );
    run.signal(libc::SIGHUP);
    let json = input(&dir, "in.config_reload_failed.");
    run.stop();
    assert_eq!(json["event"], "config_reload_failed");
    assert_eq!(json["job"], Value::Null);
    let problems = json["problems"].as_array().cloned().unwrap_or_default();
    assert_eq!(problems.len(), 1, "{json}");
    assert!(
        problems[0].as_str().is_some_and(|p| p.contains("@dayly")),
        "{json}"
    );
}

#[test]
fn a_run_skipped_for_max_instances_runs_on_max_instances() {
    let dir = schedule(&format!(
        r#"[hooks]
on_max_instances = {DUMP}
[jobs.slow]
command = "sleep 3"
trigger = "interval"
seconds = 1
"#
    ));
    let run = dir.run().spawn();
    run.wait_for_stderr("job_max_instances", 1);
    let json = input(&dir, "in.job_max_instances.");
    run.stop();
    assert_eq!(json["result"], "max_instances");
    assert_eq!(json["missed_count"], 1);
}

#[test]
fn a_reload_that_adds_hooks_starts_running_them() {
    let job = "[jobs.fail]\ncommand = \"exit 1\"\ntrigger = \"interval\"\nseconds = 1\n";
    let dir = schedule(job);
    let run = dir.run().spawn();
    run.wait_for_stderr("job_error", 1);
    dir.write(
        "s.toml",
        format!("{HEAD}[hooks]\non_failure = \"echo $APSCHED_RUN_ID >> calls\"\n{job}"),
    );
    run.signal(libc::SIGHUP);
    run.wait_for_stderr("reloaded", 1);
    let calls = lines_in(&dir.join("calls"), 1);
    run.stop();
    assert!(!calls.is_empty(), "a failure after the reload ran the hook");
    assert!(!calls.lines().any(|l| l == "1"), "none before it: {calls}");
}
