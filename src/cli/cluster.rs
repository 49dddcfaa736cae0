//! A node of a cluster, as `apsched run` makes it from the schedule file
//! and `--node-id` (see `host::identity`).

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
/// the host name.
pub(super) fn node_info(config: &Config, flag: Option<&str>) -> NodeInfo {
    let id = flag
        .map(str::to_string)
        .or_else(|| config.cluster.node_id.clone());
    crate::host::node_info(&config.cluster, id, &config.jobs)
}

/// A fingerprint of the file's jobs, as nodes record it.
pub(crate) fn config_hash(config: &Config) -> String {
    crate::host::jobs_hash(&config.jobs)
}
