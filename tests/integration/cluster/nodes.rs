//! A cluster under test: a schedule file whose state is a fresh database,
//! its nodes (`apsched run s.toml --node-id ID`, each a process of its
//! own), a connection to look at the tables, and the ledger its jobs
//! append to.

use super::fixture;
use crate::harness::{Dir, Running, Test};
use chrono::{DateTime, Utc};

/// The cluster's name in every scenario.
pub(crate) const NAME: &str = "t";

/// A ledger job's command (jobs run in the schedule file's directory): one
/// line per run, with what the run was told, appended to `ledger`.
pub(crate) const LEDGER: &str = r#"echo "$APSCHED_JOB_ID $APSCHED_SCHEDULED_TIME $APSCHED_NODE $APSCHED_FENCE $APSCHED_RUN_ID" >> ledger"#;

/// A schedule file in a directory, its database, and a connection to it.
pub(crate) struct Cluster {
    pub dir: Dir,
    pub dsn: String,
    pub db: postgres::Client,
}

/// One `apsched_runs` row.
#[derive(Clone, Debug)]
pub(crate) struct Run {
    pub id: i64,
    pub job: String,
    pub scheduled: DateTime<Utc>,
    pub kind: String,
    pub state: String,
    pub node: Option<String>,
    pub fence: Option<i64>,
    pub missed: i64,
    pub claimed: DateTime<Utc>,
    pub started: Option<DateTime<Utc>>,
}

/// One line of the ledger.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Line {
    pub job: String,
    pub scheduled: DateTime<Utc>,
    pub node: String,
    pub fence: String,
    /// The run's number, as the job was told it (`APSCHED_RUN_ID`).
    pub run: i64,
}

/// The schedule file: `[scheduler]` with the database as its state,
/// `[cluster]` with a 3 s lease and a 200 ms poll, then `jobs`.
fn schedule(dsn: &str, jobs: &str) -> String {
    format!(
        r#"[scheduler]
timezone = "UTC"
state = "{dsn}"
shutdown_timeout = "2s"

[cluster]
name = "{NAME}"
lease = "3s"
poll = "200ms"

{jobs}"#
    )
}

impl Cluster {
    /// A cluster on a new database of the shared server; `None` (the test
    /// passes, having said so) without PostgreSQL.
    pub(crate) fn new(jobs: &str) -> Option<Cluster> {
        Some(Cluster::on(fixture::database()?, jobs))
    }

    /// A cluster on the database `dsn`.
    pub(crate) fn on(dsn: String, jobs: &str) -> Cluster {
        let dir = Dir::new().file("s.toml", schedule(&dsn, jobs));
        let db =
            postgres::Client::connect(&dsn, postgres::NoTls).expect("connect to the test database");
        Cluster { dir, dsn, db }
    }

    /// `apsched run s.toml --node-id ID -v`, not started yet.
    pub(crate) fn node_command(&self, id: &str) -> Test {
        self.dir.apsched(["run", "s.toml", "-v", "--node-id", id])
    }

    /// The node `id`, started (its `scheduler_started` line seen).
    pub(crate) fn node(&self, id: &str) -> Running {
        let node = self.node_command(id).spawn();
        node.wait_started();
        assert!(
            node.stderr().contains("scheduler_started"),
            "node {id} did not start:\n{}",
            node.stderr()
        );
        node
    }

    /// The nodes `ids`, started at once.
    pub(crate) fn nodes(&self, ids: &[&str]) -> Vec<Running> {
        let nodes: Vec<Running> = ids.iter().map(|id| self.node_command(id).spawn()).collect();
        for (node, id) in nodes.iter().zip(ids) {
            node.wait_started();
            assert!(
                node.stderr().contains("scheduler_started"),
                "node {id} did not start:\n{}",
                node.stderr()
            );
        }
        nodes
    }

    /// The cluster's runs, oldest first.
    pub(crate) fn runs(&mut self) -> Vec<Run> {
        let rows = self
            .db
            .query(
                "SELECT run_id, job_id, scheduled_at, kind, state, node_id, fence, missed_count,
                        claimed_at, started_at
                   FROM apsched_runs WHERE cluster = $1 ORDER BY run_id",
                &[&NAME],
            )
            .expect("read apsched_runs");
        rows.iter()
            .map(|r| Run {
                id: r.get(0),
                job: r.get(1),
                scheduled: r.get(2),
                kind: r.get(3),
                state: r.get(4),
                node: r.get(5),
                fence: r.get(6),
                missed: r.get(7),
                claimed: r.get(8),
                started: r.get(9),
            })
            .collect()
    }

    /// The runs of `job` in `state`.
    pub(crate) fn runs_in(&mut self, job: &str, state: &str) -> Vec<Run> {
        self.runs()
            .into_iter()
            .filter(|r| r.job == job && r.state == state)
            .collect()
    }

    /// The ledger, line by line.
    pub(crate) fn ledger(&self) -> Vec<Line> {
        self.dir
            .read("ledger")
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split(' ').collect();
                assert_eq!(f.len(), 5, "a ledger line of 5 fields: {l:?}");
                let scheduled = DateTime::parse_from_rfc3339(f[1])
                    .unwrap_or_else(|e| panic!("{e}: {l:?}"))
                    .with_timezone(&Utc);
                Line {
                    job: f[0].into(),
                    scheduled,
                    node: f[2].into(),
                    fence: f[3].into(),
                    run: f[4].parse().unwrap_or_else(|e| panic!("{e}: {l:?}")),
                }
            })
            .collect()
    }
}

/// Stops the nodes, all at once (SIGTERM to each, then the waits), each
/// exiting 0; what each printed on standard error.
pub(crate) fn stop_all(nodes: Vec<Running>) -> Vec<String> {
    for node in &nodes {
        node.signal(libc::SIGTERM);
    }
    // Waited for, not signalled again: a second SIGTERM kills jobs at once.
    let finished = nodes.into_iter().map(Running::wait);
    (finished.map(|f| {
        assert_eq!(f.code, Some(0), "a node's clean stop:\n{}", f.stderr);
        f.stderr
    }))
    .collect()
}
