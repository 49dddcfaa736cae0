//! The nodes of a cluster: each running `apsched run` has a row in
//! `apsched_nodes` that it renews every third of its lease, together with
//! the leases of its runs, in one statement. A run whose lease lapsed (its
//! node died, froze or lost the database) is recorded interrupted by
//! whichever node reaps first, once. Every time compared here is the
//! database's `now()`, never a node's clock.

use crate::store::{RunResult, StoreError};
use chrono::{DateTime, Utc};
use postgres::GenericClient;
use std::time::Duration;

/// What a node says of itself.
#[derive(Clone, Debug)]
pub(crate) struct NodeInfo {
    pub cluster: String,
    pub id: String,
    /// New for every process: two live processes never share a node id.
    pub instance: String,
    pub hostname: String,
    pub pid: i32,
    pub version: String,
    /// A fingerprint of the schedule file's jobs, to tell nodes apart
    /// whose files differ.
    pub config_hash: String,
    pub lease: Duration,
}

/// One node as `apsched nodes` shows it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct NodeRow {
    pub id: String,
    pub hostname: String,
    pub pid: i32,
    pub version: String,
    pub alive: bool,
    /// Seconds since its last heartbeat, by the database's clock.
    pub last_seen_seconds: f64,
    pub config_hash: String,
    pub started: DateTime<Utc>,
}

/// A run reaped because its holder's lease lapsed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Lapsed {
    pub run: i64,
    pub job: String,
    pub scheduled: DateTime<Utc>,
    pub node: Option<String>,
    /// Whether its next attempt was asked for (`on_lost = "rerun"`).
    pub rerun: bool,
}

/// How long after its lease a run is given up (a late renewal may still
/// be on its way).
const REAP_AFTER: f64 = 5.0;

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Takes the node's row: `Err((pid, hostname))` when another process holds
/// it with a live lease, unless `stale` says that process is gone (a
/// process on this host that no longer exists).
pub(crate) fn register(
    c: &mut impl GenericClient,
    n: &NodeInfo,
    stale: impl Fn(&str, i32) -> bool,
) -> Result<Result<(), (i32, String)>, StoreError> {
    let taken = c.query_opt(
        "INSERT INTO apsched_nodes (cluster, node_id, instance, hostname, pid, version, config_hash, lease_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8))
         ON CONFLICT (cluster, node_id) DO UPDATE SET instance = EXCLUDED.instance,
           hostname = EXCLUDED.hostname, pid = EXCLUDED.pid, version = EXCLUDED.version,
           config_hash = EXCLUDED.config_hash, started_at = now(), heartbeat_at = now(),
           lease_until = EXCLUDED.lease_until
         WHERE apsched_nodes.lease_until <= now()
         RETURNING node_id",
        &[
            &n.cluster, &n.id, &n.instance, &n.hostname, &n.pid, &n.version, &n.config_hash,
            &secs(n.lease),
        ],
    )?;
    if taken.is_some() {
        return Ok(Ok(()));
    }
    let Some(row) = c.query_opt(
        "SELECT instance, pid, hostname FROM apsched_nodes WHERE cluster = $1 AND node_id = $2",
        &[&n.cluster, &n.id],
    )?
    else {
        return register(c, n, stale);
    };
    let (instance, pid, host): (String, i32, String) = (row.get(0), row.get(1), row.get(2));
    if !stale(&host, pid) {
        return Ok(Err((pid, host)));
    }
    // The holder is gone: take over its row (once, if two try).
    let moved = c.execute(
        "UPDATE apsched_nodes SET instance = $3, hostname = $4, pid = $5, version = $6,
           config_hash = $7, started_at = now(), heartbeat_at = now(),
           lease_until = now() + make_interval(secs => $8)
         WHERE cluster = $1 AND node_id = $2 AND instance = $9",
        &[
            &n.cluster,
            &n.id,
            &n.instance,
            &n.hostname,
            &n.pid,
            &n.version,
            &n.config_hash,
            &secs(n.lease),
            &instance,
        ],
    )?;
    Ok(if moved == 1 { Ok(()) } else { Err((pid, host)) })
}

/// Renews the node's lease and its runs' leases; the database's time, or
/// `None` when the row is no longer this process's (another took it).
pub(crate) fn heartbeat(
    c: &mut impl GenericClient,
    n: &NodeInfo,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    let row = c.query_one(
        "WITH node AS (
           UPDATE apsched_nodes SET heartbeat_at = now(), config_hash = $4,
                  lease_until = now() + make_interval(secs => $5)
            WHERE cluster = $1 AND node_id = $2 AND instance = $3
           RETURNING node_id),
         runs AS (
           UPDATE apsched_runs r SET lease_until = now() + make_interval(secs => $5)
             FROM node WHERE r.cluster = $1 AND r.node_id = node.node_id
              AND r.state IN ('pending', 'started')
           RETURNING r.run_id)
         SELECT (SELECT count(*) FROM node), now()",
        &[
            &n.cluster,
            &n.id,
            &n.instance,
            &n.config_hash,
            &secs(n.lease),
        ],
    )?;
    let mine: i64 = row.try_get(0)?;
    Ok((mine == 1).then(|| row.get(1)))
}

