//! Which trigger a job asked for, and building it from the job's keys.

mod cache;
mod kind;
mod members;

pub(crate) use cache::Schedules;
pub(super) use kind::TriggerKind;
pub(super) use members::Site;
pub(crate) use members::{MAX_DEPTH, MAX_MEMBERS};

use super::diagnostic::Diagnostics;
use super::values::Value;
use crate::cron::CronFields;
use crate::text::shown;
use crate::trigger::Kind;
use chrono::DateTime;
use chrono_tz::Tz;
use std::ops::Range;
use std::time::Duration;

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
            // The members are read where the trigger is built.
            "triggers" => return,
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

/// Which trigger a job (or a member of its `or`/`and`) asked for.
pub(super) fn which(diags: &mut Diagnostics<'_>, site: &Site<'_, '_>) -> Option<TriggerKind> {
    let get = |k: &str| site.table.iter().find(|(key, _)| key.get_ref() == k);
    let short = get("cron");
    let long = get("trigger");
    match (short, long) {
        (Some(_), Some((key, _))) => {
            diags.error(
                key.span(),
                format!(
                    "{} has two triggers: cron = \"...\" and trigger = ...",
                    site.named()
                ),
                Some(
                    "keep one: cron = \"...\" for a cron string, or trigger = \"cron\" with fields"
                        .into(),
                ),
            );
            None
        }
        (Some((_, value)), None) if matches!(value.get_ref(), toml::de::DeValue::Array(_)) => {
            Some(TriggerKind::CronList)
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
            diags.error(site.span.clone(), format!("{} has no trigger", site.named()), Some("add cron = \"30 2 * * *\", or trigger = \"cron\" | \"interval\" | \"date\" with its arguments".into()));
            None
        }
    }
}

/// `trigger = "cron"` without any field fires every second, as in
/// APScheduler; that is rarely meant.
fn every_second_warning(diags: &mut Diagnostics<'_>, site: &Site<'_, '_>) {
    let span = site
        .table
        .iter()
        .find(|(k, _)| k.get_ref() == "trigger")
        .map_or(site.span.clone(), |(k, _)| k.span());
    diags.warn(
        span,
        format!("{}: trigger = \"cron\" with no fields fires every second", site.named()),
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
    what: &str,
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
                    "{what}: {} {}",
                    shown(text),
                    crate::duration::every_refused(&e)
                ),
                Some("write it as \"@every 90s\" or \"@every 1h30m\"".into()),
            );
            None
        }
    }
}

/// One cron string (`what` names it in messages: `jobs.ID.cron`) as a
/// trigger kind: `@every` as an interval, else a cron schedule.
fn cron_string(
    diags: &mut Diagnostics<'_>,
    schedules: &mut Schedules,
    what: &str,
    (text, span): (&str, Range<usize>),
) -> Option<Kind> {
    if let Some(period) = crate::duration::parse_every(text) {
        return every(diags, what, text, span, period);
    }
    match schedules.string(text) {
        Ok(s) => {
            for w in s.warnings() {
                diags.warn(span.clone(), format!("{what}: {w}"), None);
            }
            Some(Kind::Cron(s))
        }
        Err(e) => {
            diags.error(
                span,
                format!("{what}: invalid cron expression {}: {e}", shown(text)),
                Some(validate_hint(text)),
            );
            None
        }
    }
}

/// Builds the trigger kind `kind` (from [`which`]) out of `args`.
pub(super) fn build(
    diags: &mut Diagnostics<'_>,
    schedules: &mut Schedules,
    site: &Site<'_, '_>,
    kind: TriggerKind,
    args: TriggerArgs,
) -> Option<Kind> {
    Some(match kind {
        TriggerKind::CronString => {
            let (text, span) = args.cron_text?;
            let what = format!("{}.cron", site.path);
            return cron_string(diags, schedules, &what, (&text, span));
        }
        TriggerKind::CronList => return members::cron_list(diags, schedules, site),
        TriggerKind::Or | TriggerKind::And => {
            let members = members::members(diags, schedules, site, kind)?.into();
            if kind == TriggerKind::Or {
                Kind::Or(members)
            } else {
                Kind::And(members)
            }
        }
        TriggerKind::Cron => match schedules.fields(&args.fields) {
            Ok(s) => {
                if args.fields == CronFields::default() {
                    every_second_warning(diags, site);
                }
                Kind::Cron(s)
            }
            Err(e) => {
                let span = site
                    .table
                    .iter()
                    .find(|(k, _)| k.get_ref() == e.field)
                    .map_or(site.span.clone(), |(k, _)| k.span());
                diags.error(span, format!("{}.{e}", site.path), None);
                return None;
            }
        },
        TriggerKind::Interval if args.period.is_none_or(|p| p.is_zero()) => {
            diags.error(
                site.span.clone(),
                format!("{} needs a period", site.called("interval")),
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
                if !site.table.iter().any(|(k, _)| k.get_ref() == "run_date") {
                    diags.error(
                        site.span.clone(),
                        format!("{} needs run_date", site.called("date")),
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
