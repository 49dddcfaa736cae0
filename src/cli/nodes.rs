//! `apsched nodes`: the nodes of the cluster whose PostgreSQL state the
//! schedule uses: who they are, whether they are alive, when each was last
//! heard from (by the database's clock), and whether each runs the same
//! jobs as this schedule file.

use super::cluster::config_hash;
use super::error::Error;
use super::output::{print, print_json};
use super::target::Target;
use super::times::{moment, until};
use crate::store::Location;
use crate::store::postgres::nodes::NodeRow;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::path::PathBuf;
use tabled::settings::Style;
use tabled::{Table, Tabled};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The schedule file, as with -f
    #[arg(value_name = "FILE", conflicts_with = "file")]
    path: Option<PathBuf>,
    /// Print a JSON array, one object per node
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: Target,
}

#[derive(Tabled)]
struct Line {
    #[tabled(rename = "NODE")]
    id: String,
    #[tabled(rename = "HOST")]
    host: String,
    #[tabled(rename = "PID")]
    pid: i32,
    #[tabled(rename = "VERSION")]
    version: String,
    #[tabled(rename = "ALIVE")]
    alive: &'static str,
    #[tabled(rename = "LAST SEEN")]
    last_seen: String,
    #[tabled(rename = "SAME CONFIG")]
    same_config: &'static str,
}

/// One node in `apsched nodes --json`.
#[derive(Serialize)]
struct NodeReport {
    id: String,
    hostname: String,
    pid: i32,
    version: String,
    alive: bool,
    /// Seconds since its last heartbeat, to the millisecond.
    last_seen_seconds: f64,
    /// Whether its jobs and triggers are this file's.
    same_config: bool,
    config_hash: String,
    /// When the node's process joined the cluster.
    started: String,
}

/// "2s ago", "3m 12s ago": how long ago a node was last heard from.
pub(super) fn ago(seconds: f64) -> String {
    // Clamped to a century: the cast below then neither wraps nor truncates.
    let whole = seconds.clamp(0.0, 3.2e9).round();
    if whole.is_nan() || whole < 1.0 {
        return "0s ago".into();
    }
    // A whole number of seconds below 3.2e9: exact as an i64.
    #[allow(clippy::cast_possible_truncation)]
    let secs = whole as i64;
    let from = DateTime::<Utc>::UNIX_EPOCH.with_timezone(&Tz::UTC);
    let to = from + chrono::Duration::seconds(secs);
    format!("{} ago", until(&from, &to))
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The error for a state that is not a database.
fn needs_database(state: &Location) -> Error {
    Error::NeedsDatabase {
        command: "nodes",
        state: match state {
            Location::Memory => "keeps no state (state = \":memory:\")".into(),
            other => format!("keeps its state in {}", other.describe()),
        },
    }
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let target = args.target.with_argument(args.path.as_deref());
    let config = target.load(true)?;
    let state = target.state_of(&config)?;
    let Some(nodes) = state.nodes()? else {
        return Err(needs_database(&state));
    };
    let hash = config_hash(&config);
    let tz = config.scheduler.timezone;
    if args.json {
        let reports: Vec<NodeReport> = nodes.iter().map(|n| report(n, &hash, tz)).collect();
        return print_json(&reports);
    }
    if nodes.is_empty() {
        return print(&format!(
            "no node has joined this cluster yet ({}); apsched run joins it\n",
            state.describe()
        ));
    }
    let lines: Vec<Line> = nodes.iter().map(|n| line(n, &hash)).collect();
    let mut table = Table::new(lines);
    table.with(Style::blank());
    print(&format!("{table}\n"))
}

fn line(n: &NodeRow, hash: &str) -> Line {
    Line {
        id: n.id.clone(),
        host: n.hostname.clone(),
        pid: n.pid,
        version: n.version.clone(),
        alive: yes_no(n.alive),
        last_seen: ago(n.last_seen_seconds),
        same_config: yes_no(n.config_hash == hash),
    }
}

fn report(n: &NodeRow, hash: &str, tz: Tz) -> NodeReport {
    NodeReport {
        id: n.id.clone(),
        hostname: n.hostname.clone(),
        pid: n.pid,
        version: n.version.clone(),
        alive: n.alive,
        last_seen_seconds: (n.last_seen_seconds * 1000.0).round() / 1000.0,
        same_config: n.config_hash == hash,
        config_hash: n.config_hash.clone(),
        started: moment(&n.started.with_timezone(&tz)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_seen_reads_as_a_span_ago() {
        let cases = [
            (-1.0, "0s ago"),
            (0.4, "0s ago"),
            (2.2, "2s ago"),
            (59.6, "1m ago"),
            (192.0, "3m 12s ago"),
            (90_000.0, "1d 1h ago"),
            (f64::NAN, "0s ago"),
            (1e300, "101y 172d ago"),
        ];
        for (seconds, want) in cases {
            assert_eq!(ago(seconds), want, "{seconds}");
        }
    }
}
