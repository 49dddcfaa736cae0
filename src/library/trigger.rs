//! [`TriggerSpec`]: when a job added from code runs, written as in a
//! schedule file and checked by the same rules when the job is added.

use crate::config::{MAX_DEPTH, MAX_MEMBERS, Shared};
use crate::trigger::{Kind, Trigger};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::time::Duration;

/// When a job runs: a cron expression, an interval, a date, or a
/// combination of them, with optional bounds, zone and jitter, as in the
/// schedule file (`man 5 apsched.toml`).
///
/// ```
/// use apsched::TriggerSpec;
/// use std::time::Duration;
///
/// // 09:00 on weekdays and 12:00 on Saturdays, in Berlin.
/// let weekdays = TriggerSpec::or([
///     TriggerSpec::cron("0 9 * * mon-fri"),
///     TriggerSpec::cron("0 12 * * sat"),
/// ])
/// .timezone(chrono_tz::Europe::Berlin);
/// // Every 90 seconds, each run up to 5 s late on purpose.
/// let often = TriggerSpec::interval(Duration::from_secs(90)).jitter(Duration::from_secs(5));
/// # let _ = (weekdays, often);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TriggerSpec {
    what: What,
    timezone: Option<Tz>,
    start_date: Option<DateTime<Utc>>,
    end_date: Option<DateTime<Utc>>,
    jitter: Option<Duration>,
}

#[derive(Clone, Debug, PartialEq)]
enum What {
    Cron(String),
    Interval(Duration),
    Date(DateTime<Utc>),
    Or(Vec<TriggerSpec>),
    And(Vec<TriggerSpec>),
}

impl TriggerSpec {
    fn of(what: What) -> TriggerSpec {
        TriggerSpec {
            what,
            timezone: None,
            start_date: None,
            end_date: None,
            jitter: None,
        }
    }

    /// A cron expression, as `cron = "..."` takes it (5 to 7 fields, `@daily`,
    /// `CRON_TZ=` prefixes, `@every 90s`); checked when the job is added.
    ///
    /// ```
    /// use apsched::TriggerSpec;
    /// let weekdays = TriggerSpec::cron("0 9 * * mon-fri");
    /// let every_ten_seconds = TriggerSpec::cron("*/10 * * * * *");
    /// # let _ = (weekdays, every_ten_seconds);
    /// ```
    #[must_use]
    pub fn cron(expression: &str) -> TriggerSpec {
        TriggerSpec::of(What::Cron(expression.to_string()))
    }

    /// Every `period` of elapsed time, from `start_date` or else one period
    /// after the job is first scheduled.
    ///
    /// ```
    /// let every_90s = apsched::TriggerSpec::interval(std::time::Duration::from_secs(90));
    /// # let _ = every_90s;
    /// ```
    #[must_use]
    pub fn interval(period: Duration) -> TriggerSpec {
        TriggerSpec::of(What::Interval(period))
    }

    /// Once, at `run_date`.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// let once = apsched::TriggerSpec::date(Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap());
    /// # let _ = once;
    /// ```
    #[must_use]
    pub fn date(run_date: DateTime<Utc>) -> TriggerSpec {
        TriggerSpec::of(What::Date(run_date))
    }

    /// At every time any member has, once an instant (APScheduler's
    /// `OrTrigger`). Members take no zone, bounds or jitter of their own.
    ///
    /// ```
    /// use apsched::TriggerSpec;
    /// // 09:00 on weekdays and 12:00 on Saturdays.
    /// let both = TriggerSpec::or([
    ///     TriggerSpec::cron("0 9 * * mon-fri"),
    ///     TriggerSpec::cron("0 12 * * sat"),
    /// ]);
    /// # let _ = both;
    /// ```
    #[must_use]
    pub fn or(members: impl IntoIterator<Item = TriggerSpec>) -> TriggerSpec {
        TriggerSpec::of(What::Or(members.into_iter().collect()))
    }

    /// At the times all members share (APScheduler's `AndTrigger`), found
    /// by a bounded search; one that never fires is refused when added.
    ///
    /// ```
    /// use apsched::TriggerSpec;
    /// // Fridays that are the 13th.
    /// let unlucky = TriggerSpec::and([
    ///     TriggerSpec::cron("0 12 13 * *"),
    ///     TriggerSpec::cron("0 12 * * fri"),
    /// ]);
    /// # let _ = unlucky;
    /// ```
    #[must_use]
    pub fn and(members: impl IntoIterator<Item = TriggerSpec>) -> TriggerSpec {
        TriggerSpec::of(What::And(members.into_iter().collect()))
    }

    /// The zone its times are computed in (default: the scheduler's).
    ///
    /// ```
    /// let close = apsched::TriggerSpec::cron("30 16 * * mon-fri").timezone(chrono_tz::America::New_York);
    /// # let _ = close;
    /// ```
    #[must_use]
    pub fn timezone(mut self, tz: Tz) -> TriggerSpec {
        self.timezone = Some(tz);
        self
    }

