//! `apsched run-now JOB`: runs a job once now, through the running scheduler
//! (and waits for the outcome) or, when none runs, here in the foreground.
//! Either way the run is recorded like any other and the command reports
//! its number and how it ended; it exits 0 only when the run succeeded.

use super::control::{Target, job};
use super::error::Error;
use crate::config::{Job, Settings};
use crate::host::hooks::Direct;
use crate::host::run_direct;
use crate::scheduler::{Notice, Outcome, RunEnd, initial};
use crate::store::{Answer, RunResult, RunRow, StateStore, parse};
use chrono::Utc;
use std::fmt::Write as _;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// How often the state is read while waiting.
const POLL: Duration = Duration::from_millis(50);
/// How long the running scheduler may take to answer a request.
const ANSWER_WITHIN: Duration = Duration::from_secs(10);
/// How long to wait for a finished run's output to be saved.
const OUTPUT_WITHIN: Duration = Duration::from_secs(2);

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The job id
    #[arg(value_name = "JOB")]
    job: String,
    /// Through a running scheduler: only ask, do not wait for the run
    #[arg(long)]
    no_wait: bool,
    #[command(flatten)]
    target: Target,
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let (config, state) = args.target.resolve()?;
    let job = job(&config, &args.job)?;
    let history = config.scheduler.history;
    let mut store = state.open(history)?;
    if let Some(who) = store.runner() {
        return through_scheduler(&mut *store, &who, job, args.no_wait);
    }
    if initial::paused(
        job.paused,
        store
            .saved_job(&job.id)
            .map_err(|e| store.named_error(e))?
            .as_ref(),
    ) {
        return Err(refused(job, "it is paused (apsched resume it first)"));
    }
    direct(&mut *store, job, &config.scheduler)
}

fn refused(job: &Job, reason: &str) -> Error {
    Error::RunRefused {
        job: job.id.clone(),
        reason: reason.into(),
    }
}

/// Runs the job here, recorded like any run.
fn direct(
    store: &mut dyn StateStore,
    job: &std::sync::Arc<Job>,
    settings: &Settings,
) -> Result<(), Error> {
    let hooks = Direct::start(settings, job);
    let now = Utc::now();
    let record = store
        .add_run(&job.id, now)
        .map_err(|e| store.named_error(e))?;
    store
        .run_started(record, now)
        .map_err(|e| store.named_error(e))?;
    let scheduled = now.with_timezone(&job.trigger.tz);
    hooks.tell(&Notice::Started {
        job: job.id.clone(),
        record,
        scheduled,
        started: now,
    });
    let (outcome, tail) = run_direct(job, record, &settings.shell, scheduled);
    let (exit, result) = match &outcome {
        Outcome::Exited(0) => (Some(0), RunResult::Success),
        Outcome::Exited(code) => (Some(*code), RunResult::Failed),
        _ => (None, RunResult::Failed),
    };
    let ended = Utc::now();
    store
        .run_ended(record, Some(ended), exit, result)
        .map_err(|e| store.named_error(e))?;
    store
        .run_output(record, &tail)
        .map_err(|e| store.named_error(e))?;
    if !matches!(outcome, Outcome::NotStarted(_)) {
        hooks.tail(record, &tail);
    }
    hooks.tell(&Notice::Ended(Box::new(RunEnd {
        job: job.id.clone(),
        record,
        scheduled,
        started: now,
        ended,
        outcome: outcome.clone(),
        result,
    })));
    hooks.finish();
    let took = (ended - now).to_std().unwrap_or_default();
    match outcome {
        Outcome::Exited(0) => succeeded(job, record, took),
        other => Err(Error::JobFailed {
            job: job.id.clone(),
            how: other.describe(),
            run: record,
        }),
    }
}

// The success arm of a run's result, beside the failure arms that return errors.
#[allow(clippy::unnecessary_wraps)]
fn succeeded(job: &Job, record: i64, took: Duration) -> Result<(), Error> {
    eprintln!(
        "apsched: run {record} of job {} succeeded (exit status 0, {:.3}s)",
        job.id,
        took.as_secs_f64()
    );
    Ok(())
}

