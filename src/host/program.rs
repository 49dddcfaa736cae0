//! The host of a scheduler inside a program (the library's
//! `Scheduler`): its jobs come from the program instead of a schedule
//! file, its events go to the program's subscribers, functions run on a
//! pool of worker threads, and it installs no signal handler and reaps no
//! child but its own: the program around it owns its signals and its
//! other children.

use super::pool::Task;
use super::signals::Msg;
use super::{RealHost, signals};
use crate::call::JobContext;
use crate::config::{Command, Job, Settings};
use crate::console::Console;
use crate::log::{Format, Logger, Tap};
use crate::runner::StartError;
use crate::scheduler::{Change, Event, Level, Outcome, RunId, RunRequest};
use crate::store::StateStore;
use chrono::Utc;
use rustix::process::{Pid, WaitOptions, waitpid};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};

/// What a program gives the scheduler it runs.
pub(crate) trait Program: Send + Sync {
    /// The settings and the jobs as they are now: read at start, and again
    /// after each [`Msg::Jobs`].
    fn jobs(&self) -> (Settings, Vec<Arc<Job>>);
    /// Something happened.
    fn event(&self, event: &Event);
    /// The store holds `change`.
    fn written(&self, change: &Change);
}

/// Where the host's jobs come from.
pub(crate) enum Source {
    /// A schedule file, read again on reload.
    File(PathBuf),
    /// The program around the scheduler.
    Program(Arc<dyn Program>),
}

impl RealHost {
    /// The host of a scheduler inside `program`, reached through
    /// `channel` (the program's handle holds its sender).
    pub(crate) fn embedded(
        program: Arc<dyn Program>,
        channel: (Sender<Msg>, Receiver<Msg>),
        settings: &Settings,
        store: Box<dyn StateStore>,
    ) -> std::io::Result<RealHost> {
        let console = Console::new();
        // Events go to the program; job output is forwarded as apsched
        // run forwards it, and its tail saved in the history.
        let tell = program.clone();
        let tap: Tap = Arc::new(move |event: &Event| tell.event(event));
        let logger = Logger::new(Format::Text, Level::Error, console.clone()).silent(tap);
        RealHost::new(
            Source::Program(program),
            channel,
            settings,
            logger,
            (console, Format::Text),
            store,
        )
    }

    /// Starts a function's run on the pool (or, for a future, on its
    /// runtime).
    pub(super) fn call(&mut self, run: &RunRequest) -> Result<(), StartError> {
        let Command::Call(call) = &*run.job.command else {
            return Err(StartError::new("not a function"));
        };
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
        self.pool.submit(task).map_err(StartError::new)
    }
}

/// Waits for the child `pid` of `run` on a thread of its own and reports
/// how it ended: a scheduler inside a program reaps only its own children.
pub(super) fn wait_for(pid: u32, run: RunId, tx: Sender<Msg>) -> Result<(), StartError> {
    let Some(child) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return Err(StartError::new(format!("pid {pid} out of range")));
    };
    let waiter = std::thread::Builder::new()
        .name("apsched-wait".into())
        .spawn(move || {
            let outcome = match waitpid(Some(child), WaitOptions::empty()) {
                Ok(Some((_, status))) => signals::outcome(status.as_raw()),
                Ok(None) => Outcome::Failed("cannot wait for it: no status".into()),
                // The program reaped it first (or ignores SIGCHLD).
                Err(e) => Outcome::Failed(format!("cannot wait for it: {e}")),
            };
            let _ = tx.send(Msg::Done { run, outcome });
        });
    waiter.map(drop).map_err(StartError::new)
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
