//! The runner: the loop that drives the pure [`Scheduler`] with the outside
//! world, reached only through the [`Host`] seam (clock, waiting, processes,
//! logs, reloading). The real host (in the `host` module) sleeps, spawns
//! and writes; tests use a simulated one that runs days in milliseconds.

mod apply;
mod outage;
mod seam;
#[cfg(test)]
mod sim;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_clock;
#[cfg(test)]
mod tests_notice;
#[cfg(test)]
mod tests_record;
#[cfg(test)]
mod tests_runs;
#[cfg(test)]
mod tests_startup;

use crate::config::{Job, Settings};
use crate::scheduler::{Action, Event, Notice, Record, Scheduler};
use apply::apply;
use chrono::{DateTime, Utc};
use outage::Outage;
pub(crate) use seam::{Host, Input, PersistError, RecoverError, ReloadError, StartError};
use std::sync::Arc;

/// On a host that does not notice clock steps, the scheduler re-reads the
/// clock at least this often, so a suspend, an NTP step or a manual clock
/// change is noticed within it.
pub(crate) const MAX_SLEEP: chrono::Duration = chrono::Duration::seconds(60);

/// Jobs added at start between two applications of their actions (log
/// lines, saved states), so those of a large file are never all held.
const START_BATCH: usize = 1024;

/// How a run of the scheduler ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Ending {
    Clean,
    /// The state could not be written when it stopped: since then runs were
    /// neither started nor recorded.
    StoreFailing {
        since: DateTime<Utc>,
        error: String,
    },
}

/// The runner's own state between wake-ups.
#[derive(Default)]
struct Loop {
    stops: u32,
    /// The store cannot be written: no run starts until it can.
    outage: Option<Outage>,
}

/// Runs the jobs until shut down, resuming from every job's saved state
/// ([`Host::saved_states`]).
pub(crate) fn run(
    host: &mut impl Host,
    settings: &Settings,
    jobs: Vec<Arc<Job>>,
    seed: u64,
) -> Ending {
    let now = host.now();
    let (mut core, started) = Scheduler::begin(settings, jobs.len(), seed);
    let mut state = Loop::default();
    host.begin();
    apply(host, &mut core, vec![started], &mut state.outage);
    let mut jobs = jobs.into_iter();
    while jobs.len() > 0 {
        let batch: Vec<Arc<Job>> = jobs.by_ref().take(START_BATCH).collect();
        let ids: Vec<&str> = batch.iter().map(|j| j.id.as_str()).collect();
        let saved = host.saved_states(&ids);
        let mut actions = Vec::with_capacity(2 * START_BATCH);
        core.add_jobs(batch, &saved, now, &mut actions);
        apply(host, &mut core, actions, &mut state.outage);
    }
    host.commit();
    host.settled();
    loop {
        let now = host.now();
        if let Some(o) = &mut state.outage
            && now >= o.next_try
        {
            match host.recover() {
                Ok(saved) => {
                    let since = o.since;
                    let held = std::mem::take(&mut o.held);
                    state.outage = None;
                    for notice in held {
                        host.notify(notice);
                    }
                    let after = (now - since).to_std().unwrap_or_default();
                    host.log(&Event::StateRecovered { after });
                    let actions = core.resync(&saved, now);
                    apply(host, &mut core, actions, &mut state.outage);
                }
                Err(_) => o.retry_later(now),
            }
        }
        // One due job at a time: each run of a burst starts as soon as it
        // is decided and claimed, and its process runs while the next is.
        loop {
            let actions = core.tick(now);
            if actions.is_empty() {
                break;
            }
            apply(host, &mut core, actions, &mut state.outage);
        }
        if core.is_done() {
            break;
        }
        // A host that notices clock steps wakes for them: no cap, and with
        // nothing due no deadline.
        let cap = (!host.notices_clock_steps()).then_some(MAX_SLEEP);
        let (mut wake, mut due) = match core.next_wake() {
            Some((at, due)) if cap.is_none_or(|c| at < now + c) => (Some(at), Some(due)),
            _ => (cap.map(|c| now + c), None),
        };
        if let Some(o) = &state.outage
            && wake.is_none_or(|w| o.next_try < w)
        {
            (wake, due) = (Some(o.next_try), None);
        }
        host.log(&Event::Sleeping { until: wake, due });
        let inputs = host.wait(wake.unwrap_or(DateTime::<Utc>::MAX_UTC));
        if inputs.is_empty() && wake.is_some_and(|w| host.now() >= w) {
            host.log(&woke("timer", None));
        }
        for input in inputs {
            handle(host, &mut core, input, &mut state);
        }
        if core.is_done() {
            break;
        }
    }
    match state.outage {
        None => Ending::Clean,
        Some(o) => Ending::StoreFailing {
            since: o.since,
            error: o.error,
        },
    }
}

fn woke(reason: &'static str, run: Option<(String, Option<Record>)>) -> Event {
    let (job, run) = run.map_or((None, None), |(j, r)| (Some(j), r));
    Event::Woke { reason, job, run }
}

/// Acts on one input that woke the runner.
fn handle(host: &mut impl Host, core: &mut Scheduler, input: Input, state: &mut Loop) {
    let now = host.now();
    if let Input::StoreFailed { error } = input {
        outage::enter(host, core, &mut state.outage, error, now);
        return;
    }
    let reason = match &input {
        Input::Exited { .. } => "child_exit",
        Input::Stop | Input::Reload => "signal",
        Input::FileChanged => "file",
        Input::Paused { .. } | Input::RunNow { .. } => "control",
        Input::StoreFailed { .. } => "store",
        Input::ClockSet => "clock_set",
    };
    let about = match &input {
        Input::Exited { run, .. } => core.describe_run(*run),
        Input::Paused { job, .. } | Input::RunNow { job, .. } => Some((job.clone(), None)),
        _ => None,
    };
    // Every stored pause flag is passed on; only a change is worth a line.
    let paused = matches!(input, Input::Paused { .. });
    if !paused {
        host.log(&woke(reason, about.clone()));
    }
    let batch = matches!(input, Input::Reload | Input::FileChanged);
    let mut reloaded = false;
    let actions = match input {
        Input::Exited { run, outcome } => core.finished(run, &outcome, now),
        Input::Stop => {
            state.stops += 1;
            core.shutdown(now, state.stops > 1)
        }
        Input::Paused { job, paused } => core.set_paused(&job, paused, now),
        Input::RunNow { job, request } => core.run_now(&job, request, now),
        Input::Reload | Input::FileChanged => match host.reload() {
            Ok((settings, jobs)) => {
                reloaded = true;
                core.reload(&settings, jobs, now)
            }
            Err(ReloadError { problems }) => {
                let mut actions: Vec<Action> = (problems.iter().cloned())
                    .map(|problem| Action::Log(Event::ReloadFailed { problem }))
                    .collect();
                actions.push(Action::Notify(Notice::ReloadFailed { problems }));
                actions
            }
        },
        // The loop reads the clock again before it decides anything.
        Input::StoreFailed { .. } | Input::ClockSet => Vec::new(),
    };
    if paused && !actions.is_empty() {
        host.log(&woke(reason, about));
    }
    if batch {
        host.begin();
    }
    apply(host, core, actions, &mut state.outage);
    if batch {
        host.commit();
    }
    if reloaded {
        host.notify(Notice::Reloaded);
        host.settled();
    }
}
