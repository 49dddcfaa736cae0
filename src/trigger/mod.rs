//! Triggers: when a job runs. Cron (a [`CronSchedule`] in a zone), interval
//! (every fixed amount of elapsed time) and date (once), with APScheduler's
//! `start_date`, `end_date` and `jitter`.
//!
//! - Cron: fire times of the schedule in the trigger's zone, at or after
//!   `start_date` and at or before `end_date` (both inclusive, as in
//!   APScheduler). The DST policy is the engine's ([`crate::timezone`]).
//! - Interval: `origin + k * period` for k = 0, 1, ... in elapsed time, so DST
//!   does not move them. The origin is `start_date`, or else one period after
//!   the anchor (when the job was first scheduled), as APScheduler does.
//! - Date: `run_date`, once.
//! - Startup: no time by the clock; the scheduler fires it once when it
//!   starts (`scheduler::initial`).
//! - Or and And: combinations of the above, as APScheduler's `OrTrigger`
//!   and `AndTrigger` ([`combined`]). Members share the trigger's zone and
//!   bounds.
//!
//! Jitter is applied by the running scheduler, not here: these are the
//! scheduled times.

mod combined;

use crate::cron::{CronSchedule, Syntax};
use crate::duration;
use crate::timefmt::rfc3339_auto;
use chrono::DateTime;
use chrono_tz::Tz;
use std::sync::Arc;
use std::time::Duration;

/// What kind of trigger, with its own arguments.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// Shared by the jobs of one file that write the same schedule.
    Cron(Arc<CronSchedule>),
    /// Fires every `period` of elapsed time.
    Interval { period: Duration },
    /// Fires once.
    Date { run_date: Box<DateTime<Tz>> },
    /// Fires once each time the scheduler starts; it has no time by the
    /// clock, so [`Trigger::next_after`] is always `None`.
    Startup,
    /// Fires at every time any member fires, once for an instant two
    /// members share (`cron = [...]`, `trigger = "or"`).
    Or(Box<[Kind]>),
    /// Fires at the times all members share (`trigger = "and"`), found by a
    /// bounded search: see [`AND_STEPS`].
    And(Box<[Kind]>),
}

/// How many candidate times an `and` tries before it says its members
/// never agree again: each is the latest of the members' next times.
pub(crate) const AND_STEPS: usize = 10_000;

/// A trigger with its zone and bounds.
#[derive(Clone, Debug, PartialEq)]
pub struct Trigger {
    pub kind: Kind,
    /// The zone fire times are computed and shown in.
    pub tz: Tz,
    pub start_date: Option<Box<DateTime<Tz>>>,
    pub end_date: Option<Box<DateTime<Tz>>>,
    /// Each run starts up to this much later (applied when running).
    pub jitter: Option<Duration>,
}

fn nanos(t: &DateTime<Tz>) -> i128 {
    i128::from(t.timestamp()) * 1_000_000_000 + i128::from(t.timestamp_subsec_nanos())
}

fn from_nanos(n: i128, tz: Tz) -> Option<DateTime<Tz>> {
    let secs = i64::try_from(n.div_euclid(1_000_000_000)).ok()?;
    let sub = u32::try_from(n.rem_euclid(1_000_000_000)).ok()?;
    Some(DateTime::from_timestamp(secs, sub)?.with_timezone(&tz))
}

impl Trigger {
    /// The first scheduled time strictly after `after`. `anchor` is when an
    /// interval job without `start_date` was first scheduled; it is ignored
    /// by other triggers.
    pub fn next_after(&self, after: &DateTime<Tz>, anchor: &DateTime<Tz>) -> Option<DateTime<Tz>> {
        let next = self.next_of(&self.kind, after, anchor)?;
        (!self.past_end(&next)).then_some(next)
    }

    /// Whether `t` is after `end_date`.
    fn past_end(&self, t: &DateTime<Tz>) -> bool {
        self.end_date.as_deref().is_some_and(|end| t > end)
    }

