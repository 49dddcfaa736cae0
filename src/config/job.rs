//! The sections of the schedule file: `[scheduler]`, `[defaults]`, `[jobs.ID]`.

use super::diagnostic::Diagnostics;
use super::settings::zone;
use super::trigger::{self, TriggerArgs};
use super::values::{Value, unknown_key};
use super::{Command, Defaults, Job, Settings};
use crate::cron::CronFields;
use crate::suggest;
use crate::text::shown;
use crate::trigger::{Kind, Trigger};
use chrono::Utc;
use std::path::PathBuf;
use std::time::Duration;
use toml::Spanned;
use toml::de::{DeString, DeValue};

const COMMON_KEYS: &[&str] = &[
    "name",
    "command",
    "cwd",
    "env",
    "trigger",
    "cron",
    "timezone",
    "start_date",
    "end_date",
    "jitter",
    "timeout",
    "misfire_grace_time",
    "coalesce",
    "max_instances",
    "paused",
];
const CRON_KEYS: &[&str] = &[
    "year",
    "month",
    "day",
    "week",
    "day_of_week",
    "hour",
    "minute",
    "second",
];
const INTERVAL_KEYS: &[&str] = &["weeks", "days", "hours", "minutes", "seconds"];
const DATE_KEYS: &[&str] = &["run_date"];

fn command(diags: &mut Diagnostics<'_>, v: &Value<'_, '_>, what: &str) -> Option<Command> {
    match v.raw() {
        DeValue::String(s) if s.trim().is_empty() => {
            diags.error(v.span(), format!("{what} is empty"), None);
            None
        }
        DeValue::String(s) => Some(Command::Shell(s.to_string())),
        DeValue::Array(items) => {
            let argv: Option<Vec<String>> = items
                .iter()
                .map(|i| Value::new(i).string(diags, what).map(str::to_string))
                .collect();
            match argv {
                Some(a) if a.is_empty() || a[0].is_empty() => {
                    diags.error(
                        v.span(),
                        format!("{what} needs a program as its first element"),
                        None,
                    );
                    None
                }
                other => other.map(Command::Argv),
            }
        }
        _ => {
            diags.error(
                v.span(),
                format!("{what} must be a string or an array of strings"),
                Some("command = \"echo hi\" or command = [\"echo\", \"hi\"]".into()),
            );
            None
        }
    }
}

