//! A `CRON_TZ=Zone` or `TZ=Zone` prefix on a cron string (the spelling of
//! cronie and croner): the time zone of that one expression.

use super::error::CronError;
use crate::timezone::parse_zone;
use chrono_tz::Tz;

/// Splits `text` into the zone of its `CRON_TZ=`/`TZ=` prefix, if it has
/// one, and the expression after it; an unknown zone is an error.
pub(super) fn split(text: &str) -> Result<(Option<Tz>, &str), CronError> {
    let trimmed = text.trim_start();
    let Some(rest) = trimmed
        .strip_prefix("CRON_TZ=")
        .or_else(|| trimmed.strip_prefix("TZ="))
    else {
        return Ok((None, text));
    };
    let (name, expr) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let tz = parse_zone(name)
        .map_err(|e| CronError::new("expression", trimmed, format!("in the prefix: {e}")))?;
    Ok((Some(tz), expr))
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn prefixes_name_the_zone() {
        let cases = [
            (
                "CRON_TZ=Europe/Berlin 0 9 * * *",
                Some("Europe/Berlin"),
                "0 9 * * *",
            ),
            ("  TZ=UTC  @daily", Some("UTC"), " @daily"),
            ("0 9 * * *", None, "0 9 * * *"),
        ];
        for (text, zone, rest) in cases {
            let (tz, expr) = split(text).expect(text);
            assert_eq!(tz.map(|t| t.name().to_string()).as_deref(), zone, "{text}");
            assert_eq!(expr, rest, "{text}");
        }
        let err = split("CRON_TZ=Europe/Berln 0 9 * * *").expect_err("unknown");
        assert!(
            err.to_string()
                .starts_with("expression: in the prefix: unknown time zone \"Europe/Berln\""),
            "{err}"
        );
    }
}
