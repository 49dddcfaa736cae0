//! Where a job starts when a scheduler first sees it: from its saved state,
//! or afresh from now. `apsched run` and `apsched list` both ask here, so
//! `list` shows what `run` will do.
//!
//! **Startup jobs** (`trigger = "startup"`) have one rule, here: a job
//! seen when the scheduler starts ([`start`]) is due at that moment, every
//! start, whatever its saved state; a job seen later is not due until the
//! next start: added by a reload ([`later`]), or changed by one (rescheduled
//! by `Trigger::next_after`, which has no time for it). When the state store
//! works again after failing, [`later`] keeps a slot it had saved and not
//! yet claimed.
//!
//! **Pausing.** The file's `paused` applies when a job is first seen and
//! whenever that value in the file changes; `apsched pause`/`resume` win in
//! between. The state keeps the file's value it last applied to tell.

use super::persist::JobState;
use crate::config::Job;
use crate::trigger::Kind;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// How a job starts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Start {
    /// When an interval job without `start_date` was first scheduled.
    pub anchor: DateTime<Tz>,
    /// Its first slot (which may be in the past: then it is due at once and
    /// the misfire rule decides); `None` when the trigger has no more.
    pub next: Option<DateTime<Tz>>,
    pub paused: bool,
    /// Whether the saved state was used (the trigger is unchanged).
    pub restored: bool,
}

/// Whether a job is paused, given the file's value and the saved state.
pub(crate) fn paused(file: bool, saved: Option<&JobState>) -> bool {
    match saved {
        None => file,
        Some(st) => match st.file_paused {
            Some(applied) if applied == file => st.paused,
            Some(_) => file,
            // Saved before the file's value was kept: either pauses.
            None => st.paused || file,
        },
    }
}

