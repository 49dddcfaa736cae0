//! `apsched list`: the jobs of a schedule file and their next run times.

use super::output::{count_in_range, print, print_json};
use crate::config::{self, Config, Job};
use crate::error::Error;
use crate::store::RunRow;
use crate::store::sqlite::SqliteStore;
use crate::timespec::parse_time;
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use tabled::settings::Style;
use tabled::{Table, Tabled};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schedule file [default: $APSCHED_CONFIG, else ./schedules.toml]
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Show run times strictly after this time instead of now (same forms
    /// as `validate --after`; local times are read in the scheduler's zone)
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// How many run times to show per job
    #[arg(long, short = 'n', value_name = "N", default_value_t = 1, value_parser = count_in_range)]
    count: usize,
    /// Print a JSON array, one object per job
    #[arg(long)]
    json: bool,
    /// The state file to read last runs from [default: [scheduler] state]
    #[arg(long, value_name = "PATH")]
    state: Option<PathBuf>,
}

/// What the state says of a job: its last run and whether it was paused.
#[derive(Default)]
struct Saved {
    last: HashMap<String, RunRow>,
    paused: HashMap<String, bool>,
}

fn saved(config: &Config, flag: Option<&Path>) -> Result<Saved, Error> {
    let path = match flag {
        Some(p) => Some(p.to_path_buf()),
        None => config.scheduler.state.clone(),
    };
    let Some(store) = path
        .filter(|p| p != Path::new(":memory:"))
        .map(|p| SqliteStore::open_read_only(&p, 1))
        .transpose()?
        .flatten()
    else {
        return Ok(Saved::default());
    };
    Ok(Saved {
        last: store
            .last_runs()?
            .into_iter()
            .map(|r| (r.job.clone(), r))
            .collect(),
        paused: store.job_states()?.into_iter().collect(),
    })
}

#[derive(Serialize)]
struct LastRun {
    scheduled: String,
    started: Option<String>,
    ended: Option<String>,
    exit_status: Option<i32>,
    result: String,
}

#[derive(Serialize)]
struct JobReport {
    id: String,
    name: Option<String>,
    trigger: String,
    timezone: String,
    paused: bool,
    next_run_times: Vec<String>,
    last_run: Option<LastRun>,
}

#[derive(Tabled)]
struct Row {
    #[tabled(rename = "ID")]
    id: String,
    #[tabled(rename = "TRIGGER")]
    trigger: String,
    #[tabled(rename = "NEXT RUN")]
    next: String,
    #[tabled(rename = "IN")]
    until: String,
    #[tabled(rename = "LAST RUN")]
    last: String,
    #[tabled(rename = "RESULT")]
    result: String,
}

pub fn rfc3339(t: &DateTime<Tz>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// "3h 12m", "45s", "2d 4h": how far `to` is from `from`, roughly.
pub fn until(from: &DateTime<Tz>, to: &DateTime<Tz>) -> String {
    let secs = (*to - *from).num_seconds();
    if secs <= 0 {
        return "now".into();
    }
    let (d, h, m, s) = (
        secs / 86_400,
        secs % 86_400 / 3600,
        secs % 3600 / 60,
        secs % 60,
    );
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) if s == 0 => format!("{m}m"),
        (0, 0, _) => format!("{m}m {s}s"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

/// The next run times of a job strictly after `after`; none when paused.
pub fn upcoming(job: &Job, paused: bool, after: &DateTime<Tz>, count: usize) -> Vec<DateTime<Tz>> {
    if paused {
        return Vec::new();
    }
    // Without saved state an interval job is anchored at the reference
    // time, to the whole second.
    let anchor = DateTime::from_timestamp(after.timestamp(), 0)
        .map_or(*after, |t| t.with_timezone(&after.timezone()));
    job.trigger.upcoming(after, &anchor, count)
}

/// The reference time: `--at`, or now, in the scheduler's zone.
pub fn reference_time(at: Option<&str>, config: &Config) -> Result<DateTime<Tz>, Error> {
    let tz = config.scheduler.timezone;
    match at {
        Some(text) => parse_time(text, tz),
        None => Ok(Utc::now().with_timezone(&tz)),
    }
}

pub fn run(args: &Args) -> Result<(), Error> {
    let config = config::load_lenient(&config::locate(args.file.as_deref()))?;
    let at = reference_time(args.at.as_deref(), &config)?;
    let saved = saved(&config, args.state.as_deref())?;
    let paused = |job: &Job| job.paused || saved.paused.get(&job.id).copied().unwrap_or(false);
    if args.json {
        let reports: Vec<JobReport> = config
            .jobs
            .iter()
            .map(|job| JobReport {
                id: job.id.clone(),
                name: job.name.clone(),
                trigger: job.trigger.summary(),
                timezone: job.trigger.tz.name().to_string(),
                paused: paused(job),
                next_run_times: upcoming(job, paused(job), &at, args.count)
                    .iter()
                    .map(rfc3339)
                    .collect(),
                last_run: saved.last.get(&job.id).map(|r| LastRun {
                    scheduled: r.scheduled.clone(),
                    started: r.started.clone(),
                    ended: r.ended.clone(),
                    exit_status: r.exit_status,
                    result: r.result.clone(),
                }),
            })
            .collect();
        return print_json(&reports);
    }
    let rows: Vec<Row> = config
        .jobs
        .iter()
        .map(|job| {
            let times = upcoming(job, paused(job), &at, args.count);
            let next = if paused(job) {
                "paused".to_string()
            } else if times.is_empty() {
                "never".to_string()
            } else {
                times.iter().map(rfc3339).collect::<Vec<_>>().join("\n")
            };
            let last = saved.last.get(&job.id);
            Row {
                id: job.id.clone(),
                trigger: job.trigger.summary(),
                next,
                until: times.first().map(|t| until(&at, t)).unwrap_or_default(),
                last: last
                    .map(|r| r.started.clone().unwrap_or_else(|| r.scheduled.clone()))
                    .unwrap_or_default(),
                result: last.map(|r| r.result.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let mut table = Table::new(rows);
    table.with(Style::blank());
    print(&format!("{table}\n"))
}
