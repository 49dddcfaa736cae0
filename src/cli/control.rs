//! `apsched pause`, `resume` and `run-now`: changes through the state file,
//! picked up by a running scheduler at once (SIGUSR1).

use super::output::print;
use crate::config::{self, Config, Job};
use crate::error::Error;
use crate::scheduler::initial;
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, StoreError};
use crate::suggest;
use std::path::{Path, PathBuf};

/// Where the state of a schedule file is, and the file.
#[derive(Debug, clap::Args)]
pub struct Target {
    /// The schedule file [default: $APSCHED_CONFIG, else ./schedules.toml]
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The state file [default: [scheduler] state of the file]
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The job id
    #[arg(value_name = "JOB")]
    job: String,
    #[command(flatten)]
    target: Target,
}

impl Target {
    /// The loaded file and its state path (`None` for `:memory:`).
    pub fn resolve(&self) -> Result<(Config, Option<PathBuf>), Error> {
        let config = config::load(&config::locate(self.file.as_deref()))?;
        let state = match &self.state {
            Some(p) if p == Path::new(":memory:") => None,
            Some(p) => Some(p.clone()),
            None => config.scheduler.state.clone(),
        };
        Ok((config, state))
    }
}

pub(super) fn job<'a>(config: &'a Config, id: &str) -> Result<&'a Job, Error> {
    config.jobs.iter().find(|j| j.id == id).ok_or_else(|| {
        let hint = suggest::closest(id, config.jobs.iter().map(|j| j.id.as_str())).map_or_else(
            || "see apsched list".to_string(),
            |c| format!("did you mean \"{c}\"?"),
        );
        Error::State(StoreError::Open {
            path: config.path.display().to_string(),
            message: format!("it has no job \"{id}\" ({hint})"),
        })
    })
}

fn needs_state(state: Option<PathBuf>, what: &str) -> Result<PathBuf, Error> {
    state.ok_or_else(|| {
        Error::State(StoreError::Open {
            path: ":memory:".into(),
            message: format!("this schedule keeps no state, so {what} has nothing to change; set [scheduler] state"),
        })
    })
}

/// Tells the running scheduler, if any, to reread the state; its pid.
pub(super) fn notify(path: &Path) -> Option<String> {
    let pid = SqliteStore::runner(path)?;
    if let Ok(p) = pid.parse::<libc::pid_t>() {
        // SAFETY: sending SIGUSR1 to the pid recorded by the running scheduler.
        unsafe { libc::kill(p, libc::SIGUSR1) };
    }
    Some(pid)
}

/// `apsched pause JOB` and `apsched resume JOB`. The change holds until
/// the next `pause`/`resume`, or until the file's `paused` value changes
/// ([`initial::paused`]).
pub fn pause(args: &Args, paused: bool) -> Result<(), Error> {
    let (config, state) = args.target.resolve()?;
    let job = job(&config, &args.job)?;
    let path = needs_state(state, if paused { "pause" } else { "resume" })?;
    let mut store = SqliteStore::open(&path, config.scheduler.history)?;
    let before = initial::paused(job.paused, store.saved_jobs()?.get(&job.id));
    if before == paused {
        let state = if paused {
            "already paused"
        } else {
            "not paused"
        };
        return print(&format!("job {} is {state}\n", job.id));
    }
    store.set_paused(&job.id, paused, job.paused)?;
    let verb = if paused { "paused" } else { "resumed" };
    let when = match notify(&path) {
        Some(pid) => format!("the running scheduler (pid {pid}) picks it up now"),
        None => "it takes effect when apsched run starts".into(),
    };
    let note = if job.paused && !paused {
        format!(
            " (this overrides paused = {} in {} until that value there changes)",
            job.paused,
            config.path.display()
        )
    } else {
        String::new()
    };
    print(&format!("{verb} job {}: {when}{note}\n", job.id))
}
