//! Due jobs: APScheduler's `_process_jobs` (run times, misfire grace time,
//! coalescing, max instances), and the claim that records the outcome.

use super::misfire;
use super::persist::Claim;
use super::runs::Run;
use super::{Action, Change, Event, Scheduler, Slot};
use crate::trigger::Kind;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::VecDeque;

/// Without coalescing, at most this many due run times run one by one; the
/// rest count as missed.
const MAX_LISTED: usize = 10_000;
/// At most this many run times are walked to catch up (a year of an
/// every-second cron job is 31.5 million); past that the job resumes from its
/// first run time after now and the rest count as missed.
const MAX_WALKED: u64 = 100_000_000;

/// The run times of one job that came due, counted without listing them all.
struct Due {
    missed: u64,
    missed_first: Option<DateTime<Tz>>,
    missed_last: Option<DateTime<Tz>>,
    ok: u64,
    ok_listed: Vec<DateTime<Tz>>,
    ok_last: Option<DateTime<Tz>>,
    first: DateTime<Tz>,
    last: DateTime<Tz>,
    /// The job's next run time after now.
    next: Option<DateTime<Tz>>,
}

impl Due {
    fn add(&mut self, t: DateTime<Tz>, missed: bool, list: bool) {
        self.last = t;
        if missed {
            self.missed += 1;
            self.missed_first.get_or_insert(t);
            self.missed_last = Some(t);
        } else {
            self.ok += 1;
            self.ok_last = Some(t);
            if list && self.ok_listed.len() < MAX_LISTED {
                self.ok_listed.push(t);
            } else if list {
                // Too many to run one by one: counted as missed instead.
                self.ok -= 1;
                self.missed += 1;
                self.missed_last = Some(t);
            }
        }
    }
}

impl Scheduler {
    /// Advances to `now`: fires due jobs and handles timeouts. Runs start
    /// on [`Scheduler::dispatch`], once their claims are recorded.
    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<Action> {
        let mut actions = Vec::new();
        self.tick_deadlines(now, &mut actions);
        while let Some(&(start_at, seq)) = self.queue.first() {
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
        let Some(entry) = self.entries.get_mut(&seq) else {
            return;
        };
        let Some(slot) = entry.slot.take() else {
            return;
        };
        let job = entry.job.clone();
        let anchor = entry.anchor;
        let trigger = &job.trigger;
        let now_tz = now.with_timezone(&trigger.tz);
        // A run time is missed when it starts later than the grace time
        // after it was meant to: the first slot's jitter is not lateness.
        let cutoff = misfire::cutoff(now, job.misfire_grace_time);
        let is_missed =
            |meant: DateTime<Utc>| misfire::is_missed(meant, now, job.misfire_grace_time);
        let meant = |t: DateTime<Tz>| {
            if t == slot.scheduled {
                slot
            } else {
                Slot::at(t)
            }
        };

        let mut due = Due {
            missed: 0,
            missed_first: None,
            missed_last: None,
            ok: 0,
            ok_listed: Vec::new(),
            ok_last: None,
            first: slot.scheduled,
            last: slot.scheduled,
            next: None,
        };
        due.add(slot.scheduled, is_missed(slot.start_at), !job.coalesce);
        let mut walked = 1;
        let mut next = trigger.next_after(&slot.scheduled, &anchor);
        if let (Kind::Interval { period }, Some(n)) = (&trigger.kind, next) {
            // Elapsed-time triggers are counted, not walked.
            if n <= now_tz && job.coalesce && trigger.end_date.is_none() {
                let p = (period.as_nanos() as i128).max(1);
                let nanos =
                    |d: chrono::Duration| i128::from(d.num_nanoseconds().unwrap_or(i64::MAX));
                let count = nanos(now_tz - n) / p + 1;
                let nth = |k: i128| n + chrono::Duration::nanoseconds((k * p) as i64);
                let missed = match cutoff {
                    Some(c) if c > n.with_timezone(&Utc) => {
                        ((nanos(c - n.with_timezone(&Utc)) + p - 1) / p).min(count)
                    }
                    _ => 0,
                };
                if missed > 0 {
                    due.missed += missed as u64;
                    due.missed_first.get_or_insert(n);
                    due.missed_last = Some(nth(missed - 1));
                }
                if count > missed {
                    due.ok += (count - missed) as u64;
                    due.ok_last = Some(nth(count - 1));
                }
                due.last = nth(count - 1);
                next = trigger.next_after(&due.last, &anchor);
            }
        }
        while let Some(t) = next.filter(|t| *t <= now_tz) {
            due.add(t, is_missed(t.with_timezone(&Utc)), !job.coalesce);
            walked += 1;
            if walked >= MAX_WALKED {
                next = trigger.next_after(&now_tz, &anchor);
                break;
            }
            next = trigger.next_after(&t, &anchor);
        }
        due.next = next;

        let runs: Vec<DateTime<Tz>> = if job.coalesce {
            due.ok_last.into_iter().collect()
        } else {
            due.ok_listed.clone()
        };
        let total = due.missed + due.ok;
        if total > 1 {
            actions.push(Action::Log(Event::JobCatchUp {
                job: job.id.clone(),
                due: total,
                missed: due.missed,
                run: runs.len() as u64,
                coalesced: due.ok.saturating_sub(runs.len() as u64),
                first: due.first,
                last: due.last,
            }));
        } else if due.missed == 1 {
            actions.push(Action::Log(Event::JobMissed {
                job: job.id.clone(),
                scheduled: slot.scheduled,
                late: misfire::lateness(slot.start_at, now),
            }));
        }

        let utc = |t: &DateTime<Tz>| t.with_timezone(&Utc);
        let mut claim = Claim {
            job: job.id.clone(),
            expected: utc(&slot.scheduled),
            next: due.next.as_ref().map(utc),
            runs: Vec::new(),
            missed: due
                .missed_first
                .zip(due.missed_last)
                .map(|(f, l)| (utc(&f), utc(&l), due.missed)),
            skipped: None,
        };
        let mut run_id = None;
        if let Some(&first) = runs.first() {
            let Some(entry) = self.entries.get_mut(&seq) else {
                return;
            };
            if entry.instances >= job.max_instances {
                actions.push(Action::Log(Event::JobMaxInstances {
                    job: job.id.clone(),
                    scheduled: first,
                    running: entry.instances,
                }));
                claim.skipped = Some((utc(&first), runs.len() as u64));
            } else {
                entry.instances += 1;
                let id = self.next_run;
                self.next_run += 1;
                claim.runs = runs.iter().map(utc).collect();
                run_id = Some(id);
                self.pending.insert((utc(&first), id));
                let slots: VecDeque<Slot> = runs.into_iter().map(meant).collect();
                self.runs.insert(id, Run::new(seq, job.clone(), slots));
            }
        }
        actions.push(Action::Persist(Change::Claim { claim, run: run_id }));

        match due.next {
            Some(n) => self.set_slot(seq, n),
            None => {
                let reason = if matches!(trigger.kind, Kind::Date { .. }) {
                    "date trigger ran"
                } else {
                    "no more run times (end_date or schedule end)"
                };
                actions.push(Action::Log(Event::JobRemoved {
                    job: job.id.clone(),
                    reason,
                }));
            }
        }
    }
}
