//! What the metrics hold, and how notices, state writes and reloads change
//! it. Pure: the caller passes the time.

use super::format::{escape, micros};
use super::histogram::{DURATION, Histogram, START_DELAY};
use crate::config::Job;
use crate::scheduler::persist::JobState;
use crate::scheduler::{Change, Miss, Notice, Outcome, Record};
use crate::store::LastTimes;
use crate::store::RunResult;
use crate::trigger::Kind;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The `result` labels of `apsched_job_runs_total`, in this order.
pub(super) const RESULTS: [&str; 5] = [
    "success",
    "failure",
    "timeout",
    "interrupted",
    "spawn_error",
];
const SUCCESS: usize = 0;
const FAILURE: usize = 1;
const TIMEOUT: usize = 2;
const INTERRUPTED: usize = 3;
const SPAWN_ERROR: usize = 4;

/// The `result` labels of `apsched_hook_runs_total`.
pub(super) const HOOK_RESULTS: [&str; 4] = ["success", "failure", "timeout", "dropped"];

/// One job's series.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct JobData {
    /// `job_name="ID"`, escaped.
    pub label: Arc<str>,
    /// The labels of `apsched_job_info`, escaped.
    pub info: Arc<str>,
    /// Finished runs by [`RESULTS`].
    pub runs: [u64; 5],
    /// Missed slots by [`Miss::ALL`].
    pub missed: [u64; 3],
    /// The records of its runs in progress.
    pub running: Vec<Record>,
    pub paused: bool,
    /// Unix microseconds; `None` when the trigger is finished.
    pub next_run: Option<i64>,
    /// Unix microseconds, as the next ones.
    pub last_run: Option<i64>,
    pub last_success: Option<i64>,
    pub last_failure: Option<i64>,
    pub duration: Histogram,
}

/// Everything the endpoint shows.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Data {
    /// Shared with the copies scrapes take: a copy costs no job's clone,
    /// and a job changed while a copy holds it is cloned then.
    pub jobs: BTreeMap<Arc<str>, Arc<JobData>>,
    pub start_delay: Histogram,
    pub reload_ok: bool,
    /// Unix microseconds of the last successful reload (or of the start).
    pub reload_at: i64,
    pub write_errors: u64,
    /// Hook runs by (event, result); every result of an event once one is seen.
    pub hooks: BTreeMap<(String, &'static str), u64>,
}

/// The labels of `apsched_job_info` for a job.
fn info(job: &Job, label: &str) -> String {
    let t = &job.trigger;
    let (kind, schedule) = match &t.kind {
        Kind::Cron(c) => ("cron", c.source().to_string()),
        Kind::Interval { period } => ("interval", crate::duration::format(*period)),
        Kind::Date { run_date } => ("date", crate::timefmt::rfc3339_auto(run_date)),
        Kind::Startup => ("startup", String::new()),
        Kind::Or(_) => ("or", t.summary()),
        Kind::And(_) => ("and", t.summary()),
    };
    format!(
        "{label},trigger=\"{kind}\",schedule=\"{}\",timezone=\"{}\"",
        escape(&schedule),
        escape(t.tz.name())
    )
}

/// The later of two times.
fn later(old: Option<i64>, new: i64) -> i64 {
    old.map_or(new, |o| o.max(new))
}

impl JobData {
    fn new(job: &Job) -> JobData {
        let label = format!("job_name=\"{}\"", escape(&job.id));
        JobData {
            info: info(job, &label).into(),
            label: label.into(),
            runs: [0; 5],
            missed: [0; 3],
            running: Vec::new(),
            paused: job.paused,
            next_run: None,
            last_run: None,
            last_success: None,
            last_failure: None,
            duration: Histogram::new(&DURATION),
        }
    }
}

impl Data {
    /// The series of `jobs` at start: paused and next run from their saved
    /// `states`, last times from the history (`last`), counters at 0.
    pub(super) fn new(
        jobs: &[Arc<Job>],
        states: &HashMap<String, JobState>,
        last: &HashMap<String, LastTimes>,
        now: i64,
    ) -> Data {
        let mut data = Data {
            jobs: BTreeMap::new(),
            start_delay: Histogram::new(&START_DELAY),
            reload_ok: true,
            reload_at: now,
            write_errors: 0,
            hooks: BTreeMap::new(),
        };
        data.set_jobs(jobs);
        for (id, job) in &mut data.jobs {
            let job = Arc::make_mut(job);
            if let Some(state) = states.get(&**id) {
                job.paused = state.paused;
                job.next_run = state.next_run.as_ref().map(micros);
            }
            if let Some(times) = last.get(&**id) {
                job.last_run = times.run.as_ref().map(micros);
                job.last_success = times.success.as_ref().map(micros);
                job.last_failure = times.failure.as_ref().map(micros);
            }
        }
        data
    }

