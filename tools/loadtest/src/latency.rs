//! Scenario 2, latency: an every-second job runs for a minute; each run's
//! lateness is the time its program started minus its scheduled second. Two
//! programs: this binary as a tiny recorder ([`RECORD_FLAG`] prints the wall
//! clock and `APSCHED_SCHEDULED_TIME` first thing in `main`), and
//! `date +%s.%N`. Their exec overhead (spawned from a plain Rust loop the
//! way apsched spawns, compared with the instant before `spawn`) is measured
//! apart, so the scheduler's own share shows.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::DateTime;
use serde_json::Value;

use crate::Sizes;
use crate::report::{Row, ms, percentile, row, sorted};
use crate::sched::{Sched, time_field};
use crate::schedule::schedule_file;

/// Whether the latency job has hooks (`--hooks`).
static HOOKS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Gives the latency job an on_start and an on_finish hook; once, at start.
pub fn set_hooks(on: bool) {
    HOOKS.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// The argument that makes this binary the recorder.
pub const RECORD_FLAG: &str = "--record";

/// The recorder: prints the wall clock (ns since the epoch) and the run's
/// scheduled time, as early as a Rust program can.
pub fn record() {
    let now = epoch_ns(SystemTime::now());
    let scheduled = std::env::var("APSCHED_SCHEDULED_TIME").unwrap_or_else(|_| "-".into());
    println!("{now} {scheduled}");
}

fn epoch_ns(t: SystemTime) -> i128 {
    t.duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos() as i128
}

/// `1763780850.001234567` as ns since the epoch.
fn parse_date_ns(text: &str) -> Option<i128> {
    let (s, n) = text.trim().split_once('.')?;
    Some(s.parse::<i128>().ok()? * 1_000_000_000 + n.parse::<i128>().ok()?)
}

/// The clock the recorder printed, in ns since the epoch.
fn recorder_time(text: &str) -> Option<i128> {
    text.split_whitespace().next()?.parse().ok()
}

/// Spawns `argv` `samples` times the way apsched does (own process group,
/// stdin null, output piped) and returns the time its output names minus
/// the instant before `spawn`, in ms, sorted.
fn exec_overhead(argv: &[&str], samples: usize, parse: fn(&str) -> Option<i128>) -> Vec<f64> {
    let mut v = Vec::new();
    for _ in 0..samples {
        let before = epoch_ns(SystemTime::now());
        let child = Command::new(argv[0])
            .args(&argv[1..])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .env("APSCHED_JOB_ID", "probe")
            .spawn();
        let Ok(mut child) = child else { break };
        let mut text = String::new();
        if let Some(mut out) = child.stdout.take() {
            let _ = out.read_to_string(&mut text);
        }
        let _ = child.wait();
        if let Some(t) = parse(&text) {
            v.push((t - before) as f64 / 1e6);
        }
    }
    sorted(v)
}

/// One run's lateness in ms from the line its program printed: the
/// recorder's clock minus `APSCHED_SCHEDULED_TIME`, or `date`'s clock minus
/// its whole second.
fn lateness(text: &str, recorder: bool) -> Option<f64> {
    let (started, scheduled) = if recorder {
        let mut parts = text.split_whitespace();
        let started: Option<i128> = parts.next().and_then(|t| t.parse().ok());
        let scheduled = parts
            .next()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| i128::from(t.timestamp()) * 1_000_000_000);
        (started, scheduled)
    } else {
        let started = parse_date_ns(text);
        (started, started.map(|t| t - t.rem_euclid(1_000_000_000)))
    };
    Some((started? - scheduled?) as f64 / 1e6)
}

/// What the job `lat` printed, from one line of apsched's stdout: a
/// `job_output` event with `--log-format json`, `lat| TEXT` with text logs.
fn job_line(text: &str) -> Option<String> {
    if let Some(line) = text.strip_prefix("lat| ") {
        return Some(line.to_string());
    }
    let v: Value = serde_json::from_str(text).ok()?;
    let is = |key: &str, want: &str| v.get(key).and_then(Value::as_str) == Some(want);
    if !(is("event", "job_output") && is("job", "lat") && is("stream", "stdout")) {
        return None;
    }
    Some(v.get("line")?.as_str()?.to_string())
}

