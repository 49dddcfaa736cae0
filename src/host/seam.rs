//! The runner's [`Host`] seam, as the real host carries it out: the clock
//! (the database's, in a cluster), waiting on the channel, processes, the
//! state store, the log, hooks and metrics, and reloading the file.

use super::signals::Msg;
use super::{RealHost, Source, orphans, process, program};
use crate::config::{self, Job, Settings};
use crate::runner::{Host, Input, PersistError, RecoverError, ReloadError, StartError};
use crate::scheduler::{Change, Event, Notice, Record, RunId, RunRequest};
use crate::store::JobState;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

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
        self.observers.waiting(true);
        let received = self.receive(deadline);
        self.observers.waiting(false);
        let msg = match received {
            Ok(msg) => msg,
            Err(RecvTimeoutError::Timeout) => return Vec::new(),
            Err(RecvTimeoutError::Disconnected) => return vec![Input::Stop],
        };
        let mut inputs = self.input(msg);
        while let Ok(msg) = self.rx.try_recv() {
            // A reload reads the program's jobs as they are by then: the
            // first of a batch sees every change of it.
            if msg == Msg::Jobs && inputs.contains(&Input::Reload) {
                continue;
            }
            inputs.extend(self.input(msg));
        }
        inputs
    }

    fn notices_clock_steps(&self) -> bool {
        // In a cluster the clock is the database's, whose steps only the
        // next measure of its offset shows.
        self.clock.is_some() && self.node.is_none()
    }

    fn start(&mut self, run: &RunRequest) -> Result<(), StartError> {
        if matches!(*run.job.command, config::Command::Call(_)) {
            return self.call(run);
        }
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
        if let Some(fence) = &self.fence {
            fence.started(&run.job.id, pid);
        }
        self.pids.insert(run.run, pid);
        // Inside a program, which may have children of its own, each run's
        // process is waited for by itself rather than reaped with the rest.
        if matches!(self.source, Source::Program(_)) {
            program::wait_for(pid, run.run, self.tx.clone())?;
        }
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
            Ok(_) => {
                self.observers.written(change);
                if let Source::Program(program) = &self.source {
                    program.written(change);
                }
            }
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

    fn saved_states(&mut self, ids: &[&str]) -> HashMap<String, JobState> {
        if let Some(saved) = &mut self.saved {
            return ids
                .iter()
                .filter_map(|id| saved.remove_entry(*id))
                .collect();
        }
        let mut states = HashMap::with_capacity(ids.len());
        for id in ids {
            match self.state.store().saved_job(id) {
                Ok(Some(state)) => {
                    states.insert((*id).to_string(), state);
                }
                Ok(None) => {}
                // The rest start afresh: a claim of a slot their stored
                // next run time does not name is refused, and the job is
                // placed again from its stored row.
                Err(e) => {
                    self.logger.log(&Event::StateError {
                        error: e.to_string(),
                    });
                    break;
                }
            }
        }
        states
    }

    fn settled(&mut self) {
        super::give_back_memory();
    }

    fn reload(&mut self) -> Result<(Settings, Vec<Arc<Job>>), ReloadError> {
        if let Some(failed) = self.notify.reloading() {
            self.logger.log(&failed);
        }
        let (settings, jobs) = match &self.source {
            Source::File(file) => {
                let config = read_again(file)?;
                self.state.store().set_generation(config.generation());
                (config.scheduler, config.jobs)
            }
            Source::Program(program) => program.jobs(),
        };
        self.shell.clone_from(&settings.shell);
        if let Some(fence) = &self.fence {
            fence.jobs(&jobs);
        }
        self.observers.jobs(&settings, &jobs);
        Ok((settings, jobs))
    }
}

/// The schedule file read again, or its problems.
fn read_again(file: &std::path::Path) -> Result<config::Config, ReloadError> {
    if config::is_stdin(file) {
        return Err(ReloadError {
            problems: vec![
                "the schedule came from standard input, which cannot be read again; restart apsched to change it".into(),
            ],
        });
    }
    match config::load(file, chrono::Utc::now()) {
        Ok(config) => Ok(config),
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

impl RealHost {
    /// The first message before `deadline`, feeding the watchdog meanwhile.
    fn receive(&mut self, deadline: DateTime<Utc>) -> Result<Msg, RecvTimeoutError> {
        loop {
            let timeout = (deadline - self.now()).to_std().unwrap_or(Duration::ZERO);
            // A watchdog due first cuts the wait short, only to be fed.
            let feed = (self.notify.watchdog_due())
                .map(|at| at.saturating_duration_since(Instant::now()))
                .filter(|until| *until < timeout);
            match self.rx.recv_timeout(feed.unwrap_or(timeout)) {
                Err(RecvTimeoutError::Timeout) if feed.is_some() => self.notify_before_wait(),
                received => return received,
            }
        }
    }
}
