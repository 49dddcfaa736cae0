//! The claim of a due slot: one statement. It advances the job's stored
//! next run time only if that still equals the slot the caller planned
//! from (a compare-and-set: PostgreSQL re-checks the condition on the row
//! version a concurrent claim committed, so of two claims of one slot only
//! one advances it), and inserts the plan's run rows in the same statement.
//! The key `(cluster, job_id, scheduled_at, attempt)` is a second guard: a
//! slot whose row exists is not inserted again, whatever the job row says.
//!
//! The database's clock decides whether the slot is due and still within
//! its grace time, whatever the claiming host's clock says; a node's runs
//! carry its id and a lease; and `max_instances` counts the runs of the
//! whole cluster whose leases are live.

use super::ops::{JOB_COLUMNS, read_job};
use super::{PgStore, micros};
use crate::store::{Claim, RunResult, StateStore, StoreError};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// Advance, then insert the plan. The pending rows go in only if none of
/// their slots has a row (all or nothing); the summaries of missed and
/// skipped slots go in unless theirs has. The first row returned says
/// whether the job row advanced; the inserted rows follow.
const CLAIM: &str = "
WITH running AS (
  SELECT count(*) AS n FROM apsched_runs
   WHERE cluster = $1 AND job_id = $2 AND state IN ('pending', 'started')
     AND lease_until > now()),
advanced AS (
  UPDATE apsched_jobs
     SET next_run_at = $4, fence = fence + 1, updated_at = now()
   WHERE cluster = $1 AND job_id = $2 AND next_run_at = $3 AND NOT paused
     AND trigger_fp = $15
     AND ($13::text IS NULL OR EXISTS (
          SELECT 1 FROM apsched_nodes n
           WHERE n.cluster = $1 AND n.node_id = $13 AND n.lease_until > now()))
     AND $9 <= now()
     AND ($10::float8 IS NULL OR $11::timestamptz IS NULL
          OR now() <= $11 + make_interval(secs => $10))
  RETURNING cluster, job_id, fence),
plan AS (
  SELECT * FROM unnest($5::timestamptz[], $6::timestamptz[], $7::text[], $8::bigint[])
    WITH ORDINALITY AS p(slot, last, state, count, ord)),
taken AS (
  SELECT count(*) AS n FROM apsched_runs r JOIN plan p ON r.scheduled_at = p.slot
   WHERE r.cluster = $1 AND r.job_id = $2 AND r.attempt = 1 AND p.state = 'pending'),
inserted AS (
  INSERT INTO apsched_runs (cluster, job_id, scheduled_at, scheduled_last, kind, state,
                            missed_count, fence, node_id, lease_until)
  SELECT a.cluster, a.job_id, p.slot, p.last, 'scheduled',
         CASE WHEN p.state = 'pending' AND (SELECT n FROM running) >= $12 THEN 'skipped'
              ELSE p.state END,
         p.count, a.fence, $13,
         CASE WHEN p.state = 'pending' THEN now() + make_interval(secs => $14) END
    FROM advanced a CROSS JOIN plan p
   WHERE p.state <> 'pending' OR (SELECT n FROM taken) = 0
   ORDER BY p.ord
  ON CONFLICT (cluster, job_id, scheduled_at, attempt) DO NOTHING
  RETURNING run_id, scheduled_at, state, fence)
SELECT 0 AS part, (SELECT count(*) FROM advanced), NULL::bigint, NULL::timestamptz, NULL::text,
       NULL::bigint
UNION ALL
SELECT 1, 0, run_id, scheduled_at, state, fence FROM inserted
ORDER BY part";

/// A claim refused because the slot is not due yet by the database's clock
/// is tried again after a wait of at most this long (the host's clock runs
/// a little ahead of the database's).
const WAIT_FOR_DUE: Duration = Duration::from_secs(2);

/// The plan as the statement's parallel arrays: slot, last slot of a
/// summary, state, count.
type Plan = (
    Vec<DateTime<Utc>>,
    Vec<Option<DateTime<Utc>>>,
    Vec<&'static str>,
    Vec<i64>,
);

fn plan(c: &Claim) -> Plan {
    let mut p: Plan = Default::default();
    let mut push = |slot, last: Option<DateTime<Utc>>, state: RunResult, count: u64| {
        p.0.push(micros(slot));
        p.1.push(last.map(micros));
        p.2.push(state.as_str());
        // Counts are bounded by a span in nanoseconds (an i64).
        p.3.push(i64::try_from(count).unwrap_or(i64::MAX));
    };
    for slot in &c.runs {
        push(*slot, None, RunResult::Pending, 1);
    }
    if let Some((first, last, count)) = c.missed {
        push(first, (count > 1).then_some(last), RunResult::Missed, count);
    }
    if let Some((first, count)) = c.skipped {
        push(first, None, RunResult::Skipped, count);
    }
    p
}

impl PgStore {
    /// See [`crate::store::Store::claim`]. `None` also when the job row
    /// advanced but a slot to run had a row already (the slot is not run
    /// again, and the job moves on), and when the slot is not this node's
    /// to run; [`PgStore::lost`] then says why.
    pub(super) fn claim_slot(&mut self, c: &Claim) -> Result<Option<Vec<i64>>, StoreError> {
        self.lost = None;
        if let Some(ids) = self.try_claim(c)? {
            return Ok(Some(ids));
        }
        if let Why::NotDue(wait) = self.why_lost(c)? {
            std::thread::sleep(wait);
            self.lost = None;
            if let Some(ids) = self.try_claim(c)? {
                return Ok(Some(ids));
            }
            self.why_lost(c)?;
        }
        Ok(None)
    }

