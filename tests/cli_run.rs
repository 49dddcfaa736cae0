//! `apsched run` with real short jobs, each test bounded to a few seconds.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// A running `apsched run` on a file in its own temporary directory.
struct Running {
    child: Child,
    dir: tempfile::TempDir,
}

const HEAD: &str =
    "[scheduler]\ntimezone = \"UTC\"\nstate = \":memory:\"\nshutdown_timeout = \"1s\"\n";

impl Running {
    fn start(file: &str, extra: &[&str]) -> Running {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("s.toml"), file).expect("write the file");
        let child = Command::new(env!("CARGO_BIN_EXE_apsched"))
            .arg("run")
            .arg(dir.path().join("s.toml"))
            .args(extra)
            .current_dir(dir.path())
            .env("TZ", "UTC")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("apsched starts");
        Running { child, dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn signal(&self, sig: i32) {
        let pid = libc::pid_t::try_from(self.child.id()).expect("pid");
        // SAFETY: sending a signal to our own child process.
        unsafe { libc::kill(pid, sig) };
    }

    /// Sends SIGTERM and collects (exit code, stdout, stderr, seconds to exit).
    fn stop(self) -> (Option<i32>, String, String, f64) {
        self.signal(libc::SIGTERM);
        let began = Instant::now();
        let output = self.child.wait_with_output().expect("apsched ends");
        let out = String::from_utf8_lossy(&output.stdout).into_owned();
        let err = String::from_utf8_lossy(&output.stderr).into_owned();
        (
            output.status.code(),
            out,
            err,
            began.elapsed().as_secs_f64(),
        )
    }
}

fn lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn an_every_second_job_runs_and_its_output_is_tagged() {
    let file = format!(
        "{HEAD}[jobs.tick]\ncommand = \"echo \\\"$APSCHED_JOB_ID $APSCHED_SCHEDULED_TIME\\\" >> ticks; echo hello; echo oops >&2\"\ntrigger = \"interval\"\nseconds = 1\n"
    );
    let run = Running::start(&file, &[]);
    sleep(Duration::from_millis(3300));
    let ticks = lines(&run.path("ticks"));
    let (code, out, err, _) = run.stop();
    assert_eq!(code, Some(0), "{err}");
    assert!((2..=4).contains(&ticks.len()), "{ticks:?}");
    assert!(ticks[0].starts_with("tick 20"), "{ticks:?}");
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
        "{HEAD}[jobs.long]\ncommand = \"echo started; sleep 30; echo never\"\ntrigger = \"interval\"\nseconds = 1\n"
    );
    let run = Running::start(&file, &[]);
    sleep(Duration::from_millis(1600));
    let (code, out, err, took) = run.stop();
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
        "{HEAD}[jobs.a]\ncommand = \"echo a >> a.txt\"\ntrigger = \"interval\"\nseconds = 1\n"
    );
    let run = Running::start(&first, &[]);
    sleep(Duration::from_millis(1300));
    let second = format!(
        "{HEAD}[jobs.b]\ncommand = \"echo b >> b.txt\"\ntrigger = \"interval\"\nseconds = 1\n"
    );
    fs::write(run.path("s.toml"), second).expect("rewrite");
    run.signal(libc::SIGHUP);
    sleep(Duration::from_millis(1500));
    fs::write(run.path("s.toml"), "[jobs.c]\ncommand = 5\n").expect("break the file");
    run.signal(libc::SIGHUP);
    sleep(Duration::from_millis(1300));
    let (a, b) = (
        lines(&run.path("a.txt")).len(),
        lines(&run.path("b.txt")).len(),
    );
    let (code, _, err, _) = run.stop();
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
        "{HEAD}[jobs.slow]\ncommand = \"sleep 20 & sleep 20; echo never\"\ntrigger = \"interval\"\nseconds = 1\ntimeout = \"1s\"\nmax_instances = 1\n"
    );
    let run = Running::start(&file, &[]);
    sleep(Duration::from_millis(2600));
    let (code, out, err, _) = run.stop();
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("job_timed_out job=slow"), "{err}");
    assert!(err.contains("timed out (killed by signal 15)"), "{err}");
    assert!(!out.contains("never"));
}

#[test]
fn a_missing_program_is_a_failed_run_not_a_crash() {
    let file = format!(
        "{HEAD}[jobs.ghost]\ncommand = [\"/nonexistent/program\"]\ntrigger = \"interval\"\nseconds = 1\n[jobs.bad-cwd]\ncommand = \"true\"\ncwd = \"/nonexistent/dir\"\ntrigger = \"interval\"\nseconds = 1\n"
    );
    let run = Running::start(&file, &[]);
    sleep(Duration::from_millis(1500));
    let (code, _, err, _) = run.stop();
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
    let file =
        format!("{HEAD}[jobs.t]\ncommand = \"echo hi\"\ntrigger = \"interval\"\nseconds = 1\n");
    let run = Running::start(&file, &["--log-format", "json"]);
    sleep(Duration::from_millis(1400));
    let (code, out, err, _) = run.stop();
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
    let run = Running::start("[jobs.x]\ncommand = \"true\"\ncron = \"61 * * * *\"\n", &[]);
    let output = run.child.wait_with_output().expect("ends");
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains("minute: 61 is out of range 0-59"));
}
