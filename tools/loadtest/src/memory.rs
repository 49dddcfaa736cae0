//! Scenario 4, memory: peak RSS (VmHWM) after startup with 100 and 100,000
//! jobs; startup time with 100,000 jobs (spawn to the 100,000th `job_added`
//! log line; and with `-q`, spawn to the main thread's first sleep); and
//! `apsched check` on the 100,000-job file.

use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::Sizes;
use crate::procfs::{cpu_ns, kb, thread_state, tids};
use crate::report::{Row, count, row};
use crate::sched::{Sched, reap};
use crate::schedule::far_jobs;

/// Peak and current RSS with `n` jobs, 1 s after the last was added.
fn small(bin: &Path, dir: &Path, n: usize) -> Row {
    let file = dir.join("small.toml");
    far_jobs(&file, n);
    let mut s = Sched::start(bin, &file, &[]);
    s.wait_for("job_added", n, Duration::from_secs(30));
    thread::sleep(Duration::from_secs(1));
    let (hwm, rss) = (kb(s.pid, "VmHWM"), kb(s.pid, "VmRSS"));
    s.stop();
    println!("memory: {n} jobs: VmHWM {hwm} kB, VmRSS {rss} kB");
    row(
        &format!("memory, {} jobs: peak RSS (VmHWM)", count(n)),
        format!(
            "{:.1} MB (RSS {:.1} MB)",
            hwm as f64 / 1024.0,
            rss as f64 / 1024.0
        ),
        "< 10 MB",
        Some((hwm as f64) < 10.0 * 1024.0),
    )
}

/// Startup with many jobs, logged: memory and time.
struct Big {
    /// VmHWM and VmRSS in kB, 2 s after the last job was added.
    hwm: u64,
    rss: u64,
    /// Spawn to the last `job_added` line, in s, and the CPU time by then.
    startup: f64,
    cpu: f64,
}

fn big(bin: &Path, file: &Path, n: usize) -> Big {
    let mut s = Sched::start(bin, file, &[]);
    let pid = s.pid;
    let started_at = s.wait_for("scheduler_started", 1, Duration::from_secs(60));
    let added_at = s.wait_for("job_added", n, Duration::from_secs(120));
    let cpu = cpu_ns(pid) as f64 / 1e9;
    thread::sleep(Duration::from_secs(2));
    let (hwm, rss) = (kb(pid, "VmHWM"), kb(pid, "VmRSS"));
    let usage = s.stop();
    let since = |t: Option<Instant>| t.map_or(f64::NAN, |t| (t - s.spawned).as_secs_f64());
    let startup = since(added_at);
    println!(
        "memory: {n} jobs: VmHWM {hwm} kB, VmRSS {rss} kB after startup; \
         scheduler_started at {:.3} s, last job_added at {startup:.3} s, CPU by then {cpu:.3} s{}",
        since(started_at),
        usage.map_or(String::new(), |u| format!(
            ", rusage maxrss {} kB",
            u.max_rss_kb
        ))
    );
    Big {
        hwm,
        rss,
        startup,
        cpu,
    }
}

/// Startup with `-q` (no log lines): spawn to the main thread's first
/// sleep, and the CPU time by then, in s.
fn quiet(bin: &Path, file: &Path, n: usize) -> (f64, f64) {
    let mut q = Sched::start(bin, file, &["-q"]);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut quiet = f64::NAN;
    while Instant::now() < deadline {
        thread::sleep(Duration::from_micros(500));
        // The runner's wait is the first time the main thread sleeps with
        // all three threads started.
        if tids(q.pid).len() >= 3 && thread_state(q.pid, q.pid) == Some('S') {
            quiet = q.spawned.elapsed().as_secs_f64();
            break;
        }
    }
    let quiet_cpu = cpu_ns(q.pid) as f64 / 1e9;
    q.stop();
    println!("memory: {n} jobs with -q: main thread asleep at {quiet:.3} s, CPU {quiet_cpu:.3} s");
    (quiet, quiet_cpu)
}

/// `apsched check FILE`: wall time in s, peak RSS in kB.
fn check(bin: &Path, file: &Path, n: usize) -> (f64, u64) {
    let t = Instant::now();
    // Reaped by `reap` (wait4, for its resource usage), not by `Child::wait`.
    let child = Command::new(bin)
        .arg("check")
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let usage = match child {
        Ok(child) => reap(child.id() as i32, Duration::from_secs(120)),
        Err(e) => {
            eprintln!("check: cannot start {}: {e}", bin.display());
            None
        }
    };
    let check_s = t.elapsed().as_secs_f64();
    let (rss, cpu) = usage.map_or((0, 0.0), |u| (u.max_rss_kb, u.cpu.as_secs_f64()));
    println!("check: {n} jobs: {check_s:.3} s wall, {cpu:.3} s CPU, max RSS {rss} kB");
    (check_s, rss)
}

pub fn scenario(bin: &Path, dir: &Path, sizes: Sizes) -> Vec<Row> {
    let mut rows = vec![small(bin, dir, sizes.small_jobs)];
    let n = sizes.big_jobs;
    let file = dir.join("big.toml");
    far_jobs(&file, n);
    // Warm the page cache so the first run does not pay for the disk.
    let _ = std::fs::read(&file);
    let b = big(bin, &file, n);
    let (quiet, quiet_cpu) = quiet(bin, &file, n);
    let (check_s, check_rss) = check(bin, &file, n);
    let n = count(n);
    rows.push(row(
        &format!("memory, {n} jobs: peak RSS (VmHWM)"),
        format!(
            "{:.0} MB (RSS after startup {:.0} MB)",
            b.hwm as f64 / 1024.0,
            b.rss as f64 / 1024.0
        ),
        "< 100 MB",
        Some((b.hwm as f64) < 100.0 * 1024.0),
    ));
    rows.push(row(
        &format!("startup, {n} jobs: spawn to last job_added"),
        format!("{:.2} s (CPU {:.2} s)", b.startup, b.cpu),
        "< 1 s",
        Some(b.startup < 1.0),
    ));
    rows.push(row(
        &format!("startup, {n} jobs, -q: spawn to first sleep"),
        format!("{quiet:.2} s (CPU {quiet_cpu:.2} s)"),
        "(reference)",
        None,
    ));
    rows.push(row(
        &format!("apsched check, {n} jobs"),
        format!(
            "{check_s:.2} s, max RSS {:.0} MB",
            check_rss as f64 / 1024.0
        ),
        "(reference)",
        None,
    ));
    rows
}
