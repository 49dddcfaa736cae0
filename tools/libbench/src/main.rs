//! apsched's background scheduler beside tokio-cron-scheduler, on the same
//! schedules, each measured in a process of its own (this binary run again
//! with `SYSTEM SCENARIO`):
//!
//! - latency: a closure job every second, `SAMPLES` runs; how long after
//!   its whole second each run began (p50, p99, max);
//! - idle: 10,000 jobs that fire once a year; the process's CPU time over
//!   `IDLE_SECONDS` once settled, and its RSS.
//!
//! `cargo run --release --manifest-path tools/libbench/Cargo.toml` prints
//! one markdown table (about 2 minutes).

use chrono::{Timelike, Utc};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

const SAMPLES: usize = 30;
const IDLE_JOBS: usize = 10_000;
const IDLE_SECONDS: u64 = 30;
const SETTLE: Duration = Duration::from_secs(3);

/// Microseconds past the whole second that `now` is.
fn past_second() -> u64 {
    u64::from(Utc::now().nanosecond() % 1_000_000_000) / 1000
}

/// The process's user + system CPU time, in microseconds.
fn cpu_micros() -> u64 {
    // SAFETY: getrusage writes the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &raw mut usage);
        usage
    };
    let micros = |t: libc::timeval| t.tv_sec.unsigned_abs() * 1_000_000 + t.tv_usec.unsigned_abs();
    micros(usage.ru_utime) + micros(usage.ru_stime)
}

/// `VmRSS` of this process, in kB.
fn rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// CPU time per minute over `IDLE_SECONDS` of an idle scheduler, and RSS.
fn idle_figures() -> String {
    std::thread::sleep(SETTLE);
    let before = cpu_micros();
    std::thread::sleep(Duration::from_secs(IDLE_SECONDS));
    let used = cpu_micros() - before;
    #[allow(clippy::cast_precision_loss)]
    let per_minute = used as f64 / 1000.0 * 60.0 / IDLE_SECONDS as f64;
    format!("{per_minute:.3} {}", rss_kb())
}

fn apsched_latency() -> String {
    use apsched::{JobSpec, Scheduler, TriggerSpec};
    let scheduler = Scheduler::builder().build().expect("a scheduler");
    let (tx, rx) = mpsc::channel();
    let job = JobSpec::function("tick", TriggerSpec::cron("* * * * * *"), move |_| {
        tx.send(past_second()).map_err(|e| e.to_string())
    });
    scheduler.add_job(job).expect("added");
    let handle = scheduler.start().expect("started");
    let lags: Vec<u64> = rx.iter().take(SAMPLES).collect();
    handle.shutdown(true).expect("stopped");
    join(&lags)
}

fn apsched_idle() -> String {
    use apsched::{JobSpec, Scheduler, TriggerSpec};
    let scheduler = Scheduler::builder().build().expect("a scheduler");
    for i in 0..IDLE_JOBS {
        let job = JobSpec::function(format!("j{i}"), TriggerSpec::cron("0 0 1 1 *"), |_| {
            Ok::<(), String>(())
        });
        scheduler.add_job(job).expect("added");
    }
    let handle = scheduler.start().expect("started");
    let figures = idle_figures();
    handle.shutdown(true).expect("stopped");
    figures
}

fn tcs_latency() -> String {
    use tokio_cron_scheduler::{Job, JobScheduler};
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    rt.block_on(async {
        let sched = JobScheduler::new().await.expect("a scheduler");
        let (tx, rx) = mpsc::channel();
        let job = Job::new("* * * * * *", move |_, _| {
            let _ = tx.send(past_second());
        })
        .expect("a job");
        sched.add(job).await.expect("added");
        sched.start().await.expect("started");
        let lags =
            tokio::task::spawn_blocking(move || rx.iter().take(SAMPLES).collect::<Vec<u64>>())
                .await
                .expect("the samples");
        join(&lags)
    })
}

fn tcs_idle() -> String {
    use tokio_cron_scheduler::{Job, JobScheduler};
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    rt.block_on(async {
        let sched = JobScheduler::new().await.expect("a scheduler");
        for _ in 0..IDLE_JOBS {
            let job = Job::new("0 0 0 1 1 *", |_, _| {}).expect("a job");
            sched.add(job).await.expect("added");
        }
        sched.start().await.expect("started");
        tokio::task::spawn_blocking(idle_figures)
            .await
            .expect("the figures")
    })
}

fn join(lags: &[u64]) -> String {
    lags.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `p` (0 to 100) of `sorted`, nearest rank.
fn percentile(sorted: &[u64], p: usize) -> u64 {
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted[rank.min(sorted.len()) - 1]
}

/// Runs this binary as `system scenario`; what it printed.
fn measure(system: &str, scenario: &str) -> String {
    let me = std::env::current_exe().expect("this binary");
    let out = Command::new(me)
        .args([system, scenario])
        .output()
        .expect("a run");
    assert!(
        out.status.success(),
        "{system} {scenario}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn row(system: &str) -> String {
    let mut lags: Vec<u64> = measure(system, "latency")
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    lags.sort_unstable();
    let ms = |us: u64| format!("{:.2}", us as f64 / 1000.0);
    let idle = measure(system, "idle");
    let (cpu, rss) = idle.split_once(' ').unwrap_or(("?", "0"));
    let rss: f64 = rss.parse().unwrap_or(0.0);
    format!(
        "| {system} | {} / {} / {} ms | {cpu} ms/min | {:.1} MB |",
        ms(percentile(&lags, 50)),
        ms(percentile(&lags, 99)),
        ms(*lags.last().unwrap_or(&0)),
        rss / 1024.0
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let picked = args.iter().map(String::as_str).collect::<Vec<_>>();
    let out = match picked.as_slice() {
        ["apsched", "latency"] => apsched_latency(),
        ["apsched", "idle"] => apsched_idle(),
        ["tokio-cron-scheduler", "latency"] => tcs_latency(),
        ["tokio-cron-scheduler", "idle"] => tcs_idle(),
        [] => {
            println!(
                "| library | closure job start after its second, p50 / p99 / max ({SAMPLES} runs) | idle CPU, {IDLE_JOBS} jobs | RSS, {IDLE_JOBS} jobs |"
            );
            println!("|---|---|---|---|");
            for system in ["apsched", "tokio-cron-scheduler"] {
                println!("{}", row(system));
            }
            return;
        }
        _ => {
            eprintln!("usage: libbench [apsched|tokio-cron-scheduler latency|idle]");
            std::process::exit(2);
        }
    };
    println!("{out}");
}
