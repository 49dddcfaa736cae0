//! Carrying out the scheduler's actions: writes first, then runs. A run
//! starts only once its claim and its start are recorded.

use super::outage::{self, Outage};
use super::{Host, PersistError};
use crate::scheduler::{Action, Change, Event, Notice, Outcome, RunRequest, Scheduler};
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
    // What became of the last write: notices follow the change they report.
    let mut written = Written::Yes;
    loop {
        while let Some(action) = work.pop_front() {
            match action {
                Action::Start(request) => start(host, core, &request, outage, &mut work),
                Action::Terminate(run) => host.signal(run, false),
                Action::Kill(run) => host.signal(run, true),
                Action::Log(event) => host.log(&event),
                Action::LogWritten(event) => {
                    if matches!(written, Written::Yes | Written::Kept) {
                        host.log(&event);
                    }
                }
                Action::Persist(change) => {
                    written = persist(host, core, &change, outage, &mut work);
                }
                Action::Notify(notice) => match written {
                    Written::Yes => host.notify(notice),
                    Written::Kept => {
                        if let Some(o) = outage {
                            o.held.push(notice);
                        }
                    }
                    Written::No => {}
                },
            }
        }
        // Any run still waiting starts once every claim is recorded.
        let now = host.now();
        work.extend(core.dispatch(now));
        if work.is_empty() {
            return;
        }
    }
}

/// What became of a write.
enum Written {
    Yes,
    /// Not yet: the host keeps it and writes it once the store works again.
    Kept,
    /// Never: it was refused, or not kept.
    No,
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
                Ok(()) => {
                    let started = host.now();
                    core.started(request.run, started);
                    host.notify(Notice::Started {
                        job: request.job.id.clone(),
                        record: request.record,
                        scheduled: request.scheduled,
                        started,
                    });
                    return;
                }
                Err(e) => e.reason,
            }
        }
        Err(PersistError::Refused(why) | PersistError::Lost { reason: why, .. }) => why,
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
    work: &mut VecDeque<Action>,
) -> Written {
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
            Written::Yes
        }
        Err(e) => {
            if let Some(run) = change.run() {
                core.abandon(run);
            }
            match e {
                PersistError::Refused(error) => {
                    host.log(&Event::StateError { error });
                    Written::No
                }
                PersistError::Lost { reason, saved } => {
                    if let Change::Claim { claim, .. } = change {
                        host.log(&Event::ClaimLost {
                            job: claim.job.clone(),
                            slot: claim.expected,
                            reason,
                        });
                        let now = host.now();
                        work.extend(core.resync_job(&claim.job, saved.as_ref(), now));
                    }
                    Written::No
                }
                PersistError::Failed(error) => {
                    let now = host.now();
                    outage::enter(host, core, outage, error, now);
                    // The host keeps the ends of runs that happened.
                    if matches!(change, Change::Ended { .. }) {
                        Written::Kept
                    } else {
                        Written::No
                    }
                }
            }
        }
    }
}
