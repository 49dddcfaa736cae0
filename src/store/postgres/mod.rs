//! The PostgreSQL store: job state and run history in a database that
//! several apsched processes may share. Every row is keyed by a cluster
//! name, so independent clusters can share one database; the tables are
//! apsched's own (prefix `apsched_`), so they can share it with others.
//! The schema is created and versioned on connect ([`schema`]); the claim
//! is one statement ([`claim`]). Times are kept to whole microseconds, as
//! PostgreSQL keeps them.

#[cfg(doc)]
use super::StateStore;
use super::location::Database;
use super::{RunResult, RunRow, StoreError, text};
use chrono::{DateTime, SubsecRound, Utc};
use postgres::{Client, Row};
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

/// The row format of `apsched_jobs` this version writes and reads.
const JOB_FORMAT: i32 = 1;

pub(crate) struct PgStore {
    /// In a cell: the store's read methods take `&self`, the client `&mut`.
    client: RefCell<Client>,
    /// How to connect again when the connection is lost.
    config: postgres::Config,
    /// The cluster whose rows this store reads and writes.
    cluster: String,
    /// The node whose runs this store records; `None` for the commands
    /// that only read or ask (`list`, `pause`, ...).
    node: Option<String>,
    /// How long a claimed run stays this node's without a renewal.
    lease: Duration,
    /// Run-history rows kept per job.
    history: usize,
    /// The fence of each run claimed by this store, for its command.
    fences: HashMap<i64, i64>,
    /// How new this node's configuration is: of two triggers of a job, the
    /// newer configuration's is kept.
    generation: i64,
    /// Run-now requests taken that are retries of lost runs: the slot and
    /// the attempt each runs.
    retries: HashMap<i64, requests::Retry>,
    /// The attempt and slot of each retry this store recorded, for its
    /// command.
    attempts: HashMap<i64, (i16, DateTime<Utc>)>,
    /// Between [`StateStore::begin`] and [`StateStore::commit`].
    in_transaction: bool,
    /// Why the last claim was refused, and the job's state then.
    lost: Option<(String, Option<crate::store::JobState>)>,
}

/// Why the writes of a transaction whose connection was lost fail.
const LOST_IN_TRANSACTION: &str =
    "the connection was lost before the writes since BEGIN were committed";

/// The default lease of a store not given one (tests, commands).
const DEFAULT_LEASE: Duration = Duration::from_secs(30);

impl PgStore {
    /// Connects to the database at `dsn` (a `postgresql://` URL or a
    /// key=value DSN; `host=/dir` for a unix socket) and creates or
    /// upgrades apsched's tables in it.
    #[cfg(test)]
    pub(crate) fn connect(dsn: &str, cluster: &str, history: usize) -> Result<PgStore, StoreError> {
        let db = Database {
            dsn: dsn.into(),
            password_file: None,
            cluster: cluster.into(),
        };
        PgStore::open(&db, None, history)
    }

    /// Connects to `db` as `node` (`None`: a command, not a node) and
    /// creates or upgrades apsched's tables in it.
    pub(crate) fn open(
        db: &Database,
        node: Option<&str>,
        history: usize,
    ) -> Result<PgStore, StoreError> {
        let application = match node {
            Some(id) => format!("apsched/{id}"),
            None => "apsched".into(),
        };
        let config = db.config(&application)?;
        let mut client = connect(&config)?;
        schema::ensure(&mut client)?;
        Ok(PgStore {
            client: RefCell::new(client),
            config,
            cluster: db.cluster.clone(),
            node: node.map(str::to_string),
            lease: DEFAULT_LEASE,
            history,
            fences: HashMap::new(),
            generation: 0,
            in_transaction: false,
            retries: HashMap::new(),
            attempts: HashMap::new(),
            lost: None,
        })
    }

    /// Sets how long this node's runs stay its own without a renewal.
    pub(crate) fn with_lease(mut self, lease: Duration) -> PgStore {
        self.lease = lease;
        self
    }

    /// Sets how new this node's configuration is (`[cluster] generation`,
    /// else the schedule file's modification time).
    pub(crate) fn with_generation(mut self, generation: i64) -> PgStore {
        self.generation = generation;
        self
    }

