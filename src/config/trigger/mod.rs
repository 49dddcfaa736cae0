//! Which trigger a job asked for, and building it from the job's keys.

mod cache;
mod kind;

pub(super) use cache::Schedules;
pub(super) use kind::TriggerKind;

use super::diagnostic::Diagnostics;
use super::values::Value;
use crate::cron::CronFields;
use crate::text::shown;
use crate::trigger::Kind;
use chrono::DateTime;
use chrono_tz::Tz;
use std::ops::Range;
use std::time::Duration;
use toml::Spanned;
use toml::de::{DeString, DeTable};

/// The trigger arguments gathered from a job's keys.
#[derive(Default)]
pub(super) struct TriggerArgs {
    /// `cron = "..."` and where it was.
    pub cron_text: Option<(String, Range<usize>)>,
    pub fields: CronFields,
    /// The sum of weeks ... seconds, if any was given.
    pub period: Option<Duration>,
    pub run_date: Option<DateTime<Tz>>,
}

impl TriggerArgs {
    /// Reads the argument `key` (of [`TriggerKind::keys`]); times are read
    /// in `tz`.
    pub(super) fn read(
        &mut self,
        diags: &mut Diagnostics<'_>,
        key: &str,
        v: &Value<'_, '_>,
        what: &str,
        tz: Tz,
    ) {
        if let Some(slot) = self.fields.slot(key) {
            *slot = v.cron_field(diags, what);
            return;
        }
        let unit = match key {
            "run_date" => {
                self.run_date = v.time(diags, what, tz);
                return;
            }
            "weeks" => 604_800,
            "days" => 86_400,
            "hours" => 3600,
            "minutes" => 60,
            _ => 1,
        };
        let period = self.period.get_or_insert(Duration::ZERO);
        if let Some(n) = v.count(diags, what, 0, 1_000_000_000) {
            *period += Duration::from_secs(n as u64 * unit);
        }
    }
}

/// Which trigger a job asked for, and where.
pub(super) fn which<'a>(
    diags: &mut Diagnostics<'_>,
    id: &Spanned<DeString<'_>>,
    table: &'a toml::de::DeTable<'a>,
) -> Option<TriggerKind> {
    let get = |k: &str| table.iter().find(|(key, _)| key.get_ref() == k);
    let short = get("cron");
    let long = get("trigger");
    match (short, long) {
        (Some(_), Some((key, _))) => {
            diags.error(
                key.span(),
                format!(
                    "job \"{}\" has two triggers: cron = \"...\" and trigger = ...",
                    id.get_ref()
                ),
                Some(
                    "keep one: cron = \"...\" for a cron string, or trigger = \"cron\" with fields"
                        .into(),
                ),
            );
            None
        }
        (Some(_), None) => Some(TriggerKind::CronString),
        (None, Some((_, value))) => {
            let v = Value::new(value);
            match v.string(diags, "trigger")?.parse() {
                Ok(kind) => Some(kind),
                Err(e) => {
                    diags.error(v.span(), e.to_string(), Some(e.hint()));
                    None
                }
            }
        }
        (None, None) => {
            diags.error(id.span(), format!("job \"{}\" has no trigger", id.get_ref()), Some("add cron = \"30 2 * * *\", or trigger = \"cron\" | \"interval\" | \"date\" with its arguments".into()));
            None
        }
    }
}

/// `trigger = "cron"` without any field fires every second, as in
/// APScheduler; that is rarely meant.
fn every_second_warning(
    diags: &mut Diagnostics<'_>,
    id: &Spanned<DeString<'_>>,
    table: &DeTable<'_>,
) {
    let span = table
        .iter()
        .find(|(k, _)| k.get_ref() == "trigger")
        .map_or(id.span(), |(k, _)| k.span());
    diags.warn(
        span,
        format!("job \"{}\": trigger = \"cron\" with no fields fires every second", id.get_ref()),
        Some("give the fields it should match, e.g. hour = 3; second = \"*\" says every second on purpose".into()),
    );
}

/// The hint of an invalid cron string: the `apsched validate` command that
/// checks it, ready to paste into a POSIX shell (whitespace, newlines
/// included, collapsed to single spaces, which the parser reads the same).
/// The longest expression repeated in a hint.
const HINT_EXPRESSION_MAX: usize = 80;

