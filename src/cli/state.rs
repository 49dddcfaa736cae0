//! `apsched state copy FROM TO`: moves a schedule's state (every job's
//! next run time, anchor and pause, and the run history) from an SQLite
//! file to a PostgreSQL database or back, so that a single scheduler can
//! become a cluster, or a cluster one scheduler again, where it left off.
//! Refused while a scheduler runs on either side, and when TO already
//! holds state (unless `--force`).

use super::error::Error;
use super::output::print;
use crate::config;
use crate::store::copy::{export, holds_anything};
use crate::store::sqlite::SqliteStore;
use crate::store::{Database, Location, StateStore};
use std::path::PathBuf;

/// The history a store opened to write the copy keeps: the most a
/// schedule file may ask for (the copy itself trims nothing).
const KEEP: usize = 1_000_000;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(subcommand)]
    command: StateCommand,
}

#[derive(Debug, clap::Subcommand)]
enum StateCommand {
    /// Copy the jobs' state and the run history from one state to another
    Copy(CopyArgs),
}

#[derive(Debug, clap::Args)]
struct CopyArgs {
    /// The state to copy: an SQLite state file, or a PostgreSQL database
    /// (postgresql://… or key=value)
    #[arg(value_name = "FROM", value_parser = place)]
    from: String,
    /// The state to copy into: an SQLite file (created if missing) or a
    /// PostgreSQL database
    #[arg(value_name = "TO", value_parser = place)]
    to: String,
    /// The cluster whose rows are read or written in a database
    #[arg(long, value_name = "NAME", default_value = config::DEFAULT_CLUSTER, value_parser = config::parse_id)]
    cluster: String,
    /// Replace the jobs and runs TO holds (deleted in the same transaction)
    #[arg(long)]
    force: bool,
}

/// A FROM or TO: a file name or a valid connection string, not `:memory:`.
fn place(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("empty; name a state file or a PostgreSQL database".into());
    }
    if config::is_database(text) {
        return config::check_dsn(text).map(|()| text.to_string());
    }
    if text == config::MEMORY {
        return Err(format!(
            "{text} keeps no state, so there is nothing to copy to or from; name a state file or a PostgreSQL database"
        ));
    }
    Ok(text.to_string())
}

fn location(text: &str, cluster: &str) -> Location {
    if config::is_database(text) {
        Location::Database(Database {
            dsn: text.to_string(),
            password_file: None,
            cluster: cluster.to_string(),
        })
    } else {
        Location::File(PathBuf::from(text))
    }
}

/// Whether FROM and TO are the same state (the same file, or the same
/// connection string and cluster).
fn same(from: &Location, to: &Location) -> bool {
    match (from, to) {
        (Location::File(a), Location::File(b)) => {
            a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
        }
        (a, b) => a == b,
    }
}

/// Refuses a state a scheduler runs on: it would go on changing it. A
/// file is asked before it is opened (whether its lock is held), a
/// database once connected (whether a node of the cluster is alive).
fn idle(state: &Location, store: Option<&dyn StateStore>) -> Result<(), Error> {
    let runner = match (state, store) {
        (Location::File(p), None) => SqliteStore::runner(p).map(|pid| format!("pid {pid}")),
        (Location::Database(_), Some(s)) => s.runner(),
        _ => None,
    };
    match runner {
        Some(who) => Err(Error::CopyRefused {
            reason: format!(
                "apsched run uses {} ({who}); stop it first, so that nothing changes the state while it is copied",
                state.describe()
            ),
        }),
        None => Ok(()),
    }
}

/// Opens FROM, which must hold something and be idle.
fn open_from(from: &Location) -> Result<Box<dyn StateStore>, Error> {
    idle(from, None)?;
    let nothing = || Error::CopyRefused {
        reason: format!(
            "{} holds no jobs or runs: there is nothing to copy (check the name{})",
            from.describe(),
            if matches!(from, Location::Database(_)) {
                " and --cluster"
            } else {
                ""
            }
        ),
    };
    let store = from.open_read_only(1)?.ok_or_else(nothing)?;
    idle(from, Some(&*store))?;
    if !holds_anything(&*store).map_err(|e| store.named_error(e))? {
        return Err(nothing());
    }
    Ok(store)
}

/// Opens TO to write it, idle (a file locked as a scheduler would lock
/// it, so that none starts during the copy) and empty unless `force`.
fn open_to(to: &Location, force: bool) -> Result<Box<dyn StateStore>, Error> {
    idle(to, None)?;
    let store: Box<dyn StateStore> = match to {
        Location::File(p) => Box::new(SqliteStore::open_for_run(p, KEEP)?),
        other => other.open(KEEP)?,
    };
    idle(to, Some(&*store))?;
    if !force && holds_anything(&*store).map_err(|e| store.named_error(e))? {
        return Err(Error::CopyRefused {
            reason: format!(
                "{} already holds jobs or runs; copy into another state, or pass --force to replace them",
                to.describe()
            ),
        });
    }
    Ok(store)
}

/// "1 job", "3 runs".
fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let StateCommand::Copy(a) = &args.command;
    let (from, to) = (location(&a.from, &a.cluster), location(&a.to, &a.cluster));
    if same(&from, &to) {
        return Err(Error::CopySame {
            state: from.describe(),
        });
    }
    let source = open_from(&from)?;
    let dump = export(&*source).map_err(|e| source.named_error(e))?;
    let mut target = open_to(&to, a.force)?;
    target
        .import(&dump, a.force)
        .map_err(|e| target.named_error(e))?;
    print(&format!(
        "copied {} and {} from {} to {}\n",
        count(dump.jobs.len(), "job"),
        count(dump.runs.len(), "run"),
        from.describe(),
        to.describe()
    ))
}
