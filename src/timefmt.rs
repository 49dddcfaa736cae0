//! RFC 3339 text of a time, in the few exact forms apsched writes.
//!
//! The forms differ in the fraction of a second (none, milliseconds, or
//! only when there is one) and in how a zero offset is written: the `_z`
//! forms write `Z`, the others `+00:00`. Each place keeps the form it has
//! always written, so the helpers are named by form, not by use.

use chrono::{DateTime, SecondsFormat, TimeZone};
use std::fmt::Display;

/// `2026-03-29T03:30:00+02:00`: whole seconds, a zero offset as `+00:00`.
pub(crate) fn rfc3339_secs<Z: TimeZone>(t: &DateTime<Z>) -> String
where
    Z::Offset: Display,
{
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// `2026-03-29T01:30:00Z`: whole seconds, a zero offset as `Z`.
pub(crate) fn rfc3339_secs_z<Z: TimeZone>(t: &DateTime<Z>) -> String
where
    Z::Offset: Display,
{
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `2026-03-29T03:30:00.012+02:00`: milliseconds, a zero offset as `+00:00`.
pub(crate) fn rfc3339_millis<Z: TimeZone>(t: &DateTime<Z>) -> String
where
    Z::Offset: Display,
{
    t.to_rfc3339_opts(SecondsFormat::Millis, false)
}

/// `2026-03-29T01:30:00.012Z`: milliseconds, a zero offset as `Z`.
pub(crate) fn rfc3339_millis_z<Z: TimeZone>(t: &DateTime<Z>) -> String
where
    Z::Offset: Display,
{
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `2026-03-29T03:30:00+02:00` or `...:00.5+02:00`: the fraction only when
/// there is one (in 3, 6 or 9 digits), a zero offset as `+00:00`.
pub(crate) fn rfc3339_auto<Z: TimeZone>(t: &DateTime<Z>) -> String
where
    Z::Offset: Display,
{
    t.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// `2026-03-29T01:30:00Z` or `...:00.500Z`: the fraction only when there is
/// one, a zero offset as `Z`.
pub(crate) fn rfc3339_auto_z<Z: TimeZone>(t: &DateTime<Z>) -> String
where
    Z::Offset: Display,
{
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn each_form() {
        let utc = DateTime::parse_from_rfc3339("2026-03-29T01:30:00.5Z")
            .expect("time")
            .with_timezone(&Utc);
        let whole = DateTime::parse_from_rfc3339("2026-03-29T01:30:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let berlin = utc.with_timezone(&chrono_tz::Europe::Berlin);
        let cases = [
            (rfc3339_secs(&utc), "2026-03-29T01:30:00+00:00"),
            (rfc3339_secs(&berlin), "2026-03-29T03:30:00+02:00"),
            (rfc3339_secs_z(&utc), "2026-03-29T01:30:00Z"),
            (rfc3339_secs_z(&berlin), "2026-03-29T03:30:00+02:00"),
            (rfc3339_millis(&utc), "2026-03-29T01:30:00.500+00:00"),
            (rfc3339_millis(&whole), "2026-03-29T01:30:00.000+00:00"),
            (rfc3339_millis_z(&utc), "2026-03-29T01:30:00.500Z"),
            (rfc3339_auto(&utc), "2026-03-29T01:30:00.500+00:00"),
            (rfc3339_auto(&whole), "2026-03-29T01:30:00+00:00"),
            (rfc3339_auto_z(&whole), "2026-03-29T01:30:00Z"),
            (rfc3339_auto_z(&berlin), "2026-03-29T03:30:00.500+02:00"),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }
}
