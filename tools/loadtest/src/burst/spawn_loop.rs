//! The baselines of a burst: a plain Rust loop spawning `true`, bare or the
//! way apsched spawns (pipes, process group, environment).

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::Instant;

use rustix::time::{ClockId, clock_gettime};

/// What one spawn loop took.
pub struct Loop {
    /// Start to the last spawn returning, and to the last child reaped, in ms.
    pub spawned: f64,
    pub reaped: f64,
    /// CPU time of the spawning thread until the last spawn, in ms.
    pub cpu: f64,
}

/// CPU time of the calling thread, in ms.
fn thread_cpu_ms() -> f64 {
    let t = clock_gettime(ClockId::ThreadCPUTime);
    t.tv_sec as f64 * 1e3 + t.tv_nsec as f64 / 1e6
}

/// Spawns `n` `true` back to back (`like_apsched`: with apsched's pipes,
/// process group and environment), then reaps them all.
pub fn spawn_loop(n: usize, like_apsched: bool) -> Loop {
    let cpu0 = thread_cpu_ms();
    let t = Instant::now();
    let mut children = Vec::with_capacity(n);
    for _ in 0..n {
        let mut c = Command::new("true");
        if like_apsched {
            c.stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .process_group(0)
                .env("APSCHED_JOB_ID", "burst")
                .env("APSCHED_SCHEDULED_TIME", "2026-11-22T02:47:30+00:00");
        }
        match c.spawn() {
            Ok(child) => children.push(child),
            Err(e) => {
                eprintln!("spawn: {e}");
                break;
            }
        }
    }
    let spawned = t.elapsed().as_secs_f64() * 1e3;
    let cpu = thread_cpu_ms() - cpu0;
    for mut c in children {
        let _ = c.wait();
    }
    Loop {
        spawned,
        reaped: t.elapsed().as_secs_f64() * 1e3,
        cpu,
    }
}
