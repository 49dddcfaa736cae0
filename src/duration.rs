//! Durations as people write them in the schedule file: `90`, `"90s"`,
//! `"5m"`, `"1h30m"`, `"2d"`, `"1w"`, and `"none"` where "no limit" makes sense.

use std::fmt;
use std::fmt::Write as _;
use std::time::Duration;

/// Units accepted after a number, longest first so `ms` wins over `m`.
const UNITS: [(&str, u64); 12] = [
    ("ms", 0),
    ("weeks", 604_800),
    ("week", 604_800),
    ("w", 604_800),
    ("days", 86_400),
    ("day", 86_400),
    ("d", 86_400),
    ("h", 3600),
    ("min", 60),
    ("m", 60),
    ("sec", 1),
    ("s", 1),
];

/// Why a duration text did not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurationError(pub String);

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is not a duration: use seconds (90) or a number with units, \
             as in \"90s\", \"5m\", \"1h30m\", \"2d\"",
            crate::text::shown(&self.0)
        )
    }
}

/// Parses `"1h30m"`-style text (units w, d, h, m, s, ms; a bare number is seconds).
pub fn parse(text: &str) -> Result<Duration, DurationError> {
    let err = || DurationError(text.to_string());
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(err());
    }
    // Digits only: `+90` is as wrong here as in a cron field.
    if rest.bytes().all(|b| b.is_ascii_digit()) {
        return rest.parse().map(Duration::from_secs).map_err(|_| err());
    }
    let mut total = Duration::ZERO;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(err());
        }
        let number: u64 = rest[..digits].parse().map_err(|_| err())?;
        rest = rest[digits..].trim_start();
        let (unit, secs) = UNITS
            .iter()
            .find(|(unit, _)| rest.starts_with(unit))
            .ok_or_else(err)?;
        let part = if *unit == "ms" {
            Duration::from_millis(number)
        } else {
            Duration::from_secs(number.checked_mul(*secs).ok_or_else(err)?)
        };
        total = total.checked_add(part).ok_or_else(err)?;
        rest = rest[unit.len()..].trim_start();
    }
    Ok(total)
}

/// Why an `@every` period is refused, after the text that names it:
/// `needs a period of at least 1s: ...`.
pub(crate) fn every_refused(e: &DurationError) -> String {
    format!("needs a period of at least 1s: {e}")
}

/// `@every 90s` / `@every 1h30m` (the shorthand of robfig/cron and croner
/// for an interval): `None` if `text` is not of that form, else its period,
/// which must be at least one second.
pub fn parse_every(text: &str) -> Option<Result<Duration, DurationError>> {
    let trimmed = text.trim();
    let head = trimmed.get(..6)?;
    let rest = trimmed[6..].trim();
    if !head.eq_ignore_ascii_case("@every")
        || trimmed.len() > 6 && !trimmed[6..].starts_with(char::is_whitespace)
    {
        return None;
    }
    Some(match parse(rest) {
        Ok(d) if d.as_secs() >= 1 => Ok(d),
        Ok(_) => Err(DurationError(rest.to_string())),
        Err(e) => Err(e),
    })
}

/// Formats a duration compactly: `1h30m`, `45s`, `2d`, `250ms`.
#[must_use]
pub fn format(d: Duration) -> String {
    let mut secs = d.as_secs();
    if secs == 0 {
        return format!("{}ms", d.subsec_millis());
    }
    let mut out = String::new();
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
        if secs >= size {
            // Writing to a String cannot fail.
            let _ = write!(out, "{}{unit}", secs / size);
            secs %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_every_takes_a_period_of_a_second_or_more() {
        let secs = |t: &str| parse_every(t).map(|r| r.map(|d| d.as_secs()));
        assert_eq!(secs("@every 90s"), Some(Ok(90)));
        assert_eq!(secs("  @EVERY   1h30m "), Some(Ok(5400)));
        assert_eq!(secs("@every 0s"), Some(Err(DurationError("0s".into()))));
        assert_eq!(secs("@every"), Some(Err(DurationError(String::new()))));
        assert!(matches!(secs("@every soon"), Some(Err(_))));
        assert_eq!(secs("@everyday"), None);
        assert_eq!(secs("@daily"), None);
        assert_eq!(secs("0 * * * *"), None);
    }

    #[test]
    fn accepted_forms() {
        let cases = [
            ("90", 90_000),
            ("90s", 90_000),
            ("5m", 300_000),
            ("5min", 300_000),
            ("1h30m", 5_400_000),
            ("1h 30m 15s", 5_415_000),
            ("2d", 172_800_000),
            ("1w", 604_800_000),
            ("250ms", 250),
            ("1m500ms", 60_500),
        ];
        for (text, millis) in cases {
            assert_eq!(parse(text).map(|d| d.as_millis()), Ok(millis), "{text}");
        }
    }

    #[test]
    fn rejected_forms() {
        for text in [
            "",
            "h",
            "-5s",
            "5x",
            "1.5h",
            "99999999999999999999w",
            "5m m",
            "+90",
            "+5m",
            "99999999999999999999",
        ] {
            assert!(parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn formatting() {
        let cases = [
            (5400, "1h30m"),
            (45, "45s"),
            (172_800, "2d"),
            (90_061, "1d1h1m1s"),
        ];
        for (secs, want) in cases {
            assert_eq!(format(Duration::from_secs(secs)), want);
        }
        assert_eq!(format(Duration::from_millis(250)), "250ms");
    }
}
