//! The fields of each event, typed: text, numbers, durations, flags.

use super::Event;
use crate::timefmt::{rfc3339_millis_z, rfc3339_secs, rfc3339_secs_z};
use chrono::DateTime;
use chrono_tz::Tz;
use std::time::Duration;

/// One value of an event, typed so that JSON logs keep numbers numbers.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Field {
    Text(String),
    Number(i64),
    /// Shown as `1.500s` in text and as `KEY_seconds: 1.5` in JSON.
    Seconds(Duration),
    Flag(bool),
}

impl Field {
    /// The value as text (logfmt quoting is the logger's).
    pub(crate) fn text(&self) -> String {
        match self {
            Field::Text(t) => t.clone(),
            Field::Number(n) => n.to_string(),
            Field::Seconds(d) => format!("{:.3}s", d.as_secs_f64()),
            Field::Flag(b) => b.to_string(),
        }
    }
}

/// A scheduled time: RFC 3339 in the job's zone, to the second.
fn time(t: &DateTime<Tz>) -> Field {
    Field::Text(rfc3339_secs(t))
}

fn secs(d: &Duration) -> Field {
    Field::Seconds(*d)
}

fn num(n: impl TryInto<i64>) -> Field {
    Field::Number(n.try_into().unwrap_or(i64::MAX))
}

fn text(t: impl Into<String>) -> Field {
    Field::Text(t.into())
}

/// `job=ID`.
fn job(j: &str) -> (&'static str, Field) {
    ("job", text(j))
}

/// `next_run_time=TIME`, or `none`.
fn next(n: Option<&DateTime<Tz>>) -> (&'static str, Field) {
    ("next_run_time", n.map_or(text("none"), time))
}

impl Event {
    /// The event's fields as key and value texts, in a fixed order.
    pub(crate) fn fields(&self) -> Vec<(&'static str, Field)> {
        match self {
            Event::SchedulerStarted { .. }
            | Event::SchedulerShutdown { .. }
            | Event::SchedulerStopped
            | Event::Sleeping { .. }
            | Event::Woke { .. }
            | Event::Claimed { .. }
            | Event::OutputSaved { .. }
            | Event::ReloadFailed { .. }
            | Event::Reloaded { .. }
            | Event::ConfigWarning { .. }
            | Event::FileChanged { .. }
            | Event::WatchFailed { .. }
            | Event::ClockWatchFailed { .. }
            | Event::NotifyFailed { .. }
            | Event::HookFailed { .. }
            | Event::MetricsListening { .. } => scheduler_fields(self),
            Event::JobAdded { .. }
            | Event::JobModified { .. }
            | Event::JobRemoved { .. }
            | Event::JobPaused { .. }
            | Event::JobResumed { .. }
            | Event::RunNowRefused { .. } => job_fields(self),
            Event::JobSubmitted { .. }
            | Event::JobExecuted { .. }
            | Event::JobError { .. }
            | Event::JobMissed { .. }
            | Event::JobCatchUp { .. }
            | Event::JobMaxInstances { .. }
            | Event::JobTimedOut { .. }
            | Event::JobKilled { .. } => run_fields(self),
            Event::StateInterrupted { .. }
            | Event::OrphanEnded { .. }
            | Event::StateSetAside { .. }
            | Event::StateError { .. }
            | Event::StateFailing { .. }
            | Event::StateRecovered { .. } => state_fields(self),
            Event::NodeStarted { .. }
            | Event::ClaimLost { .. }
            | Event::RunLost { .. }
            | Event::LeaseLostKilled { .. }
            | Event::HeartbeatFailed { .. }
            | Event::HeartbeatRecovered { .. }
            | Event::ClockOffset { .. } => super::cluster::fields(self),
        }
    }
}

