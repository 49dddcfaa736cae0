//! Shortcuts for iterating fire times, each giving exactly what the general
//! code in the parent module gives.

use super::{Cursor, MAX_FOLD, MAX_OFFSET};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime};
use chrono_tz::{Tz, TzOffset};

/// Seconds in one day.
const DAY: i64 = 86_400;
const NEG_DAY: i64 = -DAY;

/// The shortcut for the common case of [`Cursor::next_fire`], in two steps:
/// `Cursor::settled_wall` says where to search, and
/// `Cursor::settled_fire` turns what the search found into the answer,
/// unless it lies past the span's end. Either may decline; the general
/// algorithm then runs.
///
/// Once the search is at least `|offset - before|` into the current span,
/// no skipped (spring-forward) wall-clock time can land after it, and no
/// wall-clock time from there on repeats one of the previous span. So the
/// general algorithm's first pass looks for matches from `after + 1 +
/// offset` only, and the first one it finds before the span's end is the
/// answer, a plain fire time.
impl Cursor {
    /// The wall-clock time (naive seconds) to search from for the first fire
    /// time after `after` (UTC seconds), if the shortcut applies there.
    #[inline]
    pub(crate) fn settled_wall(&self, after: i64) -> Option<i64> {
        let from = after.checked_add(1)?;
        (self.settled <= from && from < self.span.end)
            .then(|| from.saturating_add(i64::from(self.span.offset)))
    }

    /// The fire time, as UTC seconds and offset, of the first matching
    /// wall-clock time `wall` at or after [`Cursor::settled_wall`], if it
    /// lies in the current span.
    ///
    /// Otherwise, `Err(resume)`: the general algorithm's first pass from
    /// `after` would end there, finding nothing in this span, and go on
    /// from `resume + 1`, so `next_fire(resume, ..)` gives the answer for
    /// `after`. (`resume` is `after` itself where the first pass would not
    /// go on: past the last span.)
    #[inline]
    pub(crate) fn settled_fire(&self, after: i64, wall: i64) -> Result<(i64, &TzOffset), i64> {
        let offset = i64::from(self.span.offset);
        if wall < self.wall_end {
            return Ok((wall - offset, &self.span.tz_offset));
        }
        let end = self.span.end;
        if end == i64::MAX {
            return Err(after);
        }
        // As in `next_fire`: skip ahead to just before the match, but never
        // past a repeated stretch that may open the next span.
        let wall_from = (after + 1).saturating_add(offset);
        let near_end = wall_from > self.wall_end.saturating_sub(MAX_FOLD);
        Err(if near_end {
            end
        } else {
            end.max(wall - MAX_OFFSET)
        } - 1)
    }
}

/// Turns fire times into `DateTime`s, reusing the UTC date of the previous
/// one: the same values as [`super::Fire::to_datetime`], without converting a day
/// count to a date at every call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct UtcDate {
    /// UTC seconds of the date's midnight.
    start: i64,
    date: NaiveDate,
}

/// 1970-01-01, the date of UTC second 0.
const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

impl Default for UtcDate {
    fn default() -> UtcDate {
        UtcDate {
            start: 0,
            date: EPOCH,
        }
    }
}

impl UtcDate {
    /// The fire time as a zoned date-time. `wall_date` may tell a civil date
    /// `(year, day of the year)` near the fire time, with the naive seconds of
    /// its midnight; it is asked for only when the UTC date changes.
    #[inline]
    pub(crate) fn datetime(
        &mut self,
        instant: i64,
        offset: &TzOffset,
        wall_date: impl FnOnce() -> Option<(i64, i32, u32)>,
    ) -> Option<DateTime<Tz>> {
        let mut time = instant - self.start;
        if !(0..DAY).contains(&time) {
            self.move_to(instant, wall_date)?;
            time = instant - self.start;
        }
        let time = NaiveTime::from_num_seconds_from_midnight_opt(time as u32, 0)?;
        Some(DateTime::from_naive_utc_and_offset(
            self.date.and_time(time),
            *offset,
        ))
    }

