//! `apsched run` with real short jobs, each test bounded to a few seconds.

use crate::harness::poll::{PATIENCE, count_lines, until};
use crate::harness::{Dir, Finished, Running};

const HEAD: &str = r#"[scheduler]
timezone = "UTC"
state = ":memory:"
shutdown_timeout = "1s"
"#;

/// `apsched run s.toml EXTRA` on `file`, in a directory of its own.
fn start(file: &str, extra: &[&str]) -> (Dir, Running) {
    let dir = Dir::new().file("s.toml", file);
    let running = dir.apsched(["run", "s.toml"]).args(extra).spawn();
    (dir, running)
}

#[test]
fn an_every_second_job_runs_and_its_output_is_tagged() {
    let file = format!(
        r#"{HEAD}[jobs.tick]
command = "echo \"$APSCHED_JOB_ID $APSCHED_SCHEDULED_TIME $APSCHED_RUN_ID\" >> ticks; echo hello; echo oops >&2"
trigger = "interval"
seconds = 1
"#
    );
    let (dir, run) = start(&file, &[]);
    until(PATIENCE, || {
        count_lines(&dir.join("ticks")) >= 2
            && run.stdout().matches("tick| hello\n").count() >= 2
            && run.stderr().contains("job_executed job=tick")
            && run.stderr().contains("tick| oops\n")
    });
    let ticks: Vec<String> = dir.read("ticks").lines().map(str::to_string).collect();
    let Finished {
        code,
        stdout: out,
        stderr: err,
        ..
    } = run.stop();
    assert_eq!(code, Some(0), "{err}");
    assert!((2..=4).contains(&ticks.len()), "{ticks:?}");
    assert!(ticks[0].starts_with("tick 20"), "{ticks:?}");
    // The run's number, as the log and the history name it.
    let first = ticks[0].rsplit(' ').next().expect("a run id");
    assert!(
        err.contains(&format!("job_submitted job=tick run={first} ")),
        "{first} in {err}"
    );
    assert!(
        out.lines().filter(|l| *l == "tick| hello").count() >= 2,
        "{out}"
    );
    assert!(err.contains("tick| oops\n"), "{err}");
    for event in [
        "scheduler_started",
        "job_added job=tick",
        "job_submitted job=tick",
        "job_executed job=tick",
        "scheduler_stopped",
    ] {
        assert!(err.contains(event), "no {event} in {err}");
    }
}

#[test]
fn sigterm_while_a_job_runs_ends_it_after_the_shutdown_timeout() {
    let file = format!(
        r#"{HEAD}[jobs.long]
command = "echo started; sleep 30; echo never"
trigger = "interval"
seconds = 1
"#
    );
    let (_dir, run) = start(&file, &[]);
    run.wait_for_stdout("long| started", 1);
    let Finished {
        code,
        stdout: out,
        stderr: err,
        took,
    } = run.stop();
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("long| started"), "{out}");
    assert!(!out.contains("never"), "{out}");
    assert!(err.contains("scheduler_shutdown running=1"), "{err}");
    assert!(err.contains("error=\"killed by signal 15\""), "{err}");
    assert!((0.9..5.0).contains(&took), "took {took}s");
}

#[test]
fn sighup_reloads_and_a_broken_file_keeps_the_old_jobs() {
    let first = format!(
        r#"{HEAD}[jobs.a]
command = "echo a >> a.txt"
trigger = "interval"
seconds = 1
"#
    );
    let (dir, run) = start(&first, &[]);
    until(PATIENCE, || count_lines(&dir.join("a.txt")) >= 1);
    let second = format!(
        r#"{HEAD}[jobs.b]
command = "echo b >> b.txt"
trigger = "interval"
seconds = 1
"#
    );
    dir.write("s.toml", second);
    run.signal(libc::SIGHUP);
    until(PATIENCE, || count_lines(&dir.join("b.txt")) >= 1);
    dir.write(
        "s.toml",
        r"[jobs.c]
command = 5
",
    );
    run.signal(libc::SIGHUP);
    run.wait_for_stderr("reload_failed", 1);
    // b runs on after the broken reload.
    let at_failure = count_lines(&dir.join("b.txt"));
    until(PATIENCE, || {
        count_lines(&dir.join("b.txt")) >= (at_failure + 1).max(2)
    });
    let (a, b) = (
        count_lines(&dir.join("a.txt")),
        count_lines(&dir.join("b.txt")),
    );
    let Finished {
        code, stderr: err, ..
    } = run.stop();
    assert_eq!(code, Some(0), "{err}");
    assert!(a >= 1, "a ran before the reload");
    assert!(
        b >= 2,
        "b runs after the reload and after the broken one: {b}\n{err}"
    );
    assert!(err.contains("job_removed job=a"), "{err}");
    assert!(
        err.contains("reloaded added=1 removed=1 modified=0 unchanged=0"),
        "{err}"
    );
    assert!(err.contains("reload_failed problem="), "{err}");
}

