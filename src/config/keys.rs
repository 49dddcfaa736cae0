//! The keys of one `[jobs.ID]` table, each read into what it sets.

use super::diagnostic::Diagnostics;
use super::trigger::{TriggerArgs, TriggerKind};
use super::values::{Value, unknown_key};
use super::{Command, Defaults};
use crate::suggest;
use chrono::DateTime;
use chrono_tz::Tz;
use std::path::PathBuf;
use std::time::Duration;
use toml::Spanned;
use toml::de::{DeString, DeValue};

/// The keys every job may have, whatever its trigger.
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
    "description",
    "stdin",
    "shell",
    "user",
    "on_lost",
    "max_attempts",
];

/// The most bytes `stdin` may hold.
pub(crate) const MAX_STDIN: usize = 1024 * 1024;

/// The job whose keys are read: its id, the trigger it asked for (if that
/// was clear) and the zone its times are read in.
pub(super) struct Place<'a> {
    pub name: &'a str,
    pub kind: Option<TriggerKind>,
    pub tz: Tz,
}

/// What a job's keys set, starting from the defaults.
pub(super) struct Keys {
    pub command: Option<Command>,
    pub name: Option<String>,
    pub cwd: Option<PathBuf>,
    pub env: Vec<(String, String)>,
    pub start_date: Option<DateTime<Tz>>,
    pub end_date: Option<DateTime<Tz>>,
    pub jitter: Option<Duration>,
    pub timeout: Option<Duration>,
    pub misfire_grace_time: Option<Duration>,
    pub coalesce: bool,
    pub max_instances: usize,
    pub paused: bool,
    pub description: Option<String>,
    pub stdin: Option<String>,
    pub shell: Option<String>,
    /// The `user` as written, and where (looked up by the job).
    pub user: Option<(crate::account::Who, std::ops::Range<usize>)>,
    pub hooks: super::HookSet,
    pub on_lost: super::OnLost,
    pub max_attempts: u16,
    /// The arguments of the trigger.
    pub trigger: TriggerArgs,
}

impl Keys {
    /// Nothing read yet: the job defaults, no command, no trigger arguments.
    pub(super) fn new(defaults: &Defaults) -> Keys {
        Keys {
            command: None,
            name: None,
            cwd: None,
            env: Vec::new(),
            start_date: None,
            end_date: None,
            jitter: None,
            timeout: None,
            misfire_grace_time: defaults.misfire_grace_time,
            coalesce: defaults.coalesce,
            max_instances: defaults.max_instances,
            paused: false,
            description: None,
            stdin: None,
            shell: None,
            user: None,
            hooks: super::HookSet::default(),
            on_lost: super::OnLost::Record,
            max_attempts: 2,
            trigger: TriggerArgs::default(),
        }
    }

    /// Reads one key of the job at `job`.
    pub(super) fn read(
        &mut self,
        diags: &mut Diagnostics<'_>,
        key: &Spanned<DeString<'_>>,
        value: &Spanned<DeValue<'_>>,
        job: &Place<'_>,
    ) {
        let v = Value::new(value);
        let k = key.get_ref().as_ref();
        let what = format!("jobs.{}.{k}", job.name);
        if self.common(diags, key, &v, &what, job) || self.argument(diags, key, &v, &what, job) {
            return;
        }
        let mut known: Vec<&str> = COMMON_KEYS
            .iter()
            .chain(TriggerKind::ALL_KEYS.iter().copied().flatten())
            .copied()
            .collect();
        // `hooks` is a table, offered only to a key that looks like it.
        if suggest::closest(k, ["hooks"]).is_some() {
            known.push("hooks");
        }
        unknown_key(diags, key, k, &known, &format!("in job \"{}\"", job.name));
    }

