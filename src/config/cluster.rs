//! Sharing state between hosts: a `[scheduler] state` that names a
//! PostgreSQL database instead of a file, and the `[cluster]` section
//! (the cluster's name, this node's id, the lease of its runs, how often
//! it polls for requests).

use super::diagnostic::Diagnostics;
use super::values::{Value, unknown_key};
use std::time::Duration;

const CLUSTER_KEYS: &[&str] = &["name", "node_id", "lease", "poll", "generation"];

/// The cluster name when `[cluster] name` is not given.
pub(crate) const DEFAULT_CLUSTER: &str = "default";

/// How a node of a cluster behaves (`[cluster]`); read only with a
/// PostgreSQL state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// Several independent clusters may share one database.
    pub name: String,
    /// This node's id; `None`: the host name (`--node-id` wins over both).
    pub node_id: Option<String>,
    /// How long a node's runs stay its own without a renewal.
    pub lease: Duration,
    /// How often a node reads requests and pauses it was not told of.
    pub poll: Duration,
    /// How new this file is, against the other nodes' (`generation`);
    /// `None`: the file's modification time.
    pub generation: Option<i64>,
}

impl Default for Cluster {
    fn default() -> Cluster {
        Cluster {
            name: DEFAULT_CLUSTER.into(),
            node_id: None,
            lease: Duration::from_secs(30),
            poll: Duration::from_secs(5),
            generation: None,
        }
    }
}

impl super::Config {
    /// How new this configuration is, against other nodes': `[cluster]
    /// generation`, else the file's modification time in nanoseconds (now,
    /// for standard input).
    pub(crate) fn generation(&self) -> i64 {
        if let Some(g) = self.cluster.generation {
            return g;
        }
        let modified = std::fs::metadata(&self.path)
            .and_then(|m| m.modified())
            .ok();
        let at = modified.map_or_else(chrono::Utc::now, chrono::DateTime::<chrono::Utc>::from);
        at.timestamp_nanos_opt().unwrap_or(i64::MAX)
    }
}

/// What becomes of a run whose node lost its lease (`on_lost`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum OnLost {
    /// Recorded interrupted, not run again: at most once.
    #[default]
    Record,
    /// Run again, as the same slot's next attempt, up to `max_attempts`:
    /// at least once, for idempotent jobs.
    Rerun,
}

/// Reads a job's `on_lost` or `max_attempts` into `keys`.
pub(super) fn job_key(
    diags: &mut Diagnostics<'_>,
    key: &str,
    v: &Value<'_, '_>,
    what: &str,
    keys: &mut super::keys::Keys,
) {
    if key == "on_lost" {
        keys.on_lost = on_lost(diags, v, what).unwrap_or_default();
    } else {
        let n = v
            .count(diags, what, 1, 100)
            .and_then(|n| u16::try_from(n).ok());
        keys.max_attempts = n.unwrap_or(keys.max_attempts);
    }
}

/// Reads `on_lost`.
fn on_lost(diags: &mut Diagnostics<'_>, v: &Value<'_, '_>, what: &str) -> Option<OnLost> {
    match v.string(diags, what)? {
        "record" => Some(OnLost::Record),
        "rerun" => Some(OnLost::Rerun),
        other => {
            diags.error(
                v.span(),
                format!("{what} is {other:?}, not \"record\" or \"rerun\""),
                Some("\"record\" (the default) records a lost run interrupted; \"rerun\" runs it again, for idempotent jobs".into()),
            );
            None
        }
    }
}

/// The shortest and longest lease: renewals come every third of it.
const LEASE_MIN: Duration = Duration::from_secs(3);
const LEASE_MAX: Duration = Duration::from_secs(3600);
const POLL_MIN: Duration = Duration::from_millis(100);

/// The parameter keys a key=value connection string may start with.
const DSN_KEYS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "application_name",
    "options",
    "sslmode",
    "connect_timeout",
    "keepalives",
    "keepalives_idle",
    "target_session_attrs",
    "channel_binding",
    "load_balance_hosts",
];

