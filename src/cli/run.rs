//! `apsched run`: the blocking scheduler.

use super::cluster;
use super::error::Error;
use super::target::Target;
use crate::config;
use crate::console::Console;
use crate::host::Node;
use crate::host::metrics::{self, Metrics};
use crate::host::{self, RealHost};
use crate::log::{Format, Logger};
use crate::runner::{self, Ending, Host};
use crate::scheduler::{Event, Level};
use crate::store::postgres::PgStore;
use crate::store::sqlite::SqliteStore;
use crate::store::{Loaded, Location, StateStore, StoreError};
use crate::timefmt::rfc3339_secs_z;
use std::path::PathBuf;

/// Opens the state of a scheduler. A file is locked: one scheduler per
/// file. A database is shared: this process joins its cluster as a node
/// (refused while a live process holds the same node id).
fn open_state(
    state: &Location,
    config: &config::Config,
    node_id: Option<&str>,
) -> Result<(Box<dyn StateStore>, Option<Node>), Error> {
    let history = config.scheduler.history;
    Ok(match state {
        Location::Memory => (Box::new(SqliteStore::memory(history)?), None),
        Location::File(p) => (Box::new(SqliteStore::open_for_run(p, history)?), None),
        Location::Database(db) => {
            let info = cluster::node_info(config, node_id);
            let (id, lease) = (info.id.clone(), info.lease);
            // Creates the tables first.
            let store = PgStore::open(db, Some(&id), history)?
                .with_lease(lease)
                .with_generation(config.generation());
            let node = Node::join(db, info)?.map_err(|(pid, host)| Error::NodeInUse {
                node: id.clone(),
                cluster: db.cluster.clone(),
                pid,
                host,
            })?;
            (Box::new(store), Some(node))
        }
    })
}

/// The lines for what the state held at start besides the jobs' state: rows
/// set aside (the last first), runs found unfinished.
fn found(saved: &Loaded) -> Vec<Event> {
    let mut events: Vec<Event> = (saved.set_aside.iter().rev())
        .map(|(job, reason)| Event::StateSetAside {
            job: job.clone(),
            reason: reason.clone(),
        })
        .collect();
    if saved.interrupted + saved.unknown > 0 {
        events.push(Event::StateInterrupted {
            count: saved.interrupted,
            unknown: saved.unknown,
        });
    }
    events
}

/// Binds the metrics endpoint and serves it from a thread of its own, its
/// counts starting from the saved state and the run history.
fn start_metrics(
    listen: &config::Listen,
    store: &dyn StateStore,
    jobs: &[std::sync::Arc<config::Job>],
    saved: &Loaded,
) -> Result<(Metrics, std::net::SocketAddr), Error> {
    let failed = |source| Error::MetricsListen {
        addr: listen.to_string(),
        source,
    };
    let listener = metrics::bind(listen).map_err(failed)?;
    let last = store.last_times().map_err(|e| store.named_error(e))?;
    let metrics = Metrics::new(jobs, &saved.jobs, &last);
    let addr = metrics.serve(listener).map_err(failed)?;
    Ok((metrics, addr))
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
    #[arg(long, value_name = "ID", value_parser = cluster::parse_node_id)]
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
    let (mut store, node) = open_state(&state, &config, args.node_id.as_deref())?;
    // Metrics start from every job's saved state; without them each is
    // read as start-up reaches it, so that they are never all held.
    let listen = args.metrics_listen.as_ref().or(config.metrics.as_ref());
    let loaded = if listen.is_some() {
        store.load()
    } else {
        store.load_lazily()
    };
    let mut saved = loaded.map_err(|e| store.named_error(e))?;
    let settled = host::settle_orphans(&mut *store, &saved.started, &saved.pending);
    let settled = settled.map_err(|e| store.named_error(e))?;
    for event in &settled.events {
        logger.log(event);
    }
    saved.interrupted += settled.interrupted;
    saved.unknown = settled.unknown;
    let metrics = match listen {
        Some(listen) => Some(start_metrics(listen, &*store, &config.jobs, &saved)?),
        None => None,
    };
    let mut host = RealHost::start(
        path.clone(),
        &config.scheduler,
        logger,
        (console, args.log_format),
        store,
    )
    .map_err(|source| Error::Io {
        context: "cannot set up signal handling and job output".into(),
        source,
    })?;
    if let (Some(node), Location::Database(db)) = (node, &state) {
        join(&mut host, node, db, &config);
    }
    if let Some((metrics, addr)) = metrics {
        host.observe_metrics(metrics);
        host.log(&Event::MetricsListening {
            addr: addr.to_string(),
        });
    }
    host.start_hooks(&config.scheduler, &config.jobs);
    if watch {
        host.watch(version).map_err(|problem| Error::Watch {
            file: path.display().to_string(),
            problem,
        })?;
    }
    for event in found(&saved) {
        host.log(&event);
    }
    for notice in settled.notices {
        host.notify(notice);
    }
    let seed =
        u64::from(std::process::id()) ^ u64::from(chrono::Utc::now().timestamp_subsec_nanos());
    host.use_saved(std::mem::take(&mut saved.jobs), saved.lazy);
    let ending = runner::run(&mut host, &config.scheduler, config.jobs, seed);
    host.finish();
    ended(ending, &state)
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

/// The host runs as `node` of the cluster on `db`.
fn join(host: &mut RealHost, node: Node, db: &crate::store::Database, config: &config::Config) {
    host.log(&Event::NodeStarted {
        node: node.id().to_string(),
        cluster: db.cluster.clone(),
        database: db.describe(),
    });
    host.join(node, config.cluster.poll, &config.jobs);
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
