//! The real [`Host`](crate::runner::Host) of `apsched run` and of the
//! library's `Scheduler`: the wall clock, sleeping on a channel that
//! signals, exiting children, changes of a watched file, clock steps and
//! the library's handle wake, job processes and functions, the state
//! store, the log, and the service manager's notify socket. Inside a
//! program ([`RealHost::embedded`]) it installs no signal handler and
//! reaps only its own children.

mod clock;
use clock::ClockWatch;
mod direct;
mod fence;
mod identity;
pub(crate) use identity::{jobs_hash, node_info};
pub(crate) mod hooks;
mod input;
use input::finishing;
mod launch;
pub(crate) mod metrics;
mod node;
use fence::Fence;
pub(crate) use node::Node;
mod notify;
mod observe;
mod orphans;
pub(crate) use orphans::{Settled, settle_orphans};
mod output;
pub(crate) use direct::run_direct;
mod pool;
mod process;
mod program;
pub(crate) use program::{Program, Source};
mod seam;
mod signals;
pub(crate) use signals::Msg;
mod state;
pub(crate) use state::State;
mod watch;
pub(crate) use watch::Version;

use crate::config::{Job, Settings};
use crate::console::Console;
use crate::log::{Format, Logger};
use crate::scheduler::{Event, RunId};
use crate::store::{JobState, StateStore};
use notify::Notifier;
use observe::Observers;
use output::Forwarder;
use pool::Pool;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicI64;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

/// How long shutdown waits for the last job output to be forwarded.
const OUTPUT_DRAIN: Duration = Duration::from_secs(2);

/// The host of a running `apsched run`, and of a library `Scheduler`.
pub(crate) struct RealHost {
    source: Source,
    shell: String,
    logger: Logger,
    rx: Receiver<Msg>,
    /// For the watching thread, if one is started.
    tx: Sender<Msg>,
    forwarder: Forwarder,
    /// Running processes: pid to run, and run to pid.
    runs: HashMap<i32, RunId>,
    pids: HashMap<RunId, u32>,
    state: State,
    notify: Notifier,
    observers: Observers,
    /// The node of a cluster this process is (PostgreSQL state).
    node: Option<Node>,
    /// A node's runs of `on_lost = "rerun"` jobs, ended when it cannot
    /// renew its lease.
    fence: Option<Fence>,
    /// The database's clock minus this host's, in microseconds: runs are
    /// due by the database's clock.
    offset: Arc<AtomicI64>,
    /// Wakes the runner at once when the wall clock is set; `None` if it
    /// could not start or has ended.
    clock: Option<ClockWatch>,
    /// The worker threads of function jobs.
    pool: Pool,
    /// The jobs' saved states for start-up: loaded with the state, or
    /// `None` to read each from the store when it is asked for.
    saved: Option<HashMap<String, JobState>>,
}

/// Gives the allocator's free whole pages back to the system. What
/// reading the file or starting up freed (the file's text, its parsed
/// pieces, the saved states, batches of log lines) lies between live
/// allocations, where glibc would otherwise keep it.
pub(crate) fn give_back_memory() {
    // SAFETY: malloc_trim takes the allocator's own locks and only returns
    // pages that hold no live allocation.
    #[cfg(target_env = "gnu")]
    unsafe {
        libc::malloc_trim(0);
    }
}

impl RealHost {
    /// The jobs' saved states for start-up; with `lazy`, none were loaded
    /// and each is read from the store when start-up asks for it.
    pub(crate) fn use_saved(&mut self, jobs: HashMap<String, JobState>, lazy: bool) {
        self.saved = (!lazy).then_some(jobs);
    }

    /// Installs signal handling and output forwarding. Call before any job starts.
    pub(crate) fn start(
        file: PathBuf,
        settings: &Settings,
        logger: Logger,
        output: (Arc<Console>, Format),
        store: Box<dyn StateStore>,
    ) -> std::io::Result<RealHost> {
        let (tx, rx) = channel();
        signals::start(tx.clone())?;
        let (notify, problem) = Notifier::from_env();
        let mut host = RealHost::new(
            Source::File(file),
            (tx, rx),
            settings,
            logger,
            output,
            store,
        )?;
        host.notify = notify;
        if let Some(event) = problem {
            host.logger.log(&event);
        }
        Ok(host)
    }

