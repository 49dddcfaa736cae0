//! A simulated [`Host`] for tests: virtual time that jumps from event to
//! event, processes that "run" for a set time, and a script of signals,
//! reloads and clock jumps. Days of schedule run in milliseconds.

use super::{Host, Input, PersistError, RecoverError, ReloadError, StartError};
use crate::config::{self, Job, Settings};
use crate::scheduler::persist::JobState;
use crate::scheduler::{Change, Event, Notice, Outcome, Record, RunId, RunRequest};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Something the script does at a moment.
#[derive(Clone, Debug)]
pub(super) enum Step {
    Stop,
    /// SIGHUP, with the file text the reload will read.
    Reload(String),
    /// The watched file changed to this text (`--watch`).
    FileChanged(String),
    /// The wall clock jumps to this instant.
    Jump(DateTime<Utc>),
    /// Another host sharing the store claims the job's slots: its saved
    /// next run time moves to this one.
    Claimed(String, DateTime<Utc>),
}

/// How a simulated process behaves.
#[derive(Clone, Copy, Debug)]
pub(super) enum Behavior {
    /// Exits with the status after the duration.
    Runs(Duration, i32),
    /// Runs until signaled; ends on SIGTERM.
    Forever,
    /// Runs until SIGKILL.
    IgnoresTerm,
    /// Never ends, not even on SIGKILL (uninterruptible sleep).
    Stuck,
}

pub(super) struct Sim {
    pub now: DateTime<Utc>,
    /// After this the simulation sends a stop.
    pub end: DateTime<Utc>,
    pub behavior: HashMap<String, Behavior>,
    pub script: BTreeMap<DateTime<Utc>, Step>,
    pub reload_text: String,
    /// Starts that fail, by job id.
    pub unstartable: Vec<String>,
    exits: BTreeMap<(DateTime<Utc>, RunId), Outcome>,
    procs: HashMap<RunId, String>,
    stopped: bool,
    /// Every logged event with its virtual time.
    pub events: Vec<(DateTime<Utc>, Event)>,
    /// Every started run: (virtual time, job id, scheduled time).
    pub starts: Vec<(DateTime<Utc>, String, DateTime<Tz>)>,
    pub signals: Vec<(DateTime<Utc>, RunId, bool)>,
    /// Every state change, in order.
    pub changes: Vec<Change>,
    /// History numbers given so far.
    records: Record,
    /// Every job's state as the store holds it.
    pub saved: HashMap<String, JobState>,
    /// How many saved states start-up asked for, at each ask.
    pub asked: Vec<usize>,
    /// Writes fail from the first instant until the second.
    pub fail_writes: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// When the runner tried the store again.
    pub recoveries: Vec<DateTime<Utc>>,
    /// Every notice, with how many changes were written before it.
    pub notices: Vec<(usize, Notice)>,
    /// The store is shared with other hosts (a cluster's).
    pub shared: bool,
    /// How long each start takes (the clock moves on by it).
    pub spawn_time: Duration,
    /// A clock jump wakes the runner at once ([`Input::ClockSet`]), as the
    /// real host's clock watch does; else it waits at most a minute.
    pub clock_steps: bool,
}

/// Parses a schedule file text (zone UTC unless it says otherwise).
pub(super) fn jobs(text: &str) -> (Settings, Vec<Arc<Job>>) {
    let config = config::parse(Path::new("sim.toml"), text).unwrap_or_else(|d| panic!("{d:?}"));
    (config.scheduler, config.jobs)
}

pub(super) fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

impl Sim {
    pub(super) fn new(start: &str, end: &str) -> Sim {
        Sim {
            now: at(start),
            end: at(end),
            behavior: HashMap::new(),
            script: BTreeMap::new(),
            reload_text: String::new(),
            unstartable: Vec::new(),
            exits: BTreeMap::new(),
            procs: HashMap::new(),
            stopped: false,
            events: Vec::new(),
            starts: Vec::new(),
            signals: Vec::new(),
            changes: Vec::new(),
            records: 0,
            saved: HashMap::new(),
            asked: Vec::new(),
            fail_writes: None,
            recoveries: Vec::new(),
            notices: Vec::new(),
            shared: false,
            spawn_time: Duration::ZERO,
            clock_steps: false,
        }
    }

    /// Start times (RFC 3339, UTC) of one job's runs.
    pub(super) fn started(&self, job: &str) -> Vec<String> {
        self.starts
            .iter()
            .filter(|(_, j, _)| j == job)
            .map(|(t, _, _)| t.to_rfc3339())
            .collect()
    }

    /// Scheduled times of one job's runs, in the job's zone.
    pub(super) fn scheduled(&self, job: &str) -> Vec<String> {
        self.starts
            .iter()
            .filter(|(_, j, _)| j == job)
            .map(|(_, _, s)| s.to_rfc3339())
            .collect()
    }

    /// Logged events with this name.
    pub(super) fn named(&self, name: &str) -> Vec<&Event> {
        self.events
            .iter()
            .filter(|(_, e)| e.name() == name)
            .map(|(_, e)| e)
            .collect()
    }

    fn failing(&self) -> bool {
        self.fail_writes
            .is_some_and(|(from, until)| self.now >= from && self.now < until)
    }

    fn exit(&mut self, run: RunId, outcome: Outcome) {
        self.exits.retain(|(_, r), _| *r != run);
        self.exits.insert((self.now, run), outcome);
    }
}

impl Host for Sim {
    fn now(&mut self) -> DateTime<Utc> {
        self.now
    }

