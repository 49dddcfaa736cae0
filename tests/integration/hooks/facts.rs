//! What a hook is told: the JSON on standard input, the variables, the
//! run UUID, the output tail, and which hook an event runs.

use super::*;

#[test]
fn a_failing_job_runs_on_failure_once_per_failure_with_every_fact() {
    let dir = schedule(&format!(
        r#"[hooks]
on_failure = {DUMP}
[jobs.fail]
command = "echo oops; exit 2"
trigger = "interval"
seconds = 1
env = {{ HC_UUID = "abc" }}
"#
    ));
    let done = dir.run().spawn().stop_when("job_error", 2);
    let failures = field(&done.stderr, "job_error", "run").len();
    assert!(failures >= 2, "{}", done.stderr);
    assert_eq!(count_lines(&dir.join("calls")), failures, "{}", done.stderr);
    let json = input(&dir, "in.job_failed.1");
    let scheduled = field(&done.stderr, "job_error", "scheduled")[0].clone();
    assert_eq!(json["v"], 1);
    assert_eq!(json["event"], "job_failed");
    assert_eq!(json["job"], "fail");
    assert_eq!(json["run_id"], 1);
    assert_eq!(json["scheduled"], scheduled.as_str());
    assert_eq!(json["last_scheduled"], Value::Null);
    assert_eq!(json["result"], "failure");
    assert_eq!(json["exit_code"], 2);
    assert_eq!(json["signal"], Value::Null);
    assert_eq!(json["missed_count"], Value::Null);
    assert_eq!(json["hostname"], hostname().as_str());
    assert_eq!(json["output_tail"], "oops\n");
    assert_eq!(json["output_truncated"], false);
    assert_eq!(json["problems"], Value::Null);
    let started = json["started"].as_str().unwrap_or_default();
    let ended = json["ended"].as_str().unwrap_or_default();
    assert!(started.ends_with('Z') && ended.ends_with('Z') && started <= ended);
    let took = json["duration_seconds"].as_f64().unwrap_or(-1.0);
    assert!((0.0..5.0).contains(&took), "{json}");
    let vars = env(&dir, "env.job_failed.1");
    let want = [
        ("APSCHED_EVENT", "job_failed"),
        ("APSCHED_JOB_ID", "fail"),
        ("APSCHED_RESULT", "failure"),
        ("APSCHED_EXIT_CODE", "2"),
        ("APSCHED_SIGNAL", ""),
        ("APSCHED_RUN_ID", "1"),
        ("APSCHED_SCHEDULED_TIME", scheduled.as_str()),
        ("APSCHED_LAST_SCHEDULED_TIME", ""),
        ("APSCHED_STARTED_AT", started),
        ("APSCHED_FINISHED_AT", ended),
        ("APSCHED_MISSED_COUNT", ""),
    ];
    for (k, v) in want {
        assert_eq!(vars[k], v, "{k}");
    }
    assert_eq!(
        vars["APSCHED_RUN_UUID"],
        json["run_uuid"].as_str().unwrap_or("?")
    );
    assert_eq!(vars["APSCHED_DURATION_SECONDS"], took.to_string());
    assert_eq!(vars["APSCHED_HOSTNAME"], hostname());
    // The job's own env reaches its hooks.
    assert!(dir.read("env.job_failed.1").contains("HC_UUID=abc\n"));
}

#[test]
fn start_and_finish_share_the_run_uuid_and_come_in_order() {
    let dir = schedule(
        r#"[hooks]
on_start = "sleep 0.3; echo start $APSCHED_RUN_ID $APSCHED_RUN_UUID >> pings"
on_finish = "echo finish $APSCHED_RUN_ID $APSCHED_RUN_UUID $APSCHED_EXIT_CODE >> pings"
on_success = "echo success $APSCHED_RESULT >> pings"
[jobs.ok]
command = "true"
trigger = "interval"
seconds = 1
"#,
    );
    let run = dir.run().spawn();
    let pings = lines_in(&dir.join("pings"), 6);
    run.stop();
    let lines: Vec<Vec<&str>> = pings.lines().map(|l| l.split(' ').collect()).collect();
    let of = |what: &str, id: &str| {
        lines
            .iter()
            .position(|l| l[0] == what && l[1] == id)
            .unwrap_or_else(|| panic!("no {what} of {id}: {pings}"))
    };
    let (start, finish) = (of("start", "1"), of("finish", "1"));
    assert!(start < finish, "{pings}");
    assert_eq!(lines[start][2], lines[finish][2], "{pings}");
    assert_eq!(lines[finish][3], "0");
    let uuid = lines[start][2];
    assert_eq!(uuid.len(), 36, "{uuid}");
    assert_eq!(&uuid[14..15], "4", "{uuid}");
    assert_ne!(uuid, lines[of("start", "2")][2], "{pings}");
    assert!(pings.contains("success success\n"), "{pings}");
}

#[test]
fn a_job_hook_replaces_the_global_one_of_its_event() {
    let dir = schedule(
        r#"[hooks]
on_failure = "echo global $APSCHED_JOB_ID >> who"
on_finish = "echo finish $APSCHED_JOB_ID >> who"
[jobs.a]
command = "exit 1"
trigger = "startup"
[jobs.a.hooks]
on_failure = ["sh", "-c", "echo own $APSCHED_JOB_ID >> who"]
[jobs.b]
command = "exit 1"
trigger = "startup"
"#,
    );
    let run = dir.run().spawn();
    let who = lines_in(&dir.join("who"), 4);
    run.stop();
    let mut lines: Vec<&str> = who.lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        ["finish a", "finish b", "global b", "own a"],
        "{who}"
    );
}

#[test]
fn a_long_output_is_cut_to_its_tail_and_flagged() {
    let dir = schedule(&format!(
        r#"[hooks]
on_failure = {DUMP}
[jobs.loud]
command = "seq 1 3000; exit 1"
cron = "@daily"
"#
    ));
    dir.apsched(["run-now", "loud", "-f", "s.toml"])
        .status(1)
        .run();
    let json = input(&dir, "in.job_failed.1");
    assert_eq!(json["output_truncated"], true);
    let tail = json["output_tail"].as_str().unwrap_or_default();
    assert!(tail.ends_with("2999\n3000\n"), "{tail}");
    assert!(tail.len() <= 4096, "{}", tail.len());
}

#[test]
fn a_run_past_its_timeout_runs_on_timeout_and_on_failure() {
    let dir = schedule(&format!(
        r#"[hooks]
on_timeout = {DUMP}
on_failure = {DUMP}
[jobs.slow]
command = "sleep 30"
trigger = "startup"
timeout = "1s"
"#
    ));
    let run = dir.run().spawn();
    let timed_out = input(&dir, "in.job_timed_out.1");
    let failed = input(&dir, "in.job_failed.1");
    run.stop();
    for json in [&timed_out, &failed] {
        assert_eq!(json["result"], "timeout", "{json}");
        assert_eq!(json["exit_code"], Value::Null, "{json}");
        assert_eq!(json["signal"], 15, "{json}");
    }
    assert_eq!(env(&dir, "env.job_timed_out.1")["APSCHED_SIGNAL"], "15");
}
