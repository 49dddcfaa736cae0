//! The `[scheduler]` and `[defaults]` sections of the schedule file.

use super::diagnostic::Diagnostics;
use super::values::{Value, unknown_key};
use super::{Defaults, Settings};
use crate::timezone::parse_zone;
use std::path::Path;

const SCHEDULER_KEYS: &[&str] = &[
    "timezone",
    "state",
    "max_workers",
    "shell",
    "shutdown_timeout",
    "history",
    "watch",
    "password_file",
];
const DEFAULT_KEYS: &[&str] = &["misfire_grace_time", "coalesce", "max_instances"];

/// Which settings `[scheduler]` gave rather than left to their defaults.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Given {
    pub zone: bool,
    pub state: bool,
}

/// Reads `[scheduler]`; returns which defaults it overrode.
pub(super) fn scheduler(
    diags: &mut Diagnostics<'_>,
    file: &Path,
    v: &Value<'_, '_>,
    s: &mut Settings,
) -> Given {
    let mut given = Given::default();
    let Some(table) = v.table(diags, "[scheduler]") else {
        return given;
    };
    for (key, value) in table {
        let v = Value::new(value);
        let name = key.get_ref().as_ref();
        let what = format!("scheduler.{name}");
        match name {
            "timezone" => {
                if let Some(tz) = zone(diags, &v, &what) {
                    s.timezone = tz;
                    given.zone = true;
                }
            }
            "state" => {
                if let Some(text) = state(diags, &v, &what) {
                    given.state = true;
                    if super::cluster::is_database(text) {
                        match super::cluster::check_dsn(text) {
                            Ok(()) => s.database = Some(text.to_string()),
                            Err(e) => diags.error(v.span(), format!("{what} {e}"), None),
                        }
                        s.state = None;
                    } else {
                        s.state = super::state_path(file, Some(Path::new(text)));
                    }
                }
            }
            "max_workers" => {
                s.max_workers = v.count(diags, &what, 1, 100_000).unwrap_or(s.max_workers);
            }
            "shell" => {
                s.shell = v
                    .string(diags, &what)
                    .map_or(s.shell.clone(), str::to_string);
            }
            "shutdown_timeout" => {
                s.shutdown_timeout = v
                    .duration(diags, &what, false)
                    .flatten()
                    .unwrap_or(s.shutdown_timeout);
            }
            "history" => s.history = v.count(diags, &what, 1, 1_000_000).unwrap_or(s.history),
            "watch" => s.watch = v.boolean(diags, &what).unwrap_or(s.watch),
            "password_file" => {
                if let Some(text) = v.string(diags, &what) {
                    s.password_file = Some(file.parent().unwrap_or(Path::new("")).join(text));
                }
            }
            other => unknown_key(diags, key, other, SCHEDULER_KEYS, "in [scheduler]"),
        }
    }
    given
}

/// Reads `[defaults]`.
pub(super) fn defaults(diags: &mut Diagnostics<'_>, v: &Value<'_, '_>, d: &mut Defaults) {
    let Some(table) = v.table(diags, "[defaults]") else {
        return;
    };
    for (key, value) in table {
        let v = Value::new(value);
        let name = key.get_ref().as_ref();
        let what = format!("defaults.{name}");
        match name {
            "misfire_grace_time" => {
                if let Some(grace) = v.duration(diags, &what, true) {
                    d.misfire_grace_time = grace;
                }
            }
            "coalesce" => d.coalesce = v.boolean(diags, &what).unwrap_or(d.coalesce),
            "max_instances" => {
                d.max_instances = v.count(diags, &what, 1, 10_000).unwrap_or(d.max_instances);
            }
            other => unknown_key(diags, key, other, DEFAULT_KEYS, "in [defaults]"),
        }
    }
}

/// The `state` value: a file name, `:memory:`, or a PostgreSQL database.
fn state<'a>(diags: &mut Diagnostics<'_>, v: &Value<'a, '_>, what: &str) -> Option<&'a str> {
    let text = v.string(diags, what)?;
    let problem = if text.is_empty() {
        "is empty"
    } else if text.trim().is_empty() {
        "is blank"
    } else if text.contains('\0') {
        "contains a NUL character"
    } else {
        return Some(text);
    };
    diags.error(
        v.span(),
        format!("{what} {problem}"),
        Some(
            "name a file, such as \"schedules.db\" beside this one, \":memory:\" to keep no state, or a PostgreSQL database (\"postgresql://…\")"
                .into(),
        ),
    );
    None
}

/// A zone name value.
pub(super) fn zone(
    diags: &mut Diagnostics<'_>,
    v: &Value<'_, '_>,
    what: &str,
) -> Option<chrono_tz::Tz> {
    let text = v.string(diags, what)?;
    match parse_zone(text) {
        Ok(tz) => Some(tz),
        Err(e) => {
            diags.error(v.span(), format!("{what}: {e}"), None);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::parse;
    use std::path::Path;

    #[test]
    fn watch_is_a_flag_off_by_default() {
        let job = "[jobs.a]\ncommand = \"true\"\ncron = \"@daily\"\n";
        let cases: &[(&str, Result<bool, &str>)] = &[
            ("", Ok(false)),
            ("watch = false\n", Ok(false)),
            ("watch = true\n", Ok(true)),
            (
                "watch = \"yes\"\n",
                Err("s.toml:2:9: scheduler.watch must be true or false"),
            ),
        ];
        for (line, want) in cases {
            let source = format!("[scheduler]\n{line}{job}");
            let got = parse(Path::new("s.toml"), &source)
                .map(|c| c.scheduler.watch)
                .map_err(|d| d.iter().map(ToString::to_string).collect::<Vec<_>>());
            match (got, want) {
                (Ok(got), Ok(want)) => assert_eq!(got, *want, "{line}"),
                (Err(got), Err(want)) => assert!(got[0].starts_with(want), "{line}: {got:?}"),
                (got, want) => panic!("{line}: {got:?}, want {want:?}"),
            }
        }
    }
}
