//! The fields of the events of a node of a cluster (PostgreSQL state).

use super::{Event, Field};
use crate::timefmt::rfc3339_millis_z;
use std::time::Duration;

fn text(t: impl Into<String>) -> Field {
    Field::Text(t.into())
}

fn num(n: impl TryInto<i64>) -> Field {
    Field::Number(n.try_into().unwrap_or(i64::MAX))
}

fn secs(d: &Duration) -> Field {
    Field::Seconds(*d)
}

fn job(j: &str) -> (&'static str, Field) {
    ("job", text(j))
}

/// Events of a node of a cluster.
pub(super) fn fields(event: &Event) -> Vec<(&'static str, Field)> {
    match event {
        Event::NodeStarted {
            node,
            cluster,
            database,
        } => vec![
            ("node", text(node.clone())),
            ("cluster", text(cluster.clone())),
            ("database", text(database.clone())),
        ],
        Event::ClaimLost {
            job: j,
            slot,
            reason,
        } => vec![
            job(j),
            ("slot", text(rfc3339_millis_z(slot))),
            ("reason", text(reason.clone())),
        ],
        Event::RunLost {
            job: j,
            run,
            node,
            rerun,
        } => vec![
            job(j),
            ("run", num(*run)),
            ("node", text(node.clone().unwrap_or_default())),
            ("rerun", Field::Flag(*rerun)),
        ],
        Event::LeaseLostKilled { job: j, pid } => vec![
            job(j),
            ("pid", num(*pid)),
            (
                "why",
                text("lease not renewed; ended so it does not run twice"),
            ),
        ],
        Event::HeartbeatFailed { error } => vec![
            ("error", text(error.clone())),
            (
                "runs",
                text("none is claimed once the lease lapses, until it works again"),
            ),
        ],
        Event::HeartbeatRecovered { after } => vec![("after", secs(after))],
        Event::ClockOffset { offset } => vec![("offset", text(format!("{offset:.3}s")))],
        _ => Vec::new(),
    }
}
