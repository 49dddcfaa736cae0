//! The schedule file: what it holds once loaded, and how it is found and read.
//! The format is documented in `man/apsched.toml.5`.

mod cluster;
pub(crate) use cluster::{Cluster, DEFAULT_CLUSTER, OnLost, check_dsn, is_database, parse_id};
mod diagnostic;
mod error;
mod hooks;
mod ids;
mod job;
mod keys;
pub(crate) use keys::MAX_STDIN;
mod metrics;
pub(crate) use metrics::{Listen, parse_listen};
mod parse;
mod pieces;
mod settings;
mod shared;
pub(crate) use shared::Shared;
mod split;
mod toml_errors;
mod trigger;
pub(crate) use trigger::{MAX_DEPTH, MAX_MEMBERS};
mod user;
pub(crate) use user::account_for;
mod values;

pub(crate) use diagnostic::Diagnostic;
pub(crate) use error::ConfigError;
pub(crate) use hooks::{HookKind, HookSet, HookSettings, Mailto, find_sendmail};
pub(crate) use ids::{job_ids, valid as valid_job_id};

use crate::trigger::Trigger;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diagnostic::Diagnostics;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// The file read when none is named and `APSCHED_CONFIG` is not set.
pub(crate) const DEFAULT_FILE: &str = "schedules.toml";

/// Scheduler-wide settings (`[scheduler]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Default zone of every job.
    pub timezone: Tz,
    /// SQLite state file; `None` for `":memory:"` (no state kept) and for
    /// a database.
    pub state: Option<PathBuf>,
    /// A PostgreSQL connection string, when the state is kept there.
    pub(crate) database: Option<String>,
    /// The database password, read from this file (`password_file`).
    pub(crate) password_file: Option<PathBuf>,
    /// How many job processes may run at once.
    pub max_workers: usize,
    /// Runs string commands as `shell -c COMMAND`.
    pub shell: String,
    /// How long a shutdown waits for running jobs before ending them.
    pub shutdown_timeout: Duration,
    /// Run-history rows kept per job.
    pub history: usize,
    /// `apsched run` reloads when the file changes (as `--watch`).
    pub watch: bool,
    /// `[hooks]`: the hooks of every job, their timeout and concurrency.
    pub(crate) hooks: HookSettings,
}

impl Settings {
    /// `[scheduler]` of a file that sets nothing there, keeping its state
    /// at `state`.
    pub(crate) fn defaults(state: Option<PathBuf>) -> Settings {
        Settings {
            timezone: Tz::UTC,
            state,
            database: None,
            password_file: None,
            max_workers: 10,
            shell: "/bin/sh".into(),
            shutdown_timeout: Duration::from_secs(30),
            history: 1000,
            watch: false,
            hooks: HookSettings::default(),
        }
    }
}

/// What a job runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Run by the shell: `shell -c TEXT`.
    Shell(String),
    /// Run directly, no shell.
    Argv(Vec<String>),
    /// A function of the program that runs the scheduler as a library, run
    /// on one of its worker threads. A schedule file cannot name one.
    Call(crate::call::Call),
}

/// One job (`[jobs.ID]`). What most jobs leave unset or take from
/// `[defaults]` is in [`JobMore`],
/// shared, like the command, by jobs that have the same (a large file
/// usually repeats them), so a job costs little more than its id.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: String,
    pub command: Arc<Command>,
    pub trigger: Trigger,
    /// Loaded but not scheduled.
    pub paused: bool,
    /// The job's other keys.
    pub more: Arc<JobMore>,
}

/// The keys of a job that most jobs leave unset or take from
/// `[defaults]`.
#[derive(Clone, Debug, PartialEq)]
pub struct JobMore {
    /// How late a run may start and still run; `None` is no limit.
    pub misfire_grace_time: Option<Duration>,
    pub coalesce: bool,
    pub max_instances: usize,
    pub name: Option<String>,
    pub cwd: Option<PathBuf>,
    pub env: Vec<(String, String)>,
    /// End the run (its whole process group) after this long.
    pub timeout: Option<Duration>,
    /// What the job is for, in the file's words (`description`).
    pub description: Option<String>,
    /// Written to the job's standard input, which is then closed; without
    /// it, standard input is `/dev/null`.
    pub stdin: Option<String>,
    /// Runs a string command instead of `[scheduler] shell`.
    pub shell: Option<String>,
    /// The account the job runs as (`user`), looked up at load.
    pub user: Option<Box<crate::account::Account>>,
    /// `[jobs.ID.hooks]`: each replaces `[hooks]`' hook of the same event.
    pub(crate) hooks: HookSet,
    /// In a cluster: what becomes of a run whose node lost its lease.
    pub(crate) on_lost: OnLost,
    /// In a cluster, with `on_lost = "rerun"`: how many attempts a slot gets.
    pub(crate) max_attempts: u16,
}

