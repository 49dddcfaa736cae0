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

mod host;

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
        self.runs_of(job).map(|(t, _)| t.to_rfc3339()).collect()
    }

    /// Scheduled times of one job's runs, in the job's zone.
    pub(super) fn scheduled(&self, job: &str) -> Vec<String> {
        self.runs_of(job).map(|(_, s)| s.to_rfc3339()).collect()
    }

    /// (start, scheduled time) of one job's runs.
    fn runs_of<'a>(
        &'a self,
        job: &'a str,
    ) -> impl Iterator<Item = (&'a DateTime<Utc>, &'a DateTime<Tz>)> {
        (self.starts.iter())
            .filter(move |(_, j, _)| j == job)
            .map(|(t, _, s)| (t, s))
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
