//! `apsched history`: recent runs, newest first, their times in each job's
//! zone (the scheduler's for jobs no longer in the file).

use super::error::Error;
use super::output::{positive_count, print, print_json};
use super::report::{RunReport, duration_seconds};
use super::target::{Target, job_file_hint, unknown_job};
use super::times::stored;
use crate::config::Config;
use crate::store::Location;
use crate::store::{RunRow, StateStore};
use chrono_tz::Tz;
use tabled::settings::object::Columns;
use tabled::settings::{Remove, Style};
use tabled::{Table, Tabled};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Only this job's runs
    #[arg(value_name = "JOB")]
    job: Option<String>,
    /// How many runs to show
    #[arg(long, short = 'n', value_name = "N", default_value_t = 20, value_parser = positive_count)]
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
    /// Left out unless the state is a database: the node that claimed it.
    #[tabled(rename = "NODE")]
    node: String,
}

/// The zone a job's times are shown in.
fn zone(config: &Config, job: &str) -> Tz {
    config
        .jobs
        .iter()
        .find(|j| j.id == job)
        .map_or(config.scheduler.timezone, |j| j.trigger.tz)
}

fn line(row: &RunRow, tz: Tz) -> Line {
    let scheduled = stored(&row.scheduled, tz, false);
    Line {
        run: row.id,
        job: row.job.clone(),
        scheduled,
        started: row
            .started
            .as_deref()
            .map(|t| stored(t, tz, true))
            .unwrap_or_default(),
        duration: duration_seconds(row)
            .map(|d| format!("{d:.3}s"))
            .unwrap_or_default(),
        result: match &row.scheduled_last {
            Some(last) => format!(
                "{} x{} (to {})",
                row.result,
                row.count,
                stored(last, tz, false)
            ),
            None if row.count > 1 => format!("{} x{}", row.result, row.count),
            None => row.result.to_string(),
        },
        exit: row.exit_status.map(|e| e.to_string()).unwrap_or_default(),
        node: row.node.clone().unwrap_or_else(|| "-".into()),
    }
}

/// The saved output of run `id` (of `job`, if given), or which runs there are.
fn output(store: Option<&dyn StateStore>, job: Option<&str>, id: i64) -> Result<(), Error> {
    let found = match store {
        Some(s) => s
            .run(id)
            .map_err(|e| s.named_error(e))?
            .filter(|r| job.is_none_or(|j| r.job == j)),
        None => None,
    };
    let Some(row) = found else {
        let recorded = match store {
            Some(s) => s.id_range(job).map_err(|e| s.named_error(e))?,
            None => None,
        };
        return Err(Error::NoRun { run: id, recorded });
    };
    print(&String::from_utf8_lossy(
        row.output.as_deref().unwrap_or_default(),
    ))
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let (config, state) = args
        .target
        .resolve_with(true)
        .map_err(|e| match &args.job {
            Some(id) => job_file_hint(e, id),
            None => e,
        })?;
    let store = state.open_read_only(config.scheduler.history)?;
    let rows = match &store {
        Some(s) => (s.history(args.job.as_deref(), args.count)).map_err(|e| s.named_error(e))?,
        None => Vec::new(),
    };
    if let Some(id) = &args.job
        && rows.is_empty()
        && !config.jobs.iter().any(|j| &j.id == id)
    {
        return Err(unknown_job(&config, id));
    }
    if let Some(id) = args.output {
        return output(store.as_deref(), args.job.as_deref(), id);
    }
    if args.json {
        let reports: Vec<RunReport> = rows
            .iter()
            .map(|r| RunReport::new(r, zone(&config, &r.job)))
            .collect();
        return print_json(&reports);
    }
    if rows.is_empty() {
        return print(match state {
            Location::Memory => {
                "no runs are recorded: this schedule keeps no state (state = \":memory:\")\n"
            }
            _ => "no runs recorded\n",
        });
    }
    let lines: Vec<Line> = rows
        .iter()
        .map(|r| line(r, zone(&config, &r.job)))
        .collect();
    let mut table = Table::new(lines);
    table.with(Style::blank());
    if !matches!(state, Location::Database(_)) {
        table.with(Remove::column(Columns::last()));
    }
    print(&format!("{table}\n"))
}
