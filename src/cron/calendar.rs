//! Proleptic Gregorian calendar arithmetic on plain integers.
//!
//! The engine works on "naive seconds": a wall-clock date and time encoded as
//! seconds since 1970-01-01T00:00:00 *as if it were UTC*. These helpers convert
//! between that encoding and civil fields without going through chrono, which
//! keeps the hot path free of allocation and validation overhead.
//! The algorithms are Howard Hinnant's `days_from_civil` / `civil_from_days`.

/// Seconds in one day.
pub(super) const DAY: i64 = 86_400;

/// A civil date and time of day (no zone).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Civil {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

impl Civil {
    /// Decodes naive seconds into civil fields.
    pub(super) fn from_secs(secs: i64) -> Civil {
        let days = secs.div_euclid(DAY);
        let rem = secs.rem_euclid(DAY) as u32;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem / 60 % 60,
            second: rem % 60,
        }
    }

    /// Encodes civil fields as naive seconds.
    #[cfg(test)]
    pub(super) fn to_secs(self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * DAY
            + i64::from(self.hour * 3600 + self.minute * 60 + self.second)
    }
}

/// Days since 1970-01-01 of the given civil date.
pub(super) fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date of the given count of days since 1970-01-01. Exact for every
/// day chrono can represent (about ±100 million days), which bounds every
/// caller; further out, the day count is clamped rather than wrapped.
pub(super) fn civil_from_days(days: i64) -> (i32, u32, u32) {
    const LIMIT: i64 = 1 << 40;
    let z = days.clamp(-LIMIT, LIMIT) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    // |year| < 2^40 / 365 < 2^32: clamped into i32, never wrapped.
    let year = (yoe + era * 400 + i64::from(month <= 2)).clamp(i32::MIN.into(), i32::MAX.into());
    let year = i32::try_from(year).unwrap_or_default();
    (year, month, day)
}

/// Days before the 1st of each month, by `leap << 4 | month`: common years
/// at 1-12, leap years at 17-28. (Indices are masked to 0-31, so lookups
/// need no bounds checks.)
const DAYS_BEFORE: [u16; 32] = [
    0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 0, 0, 0, //
    0, 0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 0, 0, 0,
];

/// Days in each month, indexed like [`DAYS_BEFORE`].
const MONTH_LEN: [u8; 32] = [
    0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0, 0, 0, //
    0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0, 0, 0,
];

/// Days before the 1st of `month` (1-12), in a common (`leap` 0) or leap
/// (1) year.
#[inline]
pub(super) fn days_before(leap: usize, month: u32) -> i64 {
    i64::from(DAYS_BEFORE[(leap << 4 | month as usize) & 31])
}

/// Days in `month` (1-12), in a common (`leap` 0) or leap (1) year.
#[inline]
pub(super) fn month_len(leap: usize, month: u32) -> u32 {
    u32::from(MONTH_LEN[(leap << 4 | month as usize) & 31])
}

/// Whether `year` is a Gregorian leap year.
#[inline]
pub(super) fn is_leap(year: i32) -> bool {
    // For multiples of 4, "divisible by 100" is "by 25" and "by 400" is
    // "by 16" (two trailing zero bits mean a multiple of 4, four a multiple
    // of 16; sign-agnostic, so exact for negative years too).
    year.trailing_zeros() >= 2 && (year % 25 != 0 || year.trailing_zeros() >= 4)
}

/// The first leap year at or after `year`.
pub(super) fn next_leap_year(year: i32) -> i32 {
    // Round up to a multiple of 4; skip a century year that is not a leap year.
    let year = (year + 3) & !3;
    if is_leap(year) { year } else { year + 4 }
}

/// Number of days in the month.
pub(super) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Day of week of a day count since 1970-01-01, 0 = Sunday .. 6 = Saturday.
pub(super) fn weekday_of_days(days: i64) -> u32 {
    // 1970-01-01 was a Thursday (4).
    (days + 4).rem_euclid(7) as u32
}

/// ISO 8601 week number (1-53) of a civil date.
pub(super) fn iso_week(year: i32, month: u32, day: u32) -> u32 {
    let days = days_from_civil(year, month, day);
    // ISO weekday: Monday = 1 .. Sunday = 7.
    let iso_wd = i64::from((weekday_of_days(days) + 6) % 7 + 1);
    // The Thursday of this week decides the ISO year.
    let thursday = days - iso_wd + 4;
    let (iso_year, _, _) = civil_from_days(thursday);
    let jan1 = days_from_civil(iso_year, 1, 1);
    ((thursday - jan1) / 7 + 1) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate};

    #[test]
    fn round_trips_against_chrono() {
        let mut date = NaiveDate::from_ymd_opt(1899, 12, 25).expect("valid date");
        let end = NaiveDate::from_ymd_opt(2205, 1, 10).expect("valid date");
        while date < end {
            let days = days_from_civil(date.year(), date.month(), date.day());
            let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
            assert_eq!(days, (date - epoch).num_days(), "{date}");
            assert_eq!(
                civil_from_days(days),
                (date.year(), date.month(), date.day())
            );
            assert_eq!(
                weekday_of_days(days),
                date.weekday().num_days_from_sunday(),
                "{date}"
            );
            assert_eq!(
                iso_week(date.year(), date.month(), date.day()),
                date.iso_week().week(),
                "{date}"
            );
            date = date.succ_opt().expect("in range");
        }
    }

    #[test]
    fn leap_years() {
        for year in -2000..12_000 {
            let want = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            assert_eq!(is_leap(year), want, "{year}");
        }
    }

    #[test]
    // Bounded: among any eight consecutive years one is a leap year.
    #[allow(clippy::maybe_infinite_iter)]
    fn next_leap_years() {
        for year in -1000..3000 {
            let want = (year..).find(|&y| is_leap(y)).expect("some leap year");
            assert_eq!(next_leap_year(year), want, "{year}");
        }
    }

    #[test]
    fn month_lengths() {
        let cases = [
            (2024, 2, 29),
            (2025, 2, 28),
            (2100, 2, 28),
            (2000, 2, 29),
            (2025, 4, 30),
            (2025, 12, 31),
        ];
        for (y, m, want) in cases {
            assert_eq!(days_in_month(y, m), want, "{y}-{m}");
        }
    }

    #[test]
    fn civil_secs_round_trip() {
        for secs in [-86_401_i64, -1, 0, 1, 1_774_746_000, 7_258_118_399] {
            assert_eq!(Civil::from_secs(secs).to_secs(), secs);
        }
    }
}
