//! `apsched pause`, `resume` and `run-now`: changes through the state file,
//! picked up by a running scheduler at once (SIGUSR1).

use super::output::print;
use super::target::needs_state;
// Re-exported for the commands that import them from here.
pub(super) use super::target::{Target, job};
use crate::error::Error;
use crate::host::process::run_direct;
use crate::scheduler::Outcome;
use crate::store::sqlite::SqliteStore;
use crate::store::{RunResult, Store};
use chrono::Utc;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The job id
    #[arg(value_name = "JOB")]
    job: String,
    #[command(flatten)]
    target: Target,
}

/// Tells the running scheduler, if any, to reread the state; its pid.
fn notify(path: &Path) -> Option<String> {
    let pid = SqliteStore::runner(path)?;
    if let Ok(p) = pid.parse::<libc::pid_t>() {
        // SAFETY: sending SIGUSR1 to the pid recorded by the running scheduler.
        unsafe { libc::kill(p, libc::SIGUSR1) };
    }
    Some(pid)
}

/// `apsched pause JOB` and `apsched resume JOB`.
pub fn pause(args: &Args, paused: bool) -> Result<(), Error> {
    let (config, state) = args.target.resolve()?;
    let job = job(&config, &args.job)?;
    let path = needs_state(state, if paused { "pause" } else { "resume" })?;
    let mut store = SqliteStore::open(&path, config.scheduler.history)?;
    store.set_paused(&job.id, paused, job.paused)?;
    let verb = if paused { "paused" } else { "resumed" };
    let when = match notify(&path) {
        Some(pid) => format!("the running scheduler (pid {pid}) picks it up now"),
        None => "it takes effect when apsched run starts".into(),
    };
    let note = if !paused && job.paused {
        "; the file still says paused = true"
    } else {
        ""
    };
    print(&format!("{verb} job {}: {when}{note}\n", job.id))
}

/// `apsched run-now JOB`.
pub fn run_now(args: &Args) -> Result<(), Error> {
    let (config, state) = args.target.resolve()?;
    let job = job(&config, &args.job)?;
    let mut store = match &state {
        Some(path) => SqliteStore::open(path, config.scheduler.history)?,
        None => SqliteStore::memory(config.scheduler.history)?,
    };
    if let Some(pid) = state.as_deref().and_then(SqliteStore::runner) {
        store.request_run(&job.id)?;
        if let Some(path) = &state {
            notify(path);
        }
        return print(&format!(
            "asked the running scheduler (pid {pid}) to run job {} now\n",
            job.id
        ));
    }
    // No scheduler runs: run it here, recorded like any run.
    let now = Utc::now();
    let row = store.add_run(&job.id, now)?;
    store.run_started(row, now)?;
    let scheduled = now.with_timezone(&job.trigger.tz);
    let (outcome, tail) = run_direct(job, &config.scheduler.shell, &scheduled, 4096);
    let (exit, result) = match &outcome {
        Outcome::Exited(0) => (Some(0), RunResult::Success),
        Outcome::Exited(code) => (Some(*code), RunResult::Failed),
        _ => (None, RunResult::Failed),
    };
    store.run_ended(row, Some(Utc::now()), exit, result)?;
    store.run_output(row, &tail)?;
    match outcome {
        Outcome::Exited(0) => Ok(()),
        other => Err(Error::JobFailed {
            job: job.id.clone(),
            how: format!("{other:?}"),
        }),
    }
}
