//! Due jobs: APScheduler's `_process_jobs` (run times, coalescing, misfire
//! grace time, max instances).

use super::runs::Run;
use super::{Action, Event, Scheduler};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::VecDeque;

/// At most this many due run times of one job are listed one by one; past
/// that (a clock jump over a long time), the rest are only counted.
const MAX_LISTED: usize = 10_000;
/// At most this many run times are walked to catch up; past that the job
/// resumes from its first run time after now.
const MAX_WALKED: u64 = 1_000_000;

impl Scheduler {
    /// Advances to `now`: fires due jobs, handles timeouts, starts waiting
    /// runs on free workers.
    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<Action> {
        let mut actions = Vec::new();
        self.tick_deadlines(now, &mut actions);
        while let Some(&(start_at, seq)) = self.queue.first() {
            if start_at > now || self.shutting_down {
                break;
            }
            self.queue.pop_first();
            self.fire(seq, now, &mut actions);
        }
        self.dispatch(now, &mut actions);
        actions
    }

    /// Handles one due job.
    fn fire(&mut self, seq: u64, now: DateTime<Utc>, actions: &mut Vec<Action>) {
        let Some(entry) = self.entries.get_mut(&seq) else {
            return;
        };
        let Some(slot) = entry.slot.take() else {
            return;
        };
        let job = entry.job.clone();
        let anchor = entry.anchor;
        let now_tz = now.with_timezone(&job.trigger.tz);

        // Every run time up to now, the first one at its (jittered) start.
        let mut due: Vec<DateTime<Tz>> = vec![slot.scheduled];
        let mut counted: u64 = 1;
        let mut last = slot.scheduled;
        let mut next = job.trigger.next_after(&last, &anchor);
        while let Some(t) = next.filter(|t| *t <= now_tz) {
            counted += 1;
            last = t;
            if due.len() < MAX_LISTED {
                due.push(t);
            }
            if counted >= MAX_WALKED {
                next = job.trigger.next_after(&now_tz, &anchor);
                break;
            }
            next = job.trigger.next_after(&t, &anchor);
        }
        if counted as usize > due.len() {
            // The listed ones are the oldest; the latest is what coalescing keeps.
            due.push(last);
        }

        let runs: Vec<DateTime<Tz>> = if job.coalesce && counted > 1 {
            actions.push(Action::Log(Event::JobCoalesced {
                job: job.id.clone(),
                count: counted,
                kept: last,
            }));
            vec![last]
        } else {
            due
        };
        let first_start = slot.start_at;
        let grace = job.misfire_grace_time;
        let late = |t: &DateTime<Tz>| {
            let start = if *t == slot.scheduled {
                first_start
            } else {
                t.with_timezone(&Utc)
            };
            (now - start).to_std().unwrap_or_default()
        };
        let (missed, ok): (Vec<_>, Vec<_>) = runs
            .into_iter()
            .partition(|t| grace.is_some_and(|g| late(t) > g));
        match missed.as_slice() {
            [] => {}
            [one] => actions.push(Action::Log(Event::JobMissed {
                job: job.id.clone(),
                scheduled: *one,
                late: late(one),
            })),
            [first, .., last] => {
                let count = if job.coalesce {
                    missed.len() as u64
                } else {
                    counted - ok.len() as u64
                };
                actions.push(Action::Log(Event::JobMissedMany {
                    job: job.id.clone(),
                    count,
                    first: *first,
                    last: *last,
                }));
            }
        }

        if let Some(&scheduled) = ok.first() {
            if entry.instances >= job.max_instances {
                actions.push(Action::Log(Event::JobMaxInstances {
                    job: job.id.clone(),
                    scheduled,
                    running: entry.instances,
                }));
            } else {
                entry.instances += 1;
                let id = self.next_run;
                self.next_run += 1;
                let run = Run::new(seq, job.clone(), VecDeque::from(ok));
                self.pending.insert((scheduled.with_timezone(&Utc), id));
                self.runs.insert(id, run);
            }
        }

        match next {
            Some(n) => {
                self.schedule_from(seq, &n_minus(&n));
            }
            None => {
                let reason = if matches!(job.trigger.kind, crate::trigger::Kind::Date { .. }) {
                    "date trigger ran"
                } else {
                    "no more run times (end_date or schedule end)"
                };
                actions.push(Action::Log(Event::JobRemoved {
                    job: job.id.clone(),
                    reason,
                }));
                if self.entries.get(&seq).is_some_and(|e| e.instances == 0) {
                    self.entries.remove(&seq);
                    self.ids.remove(&job.id);
                }
            }
        }
    }
}

/// The instant just before `t`, so that "the first run time after it" is `t`.
fn n_minus(t: &DateTime<Tz>) -> DateTime<Tz> {
    *t - chrono::Duration::nanoseconds(1)
}
