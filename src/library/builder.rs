//! Building a [`Scheduler`]: its zone, job defaults, workers and state.

use super::store::open_for_program;
use super::{Error, Inner, Scheduler, SchedulerHandle, jobs};
use crate::config::DEFAULT_CLUSTER;
use crate::config::{Defaults, Settings, Shared};
use crate::store::{Database, Location};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::mpsc::channel;
use std::time::Duration;

/// Builds a [`Scheduler`]: zone, job defaults, workers and state.
///
/// ```
/// use apsched::Scheduler;
/// use std::time::Duration;
///
/// let dir = std::env::temp_dir().join(format!("apsched-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).map_err(|e| apsched::Error::State(e.to_string()))?;
/// let scheduler = Scheduler::builder()
///     .timezone(chrono_tz::Europe::Berlin)
///     .max_workers(4)
///     .misfire_grace_time(Some(Duration::from_secs(600)))
///     .coalesce(true)
///     .sqlite(dir.join("jobs.db")) // or .postgres("postgresql://...").node_id("web-1")
///     .build()?;
/// # drop(scheduler);
/// # let _ = std::fs::remove_dir_all(&dir);
/// # Ok::<(), apsched::Error>(())
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct SchedulerBuilder {
    settings: Settings,
    defaults: Defaults,
    store: Location,
    /// The node id, for a PostgreSQL store.
    node_id: Option<String>,
}

impl SchedulerBuilder {
    pub(super) fn new() -> SchedulerBuilder {
        SchedulerBuilder {
            settings: Settings::defaults(None),
            defaults: Defaults::default(),
            store: Location::Memory,
            node_id: None,
        }
    }

    /// The zone of every job that names none (default UTC).
    ///
    /// ```
    /// use apsched::{JobSpec, Scheduler, TriggerSpec};
    /// let scheduler = Scheduler::builder().timezone(chrono_tz::Asia::Tokyo).build()?;
    /// // 09:00 in Tokyo, as the job names no zone of its own.
    /// scheduler.add_job(JobSpec::shell("morning", TriggerSpec::cron("0 9 * * *"), "true"))?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn timezone(mut self, tz: Tz) -> SchedulerBuilder {
        self.settings.timezone = tz;
        self
    }

    /// How many runs may go at once, functions and commands together
    /// (default 10; at least 1).
    ///
    /// ```
    /// let scheduler = apsched::Scheduler::builder().max_workers(4).build()?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn max_workers(mut self, n: usize) -> SchedulerBuilder {
        self.settings.max_workers = n.max(1);
        self
    }

    /// The default grace time of jobs (default `None`, no limit).
    ///
    /// ```
    /// use std::time::Duration;
    /// // A run more than 5 minutes late is missed, not run.
    /// let scheduler = apsched::Scheduler::builder()
    ///     .misfire_grace_time(Some(Duration::from_secs(300)))
    ///     .build()?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn misfire_grace_time(mut self, grace: Option<Duration>) -> SchedulerBuilder {
        self.defaults.misfire_grace_time = grace;
        self
    }

    /// Whether jobs coalesce run times due at once by default (default true).
    ///
    /// ```
    /// // After downtime, run each job once per missed run time, not once.
    /// let scheduler = apsched::Scheduler::builder().coalesce(false).build()?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn coalesce(mut self, coalesce: bool) -> SchedulerBuilder {
        self.defaults.coalesce = coalesce;
        self
    }

    /// The default `max_instances` of jobs (default 1).
    ///
    /// ```
    /// let scheduler = apsched::Scheduler::builder().max_instances(3).build()?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn max_instances(mut self, n: usize) -> SchedulerBuilder {
        self.defaults.max_instances = n;
        self
    }

    /// How long `shutdown(true)` waits for running jobs (default 30 s).
    ///
    /// ```
    /// use std::time::Duration;
    /// let scheduler = apsched::Scheduler::builder()
    ///     .shutdown_timeout(Duration::from_secs(5))
    ///     .build()?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn shutdown_timeout(mut self, timeout: Duration) -> SchedulerBuilder {
        self.settings.shutdown_timeout = timeout;
        self
    }

    /// Keeps the state (each job's next run time, the run history) in
    /// this SQLite file, as `apsched run` does: jobs added again after a
    /// restart, by id, catch up by their grace and coalescing rules. One
    /// scheduler at a time may use a file. Default: in memory.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join(format!("apsched-sqlite-doc-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).map_err(|e| apsched::Error::State(e.to_string()))?;
    /// let scheduler = apsched::Scheduler::builder().sqlite(dir.join("jobs.db")).build()?;
    /// # drop(scheduler);
    /// # let _ = std::fs::remove_dir_all(&dir);
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn sqlite(mut self, path: impl Into<PathBuf>) -> SchedulerBuilder {
        self.store = Location::File(path.into());
        self
    }

    /// Shares the state with the other schedulers on this PostgreSQL
    /// database (a `postgresql://` URL or a key=value string), as the nodes
    /// of a cluster of `apsched run` do: each run time of a job runs once
    /// among them, a run whose scheduler dies is recorded interrupted when
    /// its lease (30 s) ends, and pauses and run-now requests made with
    /// `apsched pause`/`run-now` reach them. Each scheduler is a node of
    /// the cluster `default`, named by [`SchedulerBuilder::node_id`].
    ///
    /// ```no_run
    /// // Every copy of the program runs this; each run time runs in one of them.
    /// let scheduler = apsched::Scheduler::builder()
    ///     .postgres("postgresql://apsched@db.example/jobs")
    ///     .node_id("web-1")
    ///     .build()?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn postgres(mut self, dsn: impl Into<String>) -> SchedulerBuilder {
        self.store = Location::Database(Database {
            dsn: dsn.into(),
            password_file: None,
            cluster: DEFAULT_CLUSTER.into(),
        });
        self
    }

    /// This scheduler's node id in its cluster (1 to 64 letters, digits,
    /// `.`, `_` or `-`; default: the host name). It matters only with
    /// [`SchedulerBuilder::postgres`]: two live schedulers cannot share
    /// one.
    ///
    /// ```no_run
    /// let scheduler = apsched::Scheduler::builder()
    ///     .postgres("host=/run/postgresql dbname=jobs")
    ///     .node_id("worker-2")
    ///     .build()?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn node_id(mut self, id: impl Into<String>) -> SchedulerBuilder {
        self.node_id = Some(id.into());
        self
    }

    /// Opens the state; an error if it cannot be opened or is locked by
    /// another scheduler.
    ///
    /// ```
    /// let scheduler = apsched::Scheduler::builder().build()?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    pub fn build(self) -> Result<Scheduler, Error> {
        let history = self.settings.history;
        let opened = open_for_program(&self.store, history, self.node_id.as_deref())?;
        let (tx, rx) = channel();
        let inner = Arc::new(Inner {
            settings: self.settings,
            defaults: self.defaults,
            jobs: Mutex::new(jobs::JobList::default()),
            shared: Mutex::new(Shared::default()),
            next: Mutex::new(HashMap::new()),
            subscribers: Mutex::new(Vec::new()),
        });
        Ok(Scheduler {
            handle: SchedulerHandle::new(inner, tx.clone()),
            tx,
            rx,
            store: opened.store,
            cluster: opened.cluster,
        })
    }
}
