//! Facts about a schedule worked out once, when it is built, so that the
//! iterator's search ([`super::search`]) never evaluates a day rule.
//!
//! Without ISO weeks, the day mask of a month depends only on its length
//! (28-31) and the weekday of its 1st: 28 shapes, all precomputed here. With
//! ISO weeks, those masks are an upper bound (weeks only remove days), good
//! enough to skip months that can never match; the exact mask is then
//! computed per month.

use super::calendar::{days_before, days_in_month, month_len, weekday_of_days};
use super::days::{DayRule, MonthShape};
use super::matcher::Spec;

/// Precomputed facts about a [`Spec`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Plan {
    /// Smallest allowed second, minute and hour.
    pub first_second: u32,
    pub first_minute: u32,
    pub first_hour: u32,
    /// Largest allowed second, minute and hour.
    pub last_second: u32,
    pub last_minute: u32,
    pub last_hour: u32,
    /// Day masks ignoring ISO weeks, by `(month length - 28) << 3 | weekday
    /// of the 1st` (0 = Sunday).
    masks: [u64; 32],
    /// Whether the masks depend on the weekday of the 1st.
    by_weekday: bool,
    /// Whether ISO weeks restrict the days, so `masks` is only an upper bound.
    by_week: bool,
    /// With neither, the mask of each month, by `leap << 4 | month` (leap 0
    /// for common years, 1 for leap years).
    month_masks: [u64; 32],
    /// With neither, the first match of a common and of a leap year: month,
    /// day and days after January 1st (month 0 if none).
    year_firsts: [(u32, u32, i64); 2],
    /// Allowed months (bits 1-12) that can hold a matching day, in a common
    /// year (index 0) and in a leap year (index 1).
    months: [u64; 2],
}

impl Plan {
    pub(super) fn new(spec: &Spec) -> Plan {
        let base = DayRule {
            weeks: None,
            ..spec.days.clone()
        };
        let mut masks = [0u64; 32];
        for len in 28..=31 {
            for first_weekday in 0..7 {
                // Without ISO weeks, a day rule looks at nothing else.
                let shape = MonthShape {
                    year: 2000,
                    month: 1,
                    len,
                    first_weekday,
                };
                masks[mask_index(len, first_weekday)] = base.mask(&shape);
            }
        }
        let row = |len: u32| &masks[mask_index(len, 0)..][..7];
        let by_weekday = (28..=31).any(|len| row(len).iter().any(|m| *m != row(len)[0]));
        // 2001 is a common year, 2000 a leap year.
        let months: [u64; 2] = [2001, 2000].map(|year| {
            (1..=12u32)
                .filter(|&m| spec.months & (1 << m) != 0)
                .filter(|&m| row(days_in_month(year, m)).iter().any(|x| *x != 0))
                .fold(0, |acc, m| acc | (1 << m))
        });
        let mut month_masks = [0; 32];
        for leap in 0..2 {
            for month in 1..=12 {
                let index = (leap << 4 | month) as usize;
                month_masks[index] = masks[mask_index(month_len(index >> 4, month), 0)];
            }
        }
        let year_firsts = [0, 1].map(|leap: usize| {
            let month = months[leap].trailing_zeros();
            if month > 12 {
                return (0, 0, 0);
            }
            let day = (month_masks[leap << 4 | month as usize] & !1).trailing_zeros();
            (month, day, days_before(leap, month) + i64::from(day) - 1)
        });
        Plan {
            month_masks,
            year_firsts,
            first_second: spec.seconds.trailing_zeros(),
            first_minute: spec.minutes.trailing_zeros(),
            first_hour: spec.hours.trailing_zeros(),
            last_second: 63 - spec.seconds.leading_zeros().min(63),
            last_minute: 63 - spec.minutes.leading_zeros().min(63),
            last_hour: 63 - spec.hours.leading_zeros().min(63),
            masks,
            by_weekday,
            by_week: spec.days.weeks.is_some(),
            months,
        }
    }

    /// The matching days of a month of `len` days whose 1st is day number
    /// `first` (days since 1970-01-01): exactly `spec.days.mask` of the month.
    #[inline]
    pub(super) fn day_mask(&self, spec: &Spec, year: i32, month: u32, len: u32, first: i64) -> u64 {
        if self.by_week {
            return by_week(spec, year, month);
        }
        let first_weekday = if self.by_weekday {
            weekday_of_days(first)
        } else {
            0
        };
        self.masks[mask_index(len, first_weekday)]
    }

