//! The cluster as the commands show it: `apsched nodes`, the node of each
//! run in `history` and `list`, and `apsched state copy` between an SQLite
//! file and a PostgreSQL database. The tests that need PostgreSQL use its server
//! (`crate::cluster::fixture`, shared with the cluster scenarios) and skip
//! without it.

mod copy;
mod history;
mod nodes;

use crate::harness::{Dir, Running};

/// A schedule whose one job never comes due during a test.
pub(crate) const JOBS: &str = r#"[jobs.yearly]
command = "true"
cron = "0 0 1 1 *"
"#;

/// A directory with `s.toml` keeping its state in `state` (a file name or
/// a DSN), then `jobs`.
pub(crate) fn schedule(state: &str, jobs: &str) -> Dir {
    Dir::new().file(
        "s.toml",
        format!(
            "[scheduler]\ntimezone = \"UTC\"\nstate = {state:?}\nshutdown_timeout = \"2s\"\n{jobs}"
        ),
    )
}

/// `apsched run s.toml --node-id NODE`, once it has joined the cluster.
pub(crate) fn node(dir: &Dir, id: &str) -> Running {
    let running = dir.apsched(["run", "s.toml", "--node-id", id]).spawn();
    running.wait_started();
    running
}
