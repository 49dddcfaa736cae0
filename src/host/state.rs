//! The host's side of the state store: which history rows belong to which
//! run, and the controls (`pause`, `resume`, `run-now`) read on SIGUSR1.

use crate::log::Logger;
use crate::runner::Input;
use crate::scheduler::{Change, Event, RunId};
use crate::store::sqlite::SqliteStore;
use crate::store::{RunResult, Store};
use chrono::Utc;
use std::collections::{HashMap, VecDeque};

/// The history rows of runs in flight, in the order their slots run.
#[derive(Default)]
pub struct Rows {
    rows: HashMap<RunId, VecDeque<i64>>,
}

impl Rows {
    /// The row of the slot a run is on.
    pub fn current(&self, run: RunId) -> Option<i64> {
        self.rows.get(&run)?.front().copied()
    }

    fn pop(&mut self, run: RunId) -> Option<i64> {
        let rows = self.rows.get_mut(&run)?;
        let row = rows.pop_front();
        if rows.is_empty() {
            self.rows.remove(&run);
        }
        row
    }

    /// Writes a change to the store.
    pub fn apply(&mut self, store: &mut SqliteStore, change: &Change) -> Result<(), String> {
        let now = Utc::now();
        let result = match change {
            Change::Save { job, state } => store.save_job(job, state),
            Change::Claim { claim, runs } => match store.claim(claim) {
                Ok(Some(rows)) => {
                    for (run, row) in runs.iter().zip(rows) {
                        self.rows.entry(*run).or_default().push_back(row);
                    }
                    Ok(())
                }
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
                run,
                job,
                scheduled,
            } => store.add_run(job, *scheduled).map(|row| {
                self.rows.entry(*run).or_default().push_back(row);
            }),
            Change::Started { run } => match self.current(*run) {
                Some(row) => store.run_started(row, now),
                None => Ok(()),
            },
            Change::Ended { run, exit, result } => match self.pop(*run) {
                Some(row) => {
                    let ended = (*result != RunResult::Missed).then_some(now);
                    store.run_ended(row, ended, *exit, *result)
                }
                None => Ok(()),
            },
            Change::Dropped { run, keep_current } => {
                let mut rows = self.rows.remove(run).unwrap_or_default();
                if *keep_current && let Some(current) = rows.pop_front() {
                    self.rows.insert(*run, VecDeque::from([current]));
                }
                rows.into_iter()
                    .try_for_each(|row| store.run_ended(row, None, None, RunResult::Interrupted))
            }
        };
        result.map_err(|e| e.to_string())
    }
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
        Ok(jobs) => inputs.extend(jobs.into_iter().map(|job| Input::RunNow { job })),
        Err(e) => logger.log(&Event::StateError {
            error: e.to_string(),
        }),
    }
    inputs
}

/// Saves the tail of a run's output.
pub fn output(store: &mut SqliteStore, logger: &mut Logger, row: i64, tail: &[u8]) {
    if row > 0
        && let Err(e) = store.run_output(row, tail)
    {
        logger.log(&Event::StateError {
            error: e.to_string(),
        });
    }
}
