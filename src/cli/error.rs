//! The one error type of the command line, its rendering for people and its
//! exit codes. Each layer below has its own error ([`ConfigError`],
//! [`ZoneError`], [`TimeError`], [`CronError`], [`StoreError`]); this type
//! wraps them, and only it decides an exit code:
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
use std::fmt::Write as _;

/// Exit code of a successful run.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit code of a failure while running.
pub(crate) const EXIT_FAILURE: u8 = 1;
/// Exit code of a command line that does not parse (clap's own code).
pub(crate) const EXIT_USAGE: u8 = 2;
/// Exit code of input that is not valid.
pub(crate) const EXIT_INVALID: u8 = 3;
/// Exit code of a state file that cannot be used (locked, damaged, unwritable).
pub(crate) const EXIT_STATE: u8 = 4;

/// Everything that can go wrong in a command.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
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
    /// `$APSCHED_DATABASE_URL` is set but cannot be used.
    #[error(
        "APSCHED_DATABASE_URL {problem}; set it to postgresql://USER@HOST/DB (or key=value), or unset it to use [scheduler] state"
    )]
    DatabaseUrl { problem: String },
    /// Two running nodes with one id (`--node-id`, `[cluster] node_id`).
    #[error(
        "node id {node:?} is in use by a live node of cluster {cluster:?} (pid {pid} on {host}); stop it, or give this one another id with --node-id"
    )]
    NodeInUse {
        node: String,
        cluster: String,
        pid: i32,
        host: String,
    },
    /// A command about a cluster (`nodes`), for a state that is no database.
    #[error(
        "apsched {command} needs a PostgreSQL state ([scheduler] state = \"postgresql://…\"); this schedule {state}"
    )]
    NeedsDatabase {
        command: &'static str,
        state: String,
    },
    /// `state copy` with FROM and TO the same state.
    #[error("FROM and TO are the same state ({state}); name another state to copy into")]
    CopySame { state: String },
    /// `state copy` refused: a scheduler runs on a side, FROM holds
    /// nothing, or TO holds state already.
    #[error("cannot copy the state: {reason}")]
    CopyRefused { reason: String },
    /// A schedule from standard input, with no state file named.
    #[error(
        "the schedule comes from standard input, so its state file must be named: set [scheduler] state in it (relative to the current directory), or pass --state PATH (\":memory:\" keeps none)"
    )]
    StdinState,
    /// `--watch` (or `watch = true`) for a schedule from standard input.
    #[error(
        "{by} cannot watch a schedule read from standard input: name its file instead (apsched run --watch FILE), or send SIGHUP after changing it"
    )]
    WatchStdin { by: &'static str },
    /// The schedule file cannot be watched for changes.
    #[error(
        "cannot watch {file} for changes (--watch, [scheduler] watch): {problem}; run without watching and send SIGHUP to reload"
    )]
    Watch { file: String, problem: String },
    /// The metrics endpoint cannot listen at its address.
    #[error(
        "cannot serve metrics at {addr} (--metrics-listen, [metrics] listen): {source}; {}",
        listen_hint(source)
    )]
    MetricsListen {
        addr: String,
        source: std::io::Error,
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
    State(#[from] StoreError),
    /// `apsched import` left lines out (kept as comments) or found no entry.
    #[error("{}", import_incomplete(*lost, *jobs))]
    ImportIncomplete { lost: usize, jobs: usize },
    /// `apsched import` with no file and a terminal on standard input.
    #[error(
        "no crontab to read: name a file, or pipe one in (crontab -l | apsched import crontab)"
    )]
    ImportFromTerminal,
    /// Reading or writing failed.
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
}

/// What an import with lost lines or no entries says after its warnings.
fn import_incomplete(lost: usize, jobs: usize) -> String {
    match (lost, jobs) {
        (0, _) => "the crontab has no entries, so the schedule file has no jobs".into(),
        (1, _) => format!(
            "1 line was not carried over ({jobs} jobs were): it is kept as a comment in the output; fix it there by hand"
        ),
        (n, _) => format!(
            "{n} lines were not carried over ({jobs} jobs were): they are kept as comments in the output; fix them there by hand"
        ),
    }
}

/// What to do about an address the metrics endpoint cannot listen at.
fn listen_hint(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::AddrInUse => {
            "another program listens there: choose another port, or port 0 for any free one"
        }
        ErrorKind::AddrNotAvailable => {
            "no interface of this machine has that address: use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)"
        }
        ErrorKind::PermissionDenied => {
            "ports below 1024 need privileges: choose a port above 1023, such as 9746"
        }
        _ => "check the host name, or give an IP address such as 127.0.0.1:9746",
    }
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
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Error::Cron { .. }
            | Error::Zone(_)
            | Error::Time(_)
            | Error::Config(ConfigError::Invalid { .. })
            | Error::UnknownJob { .. }
            | Error::ImportIncomplete { .. }
            | Error::NoRun { .. } => EXIT_INVALID,
            Error::Io { .. }
            | Error::Config(ConfigError::Unreadable { .. })
            | Error::JobFailed { .. }
            | Error::RunRefused { .. }
            | Error::NoOutcome { .. }
            | Error::Watch { .. }
            | Error::MetricsListen { .. } => EXIT_FAILURE,
            Error::State(_)
            | Error::NoState { .. }
            | Error::NodeInUse { .. }
            | Error::CopyRefused { .. } => EXIT_STATE,
            Error::StdinState
            | Error::WatchStdin { .. }
            | Error::ImportFromTerminal
            | Error::DatabaseUrl { .. }
            | Error::NeedsDatabase { .. }
            | Error::CopySame { .. } => EXIT_USAGE,
        }
    }

    /// The rendering shown to people on stderr: one line, or for a schedule
    /// file one line per problem and a count.
    pub(crate) fn render(&self) -> String {
        match self {
            Error::Config(ConfigError::Invalid { diagnostics, .. }) => {
                let mut text = String::new();
                // Writing to a String cannot fail.
                for d in diagnostics {
                    let _ = writeln!(text, "apsched: error: {d}");
                }
                let _ = write!(text, "apsched: {self}");
                text
            }
            _ => format!("apsched: error: {self}"),
        }
    }
}