    fn saved_states(&mut self, ids: &[&str]) -> HashMap<String, JobState> {
        self.asked.push(ids.len());
        let saved = ids
            .iter()
            .filter_map(|id| Some((*id, self.saved.get(*id)?)));
        saved.map(|(id, s)| (id.to_string(), s.clone())).collect()
    }

    fn wait(&mut self, deadline: DateTime<Utc>) -> Vec<Input> {
        let exit = self.exits.keys().next().map(|(t, _)| *t);
        let step = self.script.keys().next().copied();
        let stop = (!self.stopped).then_some(self.end);
        let t = [Some(deadline), exit, step, stop]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(deadline);
        if t > self.now {
            self.now = t;
        }
        if exit == Some(t) {
            let mut inputs = Vec::new();
            while let Some(entry) = self.exits.first_entry() {
                if entry.key().0 > t {
                    break;
                }
                let ((_, run), outcome) = entry.remove_entry();
                self.procs.remove(&run);
                inputs.push(Input::Exited { run, outcome });
            }
            return inputs;
        }
        if step == Some(t) {
            return match self.script.remove(&t) {
                Some(Step::Stop) => vec![Input::Stop],
                Some(Step::Reload(text)) => {
                    self.reload_text = text;
                    vec![Input::Reload]
                }
                Some(Step::FileChanged(text)) => {
                    self.reload_text = text;
                    vec![Input::FileChanged]
                }
                Some(Step::Jump(to)) => {
                    self.now = to;
                    if self.clock_steps {
                        vec![Input::ClockSet]
                    } else {
                        Vec::new()
                    }
                }
                Some(Step::Claimed(job, next)) => {
                    if let Some(st) = self.saved.get_mut(&job) {
                        st.next_run = Some(next);
                    }
                    Vec::new()
                }
                None => Vec::new(),
            };
        }
        // What is due at the end moment happens before the stop.
        if stop == Some(t) && deadline > t {
            self.stopped = true;
            return vec![Input::Stop];
        }
        Vec::new()
    }

    fn notices_clock_steps(&self) -> bool {
        self.clock_steps
    }

    fn start(&mut self, run: &RunRequest) -> Result<(), StartError> {
        if self.unstartable.contains(&run.job.id) {
            return Err(StartError::new("No such file or directory (os error 2)"));
        }
        self.now += self.spawn_time;
        self.starts
            .push((self.now, run.job.id.clone(), run.scheduled));
        self.procs.insert(run.run, run.job.id.clone());
        let behavior = self
            .behavior
            .get(&run.job.id)
            .copied()
            .unwrap_or(Behavior::Runs(Duration::from_secs(1), 0));
        if let Behavior::Runs(d, code) = behavior {
            self.exits
                .insert((self.now + d, run.run), Outcome::Exited(code));
        }
        Ok(())
    }

    fn signal(&mut self, run: RunId, kill: bool) {
        self.signals.push((self.now, run, kill));
        let Some(job) = self.procs.get(&run) else {
            return;
        };
        let behavior = self.behavior.get(job).copied();
        let ignores = matches!(behavior, Some(Behavior::IgnoresTerm | Behavior::Stuck));
        if matches!(behavior, Some(Behavior::Stuck)) {
            return;
        }
        if kill {
            self.exit(run, Outcome::Signaled(9));
        } else if !ignores {
            self.exit(run, Outcome::Signaled(15));
        }
    }

    fn log(&mut self, event: &Event) {
        self.events.push((self.now, event.clone()));
    }

    fn notify(&mut self, notice: Notice) {
        self.notices.push((self.changes.len(), notice));
    }

    fn persist(&mut self, change: &Change) -> Result<Vec<Record>, PersistError> {
        if self.failing() {
            return Err(PersistError::Failed("database or disk is full".into()));
        }
        self.changes.push(change.clone());
        let count = match change {
            Change::Save { job, state } => {
                self.saved.insert(job.clone(), state.clone());
                0
            }
            // A length is at most `isize::MAX`: it fits a `Record`.
            #[allow(clippy::cast_possible_wrap)]
            Change::Claim { claim, .. } => {
                // The store's compare-and-set on the job's next run time.
                let st = self.saved.get_mut(&claim.job);
                match st {
                    Some(st) if st.next_run == Some(claim.expected) => st.next_run = claim.next,
                    // A store shared with other hosts says why, and how
                    // the job stands now.
                    Some(st) if self.shared => {
                        return Err(PersistError::Lost {
                            reason: "another node claimed the slot".into(),
                            saved: Some(st.clone()),
                        });
                    }
                    _ => return Err(PersistError::Refused("already claimed".into())),
                }
                claim.runs.len() as Record
            }
            Change::Extra { .. } => 1,
            _ => 0,
        };
        let first = self.records + 1;
        self.records += count;
        Ok((first..=self.records).collect())
    }

    fn recover(&mut self) -> Result<HashMap<String, JobState>, RecoverError> {
        self.recoveries.push(self.now);
        if self.failing() {
            return Err(RecoverError {
                reason: "database or disk is full".into(),
            });
        }
        Ok(self.saved.clone())
    }

    fn reload(&mut self) -> Result<(Settings, Vec<Arc<Job>>), ReloadError> {
        config::parse(Path::new("sim.toml"), &self.reload_text)
            .map(|c| (c.scheduler, c.jobs))
            .map_err(|d| ReloadError {
                problems: d.iter().map(ToString::to_string).collect(),
            })
    }
}
