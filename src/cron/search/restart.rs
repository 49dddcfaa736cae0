//! The search from scratch: decoding a query into civil fields, and the
//! general search's loop over years, months and days (see the parent
//! module for how it relates to `Spec::next_naive`).

use super::Search;
use crate::cron::calendar::{Civil, DAY, days_before, days_from_civil, is_leap, next_leap_year};
use crate::cron::matcher::{CALENDAR_CYCLE_YEARS, MAX_YEAR, Spec, next_bit};
use crate::cron::plan::Plan;

impl Search {
    /// The first match at or after `from`, with nothing known.
    pub(super) fn start(&mut self, spec: &Spec, plan: &Plan, from: i64) -> Option<i64> {
        let c = Civil::from_secs(from);
        let day_ok = spec.years.next(c.year) == Some(c.year)
            && c.year <= MAX_YEAR
            && spec.months & (1 << c.month) != 0;
        if day_ok {
            let days = from.div_euclid(DAY);
            let leap = usize::from(is_leap(c.year));
            let first = days - i64::from(c.day - 1);
            let mask = plan.month_mask(spec, c.year, leap, c.month, first);
            if mask & (1 << c.day) != 0 {
                self.valid = true;
                self.day_start = days * DAY;
                self.year = c.year;
                self.leap = leap;
                self.jan1 = first - days_before(leap, c.month);
                (self.month, self.day, self.mask) = (c.month, c.day, mask);
                return self.in_day(spec, plan, c.hour, c.minute, c.second);
            }
        }
        self.months(spec, plan, c.year, c.month, c.day)
    }

    /// The first match at or after 00:00:00 on `year-month-day` (`month`
    /// may be 13 and `day` past the month's end): the general search's loop.
    pub(super) fn months(
        &mut self,
        spec: &Spec,
        plan: &Plan,
        mut year: i32,
        mut month: u32,
        mut day: u32,
    ) -> Option<i64> {
        let mut years_scanned = 0;
        // January 1st of `year`, when known.
        let mut jan1 = (year == self.year).then_some(self.jan1);
        loop {
            let allowed = spec.years.next(year)?;
            if allowed != year {
                (year, month, day, jan1) = (allowed, 1, 1, None);
            }
            if year > MAX_YEAR || years_scanned > CALENDAR_CYCLE_YEARS {
                return None;
            }
            // Months left out here have no matching day in this year.
            let leap = usize::from(is_leap(year));
            match next_bit(plan.months(leap), month) {
                Some(m) if m == month => {}
                Some(m) => (month, day) = (m, 1),
                None => {
                    // Only leap years can match: skip the common years in
                    // between, counting them as the general loop would.
                    let next = match spec.years.0 {
                        None if plan.months(0) == 0 => next_leap_year(year + 1),
                        _ => year + 1,
                    };
                    years_scanned += next.abs_diff(year);
                    // No leap year lies strictly between `year` and `next`.
                    let days = 365 * i64::from(next - year) + leap as i64;
                    jan1 = jan1.map(|j| j + days);
                    (year, month, day) = (next, 1, 1);
                    continue;
                }
            }
            let jan1 = *jan1.get_or_insert_with(|| days_from_civil(year, 1, 1));
            let first = jan1 + days_before(leap, month);
            let mask = plan.month_mask(spec, year, leap, month, first);
            if let Some(d) = next_bit(mask, day) {
                self.valid = true;
                self.day_start = (first + i64::from(d - 1)) * DAY;
                (self.year, self.leap, self.jan1) = (year, leap, jan1);
                (self.month, self.day, self.mask) = (month, d, mask);
                return Some(self.first_time(plan));
            }
            (month, day) = (month + 1, 1);
        }
    }
}
