//! Control of the scheduler from outside: shutdown, reload, pause, resume,
//! run-now.

use super::initial::{self, whole_second};
use super::persist::JobState;
use super::runs::Run;
use super::{Action, Change, Event, RunId, Scheduler, Slot};
use crate::config::{Job, Settings};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::collections::VecDeque;
use std::sync::Arc;

impl Scheduler {
    /// Stops scheduling. Running processes get `shutdown_timeout` to end,
    /// then SIGTERM, then SIGKILL; with `immediate` (a second stop) SIGKILL
    /// at once.
    pub(crate) fn shutdown(&mut self, now: DateTime<Utc>, immediate: bool) -> Vec<Action> {
        let mut actions = Vec::new();
        if !self.shutting_down {
            self.shutting_down = true;
            actions.push(Action::Log(Event::SchedulerShutdown {
                running: self.busy,
                timeout: self.shutdown_timeout,
            }));
        }
        self.queue.clear();
        for (_, run) in std::mem::take(&mut self.pending) {
            if let Some(records) = self.abandon(run) {
                actions.push(Action::Persist(Change::Dropped { records }));
            }
        }
        let ids: Vec<RunId> = self.runs.keys().copied().collect();
        for id in ids {
            if let Some(run) = self.runs.get_mut(&id)
                && !run.remaining.is_empty()
            {
                run.remaining.clear();
                let records = run.take_records();
                actions.push(Action::Persist(Change::Dropped { records }));
            }
            if immediate {
                self.kill(id, now, &mut actions);
            } else {
                self.set_deadline(id, now + self.shutdown_timeout);
            }
        }
        self.tick_deadlines(now, &mut actions);
        if self.is_done() {
            actions.push(Action::Log(Event::SchedulerStopped));
        }
        actions
    }

    /// Replaces the job list (a reload): unchanged jobs keep their state,
    /// changed ones are rescheduled from `now`, new ones added, removed ones
    /// dropped (a running instance finishes).
    pub(crate) fn reload(
        &mut self,
        settings: &Settings,
        jobs: Vec<Arc<Job>>,
        now: DateTime<Utc>,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        self.max_workers = settings.max_workers.max(1);
        self.shutdown_timeout = settings.shutdown_timeout;
        let (mut added, mut modified, mut unchanged) = (0, 0, 0);
        let keep: std::collections::HashSet<String> = jobs.iter().map(|j| j.id.clone()).collect();
        let gone: Vec<(String, u64)> = self
            .entries
            .iter()
            .filter(|(_, entry)| !keep.contains(&entry.job.id))
            .map(|(seq, entry)| (entry.job.id.clone(), seq))
            .collect();
        for (id, seq) in &gone {
            if let Some(slot) = self.entries.remove(*seq).and_then(|e| e.slot) {
                self.queue.remove(&(slot.start_at, *seq));
            }
            actions.push(Action::Log(Event::JobRemoved {
                job: id.clone(),
                reason: "removed from the file",
            }));
        }
        for job in jobs {
            match self.entries.seq_of(&job.id) {
                Some(seq) if self.entries[seq].job == job => unchanged += 1,
                Some(seq) => {
                    modified += 1;
                    let anchor = whole_second(now).with_timezone(&job.trigger.tz);
                    if let Some(entry) = self.entries.get_mut(seq) {
                        // The file's `paused` applies when its value changes.
                        if entry.job.paused != job.paused {
                            entry.paused = job.paused;
                        }
                        entry.job = job;
                        entry.anchor = anchor.with_timezone(&Utc);
                    }
                    let next = self.schedule_from(seq, &anchor);
                    let entry = &self.entries[seq];
                    actions.push(Action::Persist(Change::Save {
                        job: entry.job.id.clone(),
                        state: entry.state(),
                    }));
                    actions.push(Action::Log(Event::JobModified {
                        job: self.entries[seq].job.id.clone(),
                        next,
                    }));
                }
                None => {
                    added += 1;
                    let start = initial::later(&job, None, now);
                    self.add(job, &start, None, &mut actions);
                }
            }
        }
        actions.push(Action::Log(Event::Reloaded {
            added,
            removed: gone.len(),
            modified,
            unchanged,
        }));
        actions
    }

