//! The command line: argument parsing, dispatch, error rendering, exit codes.

mod check;
mod cluster;
mod combined;
mod completions;
mod control;
pub(crate) mod error;
mod every;
mod history;
mod import;
mod list;
mod meaning;
mod nodes;
mod output;
mod plan;
mod report;
mod run;
mod run_now;
mod state;
mod target;
mod times;
mod validate;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use error::{EXIT_OK, Error};
use std::process::ExitCode;

/// apsched: run commands on cron, interval and date schedules, with
/// APScheduler's misfire grace time, coalescing and persistent state.
#[derive(Debug, Parser)]
#[command(name = "apsched", version, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load and validate a schedule file; show each job and its next run
    Check(check::Args),
    /// Show the jobs of a schedule file: next run times, runs due or missed, last runs
    List(list::Args),
    /// Run the jobs of a schedule file in the foreground until stopped
    Run(run::Args),
    /// Show recent runs, newest first
    History(history::Args),
    /// Pause a job (persisted; a running scheduler picks it up at once)
    Pause(control::Args),
    /// Resume a paused job, from now on (paused time is not replayed)
    Resume(control::Args),
    /// Run a job once now, through the running scheduler or directly
    #[command(name = "run-now")]
    RunNow(run_now::Args),
    /// Check a cron expression and show when it fires next
    Validate(validate::Args),
    /// Print the completion script of a shell: bash, zsh, fish, elvish or powershell
    Completions(completions::Args),
    /// Convert a crontab into a schedule file
    Import(import::Args),
    /// Show the nodes of the cluster sharing a PostgreSQL state
    Nodes(nodes::Args),
    /// Copy a schedule's state between an SQLite file and a PostgreSQL database
    State(state::Args),
}

/// Runs the command line and returns the process exit code.
#[must_use]
pub fn main() -> ExitCode {
    // The completion scripts' own entry point, outside the command line
    // they complete (so that they do not offer it).
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == completions::JOBS)
    {
        return completions::jobs_main()
            .map_or_else(|err| report(&err), |()| ExitCode::from(EXIT_OK));
    }
    // clap prints help and version on stdout (exit 0) and usage errors on
    // stderr (exit 2, EXIT_USAGE).
    let matches = Cli::command()
        .try_get_matches()
        .unwrap_or_else(|err| err.exit());
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|err| err.exit());
    // The job id of pause, resume and run-now, for the hint when it is
    // really the schedule file (`apsched pause quick.toml`).
    let job = matches
        .subcommand()
        .and_then(|(_, m)| m.try_get_one::<String>("job").ok().flatten())
        .cloned();
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::List(args) => list::run(&args),
        Command::Run(args) => run::run(&args),
        Command::History(args) => history::run(&args),
        Command::Pause(args) => control::pause(&args, true),
        Command::Resume(args) => control::pause(&args, false),
        Command::RunNow(args) => run_now::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Nodes(args) => nodes::run(&args),
        Command::State(args) => state::run(&args),
    };
    match result {
        Ok(()) => ExitCode::from(EXIT_OK),
        Err(err) => report(&match &job {
            Some(id) => target::job_file_hint(err, id),
            None => err,
        }),
    }
}

fn report(err: &Error) -> ExitCode {
    eprintln!("{}", err.render());
    ExitCode::from(err.exit_code())
}

#[cfg(test)]
mod error_tests;
