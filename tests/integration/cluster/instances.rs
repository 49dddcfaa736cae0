//! `max_instances` holds across the cluster: while a run of the job is
//! going on one node, the slots due meanwhile are recorded skipped by
//! whichever node claims them, never run beside it.

use super::nodes::{Cluster, stop_all};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// Every second, each run 2.5 s long, one at a time.
const JOB: &str = r#"[jobs.slow]
command = "sleep 2.5"
trigger = "interval"
seconds = 1
max_instances = 1
"#;

#[test]
fn max_instances_holds_across_the_nodes() {
    let Some(mut c) = Cluster::new(JOB) else {
        return;
    };
    let nodes = c.nodes(&["n1", "n2", "n3"]);
    std::thread::sleep(Duration::from_secs(8));
    let logs = stop_all(nodes);
    let rows =
        c.db.query(
            "SELECT state, started_at, finished_at, node_id FROM apsched_runs
              WHERE job_id = 'slow' ORDER BY scheduled_at",
            &[],
        )
        .expect("runs");
    let ran: Vec<(DateTime<Utc>, DateTime<Utc>, String)> = rows
        .iter()
        .filter(|r| r.get::<_, String>(0) == "success")
        .map(|r| (r.get(1), r.get(2), r.get(3)))
        .collect();
    let skipped = rows
        .iter()
        .filter(|r| r.get::<_, String>(0) == "skipped")
        .count();
    assert!(ran.len() >= 2, "{ran:#?}\n{logs:#?}");
    assert!(skipped >= 2, "no slot skipped: {ran:#?}");
    // No run began before the one before it ended.
    for w in ran.windows(2) {
        assert!(w[1].0 >= w[0].1, "two runs at once: {w:#?}");
    }
}
