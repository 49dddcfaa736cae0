//! The host of a library scheduler: the runner's seam ([`Host`]) served by
//! a channel the handle and the workers write to, a pool of worker
//! threads for functions, plain child processes for commands, the state
//! store, and the subscribers of its events. It installs no signal
//! handler: the program around it owns its signals.

use super::event::public;
use super::pool::{Pool, Task};
use super::{Inner, SchedulerEvent};
use crate::call::JobContext;
use crate::config::{Command, Job, Settings};
use crate::host::{ClockWatch, State};
use crate::runner::{Host, Input, PersistError, RecoverError, ReloadError, StartError};
use crate::scheduler::{Change, Event, Outcome, Record, RunId, RunRequest};
use crate::store::JobState;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::os::unix::process::{CommandExt as _, ExitStatusExt as _};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};

/// What reaches a running library scheduler.
pub(crate) enum Msg {
    /// `shutdown`: a second one ends the runs at once.
    Stop,
    /// The handle changed the jobs.
    Jobs,
    Paused {
        job: String,
        paused: bool,
    },
    RunNow {
        job: String,
    },
    /// A run (function or process) ended.
    Done {
        run: RunId,
        outcome: Outcome,
    },
    /// The wall clock was set, or the machine resumed from suspend.
    ClockSet,
    /// The clock watch ended: from now on the scheduler re-reads the clock
    /// at least once a minute.
    ClockWatchFailed,
}

impl crate::host::ClockMsg for Msg {
    fn clock_set() -> Msg {
        Msg::ClockSet
    }

    fn watch_failed(_error: String) -> Msg {
        Msg::ClockWatchFailed
    }
}

pub(crate) struct LibHost {
    inner: Arc<Inner>,
    rx: Receiver<Msg>,
    tx: Sender<Msg>,
    state: State,
    saved: HashMap<String, JobState>,
    pool: Pool,
    /// Running command processes by run: their process group ids.
    groups: HashMap<RunId, u32>,
    /// Wakes the scheduler when the wall clock is set, so that it sleeps
    /// until its next run time with no wake-up between; `None` if it could
    /// not start or has ended.
    clock: Option<ClockWatch>,
}

impl LibHost {
    pub(crate) fn new(
        inner: Arc<Inner>,
        (tx, rx): (Sender<Msg>, Receiver<Msg>),
        state: State,
        saved: HashMap<String, JobState>,
        max_workers: usize,
    ) -> LibHost {
        let pool = Pool::new(max_workers, tx.clone());
        let clock = crate::host::watch_clock(tx.clone()).ok();
        LibHost {
            inner,
            rx,
            tx,
            state,
            saved,
            pool,
            groups: HashMap::new(),
            clock,
        }
    }

    /// Ends the clock watch and waits for the running functions to return.
    pub(crate) fn finish(self) {
        if let Some(clock) = &self.clock {
            clock.stop();
        }
        self.pool.finish();
    }

    fn input(&mut self, msg: Msg) -> Option<Input> {
        Some(match msg {
            Msg::Stop => Input::Stop,
            Msg::Jobs => Input::Reload,
            Msg::Paused { job, paused } => Input::Paused { job, paused },
            Msg::RunNow { job } => Input::RunNow { job, request: None },
            Msg::Done { run, outcome } => {
                self.groups.remove(&run);
                Input::Exited { run, outcome }
            }
            Msg::ClockSet => Input::ClockSet,
            Msg::ClockWatchFailed => {
                self.clock = None;
                return None;
            }
        })
    }

    /// Starts a command's process in its own group; a thread waits for it.
    fn spawn(&mut self, run: &RunRequest) -> Result<(), StartError> {
        let mut command = match &*run.job.command {
            Command::Shell(text) => {
                let mut c = std::process::Command::new(&self.inner.settings.shell);
                c.arg("-c").arg(text);
                c
            }
            Command::Argv(argv) => {
                let mut c = std::process::Command::new(&argv[0]);
                c.args(&argv[1..]);
                c
            }
            Command::Call(_) => return Err(StartError::new("a function is not a command")),
        };
        let more = &run.job.more;
        if let Some(dir) = &more.cwd {
            crate::host::usable_dir(dir).map_err(StartError::new)?;
            command.current_dir(dir);
        }
        command.envs(more.env.iter().map(|(k, v)| (k, v)));
        command
            .process_group(0)
            .stdin(Stdio::null())
            .env("APSCHED_JOB_ID", &run.job.id)
            .env("APSCHED_RUN_ID", run.record.to_string())
            .env(
                "APSCHED_SCHEDULED_TIME",
                crate::timefmt::rfc3339_auto(&run.scheduled),
            );
        let mut child = command.spawn().map_err(StartError::new)?;
        self.groups.insert(run.run, child.id());
        let (done, id) = (self.tx.clone(), run.run);
        let waiter = std::thread::Builder::new()
            .name("apsched-wait".into())
            .spawn(move || {
                let outcome = match child.wait() {
                    Ok(status) => match (status.code(), status.signal()) {
                        (Some(code), _) => Outcome::Exited(code),
                        (None, Some(signal)) => Outcome::Signaled(signal),
                        (None, None) => Outcome::Exited(-1),
                    },
                    Err(e) => Outcome::Failed(format!("cannot wait for it: {e}")),
                };
                let _ = done.send(Msg::Done { run: id, outcome });
            });
        waiter.map(drop).map_err(StartError::new)
    }
}

