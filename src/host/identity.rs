//! Who a node of a cluster is: its id, its lease, and a fingerprint of its
//! jobs that tells nodes whose jobs differ apart. `apsched run` makes it
//! from the schedule file and `--node-id`, a library scheduler from its
//! builder and the jobs it was given.

use crate::config::{Cluster, Job};
use crate::store::postgres::nodes::NodeInfo;
use std::sync::Arc;

/// The node this process is in `cluster`: `id`, else the host name
/// (characters a node id cannot hold become `-`).
pub(crate) fn node_info(cluster: &Cluster, id: Option<String>, jobs: &[Arc<Job>]) -> NodeInfo {
    let host = super::hooks::hostname();
    let id = id.unwrap_or_else(|| host_id(&host));
    let pid = i32::try_from(std::process::id()).unwrap_or(i32::MAX);
    let now = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
    NodeInfo {
        cluster: cluster.name.clone(),
        id,
        instance: format!("{pid:x}-{now:x}"),
        hostname: host,
        pid,
        version: env!("CARGO_PKG_VERSION").into(),
        config_hash: jobs_hash(jobs),
        lease: cluster.lease,
    }
}

/// A host name as a node id.
fn host_id(host: &str) -> String {
    let id: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    if id.is_empty() { "node".into() } else { id }
}

/// A fingerprint of the jobs' ids and triggers (FNV-1a, 64 bits, in hex):
/// the same on every node that schedules the same jobs the same way.
pub(crate) fn jobs_hash(jobs: &[Arc<Job>]) -> String {
    let mut jobs: Vec<(String, String)> = jobs
        .iter()
        .map(|j| (j.id.clone(), j.trigger.fingerprint()))
        .collect();
    jobs.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (id, fp) in &jobs {
        for b in id.bytes().chain([0]).chain(fp.bytes()).chain([0]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_become_node_ids() {
        let cases = [("web-1", "web-1"), ("a b", "a-b"), ("", "node")];
        for (host, want) in cases {
            assert_eq!(host_id(host), want);
        }
        assert_eq!(host_id(&"x".repeat(80)).len(), 64);
    }
}
