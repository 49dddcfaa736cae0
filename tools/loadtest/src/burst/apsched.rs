//! One burst in apsched: `n` `true` jobs due in the same second, timed from
//! apsched's own log.

use std::path::Path;
use std::thread;
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};

use crate::procfs::threads_cpu_ms;
use crate::report::sorted;
use crate::sched::{Sched, time_field};
use crate::schedule::burst_jobs;

/// Seconds from writing a burst's file to its due second.
const LEAD: i64 = 3;

/// One burst of jobs due in the same second.
pub struct Burst {
    pub submitted: usize,
    pub executed: usize,
    pub errors: usize,
    /// Scheduled second to the first and last `job_submitted`, and to the
    /// last `job_executed`, in ms (1 ms resolution: the log's).
    pub first: f64,
    pub last_submitted: f64,
    pub last_executed: f64,
    /// CPU time of apsched's main thread and of its other threads from just
    /// before the due second until the last run ended, in ms.
    pub main_cpu: f64,
    pub other_cpu: f64,
}

/// CPU time of the main thread (whose id is the pid) and of the others, in ms.
fn split_cpu(pid: i32) -> (f64, f64) {
    let v = threads_cpu_ms(pid);
    let main: f64 = v.iter().filter(|(tid, _)| *tid == pid).map(|x| x.1).sum();
    let all: f64 = v.iter().map(|x| x.1).sum();
    (main, all - main)
}

/// Sorted offsets in ms from `due` of the `event` lines scheduled at `due`.
fn offsets(s: &Sched, event: &str, due: DateTime<Utc>) -> Vec<f64> {
    sorted(
        s.events(event)
            .iter()
            .filter(|e| time_field(e, "scheduled") == Some(due))
            .filter_map(|e| Some((time_field(e, "time")? - due).num_microseconds()? as f64 / 1e3))
            .collect(),
    )
}

/// Runs `n` jobs due [`LEAD`] seconds from now, with the state in `state`.
pub fn burst_run(bin: &Path, file: &Path, n: usize, state: &str) -> Burst {
    let due = Utc::now().timestamp() + LEAD;
    burst_jobs(file, n, due.rem_euclid(60), state);
    let mut s = Sched::start(bin, file, &[]);
    s.wait_for("job_added", n, Duration::from_secs(LEAD as u64));
    let due_instant = SystemTime::UNIX_EPOCH + Duration::from_secs(due as u64);
    if let Ok(left) = due_instant.duration_since(SystemTime::now()) {
        thread::sleep(left.saturating_sub(Duration::from_millis(200)));
    }
    let (main0, other0) = split_cpu(s.pid);
    s.wait_for("job_executed", n, Duration::from_secs(20));
    let (main1, other1) = split_cpu(s.pid);
    s.stop();
    let due_t = DateTime::from_timestamp(due, 0).unwrap_or_default();
    let submitted = offsets(&s, "job_submitted", due_t);
    let executed = offsets(&s, "job_executed", due_t);
    Burst {
        submitted: submitted.len(),
        executed: executed.len(),
        errors: s.events("job_error").len(),
        first: submitted.first().copied().unwrap_or(f64::NAN),
        last_submitted: submitted.last().copied().unwrap_or(f64::NAN),
        last_executed: executed.last().copied().unwrap_or(f64::NAN),
        main_cpu: main1 - main0,
        other_cpu: other1 - other0,
    }
}
