//! Where a library scheduler keeps its state: in memory, in an SQLite
//! file, or in a PostgreSQL database shared with other schedulers (nodes
//! of one cluster, as `apsched run` processes on the same database are).

use super::Error;
use super::serve::Joined;
use crate::config::{Cluster, Job};
use crate::host::{Node, node_info};
use crate::store::postgres::PgStore;
use crate::store::postgres::nodes::NodeInfo;
use crate::store::sqlite::SqliteStore;
use crate::store::{Database, StateStore};
use std::path::PathBuf;
use std::sync::Arc;

/// Where the scheduler keeps its state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Store {
    Memory,
    Sqlite(PathBuf),
    /// A connection string.
    Postgres(String),
}

/// A store opened, and in a cluster the node still to join.
pub(super) struct Opened {
    pub store: Box<dyn StateStore + Send>,
    pub cluster: Option<Joining>,
}

/// A node of a cluster, to join once the jobs are known.
pub(super) struct Joining {
    db: Database,
    info: NodeInfo,
    poll: std::time::Duration,
}

fn state_error(e: impl std::fmt::Display) -> Error {
    Error::State(e.to_string())
}

impl Store {
    /// Opens the state, keeping the last `history` runs of each job; an
    /// error if it cannot be opened or is held by another scheduler. On
    /// PostgreSQL the scheduler is the node `node_id` (`None`: the host
    /// name).
    pub(super) fn open(&self, history: usize, node_id: Option<&str>) -> Result<Opened, Error> {
        let store: Box<dyn StateStore + Send> = match self {
            Store::Memory => Box::new(SqliteStore::memory(history).map_err(state_error)?),
            Store::Sqlite(path) => {
                Box::new(SqliteStore::open_for_run(path, history).map_err(state_error)?)
            }
            Store::Postgres(dsn) => return open_node(dsn, node_id, history),
        };
        Ok(Opened {
            store,
            cluster: None,
        })
    }
}

/// Opens the database as a node of the default cluster.
fn open_node(dsn: &str, id: Option<&str>, history: usize) -> Result<Opened, Error> {
    crate::config::check_dsn(dsn).map_err(|why| Error::State(format!("the database {why}")))?;
    if let Some(id) = id.filter(|id| !crate::config::valid_id(id)) {
        return Err(Error::State(format!(
            "node id {id:?}: use 1 to 64 letters, digits, '.', '_' or '-'"
        )));
    }
    let cluster = Cluster::default();
    let db = Database {
        dsn: dsn.into(),
        password_file: None,
        cluster: cluster.name.clone(),
    };
    // The fingerprint of the jobs is set when it joins.
    let info = node_info(&cluster, id.map(str::to_string), &[]);
    // A program's jobs are as new as the program's start.
    let generation = chrono::Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX);
    let store = PgStore::open(&db, Some(&info.id), history)
        .map_err(state_error)?
        .with_lease(cluster.lease)
        .with_generation(generation);
    Ok(Opened {
        store: Box::new(store),
        cluster: Some(Joining {
            db,
            info,
            poll: cluster.poll,
        }),
    })
}

impl Joining {
    /// Takes the node's row for a scheduler of `jobs`; an error while a
    /// live process holds the same node id.
    pub(super) fn join(mut self, jobs: &[Arc<Job>]) -> Result<Joined, Error> {
        self.info.config_hash = crate::host::jobs_hash(jobs);
        let id = self.info.id.clone();
        match Node::join(&self.db, self.info).map_err(state_error)? {
            Ok(node) => Ok(Joined {
                node,
                poll: self.poll,
                cluster: self.db.cluster.clone(),
                database: self.db.describe(),
            }),
            Err((pid, host)) => Err(Error::State(format!(
                "node {id:?} of cluster {:?} is in use by pid {pid} on {host}; give this scheduler another node_id",
                self.db.cluster
            ))),
        }
    }
}
