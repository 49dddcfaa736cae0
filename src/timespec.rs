//! Times given by people on the command line (`--after`, `--at`).
//!
//! Accepted forms:
//! - `now`;
//! - an RFC 3339 instant: `2026-03-29T00:30:00Z`, `2026-03-29T02:30:00.5+01:00`
//!   (a space may replace the `T`);
//! - a local date-time without offset, read in the given zone:
//!   `2026-03-29T02:30`, `2026-03-29 02:30:00`, `2026-03-29T02:30:00.250`,
//!   or a date alone (`2026-03-29`, midnight). A local time skipped by DST is
//!   shifted forward by the gap, a repeated one means its first occurrence
//!   (the policy of [`crate::timezone`]).

use crate::text::shown;
use crate::timezone::resolve_local;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;

/// A time that does not parse or cannot be placed in its zone.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid time {}: {reason}", shown(text))]
pub struct TimeError {
    /// The text as given.
    pub text: String,
    /// Why it is not a time, for people.
    pub reason: String,
}

const LOCAL_FORMATS: [&str; 4] = [
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
];

/// Parses `text` as a time, reading local forms in `tz`; `now` is the time
/// that `now` names. The result is in `tz`.
pub fn parse_time(text: &str, tz: Tz, now: DateTime<Utc>) -> Result<DateTime<Tz>, TimeError> {
    let trimmed = text.trim();
    if trimmed.eq_ignore_ascii_case("now") {
        return Ok(now.with_timezone(&tz));
    }
    parse_fixed_time(text, tz)
}

/// Parses `text` as a fixed time (any form but `now`), reading local forms
/// in `tz`; the result is in `tz`.
pub fn parse_fixed_time(text: &str, tz: Tz) -> Result<DateTime<Tz>, TimeError> {
    let trimmed = text.trim();
    if let Ok(instant) = DateTime::parse_from_rfc3339(trimmed) {
        return Ok(instant.with_timezone(&tz));
    }
    let local = LOCAL_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(trimmed, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(trimmed, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        });
    match local {
        Some(wall) => resolve_local(tz, &wall)
            .map(|(t, _)| t)
            .ok_or_else(|| TimeError {
                text: text.to_string(),
                reason: format!("it cannot be placed in {}", tz.name()),
            }),
        None => Err(TimeError {
            text: text.to_string(),
            reason: "expected RFC 3339 (2026-03-29T00:30:00Z, 2026-03-29T02:30:00+01:00), \
                     a local date-time (2026-03-29T02:30, 2026-03-29 02:30:00) or \"now\""
                .into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        let berlin = chrono_tz::Europe::Berlin;
        let cases = [
            ("2026-03-29T00:30:00Z", "2026-03-29T01:30:00+01:00"),
            (
                "2026-03-29T02:30:00.5+01:00",
                "2026-03-29T03:30:00.500+02:00",
            ),
            ("2026-03-29 00:30:00z", "2026-03-29T01:30:00+01:00"),
            ("2026-03-29T01:30", "2026-03-29T01:30:00+01:00"),
            ("2026-03-29 01:30:15", "2026-03-29T01:30:15+01:00"),
            ("2026-03-29T01:30:15.250", "2026-03-29T01:30:15.250+01:00"),
            ("2026-03-29", "2026-03-29T00:00:00+01:00"),
            // Skipped by DST: shifted forward by the gap.
            ("2026-03-29T02:30", "2026-03-29T03:30:00+02:00"),
            // Repeated: the first occurrence.
            ("2026-10-25T02:30", "2026-10-25T02:30:00+02:00"),
        ];
        for (text, want) in cases {
            let got = parse_time(text, berlin, Utc::now()).expect(text);
            assert_eq!(got.to_rfc3339(), want, "{text}");
        }
    }

    #[test]
    fn now_is_the_time_given() {
        let now = DateTime::parse_from_rfc3339("2026-03-29T00:30:00Z")
            .expect("time")
            .to_utc();
        let got = parse_time(" NOW ", chrono_tz::Europe::Berlin, now).expect("now");
        assert_eq!(got.to_rfc3339(), "2026-03-29T01:30:00+01:00");
    }

    #[test]
    fn rejected_forms_say_what_is_expected() {
        for text in ["tomorrow", "2026-13-01", "2026-02-30T10:00", "12:00", ""] {
            let err = parse_time(text, Tz::UTC, Utc::now()).expect_err(text);
            assert!(
                err.to_string().contains("expected RFC 3339"),
                "{text}: {err}"
            );
        }
    }
}
