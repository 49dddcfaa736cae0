//! The real [`Host`]: the wall clock, sleeping on a channel that signals and
//! exiting children wake, job processes, and the log.

mod output;
mod process;
mod signals;

use crate::config::{self, Job, Settings};
use crate::log::Logger;
use crate::runner::{Host, Input};
use crate::scheduler::{Event, RunId, RunRequest};
use chrono::{DateTime, Utc};
use output::Forwarder;
use signals::Msg;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// How long shutdown waits for the last job output to be forwarded.
const OUTPUT_DRAIN: Duration = Duration::from_secs(2);

/// The host of a running `apsched run`.
pub struct RealHost {
    file: PathBuf,
    shell: String,
    logger: Logger,
    rx: Receiver<Msg>,
    forwarder: Forwarder,
    /// Running processes: pid to run, and run to pid.
    runs: HashMap<i32, RunId>,
    pids: HashMap<RunId, u32>,
}

impl RealHost {
    /// Installs signal handling and output forwarding. Call before any job starts.
    pub fn start(file: PathBuf, settings: &Settings, logger: Logger) -> std::io::Result<RealHost> {
        let (tx, rx) = channel();
        signals::start(tx)?;
        Ok(RealHost {
            file,
            shell: settings.shell.clone(),
            logger,
            rx,
            forwarder: Forwarder::start()?,
            runs: HashMap::new(),
            pids: HashMap::new(),
        })
    }

    /// Flushes the remaining job output; call after the runner returns.
    pub fn finish(self) {
        self.forwarder.finish(OUTPUT_DRAIN);
    }

    fn input(&mut self, msg: Msg) -> Option<Input> {
        match msg {
            Msg::Stop => Some(Input::Stop),
            Msg::Reload => Some(Input::Reload),
            Msg::Reaped { pid, status } => {
                // Unknown pids are orphans reaped as PID 1.
                let run = self.runs.remove(&pid)?;
                self.pids.remove(&run);
                Some(Input::Exited {
                    run,
                    outcome: signals::outcome(status),
                })
            }
        }
    }
}

impl Host for RealHost {
    fn now(&mut self) -> DateTime<Utc> {
        Utc::now()
    }

    fn wait(&mut self, deadline: DateTime<Utc>) -> Vec<Input> {
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

    fn start(&mut self, run: &RunRequest) -> Result<(), String> {
        let pid = process::spawn(run, &self.shell, &self.forwarder)?;
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

    fn reload(&mut self) -> Result<(Settings, Vec<Job>), Vec<String>> {
        match config::load(&self.file) {
            Ok(c) => {
                self.shell = c.scheduler.shell.clone();
                Ok((c.scheduler, c.jobs))
            }
            Err(crate::error::Error::Config { diagnostics, .. }) => {
                Err(diagnostics.iter().map(|d| d.to_string()).collect())
            }
            Err(e) => Err(vec![e.to_string()]),
        }
    }
}
