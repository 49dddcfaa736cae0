//! Time zones and daylight saving time: the one place where wall-clock times
//! become instants.
//!
//! Schedules are written in wall-clock time and evaluated in one IANA zone.
//! Most wall-clock times name exactly one instant. Around a change of UTC
//! offset some name none and some name two; this is the policy for those:
//!
//! 1. **Skipped times** (spring forward). A wall-clock time inside a gap is
//!    shifted forward by the length of the gap, as RFC 5545 and java.time do:
//!    a daily 02:30 job in Europe/Berlin fires at 03:30 CEST on 2026-03-29.
//!    Every day keeps its run. When several shifted or regular times land on
//!    the same instant, that instant fires once.
//! 2. **Repeated times** (fall back). A wall-clock time that occurs twice fires
//!    once, at its first occurrence, unless the schedule's hour field allows
//!    every hour of the day: then it fires at both occurrences, so
//!    `*/30 * * * *` keeps firing every 30 real minutes through the repeated
//!    hour while a daily `30 1 * * *` in `America/New_York` fires once.
//! 3. **Order.** Fire times are strictly increasing: the engine never returns
//!    an instant twice and never goes backwards.
//!
//! This differs from APScheduler 3.11, which fires a daily 02:30 job twice on
//! fall-back days and can fire twice at one instant in zones with 30-minute
//! shifts (`Australia/Lord_Howe`).
//!
//! Offsets come from chrono-tz (the IANA database it bundles); its rules end in
//! 2099, after which each zone keeps its last offset.

// Bounded calendar arithmetic: each value is range-checked (at parse time or before the cast).
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]

mod fast;
mod local;
mod table;

pub(crate) use fast::UtcDate;
pub use local::{ZoneError, parse_zone, system_zone, zone_or_system};
pub use table::{Span, Table};

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone};
use chrono_tz::{Tz, TzOffset};
use std::sync::Arc;

/// An upper bound on any UTC offset in seconds (real ones stay within ±15:56).
const MAX_OFFSET: i64 = 16 * 3600;
/// An upper bound on the length of a repeated stretch of wall-clock time.
const MAX_FOLD: i64 = 25 * 3600;

/// How a fire time relates to the wall-clock time the schedule named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FireKind {
    /// The wall-clock time exists once.
    Plain,
    /// The wall-clock time (naive seconds) fell in a gap and was shifted forward.
    Shifted { wall: i64 },
    /// The second occurrence of a repeated wall-clock time.
    Repeated,
}

/// One fire time.
#[derive(Clone, Copy, Debug)]
pub struct Fire {
    /// UTC seconds since the epoch.
    pub instant: i64,
    /// The zone's offset at that instant.
    pub offset: TzOffset,
    pub kind: FireKind,
}

impl Fire {
    /// The fire time as a zoned date-time.
    #[must_use]
    pub fn to_datetime(&self) -> Option<DateTime<Tz>> {
        let utc = DateTime::from_timestamp(self.instant, 0)?;
        Some(DateTime::from_naive_utc_and_offset(
            utc.naive_utc(),
            self.offset,
        ))
    }
}

/// Walks a zone's timeline, remembering the span it is in.
#[derive(Clone, Debug)]
pub struct Cursor {
    table: Arc<Table>,
    span: Span,
    /// Index of `span` in the table (see [`Table::span_index`]).
    index: usize,
    /// Where the shortcut of [`Cursor::settled_wall`] starts to apply in
    /// `span` (`|offset - before|` after its start; see `fast.rs`), and the
    /// span's end as a wall-clock time.
    settled: i64,
    wall_end: i64,
}

impl Cursor {
    /// A cursor on `tz`, placed at `instant` (UTC seconds).
    #[must_use]
    pub fn new(tz: Tz, instant: i64) -> Cursor {
        let table = Table::of(tz);
        let index = table.span_index(instant);
        let span = table.span_by_index(index);
        let (settled, wall_end) = Cursor::settled_and_end(&span);
        Cursor {
            table,
            span,
            index,
            settled,
            wall_end,
        }
    }

    /// The `settled` and `wall_end` fields for `span`.
    #[inline]
    fn settled_and_end(span: &Span) -> (i64, i64) {
        let (offset, before) = (i64::from(span.offset), i64::from(span.before));
        let settled = span.start.saturating_add((offset - before).abs());
        (settled, span.end.saturating_add(offset))
    }

    #[inline]
    fn set_span(&mut self, index: usize) {
        let span = self.table.span_by_index(index);
        (self.settled, self.wall_end) = Cursor::settled_and_end(&span);
        (self.index, self.span) = (index, span);
    }

