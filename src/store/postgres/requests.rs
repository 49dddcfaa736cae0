//! Run-now requests, as in the SQLite store: `apsched run-now` adds one and
//! waits for its answer; the running scheduler takes it and answers with
//! the run's number or the reason it refused.

use crate::store::{Answer, StoreError};
use chrono::{DateTime, Utc};
use postgres::GenericClient;
use std::collections::HashMap;

pub(super) fn add(c: &mut impl GenericClient, cluster: &str, job: &str) -> Result<i64, StoreError> {
    let row = c.query_one(
        "INSERT INTO apsched_requests (cluster, job_id) VALUES ($1, $2) RETURNING request_id",
        &[&cluster, &job],
    )?;
    Ok(row.try_get(0)?)
}

/// Takes the requests not taken yet, oldest first, and forgets answered
/// ones older than an hour (kept that long for a waiting `run-now`).
/// A request's retry: the slot and the attempt to run (`on_lost = "rerun"`).
pub(super) type Retry = (DateTime<Utc>, i16);

pub(super) fn take(
    c: &mut impl GenericClient,
    cluster: &str,
    retries: &mut HashMap<i64, Retry>,
) -> Result<Vec<(i64, String)>, StoreError> {
    let mut tx = c.transaction()?;
    let rows = tx.query(
        "UPDATE apsched_requests SET taken = true WHERE cluster = $1 AND NOT taken
         RETURNING request_id, job_id, slot, attempt",
        &[&cluster],
    )?;
    let mut taken = Vec::new();
    for r in &rows {
        let id: i64 = r.try_get(0)?;
        taken.push((id, r.try_get(1)?));
        let (slot, attempt): (Option<DateTime<Utc>>, Option<i16>) = (r.try_get(2)?, r.try_get(3)?);
        if let Some(retry) = slot.zip(attempt) {
            retries.insert(id, retry);
        }
    }
    taken.sort_unstable();
    tx.execute(
        "DELETE FROM apsched_requests WHERE cluster = $1 AND taken AND at < now() - interval '1 hour'",
        &[&cluster],
    )?;
    tx.commit()?;
    Ok(taken)
}

pub(super) fn answer(
    c: &mut impl GenericClient,
    cluster: &str,
    request: i64,
    answer: &Answer,
) -> Result<(), StoreError> {
    let (run, refused) = match answer {
        Answer::Run(id) => (Some(*id), None),
        Answer::Refused(why) => (None, Some(why.as_str())),
    };
    c.execute(
        "UPDATE apsched_requests SET taken = true, run_id = $3, refused = $4
          WHERE cluster = $1 AND request_id = $2",
        &[&cluster, &request, &run, &refused],
    )?;
    Ok(())
}

pub(super) fn read(
    c: &mut impl GenericClient,
    cluster: &str,
    request: i64,
) -> Result<Option<Answer>, StoreError> {
    let row = c.query_opt(
        "SELECT run_id, refused FROM apsched_requests WHERE cluster = $1 AND request_id = $2",
        &[&cluster, &request],
    )?;
    let Some(row) = row else {
        return Ok(Some(Answer::Refused("the request is gone".into())));
    };
    let run: Option<i64> = row.try_get(0)?;
    let refused: Option<String> = row.try_get(1)?;
    Ok(match (run, refused) {
        (Some(run), _) => Some(Answer::Run(run)),
        (None, Some(why)) => Some(Answer::Refused(why)),
        (None, None) => None,
    })
}

/// Requests nobody took for a minute are refused: their `run-now` has long
/// stopped waiting, and running them late would surprise. Newer ones are
/// left to the cluster's running nodes.
pub(super) fn refuse_stale(c: &mut impl GenericClient, cluster: &str) -> Result<(), StoreError> {
    c.execute(
        "UPDATE apsched_requests SET taken = true, refused = 'apsched run stopped before taking it'
          WHERE cluster = $1 AND NOT taken AND at < now() - interval '1 minute'",
        &[&cluster],
    )?;
    Ok(())
}
