//! A node of a cluster, as `apsched run` makes it from the schedule file
//! and `--node-id`: its id, its lease, and a fingerprint of its jobs that
//! tells nodes whose files differ apart.

use crate::config::{self, Config};
use crate::store::postgres::nodes::NodeInfo;

/// A `--node-id` value.
pub(super) fn parse_node_id(text: &str) -> Result<String, String> {
    if config::valid_id(text) {
        Ok(text.to_string())
    } else {
        Err("use 1 to 64 letters, digits, '.', '_' or '-'".into())
    }
}

/// The node this process is: `--node-id`, else `[cluster] node_id`, else
/// the host name (characters a node id cannot hold become `-`).
pub(super) fn node_info(config: &Config, flag: Option<&str>) -> NodeInfo {
    let host = crate::host::hooks::hostname();
    let id = flag
        .map(str::to_string)
        .or_else(|| config.cluster.node_id.clone())
        .unwrap_or_else(|| host_id(&host));
    let pid = i32::try_from(std::process::id()).unwrap_or(i32::MAX);
    let now = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
    NodeInfo {
        cluster: config.cluster.name.clone(),
        id,
        instance: format!("{pid:x}-{now:x}"),
        hostname: host,
        pid,
        version: env!("CARGO_PKG_VERSION").into(),
        config_hash: config_hash(config),
        lease: config.cluster.lease,
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
/// the same on every node whose file schedules the same jobs the same way.
pub(crate) fn config_hash(config: &Config) -> String {
    let mut jobs: Vec<(String, String)> = config
        .jobs
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
