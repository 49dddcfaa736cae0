//! Which days of a month a schedule allows.
//!
//! Day rules are the only part of a schedule that depends on the calendar
//! (month length, weekday of the 1st, ISO week). They are evaluated one month
//! at a time into a bit mask: bit `d` set means day `d` (1-31) matches.

use super::calendar::{days_from_civil, days_in_month, iso_week, weekday_of_days};

/// Bits 1, 8, 15, 22 and 29: the days that share the weekday of the 1st.
const SAME_WEEKDAY_AS_FIRST: u64 = (1 << 1) | (1 << 8) | (1 << 15) | (1 << 22) | (1 << 29);

/// One special day element, beyond plain day numbers and plain weekdays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DayItem {
    /// `L` (n = 0) or `L-n`: n days before the last day of the month.
    LastMinus(u32),
    /// `nW`: the weekday (Mon-Fri) nearest day n, never leaving the month.
    NearestWeekday(u32),
    /// `LW`: the last weekday (Mon-Fri) of the month.
    LastWeekday,
    /// `x#n` / `3rd fri`: the n-th given weekday (0 = Sunday) of the month.
    NthWeekday { weekday: u32, nth: u32 },
    /// `xL` / `last fri`: the last given weekday (0 = Sunday) of the month.
    LastOfWeekday(u32),
    /// `n-L` or `n-L/s`: days `first, first + step, ...` to the last day.
    ToLast { first: u32, step: u32 },
}

impl DayItem {
    /// The cron-string text of a `n-L` item (`29-L`, `1-L/8`).
    pub(super) fn render(self) -> String {
        match self {
            DayItem::ToLast { first, step: 1 } => format!("{first}-L"),
            DayItem::ToLast { first, step } => format!("{first}-L/{step}"),
            other => format!("{other:?}"),
        }
    }
}

/// A set of days: plain day numbers, plain weekdays and special items, OR-ed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct DaySet {
    /// Bits 1-31: plain days of the month.
    pub days: u64,
    /// Bits 0-6: plain weekdays, 0 = Sunday.
    pub weekdays: u8,
    /// Special elements.
    pub items: Vec<DayItem>,
}

/// The shape of one month: all the calendar facts day rules need.
#[derive(Clone, Copy, Debug)]
pub(super) struct MonthShape {
    pub year: i32,
    pub month: u32,
    /// Number of days (28-31).
    pub len: u32,
    /// Weekday of the 1st, 0 = Sunday.
    pub first_weekday: u32,
}

impl MonthShape {
    pub(super) fn new(year: i32, month: u32) -> MonthShape {
        MonthShape {
            year,
            month,
            len: days_in_month(year, month),
            first_weekday: weekday_of_days(days_from_civil(year, month, 1)),
        }
    }

    /// Mask of every day of the month.
    pub(super) fn all_days(&self) -> u64 {
        ((1u64 << (self.len + 1)) - 1) & !1
    }

    fn weekday_of(&self, day: u32) -> u32 {
        (self.first_weekday + day - 1) % 7
    }

    /// Mask of the days falling on `weekday` (0 = Sunday).
    fn days_on(&self, weekday: u32) -> u64 {
        let shift = (weekday + 7 - self.first_weekday) % 7;
        (SAME_WEEKDAY_AS_FIRST << shift) & self.all_days()
    }

    /// Mask of the days falling on any weekday in `weekdays` (bit 0 = Sunday).
    fn days_on_any(&self, weekdays: u8) -> u64 {
        let mut mask = 0;
        let mut bits = weekdays;
        while bits != 0 {
            mask |= self.days_on(bits.trailing_zeros());
            bits &= bits - 1;
        }
        mask
    }
}

impl DaySet {
    /// Mask of the days of `shape` that belong to this set.
    pub(super) fn mask(&self, shape: &MonthShape) -> u64 {
        let mut mask = (self.days & shape.all_days()) | shape.days_on_any(self.weekdays);
        for item in &self.items {
            mask |= match *item {
                DayItem::ToLast { first, step } => (first..=shape.len)
                    .step_by(step.max(1) as usize)
                    .fold(0, |m, d| m | 1 << d),
                item => item_day(item, shape).map_or(0, |d| 1 << d),
            };
        }
        mask
    }
}

