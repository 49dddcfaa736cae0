//! The runner: the loop that drives the pure [`Scheduler`] with the outside
//! world, reached only through the [`Host`] seam (clock, waiting, processes,
//! logs, reloading). The real host (in the `host` module) sleeps, spawns
//! and writes; tests use a simulated one that runs days in milliseconds.

mod apply;
mod outage;
#[cfg(test)]
mod sim;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_record;
#[cfg(test)]
mod tests_runs;

use crate::config::{Job, Settings};
use crate::scheduler::{Action, Change, Event, Outcome, Record, RunId, RunRequest, Scheduler};
use crate::store::{JobState, Loaded};
use apply::apply;
use chrono::{DateTime, Utc};
use outage::Outage;
use std::collections::HashMap;

/// The scheduler re-reads the clock at least this often, so a suspend, an NTP
/// step or a manual clock change is noticed within it.
pub const MAX_SLEEP: chrono::Duration = chrono::Duration::seconds(60);

/// Something that happened outside while the runner waited.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// A run's process ended.
    Exited { run: RunId, outcome: Outcome },
    /// SIGINT or SIGTERM: shut down (a second one: at once).
    Stop,
    /// SIGHUP: reload the schedule file.
    Reload,
    /// `apsched pause` or `resume` changed the state.
    Paused { job: String, paused: bool },
    /// `apsched run-now`, and its request's number.
    RunNow { job: String, request: Option<i64> },
    /// A write the host made on its own (a run's output) failed.
    StoreFailed { error: String },
}

/// Why a state change was not written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersistError {
    /// The store refused it: the slot was claimed before. Not ours to run.
    Refused(String),
    /// The store cannot be written now (full disk, I/O error, ...).
    Failed(String),
}

/// Everything the runner needs from the world.
pub trait Host {
    /// The wall clock.
    fn now(&mut self) -> DateTime<Utc>;
    /// Waits until `deadline` or until inputs arrive, and returns them.
    fn wait(&mut self, deadline: DateTime<Utc>) -> Vec<Input>;
    /// Starts the run's process; an error means it could not start.
    fn start(&mut self, run: &RunRequest) -> Result<(), String>;
    /// Sends SIGTERM (or SIGKILL with `kill`) to the run's process group.
    fn signal(&mut self, run: RunId, kill: bool);
    fn log(&mut self, event: &Event);
    /// Reads the schedule file again; the problems if it is not valid.
    fn reload(&mut self) -> Result<(Settings, Vec<Job>), Vec<String>>;
    /// Writes a state change; returns the history numbers of the runs it
    /// recorded (a claim's slots, a run-now). An error means it was not
    /// recorded: a claim or start that was not recorded does not run. The
    /// host keeps failed records of runs that happened (ends, output) and
    /// writes them on [`Host::recover`].
    fn persist(&mut self, change: &Change) -> Result<Vec<Record>, PersistError>;
    /// After a failed write: writes what was kept and, if the store works
    /// again, returns every job's saved state.
    fn recover(&mut self) -> Result<HashMap<String, JobState>, String>;
    /// Groups the state changes that follow, up to [`Host::commit`], into
    /// one transaction (startup and reload save many jobs at once).
    fn begin(&mut self) {}
    fn commit(&mut self) {}
}

/// How a run of the scheduler ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
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

/// Runs the jobs until shut down, resuming from the `saved` state.
pub fn run(
    host: &mut impl Host,
    settings: &Settings,
    jobs: Vec<Job>,
    saved: &Loaded,
    seed: u64,
) -> Ending {
    let now = host.now();
    let (mut core, mut actions) = Scheduler::new(settings, jobs, &saved.jobs, now, seed);
    if saved.interrupted + saved.unknown > 0 {
        actions.insert(
            0,
            Action::Log(Event::StateInterrupted {
                count: saved.interrupted,
                unknown: saved.unknown,
            }),
        );
    }
    for (job, reason) in &saved.set_aside {
        let event = Event::StateSetAside {
            job: job.clone(),
            reason: reason.clone(),
        };
        actions.insert(0, Action::Log(event));
    }
    let mut state = Loop::default();
    host.begin();
    apply(host, &mut core, actions, &mut state.outage);
    host.commit();
    loop {
        let now = host.now();
        if let Some(o) = &mut state.outage
            && now >= o.next_try
        {
            match host.recover() {
                Ok(saved) => {
                    let since = o.since;
                    state.outage = None;
                    let after = (now - since).to_std().unwrap_or_default();
                    host.log(&Event::StateRecovered { after });
                    let actions = core.resync(&saved, now);
                    apply(host, &mut core, actions, &mut state.outage);
                }
                Err(_) => o.retry_later(now),
            }
        }
        let actions = core.tick(now);
        apply(host, &mut core, actions, &mut state.outage);
        if core.is_done() {
            break;
        }
        let (mut wake, mut due) = match core.next_wake() {
            Some((at, due)) if at < now + MAX_SLEEP => (at, Some(due)),
            _ => (now + MAX_SLEEP, None),
        };
        if let Some(o) = &state.outage
            && o.next_try < wake
        {
            (wake, due) = (o.next_try, None);
        }
        host.log(&Event::Sleeping { until: wake, due });
        let inputs = host.wait(wake);
        if inputs.is_empty() && host.now() >= wake {
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
        Input::Paused { .. } | Input::RunNow { .. } => "control",
        Input::StoreFailed { .. } => "store",
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
    let batch = input == Input::Reload;
    let actions = match input {
        Input::Exited { run, outcome } => core.finished(run, outcome, now),
        Input::Stop => {
            state.stops += 1;
            core.shutdown(now, state.stops > 1)
        }
        Input::Paused { job, paused } => core.set_paused(&job, paused, now),
        Input::RunNow { job, request } => core.run_now(&job, request, now),
        Input::Reload => match host.reload() {
            Ok((settings, jobs)) => core.reload(&settings, jobs, now),
            Err(problems) => problems
                .into_iter()
                .map(|problem| Action::Log(Event::ReloadFailed { problem }))
                .collect(),
        },
        Input::StoreFailed { .. } => Vec::new(),
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
}