    /// The connection, made again first if it was lost (a restarted server,
    /// a reset network): the call then fails or works on its own merits.
    /// Not inside a transaction: its writes went with the connection, and
    /// those that follow must not commit on their own.
    fn conn(&self) -> Result<std::cell::RefMut<'_, Client>, StoreError> {
        let mut client = self.client.borrow_mut();
        if client.is_closed() {
            if self.in_transaction {
                return Err(StoreError::Database(LOST_IN_TRANSACTION.into()));
            }
            *client = connect(&self.config)?;
        }
        Ok(client)
    }

    /// Every node of the cluster, by id.
    pub(crate) fn nodes(&self) -> Result<Vec<nodes::NodeRow>, StoreError> {
        nodes::list(&mut *self.conn()?, &self.cluster)
    }

    /// Deletes a job's oldest runs past the history kept.
    fn trim_history(&self, job: &str) -> Result<(), StoreError> {
        // At most 1,000,000 (checked at parse time): it fits an i64.
        let keep = i64::try_from(self.history).unwrap_or(i64::MAX);
        self.conn()?.execute(
            "DELETE FROM apsched_runs WHERE cluster = $1 AND job_id = $2 AND run_id <= (SELECT run_id FROM apsched_runs WHERE cluster = $1 AND job_id = $2 ORDER BY run_id DESC OFFSET $3 LIMIT 1)",
            &[&self.cluster, &job, &keep],
        )?;
        Ok(())
    }
}

/// Connects, with the session settings every connection of apsched has.
pub(crate) fn connect(config: &postgres::Config) -> Result<Client, StoreError> {
    let mut client = tls::open(config).map_err(|e| match e {
        tls::Failed::Driver(e) => StoreError::Database(format!(
            "cannot connect to {}: {}; check that the server runs and the connection string",
            where_to(config),
            describe(&e)
        )),
        tls::Failed::Tls(e) => e,
    })?;
    client.batch_execute(
        "SET lock_timeout = '2s'; SET statement_timeout = '10s'; SET idle_in_transaction_session_timeout = '15s'",
    )?;
    Ok(client)
}

/// The server a configuration names, for messages (never its password).
pub(crate) fn where_to(config: &postgres::Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    format!(
        "database {:?} on {}",
        config.get_dbname().unwrap_or("(default)"),
        if hosts.is_empty() {
            "localhost".into()
        } else {
            hosts.join(",")
        }
    )
}

/// What went wrong, as the server or the driver said it.
pub(crate) fn describe(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let detail = db.detail().map(|d| format!(" ({d})")).unwrap_or_default();
        let hint = db.hint().map(|h| format!("; {h}")).unwrap_or_default();
        return format!("{}{detail}{hint}", db.message());
    }
    match std::error::Error::source(e) {
        Some(source) => format!("{e}: {source}"),
        None => e.to_string(),
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        StoreError::Database(describe(&e))
    }
}

/// A time as the store keeps it: to the whole microsecond, as PostgreSQL
/// does, so a time read back equals the one compared against.
fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

const COLUMNS: &str = "run_id, job_id, scheduled_at, scheduled_last, missed_count, started_at, finished_at, exit_code, state, output_tail, node_id, attempt, note";

/// One `apsched_runs` row, selected as [`COLUMNS`].
fn row(r: &Row) -> Result<RunRow, StoreError> {
    let state: String = r.try_get(8)?;
    let result = RunResult::parse(&state).ok_or_else(|| {
        StoreError::Database(format!(
            "run {} has an unknown state {state:?}",
            r.get::<_, i64>(0)
        ))
    })?;
    let time = |i: usize| -> Result<Option<String>, StoreError> {
        Ok(r.try_get::<_, Option<DateTime<Utc>>>(i)?.as_ref().map(text))
    };
    Ok(RunRow {
        id: r.try_get(0)?,
        job: r.try_get(1)?,
        scheduled: text(&r.try_get(2)?),
        scheduled_last: time(3)?,
        count: r.try_get(4)?,
        started: time(5)?,
        ended: time(6)?,
        exit_status: r.try_get(7)?,
        result,
        output: r.try_get(9)?,
        node: r.try_get(10)?,
        attempt: r.try_get::<_, i16>(11).map(|a| (a > 1).then_some(a))?,
        note: r.try_get(12)?,
    })
}

mod claim;
mod copy;
// Stopping and restarting a server is for the integration tests' scenarios.
#[cfg(test)]
#[allow(dead_code)]
mod fixture;
pub(crate) mod nodes;
mod ops;
mod requests;
mod runs;
mod schema;
mod state;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_copy;
#[cfg(test)]
mod tests_shared;
#[cfg(test)]
mod tests_state;
mod tls;
