//! What `apsched run` will do with a job, for `list` and `check`: where the
//! job starts (its saved state, or afresh, as the scheduler decides in
//! [`initial::start`]), whether a run is due at once or missed (the rule of
//! [`misfire::is_missed`]), and the run times after that.

use super::times::{schedule_time, span};
use crate::config::Job;
use crate::duration;
use crate::scheduler::{initial, misfire};
use crate::store::JobState;
use crate::trigger::Kind;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// Where a job stands.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Status {
    /// Paused: no run times.
    Paused,
    /// Its next run is the first of the times, ahead.
    Scheduled,
    /// A run time has passed and its run starts at once: the first time.
    Due,
    /// The runs due now are later than the grace time: why. The times are
    /// the ones after now.
    Missed(String),
    /// No run ahead.
    Ended,
    /// A startup job: it runs when `apsched run` starts, and has no times.
    AtStart,
    /// A cluster's database keeps another trigger for the job (another
    /// node's newer file): this file's nodes do not claim it. The times
    /// are the stored next run time, when the cluster runs it.
    ConfigMismatch,
}

/// A job's status and run times, in its zone.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Plan {
    pub status: Status,
    pub times: Vec<DateTime<Tz>>,
}

impl Plan {
    pub(super) fn paused(&self) -> bool {
        self.status == Status::Paused
    }

    /// The text of the status for people: "due now", "missed: ...".
    pub(super) fn label(&self) -> Option<String> {
        match &self.status {
            Status::Paused => Some("paused".into()),
            Status::Due => Some("due now".into()),
            Status::Missed(why) => Some(format!("missed: {why}")),
            Status::Ended => Some("no run ahead".into()),
            Status::AtStart => Some("at start".into()),
            Status::ConfigMismatch => {
                Some("config_mismatch: the cluster runs another trigger for this job".into())
            }
            Status::Scheduled => None,
        }
    }
}

/// `plan`, or for a cluster's job whose stored trigger is not this
/// file's, where it stands in the cluster.
pub(super) fn in_cluster(job: &Job, saved: Option<&JobState>, plan: Plan) -> Plan {
    match saved {
        Some(st) if !st.fingerprint.is_empty() && st.fingerprint != job.trigger.fingerprint() => {
            Plan {
                status: Status::ConfigMismatch,
                times: st
                    .next_run
                    .map(|t| t.with_timezone(&job.trigger.tz))
                    .into_iter()
                    .collect(),
            }
        }
        _ => plan,
    }
}

fn ahead(times: Vec<DateTime<Tz>>) -> Plan {
    let status = if times.is_empty() {
        Status::Ended
    } else {
        Status::Scheduled
    };
    Plan { status, times }
}

/// What `run` started at `now` does with `job`, given its saved state: up
/// to `count` run times (the first may be due now, in the past).
pub(super) fn at_start(
    job: &Job,
    saved: Option<&JobState>,
    now: DateTime<Utc>,
    count: usize,
) -> Plan {
    let start = initial::start(job, saved, now);
    if let Some(plan) = untimed(job, start.paused) {
        return plan;
    }
    let Some(first) = start.next else {
        return ahead(Vec::new());
    };
    let tz = job.trigger.tz;
    let now_tz = now.with_timezone(&tz);
    if first > now_tz {
        let mut times = vec![first];
        times.extend(
            job.trigger
                .upcoming(&first, &start.anchor, count.saturating_sub(1)),
        );
        return ahead(times);
    }
    if runs_now(job, &first, &now_tz, &start.anchor) {
        let mut times = vec![first];
        times.extend(
            job.trigger
                .upcoming(&now_tz, &start.anchor, count.saturating_sub(1)),
        );
        return Plan {
            status: Status::Due,
            times,
        };
    }
    Plan {
        status: Status::Missed(missed_reason(job, &first, &now_tz)),
        times: job.trigger.upcoming(&now_tz, &start.anchor, count),
    }
}

/// The run times strictly after `at` (`list --at`), anchored as `run`
/// anchors the job; none when paused.
pub(super) fn after(job: &Job, saved: Option<&JobState>, at: &DateTime<Tz>, count: usize) -> Plan {
    let start = initial::start(job, saved, at.with_timezone(&Utc));
    if let Some(plan) = untimed(job, start.paused) {
        return plan;
    }
    let at = at.with_timezone(&job.trigger.tz);
    ahead(job.trigger.upcoming(&at, &start.anchor, count))
}

/// The plan of a job with no run times: paused, or a startup job.
fn untimed(job: &Job, paused: bool) -> Option<Plan> {
    let status = if paused {
        Status::Paused
    } else if matches!(job.trigger.kind, Kind::Startup) {
        Status::AtStart
    } else {
        return None;
    };
    Some(Plan {
        status,
        times: Vec::new(),
    })
}

