//! Self-fencing of a node's `on_lost = "rerun"` runs: once the node has not
//! renewed its lease for two thirds of it (measured on this host's
//! monotonic clock from when the last renewal that worked was sent), the
//! other nodes may soon reap those runs and start their next attempts, so
//! the node ends them itself (SIGTERM to each process group, SIGKILL 5
//! seconds later). A thread of its own watches: a renewal that hangs must
//! not stop it. Runs of `record` jobs are left running: nobody runs them
//! again.

use super::process::signal_group;
use crate::config::{Job, OnLost};
use crate::log::Logger;
use crate::scheduler::Event;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a group has between SIGTERM and SIGKILL.
const KILL_AFTER: Duration = Duration::from_secs(5);

/// What the keeper, the host and the watching thread share.
#[derive(Debug)]
struct Shared {
    /// The jobs run again when lost, and their most attempts.
    rerun: Vec<(String, i32)>,
    /// Running processes of those jobs: pid (its group's id) to job.
    pids: HashMap<u32, String>,
    /// When the last renewal that worked was sent.
    renewed: Instant,
}

/// A handle on the shared state; clones share it.
#[derive(Clone, Debug)]
pub(crate) struct Fence(Arc<Mutex<Shared>>);

impl Fence {
    pub(crate) fn new(jobs: &[Arc<Job>]) -> Fence {
        let fence = Fence(Arc::new(Mutex::new(Shared {
            rerun: Vec::new(),
            pids: HashMap::new(),
            renewed: Instant::now(),
        })));
        fence.jobs(jobs);
        fence
    }

    fn with<T>(&self, f: impl FnOnce(&mut Shared) -> T) -> T {
        f(&mut self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The jobs as (re)loaded.
    pub(crate) fn jobs(&self, jobs: &[Arc<Job>]) {
        let rerun = jobs
            .iter()
            .filter(|j| j.more.on_lost == OnLost::Rerun)
            .map(|j| (j.id.clone(), i32::from(j.more.max_attempts)))
            .collect();
        self.with(|s| s.rerun = rerun);
    }

    /// The rerun jobs and their most attempts, for the reaper.
    pub(super) fn rerun(&self) -> Vec<(String, i32)> {
        self.with(|s| s.rerun.clone())
    }

    /// A run of `job` started as `pid`: watched if the job is rerun.
    pub(super) fn started(&self, job: &str, pid: u32) {
        self.with(|s| {
            if s.rerun.iter().any(|(j, _)| j == job) {
                s.pids.insert(pid, job.to_string());
            }
        });
    }

    pub(super) fn ended(&self, pid: u32) {
        self.with(|s| s.pids.remove(&pid));
    }

    /// A renewal sent at `sent` worked.
    pub(super) fn renewed(&self, sent: Instant) {
        self.with(|s| s.renewed = s.renewed.max(sent));
    }

    /// Watches from a thread of its own: ends the rerun runs once the lease
    /// has not been renewed for two thirds of `lease`.
    pub(super) fn watch(&self, lease: Duration, mut logger: Logger) {
        let fence = self.clone();
        let _ = std::thread::Builder::new()
            .name("apsched-fence".into())
            .spawn(move || fence.run(lease.saturating_sub(lease / 3), &mut logger));
    }

    fn run(&self, limit: Duration, logger: &mut Logger) {
        let mut fenced = false;
        loop {
            std::thread::sleep(Duration::from_millis(250));
            let (late, pids) = self.with(|s| (s.renewed.elapsed() > limit, s.pids.clone()));
            if !late {
                fenced = false;
                continue;
            }
            if fenced || pids.is_empty() {
                continue;
            }
            fenced = true;
            for (pid, job) in &pids {
                logger.log(&Event::LeaseLostKilled {
                    job: job.clone(),
                    pid: *pid,
                });
                signal_group(*pid, false);
            }
            logger.flush();
            std::thread::sleep(KILL_AFTER);
            for pid in pids.keys() {
                if self.with(|s| s.pids.contains_key(pid)) {
                    signal_group(*pid, true);
                }
            }
        }
    }
}
