//! A node of a cluster, as `apsched run` makes it from the schedule file
//! and `--node-id` (see `host::identity`).

use crate::config::Config;
use crate::store::postgres::nodes::NodeInfo;

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
