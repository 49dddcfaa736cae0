//! A node of a cluster (PostgreSQL state): its row in the database, and two
//! threads with connections of their own, so a slow claim never holds up a
//! renewal. The keeper renews the node's lease and its runs' every third of
//! the lease, reaps runs whose node lost its lease, and measures the
//! database's clock against this host's; the listener wakes the scheduler
//! on `NOTIFY` (pause, resume, run-now) and at every poll, since a
//! notification is only a hint.

use super::fence::Fence;
use super::signals::Msg;
use crate::log::Logger;
use crate::scheduler::{Event, Notice};
use crate::store::postgres::nodes::{self, NodeInfo};
use crate::store::postgres::{self as pg};
use crate::store::{Database, RunResult, StoreError};
use chrono::Utc;
use postgres::Client;
use postgres::fallible_iterator::FallibleIterator;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

/// An offset of the database's clock worth a warning.
const OFFSET_WARN_MICROS: i64 = 1_000_000;

/// This process as a node of its cluster.
pub(crate) struct Node {
    info: NodeInfo,
    db: Database,
    /// The database's clock minus this host's, in microseconds.
    offset: Arc<AtomicI64>,
    /// The connection that joined, handed to the keeper.
    client: Option<Client>,
}

/// The keeper's connection's name, which operators (and the tests) see in
/// `pg_stat_activity`.
fn keeper_name(id: &str) -> String {
    format!("apsched/{id}/keeper")
}

impl Node {
    /// Takes the node's row; `Ok(Err((pid, host)))` when a live process
    /// holds it. A holder on this host whose pid is gone is taken over.
    pub(crate) fn join(
        db: &Database,
        info: NodeInfo,
    ) -> Result<Result<Node, (i32, String)>, StoreError> {
        let mut client = pg::connect(&db.config(&keeper_name(&info.id))?)?;
        let mine = info.hostname.clone();
        let gone = |host: &str, pid: i32| host == mine && !alive(pid);
        if let Err(holder) = nodes::register(&mut client, &info, gone)? {
            return Ok(Err(holder));
        }
        // Measured now, so the scheduler keeps the database's time from
        // its first plan on, not only from the keeper's first renewal.
        let before = Utc::now();
        let db_now: chrono::DateTime<Utc> = client.query_one("SELECT now()", &[])?.try_get(0)?;
        let offset = offset(db_now, before, Utc::now());
        Ok(Ok(Node {
            info,
            db: db.clone(),
            offset: Arc::new(AtomicI64::new(offset)),
            client: Some(client),
        }))
    }

    pub(crate) fn id(&self) -> &str {
        &self.info.id
    }

    /// The database's clock minus this host's, as last measured.
    pub(crate) fn offset(&self) -> Arc<AtomicI64> {
        self.offset.clone()
    }

    /// Starts the keeper, the listener, and the watch of `fence`.
    pub(super) fn start(
        &mut self,
        tx: &Sender<Msg>,
        logger: &Logger,
        poll: Duration,
        fence: &Fence,
    ) {
        fence.watch(self.info.lease, logger.clone());
        let keeper = Keeper {
            info: self.info.clone(),
            db: self.db.clone(),
            offset: self.offset.clone(),
            tx: tx.clone(),
            logger: logger.clone(),
            fence: fence.clone(),
        };
        let client = self.client.take();
        let _ = std::thread::Builder::new()
            .name("apsched-keeper".into())
            .spawn(move || keeper.run(client));
        let (db, tx, id) = (self.db.clone(), tx.clone(), self.info.id.clone());
        let _ = std::thread::Builder::new()
            .name("apsched-listener".into())
            .spawn(move || listen(&db, &id, &tx, poll));
    }

    /// Ends the node's lease now (a clean stop): it shows as gone at once.
    pub(crate) fn leave(&self) {
        let config = self.db.config(&format!("apsched/{}", self.info.id));
        if let Ok(mut c) =
            config.and_then(|mut c| pg::connect(c.connect_timeout(Duration::from_secs(2))))
        {
            let _ = nodes::leave(&mut c, &self.info);
        }
    }
}

/// The database's clock minus this host's, in microseconds, from a time
/// the database gave between `before` and `after` by this host's clock.
fn offset(
    db_now: chrono::DateTime<Utc>,
    before: chrono::DateTime<Utc>,
    after: chrono::DateTime<Utc>,
) -> i64 {
    let local = before + (after - before) / 2;
    (db_now - local).num_microseconds().unwrap_or(0)
}

