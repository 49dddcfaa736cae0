//! Event hooks (`[hooks]`, `[jobs.ID.hooks]`, `mailto`): the facts a hook
//! is told on standard input and in its environment, one hook per event,
//! timeouts, no hook for a hook, and each path a run can take.

use crate::harness::poll::{PATIENCE, alive, count_lines, field, lines_in, until};
use crate::harness::{Dir, faketime};
use serde_json::Value;
use std::collections::BTreeMap;

const HEAD: &str = r#"[scheduler]
timezone = "UTC"
state = ":memory:"
shutdown_timeout = "1s"
"#;

/// A hook that keeps its standard input and `APSCHED_*` variables in
/// files named after its event and run, and counts its calls.
const DUMP: &str = r#""cat > in.$APSCHED_EVENT.$APSCHED_RUN_ID; env > env.$APSCHED_EVENT.$APSCHED_RUN_ID; echo $APSCHED_EVENT >> calls""#;

/// Every variable a hook is documented to get.
const VARIABLES: [&str; 14] = [
    "APSCHED_EVENT",
    "APSCHED_JOB_ID",
    "APSCHED_RESULT",
    "APSCHED_EXIT_CODE",
    "APSCHED_SIGNAL",
    "APSCHED_RUN_ID",
    "APSCHED_RUN_UUID",
    "APSCHED_SCHEDULED_TIME",
    "APSCHED_LAST_SCHEDULED_TIME",
    "APSCHED_STARTED_AT",
    "APSCHED_FINISHED_AT",
    "APSCHED_DURATION_SECONDS",
    "APSCHED_MISSED_COUNT",
    "APSCHED_HOSTNAME",
];

/// Every field of the JSON object on standard input, in order.
const FIELDS: [&str; 18] = [
    "v",
    "event",
    "job",
    "run_id",
    "run_uuid",
    "scheduled",
    "last_scheduled",
    "started",
    "ended",
    "duration_seconds",
    "result",
    "exit_code",
    "signal",
    "missed_count",
    "hostname",
    "output_tail",
    "output_truncated",
    "problems",
];

fn schedule(text: &str) -> Dir {
    Dir::new().file("s.toml", format!("{HEAD}{text}"))
}

/// The JSON a hook got, once its file is complete.
fn input(dir: &Dir, name: &str) -> Value {
    let path = dir.join(name);
    until(PATIENCE, || {
        std::fs::read_to_string(&path).is_ok_and(|t| t.ends_with('\n'))
    });
    let text = dir.read(name);
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let keys: Vec<&str> = value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(keys, FIELDS, "{text}");
    value
}