/// `t` without its fraction of a second: interval jobs are anchored on whole
/// seconds, so their run times read cleanly.
pub(crate) fn whole_second(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

/// The first run time of a job scheduled afresh at `anchor`. A date
/// trigger's is its `run_date` even when that has passed, as in APScheduler.
pub(crate) fn first_run(job: &Job, anchor: &DateTime<Tz>) -> Option<DateTime<Tz>> {
    match &job.trigger.kind {
        Kind::Date { run_date } => Some(run_date.with_timezone(&job.trigger.tz)),
        _ => job.trigger.next_after(anchor, anchor),
    }
}

/// How `job` starts when the scheduler starts at `now`, given what was
/// saved of it: as [`later`], but a startup job is due at once, its run
/// time `now` itself (not cut to the second: two starts within a second are
/// two runs, where the store refuses a run time claimed twice).
pub(crate) fn start(job: &Job, saved: Option<&JobState>, now: DateTime<Utc>) -> Start {
    let mut start = later(job, saved, now);
    if matches!(job.trigger.kind, Kind::Startup) {
        start.next = Some(now.with_timezone(&job.trigger.tz));
    }
    start
}

/// How `job` starts at `now` in a scheduler already running, given what was
/// saved of it. A job resumed since (by the file) goes on from now: the
/// paused time is not replayed.
pub(crate) fn later(job: &Job, saved: Option<&JobState>, now: DateTime<Utc>) -> Start {
    let tz = job.trigger.tz;
    let paused = paused(job.paused, saved);
    let usable = saved.filter(|st| st.fingerprint == job.trigger.fingerprint() && !st.reschedule);
    match usable {
        Some(st) if st.paused && !paused => {
            let anchor = st.anchor.with_timezone(&tz);
            Start {
                next: job.trigger.next_after(&now.with_timezone(&tz), &anchor),
                anchor,
                paused,
                restored: true,
            }
        }
        Some(st) => Start {
            anchor: st.anchor.with_timezone(&tz),
            next: st.next_run.map(|t| t.with_timezone(&tz)),
            paused,
            restored: true,
        },
        None => {
            let anchor = whole_second(now).with_timezone(&tz);
            Start {
                next: first_run(job, &anchor),
                anchor,
                paused,
                restored: false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(paused: bool, file_paused: Option<bool>) -> JobState {
        JobState {
            fingerprint: String::new(),
            next_run: None,
            anchor: DateTime::UNIX_EPOCH,
            paused,
            file_paused,
            reschedule: false,
        }
    }

    #[test]
    fn the_file_applies_when_first_seen_or_changed_and_commands_win_between() {
        let cases = [
            // (file, saved (paused, file value applied), paused)
            (true, None, true),
            (false, None, false),
            // resumed while the file says paused: the resume holds
            (true, Some((false, Some(true))), false),
            // paused by command while the file says running: holds
            (false, Some((true, Some(false))), true),
            // the file changed: it applies
            (false, Some((true, Some(true))), false),
            (true, Some((false, Some(false))), true),
            // state from before the rule: either pauses
            (true, Some((false, None)), true),
            (false, Some((true, None)), true),
            (false, Some((false, None)), false),
        ];
        for (file, saved, want) in cases {
            let st = saved.map(|(p, f)| state(p, f));
            assert_eq!(paused(file, st.as_ref()), want, "{file} {saved:?}");
        }
    }

    #[test]
    fn a_job_unpaused_by_the_file_goes_on_from_now() {
        let config = crate::config::parse(
            std::path::Path::new("s.toml"),
            "[scheduler]\ntimezone = \"UTC\"\n[jobs.p]\ncommand = \"true\"\ncron = \"0 * * * *\"\n",
        )
        .expect("valid");
        let job = &config.jobs[0];
        let t = |s: &str| DateTime::parse_from_rfc3339(s).expect("time").to_utc();
        let mut st = state(true, Some(true));
        st.fingerprint = job.trigger.fingerprint();
        st.next_run = Some(t("2027-01-01T05:00:00Z"));
        let start = start(job, Some(&st), t("2027-01-03T10:30:00Z"));
        assert!(!start.paused);
        assert_eq!(
            start.next.map(|n| n.to_rfc3339()),
            Some("2027-01-03T11:00:00+00:00".into()),
            "not the saved slot: the paused time is not replayed"
        );
    }
}

#[cfg(test)]
mod startup_tests {
    use super::*;

    #[test]
    fn a_startup_job_is_due_at_every_start_and_not_later() {
        let config = crate::config::parse(
            std::path::Path::new("s.toml"),
            "[scheduler]\ntimezone = \"UTC\"\n[jobs.s]\ncommand = \"true\"\ntrigger = \"startup\"\n",
        )
        .expect("valid");
        let job = &config.jobs[0];
        let t = |s: &str| DateTime::parse_from_rfc3339(s).expect("time").to_utc();
        let now = t("2027-01-03T10:30:00.250Z");
        let ran = JobState {
            fingerprint: job.trigger.fingerprint(),
            next_run: None,
            anchor: t("2027-01-01T00:00:00Z"),
            paused: false,
            file_paused: Some(false),
            reschedule: false,
        };
        let unclaimed = JobState {
            next_run: Some(t("2027-01-03T10:00:00Z")),
            ..ran.clone()
        };
        let paused = JobState {
            paused: true,
            ..ran.clone()
        };
        let shown = |s: Start| (s.next.map(|n| n.to_utc().to_rfc3339()), s.paused);
        let at_now = Some("2027-01-03T10:30:00.250+00:00".to_string());
        // (saved, at a start, later)
        let cases = [
            (None, (at_now.clone(), false), (None, false)),
            (Some(&ran), (at_now.clone(), false), (None, false)),
            (
                Some(&unclaimed),
                (at_now.clone(), false),
                (Some("2027-01-03T10:00:00+00:00".to_string()), false),
            ),
            (Some(&paused), (at_now, true), (None, true)),
        ];
        for (saved, at_start, after) in cases {
            assert_eq!(shown(start(job, saved, now)), at_start, "{saved:?}");
            assert_eq!(shown(later(job, saved, now)), after, "{saved:?}");
        }
    }
}