#[test]
fn a_timeout_ends_the_whole_process_group() {
    let file = format!(
        r#"{HEAD}[jobs.slow]
command = "sleep 20 & sleep 20; echo never"
trigger = "interval"
seconds = 1
timeout = "1s"
max_instances = 1
"#
    );
    let (_dir, run) = start(&file, &[]);
    run.wait_for_stderr("timed out (killed by signal 15)", 1);
    let Finished {
        code,
        stdout: out,
        stderr: err,
        ..
    } = run.stop();
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("job_timed_out job=slow"), "{err}");
    assert!(err.contains("timed out (killed by signal 15)"), "{err}");
    assert!(!out.contains("never"));
}

#[test]
fn an_array_command_is_found_in_the_jobs_path_and_a_script_without_interpreter_runs_in_sh() {
    let dir = Dir::new();
    let script = dir.join("bin/greet");
    std::fs::create_dir(dir.join("bin")).expect("bin");
    let text = "echo \"hello $1 from $(basename \"$PWD\")\"\n";
    std::fs::write(&script, text).expect("script");
    let executable = std::os::unix::fs::PermissionsExt::from_mode(0o755);
    std::fs::set_permissions(&script, executable).expect("chmod");
    let file = format!(
        r#"{HEAD}[jobs.script]
command = ["greet", "world"]
cwd = "{}"
env = {{ PATH = "bin:/usr/bin:/bin" }}
trigger = "startup"
"#,
        dir.join("").display()
    );
    let dir = dir.file("s.toml", file);
    let run = dir.apsched(["run", "s.toml"]).spawn();
    until(PATIENCE, || {
        run.stderr().contains("job_executed job=script")
    });
    let Finished { stdout, stderr, .. } = run.stop();
    let name = dir
        .join("")
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    let want = format!("script| hello world from {}\n", name.unwrap_or_default());
    assert!(stdout.contains(&want), "no {want:?} in {stdout}{stderr}");
}

#[test]
fn a_missing_program_is_a_failed_run_not_a_crash() {
    let file = format!(
        r#"{HEAD}[jobs.ghost]
command = ["/nonexistent/program"]
trigger = "interval"
seconds = 1
[jobs.bad-cwd]
command = "true"
cwd = "/nonexistent/dir"
trigger = "interval"
seconds = 1
"#
    );
    let (_dir, run) = start(&file, &[]);
    until(PATIENCE, || {
        let err = run.stderr();
        err.contains("job_error job=ghost") && err.contains("/nonexistent/dir does not exist")
    });
    let Finished {
        code, stderr: err, ..
    } = run.stop();
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("job_error job=ghost"), "{err}");
    assert!(err.contains("cannot start: /nonexistent/program:"), "{err}");
    assert!(
        err.contains("cannot start: working directory /nonexistent/dir does not exist"),
        "{err}"
    );
}

#[test]
fn json_logs_are_one_object_per_line_with_typed_values() {
    let file = format!(
        r#"{HEAD}[jobs.t]
command = "echo hi"
trigger = "interval"
seconds = 1
"#
    );
    let (_dir, run) = start(&file, &["--log-format", "json"]);
    until(PATIENCE, || {
        run.stderr().contains("job_executed") && run.stdout().contains("hi")
    });
    let Finished {
        code,
        stdout: out,
        stderr: err,
        ..
    } = run.stop();
    assert_eq!(code, Some(0), "{err}");
    let events: Vec<serde_json::Value> = err
        .lines()
        .map(|l| serde_json::from_str(l).expect(l))
        .collect();
    assert_eq!(events[0]["event"], "scheduler_started");
    assert_eq!(events[0]["jobs"], 1, "numbers are numbers");
    let executed = events
        .iter()
        .find(|e| e["event"] == "job_executed" && e["job"] == "t")
        .expect("a run");
    assert_eq!(executed["exit"], 0);
    assert!(executed["run"].is_i64(), "{executed}");
    assert!(executed["duration_seconds"].is_f64(), "{executed}");
    let shutdown = events
        .iter()
        .find(|e| e["event"] == "scheduler_shutdown")
        .expect("shutdown");
    assert_eq!(shutdown["shutdown_timeout_seconds"], 1.0);
    // Job output lines are JSON objects too.
    let line: serde_json::Value =
        serde_json::from_str(out.lines().next().expect("output")).expect("JSON");
    assert_eq!(
        (&line["job"], &line["run"], &line["stream"], &line["line"]),
        (
            &executed["job"],
            &executed["run"],
            &"stdout".into(),
            &"hi".into()
        )
    );
}

#[test]
fn an_invalid_file_does_not_start() {
    Dir::new()
        .file(
            "s.toml",
            r#"[jobs.x]
command = "true"
cron = "61 * * * *"
"#,
        )
        .apsched(["run", "s.toml"])
        .status(3)
        .stderr_contains("minute: 61 is out of range 0-59")
        .run();
}
