//! `apsched validate`: is a cron expression valid, and when does it fire?

use super::error::Error;
use super::output::{count_in_range, print, print_json};
use super::times::{schedule_time, until, whole_second};
use crate::cron::{CronError, CronSchedule, FireTime};
use crate::timespec::parse_time;
use crate::timezone::{FireKind, zone_or_system};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// Time zone to evaluate the expression in (IANA name) [default: the
    /// system's zone, from TZ or /etc/localtime]
    #[arg(long, short = 'z', value_name = "ZONE")]
    pub(super) timezone: Option<String>,
    /// List fire times strictly after this time: RFC 3339
    /// (2026-03-29T00:30:00Z) or a local date-time in the zone
    /// (2026-03-29T02:30) [default: now]
    #[arg(long, value_name = "TIME")]
    pub(super) after: Option<String>,
    /// How many fire times to list
    #[arg(long, short = 'n', value_name = "N", default_value_t = 5, value_parser = count_in_range)]
    pub(super) count: usize,
    /// Print one JSON object instead of text
    #[arg(long)]
    pub(super) json: bool,
    /// Also fire at this expression's times, as `cron = [...]` in a file
    /// (repeat it for more)
    #[arg(long = "or", value_name = "EXPRESSION", conflicts_with = "and")]
    pub(super) or: Vec<String>,
    /// Fire only at the times this expression shares with the others, as
    /// `trigger = "and"` (repeat it for more)
    #[arg(long = "and", value_name = "EXPRESSION")]
    pub(super) and: Vec<String>,
    /// The cron expression, e.g. '30 2 * * *': quote it, or the shell
    /// replaces * with file names (several words are joined with spaces)
    #[arg(required = true, num_args = 1.., value_name = "EXPRESSION")]
    pub(super) expression: Vec<String>,
}

impl Args {
    /// `--after` (now by default) in `tz`. Fire times are whole seconds,
    /// so "strictly after" a time is "strictly after its whole second":
    /// the fraction is dropped.
    pub(super) fn after_in(&self, tz: Tz) -> Result<DateTime<Tz>, Error> {
        let at = parse_time(self.after.as_deref().unwrap_or("now"), tz, Utc::now())?;
        Ok(whole_second(&at))
    }
}

/// The `  TIME  Day  in 1h 3m` lines of `times` after `after`.
pub(super) fn time_lines(text: &mut String, after: &DateTime<Tz>, times: &[DateTime<Tz>]) {
    for t in times {
        let _ = writeln!(
            text,
            "  {}  {}  in {}",
            schedule_time(t),
            t.format("%a"),
            until(after, t)
        );
    }
}

/// A fire time adjusted by DST, in the JSON output.
#[derive(Serialize)]
struct Adjusted {
    time: String,
    /// `shifted` (the wall time was skipped) or `repeated` (second pass).
    kind: &'static str,
    /// The wall-clock time the schedule named, for shifted times.
    #[serde(skip_serializing_if = "Option::is_none")]
    wall_time: Option<String>,
}

#[derive(Serialize)]
struct Report {
    expression: String,
    normalized: String,
    /// The schedule in plain words (also under its older name `description`).
    meaning: String,
    description: String,
    timezone: String,
    after: String,
    next_run_times: Vec<String>,
    dst_adjusted: Vec<Adjusted>,
}

/// When the expression came in several words and one of them names a file
/// here, the shell most likely expanded an unquoted `*`: say so.
fn quoting_hint(words: &[String]) -> String {
    if words.len() < 2 {
        return String::new();
    }
    let file = words
        .iter()
        .flat_map(|w| w.split_whitespace())
        .find(|w| !w.contains('*') && Path::new(w).exists());
    match file {
        Some(name) => format!(
            " (\"{name}\" is a file here: the shell replaced * with file names; quote the expression, as in apsched validate '0 0 * * *')"
        ),
        None => String::new(),
    }
}

fn wall_text(wall: i64) -> String {
    DateTime::from_timestamp(wall, 0)
        .map(|t| t.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string())
        .unwrap_or_default()
}

/// The human note for a fire time moved by DST.
fn dst_note(fire: &FireTime) -> Option<String> {
    match fire.kind {
        FireKind::Plain => None,
        FireKind::Repeated => Some("DST: second pass of a repeated hour".into()),
        FireKind::Shifted { wall } => {
            let gap = fire.at.naive_local().and_utc().timestamp() - wall;
            let wall = wall_text(wall);
            let clock = wall.get(11..16).unwrap_or_default();
            Some(format!(
                "DST: {clock} does not exist that day, shifted forward {}",
                duration_text(gap)
            ))
        }
    }
}

fn duration_text(secs: i64) -> String {
    match (secs / 3600, secs % 3600 / 60) {
        (h, 0) => format!("{h}h"),
        (0, m) => format!("{m}m"),
        (h, m) => format!("{h}h{m}m"),
    }
}

pub(super) fn run(args: &Args) -> Result<(), Error> {
    if !args.or.is_empty() || !args.and.is_empty() {
        return super::combined::run(args);
    }
    let expression = args.expression.join(" ");
    if let Some(period) = crate::duration::parse_every(&expression) {
        return every_times(args, &expression, period);
    }
    let schedule = parsed(args, &expression)?;
    let tz = zone(&schedule, args, &expression)?;
    let after = args.after_in(tz)?;
    let mut fires = schedule.iter_after(&after);
    let list: Vec<FireTime> = std::iter::from_fn(|| fires.next_fire())
        .take(args.count)
        .collect();

    if args.json {
        return print_json(&report(&expression, &schedule, tz, &after, &list));
    }
    print(&text(&expression, &schedule, tz, &after, &list, args.count))
}

