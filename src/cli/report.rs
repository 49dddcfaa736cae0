//! The objects `list --json`, `check --json` and `history --json` print, one
//! serializer each, and what the state file says of the jobs.

use super::error::Error;
use super::meaning::meaning;
use super::plan::{Plan, Status};
use super::times::{schedule_time, stored};
use crate::config::Job;
use crate::store::Location;
use crate::store::{JobState, RunRow, parse};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::HashMap;

/// What the state file says: each job's saved state and its last run.
#[derive(Default)]
pub(super) struct Saved {
    pub jobs: HashMap<String, JobState>,
    pub last: HashMap<String, RunRow>,
}

/// Reads the state without changing it; nothing if there is none.
pub(super) fn saved(state: &Location) -> Result<Saved, Error> {
    let Some(store) = state.open_read_only(1)? else {
        return Ok(Saved::default());
    };
    Ok(Saved {
        jobs: store.saved_jobs().map_err(|e| store.named_error(e))?,
        last: store
            .last_runs()
            .map_err(|e| store.named_error(e))?
            .into_iter()
            .map(|r| (r.job.clone(), r))
            .collect(),
    })
}

/// One run, its times in the job's zone.
#[derive(Serialize)]
pub(super) struct RunReport {
    pub id: i64,
    pub job: String,
    pub scheduled: String,
    /// For a row standing for several missed runs: the last of them.
    pub scheduled_last: Option<String>,
    pub count: i64,
    pub started: Option<String>,
    pub ended: Option<String>,
    pub exit_status: Option<i32>,
    pub result: String,
    pub duration_seconds: Option<f64>,
    /// The node that claimed the run (a PostgreSQL state); null otherwise.
    pub node: Option<String>,
    /// Which attempt of its slot, when not the first (a PostgreSQL state's
    /// `on_lost = "rerun"`); null for a first attempt.
    pub attempt: Option<i16>,
    /// What the cluster noted of the run (why it was interrupted, a late
    /// end); null if nothing.
    pub note: Option<String>,
}

/// How long a run took, to the millisecond.
pub(super) fn duration_seconds(row: &RunRow) -> Option<f64> {
    let start = parse(row.started.as_deref()?)?;
    let end = parse(row.ended.as_deref()?)?;
    // A run's length in milliseconds is far below 2^52: exact in an f64.
    #[allow(clippy::cast_precision_loss)]
    let millis = (end - start).num_milliseconds() as f64;
    Some(millis / 1000.0)
}

impl RunReport {
    pub(super) fn new(row: &RunRow, tz: Tz) -> RunReport {
        let precise = |t: &Option<String>| t.as_deref().map(|t| stored(t, tz, true));
        RunReport {
            id: row.id,
            job: row.job.clone(),
            scheduled: stored(&row.scheduled, tz, false),
            scheduled_last: row.scheduled_last.as_deref().map(|t| stored(t, tz, false)),
            count: row.count,
            started: precise(&row.started),
            ended: precise(&row.ended),
            exit_status: row.exit_status,
            result: row.result.to_string(),
            duration_seconds: duration_seconds(row),
            node: row.node.clone(),
            attempt: row.attempt,
            note: row.note.clone(),
        }
    }
}

/// One job: its trigger, what comes next and its last run.
#[derive(Serialize)]
pub(super) struct JobReport {
    pub id: String,
    pub name: Option<String>,
    /// The job's `description` key (`description` is the schedule's meaning).
    pub job_description: Option<String>,
    pub trigger: String,
    /// The trigger in plain words.
    pub description: String,
    pub timezone: String,
    pub paused: bool,
    /// `scheduled`, `due` (a run starts at once), `missed`, `paused`,
    /// `ended`, or `at_start` (a startup job: it runs when `apsched run`
    /// starts, and has no run times).
    pub status: &'static str,
    /// Why, for `missed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The first is in the past when the status is `due`.
    pub next_run_times: Vec<String>,
    pub last_run: Option<RunReport>,
    /// The node that claimed the last run (a PostgreSQL state); null
    /// otherwise.
    pub last_node: Option<String>,
}

impl JobReport {
    pub(super) fn new(job: &Job, plan: &Plan, last: Option<&RunRow>) -> JobReport {
        let (status, reason) = match &plan.status {
            Status::Scheduled => ("scheduled", None),
            Status::Due => ("due", None),
            Status::Missed(why) => ("missed", Some(why.clone())),
            Status::Paused => ("paused", None),
            Status::Ended => ("ended", None),
            Status::AtStart => ("at_start", None),
            Status::ConfigMismatch => ("config_mismatch", plan.label()),
        };
        JobReport {
            id: job.id.clone(),
            name: job.more.name.clone(),
            job_description: job.more.description.clone(),
            trigger: job.trigger.summary(),
            description: meaning(&job.trigger),
            timezone: job.trigger.tz.name().to_string(),
            paused: plan.paused(),
            status,
            reason,
            next_run_times: plan.times.iter().map(schedule_time).collect(),
            last_run: last.map(|r| RunReport::new(r, job.trigger.tz)),
            last_node: last.and_then(|r| r.node.clone()),
        }
    }
}