    /// The matching days of `month` of `year`, which is a leap year if
    /// `leap` is 1, and whose 1st is day number `first`.
    #[inline]
    pub(super) fn month_mask(
        &self,
        spec: &Spec,
        year: i32,
        leap: usize,
        month: u32,
        first: i64,
    ) -> u64 {
        if self.by_weekday || self.by_week {
            self.day_mask(spec, year, month, month_len(leap, month), first)
        } else {
            self.month_masks[(leap << 4 | month as usize) & 31]
        }
    }

    /// The first match of a common (`leap` 0) or leap (1) year, as month,
    /// day and days after January 1st, with the month's mask; `None` if the
    /// day rule depends on more than the month's length, or no month can
    /// match.
    #[inline]
    pub(super) fn year_first(&self, leap: usize) -> Option<(u32, u32, i64, u64)> {
        let (month, day, yday) = self.year_firsts[leap & 1];
        let fixed = !(self.by_weekday || self.by_week) && month != 0;
        fixed.then(|| {
            (
                month,
                day,
                yday,
                self.month_masks[(leap << 4 | month as usize) & 31],
            )
        })
    }

    /// Allowed months (bits 1-12) that can hold a matching day in a common
    /// (`leap` 0) or leap (1) year.
    #[inline]
    pub(super) fn months(&self, leap: usize) -> u64 {
        self.months[leap & 1]
    }
}

/// The day mask of a month under a day rule with ISO weeks: no shortcut.
#[inline(never)]
fn by_week(spec: &Spec, year: i32, month: u32) -> u64 {
    spec.days.mask(&MonthShape::new(year, month))
}

/// Index into [`Plan::masks`]; masked, so lookups need no bounds checks.
#[inline]
fn mask_index(len: u32, first_weekday: u32) -> usize {
    debug_assert!((28..=31).contains(&len) && first_weekday < 7);
    ((len - 28) << 3 | first_weekday) as usize & 31
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cron::calendar::days_from_civil;
    use crate::cron::crontab;

    /// The precomputed masks agree with the day rule for every month of the
    /// 400-year Gregorian cycle.
    #[test]
    fn masks_match_day_rules_over_a_calendar_cycle() {
        for expr in [
            "0 0 L * *",
            "0 0 29 2 *",
            "0 0 L-3,15W * *",
            "0 0 LW * *",
            "0 0 1,15 * 5L",
            "0 0 * * 1#2",
            "0 0 13 * 5",
            "0 0 ? * mon-fri",
            "0 0 31 * *",
            "0 0 30 1,3 *",
            "0 0 L-28 2,3 *",
        ] {
            let spec = crontab::parse(expr).expect("valid").spec;
            let plan = Plan::new(&spec);
            for year in 2000..2400 {
                let leap = usize::from(days_in_month(year, 2) == 29);
                // The year's first match, if the plan knows it.
                if let Some((month, day, yday, mask)) = plan.year_first(leap) {
                    let first = (1..=12).find_map(|m| {
                        let mask = spec.days.mask(&MonthShape::new(year, m));
                        let mask = if spec.months & (1 << m) != 0 { mask } else { 0 };
                        (mask != 0).then(|| (m, mask.trailing_zeros(), mask))
                    });
                    assert_eq!(Some((month, day, mask)), first, "{expr} in {year}");
                    let jan1 = days_from_civil(year, 1, 1);
                    assert_eq!(jan1 + yday, days_from_civil(year, month, day), "{expr}");
                }
                for month in 1..=12 {
                    let len = days_in_month(year, month);
                    let first = days_from_civil(year, month, 1);
                    let want = spec.days.mask(&MonthShape::new(year, month));
                    let got = plan.day_mask(&spec, year, month, len, first);
                    assert_eq!(got, want, "{expr} in {year}-{month}");
                    let got = plan.month_mask(&spec, year, leap, month, first);
                    assert_eq!(got, want, "{expr} in {year}-{month}");
                    if want != 0 && spec.months & (1 << month) != 0 {
                        assert!(plan.months(leap) & (1 << month) != 0, "{expr}");
                    }
                }
            }
        }
    }

    #[test]
    fn months_that_can_match() {
        let plan = |expr| Plan::new(&crontab::parse(expr).expect("valid").spec);
        assert_eq!(plan("0 0 29 2 *").months, [0, 1 << 2]);
        assert_eq!(plan("0 0 31 * *").months[0], 0b1_0101_1010_1010);
        assert_eq!(plan("0 0 L * *").months, [0b1_1111_1111_1110; 2]);
    }
}
