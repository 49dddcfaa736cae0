//! `on_lost = "rerun"`: a lost run's slot runs again as its next attempt on
//! a survivor; and a node that cannot renew its lease ends its own run of
//! such a job before the others may run it again (self-fencing).

use super::nodes::{Cluster, stop_all};
use crate::harness::poll::until;
use std::time::Duration;

/// Every 2 s; the first attempt that makes the directory `held` sleeps
/// 30 s, the others end at once. Its ledger line has the attempt.
const JOB: &str = r#"[jobs.long]
command = 'echo "$APSCHED_SCHEDULED_TIME $APSCHED_ATTEMPT $APSCHED_NODE" >> attempts; if [ "$APSCHED_ATTEMPT" = 1 ] && mkdir held 2>/dev/null; then exec sleep 30; fi'
trigger = "interval"
seconds = 2
on_lost = "rerun"
max_attempts = 2
"#;

/// The attempt lines: (slot, attempt, node).
fn attempts(c: &Cluster) -> Vec<(String, String, String)> {
    (c.dir.read("attempts").lines())
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            (f[0].to_string(), f[1].to_string(), f[2].to_string())
        })
        .collect()
}

#[test]
fn a_lost_run_of_a_rerun_job_runs_again_as_its_next_attempt() {
    let Some(mut c) = Cluster::new(JOB) else {
        return;
    };
    let mut nodes = c.nodes(&["n1", "n2", "n3"]);
    until(Duration::from_secs(10), || {
        c.dir.exists("held") && !attempts(&c).is_empty()
    });
    let (slot, attempt, node) = attempts(&c)[0].clone();
    assert_eq!(attempt, "1");
    let at = ["n1", "n2", "n3"]
        .iter()
        .position(|n| *n == node)
        .expect("a node");
    let pid: i32 = {
        let mut pid = None;
        until(Duration::from_secs(5), || {
            pid = c.db
                .query_one(
                    "SELECT pid FROM apsched_runs WHERE job_id = 'long' AND attempt = 1 AND state = 'started'",
                    &[],
                )
                .ok()
                .and_then(|r| r.get(0));
            pid.is_some()
        });
        pid.expect("the sleeping attempt's pid")
    };
    nodes.remove(at).kill_9();
    // Reaped within lease + 5 s + a renewal, then taken at once.
    let mut retried = || {
        (c.db.query(
            "SELECT node_id FROM apsched_runs WHERE job_id = 'long' AND attempt = 2 AND kind = 'retry' AND state = 'success'",
            &[],
        ))
        .is_ok_and(|rows| !rows.is_empty())
    };
    let ran = until(Duration::from_secs(15), &mut retried);
    let logs = stop_all(nodes);
    // SAFETY: the killed node's orphaned job, by its process group.
    unsafe { libc::kill(-pid, libc::SIGKILL) };
    assert!(ran, "no second attempt: {:#?}\n{logs:#?}", c.runs());
    let lines = attempts(&c);
    let again: Vec<_> = lines.iter().filter(|(_, a, _)| *a == "2").collect();
    assert_eq!(again.len(), 1, "{lines:#?}");
    // The same slot (told in UTC), on a survivor.
    let told = chrono::DateTime::parse_from_rfc3339(&again[0].0).expect("a time");
    let first = chrono::DateTime::parse_from_rfc3339(&slot).expect("a time");
    assert_eq!(told, first, "{lines:#?}");
    assert_ne!(again[0].2, node);
    assert!(
        logs.iter()
            .any(|l| l.contains("run_lost job=long") && l.contains("rerun=true")),
        "{logs:#?}"
    );
}

#[test]
fn a_node_that_cannot_renew_its_lease_ends_its_rerun_jobs() {
    let Some(mut c) = Cluster::new(JOB) else {
        return;
    };
    let node = c.node("n1");
    until(Duration::from_secs(10), || c.dir.exists("held"));
    // Freeze the keeper's connection: its renewals hang.
    let mut backend: Option<i32> = None;
    until(Duration::from_secs(5), || {
        backend =
            c.db.query_one(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'apsched/n1/keeper' AND datname = current_database()",
                &[],
            )
            .ok()
            .map(|r| r.get(0));
        backend.is_some()
    });
    let backend = backend.expect("the keeper's backend");
    // SAFETY: plain kill(2) of the backend process.
    unsafe { libc::kill(backend, libc::SIGSTOP) };
    // Two thirds of the 3 s lease after the last renewal, the job is ended.
    let fenced = until(Duration::from_secs(8), || {
        node.stderr().contains("lease_lost job=long")
    });
    // SAFETY: as above.
    unsafe { libc::kill(backend, libc::SIGCONT) };
    let logs = stop_all(vec![node]);
    assert!(fenced, "{logs:#?}");
    // The sleeping attempt ended by SIGTERM, well before its 30 s.
    let ended: Option<String> = c.db
        .query_one(
            "SELECT state FROM apsched_runs WHERE job_id = 'long' AND attempt = 1 ORDER BY run_id LIMIT 1",
            &[],
        )
        .ok()
        .map(|r| r.get(0));
    assert!(
        matches!(ended.as_deref(), Some("failed" | "interrupted")),
        "{ended:?} {:#?}",
        c.runs()
    );
}
