//! Naming the schedule file and its state the same way in every command:
//! `-f/--file FILE` (check, list, nodes and run also take FILE as an
//! argument), else `$APSCHED_CONFIG`, else `./schedules.toml`; `-` reads
//! standard input. And finding a job of the file by its id.

use super::error::Error;
use crate::config::{self, Config, ConfigError, Job};
use crate::store::{Database, Location};
use crate::suggest;
use chrono::Utc;
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the schedule file and its state are.
#[derive(Clone, Debug, clap::Args)]
pub(super) struct Target {
    /// The schedule file; "-" reads it from standard input [default:
    /// $APSCHED_CONFIG, else ./schedules.toml]
    // The text is the option's help, printed by --help: no Markdown.
    #[allow(clippy::doc_markdown)]
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The state file, or a PostgreSQL database (postgresql://…); ":memory:"
    /// keeps none [default: $APSCHED_DATABASE_URL, else [scheduler] state of
    /// the file]
    // The text is the option's help: no Markdown, no links.
    #[allow(rustdoc::broken_intra_doc_links, clippy::doc_markdown)]
    #[arg(long, value_name = "PATH", value_parser = state_path)]
    pub state: Option<PathBuf>,
    /// Whether the command also takes FILE as an argument (for hints).
    #[arg(skip)]
    pub positional: bool,
}

impl Target {
    /// The target of a command that takes FILE as an argument too (clap
    /// refuses both at once).
    pub(super) fn with_argument(&self, file: Option<&Path>) -> Target {
        Target {
            file: file.map(Path::to_path_buf).or_else(|| self.file.clone()),
            state: self.state.clone(),
            positional: true,
        }
    }

    /// The schedule file named, or `-` for standard input.
    pub(super) fn path(&self) -> PathBuf {
        config::locate(self.file.as_deref())
    }

    /// Whether the schedule comes from standard input.
    pub(super) fn is_stdin(&self) -> bool {
        config::is_stdin(&self.path())
    }

    /// Reads and checks the schedule as of now; `lenient` lets a schedule
    /// with no run time after now pass.
    pub(super) fn load(&self, lenient: bool) -> Result<Config, Error> {
        let path = self.path();
        let (name, bytes) = if config::is_stdin(&path) {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|source| Error::Io {
                    context: "cannot read the schedule from standard input".into(),
                    source,
                })?;
            (PathBuf::from(config::STDIN_NAME), bytes)
        } else {
            let bytes = std::fs::read(&path).map_err(|source| ConfigError::Unreadable {
                hint: (source.kind() == ErrorKind::NotFound).then(|| self.missing_hint()),
                path: path.clone(),
                source,
            })?;
            (path, bytes)
        };
        Ok(config::load_bytes(
            &name,
            &bytes,
            (!lenient).then(Utc::now),
        )?)
    }

    /// How to name a schedule file that was not found, for this command.
    fn missing_hint(&self) -> String {
        let how = if self.positional {
            "as an argument or with -f FILE"
        } else {
            "with -f FILE"
        };
        match (&self.file, std::env::var_os("APSCHED_CONFIG")) {
            (Some(_), _) => format!("check the name; a schedule file is named {how}"),
            (None, Some(v)) if !v.is_empty() => {
                format!("APSCHED_CONFIG names it; name another {how}")
            }
            _ => format!("name one {how}, set APSCHED_CONFIG, or create schedules.toml"),
        }
    }

    /// Where the state is: `--state`, else `$APSCHED_DATABASE_URL`, else
    /// the file's `[scheduler] state` (by default a file beside it). A
    /// schedule from standard input has no default: it must name one.
    pub(super) fn state_of(&self, config: &Config) -> Result<Location, Error> {
        let database = |dsn: String| {
            Location::Database(Database {
                dsn,
                password_file: config.scheduler.password_file.clone(),
                cluster: config.cluster.name.clone(),
            })
        };
        if let Some(p) = &self.state {
            let text = p.to_string_lossy();
            if config::is_database(&text) {
                return Ok(database(text.into_owned()));
            }
            // Read from the current directory, as a file there would.
            return Ok(
                config::state_path(Path::new(""), Some(p)).map_or(Location::Memory, Location::File)
            );
        }
        if let Some(url) = std::env::var_os(DATABASE_URL).filter(|v| !v.is_empty()) {
            let url = url.into_string().map_err(|_| Error::DatabaseUrl {
                problem: "is not UTF-8".into(),
            })?;
            if !config::is_database(&url) {
                return Err(Error::DatabaseUrl {
                    problem: "is not a PostgreSQL connection string (postgresql://… or key=value)"
                        .into(),
                });
            }
            config::check_dsn(&url).map_err(|problem| Error::DatabaseUrl { problem })?;
            return Ok(database(url));
        }
        if self.is_stdin() && !config.state_given {
            return Err(Error::StdinState);
        }
        if let Some(dsn) = &config.scheduler.database {
            return Ok(database(dsn.clone()));
        }
        Ok(config
            .scheduler
            .state
            .clone()
            .map_or(Location::Memory, Location::File))
    }

    /// The state to read, if any, for commands that only show it (check,
    /// list): a schedule from standard input without one shows none.
    pub(super) fn state_to_read(&self, config: &Config) -> Result<Location, Error> {
        match self.state_of(config) {
            Err(Error::StdinState) => Ok(Location::Memory),
            other => other,
        }
    }

