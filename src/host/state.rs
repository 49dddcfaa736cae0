//! The host's side of the state store: writing the scheduler's changes,
//! keeping the records of runs that happened while the store could not be
//! written (ends, output) until it can, and the controls (`pause`,
//! `resume`, `run-now`) read on SIGUSR1.

use crate::log::Logger;
use crate::runner::{Input, PersistError, RecoverError};
use crate::scheduler::{Change, Event, Record};
use crate::store::{Answer, JobState, RunResult, StateStore, StoreError};
use chrono::{DateTime, Utc};
use std::collections::{HashMap, VecDeque};

/// At most this many records wait for a failing store; older ones are
/// dropped so memory stays bounded.
const MAX_KEPT: usize = 100_000;

/// A record kept while the store could not be written.
enum Kept {
    Change(Change, DateTime<Utc>),
    Output(Record, Vec<u8>),
    Process(Record, u32, String),
}

/// The state store of a running scheduler.
pub(crate) struct State {
    store: Box<dyn StateStore>,
    kept: VecDeque<Kept>,
    /// A failed write of the host's own, not yet told to the runner.
    failure: Option<String>,
}

impl State {
    pub(crate) fn new(store: Box<dyn StateStore>) -> State {
        State {
            store,
            kept: VecDeque::new(),
            failure: None,
        }
    }

    pub(crate) fn store(&mut self) -> &mut dyn StateStore {
        &mut *self.store
    }

    /// Writes a change made at `now` (the host's clock, which in a cluster
    /// keeps the database's time); the numbers of the runs it recorded. A
    /// failed end of a run is kept for [`State::recover`].
    pub(crate) fn persist(
        &mut self,
        change: &Change,
        now: DateTime<Utc>,
    ) -> Result<Vec<Record>, PersistError> {
        match write(&mut *self.store, change, now) {
            Ok(Some(records)) => Ok(records),
            Ok(None) => Err(match self.store.take_lost() {
                Some((reason, saved)) => PersistError::Lost { reason, saved },
                None => PersistError::Refused(refused(change)),
            }),
            Err(e) => {
                if matches!(change, Change::Ended { .. } | Change::Dropped { .. }) {
                    self.keep(Kept::Change(change.clone(), now));
                }
                Err(PersistError::Failed(self.describe(e)))
            }
        }
    }

    /// Saves the tail of a run's output; on failure it is kept.
    pub(super) fn output(
        &mut self,
        record: Record,
        tail: Vec<u8>,
        logger: &mut Logger,
    ) -> Vec<Input> {
        match self.store.run_output(record, &tail) {
            Ok(()) => {
                logger.log(&Event::OutputSaved {
                    run: record,
                    bytes: tail.len(),
                });
                Vec::new()
            }
            Err(e) => {
                let error = self.describe(e);
                self.keep(Kept::Output(record, tail));
                vec![Input::StoreFailed { error }]
            }
        }
    }

    /// Records a started run's process; on failure it is kept.
    pub(super) fn process(&mut self, record: Record, pid: u32, identity: String) {
        if let Err(e) = self.store.run_process(record, pid, &identity) {
            let error = self.describe(e);
            self.keep(Kept::Process(record, pid, identity));
            self.failure.get_or_insert(error);
        }
    }

    /// A failed write made on the host's own, once.
    pub(super) fn take_failure(&mut self) -> Option<String> {
        self.failure.take()
    }

    /// A store error, for people: with the state file named.
    fn describe(&self, e: StoreError) -> String {
        self.store.named_error(e).to_string()
    }

    /// A store error that ends a recovery.
    fn failed(&self, e: StoreError) -> RecoverError {
        RecoverError {
            reason: self.describe(e),
        }
    }

    fn keep(&mut self, kept: Kept) {
        if self.kept.len() >= MAX_KEPT {
            self.kept.pop_front();
        }
        self.kept.push_back(kept);
    }

