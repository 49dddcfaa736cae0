//! Typed reads of TOML values, each failure recorded as a diagnostic.

use super::diagnostic::Diagnostics;
use crate::duration;
use crate::suggest;
use crate::text::shown;
use crate::timespec::parse_fixed_time;
use chrono::DateTime;
use chrono_tz::Tz;
use std::ops::Range;
use std::time::Duration;
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

/// The longest duration accepted anywhere (timeouts, grace times, jitter),
/// so that adding one to a time never overflows.
const MAX_DURATION: Duration = Duration::from_secs(100 * 366 * 86_400);

/// A value of the file with its place.
pub(super) struct Value<'a, 'i> {
    inner: &'a Spanned<DeValue<'i>>,
}

/// Reports a key that is not known here, suggesting the closest known one.
pub(super) fn unknown_key(
    diags: &mut Diagnostics<'_>,
    key: &Spanned<DeString<'_>>,
    name: &str,
    known: &[&str],
    place: &str,
) {
    let hint = suggest::closest(name, known.iter().copied())
        .map(|k| format!("did you mean \"{k}\"?"))
        .or_else(|| Some(format!("known keys: {}", known.join(", "))));
    diags.error(
        key.span(),
        format!("unknown key {} {place}", shown(name)),
        hint,
    );
}

impl<'a, 'i> Value<'a, 'i> {
    pub(super) fn new(inner: &'a Spanned<DeValue<'i>>) -> Value<'a, 'i> {
        Value { inner }
    }

    pub(super) fn span(&self) -> Range<usize> {
        self.inner.span()
    }

    pub(super) fn raw(&self) -> &'a DeValue<'i> {
        self.inner.get_ref()
    }

    fn wrong_type(&self, diags: &mut Diagnostics<'_>, what: &str, expected: &str) {
        diags.error(
            self.span(),
            format!("{what} must be {expected}, not {}", self.raw().type_str()),
            None,
        );
    }

    pub(super) fn table(&self, diags: &mut Diagnostics<'_>, what: &str) -> Option<&'a DeTable<'i>> {
        if let DeValue::Table(t) = self.raw() {
            Some(t)
        } else {
            self.wrong_type(diags, what, "a table");
            None
        }
    }

    pub(super) fn string(&self, diags: &mut Diagnostics<'_>, what: &str) -> Option<&'a str> {
        if let DeValue::String(s) = self.raw() {
            Some(s.as_ref())
        } else {
            self.wrong_type(diags, what, "a string");
            None
        }
    }

    pub(super) fn boolean(&self, diags: &mut Diagnostics<'_>, what: &str) -> Option<bool> {
        if let DeValue::Boolean(b) = self.raw() {
            Some(*b)
        } else {
            self.wrong_type(diags, what, "true or false");
            None
        }
    }

    /// An integer (TOML integer, or `None` with a diagnostic).
    pub(super) fn integer(&self, diags: &mut Diagnostics<'_>, what: &str) -> Option<i64> {
        if let DeValue::Integer(i) = self.raw() {
            let digits = i.as_str().replace('_', "");
            let parsed = i64::from_str_radix(&digits, i.radix()).ok();
            if parsed.is_none() {
                diags.error(self.span(), format!("{what} is too large"), None);
            }
            parsed
        } else {
            self.wrong_type(diags, what, "an integer");
            None
        }
    }

    /// A whole number in `min..=max`.
    pub(super) fn count(
        &self,
        diags: &mut Diagnostics<'_>,
        what: &str,
        min: i64,
        max: i64,
    ) -> Option<usize> {
        let n = self.integer(diags, what)?;
        if n < min || n > max {
            diags.error(
                self.span(),
                format!("{what} must be between {min} and {max}, not {n}"),
                None,
            );
            return None;
        }
        usize::try_from(n).ok()
    }

    /// A duration: seconds as an integer, or text such as `"1h30m"`; with
    /// `none_ok`, `"none"` gives `Some(None)` (no limit).
    // `None`: invalid (reported); `Some(None)`: "none", no limit.
    #[allow(clippy::option_option)]
    pub(super) fn duration(
        &self,
        diags: &mut Diagnostics<'_>,
        what: &str,
        none_ok: bool,
    ) -> Option<Option<Duration>> {
        let parsed = self.any_duration(diags, what, none_ok)?;
        if parsed.is_some_and(|d| d > MAX_DURATION) {
            diags.error(
                self.span(),
                format!("{what} is too long: at most 100 years"),
                None,
            );
            return None;
        }
        Some(parsed)
    }

    /// [`Value::duration`] without the upper bound.
    // `None`: invalid (reported); `Some(None)`: "none", no limit.
    #[allow(clippy::option_option)]
    fn any_duration(
        &self,
        diags: &mut Diagnostics<'_>,
        what: &str,
        none_ok: bool,
    ) -> Option<Option<Duration>> {
        match self.raw() {
            DeValue::Integer(_) => {
                let n = self.integer(diags, what)?;
                if let Ok(secs) = u64::try_from(n) {
                    Some(Some(Duration::from_secs(secs)))
                } else {
                    diags.error(self.span(), format!("{what} cannot be negative"), None);
                    None
                }
            }
            DeValue::String(s) if none_ok && s.trim().eq_ignore_ascii_case("none") => Some(None),
            DeValue::String(s) => match duration::parse(s) {
                Ok(d) => Some(Some(d)),
                Err(e) => {
                    let hint = none_ok.then(|| "or \"none\" for no limit".to_string());
                    diags.error(self.span(), format!("{what}: {e}"), hint);
                    None
                }
            },
            _ => {
                self.wrong_type(
                    diags,
                    what,
                    "a duration (\"90s\", \"5m\", \"1h30m\") or seconds",
                );
                None
            }
        }
    }

    /// A time: a TOML date-time or a string; local forms are read in `tz`.
    pub(super) fn time(
        &self,
        diags: &mut Diagnostics<'_>,
        what: &str,
        tz: Tz,
    ) -> Option<DateTime<Tz>> {
        let text = match self.raw() {
            DeValue::Datetime(d) => d.to_string(),
            DeValue::String(s) => s.to_string(),
            _ => {
                self.wrong_type(diags, what, "a date-time (2027-01-01T00:00:00 or RFC 3339)");
                return None;
            }
        };
        if text.trim().eq_ignore_ascii_case("now") {
            diags.error(
                self.span(),
                format!("{what} must be a fixed date-time, not \"now\""),
                None,
            );
            return None;
        }
        match parse_fixed_time(&text, tz) {
            Ok(t) => Some(t),
            Err(e) => {
                diags.error(self.span(), format!("{what}: {e}"), None);
                None
            }
        }
    }

    /// A cron field: an integer or a string expression, as text.
    pub(super) fn cron_field(&self, diags: &mut Diagnostics<'_>, what: &str) -> Option<String> {
        match self.raw() {
            DeValue::Integer(_) => self.integer(diags, what).map(|n| n.to_string()),
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.wrong_type(diags, what, "an integer or a string expression");
                None
            }
        }
    }
}