/// Asks the running scheduler and, unless `no_wait`, waits for the run.
fn through_scheduler(
    store: &mut dyn StateStore,
    who: &str,
    job: &Job,
    no_wait: bool,
) -> Result<(), Error> {
    let request = store
        .request_run(&job.id)
        .map_err(|e| store.named_error(e))?;
    store.wake();
    if no_wait {
        return super::output::print(&format!(
            "asked the running scheduler ({who}) to run job {} now; see apsched history {}\n",
            job.id, job.id
        ));
    }
    let record = match answer(store, job, request)? {
        Answer::Run(record) => record,
        Answer::Refused(reason) => return Err(refused(job, &reason)),
    };
    let row = finished(store, job, record)?;
    print_output(store, job, record)?;
    report(job, &row)
}

/// Waits for the scheduler's answer to `request`.
fn answer(store: &dyn StateStore, job: &Job, request: i64) -> Result<Answer, Error> {
    let gone = |why: &str| Error::NoOutcome {
        job: job.id.clone(),
        why: why.into(),
    };
    let began = Instant::now();
    loop {
        if let Some(answer) = store
            .request_answer(request)
            .map_err(|e| store.named_error(e))?
        {
            return Ok(answer);
        }
        if store.runner().is_none() {
            return Err(gone("the scheduler stopped before it took the request"));
        }
        if began.elapsed() > ANSWER_WITHIN {
            return Err(gone(
                "the running scheduler did not answer within 10s; see its log",
            ));
        }
        sleep(POLL);
    }
}

/// Waits for run `record` to end; its row.
fn finished(store: &dyn StateStore, job: &Job, record: i64) -> Result<RunRow, Error> {
    let gone = |why: &str| Error::NoOutcome {
        job: job.id.clone(),
        why: why.into(),
    };
    let done = |r: &RunRow| !matches!(r.result, RunResult::Pending | RunResult::Started);
    loop {
        let row = store.run(record).map_err(|e| store.named_error(e))?;
        if let Some(row) = row.filter(done) {
            return Ok(row);
        }
        if store.runner().is_none() {
            return Err(gone(&format!(
                "the scheduler stopped before run {record} ended; see apsched history"
            )));
        }
        sleep(POLL);
    }
}

/// Prints the run's saved output (its last 4 KB), tagged with the job id
/// as the scheduler forwards it.
fn print_output(store: &dyn StateStore, job: &Job, record: i64) -> Result<(), Error> {
    let began = Instant::now();
    let mut output = None;
    while output.is_none() && began.elapsed() < OUTPUT_WITHIN {
        output = store
            .run(record)
            .map_err(|e| store.named_error(e))?
            .and_then(|r| r.output);
        if output.is_none() {
            sleep(POLL);
        }
    }
    let text = String::from_utf8_lossy(output.as_deref().unwrap_or_default()).into_owned();
    let mut tagged = String::new();
    for l in text.lines() {
        // Writing to a String cannot fail.
        let _ = writeln!(tagged, "{}| {l}", job.id);
    }
    super::output::print(&tagged)
}

/// The outcome of a finished run, as the command's result.
fn report(job: &Job, row: &RunRow) -> Result<(), Error> {
    let took = row
        .started
        .as_deref()
        .and_then(parse)
        .zip(row.ended.as_deref().and_then(parse))
        .and_then(|(s, e)| (e - s).to_std().ok())
        .unwrap_or_default();
    let how = match (row.result, row.exit_status) {
        (RunResult::Success, _) => return succeeded(job, row.id, took),
        (RunResult::Failed, Some(code)) => format!("exit status {code}"),
        (RunResult::Failed, None) => {
            "killed by a signal or could not start (see the scheduler's log)".into()
        }
        (other, _) => other.to_string(),
    };
    Err(Error::JobFailed {
        job: job.id.clone(),
        how,
        run: row.id,
    })
}