    /// The first time of `kind` (this trigger's or one of its members)
    /// strictly after `after`, in this trigger's zone and from its
    /// `start_date`, ignoring `end_date`.
    fn next_of(
        &self,
        kind: &Kind,
        after: &DateTime<Tz>,
        anchor: &DateTime<Tz>,
    ) -> Option<DateTime<Tz>> {
        match kind {
            Kind::Cron(schedule) => self.next_cron(schedule, after),
            Kind::Interval { period } => self.next_interval(*period, after, anchor),
            Kind::Date { run_date } => {
                (**run_date > *after).then(|| run_date.with_timezone(&self.tz))
            }
            Kind::Startup => None,
            Kind::Or(members) => members
                .iter()
                .filter_map(|m| self.next_of(m, after, anchor))
                .min(),
            Kind::And(members) => combined::agreed(self, members, after, anchor),
        }
    }

    fn next_cron(&self, schedule: &CronSchedule, after: &DateTime<Tz>) -> Option<DateTime<Tz>> {
        // Fire times are whole seconds: "at or after start" is "strictly
        // after the second before start, rounded up".
        let from = match self.start_date.as_deref() {
            Some(start) if start > after => {
                let back = i64::from(start.timestamp_subsec_nanos() == 0);
                DateTime::from_timestamp(start.timestamp() - back, 0)?.with_timezone(&self.tz)
            }
            _ => after.with_timezone(&self.tz),
        };
        schedule.next_after(&from)
    }

    fn next_interval(
        &self,
        period: Duration,
        after: &DateTime<Tz>,
        anchor: &DateTime<Tz>,
    ) -> Option<DateTime<Tz>> {
        let period = i128::try_from(period.as_nanos()).ok().filter(|p| *p > 0)?;
        let origin = match self.start_date.as_deref() {
            Some(start) => nanos(start),
            None => nanos(anchor) + period,
        };
        let t = nanos(after);
        let k = if t < origin {
            0
        } else {
            (t - origin) / period + 1
        };
        from_nanos(origin + k * period, self.tz)
    }

    /// Why a trigger that repeats has no time after `now`, for a message
    /// that goes on from "never fires: "; `None` if it has one, and for a
    /// date or startup trigger (a date that passed still runs by its grace
    /// time, as in APScheduler).
    pub(crate) fn never_fires(&self, now: &DateTime<chrono::Utc>) -> Option<String> {
        if matches!(self.kind, Kind::Date { .. } | Kind::Startup) {
            return None;
        }
        let now = now.with_timezone(&self.tz);
        self.next_after(&now, &now).is_none().then(|| match self.kind {
            Kind::And(_) => format!(
                "the triggers of {} agree on no time after now (tried {AND_STEPS} candidate times)",
                self.summary()
            ),
            _ => format!("{} has no time after now", self.summary()),
        })
    }

    /// Up to `count` scheduled times strictly after `after`.
    pub fn upcoming(
        &self,
        after: &DateTime<Tz>,
        anchor: &DateTime<Tz>,
        count: usize,
    ) -> Vec<DateTime<Tz>> {
        let mut times = Vec::new();
        let mut cursor = *after;
        while times.len() < count {
            match self.next_after(&cursor, anchor) {
                Some(t) => {
                    cursor = t;
                    times.push(t);
                }
                None => break,
            }
        }
        times
    }

    /// A text that changes whenever the trigger's definition does; saved
    /// state is only reused for a job whose fingerprint is unchanged.
    pub fn fingerprint(&self) -> String {
        let kind = kind_text(&self.kind, true);
        let time = |t: Option<&DateTime<Tz>>| t.map(DateTime::to_rfc3339).unwrap_or_default();
        format!(
            "{kind}|{}|{}|{}|{}",
            self.tz.name(),
            time(self.start_date.as_deref()),
            time(self.end_date.as_deref()),
            self.jitter.map(duration::format).unwrap_or_default()
        )
    }

    /// A short text for tables: `cron 30 2 * * *`, `interval 5m`, `date
    /// 2027-01-01T00:00:00+01:00`, `startup`, `or(cron 0 9 * * *; cron 0
    /// 12 * * sat)`.
    pub fn summary(&self) -> String {
        kind_text(&self.kind, false)
    }

    /// As [`Trigger::summary`], with cron schedules in their normalized
    /// form: `or(cron 0 9 * * 1-5; cron 0 12 * * 6)`.
    pub fn normalized(&self) -> String {
        kind_text(&self.kind, true)
    }
}