    #[inline]
    fn span_at(&mut self, instant: i64) -> &Span {
        if !self.span.contains(instant) {
            // Mostly the search moves on to the next span.
            let next = self.index + 1;
            let transitions = &self.table.transitions;
            let index = if instant >= self.span.end
                && next <= transitions.len()
                && transitions.get(next).is_none_or(|t| instant < t.at)
            {
                next
            } else {
                self.table.span_index(instant)
            };
            self.set_span(index);
        }
        &self.span
    }

    /// The first fire time strictly after `after` (UTC seconds), applying the
    /// policy above to the wall-clock times produced by `next_naive`.
    ///
    /// `next_naive(w)` must return the first matching wall-clock time at or
    /// after `w`, both as naive seconds. `every_hour` says whether the hour
    /// field allows all 24 hours (rule 2).
    pub fn next_fire(
        &mut self,
        after: i64,
        every_hour: bool,
        mut next_naive: impl FnMut(i64) -> Option<i64>,
    ) -> Option<Fire> {
        let mut from_instant = after.checked_add(1)?;
        loop {
            let span = self.span_at(from_instant);
            let offset = i64::from(span.offset);
            let before = i64::from(span.before);
            let bounded_start = span.start != i64::MIN;

            // Regular wall-clock times of this span. After a fall-back, the
            // repeated stretch already fired in the previous span unless the
            // schedule runs every hour.
            let mut wall_start = span.start.saturating_add(offset);
            if bounded_start && before > offset && !every_hour {
                wall_start = span.start + before;
            }
            let wall_from = from_instant.saturating_add(offset).max(wall_start);
            let wall_end = span.end.saturating_add(offset);
            let found = next_naive(wall_from);
            let mut best = found.filter(|w| *w < wall_end).map(|w| Fire {
                instant: w - offset,
                offset: span.tz_offset,
                kind: if bounded_start && w < span.start + before {
                    FireKind::Repeated
                } else {
                    FireKind::Plain
                },
            });

            // Wall-clock times skipped by a spring-forward change at the start
            // of this span land in it, shifted by the length of the gap.
            if bounded_start && before < offset {
                let gap_from = (span.start + before).max(from_instant.saturating_add(before));
                let gap_end = span.start + offset;
                if gap_from < gap_end {
                    let shifted = next_naive(gap_from).filter(|w| *w < gap_end).map(|w| Fire {
                        instant: w - before,
                        offset: span.tz_offset,
                        kind: FireKind::Shifted { wall: w },
                    });
                    best = match (best, shifted) {
                        (Some(b), Some(s)) if s.instant < b.instant => Some(s),
                        (None, s) => s,
                        (b, _) => b,
                    };
                }
            }
            if best.is_some() || span.end == i64::MAX {
                return best;
            }

            // Nothing in this span. Skip ahead to just before the next
            // matching wall-clock time, but never past the repeated stretch
            // that may open the next span.
            let near_end = wall_from > wall_end.saturating_sub(MAX_FOLD);
            let end = span.end;
            from_instant = match found {
                Some(w) if !near_end => end.max(w - MAX_OFFSET),
                Some(_) => end,
                None => {
                    // Only the second pass of a repeated stretch opening the
                    // next span can still hold matches, which lie before
                    // `wall_from`.
                    let next = self.table.span_at(end);
                    let repeats = next.before > next.offset;
                    if !(every_hour && repeats && wall_from > end + i64::from(next.offset)) {
                        return None;
                    }
                    end
                }
            };
        }
    }
}

/// Resolves a wall-clock time in `tz` to an instant under the policy above:
/// a skipped time is shifted forward by the gap, a repeated time means its
/// first occurrence. Returns the instant and whether it was shifted.
#[must_use]
pub fn resolve_local(tz: Tz, wall: &NaiveDateTime) -> Option<(DateTime<Tz>, bool)> {
    match tz.from_local_datetime(wall) {
        LocalResult::Single(t) => Some((t, false)),
        LocalResult::Ambiguous(first, _) => Some((first, false)),
        LocalResult::None => {
            let naive = wall.and_utc().timestamp();
            let mut cursor = Cursor::new(tz, naive);
            // The gap lies within a day of the wall time read as UTC.
            for probe in [naive - MAX_OFFSET, naive, naive + MAX_OFFSET] {
                let span = cursor.span_at(probe);
                let (before, offset) = (i64::from(span.before), i64::from(span.offset));
                if span.start != i64::MIN
                    && before < offset
                    && span.start + before <= naive
                    && naive < span.start + offset
                {
                    let utc = DateTime::from_timestamp(naive - before, 0)?;
                    return Some((utc.with_timezone(&tz), true));
                }
            }
            None
        }
    }
}