/// A loaded schedule file.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub path: PathBuf,
    pub scheduler: Settings,
    /// In file order.
    /// Shared with the scheduler, which holds each job as read.
    pub jobs: Vec<Arc<Job>>,
    /// Whether the file sets `[scheduler] state` (else it is the default,
    /// beside the file).
    pub state_given: bool,
    /// Where `apsched run` serves metrics (`[metrics] listen`); read at
    /// start only.
    pub metrics: Option<Listen>,
    /// `[cluster]`: used with a PostgreSQL state only.
    pub cluster: Cluster,
    /// What is valid but likely not meant, each as `file:line:column:
    /// message (hint)`; `check` prints them and `run` logs them.
    pub warnings: Vec<String>,
}

/// The most runs of one job at once (`max_instances`).
pub(crate) const MAX_INSTANCES: u16 = 10_000;

/// Job defaults (`[defaults]`), APScheduler's `job_defaults`.
#[derive(Clone, Debug)]
pub(crate) struct Defaults {
    pub misfire_grace_time: Option<Duration>,
    pub coalesce: bool,
    pub max_instances: usize,
}

impl Default for Defaults {
    /// No grace limit, coalescing, one instance.
    fn default() -> Defaults {
        Defaults {
            misfire_grace_time: None,
            coalesce: true,
            max_instances: 1,
        }
    }
}

/// The file name that stands for standard input.
pub(crate) const STDIN: &str = "-";

/// How a schedule read from standard input is named in messages.
pub(crate) const STDIN_NAME: &str = "<stdin>";

/// The state name that keeps no state.
pub(crate) const MEMORY: &str = ":memory:";

/// Where the state named `name` is kept for the schedule file `file`: `None`
/// for [`MEMORY`] (no state kept). A relative name is read from the file's
/// directory (the current directory for a file with none, such as
/// standard input's); no name means beside the file, named after it
/// (`schedules.toml` keeps `schedules.db`).
pub(crate) fn state_path(file: &Path, name: Option<&Path>) -> Option<PathBuf> {
    match name {
        Some(name) if name == Path::new(MEMORY) => None,
        Some(name) => Some(file.parent().unwrap_or(Path::new("")).join(name)),
        None => Some(file.with_extension("db")),
    }
}

/// Whether `path` names standard input (`-`).
pub(crate) fn is_stdin(path: &Path) -> bool {
    path == Path::new(STDIN)
}

/// The file to read: the one named, else `APSCHED_CONFIG`, else `schedules.toml`.
pub(crate) fn locate(file: Option<&Path>) -> PathBuf {
    match file {
        Some(path) => path.to_path_buf(),
        None => match std::env::var_os("APSCHED_CONFIG") {
            Some(path) if !path.is_empty() => PathBuf::from(path),
            _ => PathBuf::from(DEFAULT_FILE),
        },
    }
}

/// Reads and checks the file as of `now` (a job with no run time after
/// `now` is a problem); every problem is reported, not only the first. (The
/// command line reads files through `cli::target`, whose errors name its
/// flags.)
pub(crate) fn load(path: &Path, now: DateTime<Utc>) -> Result<Config, ConfigError> {
    let bytes = std::fs::read(path).map_err(|source| ConfigError::Unreadable {
        path: path.to_path_buf(),
        hint: None,
        source,
    })?;
    load_bytes(path, &bytes, Some(now))
}

/// [`load_text`] for the bytes of a file: text that is not UTF-8 is a
/// problem at its first invalid byte.
pub(crate) fn load_bytes(
    path: &Path,
    bytes: &[u8],
    fires_after: Option<DateTime<Utc>>,
) -> Result<Config, ConfigError> {
    match std::str::from_utf8(bytes) {
        Ok(source) => load_text(path, source, fires_after),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let mut diags = Diagnostics::new(path, valid);
            let bad: Vec<String> = bytes[e.valid_up_to()..]
                .iter()
                .take(e.error_len().unwrap_or(1))
                .map(|b| format!("0x{b:02X}"))
                .collect();
            diags.error(
                valid.len()..valid.len(),
                format!("the file is not valid UTF-8: byte {}", bad.join(" ")),
                Some("save it as UTF-8".into()),
            );
            Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                diagnostics: diags.list,
            })
        }
    }
}

/// Checks the text of a schedule file read from `path`; with
/// `fires_after`, a job with no run time after that time is a problem.
pub(crate) fn load_text(
    path: &Path,
    source: &str,
    fires_after: Option<DateTime<Utc>>,
) -> Result<Config, ConfigError> {
    parse::parse(path, source, fires_after).map_err(|diagnostics| ConfigError::Invalid {
        path: path.to_path_buf(),
        diagnostics,
    })
}

/// Parses the text of a schedule file read from `path`, as of `now`: a job
/// with no run time after `now` is a problem.
pub fn parse_at(path: &Path, source: &str, now: DateTime<Utc>) -> Result<Config, Vec<Diagnostic>> {
    parse::parse(path, source, Some(now))
}

/// [`parse_at`] as of the current time, for tests that have no time of
/// their own.
#[cfg(test)]
pub(crate) fn parse(path: &Path, source: &str) -> Result<Config, Vec<Diagnostic>> {
    parse_at(path, source, Utc::now())
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_combined;
#[cfg(test)]
mod tests_hooks;
#[cfg(test)]
mod tests_keys;
#[cfg(test)]
mod tests_messages;
