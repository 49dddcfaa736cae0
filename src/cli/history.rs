//! `apsched history`: recent runs, newest first.

use super::control::Target;
use super::output::{print, print_json};
use crate::error::Error;
use crate::store::sqlite::SqliteStore;
use crate::store::{RunRow, Store, parse};
use tabled::settings::Style;
use tabled::{Table, Tabled};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this job's runs
    #[arg(value_name = "JOB")]
    job: Option<String>,
    /// How many runs to show
    #[arg(long, short = 'n', value_name = "N", default_value_t = 20)]
    count: usize,
    /// Print a JSON array, newest first
    #[arg(long)]
    json: bool,
    /// Print the saved output (its last few KB) of the run with this number
    #[arg(long, value_name = "RUN")]
    output: Option<i64>,
    #[command(flatten)]
    target: Target,
}

#[derive(Tabled)]
struct Line {
    #[tabled(rename = "RUN")]
    run: i64,
    #[tabled(rename = "JOB")]
    job: String,
    #[tabled(rename = "SCHEDULED")]
    scheduled: String,
    #[tabled(rename = "STARTED")]
    started: String,
    #[tabled(rename = "DURATION")]
    duration: String,
    #[tabled(rename = "RESULT")]
    result: String,
    #[tabled(rename = "EXIT")]
    exit: String,
}

fn duration(row: &RunRow) -> Option<f64> {
    let start = parse(row.started.as_deref()?)?;
    let end = parse(row.ended.as_deref()?)?;
    Some((end - start).num_milliseconds() as f64 / 1000.0)
}

pub fn run(args: &Args) -> Result<(), Error> {
    let (config, state) = args.target.resolve()?;
    let store = match &state {
        Some(path) => SqliteStore::open_read_only(path, config.scheduler.history)?,
        None => None,
    };
    let rows = match &store {
        Some(s) => s.history(
            args.job.as_deref(),
            if args.output.is_some() {
                usize::MAX >> 1
            } else {
                args.count
            },
        )?,
        None => Vec::new(),
    };
    if let Some(id) = args.output {
        let row = rows
            .iter()
            .find(|r| r.id == id)
            .ok_or_else(|| Error::Time {
                text: id.to_string(),
                reason: "no run with this number in the history (see apsched history)".into(),
            })?;
        return print(&String::from_utf8_lossy(
            row.output.as_deref().unwrap_or_default(),
        ));
    }
    if args.json {
        let values: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                let mut v = serde_json::to_value(r).unwrap_or_default();
                v["duration_seconds"] = duration(r).map_or(serde_json::Value::Null, Into::into);
                v
            })
            .collect();
        return print_json(&values);
    }
    if rows.is_empty() {
        return print("no runs recorded\n");
    }
    let lines: Vec<Line> = rows
        .iter()
        .map(|r| Line {
            run: r.id,
            job: r.job.clone(),
            scheduled: r.scheduled.clone(),
            started: r.started.clone().unwrap_or_default(),
            duration: duration(r).map(|d| format!("{d:.3}s")).unwrap_or_default(),
            result: match &r.scheduled_last {
                Some(last) => format!("{} x{} (to {last})", r.result, r.count),
                None if r.count > 1 => format!("{} x{}", r.result, r.count),
                None => r.result.clone(),
            },
            exit: r.exit_status.map(|e| e.to_string()).unwrap_or_default(),
        })
        .collect();
    let mut table = Table::new(lines);
    table.with(Style::blank());
    print(&format!("{table}\n"))
}
