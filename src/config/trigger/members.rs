//! Combined triggers in the file: `cron = ["...", "..."]` and the members
//! of `trigger = "or"` / `"and"` (`triggers = [ { trigger = "cron", hour =
//! 9 }, ... ]`), each member read like a job's own trigger keys.

use super::{Schedules, TriggerArgs, TriggerKind, build, cron_string, which};
use crate::config::diagnostic::Diagnostics;
use crate::config::values::{Value, unknown_key};
use crate::suggest;
use crate::trigger::Kind;
use chrono_tz::Tz;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// The most members one `or`, `and` or cron list may have.
pub(crate) const MAX_MEMBERS: usize = 100;
/// How deep `or`s and `and`s may nest in one another.
pub(crate) const MAX_DEPTH: usize = 4;

/// Where a trigger's keys are: a job's table, or a member's.
pub(crate) struct Site<'a, 'i> {
    /// The job's id.
    pub job: &'a str,
    /// `jobs.ID` or `jobs.ID.triggers[N]...`: the prefix of keys' names.
    pub path: String,
    /// Whether this is a member of an `or`/`and`.
    pub member: bool,
    /// The job's id, or the member's table: where a problem of the whole
    /// trigger points.
    pub span: Range<usize>,
    pub table: &'a DeTable<'i>,
    /// The zone times are read in (the job's).
    pub tz: Tz,
    /// How many `or`/`and` this site is inside.
    pub depth: usize,
}

impl Site<'_, '_> {
    /// How a message names it: `job "ID"`, or the member's path.
    pub(crate) fn named(&self) -> String {
        if self.member {
            self.path.clone()
        } else {
            format!("job \"{}\"", self.job)
        }
    }

    /// `interval job "ID"`, or `interval trigger jobs.ID.triggers[0]`.
    pub(crate) fn called(&self, kind: &str) -> String {
        if self.member {
            format!("{kind} trigger {}", self.path)
        } else {
            format!("{kind} job \"{}\"", self.job)
        }
    }
}

/// The items of the array at `key` of the site's table, with a problem
/// for an empty or too long one. `None` if there is no such array.
fn items<'a, 'i>(
    diags: &mut Diagnostics<'_>,
    site: &Site<'a, 'i>,
    key: &str,
    example: &str,
) -> Option<&'a [toml::Spanned<DeValue<'i>>]> {
    let what = format!("{}.{key}", site.path);
    let Some((_, value)) = site.table.iter().find(|(k, _)| k.get_ref() == key) else {
        diags.error(
            site.span.clone(),
            format!("{} needs {key} = [...]", site.called(site_kind(site))),
            Some(example.into()),
        );
        return None;
    };
    let DeValue::Array(array) = value.get_ref() else {
        diags.error(
            value.span(),
            format!(
                "{what} must be an array, not {}",
                value.get_ref().type_str()
            ),
            Some(example.into()),
        );
        return None;
    };
    let n = array.len();
    if !(1..=MAX_MEMBERS).contains(&n) {
        diags.error(
            value.span(),
            format!("{what} has {n} items; it takes 1 to {MAX_MEMBERS}"),
            Some(example.into()),
        );
        return None;
    }
    Some(array)
}

/// The trigger name a site's `trigger` key gives, for messages.
fn site_kind(site: &Site<'_, '_>) -> &'static str {
    let kind = site
        .table
        .iter()
        .find(|(k, _)| k.get_ref() == "trigger")
        .and_then(|(_, v)| v.get_ref().as_str()?.parse::<TriggerKind>().ok());
    kind.map_or("cron", TriggerKind::name)
}

/// `cron = ["...", ...]`: an `or` of the cron strings (one string alone is
/// itself). A zone prefix in the list is a problem: the job's `timezone`
/// sets the zone of all of them.
pub(super) fn cron_list(
    diags: &mut Diagnostics<'_>,
    schedules: &mut Schedules,
    site: &Site<'_, '_>,
) -> Option<Kind> {
    let example = "cron = [\"0 9 * * mon-fri\", \"0 12 * * sat\"]";
    let items = items(diags, site, "cron", example)?;
    let mut kinds = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let what = format!("{}.cron[{i}]", site.path);
        let Some(text) = Value::new(item).string(diags, &what) else {
            continue;
        };
        let kind = cron_string(diags, schedules, &what, (text, item.span()));
        if let Some(Kind::Cron(schedule)) = &kind
            && schedule.zone().is_some()
        {
            diags.error(
                item.span(),
                format!("{what}: a zone prefix is not allowed in a list of cron strings"),
                Some("drop the prefix and set the job's timezone".into()),
            );
            continue;
        }
        kinds.extend(kind);
    }
    if kinds.len() < items.len() {
        return None;
    }
    Some(if kinds.len() == 1 {
        kinds.remove(0)
    } else {
        Kind::Or(kinds.into())
    })
}

