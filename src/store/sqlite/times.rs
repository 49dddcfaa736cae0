//! When each job last ran, succeeded and failed, from the run history: what
//! the metrics endpoint starts its `last_*` gauges from, so alerts on them
//! survive a restart.

use super::SqliteStore;
use crate::store::{LastTimes, RunResult, StoreError};
use chrono::{DateTime, Utc};
use rusqlite::params;
use std::collections::HashMap;

/// The Julian day of the Unix epoch.
const UNIX_EPOCH_JULIAN: f64 = 2_440_587.5;

/// A time SQLite gave as a Julian day, to the millisecond it keeps.
// A Julian day of a stored time is far inside i64 milliseconds.
#[allow(clippy::cast_possible_truncation)]
fn from_julian(day: Option<f64>) -> Option<DateTime<Utc>> {
    let millis = ((day? - UNIX_EPOCH_JULIAN) * 86_400_000.0).round();
    millis
        .is_finite()
        .then(|| DateTime::from_timestamp_millis(millis as i64))
        .flatten()
}

impl SqliteStore {
    /// [`LastTimes`] of every job with a run in the history. Times are
    /// compared as times (`julianday`), not as text.
    pub(super) fn last_times_query(&self) -> Result<HashMap<String, LastTimes>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT job, max(julianday(started)),
                    max(CASE WHEN result = ?1 THEN julianday(ended) END),
                    max(CASE WHEN result IN (?2, ?3) THEN julianday(ended) END)
             FROM runs GROUP BY job",
        )?;
        let rows = stmt.query_map(
            params![RunResult::Success, RunResult::Failed, RunResult::TimedOut],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    LastTimes {
                        run: from_julian(r.get(1)?),
                        success: from_julian(r.get(2)?),
                        failure: from_julian(r.get(3)?),
                    },
                ))
            },
        )?;
        Ok(rows.collect::<Result<HashMap<_, _>, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Claim, Store};

    fn at(text: &str) -> DateTime<Utc> {
        crate::store::parse(text).expect("time")
    }

    #[test]
    fn last_times_by_job_and_result() {
        let mut store = SqliteStore::memory(100).expect("store");
        let mut runs = |job: &str, slots: &[(&str, &str, &str, RunResult)]| {
            let mut state = crate::store::JobState {
                fingerprint: "f".into(),
                next_run: Some(at(slots[0].0)),
                anchor: at(slots[0].0),
                paused: false,
                file_paused: None,
                reschedule: false,
            };
            store.save_job(job, &state).expect("save");
            for (scheduled, started, ended, result) in slots {
                state.next_run = Some(at(scheduled) + chrono::Duration::hours(1));
                let claim = Claim {
                    job: job.into(),
                    expected: at(scheduled),
                    next: state.next_run,
                    runs: vec![at(scheduled)],
                    missed: None,
                    skipped: None,
                    due_at: chrono::DateTime::UNIX_EPOCH,
                    grace: None,
                    max_instances: 1,
                    fingerprint: "f".into(),
                };
                let rows = store.claim(&claim).expect("claim").expect("claimed");
                store.run_started(rows[0], at(started)).expect("start");
                store
                    .run_ended(rows[0], Some(at(ended)), None, *result)
                    .expect("end");
            }
        };
        // Ends out of start order, and a fraction that sorts wrongly as text.
        runs(
            "a",
            &[
                (
                    "2026-01-01T00:00:00Z",
                    "2026-01-01T00:00:01Z",
                    "2026-01-01T00:00:09.5Z",
                    RunResult::Success,
                ),
                (
                    "2026-01-01T01:00:00Z",
                    "2026-01-01T01:00:00.25Z",
                    "2026-01-01T01:00:05Z",
                    RunResult::Failed,
                ),
                (
                    "2026-01-01T02:00:00Z",
                    "2026-01-01T02:00:00Z",
                    "2026-01-01T02:00:09Z",
                    RunResult::Success,
                ),
                (
                    "2026-01-01T03:00:00Z",
                    "2026-01-01T03:00:00Z",
                    "2026-01-01T03:00:09Z",
                    RunResult::Interrupted,
                ),
            ],
        );
        runs(
            "b",
            &[(
                "2026-01-02T00:00:00Z",
                "2026-01-02T00:00:00Z",
                "2026-01-02T00:00:30Z",
                RunResult::TimedOut,
            )],
        );
        let got = store.last_times_query().expect("query");
        assert_eq!(
            got["a"],
            LastTimes {
                run: Some(at("2026-01-01T03:00:00Z")),
                success: Some(at("2026-01-01T02:00:09Z")),
                failure: Some(at("2026-01-01T01:00:05Z")),
            }
        );
        assert_eq!(
            got["b"],
            LastTimes {
                run: Some(at("2026-01-02T00:00:00Z")),
                success: None,
                failure: Some(at("2026-01-02T00:00:30Z")),
            }
        );
        assert_eq!(got.len(), 2);
    }
}