/// Runs one every-second job for `run` and returns each run's lateness in
/// ms, and the job_submitted log lateness in ms, both sorted.
fn latency_run(
    bin: &Path,
    file: &Path,
    run: Duration,
    command: &str,
    recorder: bool,
) -> (Vec<f64>, Vec<f64>) {
    schedule_file(
        file,
        10,
        std::iter::once(format!(
            "[jobs.lat]\ncommand = {command}\ncron = \"* * * * * *\"\n{}",
            if HOOKS.load(std::sync::atomic::Ordering::Relaxed) {
                "[jobs.lat.hooks]\non_start = [\"true\"]\non_finish = [\"true\"]\n"
            } else {
                ""
            }
        )),
    );
    let mut s = Sched::start(bin, file, &[]);
    thread::sleep(run + Duration::from_millis(500));
    s.stop();
    let out = s.out.lock().map(|v| {
        v.iter()
            .filter_map(|l| job_line(&l.text))
            .collect::<Vec<_>>()
    });
    let late = out
        .unwrap_or_default()
        .iter()
        .filter_map(|text| lateness(text, recorder))
        .collect();
    let submitted: Vec<f64> = s
        .events("job_submitted")
        .iter()
        .filter_map(|e| {
            let at = time_field(e, "time")?;
            let sched = time_field(e, "scheduled")?;
            Some((at - sched).num_microseconds()? as f64 / 1e3)
        })
        .collect();
    (sorted(late), sorted(submitted))
}

/// Prints the distribution of sorted values.
fn show(name: &str, v: &[f64]) {
    println!(
        "{name}: n={} median {:.3} ms p99 {:.3} ms min {:.3} ms max {:.3} ms",
        v.len(),
        percentile(v, 0.5),
        percentile(v, 0.99),
        v.first().copied().unwrap_or(f64::NAN),
        v.last().copied().unwrap_or(f64::NAN)
    );
}

pub fn scenario(bin: &Path, dir: &Path, sizes: Sizes) -> Vec<Row> {
    let me = match std::env::current_exe() {
        Ok(me) => me.to_string_lossy().to_string(),
        Err(e) => panic!("cannot find the load test's own binary: {e}"),
    };
    let samples = sizes.exec_samples;
    let rec_exec = exec_overhead(&[&me, RECORD_FLAG], samples, recorder_time);
    let date_exec = exec_overhead(&["date", "+%s.%N"], samples, parse_date_ns);
    show(
        "exec overhead, recorder (spawn to first line of main)",
        &rec_exec,
    );
    show("exec overhead, date +%s.%N", &date_exec);

    let file = dir.join("latency.toml");
    let rec_cmd = format!("[{me:?}, \"{RECORD_FLAG}\"]");
    let run = sizes.latency_run;
    let (rec, rec_sub) = latency_run(bin, &file, run, &rec_cmd, true);
    show(
        "firing latency, recorder (scheduled second to program start)",
        &rec,
    );
    show(
        "  job_submitted log time - scheduled (1 ms resolution)",
        &rec_sub,
    );
    let (date, date_sub) = latency_run(bin, &file, run, "[\"date\", \"+%s.%N\"]", false);
    show(
        "firing latency, date (scheduled second to date's clock read)",
        &date,
    );
    show(
        "  job_submitted log time - scheduled (1 ms resolution)",
        &date_sub,
    );
    rows(&rec, &rec_exec, &date, &date_exec)
}

/// The table rows from the sorted latencies and exec overheads.
fn rows(rec: &[f64], rec_exec: &[f64], date: &[f64], date_exec: &[f64]) -> Vec<Row> {
    let med = percentile(rec, 0.5);
    let p99 = percentile(rec, 0.99);
    let exec_med = percentile(rec_exec, 0.5);
    vec![
        row(
            &format!("latency, every-second job, {} runs: median", rec.len()),
            format!(
                "{} (exec {:.2} ms, so scheduler ~{:.2} ms)",
                ms(med),
                exec_med,
                med - exec_med
            ),
            "<= 5 ms",
            Some(med <= 5.0),
        ),
        row(
            "latency, every-second job: p99",
            ms(p99),
            "<= 20 ms",
            Some(p99 <= 20.0),
        ),
        row(
            &format!("latency with `date`, {} runs: median / p99", date.len()),
            format!(
                "{} / {} (date exec {:.2} ms)",
                ms(percentile(date, 0.5)),
                ms(percentile(date, 0.99)),
                percentile(date_exec, 0.5)
            ),
            "(reference)",
            None,
        ),
    ]
}
