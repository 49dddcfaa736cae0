//! The claim of a due slot: one statement. It advances the job's stored
//! next run time only if that still equals the slot the caller planned
//! from (a compare-and-set: PostgreSQL re-checks the condition on the row
//! version a concurrent claim committed, so of two claims of one slot only
//! one advances it), and inserts the plan's run rows in the same statement.
//! The key `(cluster, job_id, scheduled_at, attempt)` is a second guard: a
//! slot whose row exists is not inserted again, whatever the job row says.
//!
//! The caller decides that the slot is due, as the `Store` trait has it;
//! the database clock does not take part yet.

use super::{PgStore, micros};
use crate::store::{Claim, RunResult, StoreError};
use chrono::{DateTime, Utc};

/// Advance, then insert the plan. The pending rows go in only if none of
/// their slots has a row (all or nothing); the summaries of missed and
/// skipped slots go in unless theirs has. The first row returned says
/// whether the job row advanced; the inserted rows follow.
const CLAIM: &str = "
WITH advanced AS (
  UPDATE apsched_jobs
     SET next_run_at = $4, fence = fence + 1, updated_at = now()
   WHERE cluster = $1 AND job_id = $2 AND next_run_at = $3
  RETURNING cluster, job_id, fence),
plan AS (
  SELECT * FROM unnest($5::timestamptz[], $6::timestamptz[], $7::text[], $8::bigint[])
    WITH ORDINALITY AS p(slot, last, state, count, ord)),
taken AS (
  SELECT count(*) AS n FROM apsched_runs r JOIN plan p ON r.scheduled_at = p.slot
   WHERE r.cluster = $1 AND r.job_id = $2 AND r.attempt = 1 AND p.state = 'pending'),
inserted AS (
  INSERT INTO apsched_runs (cluster, job_id, scheduled_at, scheduled_last, kind, state,
                            missed_count, fence)
  SELECT a.cluster, a.job_id, p.slot, p.last, 'scheduled', p.state, p.count, a.fence
    FROM advanced a CROSS JOIN plan p
   WHERE p.state <> 'pending' OR (SELECT n FROM taken) = 0
   ORDER BY p.ord
  ON CONFLICT (cluster, job_id, scheduled_at, attempt) DO NOTHING
  RETURNING run_id, scheduled_at, state)
SELECT 0 AS part, (SELECT count(*) FROM advanced), NULL::bigint, NULL::timestamptz, NULL::text
UNION ALL
SELECT 1, 0, run_id, scheduled_at, state FROM inserted
ORDER BY part";

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
    /// advanced but a slot to run had a row already: the slot is not run
    /// again, and the job moves on.
    pub(super) fn claim_slot(&mut self, c: &Claim) -> Result<Option<Vec<i64>>, StoreError> {
        let (slots, lasts, states, counts) = plan(c);
        let rows = self.client.get_mut().query(
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
            ],
        )?;
        let advanced = match rows.first() {
            Some(r) => r.try_get::<_, i64>(1)? == 1,
            None => false,
        };
        let mut pending: Vec<(i64, DateTime<Utc>)> = Vec::new();
        for r in rows.iter().skip(1) {
            if r.try_get::<_, &str>(4)? == RunResult::Pending.as_str() {
                pending.push((r.try_get(2)?, r.try_get(3)?));
            }
        }
        if !advanced || pending.len() != c.runs.len() {
            return Ok(None);
        }
        let ids = slots
            .iter()
            .take(c.runs.len())
            .filter_map(|slot| pending.iter().find(|(_, s)| s == slot).map(|(id, _)| *id))
            .collect();
        self.trim_history(&c.job)?;
        Ok(Some(ids))
    }
}