/// Whether some run time from `first` to `now` is within the grace time: the
/// first, or else the latest (later slots of a recurring job after downtime).
fn runs_now(job: &Job, first: &DateTime<Tz>, now: &DateTime<Tz>, anchor: &DateTime<Tz>) -> bool {
    let grace = misfire::grace(job);
    let utc = |t: &DateTime<Tz>| t.with_timezone(&Utc);
    if !misfire::is_missed(utc(first), utc(now), grace) {
        return true;
    }
    // The first slot is missed, so `now - grace` is after it: the earliest
    // slot from there on is the only candidate within the grace time.
    let window = grace
        .and_then(|g| chrono::Duration::from_std(g).ok())
        .and_then(|g| now.checked_sub_signed(g + chrono::Duration::nanoseconds(1)));
    window
        .and_then(|from| job.trigger.next_after(&from, anchor))
        .is_some_and(|t| t <= *now && !misfire::is_missed(utc(&t), utc(now), grace))
}

fn missed_reason(job: &Job, first: &DateTime<Tz>, now: &DateTime<Tz>) -> String {
    let ago = span((*now - *first).num_seconds());
    let grace = job
        .more
        .misfire_grace_time
        .map_or_else(|| "none".into(), duration::format);
    match job.trigger.kind {
        Kind::Date { .. } => {
            format!("run_date passed {ago} ago, beyond misfire_grace_time {grace}")
        }
        _ => format!(
            "its runs due since {} ({ago} ago) are beyond misfire_grace_time {grace}",
            schedule_time(first)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;
    use std::path::Path;

    fn job(body: &str) -> Job {
        let text = format!("[scheduler]\ntimezone = \"UTC\"\n[jobs.j]\ncommand = \"x\"\n{body}");
        let mut c = config::load_text(Path::new("s.toml"), &text, None).expect("valid");
        (*c.jobs.remove(0)).clone()
    }

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    fn saved(next: &str, anchor: &str, job: &Job) -> JobState {
        JobState {
            fingerprint: job.trigger.fingerprint(),
            next_run: Some(t(next)),
            anchor: t(anchor),
            paused: false,
            file_paused: Some(false),
            reschedule: false,
        }
    }

    #[test]
    fn a_passed_run_date_is_due_or_missed_by_the_grace_time() {
        let date = "trigger = \"date\"\nrun_date = \"2027-01-01T00:00:00Z\"\n";
        let now = t("2027-01-04T00:00:00Z");
        let cases = [
            ("", Status::Due),
            ("misfire_grace_time = \"4d\"\n", Status::Due),
            (
                "misfire_grace_time = \"1h\"\n",
                Status::Missed("run_date passed 3 days ago, beyond misfire_grace_time 1h".into()),
            ),
            ("paused = true\n", Status::Paused),
        ];
        for (extra, want) in cases {
            let plan = at_start(&job(&format!("{date}{extra}")), None, now, 3);
            assert_eq!(plan.status, want, "{extra}");
        }
    }

    #[test]
    fn saved_state_decides_the_next_run() {
        let every = job("trigger = \"interval\"\nminutes = 10\nmisfire_grace_time = \"1m\"\n");
        let show = |p: Plan| {
            let times: Vec<String> = p.times.iter().map(schedule_time).collect();
            (p.status, times)
        };
        // A running scheduler saved 00:07:30 as next: not anchored at now.
        let st = saved("2027-01-01T00:07:30Z", "2026-12-31T23:57:30Z", &every);
        let plan = at_start(&every, Some(&st), t("2027-01-01T00:05:00Z"), 2);
        assert_eq!(
            show(plan),
            (
                Status::Scheduled,
                vec![
                    "2027-01-01T00:07:30+00:00".into(),
                    "2027-01-01T00:17:30+00:00".to_string()
                ]
            )
        );
        // Stopped for a while: the latest slot 00:37:30 is within a minute.
        let plan = at_start(&every, Some(&st), t("2027-01-01T00:38:00Z"), 2);
        assert_eq!(show(plan).0, Status::Due);
        // ... or not.
        let plan = at_start(&every, Some(&st), t("2027-01-01T00:40:00Z"), 1);
        let (status, times) = show(plan);
        assert!(matches!(status, Status::Missed(_)), "{status:?}");
        assert_eq!(times, ["2027-01-01T00:47:30+00:00"]);
        // Without state: anchored at now.
        let plan = at_start(&every, None, t("2027-01-01T00:05:00.5Z"), 1);
        assert_eq!(show(plan).1, ["2027-01-01T00:15:00+00:00"]);
    }
}