    /// Writes what was kept, then proves the store writable; every job's
    /// saved state.
    pub(crate) fn recover(&mut self) -> Result<HashMap<String, JobState>, RecoverError> {
        while let Some(kept) = self.kept.front() {
            let result = match kept {
                Kept::Change(change, at) => write(&mut *self.store, change, *at).map(|_| ()),
                Kept::Output(record, tail) => self.store.run_output(*record, tail),
                Kept::Process(record, pid, identity) => {
                    self.store.run_process(*record, *pid, identity)
                }
            };
            result.map_err(|e| self.failed(e))?;
            self.kept.pop_front();
        }
        self.store.touch().map_err(|e| self.failed(e))?;
        self.store.saved_jobs().map_err(|e| self.failed(e))
    }
}

/// The message of a change the store refused.
fn refused(change: &Change) -> String {
    match change {
        Change::Claim { claim, .. } => format!(
            "slot {} of job {} was already claimed; not running it again",
            crate::store::text(&claim.expected),
            claim.job
        ),
        _ => "the store refused the change".into(),
    }
}

/// Writes a change made at `now`: `None` when the store refused a claim
/// (the slot was claimed before).
fn write(
    store: &mut dyn StateStore,
    change: &Change,
    now: DateTime<Utc>,
) -> Result<Option<Vec<Record>>, StoreError> {
    let none = |()| Some(Vec::new());
    match change {
        Change::Save { job, state } => store.save_job(job, state).map(none),
        Change::Claim { claim, .. } => store.claim(claim),
        Change::Extra {
            job,
            scheduled,
            request,
            ..
        } => extra(store, job, *scheduled, *request),
        Change::Refused { request, reason } => store
            .answer_request(*request, &Answer::Refused(reason.clone()))
            .map(none),
        Change::Started { record } => store.run_started(*record, now).map(none),
        Change::Ended {
            record,
            exit,
            result,
        } => {
            let ended = (*result != RunResult::Missed).then_some(now);
            store.run_ended(*record, ended, *exit, *result).map(none)
        }
        Change::Dropped { records } => records
            .iter()
            .try_for_each(|r| store.run_ended(*r, None, None, RunResult::Interrupted))
            .map(none),
    }
}

/// Records a run-now's run and answers its request with the run's number.
/// Records a run-now run, answering its request; `None` when the store
/// refused it (a retry whose attempt is recorded already).
fn extra(
    store: &mut dyn StateStore,
    job: &str,
    scheduled: DateTime<Utc>,
    request: Option<i64>,
) -> Result<Option<Vec<Record>>, StoreError> {
    let Some(request) = request else {
        return Ok(Some(vec![store.add_run(job, scheduled)?]));
    };
    let Some(record) = store.add_requested_run(job, scheduled, request)? else {
        let why = "its attempt was recorded already".to_string();
        store.answer_request(request, &Answer::Refused(why))?;
        return Ok(None);
    };
    store.answer_request(request, &Answer::Run(record))?;
    Ok(Some(vec![record]))
}

/// Reads what `pause`, `resume` and `run-now` wrote: every job's paused flag
/// (the scheduler ignores those unchanged) and the run-now requests.
pub(super) fn control(store: &mut dyn StateStore) -> Vec<Input> {
    let mut inputs = Vec::new();
    match store.job_states() {
        Ok(states) => inputs.extend(
            states
                .into_iter()
                .map(|(job, paused)| Input::Paused { job, paused }),
        ),
        Err(e) => inputs.push(Input::StoreFailed {
            error: store.named_error(e).to_string(),
        }),
    }
    match store.take_requests() {
        Ok(requests) => inputs.extend(requests.into_iter().map(|(request, job)| Input::RunNow {
            job,
            request: Some(request),
        })),
        Err(e) => inputs.push(Input::StoreFailed {
            error: store.named_error(e).to_string(),
        }),
    }
    inputs
}
