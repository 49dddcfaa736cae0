//! One job of the schedule file (`[jobs.ID]`): its id, zone, keys and
//! trigger, checked together.

use super::diagnostic::Diagnostics;
use super::keys::{Keys, Place};
use super::settings::zone;
use super::shared::Shared;
use super::trigger;
use super::values::Value;
use super::{Command, Defaults, Job, JobMore, Settings};
use crate::text::shown;
use crate::trigger::{Kind, Trigger};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

/// Reads one `[jobs.ID]` table into `jobs` if it has no problem.
pub(super) fn read_into(
    jobs: &mut Vec<std::sync::Arc<Job>>,
    diags: &mut Diagnostics<'_>,
    shared: &mut Shared,
    (id, body): (&Spanned<DeString<'_>>, &Spanned<DeValue<'_>>),
    (settings, defaults): (&Settings, &Defaults),
    fires_after: Option<DateTime<Utc>>,
) {
    let read = job(diags, shared, id, body, settings, defaults, fires_after);
    jobs.extend(read.map(std::sync::Arc::new));
}

/// Reads one `[jobs.ID]` table; with `fires_after`, a job with no run time
/// after that time is a problem. `None` if the job has any problem.
pub(super) fn job(
    diags: &mut Diagnostics<'_>,
    shared: &mut Shared,
    id: &Spanned<DeString<'_>>,
    body: &Spanned<DeValue<'_>>,
    settings: &Settings,
    defaults: &Defaults,
    fires_after: Option<DateTime<Utc>>,
) -> Option<Job> {
    let errors_before = diags.list.len();
    let name = checked_id(diags, id);
    let path = format!("jobs.{name}");
    let table = Value::new(body).table(diags, &path)?;
    // The zone comes first: times in other keys are read in it. A
    // `CRON_TZ=` prefix on the cron string overrides the file's default.
    let explicit = job_zone(diags, table, &name);
    let prefixed = cron_zone(diags, &mut shared.schedules, table, &name, explicit);
    let tz = explicit.or(prefixed).unwrap_or(settings.timezone);
    let site = trigger::Site {
        job: &name,
        path,
        member: false,
        span: id.span(),
        table,
        tz,
        depth: 0,
    };
    let kind = trigger::which(diags, &site);
    let place = Place {
        name: &name,
        kind,
        tz,
    };
    let mut keys = Keys::new(defaults);
    for (key, value) in table {
        keys.read(diags, key, value, &place);
    }
    if keys.command.is_none() && !table.iter().any(|(k, _)| k.get_ref() == "command") {
        no_command(diags, id, &name);
    }
    if let (Some(Command::Argv(_)), Some((key, _))) = (
        &keys.command,
        table.iter().find(|(k, _)| k.get_ref() == "shell"),
    ) {
        diags.error(
            key.span(),
            format!("job \"{name}\" sets shell, but its command is an array, run without a shell"),
            Some("write the command as a string to run it with this shell, or drop shell".into()),
        );
    }
    let user = keys
        .user
        .and_then(|who| super::user::resolve(diags, who, &name));
    let trigger = Trigger {
        kind: trigger::build(diags, &mut shared.schedules, &site, kind?, keys.trigger)?,
        tz,
        start_date: keys.start_date.map(Box::new),
        end_date: keys.end_date.map(Box::new),
        jitter: keys.jitter,
    };
    if let Some(now) = fires_after {
        check_fires(diags, id, &name, &trigger, now);
    }
    if diags.list.len() > errors_before {
        return None;
    }
    let more = JobMore {
        misfire_grace_time: keys.misfire_grace_time,
        coalesce: keys.coalesce,
        max_instances: keys.max_instances,
        name: keys.name,
        cwd: keys.cwd,
        env: keys.env,
        timeout: keys.timeout,
        description: keys.description,
        stdin: keys.stdin,
        shell: keys.shell,
        user: user.map(Box::new),
        hooks: keys.hooks,
        on_lost: keys.on_lost,
        max_attempts: keys.max_attempts,
    };
    Some(Job {
        id: name,
        command: shared.command(keys.command?),
        trigger,
        paused: keys.paused,
        more: shared.more(more),
    })
}

/// The job id; one that is empty or holds spaces, control characters or
/// `|` is a problem.
fn checked_id(diags: &mut Diagnostics<'_>, id: &Spanned<DeString<'_>>) -> String {
    let name = id.get_ref().to_string();
    if !super::ids::valid(&name) {
        diags.error(
            id.span(),
            format!(
                "job id {} may not be empty or contain spaces or \"|\"",
                shown(&name)
            ),
            Some("use letters, digits, \"-\", \"_\" and \".\"".into()),
        );
    }
    name
}

/// The job's own `timezone`, if it gives a valid one.
fn job_zone(diags: &mut Diagnostics<'_>, table: &DeTable<'_>, name: &str) -> Option<Tz> {
    let (_, value) = table.iter().find(|(k, _)| k.get_ref() == "timezone")?;
    zone(diags, &Value::new(value), &format!("jobs.{name}.timezone"))
}

/// The zone of a `CRON_TZ=Zone`/`TZ=Zone` prefix on the job's `cron`
/// string; one that contradicts the job's own `timezone` is a problem. An
/// unknown zone is left to the cron string's own check.
fn cron_zone(
    diags: &mut Diagnostics<'_>,
    schedules: &mut super::trigger::Schedules,
    table: &DeTable<'_>,
    name: &str,
    explicit: Option<Tz>,
) -> Option<Tz> {
    let (_, value) = table.iter().find(|(k, _)| k.get_ref() == "cron")?;
    let DeValue::String(text) = value.get_ref() else {
        return None;
    };
    let zone = schedules.string(text).ok()?.zone()?;
    if let Some(own) = explicit.filter(|own| *own != zone) {
        diags.error(
            value.span(),
            format!(
                "jobs.{name}.cron: its prefix sets the zone {} but the job's timezone is {}",
                zone.name(),
                own.name()
            ),
            Some("drop the prefix or the timezone key".into()),
        );
        return None;
    }
    Some(zone)
}

/// Reports a job with no `command` key.
fn no_command(diags: &mut Diagnostics<'_>, id: &Spanned<DeString<'_>>, name: &str) {
    diags.error(
        id.span(),
        format!("job \"{name}\" has no command"),
        Some("add command = \"...\" (run by the shell) or command = [\"program\", \"arg\"]".into()),
    );
}

/// Reports a repeating trigger with no run time after `now`.
fn check_fires(
    diags: &mut Diagnostics<'_>,
    id: &Spanned<DeString<'_>>,
    name: &str,
    trigger: &Trigger,
    now: DateTime<Utc>,
) {
    let Some(why) = trigger.never_fires(&now) else {
        return;
    };
    let hint = if matches!(trigger.kind, Kind::And(_)) {
        "an and fires only when all its triggers fire at the same second; check that they can"
    } else {
        "check the year, day and month fields and end_date"
    };
    diags.error(
        id.span(),
        format!("job \"{name}\" never fires: {why}"),
        Some(hint.into()),
    );
}