/// The scheduler's own events: start, stop, sleep, reload.
fn scheduler_fields(event: &Event) -> Vec<(&'static str, Field)> {
    match event {
        Event::SchedulerStarted { jobs } => vec![("jobs", num(*jobs))],
        Event::SchedulerShutdown { running, timeout } => {
            vec![
                ("running", num(*running)),
                ("shutdown_timeout", secs(timeout)),
            ]
        }
        Event::SchedulerStopped => vec![],
        Event::Sleeping { until, due } => {
            let mut f: Vec<_> = (until.iter())
                .map(|u| ("until", text(rfc3339_millis_z(u))))
                .collect();
            match due {
                Some(crate::scheduler::Due::Slot(j)) => f.extend([("for", text("slot")), job(j)]),
                Some(crate::scheduler::Due::Deadline { job: j, run }) => {
                    f.extend([("for", text("deadline")), job(j), ("run", num(*run))]);
                }
                None if until.is_none() => f.push(("for", text("nothing_due"))),
                None => f.push(("for", text("clock_check"))),
            }
            f
        }
        Event::Woke {
            reason,
            job: j,
            run,
        } => {
            let mut f = vec![("reason", text(*reason))];
            f.extend(j.iter().map(|j| job(j)));
            f.extend(run.iter().map(|r| ("run", num(*r))));
            f
        }
        Event::Claimed { job: j, slot, runs } => {
            let runs: Vec<String> = runs.iter().map(i64::to_string).collect();
            vec![
                job(j),
                ("slot", text(rfc3339_secs_z(slot))),
                ("runs", text(runs.join(","))),
            ]
        }
        Event::OutputSaved { run, bytes } => {
            vec![("run", num(*run)), ("bytes", num(*bytes))]
        }
        Event::ReloadFailed { problem } => vec![("problem", text(problem.clone()))],
        Event::Reloaded {
            added,
            removed,
            modified,
            unchanged,
        } => vec![
            ("added", num(*added)),
            ("removed", num(*removed)),
            ("modified", num(*modified)),
            ("unchanged", num(*unchanged)),
        ],
        Event::ConfigWarning { warning } => vec![("warning", text(warning.clone()))],
        Event::FileChanged { path } => vec![("path", text(path.clone()))],
        Event::MetricsListening { addr } => vec![("addr", text(addr.clone()))],
        Event::WatchFailed { error }
        | Event::ClockWatchFailed { error }
        | Event::NotifyFailed { error } => {
            vec![("error", text(error.clone()))]
        }
        Event::HookFailed {
            hook,
            event,
            job: j,
            reason,
        } => {
            // Not `event`: a JSON log line's `event` is the line's own.
            let mut fields = vec![("hook", text(*hook)), ("hook_event", text(*event))];
            fields.extend(j.as_deref().map(job));
            fields.push(("reason", text(reason.clone())));
            fields
        }
        _ => Vec::new(),
    }
}

/// Events of a job's schedule: added, changed, removed, paused.
fn job_fields(event: &Event) -> Vec<(&'static str, Field)> {
    match event {
        Event::JobAdded {
            job: j,
            next: n,
            paused,
        } => {
            let mut f = vec![job(j), next(n.as_ref())];
            if *paused {
                f.push(("paused", Field::Flag(true)));
            }
            f
        }
        Event::JobModified { job: j, next: n } | Event::JobResumed { job: j, next: n } => {
            vec![job(j), next(n.as_ref())]
        }
        Event::JobRemoved { job: j, reason } => vec![job(j), ("reason", text(*reason))],
        Event::JobPaused { job: j } => vec![job(j)],
        Event::RunNowRefused { job: j, reason } => {
            vec![job(j), ("reason", text(reason.clone()))]
        }
        _ => Vec::new(),
    }
}

/// Events of a job's runs: submitted, ended, missed, skipped, ended by force.
fn run_fields(event: &Event) -> Vec<(&'static str, Field)> {
    match event {
        Event::JobSubmitted {
            job: j,
            run,
            scheduled,
        } => {
            vec![job(j), ("run", num(*run)), ("scheduled", time(scheduled))]
        }
        Event::JobExecuted {
            job: j,
            run,
            scheduled,
            duration,
        } => vec![
            job(j),
            ("run", num(*run)),
            ("scheduled", time(scheduled)),
            ("exit", Field::Number(0)),
            ("duration", secs(duration)),
        ],
        Event::JobError {
            job: j,
            run,
            scheduled,
            reason,
            duration,
        } => vec![
            job(j),
            ("run", num(*run)),
            ("scheduled", time(scheduled)),
            ("error", text(reason.clone())),
            ("duration", secs(duration)),
        ],
        Event::JobMissed {
            job: j,
            scheduled,
            late,
        } => {
            vec![job(j), ("scheduled", time(scheduled)), ("late", secs(late))]
        }
        Event::JobCatchUp {
            job: j,
            due,
            missed,
            run,
            coalesced,
            first,
            last,
        } => vec![
            job(j),
            ("due", num(*due)),
            ("missed", num(*missed)),
            ("run", num(*run)),
            ("coalesced", num(*coalesced)),
            ("first", time(first)),
            ("last", time(last)),
        ],
        Event::JobMaxInstances {
            job: j,
            scheduled,
            running,
        } => vec![
            job(j),
            ("scheduled", time(scheduled)),
            ("running", num(*running)),
        ],
        Event::JobTimedOut {
            job: j,
            run,
            timeout,
        } => {
            vec![job(j), ("run", num(*run)), ("timeout", secs(timeout))]
        }
        Event::JobKilled { job: j, run } => vec![job(j), ("run", num(*run))],
        _ => Vec::new(),
    }
}

/// Events of the state store: what was found at start, failures.
fn state_fields(event: &Event) -> Vec<(&'static str, Field)> {
    match event {
        Event::StateInterrupted { count, unknown } => {
            vec![("interrupted", num(*count)), ("unknown", num(*unknown))]
        }
        Event::OrphanEnded { job: j, run, pgid } => {
            vec![job(j), ("run", num(*run)), ("pgid", num(*pgid))]
        }
        Event::StateSetAside { job: j, reason } => {
            vec![job(j), ("reason", text(reason.clone()))]
        }
        Event::StateError { error } => vec![("error", text(error.clone()))],
        Event::StateFailing { error } => vec![
            ("error", text(error.clone())),
            ("runs", text("held until the state can be written")),
        ],
        Event::StateRecovered { after } => vec![("after", secs(after))],
        _ => Vec::new(),
    }
}
