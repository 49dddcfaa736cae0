//! Prometheus metrics and a health endpoint (`[metrics] listen`,
//! `--metrics-listen`): what the scheduler tells the observers is counted
//! here under a lock held only to update or to copy; the server thread
//! renders its copy outside the lock, so a scrape never holds up the
//! scheduling loop.

mod data;
mod format;
mod histogram;
mod render;
mod rows;
mod server;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_data;

use crate::config::{Job, Listen};
use crate::scheduler::persist::JobState;
use crate::scheduler::{Change, Notice};
use crate::store::LastTimes;
use chrono::Utc;
use data::Data;
use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long the scheduling loop may be busy (neither waiting nor waking)
/// before `/healthz` calls it stuck.
const STUCK: Duration = Duration::from_secs(2 * 60 + 15);

/// What `/healthz` looks at.
struct Health {
    /// When the loop last went to wait or woke.
    alive: Instant,
    /// The loop is waiting (however long: a wait is not stuck).
    waiting: bool,
    /// Why the last state write failed, until one succeeds.
    write_error: Option<String>,
}

struct Shared {
    data: Mutex<Data>,
    health: Mutex<Health>,
}

/// The metrics of a running scheduler; clones share them.
#[derive(Clone)]
pub(crate) struct Metrics {
    shared: Arc<Shared>,
}

/// Binds the endpoint's address (port 0: any free one).
pub(crate) fn bind(listen: &Listen) -> std::io::Result<TcpListener> {
    TcpListener::bind((listen.host.as_str(), listen.port))
}

/// A lock, even if a thread panicked while holding it: the data stays usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Metrics {
    /// The metrics of `jobs` at start: paused and next run from their saved
    /// `states`, last run times from the history (`last`).
    pub(crate) fn new(
        jobs: &[Arc<Job>],
        states: &HashMap<String, JobState>,
        last: &HashMap<String, LastTimes>,
    ) -> Metrics {
        let now = format::micros(&Utc::now());
        Metrics {
            shared: Arc::new(Shared {
                data: Mutex::new(Data::new(jobs, states, last, now)),
                health: Mutex::new(Health {
                    alive: Instant::now(),
                    waiting: false,
                    write_error: None,
                }),
            }),
        }
    }

    /// Serves `/metrics` and `/healthz` on `listener` from a thread of its
    /// own; the address it listens at.
    pub(crate) fn serve(&self, listener: TcpListener) -> std::io::Result<SocketAddr> {
        let addr = listener.local_addr()?;
        server::serve(listener, self.clone())?;
        Ok(addr)
    }

    pub(crate) fn tell(&self, notice: &Notice) {
        let now = format::micros(&Utc::now());
        lock(&self.shared.data).tell(notice, now);
    }

    pub(crate) fn written(&self, change: &Change) {
        if matches!(change, Change::Save { .. } | Change::Claim { .. }) {
            lock(&self.shared.data).written(change);
        }
    }

    /// A state write failed with `error`, or (`None`) one succeeded.
    pub(crate) fn write_result(&self, error: Option<&str>) {
        let mut health = lock(&self.shared.health);
        match error {
            Some(e) => {
                health.write_error = Some(e.to_string());
                drop(health);
                let mut data = lock(&self.shared.data);
                data.write_errors = data.write_errors.saturating_add(1);
            }
            None => health.write_error = None,
        }
    }

    /// The jobs in force after a reload.
    pub(crate) fn jobs(&self, jobs: &[Arc<Job>]) {
        lock(&self.shared.data).set_jobs(jobs);
    }

    /// The scheduling loop ran just now.
    #[cfg(test)]
    pub(crate) fn alive(&self) {
        lock(&self.shared.health).alive = Instant::now();
    }

    /// The scheduling loop goes to wait (`true`), or woke.
    pub(crate) fn waiting(&self, waiting: bool) {
        let mut health = lock(&self.shared.health);
        health.alive = Instant::now();
        health.waiting = waiting;
    }

    /// A hook of `event` ended with `result`: success, failure, timeout or
    /// dropped (`apsched_hook_runs_total`).
    pub(crate) fn hook_ran(&self, event: &str, result: &str) {
        lock(&self.shared.data).hook_ran(event, result);
    }

    /// Writes the exposition to `sink`: a copy taken under the lock (the
    /// jobs' series are shared, not cloned), formatted outside it.
    fn write(&self, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
        let copy = lock(&self.shared.data).clone();
        render::write(&copy, sink)
    }

    /// The exposition as text.
    #[cfg(test)]
    fn render(&self) -> String {
        render::render(&lock(&self.shared.data))
    }

    /// Healthy, or why not (one line).
    fn health(&self) -> Result<(), String> {
        let health = lock(&self.shared.health);
        let idle = health.alive.elapsed();
        if !health.waiting && idle > STUCK {
            return Err(format!(
                "scheduling loop stuck: it has not run for {} s",
                idle.as_secs()
            ));
        }
        match &health.write_error {
            Some(e) => Err(format!(
                "state file not writable: {}",
                crate::text::one_line(e)
            )),
            None => Ok(()),
        }
    }
}