    /// The loaded file and where its state is; the file's settings carry
    /// that state path too (`None` unless it is a file).
    pub(super) fn resolve_with(&self, lenient: bool) -> Result<(Config, Location), Error> {
        let mut config = self.load(lenient)?;
        let state = self.state_of(&config)?;
        config.scheduler.state = state.file().map(Path::to_path_buf);
        Ok((config, state))
    }

    /// [`Target::resolve_with`] for a schedule that must have a run ahead.
    pub(super) fn resolve(&self) -> Result<(Config, Location), Error> {
        self.resolve_with(false)
    }
}

/// The variable that names a PostgreSQL state, winning over the file's.
pub(crate) const DATABASE_URL: &str = "APSCHED_DATABASE_URL";

/// A `--state` value: a file name, not empty, or a valid connection string.
fn state_path(text: &str) -> Result<PathBuf, String> {
    if text.trim().is_empty() {
        Err("the state file name is empty; name a file, or \":memory:\" to keep none".into())
    } else if config::is_database(text) {
        config::check_dsn(text).map(|()| PathBuf::from(text))
    } else {
        Ok(PathBuf::from(text))
    }
}

/// Whether a job id given on the command line looks like a schedule file.
// Case-sensitive on purpose: the hint catches the `.toml` the docs write;
// `Path::is_file` catches an existing file of any name.
#[allow(clippy::case_sensitive_file_extension_comparisons)]
fn looks_like_file(id: &str) -> bool {
    id.ends_with(".toml") || Path::new(id).is_file()
}

/// Adds "did you mean -f FILE?" to a schedule file not found, when the job
/// id given looks like that file (`apsched pause quick.toml`).
pub(super) fn job_file_hint(err: Error, id: &str) -> Error {
    match err {
        Error::Config(ConfigError::Unreadable { path, source, .. }) if looks_like_file(id) => {
            Error::from(ConfigError::Unreadable {
                path,
                source,
                hint: Some(format!(
                    "did you mean -f {id}? The job id comes first, the file after -f"
                )),
            })
        }
        other => other,
    }
}

/// The error for a job id the file does not define.
pub(super) fn unknown_job(config: &Config, id: &str) -> Error {
    let ids = config.jobs.iter().map(|j| j.id.as_str());
    let hint = if looks_like_file(id) {
        Some(format!("did you mean -f {id}?"))
    } else {
        suggest::closest(id, ids.clone()).map(|c| format!("did you mean \"{c}\"?"))
    };
    Error::UnknownJob {
        job: id.to_string(),
        file: config.path.display().to_string(),
        jobs: ids.map(str::to_string).collect(),
        hint,
    }
}

/// The job with this id.
pub(super) fn job<'a>(config: &'a Config, id: &str) -> Result<&'a Arc<Job>, Error> {
    config
        .jobs
        .iter()
        .find(|j| j.id == id)
        .ok_or_else(|| unknown_job(config, id))
}

/// The state, for a change that must be kept (`what`: pause, resume).
pub(super) fn needs_state(state: Location, what: &str) -> Result<Location, Error> {
    match state {
        Location::Memory => Err(Error::NoState { what: what.into() }),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        config::load_text(
            Path::new("quick.toml"),
            "[scheduler]\ntimezone = \"UTC\"\n[jobs.backup]\ncommand = \"x\"\ncron = \"@daily\"\n[jobs.report]\ncommand = \"x\"\ncron = \"@daily\"\n",
            Some(Utc::now()),
        )
        .expect("valid")
    }

    #[test]
    fn unknown_jobs_list_the_jobs_and_the_likely_one() {
        let config = config();
        let cases = [
            (
                "nosuch",
                "no job \"nosuch\" in quick.toml (jobs: backup, report)",
            ),
            (
                "bakup",
                "no job \"bakup\" in quick.toml (jobs: backup, report): did you mean \"backup\"?",
            ),
            (
                "other.toml",
                "no job \"other.toml\" in quick.toml (jobs: backup, report): did you mean -f other.toml?",
            ),
        ];
        for (id, want) in cases {
            let err = job(&config, id).expect_err(id);
            assert_eq!(err.to_string(), want);
            assert_eq!(err.exit_code(), crate::cli::error::EXIT_INVALID);
        }
        assert!(job(&config, "report").is_ok());
    }

    #[test]
    fn the_state_of_a_schedule_from_standard_input_must_be_named() {
        let target = |file: &str, state: Option<&str>| Target {
            file: Some(file.into()),
            state: state.map(PathBuf::from),
            positional: false,
        };
        let mut config = config();
        let cases = [
            ("s.toml", None, false, Some(Some("quick.db"))),
            ("-", None, false, None),
            ("-", None, true, Some(Some("quick.db"))),
            ("-", Some("x.db"), false, Some(Some("x.db"))),
            ("-", Some(":memory:"), false, Some(None)),
        ];
        for (file, state, given, want) in cases {
            config.state_given = given;
            let got = target(file, state).state_of(&config).ok();
            let want = want.map(|w| w.map_or(Location::Memory, |p| Location::File(p.into())));
            assert_eq!(got, want, "{file} {state:?} {given}");
        }
    }
}
