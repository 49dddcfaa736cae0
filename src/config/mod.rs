//! The schedule file: what it holds once loaded, and how it is found and read.
//! The format is documented in `man/apsched.toml.5`.

mod diagnostic;
mod job;
mod settings;
mod toml_errors;
mod trigger;
mod values;

pub use diagnostic::Diagnostic;

use crate::error::Error;
use crate::trigger::Trigger;
use chrono_tz::Tz;
use diagnostic::Diagnostics;
use std::path::{Path, PathBuf};
use std::time::Duration;
use toml::de::{DeTable, DeValue};
use values::Value;

/// The file read when none is named and `APSCHED_CONFIG` is not set.
pub const DEFAULT_FILE: &str = "schedules.toml";

/// Scheduler-wide settings (`[scheduler]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Default zone of every job.
    pub timezone: Tz,
    /// SQLite state file; `None` for `":memory:"` (no state kept).
    pub state: Option<PathBuf>,
    /// How many job processes may run at once.
    pub max_workers: usize,
    /// Runs string commands as `shell -c COMMAND`.
    pub shell: String,
    /// How long a shutdown waits for running jobs before ending them.
    pub shutdown_timeout: Duration,
    /// Run-history rows kept per job.
    pub history: usize,
}

/// What a job runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Run by the shell: `shell -c TEXT`.
    Shell(String),
    /// Run directly, no shell.
    Argv(Vec<String>),
}

/// One job (`[jobs.ID]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: String,
    pub name: Option<String>,
    pub command: Command,
    pub cwd: Option<PathBuf>,
    pub env: Vec<(String, String)>,
    pub trigger: Trigger,
    /// End the run (its whole process group) after this long.
    pub timeout: Option<Duration>,
    /// How late a run may start and still run; `None` is no limit.
    pub misfire_grace_time: Option<Duration>,
    pub coalesce: bool,
    pub max_instances: usize,
    /// Loaded but not scheduled.
    pub paused: bool,
}

/// A loaded schedule file.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub path: PathBuf,
    pub scheduler: Settings,
    /// In file order.
    pub jobs: Vec<Job>,
    /// Whether the file sets `[scheduler] state` (else it is the default,
    /// beside the file).
    pub state_given: bool,
    /// What is valid but likely not meant, each as `file:line:column:
    /// message (hint)`; `check` prints them and `run` logs them.
    pub warnings: Vec<String>,
}

/// Job defaults (`[defaults]`), APScheduler's `job_defaults`.
#[derive(Clone, Debug)]
pub struct Defaults {
    pub misfire_grace_time: Option<Duration>,
    pub coalesce: bool,
    pub max_instances: usize,
}

/// The file name that stands for standard input.
pub const STDIN: &str = "-";

/// How a schedule read from standard input is named in messages.
pub const STDIN_NAME: &str = "<stdin>";

/// Whether `path` names standard input (`-`).
pub fn is_stdin(path: &Path) -> bool {
    path == Path::new(STDIN)
}

/// The file to read: the one named, else `APSCHED_CONFIG`, else `schedules.toml`.
pub fn locate(file: Option<&Path>) -> PathBuf {
    match file {
        Some(path) => path.to_path_buf(),
        None => match std::env::var_os("APSCHED_CONFIG") {
            Some(path) if !path.is_empty() => PathBuf::from(path),
            _ => PathBuf::from(DEFAULT_FILE),
        },
    }
}

/// Reads and checks the file; every problem is reported, not only the
/// first. (The command line reads files through `cli::target`, whose errors
/// name its flags.)
pub fn load(path: &Path) -> Result<Config, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::ScheduleFile {
        path: path.to_path_buf(),
        hint: None,
        source,
    })?;
    load_bytes(path, &bytes, true)
}

/// [`load_text`] for the bytes of a file: text that is not UTF-8 is a
/// problem at its first invalid byte.
pub fn load_bytes(path: &Path, bytes: &[u8], require_future: bool) -> Result<Config, Error> {
    match std::str::from_utf8(bytes) {
        Ok(source) => load_text(path, source, require_future),
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
            Err(Error::Config {
                path: path.to_path_buf(),
                diagnostics: diags.list,
            })
        }
    }
}

/// Checks the text of a schedule file read from `path`; with
/// `require_future`, a schedule with no run time after now is an error.
pub fn load_text(path: &Path, source: &str, require_future: bool) -> Result<Config, Error> {
    parse_with(path, source, require_future).map_err(|diagnostics| Error::Config {
        path: path.to_path_buf(),
        diagnostics,
    })
}

/// Parses the text of a schedule file read from `path`.
pub fn parse(path: &Path, source: &str) -> Result<Config, Vec<Diagnostic>> {
    parse_with(path, source, true)
}

/// Parses; with `require_future`, a schedule with no run time after now is an error.
fn parse_with(path: &Path, source: &str, require_future: bool) -> Result<Config, Vec<Diagnostic>> {
    let mut diags = Diagnostics::new(path, source);
    let (table, errors) = DeTable::parse_recoverable(source);
    toml_errors::report(&mut diags, source, &errors);
    if !errors.is_empty() {
        return Err(diags.list);
    }
    let root = table.get_ref();
    let mut settings = Settings {
        timezone: Tz::UTC,
        state: Some(default_state(path)),
        max_workers: 10,
        shell: "/bin/sh".into(),
        shutdown_timeout: Duration::from_secs(30),
        history: 1000,
    };
    let mut defaults = Defaults {
        misfire_grace_time: None,
        coalesce: true,
        max_instances: 1,
    };
    let mut given = settings::Given::default();
    for (key, value) in root {
        let v = Value::new(value);
        match key.get_ref().as_ref() {
            "scheduler" => {
                given = settings::scheduler(&mut diags, path, &v, &mut settings);
            }
            "defaults" => settings::defaults(&mut diags, &v, &mut defaults),
            "jobs" => {}
            other => values::unknown_key(
                &mut diags,
                key,
                other,
                &["scheduler", "defaults", "jobs"],
                "at the top level",
            ),
        }
    }
    if !given.zone {
        match crate::timezone::system_zone() {
            Ok(tz) => settings.timezone = tz,
            Err(e) => diags.error(0..0, e.to_string(), Some("set [scheduler] timezone".into())),
        }
    }
    let mut jobs = Vec::new();
    match root.iter().find(|(k, _)| k.get_ref() == "jobs") {
        Some((_, jobs_value)) => match jobs_value.get_ref() {
            DeValue::Table(table) => {
                for (id, body) in table {
                    if let Some(job) =
                        job::job(&mut diags, id, body, &settings, &defaults, require_future)
                    {
                        jobs.push(job);
                    }
                }
                if table.is_empty() {
                    diags.error(jobs_value.span(), "[jobs] has no jobs", None);
                }
            }
            _ => diags.error(
                jobs_value.span(),
                "\"jobs\" must be a table of jobs",
                Some("write [jobs.ID] sections".into()),
            ),
        },
        None => diags.error(
            0..0,
            "the file defines no jobs",
            Some(
                "add a job: [jobs.hello] with command = \"echo hello\" and cron = \"* * * * *\""
                    .into(),
            ),
        ),
    }
    if diags.list.is_empty() {
        Ok(Config {
            path: path.to_path_buf(),
            scheduler: settings,
            jobs,
            state_given: given.state,
            warnings: diags.warnings.iter().map(|w| w.to_string()).collect(),
        })
    } else {
        Err(diags.list)
    }
}

/// The default state file: beside the schedule file, named after it.
fn default_state(path: &Path) -> PathBuf {
    path.with_extension("db")
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_messages;
