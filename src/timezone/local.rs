//! Zone names given by people, and the system's own zone.

use crate::suggest;
use crate::text::shown;
use chrono_tz::{TZ_VARIANTS, Tz};
use std::path::Path;

/// A time zone name that is not in the IANA database; `hint` is how to fix
/// it, starting with `: ` or ` (`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {}{hint}", shown(name))]
pub struct ZoneError {
    /// The name as given.
    pub name: String,
    /// What to do about it.
    pub hint: String,
}

/// Parses an IANA zone name (`Europe/Berlin`, `UTC`), case-insensitively, with
/// a suggestion when it looks like a typo.
pub fn parse_zone(name: &str) -> Result<Tz, ZoneError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(ZoneError {
            name: name.to_string(),
            hint: ": the name is empty; use an IANA name such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\"".into(),
        });
    }
    if let Ok(tz) = trimmed.parse::<Tz>() {
        return Ok(tz);
    }
    if let Some(tz) = TZ_VARIANTS
        .iter()
        .find(|tz| tz.name().eq_ignore_ascii_case(trimmed))
    {
        return Ok(*tz);
    }
    let hint = match suggest::closest(trimmed, TZ_VARIANTS.iter().map(|tz| tz.name())) {
        Some(close) => format!(": did you mean \"{close}\"?"),
        None => {
            ": use an IANA name such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\"".into()
        }
    };
    Err(ZoneError {
        name: name.to_string(),
        hint,
    })
}

/// The zone name inside a path such as `/usr/share/zoneinfo/Europe/Berlin`.
fn name_from_path(path: &str) -> Option<&str> {
    path.rsplit_once("zoneinfo/").map(|(_, name)| name)
}

/// The system's local zone: `TZ` if set (a name, `:name`, or a path into a
/// zoneinfo directory), else the target of `/etc/localtime`, else
/// `/etc/timezone`, else UTC.
pub fn system_zone() -> Result<Tz, ZoneError> {
    if let Ok(value) = std::env::var("TZ") {
        let value = value.trim().trim_start_matches(':');
        if !value.is_empty() {
            let name = name_from_path(value).unwrap_or(value);
            return parse_zone(name).map_err(|_| ZoneError {
                name: value.to_string(),
                hint: " (from the TZ environment variable): set TZ to an IANA name such as \
                       \"Europe/Berlin\", or pass --timezone"
                    .into(),
            });
        }
    }
    let linked = std::fs::read_link(Path::new("/etc/localtime")).ok();
    if let Some(tz) = linked
        .as_ref()
        .and_then(|target| target.to_str())
        .and_then(name_from_path)
        .and_then(|name| name.parse::<Tz>().ok())
    {
        return Ok(tz);
    }
    if let Ok(text) = std::fs::read_to_string("/etc/timezone")
        && let Ok(tz) = text.trim().parse::<Tz>()
    {
        return Ok(tz);
    }
    Ok(Tz::UTC)
}

/// The zone named by `name`, or the system's zone when `None`.
pub fn zone_or_system(name: Option<&str>) -> Result<Tz, ZoneError> {
    match name {
        Some(name) => parse_zone(name),
        None => system_zone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_names() {
        assert_eq!(
            parse_zone("Europe/Berlin").ok(),
            Some(chrono_tz::Europe::Berlin)
        );
        assert_eq!(
            parse_zone("europe/berlin").ok(),
            Some(chrono_tz::Europe::Berlin)
        );
        assert_eq!(parse_zone(" UTC ").ok(), Some(chrono_tz::UTC));
        let cases = [
            (
                "Europe/Berln",
                "unknown time zone \"Europe/Berln\": did you mean \"Europe/Berlin\"?",
            ),
            (
                "",
                "unknown time zone \"\": the name is empty; use an IANA name such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\"",
            ),
            (
                "  ",
                "unknown time zone \"  \": the name is empty; use an IANA name such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\"",
            ),
            (
                "X",
                "unknown time zone \"X\": use an IANA name such as \"Europe/Berlin\", \"America/New_York\" or \"UTC\"",
            ),
            (
                "Europe/\nBerlin",
                "unknown time zone \"Europe/\\nBerlin\": did you mean \"Europe/Berlin\"?",
            ),
        ];
        for (name, want) in cases {
            let err = parse_zone(name).expect_err(name);
            assert_eq!(err.to_string(), want, "{name:?}");
        }
    }

    #[test]
    fn names_inside_zoneinfo_paths() {
        assert_eq!(
            name_from_path("/usr/share/zoneinfo/Europe/Berlin"),
            Some("Europe/Berlin")
        );
        assert_eq!(name_from_path("../usr/share/zoneinfo/UTC"), Some("UTC"));
        assert_eq!(name_from_path("Europe/Berlin"), None);
    }
}