    /// No run before this time (inclusive).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// let from_2030 = apsched::TriggerSpec::cron("@daily")
    ///     .start_date(Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap());
    /// # let _ = from_2030;
    /// ```
    #[must_use]
    pub fn start_date(mut self, at: DateTime<Utc>) -> TriggerSpec {
        self.start_date = Some(at);
        self
    }

    /// No run after this time (inclusive).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// let until_2030 = apsched::TriggerSpec::cron("@daily")
    ///     .end_date(Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap());
    /// # let _ = until_2030;
    /// ```
    #[must_use]
    pub fn end_date(mut self, at: DateTime<Utc>) -> TriggerSpec {
        self.end_date = Some(at);
        self
    }

    /// Each run starts up to this much later, chosen at random.
    ///
    /// ```
    /// // Each run up to 30 s after its time, so that many hosts do not start at once.
    /// let spread = apsched::TriggerSpec::cron("@hourly").jitter(std::time::Duration::from_secs(30));
    /// # let _ = spread;
    /// ```
    #[must_use]
    pub fn jitter(mut self, jitter: Duration) -> TriggerSpec {
        self.jitter = Some(jitter);
        self
    }

    /// The trigger, in `default` unless it names a zone; a problem, in
    /// words, if it is not valid or has no time after `now`.
    pub(crate) fn build(
        &self,
        default: Tz,
        now: DateTime<Utc>,
        shared: &mut Shared,
    ) -> Result<Trigger, String> {
        let (kind, prefixed) = kind(&self.what, 0, shared)?;
        let tz = match (self.timezone, prefixed) {
            (Some(own), Some(zone)) if own != zone => {
                return Err(format!(
                    "its CRON_TZ prefix sets the zone {} but its timezone is {}",
                    zone.name(),
                    own.name()
                ));
            }
            (own, zone) => own.or(zone).unwrap_or(default),
        };
        let trigger = Trigger {
            kind,
            tz,
            start_date: self.start_date.map(|t| Box::new(t.with_timezone(&tz))),
            end_date: self.end_date.map(|t| Box::new(t.with_timezone(&tz))),
            jitter: self.jitter,
        };
        if let Some(why) = trigger.never_fires(&now) {
            return Err(format!("it never fires: {why}"));
        }
        Ok(trigger)
    }

    /// Whether it sets anything only a whole trigger may.
    fn has_own_settings(&self) -> bool {
        self.timezone.is_some()
            || self.start_date.is_some()
            || self.end_date.is_some()
            || self.jitter.is_some()
    }
}

/// The kind `what` builds, and the zone its cron prefix names, if any.
fn kind(what: &What, depth: usize, shared: &mut Shared) -> Result<(Kind, Option<Tz>), String> {
    Ok(match what {
        What::Cron(text) => {
            if let Some(period) = crate::duration::parse_every(text) {
                let period =
                    period.map_err(|e| format!("@every {}", crate::duration::every_refused(&e)))?;
                return Ok((Kind::Interval { period }, None));
            }
            let schedule = shared
                .schedules
                .string(text)
                .map_err(|e| format!("invalid cron expression {text:?}: {e}"))?;
            let zone = schedule.zone();
            (Kind::Cron(schedule), zone)
        }
        What::Interval(period) if period.is_zero() => {
            return Err("an interval needs a period above zero".into());
        }
        What::Interval(period) => (Kind::Interval { period: *period }, None),
        What::Date(at) => (
            Kind::Date {
                run_date: Box::new(at.with_timezone(&Tz::UTC)),
            },
            None,
        ),
        What::Or(members) | What::And(members) => {
            let kinds = members_of(members, depth, shared)?;
            let kinds = kinds.into_boxed_slice();
            let kind = if matches!(what, What::Or(_)) {
                Kind::Or(kinds)
            } else {
                Kind::And(kinds)
            };
            (kind, None)
        }
    })
}

/// The kinds of an `or`'s or `and`'s members, which take no zone prefix,
/// zone, bounds or jitter of their own.
fn members_of(
    members: &[TriggerSpec],
    depth: usize,
    shared: &mut Shared,
) -> Result<Vec<Kind>, String> {
    if depth >= MAX_DEPTH {
        return Err(format!(
            "or and and nest {} deep; at most {MAX_DEPTH} are allowed",
            depth + 1
        ));
    }
    if !(1..=MAX_MEMBERS).contains(&members.len()) {
        return Err(format!(
            "an or or and has {} members; it takes 1 to {MAX_MEMBERS}",
            members.len()
        ));
    }
    members
        .iter()
        .map(|m| {
            if m.has_own_settings() {
                return Err("a member of an or or and takes no timezone, start_date, end_date or jitter: set them on the combination".to_string());
            }
            match kind(&m.what, depth + 1, shared)? {
                (_, Some(_)) => Err("a member of an or or and takes no CRON_TZ prefix: set the combination's timezone".into()),
                (kind, None) => Ok(kind),
            }
        })
        .collect()
}
