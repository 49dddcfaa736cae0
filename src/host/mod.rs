//! The real [`Host`]: the wall clock, sleeping on a channel that signals and
//! exiting children wake, job processes, the state store, and the log.

mod direct;
mod orphans;
mod output;
pub(crate) use direct::run_direct;
mod process;
mod signals;
mod state;

use crate::config::{self, Job, Settings};
use crate::console::Console;
use crate::log::{Format, Logger};
use crate::runner::{Host, Input, PersistError, RecoverError, ReloadError, StartError};
use crate::scheduler::{Change, Event, Record, RunId, RunRequest};
use crate::store::JobState;
use crate::store::sqlite::SqliteStore;
use chrono::{DateTime, Utc};
use output::Forwarder;
use signals::Msg;
use state::State;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// How long shutdown waits for the last job output to be forwarded.
const OUTPUT_DRAIN: Duration = Duration::from_secs(2);

/// The host of a running `apsched run`.
pub(crate) struct RealHost {
    file: PathBuf,
    shell: String,
    logger: Logger,
    rx: Receiver<Msg>,
    forwarder: Forwarder,
    /// Running processes: pid to run, and run to pid.
    runs: HashMap<i32, RunId>,
    pids: HashMap<RunId, u32>,
    state: State,
}

impl RealHost {
    /// Installs signal handling and output forwarding. Call before any job starts.
    pub(crate) fn start(
        file: PathBuf,
        settings: &Settings,
        logger: Logger,
        output: (Arc<Console>, Format),
        store: SqliteStore,
    ) -> std::io::Result<RealHost> {
        let (tx, rx) = channel();
        signals::start(tx.clone())?;
        let (console, format) = output;
        Ok(RealHost {
            file,
            shell: settings.shell.clone(),
            logger,
            rx,
            forwarder: Forwarder::start(tx, console, format)?,
            runs: HashMap::new(),
            pids: HashMap::new(),
            state: State::new(store),
        })
    }

    /// Flushes the remaining job output and saves its tails; call after the
    /// runner returns.
    pub(crate) fn finish(mut self) {
        self.logger.flush();
        self.forwarder.finish(OUTPUT_DRAIN);
        while let Ok(msg) = self.rx.try_recv() {
            if let Msg::Output { record, tail } = msg {
                self.state.output(record, tail, &mut self.logger);
            }
        }
        self.logger.flush();
    }

    fn input(&mut self, msg: Msg) -> Vec<Input> {
        match msg {
            Msg::Stop => vec![Input::Stop],
            Msg::Reload => vec![Input::Reload],
            Msg::Control => state::control(self.state.store()),
            Msg::Output { record, tail } => self.state.output(record, tail, &mut self.logger),
            Msg::Reaped { pid, status } => {
                // Unknown pids are orphans reaped as PID 1.
                let Some(run) = self.runs.remove(&pid) else {
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

impl Host for RealHost {
    fn now(&mut self) -> DateTime<Utc> {
        Utc::now()
    }

    fn wait(&mut self, deadline: DateTime<Utc>) -> Vec<Input> {
        if let Some(error) = self.state.take_failure() {
            return vec![Input::StoreFailed { error }];
        }
        self.logger.flush();
        let timeout = (deadline - Utc::now()).to_std().unwrap_or(Duration::ZERO);
        let mut inputs = Vec::new();
        match self.rx.recv_timeout(timeout) {
            Ok(msg) => inputs.extend(self.input(msg)),
            Err(RecvTimeoutError::Timeout) => return inputs,
            Err(RecvTimeoutError::Disconnected) => return vec![Input::Stop],
        }
        while let Ok(msg) = self.rx.try_recv() {
            inputs.extend(self.input(msg));
        }
        inputs
    }

    fn start(&mut self, run: &RunRequest) -> Result<(), StartError> {
        let pid = process::spawn(run, &self.shell, &self.forwarder).map_err(StartError::new)?;
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
    }

    fn persist(&mut self, change: &Change) -> Result<Vec<Record>, PersistError> {
        self.state.persist(change)
    }

    fn recover(&mut self) -> Result<HashMap<String, JobState>, RecoverError> {
        self.state.recover()
    }

    fn begin(&mut self) {
        if let Err(e) = self.state.store().begin() {
            self.logger.log(&Event::StateError {
                error: e.to_string(),
            });
        }
    }

    fn commit(&mut self) {
        if let Err(e) = self.state.store().commit() {
            self.logger.log(&Event::StateError {
                error: e.to_string(),
            });
        }
    }

    fn reload(&mut self) -> Result<(Settings, Vec<Job>), ReloadError> {
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

/// Ends the processes of runs left started by a scheduler that died, and
/// records each; the events to log, and how many runs were found still
/// running (now interrupted) and how many had ended unseen (unknown).
pub(crate) fn settle_orphans(
    store: &mut SqliteStore,
    started: &[crate::store::StartedRun],
) -> Result<(Vec<Event>, u64, u64), crate::store::StoreError> {
    use crate::store::{RunResult, Store};
    let (mut events, mut interrupted, mut unknown) = (Vec::new(), 0, 0);
    for ((record, result, pgid), run) in orphans::settle(started).into_iter().zip(started) {
        store.run_ended(record, None, None, result)?;
        match result {
            RunResult::Unknown => unknown += 1,
            _ => interrupted += 1,
        }
        if let Some(pgid) = pgid {
            events.push(Event::OrphanEnded {
                job: run.job.clone(),
                run: record,
                pgid,
            });
        }
    }
    Ok((events, interrupted, unknown))
}
