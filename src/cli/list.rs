//! `apsched list`: the jobs of a schedule file and what `apsched run` will do
//! with each: its next run times (from the state file when there is one),
//! a run due at once or missed, and its last run.

use super::error::Error;
use super::meaning::meaning;
use super::output::{positive_count, print, print_json};
use super::plan::{self, Plan, Status};
use super::report::{self, JobReport};
use super::target::Target;
use super::times::{schedule_time, stored, until};
use crate::config::Job;
use crate::store::postgres::nodes::NodeRow;
use crate::store::{Location, RunRow};
use crate::timespec::parse_time;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::path::PathBuf;
use tabled::settings::object::Columns;
use tabled::settings::{Remove, Style, Width};
use tabled::{Table, Tabled};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The schedule file, as with -f
    #[arg(value_name = "FILE", conflicts_with = "file")]
    path: Option<PathBuf>,
    /// Show the run times strictly after this time instead of what happens
    /// now (same forms as `validate --after`; local times are read in the
    /// scheduler's zone)
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// How many run times to show per job
    #[arg(long, short = 'n', value_name = "N", default_value_t = 1, value_parser = positive_count)]
    count: usize,
    /// Print a JSON array, one object per job
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    target: Target,
}

#[derive(Tabled)]
struct Row {
    #[tabled(rename = "ID")]
    id: String,
    #[tabled(rename = "TRIGGER")]
    trigger: String,
    #[tabled(rename = "MEANING")]
    meaning: String,
    #[tabled(rename = "NEXT RUN")]
    next: String,
    #[tabled(rename = "IN")]
    until: String,
    #[tabled(rename = "LAST RUN")]
    last: String,
    #[tabled(rename = "RESULT")]
    result: String,
    /// The node that ran the last run; the column is left out unless the
    /// state is a database.
    #[tabled(rename = "NODE")]
    node: String,
    /// The job's `description`; the column is left out when no job has one.
    #[tabled(rename = "DESCRIPTION")]
    description: String,
}

/// The NEXT RUN cell: the status, if any, then the run times.
fn next_cell(plan: &Plan) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut times = plan.times.iter();
    match &plan.status {
        Status::Due => {
            let due = times.next().map(schedule_time).unwrap_or_default();
            lines.push(format!("due now ({due})"));
        }
        _ => lines.extend(plan.label()),
    }
    lines.extend(times.map(schedule_time));
    lines.join("\n")
}

/// A text as one table cell: its whitespace runs (newlines too) as one
/// space, control characters left out.
fn cell(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

/// The IN cell: how far each run time of the NEXT RUN cell is, line by line.
fn until_cell(plan: &Plan, reference: &DateTime<Tz>) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut times = plan.times.iter();
    match &plan.status {
        Status::Due => {
            times.next();
            lines.push("now".into());
        }
        Status::Scheduled => {}
        // The status line has no time of its own.
        _ => lines.push(String::new()),
    }
    lines.extend(times.map(|t| until(reference, t)));
    lines.join("\n").trim_end().to_string()
}

/// The index of the NODE column.
const NODE_COLUMN: usize = 7;

/// The line under the table of a cluster: its live nodes.
fn nodes_line(nodes: &[NodeRow]) -> String {
    let live: Vec<&str> = nodes
        .iter()
        .filter(|n| n.alive)
        .map(|n| n.id.as_str())
        .collect();
    if live.is_empty() {
        return "nodes: none live\n".into();
    }
    format!("nodes: {} ({} live)\n", live.join(", "), live.len())
}

/// The widest a MEANING cell grows before its words wrap.
const MEANING_WIDTH: usize = 40;

fn row(job: &Job, plan: &Plan, last: Option<&RunRow>, reference: &DateTime<Utc>) -> Row {
    let tz = job.trigger.tz;
    let until = until_cell(plan, &reference.with_timezone(&tz));
    Row {
        id: job.id.clone(),
        trigger: job.trigger.summary(),
        meaning: meaning(&job.trigger),
        next: next_cell(plan),
        until,
        last: last
            .map(|r| match &r.started {
                Some(s) => stored(s, tz, true),
                None => stored(&r.scheduled, tz, false),
            })
            .unwrap_or_default(),
        result: last.map(|r| r.result.to_string()).unwrap_or_default(),
        node: last.and_then(|r| r.node.clone()).unwrap_or_default(),
        description: job
            .more
            .description
            .as_deref()
            .map(cell)
            .unwrap_or_default(),
    }
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let target = args.target.with_argument(args.path.as_deref());
    let config = target.load(true)?;
    let state = target.state_to_read(&config)?;
    let saved = report::saved(&state)?;
    let now = Utc::now();
    let at = match &args.at {
        Some(text) => Some(parse_time(text, config.scheduler.timezone, now)?),
        None => None,
    };
    let cluster = matches!(state, Location::Database(_));
    let plans: Vec<Plan> = config
        .jobs
        .iter()
        .map(|job| {
            let saved = saved.jobs.get(&job.id);
            let plan = match &at {
                Some(at) => plan::after(job, saved, at, args.count),
                None => plan::at_start(job, saved, now, args.count),
            };
            if cluster {
                plan::in_cluster(job, saved, plan)
            } else {
                plan
            }
        })
        .collect();
    if args.json {
        let reports: Vec<JobReport> = config
            .jobs
            .iter()
            .zip(&plans)
            .map(|(job, plan)| JobReport::new(job, plan, saved.last.get(&job.id)))
            .collect();
        return print_json(&reports);
    }
    let reference = at.map_or(now, |t| t.with_timezone(&Utc));
    let rows: Vec<Row> = config
        .jobs
        .iter()
        .zip(&plans)
        .map(|(job, plan)| row(job, plan, saved.last.get(&job.id), &reference))
        .collect();
    print(&table_text(rows, state.nodes()?.as_deref()))
}

/// The table, without the DESCRIPTION column when no job has one and the
/// NODE column unless the state is a cluster's (`nodes`), whose live nodes
/// follow it.
fn table_text(rows: Vec<Row>, nodes: Option<&[NodeRow]>) -> String {
    let described = rows.iter().any(|r| !r.description.is_empty());
    let mut table = Table::new(rows);
    table
        .with(Style::blank())
        .modify(Columns::one(2), Width::wrap(MEANING_WIDTH).keep_words(true));
    if !described {
        table.with(Remove::column(Columns::last()));
    }
    if nodes.is_none() {
        table.with(Remove::column(Columns::one(NODE_COLUMN)));
    }
    let mut text = format!("{table}\n");
    if let Some(nodes) = nodes {
        text.push_str(&nodes_line(nodes));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_in_cell_has_a_line_per_run_time() {
        let tz = Tz::UTC;
        let at = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .expect("time")
                .with_timezone(&tz)
        };
        let reference = at("2027-01-01T00:00:00Z");
        let times = vec![at("2026-12-31T23:00:00Z"), at("2027-01-01T00:00:45Z")];
        let plan = |status| Plan {
            status,
            times: times.clone(),
        };
        let cases = [
            (Status::Due, "now\n45s"),
            (Status::Scheduled, "now\n45s"),
            (Status::Missed("late".into()), "\nnow\n45s"),
            (Status::Ended, ""),
        ];
        for (status, want) in cases {
            let status_text = format!("{status:?}");
            let plan = match status {
                Status::Ended => Plan {
                    status,
                    times: Vec::new(),
                },
                other => plan(other),
            };
            assert_eq!(until_cell(&plan, &reference), want, "{status_text}");
        }
    }
}