    /// A host reached through `channel`, forwarding output, watching the
    /// clock; no signal handling, no service manager.
    fn new(
        source: Source,
        (tx, rx): (Sender<Msg>, Receiver<Msg>),
        settings: &Settings,
        logger: Logger,
        (console, format): (Arc<Console>, Format),
        store: Box<dyn StateStore>,
    ) -> std::io::Result<RealHost> {
        let clock = clock::start(tx.clone());
        let mut host = RealHost {
            source,
            shell: settings.shell.clone(),
            logger,
            rx,
            tx: tx.clone(),
            forwarder: Forwarder::start(tx.clone(), console, format)?,
            runs: HashMap::new(),
            pids: HashMap::new(),
            state: State::new(store),
            notify: Notifier::none(),
            observers: Observers::default(),
            saved: Some(HashMap::new()),
            node: None,
            fence: None,
            offset: Arc::new(AtomicI64::new(0)),
            clock: None,
            pool: Pool::new(settings.max_workers, tx),
        };
        match clock {
            Ok(watch) => host.clock = Some(watch),
            Err(error) => host.logger.log(&Event::ClockWatchFailed { error }),
        }
        Ok(host)
    }

    /// Runs as `node` of its cluster: renews its lease, reaps lost runs,
    /// reads controls on NOTIFY and every `poll`, keeps time by the
    /// database's clock.
    pub(crate) fn join(&mut self, mut node: Node, poll: Duration, jobs: &[Arc<Job>]) {
        let fence = Fence::new(jobs);
        node.start(&self.tx, &self.logger, poll, &fence);
        self.fence = Some(fence);
        self.offset = node.offset();
        self.node = Some(node);
    }

    /// Counts what happens for the metrics endpoint from now on. Call
    /// before [`RealHost::start_hooks`], which counts hook results there.
    pub(crate) fn observe_metrics(&mut self, metrics: metrics::Metrics) {
        self.observers.metrics = Some(metrics);
    }

    /// Starts the hook thread if the file sets any hook (or, later, when a
    /// reload first sets one).
    pub(crate) fn start_hooks(&mut self, settings: &Settings, jobs: &[Arc<Job>]) {
        let logger = self.logger.clone();
        self.observers.start_hooks(settings, jobs, logger);
    }

    /// Reloads the schedule file whenever it changes (`--watch`), and at
    /// once if it changed since it was read as `loaded`; an error, for
    /// people, when it cannot be watched.
    pub(crate) fn watch(&mut self, loaded: Version) -> Result<(), String> {
        let Source::File(file) = &self.source else {
            return Err("a program's scheduler has no file to watch".into());
        };
        watch::start(file.clone(), loaded, self.tx.clone())
    }

    /// Sends the service manager what it is owed before a wait (after the
    /// log lines before it are out), logging a failure.
    fn notify_before_wait(&mut self) {
        if let Some(event) = self.notify.before_wait() {
            self.logger.log(&event);
            self.logger.flush();
        }
    }

    /// Flushes the remaining job output and saves its tails; call after the
    /// runner returns.
    pub(crate) fn finish(mut self) {
        if let Some(clock) = &self.clock {
            clock.stop();
        }
        if let Some(node) = &self.node {
            node.leave();
        }
        // Running functions cannot be stopped: they are waited for.
        self.pool.finish();
        self.logger.flush();
        self.forwarder.finish(OUTPUT_DRAIN);
        while let Ok(msg) = self.rx.try_recv() {
            finishing(&mut self.observers, &mut self.state, &mut self.logger, msg);
        }
        // Running hooks get a short while; their exits come through here.
        if let Some(until) = self.observers.finish_hooks() {
            let until = until + observe::FINISH_SLACK;
            while !self.observers.hooks_done() && Instant::now() < until {
                if let Ok(msg) = self.rx.recv_timeout(Duration::from_millis(20)) {
                    finishing(&mut self.observers, &mut self.state, &mut self.logger, msg);
                }
            }
        }
        self.logger.flush();
    }
}