/// A short text for `kind`, as [`Trigger::summary`]; `normalized` writes
/// cron schedules in their normalized form (for fingerprints).
fn kind_text(kind: &Kind, normalized: bool) -> String {
    match kind {
        Kind::Cron(schedule) if normalized => format!("cron {}", schedule.normalized()),
        Kind::Cron(schedule) if schedule.syntax() == Syntax::Fields => {
            schedule.source().to_string()
        }
        Kind::Cron(schedule) => format!("cron {}", schedule.source()),
        Kind::Interval { period } => format!("interval {}", duration::format(*period)),
        Kind::Date { run_date } => format!("date {}", rfc3339_auto(run_date)),
        Kind::Startup => "startup".to_string(),
        Kind::Or(members) => combined::text("or", members, normalized),
        Kind::And(members) => combined::text("and", members, normalized),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, tz: Tz) -> DateTime<Tz> {
        DateTime::parse_from_rfc3339(text)
            .expect("time")
            .with_timezone(&tz)
    }

    fn trigger(kind: Kind, tz: Tz) -> Trigger {
        Trigger {
            kind,
            tz,
            start_date: None,
            end_date: None,
            jitter: None,
        }
    }

    fn texts(times: &[DateTime<Tz>]) -> Vec<String> {
        times.iter().map(DateTime::to_rfc3339).collect()
    }

    #[test]
    fn interval_runs_in_elapsed_time_through_dst() {
        let berlin = chrono_tz::Europe::Berlin;
        let mut t = trigger(
            Kind::Interval {
                period: Duration::from_secs(3600),
            },
            berlin,
        );
        t.start_date = Some(Box::new(at("2026-03-29T00:30:00+01:00", berlin)));
        let after = at("2026-03-29T00:00:00+01:00", berlin);
        assert_eq!(
            texts(&t.upcoming(&after, &after, 3)),
            [
                "2026-03-29T00:30:00+01:00",
                "2026-03-29T01:30:00+01:00",
                "2026-03-29T03:30:00+02:00"
            ]
        );
    }

    #[test]
    fn interval_without_start_fires_one_period_after_the_anchor() {
        let utc = Tz::UTC;
        let t = trigger(
            Kind::Interval {
                period: Duration::from_secs(300),
            },
            utc,
        );
        let anchor = at("2026-01-01T00:00:00Z", utc);
        let after = at("2026-01-01T00:07:00Z", utc);
        assert_eq!(
            texts(&t.upcoming(&anchor, &anchor, 2)),
            ["2026-01-01T00:05:00+00:00", "2026-01-01T00:10:00+00:00"]
        );
        assert_eq!(
            texts(&t.upcoming(&after, &anchor, 1)),
            ["2026-01-01T00:10:00+00:00"]
        );
    }

    #[test]
    fn cron_bounds_are_inclusive() {
        let utc = Tz::UTC;
        let schedule: CronSchedule = "0 * * * *".parse().expect("valid");
        let mut t = trigger(Kind::Cron(Arc::new(schedule)), utc);
        t.start_date = Some(Box::new(at("2026-01-01T05:00:00Z", utc)));
        t.end_date = Some(Box::new(at("2026-01-01T07:00:00Z", utc)));
        let after = at("2026-01-01T00:00:00Z", utc);
        assert_eq!(
            texts(&t.upcoming(&after, &after, 5)),
            [
                "2026-01-01T05:00:00+00:00",
                "2026-01-01T06:00:00+00:00",
                "2026-01-01T07:00:00+00:00"
            ]
        );
    }

    #[test]
    fn date_fires_once() {
        let utc = Tz::UTC;
        let run_date = at("2027-01-01T00:00:00Z", utc);
        let t = trigger(
            Kind::Date {
                run_date: Box::new(run_date),
            },
            utc,
        );
        let after = at("2026-01-01T00:00:00Z", utc);
        assert_eq!(
            texts(&t.upcoming(&after, &after, 3)),
            ["2027-01-01T00:00:00+00:00"]
        );
        assert_eq!(t.summary(), "date 2027-01-01T00:00:00+00:00");
    }
}
