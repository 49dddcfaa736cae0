//! The compiled form of a schedule and the search for the next matching
//! wall-clock time ("naive" time: no zone, no DST).
//!
//! Every field is a bit mask, so finding the next allowed value is a shift and
//! a `trailing_zeros`. Day rules are turned into a mask once per month and
//! cached, so the search never walks day by day, let alone minute by minute.
//!
//! `Spec::next_naive` is the general search, kept as the reference that
//! the iterator's incremental search ([`super::search`]) is tested against.

#[cfg(test)]
use super::calendar::Civil;
use super::days::DayRule;
#[cfg(test)]
use super::days::MonthShape;

/// Highest year the engine searches. Fire times are RFC 3339 with four-digit years.
pub(super) const MAX_YEAR: i32 = 9999;

/// The Gregorian calendar repeats every 400 years, so a search that scanned
/// that many years without a match will never find one.
pub(super) const CALENDAR_CYCLE_YEARS: u32 = 400;

/// Years `first, first + step, ...` up to `last`. Parsing keeps all three
/// within 1..=[`MAX_YEAR`], so the arithmetic on them cannot overflow.
pub(super) type YearRange = (i32, i32, i32);

/// A year range from a parsed element: `None` if a value is outside
/// 1..=[`MAX_YEAR`] (parsing never lets one through).
pub(super) fn year_range(first: u32, last: u32, step: u32) -> Option<YearRange> {
    let year = |v: u32| i32::try_from(v).ok().filter(|y| (1..=MAX_YEAR).contains(y));
    Some((year(first)?, year(last)?, year(step)?))
}

/// A set of years: `None` is every year, otherwise a union of ranges.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(super) struct YearSet(pub Option<Vec<YearRange>>);

impl YearSet {
    /// Smallest allowed year `>= year`.
    #[inline]
    pub(super) fn next(&self, year: i32) -> Option<i32> {
        match &self.0 {
            None => Some(year),
            Some(ranges) => Self::next_in(ranges, year),
        }
    }

    #[inline(never)]
    fn next_in(ranges: &[YearRange], year: i32) -> Option<i32> {
        ranges
            .iter()
            .filter_map(|&(first, last, step)| {
                let start = year.max(first);
                if start > last {
                    return None;
                }
                // first <= start <= last <= MAX_YEAR and step >= 1.
                let step = step.max(1);
                let value = start.checked_add((step - (start - first) % step) % step)?;
                (value <= last).then_some(value)
            })
            .min()
    }
}

/// A compiled schedule: which wall-clock times match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Spec {
    /// Bits 0-59.
    pub seconds: u64,
    /// Bits 0-59.
    pub minutes: u64,
    /// Bits 0-23.
    pub hours: u64,
    /// Bits 1-12.
    pub months: u64,
    pub days: DayRule,
    pub years: YearSet,
}

/// Mask of all 24 hours.
pub(super) const ALL_HOURS: u64 = (1 << 24) - 1;

/// The day mask of the last month looked at, reused while the search stays in it.
#[cfg(test)]
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct MonthCache {
    key: Option<(i32, u32)>,
    mask: u64,
}

/// Smallest set bit of `mask` at position `from` or above.
#[inline]
pub(super) fn next_bit(mask: u64, from: u32) -> Option<u32> {
    if from >= 64 {
        return None;
    }
    let rest = mask & (!0u64 << from);
    (rest != 0).then(|| rest.trailing_zeros())
}

impl Spec {
    /// Whether the hour field allows every hour of the day. Such schedules fire
    /// in both passes of a repeated (fall-back) hour; see [`crate::timezone`].
    pub(super) fn every_hour(&self) -> bool {
        self.hours & ALL_HOURS == ALL_HOURS
    }

    /// Whether any wall-clock time can ever match, years aside. Exact and cheap:
    /// looks at each allowed month in every shape it can take.
    pub(super) fn can_match(&self) -> bool {
        self.seconds != 0
            && self.minutes != 0
            && self.hours != 0
            && self.months != 0
            && self.days.can_match_in(self.months)
    }