/// Records interrupted every run of the cluster whose lease lapsed more
/// than a few seconds ago, and asks for the next attempt of those of
/// `rerun` jobs (job, most attempts) that have attempts left, in the same
/// statement; each such run is returned to exactly one caller.
pub(crate) fn reap(
    c: &mut impl GenericClient,
    cluster: &str,
    rerun: &[(String, i32)],
) -> Result<Vec<Lapsed>, StoreError> {
    let (jobs, most): (Vec<&str>, Vec<i32>) = rerun.iter().map(|(j, n)| (j.as_str(), *n)).unzip();
    let rows = c.query(
        "WITH lost AS (
           UPDATE apsched_runs SET state = $2, finished_at = now(),
                  note = 'its node lost its lease (it stopped, froze or lost the database)'
            WHERE cluster = $1 AND state IN ('pending', 'started')
              AND lease_until < now() - make_interval(secs => $3)
           RETURNING run_id, job_id, scheduled_at, attempt, node_id),
         policy AS (SELECT * FROM unnest($4::text[], $5::int[]) AS p(job_id, most)),
         retry AS (
           INSERT INTO apsched_requests (cluster, job_id, slot, attempt, retry_of)
           SELECT $1, l.job_id, l.scheduled_at, l.attempt + 1, l.run_id
             FROM lost l JOIN policy p ON p.job_id = l.job_id
            WHERE l.attempt < p.most
           RETURNING retry_of)
         SELECT l.run_id, l.job_id, l.scheduled_at, l.node_id,
                EXISTS (SELECT 1 FROM retry r WHERE r.retry_of = l.run_id)
           FROM lost l",
        &[
            &cluster,
            &RunResult::Interrupted.as_str(),
            &REAP_AFTER,
            &jobs,
            &most,
        ],
    )?;
    let mut lapsed: Vec<Lapsed> = rows
        .iter()
        .map(|r| Lapsed {
            run: r.get(0),
            job: r.get(1),
            scheduled: r.get(2),
            node: r.get(3),
            rerun: r.get(4),
        })
        .collect();
    lapsed.sort_by_key(|l| l.run);
    Ok(lapsed)
}

/// Marks the node gone at a clean stop: its lease ends now.
pub(crate) fn leave(c: &mut impl GenericClient, n: &NodeInfo) -> Result<(), StoreError> {
    c.execute(
        "UPDATE apsched_nodes SET lease_until = now(), heartbeat_at = now()
          WHERE cluster = $1 AND node_id = $2 AND instance = $3",
        &[&n.cluster, &n.id, &n.instance],
    )?;
    Ok(())
}

/// Every node of the cluster, by id.
pub(crate) fn list(c: &mut impl GenericClient, cluster: &str) -> Result<Vec<NodeRow>, StoreError> {
    let rows = c.query(
        "SELECT node_id, hostname, pid, version, lease_until > now(),
                extract(epoch FROM now() - heartbeat_at)::float8, config_hash, started_at
           FROM apsched_nodes WHERE cluster = $1 ORDER BY node_id",
        &[&cluster],
    )?;
    rows.iter()
        .map(|r| {
            Ok(NodeRow {
                id: r.try_get(0)?,
                hostname: r.try_get(1)?,
                pid: r.try_get(2)?,
                version: r.try_get(3)?,
                alive: r.try_get(4)?,
                last_seen_seconds: r.try_get(5)?,
                config_hash: r.try_get(6)?,
                started: r.try_get(7)?,
            })
        })
        .collect()
}

/// The channel the nodes of `cluster` listen on: a quoted identifier
/// (cluster names are letters, digits, `.`, `_` and `-`), within
/// PostgreSQL's 63 bytes.
pub(crate) fn channel(cluster: &str) -> String {
    let name: String = format!("apsched_{cluster}").chars().take(63).collect();
    format!("\"{name}\"")
}

/// Wakes the nodes of `cluster` (a hint: they poll as well).
pub(crate) fn wake(c: &mut impl GenericClient, cluster: &str) -> Result<(), StoreError> {
    let name = channel(cluster);
    c.batch_execute(&format!("NOTIFY {name}, 'wake'"))?;
    Ok(())
}
