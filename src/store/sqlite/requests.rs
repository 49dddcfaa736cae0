//! Run-now requests: `apsched run-now` adds one and waits for its answer;
//! the running scheduler takes it on SIGUSR1 and answers with the run's
//! number or the reason it refused.

use crate::store::{Answer, StoreError, text};
use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};

/// Answered requests are kept this long for a waiting `run-now` to read.
const KEEP_ANSWERED: chrono::Duration = chrono::Duration::hours(1);

pub(super) fn add(conn: &Connection, job: &str) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO requests (job, at) VALUES (?1, ?2)",
        params![job, text(&Utc::now())],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn take(conn: &mut Connection) -> Result<Vec<(i64, String)>, StoreError> {
    let tx = conn.transaction()?;
    let taken = {
        let mut stmt = tx.prepare("SELECT id, job FROM requests WHERE taken = 0 ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    tx.execute("UPDATE requests SET taken = 1 WHERE taken = 0", [])?;
    tx.execute(
        "DELETE FROM requests WHERE taken = 1 AND at < ?1",
        params![text(&(Utc::now() - KEEP_ANSWERED))],
    )?;
    tx.commit()?;
    Ok(taken)
}

pub(super) fn answer(conn: &Connection, request: i64, answer: &Answer) -> Result<(), StoreError> {
    let (run, refused) = match answer {
        Answer::Run(id) => (Some(*id), None),
        Answer::Refused(why) => (None, Some(why.as_str())),
    };
    conn.prepare_cached("UPDATE requests SET taken = 1, run = ?2, refused = ?3 WHERE id = ?1")?
        .execute(params![request, run, refused])?;
    Ok(())
}

pub(super) fn read(conn: &Connection, request: i64) -> Result<Option<Answer>, StoreError> {
    let row: Option<(Option<i64>, Option<String>)> = conn
        .query_row(
            "SELECT run, refused FROM requests WHERE id = ?1",
            params![request],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match row {
        Some((Some(run), _)) => Some(Answer::Run(run)),
        Some((None, Some(why))) => Some(Answer::Refused(why)),
        Some((None, None)) => None,
        None => Some(Answer::Refused("the request is gone".into())),
    })
}

/// Requests left from before this scheduler started are refused: their
/// `run-now` has long stopped waiting, and running them late would surprise.
pub(super) fn refuse_stale(conn: &Connection) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE requests SET taken = 1, refused = 'apsched run stopped before taking it' WHERE taken = 0",
        [],
    )?;
    Ok(())
}