/// Spawns an async job's run on its runtime; a task around it tells the
/// scheduler how it ended (a panic included).
#[cfg(feature = "tokio")]
fn spawn_future(
    runtime: &tokio::runtime::Handle,
    run: crate::call::Run,
    id: RunId,
    done: Sender<Msg>,
) {
    let inner = runtime.spawn(run);
    runtime.spawn(async move {
        let outcome = match inner.await {
            Ok(Ok(())) => Outcome::Exited(0),
            Ok(Err(error)) => Outcome::Failed(error),
            Err(e) if e.is_panic() => Outcome::Failed("panicked".into()),
            Err(e) => Outcome::Failed(e.to_string()),
        };
        let _ = done.send(Msg::Done { run: id, outcome });
    });
}

impl Host for LibHost {
    fn now(&mut self) -> DateTime<Utc> {
        Utc::now()
    }

    fn notices_clock_steps(&self) -> bool {
        self.clock.is_some()
    }

    fn wait(&mut self, deadline: DateTime<Utc>) -> Vec<Input> {
        let first = if deadline == DateTime::<Utc>::MAX_UTC {
            self.rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            let timeout = (deadline - Utc::now()).to_std().unwrap_or_default();
            self.rx.recv_timeout(timeout)
        };
        let mut inputs = Vec::new();
        if let Ok(msg) = first {
            inputs.extend(self.input(msg));
            while let Ok(msg) = self.rx.try_recv() {
                let Some(input) = self.input(msg) else {
                    continue;
                };
                // A reload reads the jobs as they are by then: the first of
                // a batch sees every change of it.
                if input != Input::Reload || !inputs.contains(&Input::Reload) {
                    inputs.push(input);
                }
            }
        }
        inputs
    }

    fn start(&mut self, run: &RunRequest) -> Result<(), StartError> {
        if let Command::Call(call) = &*run.job.command {
            let ctx = JobContext {
                job_id: run.job.id.clone(),
                scheduled: run.scheduled.with_timezone(&Utc),
                run_id: run.record,
            };
            #[cfg(feature = "tokio")]
            if let crate::call::Body::Future(launch, runtime) = &call.0 {
                spawn_future(runtime, launch(ctx), run.run, self.tx.clone());
                return Ok(());
            }
            let task = Task {
                call: call.clone(),
                ctx,
                run: run.run,
            };
            return self.pool.submit(task).map_err(StartError::new);
        }
        self.spawn(run)
    }

    fn signal(&mut self, run: RunId, kill: bool) {
        // A function cannot be stopped; a command's group can.
        let Some(group) = self.groups.get(&run) else {
            return;
        };
        let signal = if kill {
            rustix::process::Signal::KILL
        } else {
            rustix::process::Signal::TERM
        };
        if let Some(pid) = i32::try_from(*group)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        {
            let _ = rustix::process::kill_process_group(pid, signal);
        }
    }

    fn log(&mut self, event: &Event) {
        if let Some(event) = public(event) {
            self.inner.publish(&event);
        }
    }

    fn reload(&mut self) -> Result<(Settings, Vec<Arc<Job>>), ReloadError> {
        Ok((self.inner.settings(), self.inner.jobs()))
    }

    fn persist(&mut self, change: &Change) -> Result<Vec<Record>, PersistError> {
        let records = self.state.persist(change, Utc::now())?;
        match change {
            Change::Save { job, state } => self.inner.set_next(job, state.next_run, state.paused),
            Change::Claim { claim, .. } => self.inner.set_next(&claim.job, claim.next, false),
            _ => {}
        }
        Ok(records)
    }

    fn recover(&mut self) -> Result<HashMap<String, JobState>, RecoverError> {
        self.state.recover()
    }

    fn begin(&mut self) {
        if let Err(e) = self.state.store().begin() {
            self.inner.publish(&SchedulerEvent::StateError {
                error: e.to_string(),
            });
        }
    }

    fn commit(&mut self) {
        if let Err(e) = self.state.store().commit() {
            self.inner.publish(&SchedulerEvent::StateError {
                error: e.to_string(),
            });
        }
    }

    fn saved_states(&mut self, ids: &[&str]) -> HashMap<String, JobState> {
        ids.iter()
            .filter_map(|id| self.saved.remove_entry(*id))
            .collect()
    }
}