    /// Pauses or resumes a job (`apsched pause`/`resume`). Resuming schedules
    /// from `now`: runs that fell in the paused time are not replayed.
    pub(crate) fn set_paused(&mut self, id: &str, paused: bool, now: DateTime<Utc>) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(seq) = self.entries.seq_of(id) else {
            return actions;
        };
        let Some(entry) = self.entries.get_mut(seq) else {
            return actions;
        };
        if entry.paused == paused {
            return actions;
        }
        entry.paused = paused;
        let after = now.with_timezone(&entry.job.trigger.tz);
        let next = self.schedule_from(seq, &after);
        let entry = &self.entries[seq];
        actions.push(Action::Persist(Change::Save {
            job: id.to_string(),
            state: entry.state(),
        }));
        actions.push(Action::Log(if paused {
            Event::JobPaused {
                job: id.to_string(),
            }
        } else {
            Event::JobResumed {
                job: id.to_string(),
                next,
            }
        }));
        actions
    }

    /// Runs a job once now, outside its schedule (`apsched run-now`), for
    /// `request` if it came as one; refused (and the request answered so)
    /// when the job is unknown or paused, `max_instances` runs are going, or
    /// the scheduler is shutting down.
    pub(crate) fn run_now(
        &mut self,
        id: &str,
        request: Option<i64>,
        now: DateTime<Utc>,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some((seq, entry)) = self
            .entries
            .seq_of(id)
            .and_then(|s| Some((s, self.entries.get(s)?)))
        else {
            refuse(
                &mut actions,
                id,
                request,
                "the running scheduler has no such job".into(),
            );
            return actions;
        };
        let scheduled = now.with_timezone(&entry.job.trigger.tz);
        let why = if self.shutting_down {
            Some("the scheduler is shutting down".to_string())
        } else if entry.paused {
            Some("it is paused (apsched resume it first)".to_string())
        } else if entry.instances >= entry.job.more.max_instances {
            actions.push(Action::Log(Event::JobMaxInstances {
                job: id.to_string(),
                scheduled,
                running: entry.instances,
            }));
            Some(format!(
                "max_instances = {} and {} run{} going",
                entry.job.more.max_instances,
                entry.instances,
                if entry.instances == 1 { " is" } else { "s are" }
            ))
        } else {
            None
        };
        if let Some(why) = why {
            refuse(&mut actions, id, request, why);
            return actions;
        }
        let job = entry.job.clone();
        if let Some(entry) = self.entries.get_mut(seq) {
            entry.instances += 1;
        }
        let run = self.next_run;
        self.next_run += 1;
        let slot = Slot::at(scheduled);
        self.runs
            .insert(run, Run::new(seq, job, VecDeque::from([slot])));
        self.pending.insert((now, run));
        actions.push(Action::Persist(Change::Extra {
            run,
            job: id.to_string(),
            scheduled: now,
            request,
        }));
        actions
    }

    /// One job goes on from `saved`, its state as a store shared by hosts
    /// has it after a claim this host lost: the slot another host claimed
    /// is not run here.
    pub(crate) fn resync_job(
        &mut self,
        id: &str,
        saved: Option<&JobState>,
        now: DateTime<Utc>,
    ) -> Vec<Action> {
        let mut actions = Vec::new();
        let Some(seq) = self.entries.seq_of(id) else {
            return actions;
        };
        let Some(job) = self.entries.get(seq).map(|e| e.job.clone()) else {
            return actions;
        };
        let start = initial::later(&job, saved, now);
        self.place(seq, &start, saved, &mut actions);
        actions
    }
}

/// Logs a refused run-now and answers its request.
fn refuse(actions: &mut Vec<Action>, job: &str, request: Option<i64>, reason: String) {
    actions.push(Action::Log(Event::RunNowRefused {
        job: job.to_string(),
        reason: reason.clone(),
    }));
    if let Some(request) = request {
        actions.push(Action::Persist(Change::Refused { request, reason }));
    }
}

impl Scheduler {
    /// The store cannot be written: holds every slot and waiting run.
    pub(crate) fn suspend(&mut self) {
        self.suspended = true;
    }

    /// The store works again: each job goes on from its `saved` state, as
    /// at a start (slots missed meanwhile are due now, by the misfire and
    /// coalescing rules; none that was claimed is replayed).
    pub(crate) fn resync(
        &mut self,
        saved: &HashMap<String, JobState>,
        now: DateTime<Utc>,
    ) -> Vec<Action> {
        self.suspended = false;
        let mut actions = Vec::new();
        let seqs = self.entries.seqs();
        for seq in seqs {
            let Some(job) = self.entries.get(seq).map(|e| e.job.clone()) else {
                continue;
            };
            let st = saved.get(&job.id);
            let start = initial::later(&job, st, now);
            self.place(seq, &start, st, &mut actions);
        }
        actions
    }
}
