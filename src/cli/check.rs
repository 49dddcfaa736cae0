//! `apsched check`: load and validate a schedule file, and show what
//! `apsched run` would do with each job now.

use super::error::Error;
use super::meaning::meaning;
use super::output::{print, print_json};
use super::plan::{self, Plan, Status};
use super::report::{self, JobReport};
use super::target::Target;
use super::times::schedule_time;
use crate::config::{Command, Config, ConfigError, Diagnostic};
use crate::store::Location;
use crate::store::sqlite::SqliteStore;
use chrono::Utc;
use serde_json::json;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The schedule file, as with -f
    #[arg(value_name = "FILE", conflicts_with = "file")]
    path: Option<PathBuf>,
    /// Print one JSON object: valid, path, timezone, state, warnings and the
    /// jobs as `list --json` shows them (or the problems)
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: Target,
}

/// What comes next for a job, in a few words.
fn next_text(plan: &Plan) -> String {
    let first = plan.times.first().map(schedule_time);
    match (&plan.status, first) {
        (Status::Due, Some(t)) => format!("due now ({t})"),
        (Status::Missed(why), Some(t)) => format!("missed: {why}; next {t}"),
        (Status::Scheduled, Some(t)) => format!("next {t}"),
        _ => plan.label().unwrap_or_default(),
    }
}

fn text(config: &Config, plans: &[Plan]) -> String {
    let mut text = String::new();
    let n = config.jobs.len();
    let _ = writeln!(
        text,
        "{}: valid, {n} job{} (time zone {})",
        config.path.display(),
        if n == 1 { "" } else { "s" },
        config.scheduler.timezone.name()
    );
    let rows: Vec<[String; 3]> = config
        .jobs
        .iter()
        .zip(plans)
        .map(|(job, plan)| {
            let how = match &*job.command {
                Command::Shell(_) => "shell",
                Command::Argv(_) => "argv",
            };
            let trigger = format!(
                "{} ({}, {how})",
                job.trigger.summary(),
                job.trigger.tz.name()
            );
            [job.id.clone(), trigger, next_text(plan)]
        })
        .collect();
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (id_width, trigger_width, next_width) = (width(0), width(1), width(2));
    for ([id, trigger, next], job) in rows.iter().zip(&config.jobs) {
        let _ = writeln!(
            text,
            "  {id:id_width$}  {trigger:trigger_width$}  {next:next_width$}  {}",
            meaning(&job.trigger)
        );
    }
    text
}

fn problems_json(path: &std::path::Path, diagnostics: &[Diagnostic]) -> serde_json::Value {
    let problems: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            json!({
                "file": d.file.display().to_string(),
                "line": d.line,
                "column": d.column,
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect();
    json!({"valid": false, "path": path.display().to_string(), "problems": problems})
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let target = args.target.with_argument(args.path.as_deref());
    let config = match target.load(false) {
        Err(Error::Config(ConfigError::Invalid { path, diagnostics })) if args.json => {
            print_json(&problems_json(&path, &diagnostics))?;
            return Err(ConfigError::Invalid { path, diagnostics }.into());
        }
        other => other?,
    };
    for warning in &config.warnings {
        eprintln!("apsched: warning: {warning}");
    }
    let state = target.state_to_read(&config)?;
    if let Some(path) = state.file() {
        SqliteStore::check_path(path)?;
    }
    let saved = report::saved(&state)?;
    let now = Utc::now();
    let plans: Vec<Plan> = config
        .jobs
        .iter()
        .map(|job| {
            let stored = saved.jobs.get(&job.id);
            let plan = plan::at_start(job, stored, now, 1);
            if matches!(state, Location::Database(_)) {
                plan::in_cluster(job, stored, plan)
            } else {
                plan
            }
        })
        .collect();
    if !args.json {
        return print(&text(&config, &plans));
    }
    let jobs: Vec<JobReport> = config
        .jobs
        .iter()
        .zip(&plans)
        .map(|(job, plan)| JobReport::new(job, plan, saved.last.get(&job.id)))
        .collect();
    print_json(&json!({
        "valid": true,
        "path": config.path.display().to_string(),
        "timezone": config.scheduler.timezone.name(),
        "state": (state != Location::Memory).then(|| state.describe()),
        "warnings": config.warnings,
        "jobs": jobs,
    }))
}