fn validate_hint(text: &str) -> String {
    let expression = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // A message stays one short line: a long expression is not repeated.
    if expression.chars().count() > HINT_EXPRESSION_MAX {
        return "try it with: apsched validate '...' (the job's expression)".into();
    }
    let quoted = format!("'{}'", expression.replace('\'', r"'\''"));
    let dashes = if expression.starts_with('-') {
        "-- "
    } else {
        ""
    };
    format!("try it with: apsched validate {dashes}{quoted}")
}

/// `cron = "@every 90s"`: an interval trigger of that period.
fn every(
    diags: &mut Diagnostics<'_>,
    name: &str,
    text: &str,
    span: Range<usize>,
    period: Result<Duration, crate::duration::DurationError>,
) -> Option<Kind> {
    match period {
        Ok(period) => Some(Kind::Interval { period }),
        Err(e) => {
            diags.error(
                span,
                format!(
                    "jobs.{name}.cron: {} needs a period of at least 1s: {e}",
                    shown(text)
                ),
                Some("write it as \"@every 90s\" or \"@every 1h30m\"".into()),
            );
            None
        }
    }
}

/// Builds the trigger kind `kind` (from [`which`]) out of `args`.
pub(super) fn build(
    diags: &mut Diagnostics<'_>,
    schedules: &mut Schedules,
    id: &Spanned<DeString<'_>>,
    table: &DeTable<'_>,
    kind: TriggerKind,
    args: TriggerArgs,
) -> Option<Kind> {
    let name = id.get_ref();
    Some(match kind {
        TriggerKind::CronString => {
            let (text, span) = args.cron_text?;
            if let Some(period) = crate::duration::parse_every(&text) {
                return every(diags, name, &text, span, period);
            }
            match schedules.string(&text) {
                Ok(s) => {
                    for w in s.warnings() {
                        diags.warn(span.clone(), format!("jobs.{name}.cron: {w}"), None);
                    }
                    Kind::Cron(s)
                }
                Err(e) => {
                    diags.error(
                        span,
                        format!(
                            "jobs.{name}.cron: invalid cron expression {}: {e}",
                            shown(&text)
                        ),
                        Some(validate_hint(&text)),
                    );
                    return None;
                }
            }
        }
        TriggerKind::Cron => match schedules.fields(&args.fields) {
            Ok(s) => {
                if args.fields == CronFields::default() {
                    every_second_warning(diags, id, table);
                }
                Kind::Cron(s)
            }
            Err(e) => {
                let span = table
                    .iter()
                    .find(|(k, _)| k.get_ref() == e.field)
                    .map_or(id.span(), |(k, _)| k.span());
                diags.error(span, format!("jobs.{name}.{e}"), None);
                return None;
            }
        },
        TriggerKind::Interval if args.period.is_none_or(|p| p.is_zero()) => {
            diags.error(
                id.span(),
                format!("interval job \"{name}\" needs a period"),
                Some("add weeks, days, hours, minutes or seconds, e.g. minutes = 5".into()),
            );
            return None;
        }
        TriggerKind::Interval => Kind::Interval {
            period: args.period.unwrap_or_default(),
        },
        TriggerKind::Startup => Kind::Startup,
        TriggerKind::Date => {
            if let Some(run_date) = args.run_date {
                Kind::Date {
                    run_date: Box::new(run_date),
                }
            } else {
                if !table.iter().any(|(k, _)| k.get_ref() == "run_date") {
                    diags.error(
                        id.span(),
                        format!("date job \"{name}\" needs run_date"),
                        Some("run_date = \"2027-01-01T00:00:00\"".into()),
                    );
                }
                return None;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn validate_hints_quote_the_expression() {
        let cases = [
            ("61 * * * *", "try it with: apsched validate '61 * * * *'"),
            (
                " 0  0\n* * *\t",
                "try it with: apsched validate '0 0 * * *'",
            ),
            (
                "0 0 * * 'x'",
                r"try it with: apsched validate '0 0 * * '\''x'\'''",
            ),
            (
                "-1 * * * *",
                "try it with: apsched validate -- '-1 * * * *'",
            ),
            (
                &"1 ".repeat(60),
                "try it with: apsched validate '...' (the job's expression)",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(super::validate_hint(text), want, "{text:?}");
        }
    }
}
