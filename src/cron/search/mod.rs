//! The iterator's search for the next matching wall-clock time: the same
//! answers as [`Spec::next_naive`](super::matcher::Spec), found incrementally.
//!
//! [`Search`] remembers the last match as civil fields, the naive seconds of
//! its midnight and its month's day mask. The next query is usually one
//! second after that match, so the search goes on from those fields: the next
//! second, minute or hour of the same day, else the next matching day of the
//! same month, else the first match of the next month or year that can match,
//! with day masks read from the [`Plan`]. A query later in the matched day
//! only decodes the time of day; any other query decodes the civil date and
//! runs the general loop ([`Search::months`]).
//!
//! Why the answers are the same: the general search restarts at the year
//! level after every carry, but within a year, month and day that already
//! matched those checks pass again, so they are skipped here. Month and year
//! steps are the general loop's passes, with the same `years_scanned` count,
//! skipping months whose masks are empty in every shape (where the general
//! loop would find no day either) and, with every year allowed, the years
//! that cannot match at all.

mod restart;

use super::calendar::{DAY, days_before, is_leap, next_leap_year};
use super::matcher::{MAX_YEAR, Spec, next_bit};
use super::plan::Plan;

/// The search's memory of its last match.
#[derive(Clone, Copy, Debug)]
pub(super) struct Search {
    /// Whether the fields below describe a match.
    valid: bool,
    /// The last query and its answer: any query in `query..=found` has that
    /// answer too.
    query: i64,
    found: i64,
    /// Naive seconds of the matched day's midnight.
    day_start: i64,
    /// The year, whether it is a leap year (1) or not (0), and the day
    /// number (since 1970-01-01) of its January 1st: always consistent, even
    /// when `valid` is false.
    year: i32,
    leap: usize,
    jan1: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// Day mask of the matched month.
    mask: u64,
}

impl Default for Search {
    fn default() -> Search {
        Search {
            valid: false,
            query: 0,
            found: 0,
            day_start: 0,
            year: 1970,
            leap: 0,
            jan1: 0,
            month: 1,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
            mask: 0,
        }
    }
}

