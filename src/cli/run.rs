//! `apsched run`: the blocking scheduler. It reads the schedule file and
//! opens its state, then serves it as the library's `Scheduler::run` serves
//! a program's jobs (`library::serve`), as the process: with signals, the
//! service manager, metrics, hooks and the file watch.

use super::cluster;
use super::error::Error;
use super::target::Target;
use crate::config;
use crate::console::Console;
use crate::host;
use crate::library::{self, Home, JoinError, Joined, Member, Process, Serve, ServeError};
use crate::log::{Format, Logger};
use crate::runner::Ending;
use crate::scheduler::{Event, Level};
use crate::store::{Location, StateStore, StoreError};
use crate::timefmt::rfc3339_secs_z;
use std::path::PathBuf;

/// Opens the state of a scheduler. A file is locked: one scheduler per
/// file. A database is shared: this process joins its cluster as a node
/// (refused while a live process holds the same node id).
fn open_state(
    state: &Location,
    config: &config::Config,
    node_id: Option<&str>,
) -> Result<(Box<dyn StateStore>, Option<Joined>), Error> {
    let member = matches!(state, Location::Database(_)).then(|| Member {
        info: cluster::node_info(config, node_id),
        generation: config.generation(),
        poll: config.cluster.poll,
    });
    let store = library::open(state, config.scheduler.history, member.as_ref())?;
    let joined = match (state, member) {
        (Location::Database(db), Some(member)) => Some(library::join(db, member)?),
        _ => None,
    };
    Ok((store, joined))
}

impl From<JoinError> for Error {
    fn from(e: JoinError) -> Error {
        match e {
            JoinError::Store(e) => Error::State(e),
            JoinError::InUse {
                node,
                cluster,
                pid,
                host,
            } => Error::NodeInUse {
                node,
                cluster,
                pid,
                host,
            },
        }
    }
}

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The schedule file, as with -f
    #[arg(value_name = "FILE", conflicts_with = "file")]
    path: Option<PathBuf>,
    /// How log lines on stderr look
    #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
    log_format: Format,
    /// Log only warnings and errors
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    quiet: bool,
    /// Log debug lines too
    #[arg(long, short = 'v', action = clap::ArgAction::Count)]
    verbose: u8,
    /// Reload the file when it changes, as on SIGHUP ([scheduler] watch =
    /// true does the same)
    // The text is the option's help, not a link.
    #[allow(rustdoc::broken_intra_doc_links)]
    #[arg(long)]
    watch: bool,
    /// Serve Prometheus metrics and a health check at this address (HOST:PORT,
    /// port 9746 if none, 0 for any free one); wins over [metrics] listen
    // The text is the option's help, not a link.
    #[allow(rustdoc::broken_intra_doc_links)]
    #[arg(long, value_name = "ADDR", value_parser = config::parse_listen)]
    metrics_listen: Option<config::Listen>,
    /// This node's id in its cluster (PostgreSQL state); wins over
    /// [cluster] node_id, whose default is the host name
    // The text is the option's help: no Markdown, no links.
    #[allow(rustdoc::broken_intra_doc_links, clippy::doc_markdown)]
    #[arg(long, value_name = "ID", value_parser = config::parse_id)]
    node_id: Option<String>,
    #[command(flatten)]
    target: Target,
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let target = args.target.with_argument(args.path.as_deref());
    let path = target.path();
    if args.watch && config::is_stdin(&path) {
        return Err(Error::WatchStdin { by: "--watch" });
    }
    // To see a change made while the file is read, before it is watched.
    let version = host::Version::of(&path);
    let (config, state) = target.resolve()?;
    host::give_back_memory();
    let watch = args.watch || config.scheduler.watch;
    if watch && config::is_stdin(&path) {
        return Err(Error::WatchStdin {
            by: "[scheduler] watch = true",
        });
    }
    let console = Console::new();
    let mut logger = args.logger(console.clone());
    for warning in &config.warnings {
        logger.log(&Event::ConfigWarning {
            warning: warning.clone(),
        });
    }
    let (store, node) = open_state(&state, &config, args.node_id.as_deref())?;
    let metrics = args.metrics_listen.clone().or(config.metrics.clone());
    let process = Process {
        file: path,
        logger,
        output: (console, args.log_format),
        metrics,
        watch: watch.then_some(version),
    };
    // The scheduler of the library, served as this process.
    let ending = library::serve(Serve {
        home: Home::Process(process),
        settings: config.scheduler,
        jobs: config.jobs,
        store,
        node,
    })?;
    ended(ending, &state)
}

impl From<ServeError> for Error {
    fn from(e: ServeError) -> Error {
        match e {
            ServeError::State(e) => Error::State(e),
            ServeError::MetricsListen { addr, source } => Error::MetricsListen { addr, source },
            ServeError::Host(source) => Error::Io {
                context: "cannot set up signal handling and job output".into(),
                source,
            },
            ServeError::Watch { file, problem } => Error::Watch { file, problem },
        }
    }
}

impl Args {
    /// The log, as `-q` and `-v` have it.
    fn logger(&self, console: std::sync::Arc<Console>) -> Logger {
        let min = match (self.quiet, self.verbose) {
            (true, _) => Level::Warn,
            (false, 0) => Level::Info,
            _ => Level::Debug,
        };
        Logger::new(self.log_format, min, console)
    }
}

/// How `run` ends: a clean stop, or a state that could not be written.
fn ended(ending: Ending, state: &Location) -> Result<(), Error> {
    match ending {
        Ending::Clean => Ok(()),
        Ending::StoreFailing { since, error } => {
            let message = format!(
                "could not be written from {} until apsched stopped ({error}); no run started meanwhile",
                rfc3339_secs_z(&since)
            );
            Err(Error::State(match state {
                Location::Database(db) => {
                    StoreError::Database(format!("{}: {message}", db.describe()))
                }
                _ => StoreError::Open {
                    path: state.describe(),
                    message,
                },
            }))
        }
    }
}
