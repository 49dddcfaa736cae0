//! Scenario 1, idle: jobs whose next runs are at least 11 hours away,
//! watched after startup settles: CPU time per minute (from
//! `/proc/PID/task/*/schedstat`, in ns, and from the clock ticks of
//! `/proc/PID/stat`) and wake-ups (voluntary context switches of the main
//! thread, and all context switches of all threads).

use std::path::Path;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::Sizes;
use crate::procfs::{all_switches, clock_ticks, cpu_ns, cpu_ticks, kb, switches};
use crate::report::{Row, count, row};
use crate::sched::Sched;
use crate::schedule::far_jobs;

/// The counters of one moment.
struct Sample {
    /// CPU time of all threads (ns), and utime + stime (clock ticks).
    ns: u64,
    ticks: u64,
    /// Voluntary context switches of the main thread, all switches of all.
    main_voluntary: u64,
    all: u64,
}

fn sample(pid: i32) -> Sample {
    Sample {
        ns: cpu_ns(pid),
        ticks: cpu_ticks(pid),
        main_voluntary: switches(pid, pid).0,
        all: all_switches(pid),
    }
}

/// Runs the idle scheduler; sends on `settled` once it has loaded its jobs
/// and settled, so the other scenarios can start.
pub fn scenario(bin: &Path, file: &Path, sizes: Sizes, settled: &mpsc::Sender<()>) -> Vec<Row> {
    let jobs = sizes.idle_jobs;
    far_jobs(file, jobs);
    let mut s = Sched::start(bin, file, &[]);
    let loaded = s.wait_for("job_added", jobs, Duration::from_secs(60));
    thread::sleep(sizes.idle_settle);
    s.drain();
    let _ = settled.send(());
    let Some(_) = loaded else {
        eprintln!("idle: the jobs were not all added");
        return vec![row("idle: jobs loaded", "no".into(), "all", Some(false))];
    };
    let pid = s.pid;
    let before = sample(pid);
    let t0 = Instant::now();
    thread::sleep(sizes.idle_watch);
    let after = sample(pid);
    let minutes = t0.elapsed().as_secs_f64() / 60.0;
    s.drain();
    let logged_after = s.log.len();
    let rss = kb(pid, "VmRSS");
    s.stop();
    let cpu_ms = (after.ns - before.ns) as f64 / 1e6 / minutes;
    let tick_ms = (after.ticks - before.ticks) as f64 * 1000.0 / clock_ticks() / minutes;
    let wakes = (after.main_voluntary - before.main_voluntary) as f64 / minutes;
    let all = (after.all - before.all) as f64 / minutes;
    println!(
        "idle: {jobs} jobs, watched {:.0} s: CPU {:.4} ms/min (schedstat), {:.1} ms/min (ticks), \
         main thread {:.1} wake-ups/min, all threads {:.1} switches/min, RSS {rss} kB, log lines {logged_after}",
        minutes * 60.0,
        cpu_ms,
        tick_ms,
        wakes,
        all
    );
    vec![
        row(
            &format!("idle, {} jobs: CPU per minute", count(jobs)),
            format!("{cpu_ms:.3} ms ({tick_ms:.0} ms by ticks)"),
            "< 0.1 ms",
            Some(cpu_ms < 0.1),
        ),
        row(
            &format!(
                "idle, {} jobs: main-thread wake-ups per minute",
                count(jobs)
            ),
            format!("{wakes:.1} (all threads: {all:.1} switches)"),
            "0 (no periodic wake-up)",
            Some(wakes < 0.5),
        ),
    ]
}
