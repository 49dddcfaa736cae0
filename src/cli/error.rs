//! The one error type of the command line, its rendering for people and its
//! exit codes.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success |
//! | 1 | failure while running (input/output error) |
//! | 2 | usage error: unknown command or option, missing argument |
//! | 3 | invalid input: a cron expression, time zone, time or schedule file that is not valid; an unknown job or run |
//! | 4 | the state file cannot be used: in use by another scheduler, damaged, unwritable, or none kept |

use crate::config::ConfigError;
use crate::cron::CronError;
use crate::store::StoreError;
use crate::text::shown;
use crate::timespec::TimeError;
use crate::timezone::ZoneError;

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
    /// A cron expression that does not parse; `hint` is empty or ` (...)`.
    #[error("invalid cron expression {}: {source}{hint}", shown(expression))]
    Cron {
        expression: String,
        source: CronError,
        hint: String,
    },
    /// A time zone name that is not in the IANA database.
    #[error(transparent)]
    Zone(#[from] ZoneError),
    /// A time that does not parse or does not exist.
    #[error(transparent)]
    Time(#[from] TimeError),
    /// A schedule file with problems (every one is listed), or that cannot
    /// be read.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A job id that the schedule file does not define.
    #[error("no job \"{job}\" in {file} (jobs: {}){}", list(jobs), hint.as_ref().map_or(String::new(), |h| format!(": {h}")))]
    UnknownJob {
        job: String,
        file: String,
        jobs: Vec<String>,
        hint: Option<String>,
    },
    /// A run number that the history does not hold.
    #[error("no run {run} ({})", match recorded {
        Some((first, last)) if first == last => format!("only run {first} is recorded"),
        Some((first, last)) => format!("runs {first}-{last} are recorded"),
        None => "no runs are recorded".into(),
    })]
    NoRun {
        run: i64,
        recorded: Option<(i64, i64)>,
    },
    /// A change that needs a state file, for a schedule that keeps none.
    #[error(
        "the schedule keeps no state (state = \":memory:\"), so {what} has nothing to change (set [scheduler] state to a file to keep pauses)"
    )]
    NoState { what: String },
    /// A schedule from standard input, with no state file named.
    #[error(
        "the schedule comes from standard input, so its state file must be named: set [scheduler] state in it (relative to the current directory), or pass --state PATH (\":memory:\" keeps none)"
    )]
    StdinState,
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
    State(#[from] StoreError),
    /// Reading or writing failed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
}

/// At most ten job ids, then how many more.
fn list(jobs: &[String]) -> String {
    match jobs.len() {
        0 => "none".into(),
        n if n <= 10 => jobs.join(", "),
        n => format!("{}, and {} more", jobs[..10].join(", "), n - 10),
    }
}

