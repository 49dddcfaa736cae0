//! Due jobs: APScheduler's `_process_jobs` (run times, misfire grace time,
//! coalescing, max instances), and the claim that records the outcome.
//! Which run times are due is [`collect`]'s; here they are submitted.

use super::collect::{Due, collect};
use super::misfire;
use super::notice::{Miss, Notice};
use super::persist::Claim;
use super::runs::Run;
use super::{Action, Change, Event, RunId, Scheduler, Slot};
use crate::config::Job;
use crate::trigger::Kind;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::VecDeque;
use std::sync::Arc;

impl Scheduler {
    /// Advances to `now` by every deadline and one due job: handles the
    /// timeouts and fires the job. Runs start on [`Scheduler::dispatch`],
    /// once their claims are recorded. The runner ticks until nothing is
    /// left to do, so each run of a burst starts before the next is
    /// decided.
    pub(crate) fn tick(&mut self, now: DateTime<Utc>) -> Vec<Action> {
        let mut actions = Vec::new();
        self.tick_deadlines(now, &mut actions);
        // A queued job that is gone gives no action: then the next one.
        let handled = actions.len();
        while actions.len() == handled {
            let Some(&(start_at, seq)) = self.queue.first() else {
                break;
            };
            if start_at > now || self.shutting_down || self.suspended {
                break;
            }
            self.queue.pop_first();
            self.fire(seq, now, &mut actions);
        }
        actions
    }

    /// Handles one due job: every run time up to now is due; those later than
    /// the grace time are missed; of the rest, with `coalesce` only the latest
    /// runs, else each in turn; all are skipped if `max_instances` are going.
    fn fire(&mut self, seq: u64, now: DateTime<Utc>, actions: &mut Vec<Action>) {
        let Some(entry) = self.entries.get_mut(seq) else {
            return;
        };
        let Some(slot) = entry.slot.take().map(|q| q.slot(entry.job.trigger.tz)) else {
            return;
        };
        let job = entry.job.clone();
        let grace = misfire::grace(&job);
        let anchor = entry.anchor.with_timezone(&job.trigger.tz);
        let due = collect(&job.trigger, slot, &anchor, now, grace, job.more.coalesce);
        let runs = due.runs(job.more.coalesce);
        let lateness = lateness_event(&job.id, &due, slot, runs.len(), now);
        let mut claim = claim(&job, &due, slot, grace);
        // Due when the latest slot it runs is: a catch-up by a clock that
        // runs ahead of a shared store's must not run a slot early by it.
        if let Some(last) = runs.last() {
            claim.due_at = claim.due_at.max(last.with_timezone(&Utc));
        }
        let count = runs.len() as u64;
        let run = self.submit(seq, &job, slot, runs, &mut claim, actions);
        let notices = notices(&job.id, &due, &claim, count);
        actions.push(Action::Persist(Change::Claim { claim, run }));
        actions.extend(lateness.map(Action::LogWritten));
        actions.extend(notices.into_iter().map(Action::Notify));
        if let Some(n) = due.next {
            self.set_slot(seq, n);
        } else {
            let reason = match job.trigger.kind {
                Kind::Date { .. } => "date trigger ran",
                Kind::Startup => "startup trigger ran; it runs again at the next start",
                _ => "no more run times (end_date or schedule end)",
            };
            actions.push(Action::Log(Event::JobRemoved {
                job: job.id.clone(),
                reason,
            }));
        }
    }

    /// Submits the run times that run as one run of the job at `seq`, or
    /// skips them all (noted in `claim`) when `max_instances` runs are
    /// going; the run, if one was submitted.
    fn submit(
        &mut self,
        seq: u64,
        job: &Arc<Job>,
        slot: Slot,
        runs: Vec<DateTime<Tz>>,
        claim: &mut Claim,
        actions: &mut Vec<Action>,
    ) -> Option<RunId> {
        let utc = |t: &DateTime<Tz>| t.with_timezone(&Utc);
        let first = *runs.first()?;
        let entry = self.entries.get_mut(seq)?;
        if entry.instances >= job.more.max_instances {
            actions.push(Action::Log(Event::JobMaxInstances {
                job: job.id.clone(),
                scheduled: first,
                running: entry.instances,
            }));
            claim.skipped = Some((utc(&first), runs.len() as u64));
            return None;
        }
        entry.instances += 1;
        let id = self.next_run;
        self.next_run += 1;
        claim.runs = runs.iter().map(utc).collect();
        self.pending.insert((utc(&first), id));
        // The first slot keeps its jitter: that is when it was meant to start.
        let meant = |t: DateTime<Tz>| {
            if t == slot.scheduled {
                slot
            } else {
                Slot::at(t)
            }
        };
        let slots: VecDeque<Slot> = runs.into_iter().map(meant).collect();
        self.runs.insert(id, Run::new(seq, job.clone(), slots));
        Some(id)
    }
}

/// The line for a job that came due late: a catch-up of several run times,
/// or one missed run time; `None` for one run time in time.
fn lateness_event(
    job: &str,
    due: &Due,
    slot: Slot,
    runs: usize,
    now: DateTime<Utc>,
) -> Option<Event> {
    if due.total() > 1 {
        Some(Event::JobCatchUp {
            job: job.to_string(),
            due: due.total(),
            missed: due.missed,
            run: runs as u64,
            coalesced: due.ok.saturating_sub(runs as u64),
            first: due.first,
            last: due.last,
        })
    } else if due.missed == 1 {
        Some(Event::JobMissed {
            job: job.to_string(),
            scheduled: slot.scheduled,
            late: misfire::lateness(slot.start_at, now),
        })
    } else {
        None
    }
}

/// The claim of `slot` for what came due: the job's next run time and the
/// missed ones; the runs (or skipped ones) are filled in on submitting.
fn claim(job: &Job, due: &Due, slot: Slot, grace: Option<std::time::Duration>) -> Claim {
    let utc = |t: &DateTime<Tz>| t.with_timezone(&Utc);
    Claim {
        job: job.id.clone(),
        expected: utc(&slot.scheduled),
        next: due.next.as_ref().map(utc),
        runs: Vec::new(),
        missed: due
            .missed_first
            .zip(due.missed_last)
            .map(|(f, l)| (utc(&f), utc(&l), due.missed)),
        skipped: None,
        due_at: slot.start_at,
        grace,
        max_instances: job.more.max_instances,
        fingerprint: job.trigger.fingerprint(),
    }
}

/// What hooks and metrics hear of a claim: the slots it records missed,
/// skipped for max instances, and merged by coalescing (`runs` ran).
fn notices(job: &str, due: &Due, claim: &Claim, runs: u64) -> Vec<Notice> {
    let mut notices = Vec::new();
    let mut miss = |first: DateTime<Tz>, last: DateTime<Tz>, count: u64, reason: Miss| {
        if count > 0 {
            notices.push(Notice::Missed {
                job: job.to_string(),
                first,
                last,
                count,
                reason,
            });
        }
    };
    if let (Some(first), Some(last)) = (due.missed_first, due.missed_last) {
        miss(first, last, due.missed, Miss::Misfire);
    }
    let last = due.ok_last.unwrap_or(due.last);
    if let Some((first, skipped)) = claim.skipped {
        miss(
            first.with_timezone(&due.first.timezone()),
            last,
            skipped,
            Miss::Overlap,
        );
    }
    miss(
        due.first,
        last,
        due.ok.saturating_sub(runs),
        Miss::Coalesced,
    );
    notices
}