/// Whether a state names a PostgreSQL database (`postgresql://…`,
/// `postgres://…`, or a key=value connection string such as
/// `host=/run/postgresql dbname=apsched`) rather than a file.
pub(crate) fn is_database(text: &str) -> bool {
    let t = text.trim_start();
    if t.starts_with("postgresql://") || t.starts_with("postgres://") {
        return true;
    }
    t.split_once('=')
        .is_some_and(|(key, _)| DSN_KEYS.contains(&key.trim()))
}

/// Why a connection string cannot be used, for people; never echoes it
/// (it may hold a password).
pub(crate) fn check_dsn(text: &str) -> Result<(), String> {
    text.parse::<postgres::Config>()
        .map(|_| ())
        .map_err(|e| format!("is not a valid PostgreSQL connection string ({e})"))
}

/// Whether `id` may name a node or a cluster: 1 to 64 letters, digits,
/// `.`, `_` or `-`.
pub(crate) fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

const ID_HINT: &str = "use 1 to 64 letters, digits, '.', '_' or '-'";

/// A node or cluster id as given (`--node-id`, a library's `node_id`), or
/// how to write one.
pub(crate) fn parse_id(text: &str) -> Result<String, String> {
    if valid_id(text) {
        Ok(text.to_string())
    } else {
        Err(ID_HINT.into())
    }
}

/// Reads `[cluster]`.
pub(super) fn cluster(diags: &mut Diagnostics<'_>, v: &Value<'_, '_>) -> Cluster {
    let mut c = Cluster::default();
    let Some(table) = v.table(diags, "[cluster]") else {
        return c;
    };
    let mut poll_span = None;
    for (key, value) in table {
        let v = Value::new(value);
        let name = key.get_ref().as_ref();
        let what = format!("cluster.{name}");
        match name {
            "name" | "node_id" => {
                let Some(text) = v.string(diags, &what) else {
                    continue;
                };
                if !valid_id(text) {
                    diags.error(
                        v.span(),
                        format!("{what} {text:?} is not a valid id"),
                        Some(ID_HINT.into()),
                    );
                } else if name == "name" {
                    c.name = text.to_string();
                } else {
                    c.node_id = Some(text.to_string());
                }
            }
            "lease" => {
                if let Some(lease) = bounded(diags, &v, &what, LEASE_MIN, LEASE_MAX) {
                    c.lease = lease;
                }
            }
            "poll" => {
                if let Some(poll) = bounded(diags, &v, &what, POLL_MIN, LEASE_MAX) {
                    c.poll = poll;
                    poll_span = Some(v.span());
                }
            }
            "generation" => {
                if let Some(n) = v.count(diags, &what, 0, i64::MAX) {
                    c.generation = i64::try_from(n).ok();
                }
            }
            other => unknown_key(diags, key, other, CLUSTER_KEYS, "in [cluster]"),
        }
    }
    if let Some(span) = poll_span
        && c.poll > c.lease
    {
        diags.error(
            span,
            "cluster.poll is longer than cluster.lease",
            Some("poll at least once a lease; the default is 5s".into()),
        );
    }
    c
}

/// A duration in `min..=max`.
fn bounded(
    diags: &mut Diagnostics<'_>,
    v: &Value<'_, '_>,
    what: &str,
    min: Duration,
    max: Duration,
) -> Option<Duration> {
    let d = v.duration(diags, what, false).flatten()?;
    if d < min || d > max {
        diags.error(
            v.span(),
            format!(
                "{what} must be between {} and {}",
                humantime(min),
                humantime(max)
            ),
            None,
        );
        return None;
    }
    Some(d)
}

fn humantime(d: Duration) -> String {
    if d.subsec_millis() != 0 {
        format!("{}ms", d.as_millis())
    } else {
        format!("{}s", d.as_secs())
    }
}

#[cfg(test)]
#[path = "tests_cluster.rs"]
mod tests;