impl Error {
    /// The documented exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Cron { .. }
            | Error::Zone(_)
            | Error::Time(_)
            | Error::Config(ConfigError::Invalid { .. })
            | Error::UnknownJob { .. }
            | Error::NoRun { .. } => EXIT_INVALID,
            Error::Io { .. }
            | Error::Config(ConfigError::Unreadable { .. })
            | Error::JobFailed { .. }
            | Error::RunRefused { .. }
            | Error::NoOutcome { .. } => EXIT_FAILURE,
            Error::State(_) | Error::NoState { .. } => EXIT_STATE,
            Error::StdinState => EXIT_USAGE,
        }
    }

    /// The rendering shown to people on stderr: one line, or for a schedule
    /// file one line per problem and a count.
    pub fn render(&self) -> String {
        match self {
            Error::Config(ConfigError::Invalid { diagnostics, .. }) => {
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
    use crate::config::Diagnostic;

    #[test]
    fn errors_render_on_one_line_with_their_exit_code() {
        let cron = Error::Cron {
            expression: "61 * * * *".into(),
            source: CronError::new("minute", "61", "61 is out of range 0-59"),
            hint: String::new(),
        };
        let zone = Error::Zone(ZoneError {
            name: "Europe/Berln".into(),
            hint: ": did you mean \"Europe/Berlin\"?".into(),
        });
        let jobs = |n: usize| (0..n).map(|i| format!("j{i}")).collect::<Vec<_>>();
        let unknown = |n, hint: Option<&str>| Error::UnknownJob {
            job: "nosuch".into(),
            file: "quick.toml".into(),
            jobs: jobs(n),
            hint: hint.map(str::to_string),
        };
        let no_run = |recorded| Error::NoRun { run: 999, recorded };
        let cases = [
            (
                unknown(3, None),
                "apsched: error: no job \"nosuch\" in quick.toml (jobs: j0, j1, j2)",
                EXIT_INVALID,
            ),
            (
                unknown(12, Some("did you mean \"j1\"?")),
                "apsched: error: no job \"nosuch\" in quick.toml (jobs: j0, j1, j2, j3, j4, j5, j6, j7, j8, j9, and 2 more): did you mean \"j1\"?",
                EXIT_INVALID,
            ),
            (
                no_run(Some((1, 57))),
                "apsched: error: no run 999 (runs 1-57 are recorded)",
                EXIT_INVALID,
            ),
            (
                no_run(None),
                "apsched: error: no run 999 (no runs are recorded)",
                EXIT_INVALID,
            ),
            (
                Error::NoState {
                    what: "pause".into(),
                },
                "apsched: error: the schedule keeps no state (state = \":memory:\"), so pause has nothing to change (set [scheduler] state to a file to keep pauses)",
                EXIT_STATE,
            ),
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

    #[test]
    fn every_variant_renders_with_its_exit_code() {
        let io = || std::io::Error::other("disk full");
        let diagnostic = |line, hint: Option<&str>| Diagnostic {
            file: "s.toml".into(),
            line,
            column: 1,
            message: "bad".into(),
            hint: hint.map(str::to_string),
        };
        let config = |n| {
            Error::from(ConfigError::Invalid {
                path: "s.toml".into(),
                diagnostics: (1..=n)
                    .map(|l| diagnostic(l, (l == 2).then_some("fix it")))
                    .collect(),
            })
        };
        let unreadable = |hint: Option<&str>| {
            Error::from(ConfigError::Unreadable {
                path: "s.toml".into(),
                hint: hint.map(str::to_string),
                source: io(),
            })
        };
        let cases = [
            (
                Error::Cron {
                    expression: "x".into(),
                    source: CronError::new("expression", "x", "expected 5 fields"),
                    hint: " (quote it)".into(),
                },
                "apsched: error: invalid cron expression \"x\": expression: expected 5 fields (quote it)",
                EXIT_INVALID,
            ),
            (
                Error::from(TimeError {
                    text: "soon".into(),
                    reason: "expected RFC 3339".into(),
                }),
                "apsched: error: invalid time \"soon\": expected RFC 3339",
                EXIT_INVALID,
            ),
            (
                config(1),
                "apsched: error: s.toml:1:1: bad\napsched: s.toml has 1 problem",
                EXIT_INVALID,
            ),
            (
                config(2),
                "apsched: error: s.toml:1:1: bad\napsched: error: s.toml:2:1: bad (fix it)\napsched: s.toml has 2 problems",
                EXIT_INVALID,
            ),
            (
                unreadable(None),
                "apsched: error: cannot read the schedule file s.toml: disk full",
                EXIT_FAILURE,
            ),
            (
                unreadable(Some("name one")),
                "apsched: error: cannot read the schedule file s.toml: disk full (name one)",
                EXIT_FAILURE,
            ),
            (
                Error::NoRun {
                    run: 3,
                    recorded: Some((3, 3)),
                },
                "apsched: error: no run 3 (only run 3 is recorded)",
                EXIT_INVALID,
            ),
            (
                Error::StdinState,
                "apsched: error: the schedule comes from standard input, so its state file must be named: set [scheduler] state in it (relative to the current directory), or pass --state PATH (\":memory:\" keeps none)",
                EXIT_USAGE,
            ),
            (
                Error::JobFailed {
                    job: "a".into(),
                    how: "exit 1".into(),
                    run: 7,
                },
                "apsched: error: job a failed: exit 1 (run 7)",
                EXIT_FAILURE,
            ),
            (
                Error::NoOutcome {
                    job: "a".into(),
                    why: "the scheduler stopped".into(),
                },
                "apsched: error: run-now of job a: the scheduler stopped",
                EXIT_FAILURE,
            ),
            (
                Error::RunRefused {
                    job: "a".into(),
                    reason: "it is paused".into(),
                },
                "apsched: error: job a was not run: it is paused",
                EXIT_FAILURE,
            ),
            (
                Error::State(StoreError::Locked {
                    path: "s.db".into(),
                    pid: "42".into(),
                }),
                "apsched: error: state file s.db is in use by another apsched run (pid 42); stop it first, or use another state file with --state",
                EXIT_STATE,
            ),
            (
                Error::State(StoreError::Open {
                    path: "s.db".into(),
                    message: "damaged".into(),
                }),
                "apsched: error: state file s.db: damaged",
                EXIT_STATE,
            ),
            (
                Error::Io {
                    context: "cannot write".into(),
                    source: io(),
                },
                "apsched: error: cannot write: disk full",
                EXIT_FAILURE,
            ),
        ];
        for (error, text, code) in cases {
            assert_eq!(error.render(), text);
            assert_eq!(error.exit_code(), code, "{text}");
        }
    }
}
