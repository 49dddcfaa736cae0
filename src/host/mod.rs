//! The real [`Host`]: the wall clock, sleeping on a channel that signals,
//! exiting children and changes of a watched file wake, job processes, the
//! state store, the log, and the service manager's notify socket.

mod direct;
pub(crate) mod hooks;
pub(crate) mod metrics;
mod node;
pub(crate) use node::Node;
mod notify;
mod observe;
mod orphans;
pub(crate) use orphans::settle_orphans;
mod output;
pub(crate) use direct::run_direct;
mod process;
mod signals;
mod state;
mod watch;
pub(crate) use watch::Version;

use crate::config::{self, Job, Settings};
use crate::console::Console;
use crate::log::{Format, Logger};
use crate::runner::{Host, Input, PersistError, RecoverError, ReloadError, StartError};
use crate::scheduler::{Change, Event, Notice, Record, RunId, RunRequest};
use crate::store::{JobState, StateStore};
use chrono::{DateTime, Utc};
use notify::Notifier;
use observe::Observers;
use output::Forwarder;
use signals::Msg;
use state::State;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

/// How long shutdown waits for the last job output to be forwarded.
const OUTPUT_DRAIN: Duration = Duration::from_secs(2);

/// The host of a running `apsched run`.
pub(crate) struct RealHost {
    file: PathBuf,
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
    /// The database's clock minus this host's, in microseconds: runs are
    /// due by the database's clock.
    offset: Arc<AtomicI64>,
}