/// The members of an `or` or `and` at `site`, each a table of trigger
/// keys; `None` if any has a problem.
pub(super) fn members(
    diags: &mut Diagnostics<'_>,
    schedules: &mut Schedules,
    site: &Site<'_, '_>,
    kind: TriggerKind,
) -> Option<Vec<Kind>> {
    let example =
        "triggers = [{ trigger = \"cron\", hour = 9 }, { trigger = \"interval\", hours = 2 }]";
    let items = items(diags, site, "triggers", example)?;
    if site.depth >= MAX_DEPTH {
        diags.error(
            site.span.clone(),
            format!(
                "{}: trigger = \"{}\" nests {} deep; at most {MAX_DEPTH} are read",
                site.path,
                kind.name(),
                site.depth + 1
            ),
            Some("write the inner triggers as members of the outer one".into()),
        );
        return None;
    }
    let mut kinds = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("{}.triggers[{i}]", site.path);
        let Some(table) = Value::new(item).table(diags, &path) else {
            continue;
        };
        let inner = Site {
            job: site.job,
            path,
            member: true,
            span: item.span(),
            table,
            tz: site.tz,
            depth: site.depth + 1,
        };
        kinds.extend(member(diags, schedules, &inner));
    }
    (kinds.len() == items.len()).then_some(kinds)
}

/// The keys of a job that are not a member's: they apply to the whole
/// combination.
const JOB_ONLY: &[&str] = &["timezone", "start_date", "end_date", "jitter"];

/// One member: its trigger and that trigger's arguments, and nothing else.
fn member(
    diags: &mut Diagnostics<'_>,
    schedules: &mut Schedules,
    site: &Site<'_, '_>,
) -> Option<Kind> {
    let kind = which(diags, site);
    if kind == Some(TriggerKind::Startup) {
        diags.error(
            site.span.clone(),
            format!("{}: a startup trigger cannot be combined", site.path),
            Some("a startup trigger has no time by the clock; give it a job of its own".into()),
        );
        return None;
    }
    let mut args = TriggerArgs::default();
    let mut fine = true;
    for (key, value) in site.table {
        let k = key.get_ref().as_ref();
        let v = Value::new(value);
        let what = format!("{}.{k}", site.path);
        match (k, kind) {
            ("trigger", _) | ("cron", Some(TriggerKind::CronList) | None) => {}
            ("cron", Some(_)) => {
                args.cron_text = v.string(diags, &what).map(|s| (s.into(), v.span()));
            }
            (_, Some(kind)) if kind.keys().contains(&k) => args.read(diags, k, &v, &what, site.tz),
            (_, Some(kind)) if TriggerKind::owning(k).is_some() => {
                fine = false;
                let owner = TriggerKind::owning(k).map_or("", TriggerKind::name);
                diags.error(
                    key.span(),
                    format!(
                        "\"{k}\" belongs to trigger = \"{owner}\", but {} uses {}",
                        site.path,
                        kind.described()
                    ),
                    suggest::closest(k, kind.keys().iter().copied())
                        .map(|c| format!("did you mean \"{c}\"?")),
                );
            }
            _ if JOB_ONLY.contains(&k) => {
                fine = false;
                diags.error(
                    key.span(),
                    format!("{what}: \"{k}\" belongs to the job, not to one of its triggers"),
                    Some(format!(
                        "move it to [jobs.{}]; it applies to all its triggers",
                        site.job
                    )),
                );
            }
            _ => {
                fine = false;
                let mut known = vec!["trigger", "cron"];
                known.extend(kind.map_or(&[][..], TriggerKind::keys));
                if suggest::closest(k, known.iter().copied()).is_none() {
                    known.extend(TriggerKind::ALL_KEYS.iter().copied().flatten());
                }
                unknown_key(diags, key, k, &known, &format!("in {}", site.path));
            }
        }
    }
    let kind = build(diags, schedules, site, kind?, args)?;
    fine.then_some(kind)
}
