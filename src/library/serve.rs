//! Serving a scheduler: what [`Scheduler::run`](super::Scheduler::run)
//! and `apsched run` both do once their jobs and state are known. Read the
//! saved state, settle the runs a dead scheduler left, make the host (inside
//! a program, or as the process with its signals, metrics, hooks and file
//! watch), join the cluster, and run the jobs until shut down.

use crate::config::{Job, Listen, Settings};
use crate::console::Console;
use crate::host::metrics::{self, Metrics};
use crate::host::{self, Msg, Node, Program, RealHost, Version};
use crate::log::{Format, Logger};
use crate::runner::{self, Ending, Host};
use crate::scheduler::Event;
use crate::store::{Loaded, StateStore, StoreError};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

/// Why a scheduler could not be served.
#[derive(Debug)]
pub(crate) enum ServeError {
    /// The state could not be read or settled.
    State(StoreError),
    /// The metrics endpoint could not be served at `addr`.
    MetricsListen {
        addr: String,
        source: std::io::Error,
    },
    /// The host could not start (its threads, its signal handling).
    Host(std::io::Error),
    /// The schedule file cannot be watched.
    Watch { file: String, problem: String },
}

/// A scheduler as the process (`apsched run`): the schedule file, the log,
/// signals, the service manager, metrics, hooks and the file watch.
pub(crate) struct Process {
    pub file: PathBuf,
    pub logger: Logger,
    pub output: (Arc<Console>, Format),
    pub metrics: Option<Listen>,
    /// Reload when the file changes, as it was when read.
    pub watch: Option<Version>,
}

/// Where the scheduler lives.
pub(crate) enum Home {
    Process(Process),
    /// Inside a program, reached through its handle's channel.
    Program(Arc<dyn Program>, (Sender<Msg>, Receiver<Msg>)),
}

/// A node of a cluster, joined, and its cluster and database for people.
pub(crate) struct Joined {
    pub node: Node,
    pub poll: Duration,
    pub cluster: String,
    pub database: String,
}

/// What is served.
pub(crate) struct Serve {
    pub home: Home,
    pub settings: Settings,
    pub jobs: Vec<Arc<Job>>,
    pub store: Box<dyn StateStore>,
    pub node: Option<Joined>,
}

/// Runs the jobs until shut down; how it ended.
pub(crate) fn serve(s: Serve) -> Result<Ending, ServeError> {
    let Serve {
        home,
        settings,
        jobs,
        mut store,
        node,
    } = s;
    // Metrics start from every job's saved state; without them each is
    // read as start-up reaches it, so that they are never all held.
    let lazily = !matches!(&home, Home::Process(p) if p.metrics.is_some());
    let (mut saved, settled) = read_state(&mut *store, lazily)?;
    let mut host = match home {
        Home::Process(p) => {
            let found = (&saved, &settled.events[..]);
            as_process(p, &settings, &jobs, store, node, found)?
        }
        Home::Program(program, channel) => {
            let host = RealHost::embedded(program, channel, &settings, store);
            let mut host = host.map_err(ServeError::Host)?;
            for event in &settled.events {
                host.log(event);
            }
            join(&mut host, node, &jobs);
            host
        }
    };
    for event in found(&saved) {
        host.log(&event);
    }
    for notice in settled.notices {
        host.notify(notice);
    }
    let seed =
        u64::from(std::process::id()) ^ u64::from(chrono::Utc::now().timestamp_subsec_nanos());
    host.use_saved(std::mem::take(&mut saved.jobs), saved.lazy);
    let ending = runner::run(&mut host, &settings, jobs, seed);
    host.finish();
    Ok(ending)
}

/// The saved state (each job's only when asked for, `lazily`), with the
/// runs a dead scheduler left settled and counted in it.
fn read_state(
    store: &mut dyn StateStore,
    lazily: bool,
) -> Result<(Loaded, host::Settled), ServeError> {
    let loaded = if lazily {
        store.load_lazily()
    } else {
        store.load()
    };
    let named = |store: &dyn StateStore, e| ServeError::State(store.named_error(e));
    let mut saved = loaded.map_err(|e| named(store, e))?;
    let settled = host::settle_orphans(store, &saved.started, &saved.pending);
    let settled = settled.map_err(|e| named(store, e))?;
    saved.interrupted += settled.interrupted;
    saved.unknown = settled.unknown;
    Ok((saved, settled))
}

/// The host of `apsched run`: the process's signals and service manager,
/// its metrics endpoint, hooks and file watch. `found` is the saved state
/// and the lines of the runs settled in it.
fn as_process(
    mut p: Process,
    settings: &Settings,
    jobs: &[Arc<Job>],
    store: Box<dyn StateStore>,
    node: Option<Joined>,
    (saved, settled): (&Loaded, &[Event]),
) -> Result<RealHost, ServeError> {
    for event in settled {
        p.logger.log(event);
    }
    let metrics = match &p.metrics {
        Some(listen) => Some(start_metrics(listen, &*store, jobs, saved)?),
        None => None,
    };
    let file = p.file.display().to_string();
    let host = RealHost::start(p.file, settings, p.logger, p.output, store);
    let mut host = host.map_err(ServeError::Host)?;
    join(&mut host, node, jobs);
    if let Some((metrics, addr)) = metrics {
        host.observe_metrics(metrics);
        host.log(&Event::MetricsListening {
            addr: addr.to_string(),
        });
    }
    host.start_hooks(settings, jobs);
    if let Some(version) = p.watch {
        (host.watch(version)).map_err(|problem| ServeError::Watch { file, problem })?;
    }
    Ok(host)
}

/// The host runs as the node of its cluster, if it is one.
fn join(host: &mut RealHost, node: Option<Joined>, jobs: &[Arc<Job>]) {
    let Some(joined) = node else {
        return;
    };
    host.log(&Event::NodeStarted {
        node: joined.node.id().to_string(),
        cluster: joined.cluster,
        database: joined.database,
    });
    host.join(joined.node, joined.poll, jobs);
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
    listen: &Listen,
    store: &dyn StateStore,
    jobs: &[Arc<Job>],
    saved: &Loaded,
) -> Result<(Metrics, SocketAddr), ServeError> {
    let failed = |source| ServeError::MetricsListen {
        addr: listen.to_string(),
        source,
    };
    let listener = metrics::bind(listen).map_err(failed)?;
    let last = (store.last_times()).map_err(|e| ServeError::State(store.named_error(e)))?;
    let metrics = Metrics::new(jobs, &saved.jobs, &last);
    let addr = metrics.serve(listener).map_err(failed)?;
    Ok((metrics, addr))
}
