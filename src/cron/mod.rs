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

// Bounded calendar arithmetic: each value is range-checked (at parse time or before the cast).
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]

mod calendar;
mod crontab;
mod days;
mod defs;
mod describe;
mod error;
mod field;
mod fields;
mod matcher;
mod plan;
mod prefix;
mod search;

pub use error::CronError;
pub use fields::CronFields;

use crate::timezone::{Cursor, Fire, FireKind, UtcDate};
use chrono::DateTime;
use chrono_tz::Tz;
use matcher::Spec;
use plan::Plan;
use search::Search;
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
    /// Facts about `spec` worked out once, for the iterator (boxed: it is
    /// large and only read through a reference).
    plan: Box<Plan>,
    source: String,
    normalized: String,
    syntax: Syntax,
    can_match: bool,
    warnings: Vec<String>,
    /// The zone of a `CRON_TZ=`/`TZ=` prefix.
    zone: Option<Tz>,
}

impl FromStr for CronSchedule {
    type Err = CronError;

    /// Parses a cron string: 5 fields `minute hour day-of-month month
    /// day-of-week`, 6 with a leading `second`, 7 with a trailing `year`, or an
    /// `@` macro, after an optional `CRON_TZ=Zone` or `TZ=Zone` prefix. See
    /// `man apsched` for the full syntax.
    fn from_str(text: &str) -> Result<CronSchedule, CronError> {
        let (zone, expr) = prefix::split(text)?;
        let parsed = crontab::parse(expr)?;
        let mut schedule = CronSchedule::new(
            parsed.spec,
            text.trim(),
            parsed.normalized,
            Syntax::CronString,
        );
        schedule.warnings = parsed.warnings;
        schedule.zone = zone;
        Ok(schedule)
    }
}

impl CronSchedule {
    fn new(spec: Spec, source: &str, normalized: String, syntax: Syntax) -> CronSchedule {
        let can_match = spec.can_match();
        CronSchedule {
            plan: Box::new(Plan::new(&spec)),
            spec,
            source: source.to_string(),
            normalized,
            syntax,
            can_match,
            warnings: Vec::new(),
            zone: None,
        }
    }

    /// The zone a `CRON_TZ=Zone` or `TZ=Zone` prefix gave, if any.
    #[must_use]
    pub fn zone(&self) -> Option<Tz> {
        self.zone
    }

    /// What is valid but probably not meant: a step larger than its field
    /// (`*/90` in minutes fires at minute 0 only), with the fix.
    #[must_use]
    pub fn warnings(&self) -> &[String] {
        &self.warnings
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
    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Canonical text: macros expanded, names as numbers, `?` as `*`,
    /// wrap-around ranges listed value by value, no zone prefix.
    #[must_use]
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    /// Which syntax the schedule was written in.
    #[must_use]
    pub fn syntax(&self) -> Syntax {
        self.syntax
    }

    /// The schedule in plain words (`at 02:30 every day`, `at 16:00 on the
    /// last Friday of the month`), whatever its spelling.
    #[must_use]
    pub fn describe(&self) -> String {
        describe::describe(&self.spec)
    }

    /// Whether the hour field allows all 24 hours, which makes repeated
    /// (fall-back) wall-clock times fire at both occurrences.
    #[must_use]
    pub fn every_hour(&self) -> bool {
        self.spec.every_hour()
    }

    /// The first fire time strictly after `after`, in `after`'s zone, or
    /// `None` if the schedule never fires again (up to year 9999).
    #[must_use]
    pub fn next_after(&self, after: &DateTime<Tz>) -> Option<DateTime<Tz>> {
        if !self.can_match {
            return None;
        }
        self.iter_after(after).next()
    }

    /// Successive fire times strictly after `after`, in `after`'s zone.
    #[must_use]
    pub fn iter_after(&self, after: &DateTime<Tz>) -> FireTimes<'_> {
        let instant = after.timestamp();
        FireTimes {
            schedule: self,
            cursor: self
                .can_match
                .then(|| Cursor::new(after.timezone(), instant)),
            after: instant,
            search: Search::default(),
            date: UtcDate::default(),
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
    /// Where the wall-clock search left off.
    search: Search,
    /// The UTC date of the last fire time, reused while it stays the same.
    date: UtcDate,
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
        let resume = match self.next_settled() {
            Ok(at) => {
                return Some(FireTime {
                    at: at?,
                    kind: FireKind::Plain,
                });
            }
            Err(resume) => resume,
        };
        let fire = self.next_general(resume)?;
        let at = self
            .date
            .datetime(fire.instant, &fire.offset, || self.search.date())?;
        Some(FireTime {
            at,
            kind: fire.kind,
        })
    }

    /// The next fire time by the shortcut of [`Cursor::settled_wall`]:
    /// `Ok(None)` if chrono cannot represent it, `Err(after)` where the
    /// general algorithm must take over, from `after`.
    // A measured hot path: inlining is forced on purpose.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn next_settled(&mut self) -> Result<Option<DateTime<Tz>>, i64> {
        let after = self.after;
        let cursor = self.cursor.as_ref().ok_or(after)?;
        let CronSchedule { spec, plan, .. } = self.schedule;
        let from = cursor.settled_wall(after).ok_or(after)?;
        let wall = self.search.next(spec, plan, from).ok_or(after)?;
        let (instant, offset) = cursor.settled_fire(after, wall)?;
        self.after = instant;
        Ok(self.date.datetime(instant, offset, || self.search.date()))
    }

    /// The next fire time by the general algorithm, from `after` (the last
    /// fire time or where [`FireTimes::next_settled`] left off).
    #[inline(never)]
    fn next_general(&mut self, after: i64) -> Option<Fire> {
        let cursor = self.cursor.as_mut()?;
        let CronSchedule { spec, plan, .. } = self.schedule;
        let search = &mut self.search;
        let fire = cursor.next_fire(after, spec.every_hour(), |wall| {
            search.next(spec, plan, wall)
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

    #[inline]
    fn next(&mut self) -> Option<DateTime<Tz>> {
        let resume = match self.next_settled() {
            Ok(at) => return at,
            Err(resume) => resume,
        };
        let fire = self.next_general(resume)?;
        self.date
            .datetime(fire.instant, &fire.offset, || self.search.date())
    }
}

#[cfg(test)]
mod bounds_tests;
#[cfg(test)]
mod days_tests;
#[cfg(test)]
mod dst_tests;
#[cfg(test)]
mod error_tests;
#[cfg(test)]
mod fast_tests;
#[cfg(test)]
mod field_style_tests;
#[cfg(test)]
mod field_tests;
#[cfg(test)]
mod syntax_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod wrap_tests;