    /// The jobs now configured: new ones start at 0, kept ones keep their
    /// counters, removed ones disappear.
    pub(super) fn set_jobs(&mut self, jobs: &[Arc<Job>]) {
        let mut old = std::mem::take(&mut self.jobs);
        for job in jobs {
            let data = match old.remove(job.id.as_str()) {
                Some(mut kept) => {
                    let info = info(job, &kept.label);
                    if *kept.info != *info {
                        Arc::make_mut(&mut kept).info = info.into();
                    }
                    kept
                }
                None => Arc::new(JobData::new(job)),
            };
            self.jobs.insert(job.id.as_str().into(), data);
        }
    }

    /// A job's series to change.
    fn job_mut(&mut self, id: &str) -> Option<&mut JobData> {
        self.jobs.get_mut(id).map(Arc::make_mut)
    }

    /// A notice, told at `now` (Unix microseconds).
    pub(super) fn tell(&mut self, notice: &Notice, now: i64) {
        match notice {
            Notice::Started {
                job,
                record,
                scheduled,
                started,
            } => {
                let delay = (*started - scheduled.with_timezone(&chrono::Utc))
                    .to_std()
                    .map_or(0.0, |d| d.as_secs_f64());
                self.start_delay.observe(delay);
                if let Some(j) = self.job_mut(job) {
                    j.running.push(*record);
                    j.last_run = Some(later(j.last_run, micros(started)));
                }
            }
            Notice::Ended(end) => {
                let Some(j) = self.job_mut(&end.job) else {
                    return;
                };
                j.running.retain(|r| *r != end.record);
                j.last_run = Some(later(j.last_run, micros(&end.started)));
                let ended = micros(&end.ended);
                let result = match (&end.outcome, end.result) {
                    (Outcome::NotStarted(_), _) => SPAWN_ERROR,
                    (_, RunResult::Success) => SUCCESS,
                    (_, RunResult::TimedOut) => TIMEOUT,
                    (_, RunResult::Interrupted) => INTERRUPTED,
                    _ => FAILURE,
                };
                j.runs[result] = j.runs[result].saturating_add(1);
                if result != SPAWN_ERROR {
                    let took = (end.ended - end.started).to_std().unwrap_or_default();
                    j.duration.observe(took.as_secs_f64());
                }
                match result {
                    SUCCESS => j.last_success = Some(later(j.last_success, ended)),
                    INTERRUPTED => {}
                    _ => j.last_failure = Some(later(j.last_failure, ended)),
                }
            }
            Notice::Missed {
                job, count, reason, ..
            } => {
                if let Some(j) = self.job_mut(job) {
                    let i = Miss::ALL.iter().position(|m| m == reason).unwrap_or(0);
                    j.missed[i] = j.missed[i].saturating_add(*count);
                }
            }
            // Unknown (ended while no scheduler watched) counts as
            // interrupted: how it ended is lost with the scheduler.
            Notice::Interrupted { job, record, .. } => {
                if let Some(j) = self.job_mut(job) {
                    j.running.retain(|r| r != record);
                    j.runs[INTERRUPTED] = j.runs[INTERRUPTED].saturating_add(1);
                }
            }
            Notice::ReloadFailed { .. } => self.reload_ok = false,
            Notice::Reloaded => {
                self.reload_ok = true;
                self.reload_at = now;
            }
        }
    }

    /// A state change was written: the next run time and pause it holds.
    pub(super) fn written(&mut self, change: &Change) {
        match change {
            Change::Save { job, state } => {
                if let Some(j) = self.job_mut(job) {
                    j.next_run = state.next_run.as_ref().map(micros);
                    j.paused = state.paused;
                }
            }
            Change::Claim { claim, .. } => {
                if let Some(j) = self.job_mut(&claim.job) {
                    j.next_run = claim.next.as_ref().map(micros);
                }
            }
            _ => {}
        }
    }

    /// A hook of `event` ended with `result` (one of [`HOOK_RESULTS`]).
    pub(super) fn hook_ran(&mut self, event: &str, result: &str) {
        let Some(result) = HOOK_RESULTS.into_iter().find(|r| *r == result) else {
            return;
        };
        if !self.hooks.keys().any(|(e, _)| e == event) {
            for r in HOOK_RESULTS {
                self.hooks.insert((event.to_string(), r), 0);
            }
        }
        if let Some(n) = self.hooks.get_mut(&(event.to_string(), result)) {
            *n = n.saturating_add(1);
        }
    }
}
