//! The runner: the loop that drives the pure [`Scheduler`] with the outside
//! world, reached only through the [`Host`] seam (clock, waiting, processes,
//! logs, reloading). The real host sleeps, spawns and writes
//! ([`crate::host`]); tests use a simulated one that runs days in
//! milliseconds.

use crate::config::{Job, Settings};
use crate::scheduler::{Action, Change, Event, Outcome, Record, RunId, RunRequest, Scheduler};
use crate::store::Loaded;
use chrono::{DateTime, Utc};

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
    /// recorded (for a claim: the slot is not ours, so its runs must not start).
    fn persist(&mut self, change: &Change) -> Result<Vec<Record>, String>;
    /// Groups the state changes that follow, up to [`Host::commit`], into
    /// one transaction (startup and reload save many jobs at once).
    fn begin(&mut self) {}
    fn commit(&mut self) {}
}

/// Runs the jobs until shut down, resuming from the `saved` state.
pub fn run(host: &mut impl Host, settings: &Settings, jobs: Vec<Job>, saved: &Loaded, seed: u64) {
    let now = host.now();
    let (mut core, mut actions) = Scheduler::new(settings, jobs, &saved.jobs, now, seed);
    if saved.interrupted > 0 {
        actions.insert(
            0,
            Action::Log(Event::StateInterrupted {
                count: saved.interrupted,
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
    host.begin();
    apply(host, &mut core, actions);
    host.commit();
    let mut stops = 0;
    loop {
        let now = host.now();
        let actions = core.tick(now);
        apply(host, &mut core, actions);
        if core.is_done() {
            return;
        }
        let (wake, due) = match core.next_wake() {
            Some((at, due)) if at < now + MAX_SLEEP => (at, Some(due)),
            _ => (now + MAX_SLEEP, None),
        };
        host.log(&Event::Sleeping { until: wake, due });
        let inputs = host.wait(wake);
        if inputs.is_empty() && host.now() >= wake {
            host.log(&woke("timer", None));
        }
        for input in inputs {
            handle(host, &mut core, input, &mut stops);
        }
        if core.is_done() {
            return;
        }
    }
}

fn woke(reason: &'static str, run: Option<(String, Option<Record>)>) -> Event {
    let (job, run) = run.map_or((None, None), |(j, r)| (Some(j), r));
    Event::Woke { reason, job, run }
}

/// Acts on one input that woke the runner.
fn handle(host: &mut impl Host, core: &mut Scheduler, input: Input, stops: &mut u32) {
    let now = host.now();
    let reason = match &input {
        Input::Exited { .. } => "child_exit",
        Input::Stop | Input::Reload => "signal",
        Input::Paused { .. } | Input::RunNow { .. } => "control",
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
            *stops += 1;
            core.shutdown(now, *stops > 1)
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
    };
    if paused && !actions.is_empty() {
        host.log(&woke(reason, about));
    }
    if batch {
        host.begin();
    }
    apply(host, core, actions);
    if batch {
        host.commit();
    }
}

/// Carries out actions, then starts what may start; a run that cannot
/// start is finished at once, which may produce more actions.
fn apply(host: &mut impl Host, core: &mut Scheduler, actions: Vec<Action>) {
    let mut work = std::collections::VecDeque::from(actions);
    loop {
        while let Some(action) = work.pop_front() {
            match action {
                Action::Start(request) => {
                    if let Err(why) = host.start(&request) {
                        let now = host.now();
                        work.extend(core.finished(request.run, Outcome::NotStarted(why), now));
                    }
                }
                Action::Terminate(run) => host.signal(run, false),
                Action::Kill(run) => host.signal(run, true),
                Action::Log(event) => host.log(&event),
                Action::Persist(change) => persist(host, core, &change),
            }
        }
        // Runs start only after every claim before them is recorded.
        let now = host.now();
        work.extend(core.dispatch(now));
        if work.is_empty() {
            return;
        }
    }
}

/// Writes a change and gives the run its history numbers; a run whose
/// slots were not recorded is not ours to run: at most once per slot.
fn persist(host: &mut impl Host, core: &mut Scheduler, change: &Change) {
    match host.persist(change) {
        Ok(records) => {
            if let Change::Claim { claim, .. } = change {
                host.log(&Event::Claimed {
                    job: claim.job.clone(),
                    slot: claim.expected,
                    runs: records.clone(),
                });
            }
            if let Some(run) = change.run() {
                core.recorded(run, records);
            }
        }
        Err(why) => {
            host.log(&Event::StateError { error: why });
            if let Some(run) = change.run() {
                core.abandon(run);
            }
        }
    }
}