/// Whether a process with this pid exists on this host.
fn alive(pid: i32) -> bool {
    rustix::process::Pid::from_raw(pid)
        .is_some_and(|p| rustix::process::test_kill_process(p).is_ok())
}

struct Keeper {
    info: NodeInfo,
    db: Database,
    offset: Arc<AtomicI64>,
    tx: Sender<Msg>,
    logger: Logger,
    fence: Fence,
}

impl Keeper {
    fn run(mut self, mut client: Option<Client>) {
        let period = self.info.lease / 3;
        let mut failing: Option<Instant> = None;
        let mut warned = false;
        loop {
            match self.beat(&mut client) {
                Ok(offset) => {
                    if let Some(since) = failing.take() {
                        self.logger.log(&Event::HeartbeatRecovered {
                            after: since.elapsed(),
                        });
                    }
                    let far = offset.abs() > OFFSET_WARN_MICROS;
                    if far && !warned {
                        #[allow(clippy::cast_precision_loss)]
                        let offset = offset as f64 / 1e6;
                        self.logger.log(&Event::ClockOffset { offset });
                    }
                    warned = far;
                }
                Err(error) => {
                    if client.as_ref().is_some_and(Client::is_closed) {
                        client = None;
                    }
                    if failing.is_none() {
                        failing = Some(Instant::now());
                        self.logger.log(&Event::HeartbeatFailed { error });
                    }
                }
            }
            self.logger.flush();
            std::thread::sleep(period);
        }
    }

    /// One renewal and one reaping; the measured offset.
    fn beat(&mut self, client: &mut Option<Client>) -> Result<i64, String> {
        if client.is_none() {
            let config = self.db.config(&keeper_name(&self.info.id));
            *client = Some(
                config
                    .and_then(|c| pg::connect(&c))
                    .map_err(|e| e.to_string())?,
            );
        }
        let Some(c) = client.as_mut() else {
            return Err("no connection".into());
        };
        let before = Utc::now();
        let sent = Instant::now();
        let db_now = nodes::heartbeat(c, &self.info).map_err(|e| e.to_string())?;
        let after = Utc::now();
        let Some(db_now) = db_now else {
            return Err(format!(
                "node id {} was taken over by another process; this one claims nothing more",
                self.info.id
            ));
        };
        self.fence.renewed(sent);
        let offset = offset(db_now, before, after);
        self.offset.store(offset, Ordering::Relaxed);
        let rerun = self.fence.rerun();
        let lapsed = nodes::reap(c, &self.info.cluster, &rerun).map_err(|e| e.to_string())?;
        let mut notices = Vec::new();
        let lapsed_rerun = lapsed.iter().any(|l| l.rerun);
        for l in lapsed {
            self.logger.log(&Event::RunLost {
                job: l.job.clone(),
                run: l.run,
                node: l.node.clone(),
                rerun: l.rerun,
            });
            notices.push(Notice::Interrupted {
                job: l.job,
                record: l.run,
                scheduled: l.scheduled,
                result: RunResult::Interrupted,
            });
        }
        if !notices.is_empty() {
            let _ = self.tx.send(Msg::Notices(notices));
        }
        // Reruns were asked for: take them now rather than at the next poll.
        if lapsed_rerun {
            let _ = nodes::wake(c, &self.info.cluster);
        }
        Ok(offset)
    }
}

/// Sends [`Msg::Control`] on every notification on the cluster's channel
/// and at every `poll`; connects again after a lost connection.
fn listen(db: &Database, node: &str, tx: &Sender<Msg>, poll: Duration) {
    loop {
        let client = db
            .config(&format!("apsched/{node}/listener"))
            .and_then(|c| pg::connect(&c))
            .and_then(|mut c| {
                c.batch_execute(&format!("LISTEN {}", nodes::channel(&db.cluster)))?;
                Ok(c)
            });
        let Ok(mut client) = client else {
            std::thread::sleep(poll);
            continue;
        };
        // After a (re)connection notifications may have been lost: look now.
        loop {
            if tx.send(Msg::Control).is_err() {
                return;
            }
            let got = client.notifications().timeout_iter(poll).next();
            match got {
                // Those that came meanwhile are answered by the same look.
                Ok(Some(_)) => while let Ok(Some(_)) = client.notifications().iter().next() {},
                Ok(None) if !client.is_closed() => {}
                _ => break,
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