/// Reads one `[jobs.ID]` table.
pub fn job(
    diags: &mut Diagnostics<'_>,
    id: &Spanned<DeString<'_>>,
    body: &Spanned<DeValue<'_>>,
    settings: &Settings,
    defaults: &Defaults,
    require_future: bool,
) -> Option<Job> {
    let errors_before = diags.list.len();
    let name = id.get_ref().to_string();
    if name.is_empty()
        || name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '|')
    {
        diags.error(
            id.span(),
            format!(
                "job id {} may not be empty or contain spaces or \"|\"",
                shown(&name)
            ),
            Some("use letters, digits, \"-\", \"_\" and \".\"".into()),
        );
    }
    let table = Value::new(body).table(diags, &format!("jobs.{name}"))?;
    let kind = trigger::which(diags, id, table);
    // The zone comes first: times in other keys are read in it.
    let tz = table
        .iter()
        .find(|(k, _)| k.get_ref() == "timezone")
        .and_then(|(_, v)| zone(diags, &Value::new(v), &format!("jobs.{name}.timezone")))
        .unwrap_or(settings.timezone);

    let mut cmd = None;
    let mut job_name = None;
    let (mut cwd, mut env) = (None, Vec::new());
    let (mut start_date, mut end_date, mut jitter, mut timeout) = (None, None, None, None);
    let mut grace = defaults.misfire_grace_time;
    let (mut coalesce, mut max_instances, mut paused) =
        (defaults.coalesce, defaults.max_instances, false);
    let mut cron_text = None;
    let mut fields = CronFields::default();
    let mut period = Duration::ZERO;
    let mut period_given = false;
    let mut run_date = None;

    for (key, value) in table {
        let v = Value::new(value);
        let k = key.get_ref().as_ref();
        let what = format!("jobs.{name}.{k}");
        let belongs = |keys: &[&str], trigger: &str, diags: &mut Diagnostics<'_>| -> bool {
            if keys.contains(&k) && kind != Some(trigger) {
                if let Some(own) = kind {
                    let actual = if own == "cron-string" {
                        "a cron string"
                    } else {
                        own
                    };
                    let own_keys = match own {
                        "interval" => INTERVAL_KEYS,
                        "date" => DATE_KEYS,
                        "cron" => CRON_KEYS,
                        _ => &[],
                    };
                    let hint = suggest::closest(k, own_keys.iter().copied())
                        .map(|c| format!("did you mean \"{c}\"?"));
                    diags.error(key.span(), format!("\"{k}\" belongs to trigger = \"{trigger}\", but job \"{name}\" uses {actual}"), hint);
                }
                return false;
            }
            keys.contains(&k)
        };
        match k {
            "command" => cmd = command(diags, &v, &what),
            "name" => job_name = v.string(diags, &what).map(str::to_string),
            "cwd" => cwd = v.string(diags, &what).map(PathBuf::from),
            "env" => {
                if let Some(t) = v.table(diags, &what) {
                    for (ek, ev) in t {
                        if let Some(text) =
                            Value::new(ev).string(diags, &format!("{what}.{}", ek.get_ref()))
                        {
                            env.push((ek.get_ref().to_string(), text.to_string()));
                        }
                    }
                }
            }
            "trigger" | "timezone" => {}
            "cron" => cron_text = v.string(diags, &what).map(|s| (s.to_string(), v.span())),
            "start_date" | "end_date" | "jitter" if kind == Some("date") => {
                diags.error(
                    key.span(),
                    format!("\"{k}\" does not apply to a date trigger"),
                    Some("a date job runs once, at run_date".into()),
                );
            }
            "start_date" => start_date = v.time(diags, &what, tz),
            "end_date" => end_date = v.time(diags, &what, tz),
            "jitter" => jitter = v.duration(diags, &what, false).flatten(),
            "timeout" => timeout = v.duration(diags, &what, true).flatten(),
            "misfire_grace_time" => grace = v.duration(diags, &what, true).unwrap_or(grace),
            "coalesce" => coalesce = v.boolean(diags, &what).unwrap_or(coalesce),
            "max_instances" => {
                max_instances = v.count(diags, &what, 1, 10_000).unwrap_or(max_instances)
            }
            "paused" => paused = v.boolean(diags, &what).unwrap_or(paused),
            _ if belongs(CRON_KEYS, "cron", diags) => {
                let text = v.cron_field(diags, &what);
                if let Some(slot) = fields.slot(k) {
                    *slot = text;
                }
            }
            _ if belongs(INTERVAL_KEYS, "interval", diags) => {
                period_given = true;
                let unit = match k {
                    "weeks" => 604_800,
                    "days" => 86_400,
                    "hours" => 3600,
                    "minutes" => 60,
                    _ => 1,
                };
                if let Some(n) = v.count(diags, &what, 0, 1_000_000_000) {
                    period += Duration::from_secs(n as u64 * unit);
                }
            }
            _ if belongs(DATE_KEYS, "date", diags) => run_date = v.time(diags, &what, tz),
            _ if CRON_KEYS.contains(&k) || INTERVAL_KEYS.contains(&k) || DATE_KEYS.contains(&k) => {
            }
            other => {
                let known: Vec<&str> = COMMON_KEYS
                    .iter()
                    .chain(CRON_KEYS)
                    .chain(INTERVAL_KEYS)
                    .chain(DATE_KEYS)
                    .copied()
                    .collect();
                unknown_key(diags, key, other, &known, &format!("in job \"{name}\""));
            }
        }
    }
    if cmd.is_none() && !table.iter().any(|(k, _)| k.get_ref() == "command") {
        diags.error(
            id.span(),
            format!("job \"{name}\" has no command"),
            Some(
                "add command = \"...\" (run by the shell) or command = [\"program\", \"arg\"]"
                    .into(),
            ),
        );
    }

    let args = TriggerArgs {
        cron_text,
        fields,
        period: period_given.then_some(period),
        run_date,
    };
    let trigger_kind = trigger::build(diags, id, table, kind?, args)?;
    let trigger = Trigger {
        kind: trigger_kind,
        tz,
        start_date,
        end_date,
        jitter,
    };
    if require_future && !matches!(trigger.kind, Kind::Date { .. }) {
        let now = Utc::now().with_timezone(&tz);
        if trigger.next_after(&now, &now).is_none() {
            diags.error(
                id.span(),
                format!(
                    "job \"{name}\" never fires: {} has no time after now",
                    trigger.summary()
                ),
                Some("check the year, day and month fields and end_date".into()),
            );
        }
    }
    if diags.list.len() > errors_before {
        return None;
    }
    Some(Job {
        id: name,
        name: job_name,
        command: cmd?,
        cwd,
        env,
        trigger,
        timeout,
        misfire_grace_time: grace,
        coalesce,
        max_instances,
        paused,
    })
}