    fn try_claim(&mut self, c: &Claim) -> Result<Option<Vec<i64>>, StoreError> {
        let (slots, lasts, states, counts) = plan(c);
        let grace = c.grace.map(|g| g.as_secs_f64());
        let last_run = c.runs.last().copied().map(micros);
        // At most 10,000 (checked at parse time).
        let max = i64::try_from(c.max_instances).unwrap_or(i64::MAX);
        let lease = self.lease.as_secs_f64();
        let rows = self.conn()?.query(
            CLAIM,
            &[
                &self.cluster,
                &c.job,
                &micros(c.expected),
                &c.next.map(micros),
                &slots,
                &lasts,
                &states,
                &counts,
                &micros(c.due_at),
                &grace,
                &last_run,
                &max,
                &self.node,
                &lease,
                &c.fingerprint,
            ],
        )?;
        let advanced = match rows.first() {
            Some(r) => r.try_get::<_, i64>(1)? == 1,
            None => false,
        };
        let mut pending: Vec<(i64, DateTime<Utc>, i64)> = Vec::new();
        for r in rows.iter().skip(1) {
            if r.try_get::<_, &str>(4)? == RunResult::Pending.as_str() {
                pending.push((r.try_get(2)?, r.try_get(3)?, r.try_get(5)?));
            }
        }
        if !advanced {
            return Ok(None);
        }
        self.trim_history(&c.job)?;
        if pending.len() != c.runs.len() {
            let why = if rows.len() > 1 {
                format!(
                    "max_instances ({}) runs of the job are going in the cluster; recorded skipped",
                    c.max_instances
                )
            } else {
                "its run was recorded before; not running it again".into()
            };
            let state = self.saved_job(&c.job)?;
            self.lost = Some((why, state));
            return Ok(None);
        }
        let ids: Vec<i64> = slots
            .iter()
            .take(c.runs.len())
            .filter_map(|slot| {
                pending
                    .iter()
                    .find(|(_, s, _)| s == slot)
                    .map(|(id, _, _)| *id)
            })
            .collect();
        for (id, _, fence) in &pending {
            self.fences.insert(*id, *fence);
        }
        Ok(Some(ids))
    }

    /// Why a claim did not advance the job, noted in `self.lost` unless the
    /// row already moved past it.
    fn why_lost(&mut self, c: &Claim) -> Result<Why, StoreError> {
        if self.lost.is_some() {
            return Ok(Why::Other);
        }
        // The job's row and the facts of the claim, in one round trip.
        let sql = format!(
            "SELECT {JOB_COLUMNS}, now(), $3::text IS NULL OR EXISTS (
                      SELECT 1 FROM apsched_nodes n
                       WHERE n.cluster = $1 AND n.node_id = $3 AND n.lease_until > now()),
                    trigger_fp = $4
               FROM apsched_jobs WHERE cluster = $1 AND job_id = $2"
        );
        let row =
            (self.conn()?).query_opt(&sql, &[&self.cluster, &c.job, &self.node, &c.fingerprint])?;
        let Some(row) = row else {
            self.lost = Some(("the job has no row in the database".into(), None));
            return Ok(Why::Other);
        };
        let state = read_job(&row).ok().map(|(_, state)| state);
        let (next, paused): (Option<DateTime<Utc>>, bool) = (row.try_get(3)?, row.try_get(5)?);
        let (now, leased, same): (DateTime<Utc>, bool, bool) =
            (row.try_get(8)?, row.try_get(9)?, row.try_get(10)?);
        let late = |t: DateTime<Utc>| (now - t).to_std().unwrap_or_default();
        let (why, wait) = if !same {
            let why = "config_mismatch: the cluster keeps another trigger for the job, from a newer configuration";
            (why.to_string(), None)
        } else if next != Some(micros(c.expected)) {
            ("another node claimed the slot".to_string(), None)
        } else if paused {
            ("the job is paused in the cluster".to_string(), None)
        } else if !leased {
            let why =
                "this node's lease has lapsed (it cannot renew it); it claims nothing until it can";
            (why.to_string(), None)
        } else if micros(c.due_at) > now {
            let ahead = (micros(c.due_at) - now).to_std().unwrap_or_default();
            let why = format!(
                "not due yet by the database's clock ({:.3}s to go)",
                ahead.as_secs_f64()
            );
            (
                why,
                Some(ahead + Duration::from_millis(1)).filter(|w| *w <= WAIT_FOR_DUE),
            )
        } else if c
            .grace
            .is_some_and(|g| late(c.runs.last().copied().unwrap_or(c.due_at)) > g)
        {
            let last = c.runs.last().copied().unwrap_or(c.due_at);
            let why = format!(
                "past its misfire grace time by the database's clock ({:.3}s late)",
                late(last).as_secs_f64()
            );
            (why, None)
        } else {
            // Every condition holds now: it did not when the claim ran.
            ("another node was claiming the slot".to_string(), None)
        };
        self.lost = Some((why, state));
        Ok(wait.map_or(Why::Other, Why::NotDue))
    }
}

/// What to do about a lost claim.
enum Why {
    /// Not due yet by the database's clock: try again after this long.
    NotDue(Duration),
    Other,
}
