//! The one error type of the command line, its rendering for people and its
//! exit codes.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success |
//! | 1 | failure while running (input/output error) |
//! | 2 | usage error: unknown command or option, missing argument |
//! | 3 | invalid input: a cron expression, time zone or time that does not parse |
//! | 4 | the state file cannot be used: in use by another scheduler, damaged, unwritable |

use crate::config::Diagnostic;
use crate::cron::CronError;
use std::path::PathBuf;

/// Exit code of a successful run.
pub const EXIT_OK: u8 = 0;
/// Exit code of a failure while running.
pub const EXIT_FAILURE: u8 = 1;
/// Exit code of a command line that does not parse (clap's own code).
pub const EXIT_USAGE: u8 = 2;
/// Exit code of input that is not valid.
pub const EXIT_INVALID: u8 = 3;
/// Exit code of a state file that cannot be used (locked, damaged, unwritable).
pub const EXIT_STATE: u8 = 4;

/// Everything that can go wrong in a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A cron expression that does not parse.
    #[error("invalid cron expression \"{expression}\": {source}")]
    Cron {
        expression: String,
        source: CronError,
    },
    /// A time zone name that is not in the IANA database.
    #[error("unknown time zone \"{name}\"{hint}")]
    UnknownZone { name: String, hint: String },
    /// A time that does not parse or does not exist.
    #[error("invalid time \"{text}\": {reason}")]
    Time { text: String, reason: String },
    /// A schedule file with problems; every one is listed.
    #[error("{} has {} problem{}", path.display(), diagnostics.len(), if diagnostics.len() == 1 { "" } else { "s" })]
    Config {
        path: PathBuf,
        diagnostics: Vec<Diagnostic>,
    },
    /// A job run by `run-now` failed.
    #[error("job {job} failed: {how} (run {run})")]
    JobFailed { job: String, how: String, run: i64 },
    /// A `run-now` whose outcome could not be learned.
    #[error("run-now of job {job}: {why}")]
    NoOutcome { job: String, why: String },
    /// A `run-now` that was not run.
    #[error("job {job} was not run: {reason}")]
    RunRefused { job: String, reason: String },
    /// The state file cannot be used.
    #[error("{0}")]
    State(#[from] crate::store::StoreError),
    /// Reading or writing failed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
}

impl Error {
    /// The documented exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Cron { .. }
            | Error::UnknownZone { .. }
            | Error::Time { .. }
            | Error::Config { .. } => EXIT_INVALID,
            Error::Io { .. }
            | Error::JobFailed { .. }
            | Error::RunRefused { .. }
            | Error::NoOutcome { .. } => EXIT_FAILURE,
            Error::State(_) => EXIT_STATE,
        }
    }

    /// The rendering shown to people on stderr: one line, or for a schedule
    /// file one line per problem and a count.
    pub fn render(&self) -> String {
        match self {
            Error::Config { diagnostics, .. } => {
                let mut text = String::new();
                for d in diagnostics {
                    text.push_str(&format!("apsched: error: {d}\n"));
                }
                text.push_str(&format!("apsched: {self}"));
                text
            }
            _ => format!("apsched: error: {self}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_render_on_one_line_with_their_exit_code() {
        let cron = Error::Cron {
            expression: "61 * * * *".into(),
            source: CronError::new("minute", "61", "61 is out of range 0-59"),
        };
        let zone = Error::UnknownZone {
            name: "Europe/Berln".into(),
            hint: ": did you mean \"Europe/Berlin\"?".into(),
        };
        let cases = [
            (
                cron,
                "apsched: error: invalid cron expression \"61 * * * *\": minute: 61 is out of range 0-59",
                EXIT_INVALID,
            ),
            (
                zone,
                "apsched: error: unknown time zone \"Europe/Berln\": did you mean \"Europe/Berlin\"?",
                EXIT_INVALID,
            ),
        ];
        for (error, text, code) in cases {
            assert_eq!(error.render(), text);
            assert_eq!(error.exit_code(), code);
        }
    }
}