impl RealHost {
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
        let (console, format) = output;
        let (notify, problem) = Notifier::from_env();
        let mut host = RealHost {
            file,
            shell: settings.shell.clone(),
            logger,
            rx,
            tx: tx.clone(),
            forwarder: Forwarder::start(tx, console, format)?,
            runs: HashMap::new(),
            pids: HashMap::new(),
            state: State::new(store),
            notify,
            observers: Observers::default(),
            node: None,
            offset: Arc::new(AtomicI64::new(0)),
        };
        if let Some(event) = problem {
            host.logger.log(&event);
        }
        Ok(host)
    }

    /// Runs as `node` of its cluster: renews its lease, reaps lost runs,
    /// reads controls on NOTIFY and every `poll`, keeps time by the
    /// database's clock.
    pub(crate) fn join(&mut self, node: Node, poll: Duration) {
        node.start(&self.tx, &self.logger, poll);
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
    pub(crate) fn start_hooks(&mut self, settings: &Settings, jobs: &[Job]) {
        let logger = self.logger.clone();
        self.observers.start_hooks(settings, jobs, logger);
    }

    /// Reloads the schedule file whenever it changes (`--watch`), and at
    /// once if it changed since it was read as `loaded`; an error, for
    /// people, when it cannot be watched.
    pub(crate) fn watch(&mut self, loaded: Version) -> Result<(), String> {
        watch::start(self.file.clone(), loaded, self.tx.clone())
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
        if let Some(node) = &self.node {
            node.leave();
        }
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

    fn input(&mut self, msg: Msg) -> Vec<Input> {
        match msg {
            Msg::Stop => vec![Input::Stop],
            Msg::Reload => vec![Input::Reload],
            Msg::FileChanged => {
                self.logger.log(&Event::FileChanged {
                    path: self.file.display().to_string(),
                });
                vec![Input::FileChanged]
            }
            Msg::WatchFailed { error } => {
                self.logger.log(&Event::WatchFailed { error });
                Vec::new()
            }
            Msg::Control => state::control(self.state.store()),
            Msg::Notices(notices) => {
                for notice in notices {
                    self.observers.notice(notice);
                }
                Vec::new()
            }
            Msg::Output { record, tail } => {
                self.observers.tail(record, &tail);
                let inputs = self.state.output(record, tail, &mut self.logger);
                let failed = inputs.iter().find_map(|i| match i {
                    Input::StoreFailed { error } => Some(error.as_str()),
                    _ => None,
                });
                self.observers.write_result(failed);
                inputs
            }
            Msg::Reaped { pid, status } => {
                // Other pids are hooks, or orphans reaped as PID 1.
                let Some(run) = self.runs.remove(&pid) else {
                    self.observers.reaped(pid, status);
                    return Vec::new();
                };
                self.pids.remove(&run);
                vec![Input::Exited {
                    run,
                    outcome: signals::outcome(status),
                }]
            }
        }
    }
}

/// A message after the runner returned: output tails are saved, exits of
/// hooks passed on; the rest no longer matters.
fn finishing(observers: &mut Observers, state: &mut State, logger: &mut Logger, msg: Msg) {
    match msg {
        Msg::Output { record, tail } => {
            observers.tail(record, &tail);
            state.output(record, tail, logger);
        }
        Msg::Reaped { pid, status } => {
            observers.reaped(pid, status);
        }
        _ => {}
    }
}

impl Host for RealHost {
    fn now(&mut self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::microseconds(self.offset.load(Ordering::Relaxed))
    }

    fn wait(&mut self, deadline: DateTime<Utc>) -> Vec<Input> {
        if let Some(error) = self.state.take_failure() {
            return vec![Input::StoreFailed { error }];
        }
        self.logger.flush();
        self.notify_before_wait();
        self.observers.alive();
        let msg = loop {
            let timeout = (deadline - self.now()).to_std().unwrap_or(Duration::ZERO);
            // A watchdog due first cuts the wait short, only to be fed.
            let feed = (self.notify.watchdog_due())
                .map(|at| at.saturating_duration_since(Instant::now()))
                .filter(|until| *until < timeout);
            match self.rx.recv_timeout(feed.unwrap_or(timeout)) {
                Ok(msg) => break msg,
                Err(RecvTimeoutError::Timeout) if feed.is_some() => self.notify_before_wait(),
                Err(RecvTimeoutError::Timeout) => return Vec::new(),
                Err(RecvTimeoutError::Disconnected) => return vec![Input::Stop],
            }
        };
        self.observers.alive();
        let mut inputs = self.input(msg);
        while let Ok(msg) = self.rx.try_recv() {
            inputs.extend(self.input(msg));
        }
        inputs
    }

    fn start(&mut self, run: &RunRequest) -> Result<(), StartError> {
        let env = self.state.store().run_env(run.record);
        let pid =
            process::spawn(run, &self.shell, &self.forwarder, &env).map_err(StartError::new)?;
        // Its group and start time, to find it if apsched dies before it.
        if let Some(identity) = orphans::identity(pid) {
            self.state.process(run.record, pid, identity);
        }
        if let Ok(p) = i32::try_from(pid) {
            self.runs.insert(p, run.run);
        }
        self.pids.insert(run.run, pid);
        Ok(())
    }

    fn signal(&mut self, run: RunId, kill: bool) {
        if let Some(pid) = self.pids.get(&run) {
            process::signal_group(*pid, kill);
        }
    }

    fn log(&mut self, event: &Event) {
        self.logger.log(event);
        if let Some(failed) = self.notify.event(event) {
            self.logger.log(&failed);
        }
    }

    fn notify(&mut self, notice: Notice) {
        self.observers.notice(notice);
    }

    fn persist(&mut self, change: &Change) -> Result<Vec<Record>, PersistError> {
        // Start and end times by the clock runs are due by: in a cluster,
        // the database's, so that every node's history shares one clock.
        let now = self.now();
        let result = self.state.persist(change, now);
        match &result {
            Ok(_) => self.observers.written(change),
            Err(PersistError::Failed(e)) => self.observers.write_result(Some(e)),
            Err(PersistError::Refused(_) | PersistError::Lost { .. }) => {}
        }
        result
    }

    fn recover(&mut self) -> Result<HashMap<String, JobState>, RecoverError> {
        let recovered = self.state.recover();
        let failed = recovered.as_ref().err().map(ToString::to_string);
        self.observers.write_result(failed.as_deref());
        recovered
    }

    fn begin(&mut self) {
        self.observers.begin();
        if let Err(e) = self.state.store().begin() {
            self.logger.log(&Event::StateError {
                error: e.to_string(),
            });
        }
    }

    fn commit(&mut self) {
        if let Err(e) = self.state.store().commit() {
            self.observers.write_result(Some(&e.to_string()));
            self.logger.log(&Event::StateError {
                error: e.to_string(),
            });
        }
        self.observers.commit();
    }

    fn reload(&mut self) -> Result<(Settings, Vec<Job>), ReloadError> {
        if let Some(failed) = self.notify.reloading() {
            self.logger.log(&failed);
        }
        if config::is_stdin(&self.file) {
            return Err(ReloadError {
                problems: vec![
                    "the schedule came from standard input, which cannot be read again; restart apsched to change it".into(),
                ],
            });
        }
        match config::load(&self.file, chrono::Utc::now()) {
            Ok(c) => {
                self.shell.clone_from(&c.scheduler.shell);
                self.observers.jobs(&c.scheduler, &c.jobs);
                Ok((c.scheduler, c.jobs))
            }
            Err(config::ConfigError::Invalid { diagnostics, .. }) => Err(ReloadError {
                problems: diagnostics
                    .iter()
                    .map(std::string::ToString::to_string)
                    .collect(),
            }),
            Err(e) => Err(ReloadError {
                problems: vec![e.to_string()],
            }),
        }
    }
}
