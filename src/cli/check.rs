//! `apsched check`: load and validate a schedule file, and show what
//! `apsched run` would do with each job now.

use super::error::Error;
use super::meaning::meaning;
use super::output::{print, print_json};
use super::plan::{self, Plan, Status};
use super::report::{self, JobReport};
use super::target::Target;
use super::times::schedule_time;
use crate::config::{Command, Config, ConfigError, Diagnostic, Job};
use crate::store::Location;
use crate::store::sqlite::SqliteStore;
use chrono::Utc;
use serde_json::json;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::rc::Rc;

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

/// One job's line: its id, trigger, next run and meaning. Neighbours with
/// the same trigger and plan share their texts: a large file repeats them.
struct Row<'a> {
    id: &'a str,
    trigger: Rc<str>,
    next: Rc<str>,
    meaning: Rc<str>,
}

/// How a job's command runs: through the shell, or as argv.
fn how(job: &Job) -> &'static str {
    match &*job.command {
        Command::Shell(_) => "shell",
        Command::Argv(_) => "argv",
        Command::Call(_) => "function",
    }
}

fn rows<'a>(config: &'a Config, plans: &'a [Plan]) -> Vec<Row<'a>> {
    let mut rows: Vec<Row<'a>> = Vec::with_capacity(config.jobs.len());
    let mut last: Option<(&Job, &Plan)> = None;
    for (job, plan) in config.jobs.iter().zip(plans) {
        let form = how(job);
        let same_trigger = last.is_some_and(|(j, _)| j.trigger == job.trigger && how(j) == form);
        let same_plan = last.is_some_and(|(_, p)| p == plan);
        let before = rows.last();
        let (trigger, meaning) = match before {
            Some(row) if same_trigger => (row.trigger.clone(), row.meaning.clone()),
            _ => (
                format!(
                    "{} ({}, {form})",
                    job.trigger.summary(),
                    job.trigger.tz.name()
                )
                .into(),
                meaning(&job.trigger).into(),
            ),
        };
        let next = match before {
            Some(row) if same_plan => row.next.clone(),
            _ => next_text(plan).into(),
        };
        rows.push(Row {
            id: &job.id,
            trigger,
            next,
            meaning,
        });
        last = Some((job, plan));
    }
    rows
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
    let rows = rows(config, plans);
    let width = |f: for<'r> fn(&'r Row<'_>) -> &'r str| {
        rows.iter().map(|r| f(r).chars().count()).max().unwrap_or(0)
    };
    let id_width = width(|r| r.id);
    let trigger_width = width(|r| &r.trigger);
    let next_width = width(|r| &r.next);
    // The table's size, at least (a width counts characters): one
    // allocation, not a doubling one that holds twice the text at its peak.
    let padded = id_width + trigger_width + next_width + 9;
    text.reserve(rows.iter().map(|r| padded + r.meaning.len()).sum());
    for row in &rows {
        let (id, trigger, next) = (row.id, &*row.trigger, &*row.next);
        let _ = writeln!(
            text,
            "  {id:id_width$}  {trigger:trigger_width$}  {next:next_width$}  {}",
            row.meaning
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