    /// Reads a key every job may have; false if `key` is not one.
    fn common(
        &mut self,
        diags: &mut Diagnostics<'_>,
        key: &Spanned<DeString<'_>>,
        v: &Value<'_, '_>,
        what: &str,
        job: &Place<'_>,
    ) -> bool {
        let k = key.get_ref().as_ref();
        match k {
            "command" => self.command = command(diags, v, what),
            "name" => self.name = v.string(diags, what).map(str::to_string),
            "cwd" => self.cwd = v.string(diags, what).map(PathBuf::from),
            "env" => self.env.extend(env(diags, v, what)),
            "trigger" | "timezone" => {}
            // Each string is read where the trigger is built.
            "cron" if job.kind == Some(TriggerKind::CronList) => {}
            "cron" => {
                self.trigger.cron_text = v.string(diags, what).map(|s| (s.to_string(), v.span()));
            }
            "start_date" | "end_date" | "jitter" if job.kind == Some(TriggerKind::Date) => {
                diags.error(
                    key.span(),
                    format!("\"{k}\" does not apply to a date trigger"),
                    Some("a date job runs once, at run_date".into()),
                );
            }
            "start_date" | "end_date" | "jitter" if job.kind == Some(TriggerKind::Startup) => {
                diags.error(
                    key.span(),
                    format!("\"{k}\" does not apply to a startup trigger"),
                    Some("a startup job runs once each time apsched run starts".into()),
                );
            }
            "start_date" => self.start_date = v.time(diags, what, job.tz),
            "end_date" => self.end_date = v.time(diags, what, job.tz),
            "jitter" => self.jitter = v.duration(diags, what, false).flatten(),
            "timeout" => self.timeout = v.duration(diags, what, true).flatten(),
            "misfire_grace_time" => {
                let grace = v.duration(diags, what, true);
                self.misfire_grace_time = grace.unwrap_or(self.misfire_grace_time);
            }
            "coalesce" => self.coalesce = v.boolean(diags, what).unwrap_or(self.coalesce),
            "max_instances" => {
                let n = v.count(diags, what, 1, i64::from(super::MAX_INSTANCES));
                self.max_instances = n.unwrap_or(self.max_instances);
            }
            "paused" => self.paused = v.boolean(diags, what).unwrap_or(self.paused),
            "description" => self.description = v.string(diags, what).map(str::to_string),
            "stdin" => self.stdin = stdin(diags, v, what),
            "shell" => self.shell = shell(diags, v, what),
            "user" => self.user = super::user::who(diags, v, what),
            "hooks" => self.hooks = super::hooks::job(diags, v, what),
            "on_lost" | "max_attempts" => super::cluster::job_key(diags, k, v, what, self),
            _ => return false,
        }
        true
    }

    /// Reads an argument of a trigger (`hour`, `minutes`, `run_date`, ...);
    /// one of another trigger than the job's is a problem. False if `key`
    /// is no trigger's argument.
    fn argument(
        &mut self,
        diags: &mut Diagnostics<'_>,
        key: &Spanned<DeString<'_>>,
        v: &Value<'_, '_>,
        what: &str,
        job: &Place<'_>,
    ) -> bool {
        let k = key.get_ref().as_ref();
        let Some(owner) = TriggerKind::owning(k) else {
            return false;
        };
        match job.kind {
            Some(kind) if kind.keys().contains(&k) => self.trigger.read(diags, k, v, what, job.tz),
            Some(kind) => {
                let hint = suggest::closest(k, kind.keys().iter().copied())
                    .map(|c| format!("did you mean \"{c}\"?"));
                diags.error(
                    key.span(),
                    format!(
                        "\"{k}\" belongs to trigger = \"{}\", but job \"{}\" uses {}",
                        owner.name(),
                        job.name,
                        kind.described()
                    ),
                    hint,
                );
            }
            // Which trigger was meant is unclear, and already reported.
            None => {}
        }
        true
    }
}

/// A `command` value: a string for the shell, or an argument vector.
pub(super) fn command(
    diags: &mut Diagnostics<'_>,
    v: &Value<'_, '_>,
    what: &str,
) -> Option<Command> {
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
                // Collected through `Option`, it has room for four.
                other => other.map(|mut a| {
                    a.shrink_to_fit();
                    Command::Argv(a)
                }),
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

/// An `env` table: its string values, in file order.
fn env(diags: &mut Diagnostics<'_>, v: &Value<'_, '_>, what: &str) -> Vec<(String, String)> {
    let mut vars = Vec::new();
    if let Some(table) = v.table(diags, what) {
        for (key, value) in table {
            let name = key.get_ref();
            if let Some(text) = Value::new(value).string(diags, &format!("{what}.{name}")) {
                vars.push((name.to_string(), text.to_string()));
            }
        }
    }
    vars
}

/// A `stdin` value: text of at most [`MAX_STDIN`] bytes.
fn stdin(diags: &mut Diagnostics<'_>, v: &Value<'_, '_>, what: &str) -> Option<String> {
    let text = v.string(diags, what)?;
    if text.len() > MAX_STDIN {
        diags.error(
            v.span(),
            format!(
                "{what} is too long: {} bytes, at most {MAX_STDIN} (1 MiB)",
                text.len()
            ),
            Some("keep large input in a file and redirect it: command = \"prog < file\"".into()),
        );
        return None;
    }
    Some(text.to_string())
}

/// A job's `shell` value: a program, not empty.
fn shell(diags: &mut Diagnostics<'_>, v: &Value<'_, '_>, what: &str) -> Option<String> {
    let text = v.string(diags, what)?;
    if text.trim().is_empty() || text.contains('\0') {
        diags.error(
            v.span(),
            format!("{what} must name a program"),
            Some("shell = \"/bin/bash\"".into()),
        );
        return None;
    }
    Some(text.to_string())
}
