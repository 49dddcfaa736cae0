//! Carrying out the scheduler's actions: writes first, then runs. A run
//! starts only once its claim and its start are recorded.

use super::outage::{self, Outage};
use super::{Host, PersistError};
use crate::scheduler::{Action, Change, Event, Outcome, RunRequest, Scheduler};
use std::collections::VecDeque;

/// Carries out actions, then starts what may start; a run that cannot
/// start is finished at once, which may produce more actions.
pub(super) fn apply(
    host: &mut impl Host,
    core: &mut Scheduler,
    actions: Vec<Action>,
    outage: &mut Option<Outage>,
) {
    let mut work = VecDeque::from(actions);
    loop {
        while let Some(action) = work.pop_front() {
            match action {
                Action::Start(request) => start(host, core, &request, outage, &mut work),
                Action::Terminate(run) => host.signal(run, false),
                Action::Kill(run) => host.signal(run, true),
                Action::Log(event) => host.log(&event),
                Action::Persist(change) => persist(host, core, &change, outage),
            }
        }
        // Runs start only after every claim before them is recorded.
        let now = host.now();
        work.extend(core.dispatch(now));
        if work.is_empty() {
            return;
        }
    }
}

/// Records the run as started, logs it, and starts its process; a run
/// whose start cannot be recorded does not start.
fn start(
    host: &mut impl Host,
    core: &mut Scheduler,
    request: &RunRequest,
    outage: &mut Option<Outage>,
    work: &mut VecDeque<Action>,
) {
    let started = Change::Started {
        record: request.record,
    };
    let why = match host.persist(&started) {
        Ok(_) => {
            host.log(&Event::JobSubmitted {
                job: request.job.id.clone(),
                run: request.record,
                scheduled: request.scheduled,
            });
            match host.start(request) {
                Ok(()) => return,
                Err(e) => e.reason,
            }
        }
        Err(PersistError::Refused(why)) => why,
        Err(PersistError::Failed(error)) => {
            let now = host.now();
            outage::enter(host, core, outage, error, now);
            "its start could not be recorded in the state file".into()
        }
    };
    let now = host.now();
    work.extend(core.finished(request.run, &Outcome::NotStarted(why), now));
}

/// Writes a change and gives the run its history numbers; a run whose
/// slots were not recorded is not ours to run: at most once per slot.
fn persist(
    host: &mut impl Host,
    core: &mut Scheduler,
    change: &Change,
    outage: &mut Option<Outage>,
) {
    match host.persist(change) {
        Ok(records) => {
            if let Change::Claim { claim, .. } = change {
                host.log(&Event::Claimed {
                    job: claim.job.clone(),
                    slot: claim.expected,
                    runs: records.clone(),
                });
            }
            if let Some(run) = change.run() {
                core.recorded(run, records);
            }
        }
        Err(e) => {
            if let Some(run) = change.run() {
                core.abandon(run);
            }
            match e {
                PersistError::Refused(error) => host.log(&Event::StateError { error }),
                PersistError::Failed(error) => {
                    let now = host.now();
                    outage::enter(host, core, outage, error, now);
                }
            }
        }
    }
}