    #[cfg(test)]
    fn day_mask(&self, year: i32, month: u32, cache: &mut MonthCache) -> u64 {
        if cache.key != Some((year, month)) {
            cache.mask = self.days.mask(&MonthShape::new(year, month));
            cache.key = Some((year, month));
        }
        cache.mask
    }

    /// The first matching wall-clock time at or after `from` (naive seconds,
    /// see [`super::calendar`]), or `None` if there is none up to [`MAX_YEAR`].
    #[cfg(test)]
    pub(super) fn next_naive(&self, from: i64, cache: &mut MonthCache) -> Option<i64> {
        let c = Civil::from_secs(from);
        let (mut year, mut month, mut day) = (c.year, c.month, c.day);
        let (mut hour, mut minute, mut second) = (c.hour, c.minute, c.second);
        let mut years_scanned = 0;
        loop {
            let allowed = self.years.next(year)?;
            if allowed != year {
                (year, month, day, hour, minute, second) = (allowed, 1, 1, 0, 0, 0);
            }
            if year > MAX_YEAR || years_scanned > CALENDAR_CYCLE_YEARS {
                return None;
            }
            match next_bit(self.months, month) {
                Some(m) if m == month => {}
                Some(m) => (month, day, hour, minute, second) = (m, 1, 0, 0, 0),
                None => {
                    (year, month, day, hour, minute, second) = (year + 1, 1, 1, 0, 0, 0);
                    years_scanned += 1;
                    continue;
                }
            }
            match next_bit(self.day_mask(year, month, cache), day) {
                Some(d) if d == day => {}
                Some(d) => (day, hour, minute, second) = (d, 0, 0, 0),
                None => {
                    (month, day, hour, minute, second) = (month + 1, 1, 0, 0, 0);
                    continue;
                }
            }
            match next_bit(self.hours, hour) {
                Some(h) if h == hour => {}
                Some(h) => (hour, minute, second) = (h, 0, 0),
                None => {
                    (day, hour, minute, second) = (day + 1, 0, 0, 0);
                    continue;
                }
            }
            match next_bit(self.minutes, minute) {
                Some(m) if m == minute => {}
                Some(m) => (minute, second) = (m, 0),
                None => {
                    (hour, minute, second) = (hour + 1, 0, 0);
                    continue;
                }
            }
            if let Some(s) = next_bit(self.seconds, second) {
                let civil = Civil {
                    year,
                    month,
                    day,
                    hour,
                    minute,
                    second: s,
                };
                return Some(civil.to_secs());
            }
            (minute, second) = (minute + 1, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_sets() {
        let every = YearSet(None);
        assert_eq!(every.next(2026), Some(2026));
        let ranges = YearSet(Some(vec![(2030, 2040, 4), (2027, 2027, 1)]));
        let huge = YearSet(Some(vec![(1970, 2199, 2199), (9999, 9999, 1)]));
        assert_eq!(huge.next(1970), Some(1970));
        assert_eq!(huge.next(1971), Some(9999));
        assert_eq!(huge.next(i32::MAX), None);
        assert_eq!(huge.next(i32::MIN), Some(1970));
        let cases = [
            (2020, Some(2027)),
            (2027, Some(2027)),
            (2028, Some(2030)),
            (2031, Some(2034)),
            (2039, None),
        ];
        for (year, want) in cases {
            assert_eq!(ranges.next(year), want, "{year}");
        }
    }

    #[test]
    fn next_bit_finds_the_smallest_set_bit_at_or_above() {
        assert_eq!(next_bit(0b1010, 0), Some(1));
        assert_eq!(next_bit(0b1010, 2), Some(3));
        assert_eq!(next_bit(0b1010, 4), None);
        assert_eq!(next_bit(u64::MAX, 64), None);
    }
}