/// The expression, parsed; its warnings go to stderr.
pub(super) fn parsed(args: &Args, expression: &str) -> Result<CronSchedule, Error> {
    let schedule: CronSchedule = expression.parse().map_err(|source| Error::Cron {
        expression: expression.to_string(),
        source,
        hint: quoting_hint(&args.expression),
    })?;
    for warning in schedule.warnings() {
        eprintln!("apsched: warning: {warning}");
    }
    Ok(schedule)
}

/// The zone: the expression's `CRON_TZ=` prefix, else `--timezone`, else
/// the system's; a prefix and a `--timezone` that differ are an error.
fn zone(schedule: &CronSchedule, args: &Args, expression: &str) -> Result<Tz, Error> {
    Ok(match (schedule.zone(), args.timezone.as_deref()) {
        (Some(zone), Some(given)) if zone_or_system(Some(given))? != zone => {
            return Err(Error::Cron {
                expression: expression.to_string(),
                source: CronError::new(
                    "expression",
                    expression,
                    format!(
                        "its prefix sets the zone {} but --timezone says {given}",
                        zone.name()
                    ),
                ),
                hint: " (drop the prefix or --timezone)".into(),
            });
        }
        (Some(zone), _) => zone,
        (None, given) => zone_or_system(given)?,
    })
}

/// The `--json` object.
fn report(
    expression: &str,
    schedule: &CronSchedule,
    tz: Tz,
    after: &DateTime<Tz>,
    list: &[FireTime],
) -> Report {
    let meaning = schedule.describe();
    Report {
        expression: expression.to_string(),
        normalized: schedule.normalized().to_string(),
        meaning: meaning.clone(),
        description: meaning,
        timezone: tz.name().to_string(),
        after: schedule_time(after),
        next_run_times: list.iter().map(|f| schedule_time(&f.at)).collect(),
        dst_adjusted: list
            .iter()
            .filter_map(|f| match f.kind {
                FireKind::Plain => None,
                FireKind::Repeated => Some(Adjusted {
                    time: schedule_time(&f.at),
                    kind: "repeated",
                    wall_time: None,
                }),
                FireKind::Shifted { wall } => Some(Adjusted {
                    time: schedule_time(&f.at),
                    kind: "shifted",
                    wall_time: Some(wall_text(wall)),
                }),
            })
            .collect(),
    }
}

/// The first lines of `validate`'s text, for cron strings and `@every`:
/// the expression, its normalized form, its meaning and the zone.
pub(super) fn head(expression: &str, normalized: &str, meaning: &str, zone: Tz) -> String {
    format!(
        "expression  {expression}\nnormalized  {normalized}\nmeaning     {meaning}\ntime zone   {}\n",
        zone.name()
    )
}

/// `next 3 fire times after TIME:` (one time: `next fire time`).
pub(super) fn times_heading(count: usize, after: &DateTime<Tz>) -> String {
    let what = match count {
        1 => "next fire time".to_string(),
        n => format!("next {n} fire times"),
    };
    format!("{what} after {}:\n", schedule_time(after))
}

/// The text report.
fn text(
    expression: &str,
    schedule: &CronSchedule,
    tz: Tz,
    after: &DateTime<Tz>,
    list: &[FireTime],
    count: usize,
) -> String {
    let mut text = head(expression, schedule.normalized(), &schedule.describe(), tz);
    if list.is_empty() && count > 0 {
        let _ = writeln!(
            text,
            "never fires after {}: no date matches this expression",
            schedule_time(after)
        );
    } else {
        text.push_str(&times_heading(list.len(), after));
        // "in ..." padded to one width, so that the DST notes line up.
        let untils: Vec<String> = list.iter().map(|f| until(after, &f.at)).collect();
        let width = untils.iter().map(String::len).max().unwrap_or(0);
        for (fire, until) in list.iter().zip(&untils) {
            let line = format!(
                "  {}  {}  in {until:width$}",
                schedule_time(&fire.at),
                fire.at.format("%a"),
            );
            let _ = match dst_note(fire) {
                Some(note) => writeln!(text, "{line}  {note}"),
                None => writeln!(text, "{}", line.trim_end()),
            };
        }
    }
    text
}

/// An `@every` expression's period, or why it is refused.
pub(super) fn every_period(
    expression: &str,
    period: Result<std::time::Duration, crate::duration::DurationError>,
) -> Result<std::time::Duration, Error> {
    period.map_err(|e| Error::Cron {
        expression: expression.to_string(),
        source: CronError::new(
            "expression",
            expression,
            format!("@every {}", crate::duration::every_refused(&e)),
        ),
        hint: String::new(),
    })
}

/// `validate "@every 90s"`: the next times from `--after` (default now).
fn every_times(
    args: &Args,
    expression: &str,
    period: Result<std::time::Duration, crate::duration::DurationError>,
) -> Result<(), Error> {
    let period = every_period(expression, period)?;
    let tz = zone_or_system(args.timezone.as_deref())?;
    let after = args.after_in(tz)?;
    super::every::show(expression, period, &after, args.count, args.json)
}