    /// Moves to the UTC date of `instant`.
    #[inline]
    fn move_to(
        &mut self,
        instant: i64,
        wall_date: impl FnOnce() -> Option<(i64, i32, u32)>,
    ) -> Option<()> {
        let ahead = (instant - self.start).div_euclid(DAY);
        let start = self.start + ahead * DAY;
        // Within the same year, only the day of the year changes.
        let date = match ahead {
            1..=366 => self.date.with_ordinal(self.date.ordinal() + ahead as u32),
            _ => None,
        };
        self.date = match date {
            Some(date) => date,
            None => Self::date_at(start, wall_date)?,
        };
        self.start = start;
        Some(())
    }

    /// The UTC date starting at `start` (UTC seconds).
    #[inline]
    fn date_at(
        start: i64,
        wall_date: impl FnOnce() -> Option<(i64, i32, u32)>,
    ) -> Option<NaiveDate> {
        // A civil date at most a day away is cheap to convert.
        let near = wall_date().and_then(|(midnight, year, ordinal)| {
            let date = |ordinal| NaiveDate::from_yo_opt(year, ordinal);
            match start - midnight {
                0 => date(ordinal),
                DAY if ordinal < 365 => date(ordinal + 1),
                NEG_DAY if ordinal > 1 => date(ordinal - 1),
                DAY => date(ordinal)?.succ_opt(),
                NEG_DAY => date(ordinal)?.pred_opt(),
                _ => None,
            }
        });
        match near {
            Some(date) => Some(date),
            None => Some(DateTime::from_timestamp(start, 0)?.date_naive()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Fire, FireKind};
    use super::*;
    use chrono_tz::OffsetComponents;

    /// The civil-date hint, a day before, on or after the UTC date, across
    /// year ends and leap days.
    #[test]
    fn hinted_dates_match_the_general_conversion() {
        use chrono::Datelike;
        let offset = super::super::Table::of(chrono_tz::UTC).span_at(0).tz_offset;
        let days = (-800..800).map(|d| d * 31 + 11_000).chain(
            // Around 2023-12-31, 2024-02-29, 2024-12-31, 2100-02-28.
            [19_722, 19_782, 20_088, 47_541]
                .into_iter()
                .flat_map(|d| d - 2..d + 3),
        );
        for day in days {
            for hint_day in [day - 1, day, day + 1] {
                let hint_date = DateTime::from_timestamp(hint_day * DAY, 0)
                    .expect("in range")
                    .date_naive();
                let hint = (hint_day * DAY, hint_date.year(), hint_date.ordinal());
                // Far from the previous date, so the hint is used.
                let mut date = UtcDate::default();
                let instant = day * DAY + 3_600;
                let got = date.datetime(instant, &offset, || Some(hint));
                let want =
                    DateTime::from_timestamp(instant, 0).map(|t| t.with_timezone(&chrono_tz::UTC));
                assert_eq!(
                    got.map(|t| t.to_rfc3339()),
                    want.map(|t| t.to_rfc3339()),
                    "{day} {hint:?}"
                );
            }
        }
    }

    #[test]
    fn utc_dates_match_the_general_conversion() {
        let table = super::super::Table::of(chrono_tz::Europe::Berlin);
        let mut date = UtcDate::default();
        // Forwards by uneven steps across years, then backwards and far away.
        let mut instants: Vec<i64> = (0..3000)
            .map(|i: i64| -2_000_000_000 + i * i * 7_777 + i % 13)
            .collect();
        instants.extend([
            -1,
            0,
            86_399,
            86_400,
            -86_400,
            253_402_300_799,
            -62_135_596_800,
        ]);
        for instant in instants {
            let fire = Fire {
                instant,
                offset: table.span_at(instant).tz_offset,
                kind: FireKind::Plain,
            };
            let got = date.datetime(fire.instant, &fire.offset, || None);
            assert_eq!(got, fire.to_datetime(), "{instant}");
            let (got, want) = (
                got.expect("in range"),
                fire.to_datetime().expect("in range"),
            );
            assert_eq!(got.to_rfc3339(), want.to_rfc3339());
            assert_eq!(
                got.offset().base_utc_offset(),
                want.offset().base_utc_offset()
            );
        }
    }
}
