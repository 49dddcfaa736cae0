//! Where the state is kept: nowhere (`:memory:`), an SQLite file, or a
//! PostgreSQL database shared by a cluster; and opening it for the command
//! at hand.

use super::postgres::PgStore;
use super::postgres::nodes::NodeRow;
use super::sqlite::SqliteStore;
use super::{StateStore, StoreError};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the state is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Location {
    /// Nowhere: nothing outlives the process.
    Memory,
    /// An SQLite file, one scheduler at a time.
    File(PathBuf),
    /// A PostgreSQL database, shared by the nodes of a cluster.
    Database(Database),
}

/// A PostgreSQL database and the cluster whose rows to use.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Database {
    /// A `postgresql://` URL or a key=value connection string.
    pub dsn: String,
    /// The password, read from this file when connecting.
    pub password_file: Option<PathBuf>,
    /// The cluster's name (`[cluster] name`).
    pub cluster: String,
}

// Never prints the connection string: it may hold a password.
impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Database({})", self.describe())
    }
}

/// How long connecting may take before it counts as a failure.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

impl Database {
    /// The database and cluster, for people, without a password.
    pub(crate) fn describe(&self) -> String {
        match self.dsn.parse::<postgres::Config>() {
            Ok(c) => format!(
                "{}, cluster {:?}",
                super::postgres::where_to(&c),
                self.cluster
            ),
            Err(_) => format!("a PostgreSQL database, cluster {:?}", self.cluster),
        }
    }

    /// The driver's configuration: the connection string, the password from
    /// `password_file`, `application_name`, and timeouts that turn a dead
    /// network into an error within seconds.
    pub(crate) fn config(&self, application: &str) -> Result<postgres::Config, StoreError> {
        let mut config: postgres::Config = self.dsn.parse().map_err(|e| {
            StoreError::Database(format!("the connection string is not valid: {e}"))
        })?;
        if let Some(file) = &self.password_file {
            let text = std::fs::read_to_string(file).map_err(|e| {
                StoreError::Database(format!(
                    "cannot read the password file {}: {e}; check [scheduler] password_file",
                    file.display()
                ))
            })?;
            config.password(text.trim_end_matches(['\n', '\r']));
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config
            .application_name(application)
            .keepalives(true)
            .keepalives_idle(Duration::from_secs(10))
            .tcp_user_timeout(Duration::from_secs(10));
        Ok(config)
    }
}

impl Location {
    /// The state, for people (a file's path, a database without password).
    pub(crate) fn describe(&self) -> String {
        match self {
            Location::Memory => crate::config::MEMORY.into(),
            Location::File(p) => p.display().to_string(),
            Location::Database(db) => db.describe(),
        }
    }

    /// The SQLite file, if the state is one.
    pub(crate) fn file(&self) -> Option<&Path> {
        match self {
            Location::File(p) => Some(p),
            _ => None,
        }
    }

    /// Opens the state to change it (`pause`, `resume`, `run-now`).
    pub(crate) fn open(&self, history: usize) -> Result<Box<dyn StateStore>, StoreError> {
        Ok(match self {
            Location::Memory => Box::new(SqliteStore::memory(history)?),
            Location::File(p) => Box::new(SqliteStore::open(p, history)?),
            Location::Database(db) => Box::new(PgStore::open(db, None, history)?),
        })
    }

    /// Opens the state to read it (`list`, `history`, `check`); `None` when
    /// there is none yet.
    pub(crate) fn open_read_only(
        &self,
        history: usize,
    ) -> Result<Option<Box<dyn StateStore>>, StoreError> {
        Ok(match self {
            Location::Memory => None,
            Location::File(p) => {
                SqliteStore::open_read_only(p, history)?.map(|s| Box::new(s) as Box<dyn StateStore>)
            }
            Location::Database(db) => Some(Box::new(PgStore::open(db, None, history)?)),
        })
    }

    /// The nodes of the cluster, by id (`apsched nodes`, `list`); `None`
    /// when the state is not a database, which has no nodes.
    pub(crate) fn nodes(&self) -> Result<Option<Vec<NodeRow>>, StoreError> {
        match self {
            Location::Database(db) => Ok(Some(PgStore::open(db, None, 1)?.nodes()?)),
            _ => Ok(None),
        }
    }
}