/// The single day an item designates in a month, if any.
fn item_day(item: DayItem, shape: &MonthShape) -> Option<u32> {
    match item {
        DayItem::LastMinus(n) => shape.len.checked_sub(n).filter(|d| *d >= 1),
        DayItem::NearestWeekday(n) => {
            if n > shape.len {
                return None;
            }
            Some(match shape.weekday_of(n) {
                // Saturday: Friday before, or Monday after when the 1st.
                6 if n == 1 => n + 2,
                6 => n - 1,
                // Sunday: Monday after, or Friday before when the last day.
                0 if n == shape.len => n - 2,
                0 => n + 1,
                _ => n,
            })
        }
        DayItem::LastWeekday => Some(match shape.weekday_of(shape.len) {
            6 => shape.len - 1,
            0 => shape.len - 2,
            _ => shape.len,
        }),
        DayItem::NthWeekday { weekday, nth } => {
            let first = 1 + (weekday + 7 - shape.first_weekday) % 7;
            Some(first + 7 * (nth - 1)).filter(|d| *d <= shape.len)
        }
        DayItem::LastOfWeekday(weekday) => {
            let back = (shape.weekday_of(shape.len) + 7 - weekday) % 7;
            Some(shape.len - back)
        }
        // Several days: `DaySet::mask` takes them.
        DayItem::ToLast { .. } => None,
    }
}

/// How the day-of-month and day-of-week parts combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Combine {
    /// Both must match (APScheduler; cron when either field starts with `*`).
    All,
    /// Either may match (the Vixie cron rule when both fields are restricted).
    Either,
}

/// The whole day rule of a schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct DayRule {
    /// Day-of-month part; `None` means unrestricted.
    pub day_of_month: Option<DaySet>,
    /// Day-of-week part; `None` means unrestricted.
    pub day_of_week: Option<DaySet>,
    /// ISO weeks allowed (bits 1-53); `None` means unrestricted.
    pub weeks: Option<u64>,
    pub combine: Combine,
}

impl DayRule {
    /// Mask of matching days in the month described by `shape`.
    pub(super) fn mask(&self, shape: &MonthShape) -> u64 {
        let dom = self.day_of_month.as_ref().map(|s| s.mask(shape));
        let dow = self.day_of_week.as_ref().map(|s| s.mask(shape));
        let all = shape.all_days();
        let days = match (dom, dow, self.combine) {
            (Some(a), Some(b), Combine::Either) => a | b,
            (a, b, _) => a.unwrap_or(all) & b.unwrap_or(all),
        };
        match self.weeks {
            Some(weeks) if days != 0 => days & week_mask(shape, weeks),
            _ => days,
        }
    }

    /// Whether some month with one of the allowed numbers can ever hold a
    /// matching day, in any year. Exact, because every combination of month
    /// length and weekday of the 1st occurs within the 400-year Gregorian cycle.
    /// ISO-week rules are left to the bounded search.
    pub(super) fn can_match_in(&self, months: u64) -> bool {
        (1..=12u32).filter(|m| months & (1 << m) != 0).any(|month| {
            let lens: &[u32] = match month {
                2 => &[28, 29],
                4 | 6 | 9 | 11 => &[30],
                _ => &[31],
            };
            lens.iter().any(|&len| {
                (0..7).any(|first_weekday| {
                    let shape = MonthShape {
                        year: 2000,
                        month,
                        len,
                        first_weekday,
                    };
                    let rule = DayRule {
                        weeks: None,
                        ..self.clone()
                    };
                    rule.mask(&shape) != 0
                })
            })
        })
    }
}

/// Mask of the days of the month whose ISO week number is in `weeks`.
fn week_mask(shape: &MonthShape, weeks: u64) -> u64 {
    let mut mask = 0;
    let mut week = iso_week(shape.year, shape.month, 1);
    for day in 1..=shape.len {
        // ISO weeks start on Monday (weekday 1).
        if day > 1 && shape.weekday_of(day) == 1 {
            week = iso_week(shape.year, shape.month, day);
        }
        if weeks & (1 << week) != 0 {
            mask |= 1 << day;
        }
    }
    mask
}
