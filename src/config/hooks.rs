//! Event hooks: the `[hooks]` table for every job and `[jobs.ID.hooks]` for
//! one, each `on_EVENT` key a command run when that event happens, and
//! `mailto`, which mails a failed run's output through sendmail.

use super::Command;
use super::diagnostic::Diagnostics;
use super::values::{Value, unknown_key};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// An event a hook can be set for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum HookKind {
    Start,
    Success,
    Failure,
    Finish,
    Timeout,
    Missed,
    MaxInstances,
    Interrupted,
    /// Scheduler-wide only.
    ReloadFailed,
}

impl HookKind {
    /// Every kind, in the order the man page lists them.
    pub(crate) const ALL: [HookKind; 9] = [
        HookKind::Start,
        HookKind::Success,
        HookKind::Failure,
        HookKind::Finish,
        HookKind::Timeout,
        HookKind::Missed,
        HookKind::MaxInstances,
        HookKind::Interrupted,
        HookKind::ReloadFailed,
    ];

    /// Its key in the file: `on_failure`.
    pub(crate) fn key(self) -> &'static str {
        match self {
            HookKind::Start => "on_start",
            HookKind::Success => "on_success",
            HookKind::Failure => "on_failure",
            HookKind::Finish => "on_finish",
            HookKind::Timeout => "on_timeout",
            HookKind::Missed => "on_missed",
            HookKind::MaxInstances => "on_max_instances",
            HookKind::Interrupted => "on_interrupted",
            HookKind::ReloadFailed => "on_reload_failed",
        }
    }

    /// The event its hook is told of (`APSCHED_EVENT`): `job_failed`.
    pub(crate) fn event(self) -> &'static str {
        match self {
            HookKind::Start => "job_started",
            HookKind::Success => "job_succeeded",
            HookKind::Failure => "job_failed",
            HookKind::Finish => "job_finished",
            HookKind::Timeout => "job_timed_out",
            HookKind::Missed => "job_missed",
            HookKind::MaxInstances => "job_max_instances",
            HookKind::Interrupted => "job_interrupted",
            HookKind::ReloadFailed => "config_reload_failed",
        }
    }

    fn from_key(key: &str) -> Option<HookKind> {
        HookKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// Where a failed run's output is mailed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Mailto {
    /// `mailto = ""`: no mail (for a job, whatever `[hooks]` says).
    Off,
    /// Mailed to `address` by `sendmail -t`, found when the file was read.
    To { address: String, sendmail: PathBuf },
}

/// The hooks one table sets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct HookSet {
    /// At most one command per kind, in file order.
    pub commands: Vec<(HookKind, Command)>,
    /// `None` when the table does not set `mailto`.
    pub mailto: Option<Mailto>,
}

impl HookSet {
    /// The command set for `kind`, if any.
    pub(crate) fn get(&self, kind: HookKind) -> Option<&Command> {
        self.commands
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, c)| c)
    }

    /// Whether the table sets nothing that runs.
    pub(crate) fn is_empty(&self) -> bool {
        self.commands.is_empty() && !matches!(self.mailto, Some(Mailto::To { .. }))
    }
}

/// `[hooks]`: the hooks of every job, and how all hooks run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct HookSettings {
    pub set: HookSet,
    /// A hook still running after this long is ended.
    pub timeout: Duration,
    /// How many hook processes may run at once.
    pub max_concurrent: usize,
}

impl Default for HookSettings {
    fn default() -> HookSettings {
        HookSettings {
            set: HookSet::default(),
            timeout: Duration::from_secs(30),
            max_concurrent: 4,
        }
    }
}

/// The longest hook `timeout`.
const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);

