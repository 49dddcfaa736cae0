//! The cron engine: when does a schedule fire?
//!
//! A [`CronSchedule`] comes from a cron string (`"30 2 * * *"`, via
//! [`FromStr`]) or from APScheduler-style fields ([`CronSchedule::from_fields`]).
//! Both compile to the same bit-mask form, searched in wall-clock time and
//! mapped to instants by the zone policy of [`crate::timezone`].
//!
//! ```
//! use apsched::cron::CronSchedule;
//! use chrono::TimeZone;
//!
//! let daily: CronSchedule = "30 2 * * *".parse().unwrap();
//! let berlin = chrono_tz::Europe::Berlin;
//! let after = berlin.with_ymd_and_hms(2026, 3, 28, 12, 0, 0).unwrap();
//! let next = daily.next_after(&after).unwrap();
//! // 02:30 does not exist on 2026-03-29 in Berlin: shifted to 03:30 CEST.
//! assert_eq!(next.to_rfc3339(), "2026-03-29T03:30:00+02:00");
//! ```

mod calendar;
mod crontab;
mod days;
mod describe;
mod error;
mod field;
mod fields;
mod matcher;

pub use error::CronError;
pub use fields::CronFields;

use crate::timezone::{Cursor, Fire, FireKind};
use chrono::DateTime;
use chrono_tz::Tz;
use matcher::{MonthCache, Spec};
use std::str::FromStr;

/// Which syntax a schedule was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// A crontab(5)-style string.
    CronString,
    /// APScheduler-style fields.
    Fields,
}

/// A parsed cron schedule, ready to say when it fires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CronSchedule {
    spec: Spec,
    source: String,
    normalized: String,
    syntax: Syntax,
    can_match: bool,
}

impl FromStr for CronSchedule {
    type Err = CronError;

    /// Parses a cron string: 5 fields `minute hour day-of-month month
    /// day-of-week`, 6 with a leading `second`, 7 with a trailing `year`, or an
    /// `@` macro. See `man apsched` for the full syntax.
    fn from_str(text: &str) -> Result<CronSchedule, CronError> {
        let parsed = crontab::parse(text)?;
        Ok(CronSchedule::new(
            parsed.spec,
            text.trim(),
            parsed.normalized,
            Syntax::CronString,
        ))
    }
}

impl CronSchedule {
    fn new(spec: Spec, source: &str, normalized: String, syntax: Syntax) -> CronSchedule {
        let can_match = spec.can_match();
        CronSchedule {
            spec,
            source: source.to_string(),
            normalized,
            syntax,
            can_match,
        }
    }

    /// Builds a schedule from APScheduler-style fields.
    pub fn from_fields(fields: &CronFields) -> Result<CronSchedule, CronError> {
        let parsed = fields::parse(fields)?;
        let source = parsed.normalized.clone();
        Ok(CronSchedule::new(
            parsed.spec,
            &source,
            parsed.normalized,
            Syntax::Fields,
        ))
    }

    /// The text the schedule was parsed from (trimmed).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Canonical text: macros expanded, names as numbers, `?` as `*`.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    /// Which syntax the schedule was written in.
    pub fn syntax(&self) -> Syntax {
        self.syntax
    }

    /// The schedule in plain words, where that is easy (`at 02:30 every day`).
    pub fn describe(&self) -> Option<String> {
        describe::describe(&self.spec)
    }

    /// Whether the hour field allows all 24 hours, which makes repeated
    /// (fall-back) wall-clock times fire at both occurrences.
    pub fn every_hour(&self) -> bool {
        self.spec.every_hour()
    }

    /// The first fire time strictly after `after`, in `after`'s zone, or
    /// `None` if the schedule never fires again (up to year 9999).
    pub fn next_after(&self, after: &DateTime<Tz>) -> Option<DateTime<Tz>> {
        self.iter_after(after).next()
    }

    /// Successive fire times strictly after `after`, in `after`'s zone.
    pub fn iter_after(&self, after: &DateTime<Tz>) -> FireTimes<'_> {
        let instant = after.timestamp();
        FireTimes {
            schedule: self,
            cursor: self
                .can_match
                .then(|| Cursor::new(after.timezone(), instant)),
            after: instant,
            cache: MonthCache::default(),
        }
    }
}

/// The iterator of [`CronSchedule::iter_after`]. Besides plain date-times it
/// can say how each fire time relates to the wall-clock time it was named by
/// ([`FireTimes::next_fire`]).
#[derive(Clone, Debug)]
pub struct FireTimes<'a> {
    schedule: &'a CronSchedule,
    /// `None` once exhausted, or from the start if the schedule never fires.
    cursor: Option<Cursor>,
    /// The last instant returned (UTC seconds); results are strictly later.
    after: i64,
    cache: MonthCache,
}

/// One fire time with how it came about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FireTime {
    pub at: DateTime<Tz>,
    /// Whether daylight saving time moved it: a skipped wall-clock time
    /// shifted forward, or the second pass of a repeated one.
    pub kind: FireKind,
}

impl FireTimes<'_> {
    /// The next fire time with its [`FireKind`].
    pub fn next_fire(&mut self) -> Option<FireTime> {
        let fire = self.next_raw()?;
        Some(FireTime {
            at: fire.to_datetime()?,
            kind: fire.kind,
        })
    }

    fn next_raw(&mut self) -> Option<Fire> {
        let cursor = self.cursor.as_mut()?;
        let spec = &self.schedule.spec;
        let cache = &mut self.cache;
        let fire = cursor.next_fire(self.after, spec.every_hour(), |wall| {
            spec.next_naive(wall, cache)
        });
        match fire {
            Some(f) => self.after = f.instant,
            None => self.cursor = None,
        }
        fire
    }
}

impl Iterator for FireTimes<'_> {
    type Item = DateTime<Tz>;

    fn next(&mut self) -> Option<DateTime<Tz>> {
        self.next_raw()?.to_datetime()
    }
}

#[cfg(test)]
mod tests;