/// The `APSCHED_*` variables a hook had.
fn env(dir: &Dir, name: &str) -> BTreeMap<String, String> {
    let path = dir.join(name);
    until(PATIENCE, || {
        std::fs::read_to_string(&path).is_ok_and(|t| t.contains("APSCHED_HOSTNAME="))
    });
    let vars: BTreeMap<String, String> = dir
        .read(name)
        .lines()
        .filter(|l| l.starts_with("APSCHED_"))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for name in VARIABLES {
        assert!(vars.contains_key(name), "{name} missing: {vars:?}");
    }
    vars
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap_or_default()
        .trim()
        .to_string()
}

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
            "hook_failed hook=on_failure event=job_failed job=fail reason=\"timed out after 2s\""
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
            "WARN  hook_failed hook=on_failure event=job_failed job=fail reason=\"exit status 7\""
        ),
        "{}",
        done.stderr
    );
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
fn mailto_mails_a_failed_runs_output_through_sendmail() {
    let dir = schedule(
        r#"[hooks]
mailto = "ops@example.com"
[jobs.fail]
command = "echo disk full; exit 2"
trigger = "startup"
[jobs.quiet]
command = "exit 3"
trigger = "startup"
[jobs.quiet.hooks]
mailto = ""
"#,
    );
    std::fs::create_dir(dir.join("bin")).unwrap_or_else(|e| panic!("{e}"));
    dir.write(
        "bin/sendmail",
        "#!/bin/sh\necho \"$@\" > args.txt\ncat >> mail.txt\n",
    );
    make_executable(&dir.join("bin/sendmail"));
    let path = format!(
        "{}:{}",
        dir.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = dir.run().env("PATH", &path).spawn();
    let mail = lines_in(&dir.join("mail.txt"), 8);
    run.wait_for_stderr("job_error", 2);
    run.sleep_ms(500);
    let done = run.stop();
    assert!(mail.starts_with("To: ops@example.com\n"), "{mail}");
    assert!(
        mail.contains("Subject: [apsched] job fail failed (exit status 2) on "),
        "{mail}"
    );
    assert!(mail.contains("\nOutput:\ndisk full\n"), "{mail}");
    assert!(
        !mail.contains("quiet"),
        "mailto = \"\" mails nothing: {mail}"
    );
    assert_eq!(dir.read("args.txt"), "-t -i\n");
    assert!(!done.stderr.contains("hook_failed"), "{}", done.stderr);
}

fn make_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn mailto_without_sendmail_is_an_error_at_load() {
    if std::path::Path::new("/usr/sbin/sendmail").exists() {
        eprintln!("skipped: this machine has /usr/sbin/sendmail");
        return;
    }
    let dir = schedule(
        "[hooks]\nmailto = \"ops@example.com\"\n[jobs.a]\ncommand = \"true\"\ncron = \"@daily\"\n",
    );
    dir.apsched(["check", "s.toml"])
        .env("PATH", "/nonexistent")
        .status(3)
        .stderr_contains("s.toml:6:10: hooks.mailto needs sendmail, which is not in PATH (/nonexistent) or /usr/sbin/sendmail (install a mail transfer agent")
        .run();
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
fn run_now_without_a_scheduler_runs_the_hooks_before_it_returns() {
    let dir = Dir::new().file(
        "s.toml",
        format!(
            r#"[scheduler]
timezone = "UTC"
[hooks]
on_start = {DUMP}
on_failure = {DUMP}
on_finish = {DUMP}
on_success = {DUMP}
[jobs.fail]
command = "echo broken; exit 4"
cron = "@daily"
"#
        ),
    );
    dir.apsched(["run-now", "fail", "-f", "s.toml"])
        .status(1)
        .run();
    let mut calls: Vec<String> = dir.read("calls").lines().map(str::to_string).collect();
    calls.sort_unstable();
    assert_eq!(calls, ["job_failed", "job_finished", "job_started"]);
    let failed = input(&dir, "in.job_failed.1");
    assert_eq!(failed["exit_code"], 4);
    assert_eq!(failed["output_tail"], "broken\n");
    let started = input(&dir, "in.job_started.1");
    let finished = input(&dir, "in.job_finished.1");
    assert_eq!(started["run_uuid"], finished["run_uuid"]);
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

/// The healthchecks.io recipe of `apsched(1)`, as written there, with a
/// stand-in `curl` that keeps its arguments and standard input.
#[test]
fn the_healthchecks_recipe_pings_start_and_the_exit_code_with_the_output() {
    let man = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/man/apsched.1"))
        .expect("man page");
    let recipe: Vec<String> = man
        .lines()
        .skip_while(|l| *l != "[jobs.backup.hooks]")
        .take_while(|l| *l != ".fi")
        .map(|l| l.replace("\\-", "-"))
        .collect();
    assert_eq!(recipe.len(), 3, "{recipe:?}");
    let dir = schedule(&format!(
        "[jobs.backup]\ncommand = \"echo oops; exit 2\"\ntrigger = \"startup\"\nenv = {{ HC_UUID = \"check-1\" }}\n{}\n",
        recipe.join("\n")
    ));
    std::fs::create_dir(dir.join("bin")).expect("mkdir");
    dir.write(
        "bin/curl",
        "#!/bin/sh\nfor a in \"$@\"; do case $a in https:*) url=$a;; esac; done\necho \"$url $(cat | tr '\\n' ' ')\" >> pings\n",
    );
    make_executable(&dir.join("bin/curl"));
    let path = format!(
        "{}:{}",
        dir.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = dir.run().env("PATH", &path).spawn();
    let pings = lines_in(&dir.join("pings"), 2);
    run.stop();
    let lines: Vec<&str> = pings.lines().collect();
    let start = lines[0].split(' ').next().unwrap_or_default();
    let uuid = start.rsplit("rid=").next().unwrap_or_default();
    assert!(
        start.starts_with("https://hc-ping.com/check-1/start?rid="),
        "{pings}"
    );
    assert_eq!(uuid.len(), 36, "{pings}");
    assert!(
        lines[1].starts_with(&format!("https://hc-ping.com/check-1/2?rid={uuid} oops")),
        "{pings}"
    );
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
        .stderr_contains("WARN  hook_failed hook=on_failure event=job_failed job=fail reason=\"cannot start: /nonexistent/notify: No such file or directory")
        .run();
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