/// Reads `[hooks]`.
pub(super) fn global(diags: &mut Diagnostics<'_>, v: &Value<'_, '_>, s: &mut HookSettings) {
    let Some(table) = v.table(diags, "[hooks]") else {
        return;
    };
    for (key, value) in table {
        let v = Value::new(value);
        let name = key.get_ref().as_ref();
        let what = format!("hooks.{name}");
        match name {
            "timeout" => {
                let timeout = v.duration(diags, &what, false).flatten();
                match timeout {
                    Some(t) if t.is_zero() || t > MAX_TIMEOUT => diags.error(
                        v.span(),
                        format!("{what} must be between 1s and 24h"),
                        Some("timeout = \"30s\"".into()),
                    ),
                    Some(t) => s.timeout = t,
                    None => {}
                }
            }
            "max_concurrent" => {
                let n = v.count(diags, &what, 1, 1000);
                s.max_concurrent = n.unwrap_or(s.max_concurrent);
            }
            other => {
                if !entry(diags, &v, other, &what, &mut s.set, true) {
                    let mut known: Vec<&str> = HookKind::ALL.iter().map(|k| k.key()).collect();
                    known.extend(["mailto", "timeout", "max_concurrent"]);
                    unknown_key(diags, key, other, &known, "in [hooks]");
                }
            }
        }
    }
}

/// Reads `[jobs.ID.hooks]`; `what` is `jobs.ID.hooks`.
pub(super) fn job(diags: &mut Diagnostics<'_>, v: &Value<'_, '_>, what: &str) -> HookSet {
    let mut set = HookSet::default();
    let Some(table) = v.table(diags, what) else {
        return set;
    };
    for (key, value) in table {
        let v = Value::new(value);
        let name = key.get_ref().as_ref();
        let key_what = format!("{what}.{name}");
        if name == HookKind::ReloadFailed.key() {
            diags.error(
                key.span(),
                format!("{key_what}: on_reload_failed is scheduler-wide"),
                Some("set it in [hooks]".into()),
            );
        } else if !entry(diags, &v, name, &key_what, &mut set, false) {
            let mut known: Vec<&str> = HookKind::ALL[..8].iter().map(|k| k.key()).collect();
            known.push("mailto");
            unknown_key(diags, key, name, &known, &format!("in [{what}]"));
        }
    }
    set
}

/// Reads an `on_*` key or `mailto` into `set`; false if `name` is neither.
fn entry(
    diags: &mut Diagnostics<'_>,
    v: &Value<'_, '_>,
    name: &str,
    what: &str,
    set: &mut HookSet,
    global: bool,
) -> bool {
    if name == "mailto" {
        set.mailto = mailto(diags, v, what);
        return true;
    }
    match HookKind::from_key(name) {
        Some(HookKind::ReloadFailed) if !global => false,
        Some(kind) => {
            if let Some(command) = super::keys::command(diags, v, what) {
                set.commands.push((kind, command));
            }
            true
        }
        None => false,
    }
}

/// A `mailto` value: an address (one line), or `""` for no mail; sendmail
/// must exist for an address.
fn mailto(diags: &mut Diagnostics<'_>, v: &Value<'_, '_>, what: &str) -> Option<Mailto> {
    let text = v.string(diags, what)?.trim();
    if text.is_empty() {
        return Some(Mailto::Off);
    }
    if text.chars().any(char::is_control) {
        diags.error(
            v.span(),
            format!("{what} must be one line of addresses"),
            Some("mailto = \"ops@example.com\"".into()),
        );
        return None;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    match find_sendmail(&path) {
        Ok(sendmail) => Some(Mailto::To {
            address: text.to_string(),
            sendmail,
        }),
        Err(searched) => {
            diags.error(
                v.span(),
                format!("{what} needs sendmail, which is not in {searched}"),
                Some("install a mail transfer agent (such as msmtp-mta or postfix), or use an on_failure hook".into()),
            );
            None
        }
    }
}

/// The fallback place of sendmail when `PATH` has none.
const SENDMAIL: &str = "/usr/sbin/sendmail";

/// `sendmail` on `path` (a `PATH` value), else at [`SENDMAIL`]; where it
/// was looked for when it is in neither.
pub(crate) fn find_sendmail(path: &std::ffi::OsStr) -> Result<PathBuf, String> {
    let dirs: Vec<PathBuf> = std::env::split_paths(path)
        .filter(|d| !d.as_os_str().is_empty())
        .collect();
    let candidates = dirs
        .iter()
        .map(|d| d.join("sendmail"))
        .chain([PathBuf::from(SENDMAIL)]);
    for candidate in candidates {
        if is_executable(&candidate) {
            return Ok(candidate);
        }
    }
    let shown: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
    Err(format!(
        "PATH ({}) or {SENDMAIL}",
        if shown.is_empty() {
            "empty".to_string()
        } else {
            shown.join(":")
        }
    ))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
