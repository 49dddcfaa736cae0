//! Opening a scheduler's state, for `apsched run` and a library scheduler
//! alike: in memory, an SQLite file (one scheduler at a time), or a
//! PostgreSQL database shared by the nodes of a cluster, which a scheduler
//! joins once its jobs are known.

use super::Error;
use super::serve::Joined;
use crate::config::{Cluster, Job};
use crate::host::{Node, node_info};
use crate::store::postgres::PgStore;
use crate::store::postgres::nodes::NodeInfo;
use crate::store::sqlite::SqliteStore;
use crate::store::{Database, Location, StateStore, StoreError};
use std::sync::Arc;
use std::time::Duration;

/// A scheduler as a node of its cluster: who it is (and its lease), how
/// new its jobs are (`generation`), how often it polls.
pub(crate) struct Member {
    pub info: NodeInfo,
    pub generation: i64,
    pub poll: Duration,
}

/// Why a scheduler cannot join its cluster.
pub(crate) enum JoinError {
    Store(StoreError),
    /// A live process holds the node id.
    InUse {
        node: String,
        cluster: String,
        pid: i32,
        host: String,
    },
}

/// Opens the state at `location`, keeping the last `history` runs of each
/// job; on a database, as `member` (see [`join`]). A file is locked: an
/// error while another scheduler has it.
pub(crate) fn open(
    location: &Location,
    history: usize,
    member: Option<&Member>,
) -> Result<Box<dyn StateStore + Send>, StoreError> {
    Ok(match location {
        Location::Memory => Box::new(SqliteStore::memory(history)?),
        Location::File(path) => Box::new(SqliteStore::open_for_run(path, history)?),
        Location::Database(db) => {
            // Creates the tables first.
            let mut store = PgStore::open(db, member.map(|m| m.info.id.as_str()), history)?;
            if let Some(m) = member {
                store = store.with_lease(m.info.lease).with_generation(m.generation);
            }
            Box::new(store)
        }
    })
}

/// Joins the cluster on `db` as `member`: refused while a live process
/// holds the same node id.
pub(crate) fn join(db: &Database, member: Member) -> Result<Joined, JoinError> {
    let node = member.info.id.clone();
    match Node::join(db, member.info).map_err(JoinError::Store)? {
        Ok(joined) => Ok(Joined {
            node: joined,
            poll: member.poll,
            cluster: db.cluster.clone(),
            database: db.describe(),
        }),
        Err((pid, host)) => Err(JoinError::InUse {
            node,
            cluster: db.cluster.clone(),
            pid,
            host,
        }),
    }
}

/// A library scheduler's state opened, and in a cluster the node still
/// to join once its jobs are known.
pub(super) struct Opened {
    pub store: Box<dyn StateStore + Send>,
    pub cluster: Option<Joining>,
}

/// A library scheduler's node, to join when it starts.
pub(super) struct Joining {
    db: Database,
    member: Member,
}

fn state_error(e: impl std::fmt::Display) -> Error {
    Error::State(e.to_string())
}

/// Opens a library scheduler's state at `location`; on PostgreSQL the
/// scheduler is the node `node_id` (`None`: the host name) of the
/// location's cluster.
pub(super) fn open_for_program(
    location: &Location,
    history: usize,
    node_id: Option<&str>,
) -> Result<Opened, Error> {
    let member = match location {
        Location::Database(db) => Some(member(db, node_id)?),
        Location::Memory | Location::File(_) => None,
    };
    let store = open(location, history, member.as_ref()).map_err(state_error)?;
    let cluster = match (location, member) {
        (Location::Database(db), Some(member)) => Some(Joining {
            db: db.clone(),
            member,
        }),
        _ => None,
    };
    Ok(Opened { store, cluster })
}

/// This scheduler as a node of `db`'s cluster; an error, for people, if
/// the connection string or the node id is not valid.
fn member(db: &Database, node_id: Option<&str>) -> Result<Member, Error> {
    crate::config::check_dsn(&db.dsn).map_err(|why| Error::State(format!("the database {why}")))?;
    if let Some(id) = node_id {
        crate::config::parse_id(id)
            .map_err(|how| Error::State(format!("node id {id:?}: {how}")))?;
    }
    let cluster = Cluster::default();
    Ok(Member {
        // The fingerprint of the jobs is set when it joins.
        info: node_info(&cluster, node_id.map(str::to_string), &[]),
        // A program's jobs are as new as the program's start.
        generation: chrono::Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX),
        poll: cluster.poll,
    })
}

impl Joining {
    /// Takes the node's row for a scheduler of `jobs`; an error while a
    /// live process holds the same node id.
    pub(super) fn join(mut self, jobs: &[Arc<Job>]) -> Result<Joined, Error> {
        self.member.info.config_hash = crate::host::jobs_hash(jobs);
        join(&self.db, self.member).map_err(|e| match e {
            JoinError::Store(e) => state_error(e),
            JoinError::InUse {
                node,
                cluster,
                pid,
                host,
            } => Error::State(format!(
                "node {node:?} of cluster {cluster:?} is in use by pid {pid} on {host}; give this scheduler another node_id"
            )),
        })
    }
}
