//! The host's side of the state store: writing the scheduler's changes, and
//! the controls (`pause`, `resume`, `run-now`) read on SIGUSR1.

use crate::log::Logger;
use crate::runner::Input;
use crate::scheduler::{Change, Event, Record};
use crate::store::sqlite::SqliteStore;
use crate::store::{Answer, RunResult, Store, StoreError};
use chrono::Utc;

/// Writes a change to the store; the numbers of the runs it recorded.
pub fn persist(store: &mut SqliteStore, change: &Change) -> Result<Vec<Record>, String> {
    let now = Utc::now();
    let result = match change {
        Change::Save { job, state } => store.save_job(job, state).map(|()| Vec::new()),
        Change::Claim { claim, .. } => match store.claim(claim) {
            Ok(Some(rows)) => Ok(rows),
            Ok(None) => {
                return Err(format!(
                    "slot {} of job {} was already claimed; not running it again",
                    crate::store::text(&claim.expected),
                    claim.job
                ));
            }
            Err(e) => Err(e),
        },
        Change::Extra {
            job,
            scheduled,
            request,
            ..
        } => extra(store, job, *scheduled, *request),
        Change::Refused { request, reason } => store
            .answer_request(*request, &Answer::Refused(reason.clone()))
            .map(|()| Vec::new()),
        Change::Started { record } => store.run_started(*record, now).map(|()| Vec::new()),
        Change::Ended {
            record,
            exit,
            result,
        } => {
            let ended = (*result != RunResult::Missed).then_some(now);
            store
                .run_ended(*record, ended, *exit, *result)
                .map(|()| Vec::new())
        }
        Change::Dropped { records } => records
            .iter()
            .try_for_each(|r| store.run_ended(*r, None, None, RunResult::Interrupted))
            .map(|()| Vec::new()),
    };
    result.map_err(|e| e.to_string())
}

/// Records a run-now's run and answers its request with the run's number.
fn extra(
    store: &mut SqliteStore,
    job: &str,
    scheduled: chrono::DateTime<Utc>,
    request: Option<i64>,
) -> Result<Vec<Record>, StoreError> {
    let record = store.add_run(job, scheduled)?;
    if let Some(request) = request {
        store.answer_request(request, &Answer::Run(record))?;
    }
    Ok(vec![record])
}

/// Reads what `pause`, `resume` and `run-now` wrote: every job's paused flag
/// (the scheduler ignores those unchanged) and the run-now requests.
pub fn control(store: &mut SqliteStore, logger: &mut Logger) -> Vec<Input> {
    let mut inputs = Vec::new();
    match store.job_states() {
        Ok(states) => inputs.extend(
            states
                .into_iter()
                .map(|(job, paused)| Input::Paused { job, paused }),
        ),
        Err(e) => logger.log(&Event::StateError {
            error: e.to_string(),
        }),
    }
    match store.take_requests() {
        Ok(requests) => inputs.extend(requests.into_iter().map(|(request, job)| Input::RunNow {
            job,
            request: Some(request),
        })),
        Err(e) => logger.log(&Event::StateError {
            error: e.to_string(),
        }),
    }
    inputs
}

/// Saves the tail of a run's output.
pub fn output(store: &mut SqliteStore, logger: &mut Logger, record: Record, tail: &[u8]) {
    match store.run_output(record, tail) {
        Ok(()) => logger.log(&Event::OutputSaved {
            run: record,
            bytes: tail.len(),
        }),
        Err(e) => logger.log(&Event::StateError {
            error: e.to_string(),
        }),
    }
}
