//! `apsched pause`, `resume` and `run-now`: changes through the state,
//! picked up by a running scheduler at once (SIGUSR1 for a file, NOTIFY
//! for a database, whose nodes also poll).

use super::output::print;
use super::target::needs_state;
// Re-exported for the commands that import them from here.
use super::error::Error;
pub(super) use super::target::{Target, job};
use crate::scheduler::initial;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The job id
    #[arg(value_name = "JOB")]
    job: String,
    #[command(flatten)]
    target: Target,
}

/// `apsched pause JOB` and `apsched resume JOB`. The change holds until
/// the next `pause`/`resume`, or until the file's `paused` value changes
/// ([`initial::paused`]).
pub(super) fn pause(args: &Args, paused: bool) -> Result<(), Error> {
    let (config, state) = args.target.resolve()?;
    let job = job(&config, &args.job)?;
    let state = needs_state(state, if paused { "pause" } else { "resume" })?;
    let mut store = state.open(config.scheduler.history)?;
    let before = initial::paused(
        job.paused,
        store
            .saved_job(&job.id)
            .map_err(|e| store.named_error(e))?
            .as_ref(),
    );
    if before == paused {
        let state = if paused {
            "already paused"
        } else {
            "not paused"
        };
        return print(&format!("job {} is {state}\n", job.id));
    }
    store
        .set_paused(&job.id, paused, job.paused)
        .map_err(|e| store.named_error(e))?;
    let verb = if paused { "paused" } else { "resumed" };
    let when = match store.runner() {
        Some(who) => {
            store.wake();
            format!("the running scheduler ({who}) picks it up now")
        }
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