impl Search {
    /// The first matching wall-clock time at or after `from` (naive
    /// seconds), or `None` if there is none up to [`MAX_YEAR`]: always what
    /// `spec.next_naive(from)` returns.
    // A measured hot path: inlining is forced on purpose.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    pub(super) fn next(&mut self, spec: &Spec, plan: &Plan, from: i64) -> Option<i64> {
        let found = if !self.valid {
            self.start(spec, plan, from)
        } else if from == self.found + 1 {
            self.step(spec, plan)
        } else if self.query <= from && from <= self.found {
            return Some(self.found);
        } else if from > self.found && from - self.day_start < DAY {
            let tod = (from - self.day_start) as u32;
            self.in_day(spec, plan, tod / 3600, tod / 60 % 60, tod % 60)
        } else {
            self.start(spec, plan, from)
        };
        match found {
            Some(w) => {
                self.query = from;
                self.found = w;
            }
            None => self.valid = false,
        }
        found
    }

    /// The last match's date as year and day of the year (1-366), with the
    /// naive seconds of its midnight.
    #[inline]
    pub(super) fn date(&self) -> Option<(i64, i32, u32)> {
        let ordinal = days_before(self.leap, self.month) as u32 + self.day;
        self.valid.then_some((self.day_start, self.year, ordinal))
    }

    /// Naive seconds of the current fields.
    #[inline]
    fn secs(&self) -> i64 {
        self.day_start + i64::from(self.hour * 3600 + self.minute * 60 + self.second)
    }

    /// Sets the time of day to the earliest allowed one.
    #[inline]
    fn first_time(&mut self, plan: &Plan) -> i64 {
        self.hour = plan.first_hour;
        self.minute = plan.first_minute;
        self.second = plan.first_second;
        self.secs()
    }

    /// The next match after the current one.
    #[inline]
    fn step(&mut self, spec: &Spec, plan: &Plan) -> Option<i64> {
        // Below the field's last allowed value, the next one is just the
        // lowest set bit above.
        let above = |mask: u64, v: u32| (mask >> (v + 1)).trailing_zeros() + v + 1;
        if self.second < plan.last_second {
            self.second = above(spec.seconds, self.second);
        } else if self.minute < plan.last_minute {
            (self.minute, self.second) = (above(spec.minutes, self.minute), plan.first_second);
        } else if self.hour < plan.last_hour {
            self.hour = above(spec.hours, self.hour);
            (self.minute, self.second) = (plan.first_minute, plan.first_second);
        } else {
            return self.next_day(spec, plan);
        }
        Some(self.secs())
    }

    /// The first match at or after `hour:minute:second` of the current day,
    /// which matches, or else on a later day.
    fn in_day(
        &mut self,
        spec: &Spec,
        plan: &Plan,
        hour: u32,
        minute: u32,
        second: u32,
    ) -> Option<i64> {
        let (fm, fs) = (plan.first_minute, plan.first_second);
        let time = match next_bit(spec.hours, hour) {
            Some(h) if h > hour => Some((h, fm, fs)),
            Some(_) => match next_bit(spec.minutes, minute) {
                Some(m) if m > minute => Some((hour, m, fs)),
                Some(_) => next_bit(spec.seconds, second)
                    .map(|s| (hour, minute, s))
                    .or_else(|| next_bit(spec.minutes, minute + 1).map(|m| (hour, m, fs))),
                None => None,
            }
            .or_else(|| next_bit(spec.hours, hour + 1).map(|h| (h, fm, fs))),
            None => None,
        };
        match time {
            Some((h, m, s)) => {
                (self.hour, self.minute, self.second) = (h, m, s);
                Some(self.secs())
            }
            None => self.next_day(spec, plan),
        }
    }

    /// The first match on a later day than the current one.
    #[inline]
    fn next_day(&mut self, spec: &Spec, plan: &Plan) -> Option<i64> {
        match next_bit(self.mask, self.day + 1) {
            Some(d) => {
                self.day_start += i64::from(d - self.day) * DAY;
                self.day = d;
                Some(self.first_time(plan))
            }
            None => match next_bit(plan.months(self.leap), self.month + 1) {
                Some(month) => self.next_month(spec, plan, month),
                None => self.next_year(spec, plan),
            },
        }
    }

    /// The first match in `month`, the next month of the current year that
    /// can match: the general loop's next pass (the year matches).
    #[inline(never)]
    fn next_month(&mut self, spec: &Spec, plan: &Plan, month: u32) -> Option<i64> {
        let leap = self.leap;
        let first = self.jan1 + days_before(leap, month);
        let mask = plan.month_mask(spec, self.year, leap, month, first);
        let Some(d) = next_bit(mask, 1) else {
            return self.months(spec, plan, self.year, self.month + 1, 1);
        };
        self.day_start = (first + i64::from(d - 1)) * DAY;
        (self.month, self.day, self.mask) = (month, d, mask);
        Some(self.first_time(plan))
    }

    /// The first match in a later year than the current one, which has no
    /// month left that can match. With every year allowed, this is the
    /// general loop's year step (to the next leap year when common years
    /// cannot match; no leap year lies in between) and its first pass there,
    /// if that finds a day. Anything else goes to the loop itself.
    #[inline]
    fn next_year(&mut self, spec: &Spec, plan: &Plan) -> Option<i64> {
        if spec.years.0.is_some() {
            return self.months(spec, plan, self.year, 13, 1);
        }
        let (year, leap) = match plan.months(0) {
            0 => (next_leap_year(self.year + 1), 1),
            _ => (self.year + 1, usize::from(is_leap(self.year + 1))),
        };
        let jan1 = self.jan1 + 365 * i64::from(year - self.year) + self.leap as i64;
        if year > MAX_YEAR {
            return self.months(spec, plan, self.year, 13, 1);
        }
        if let Some((month, d, yday, mask)) = plan.year_first(leap) {
            self.day_start = (jan1 + yday) * DAY;
            (self.year, self.leap, self.jan1) = (year, leap, jan1);
            (self.month, self.day, self.mask) = (month, d, mask);
            return Some(self.first_time(plan));
        }
        let Some(month) = next_bit(plan.months(leap), 1) else {
            return self.months(spec, plan, self.year, 13, 1);
        };
        let first = jan1 + days_before(leap, month);
        let mask = plan.month_mask(spec, year, leap, month, first);
        let Some(d) = next_bit(mask, 1) else {
            return self.months(spec, plan, self.year, 13, 1);
        };
        self.day_start = (first + i64::from(d - 1)) * DAY;
        (self.year, self.leap, self.jan1) = (year, leap, jan1);
        (self.month, self.day, self.mask) = (month, d, mask);
        Some(self.first_time(plan))
    }
}
