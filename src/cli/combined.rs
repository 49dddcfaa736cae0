//! `apsched validate A --or B` and `A --and B`: the times of cron strings
//! (and `@every` periods) combined, as a file's `cron = [...]` and
//! `trigger = "and"` combine them. Members take `--timezone`; an `@every`
//! counts from `--after`, as alone.

use super::error::Error;
use super::meaning::meaning;
use super::output::{print, print_json};
use super::times::schedule_time;
use super::validate::{Args, every_period, parsed};
use crate::cron::CronError;
use crate::timezone::zone_or_system;
use crate::trigger::{AND_STEPS, Kind, Trigger};
use chrono::DateTime;
use chrono_tz::Tz;
use std::fmt::Write as _;
use std::sync::Arc;

pub(super) fn run(args: &Args) -> Result<(), Error> {
    let first = args.expression.join(" ");
    let (name, others) = if args.and.is_empty() {
        ("or", &args.or)
    } else {
        ("and", &args.and)
    };
    let texts: Vec<&str> = std::iter::once(first.as_str())
        .chain(others.iter().map(String::as_str))
        .collect();
    let members = texts
        .iter()
        .map(|text| member(args, text))
        .collect::<Result<Vec<_>, _>>()?;
    let tz = zone_or_system(args.timezone.as_deref())?;
    let after = args.after_in(tz)?;
    let trigger = Trigger {
        kind: if name == "or" {
            Kind::Or(members.into())
        } else {
            Kind::And(members.into())
        },
        tz,
        start_date: None,
        end_date: None,
        jitter: None,
    };
    let times = trigger.upcoming(&after, &after, args.count);
    if args.json {
        return print_json(&serde_json::json!({
            "expression": texts,
            "combined": name,
            "normalized": trigger.normalized(),
            "meaning": meaning(&trigger),
            "timezone": tz.name(),
            "after": schedule_time(&after),
            "next_run_times": times.iter().map(schedule_time).collect::<Vec<_>>(),
        }));
    }
    print(&text(name, &texts, &trigger, &after, &times, args.count))
}

/// One expression: `@every` as an interval, else a cron string without a
/// zone prefix (the zone is `--timezone`'s, for all of them).
fn member(args: &Args, text: &str) -> Result<Kind, Error> {
    let refuse = |why: String, hint: &str| Error::Cron {
        expression: text.to_string(),
        source: CronError::new("expression", text, why),
        hint: hint.into(),
    };
    if let Some(period) = crate::duration::parse_every(text) {
        return every_period(text, period).map(|period| Kind::Interval { period });
    }
    let schedule = parsed(args, text)?;
    if schedule.zone().is_some() {
        return Err(refuse(
            "a zone prefix is not allowed with --or or --and".into(),
            " (drop the prefix and give --timezone)",
        ));
    }
    Ok(Kind::Cron(Arc::new(schedule)))
}

/// The text report: each expression on its line, the combination, its
/// meaning, the zone and the times.
fn text(
    name: &str,
    texts: &[&str],
    trigger: &Trigger,
    after: &DateTime<Tz>,
    times: &[DateTime<Tz>],
    count: usize,
) -> String {
    let mut text = String::new();
    for (i, expression) in texts.iter().enumerate() {
        let label = if i == 0 { "expression" } else { name };
        let _ = writeln!(text, "{label:<12}{expression}");
    }
    let _ = writeln!(text, "normalized  {}", trigger.normalized());
    let _ = writeln!(text, "meaning     {}", meaning(trigger));
    let _ = writeln!(text, "time zone   {}", trigger.tz.name());
    if times.is_empty() && count > 0 {
        let why = if name == "and" {
            format!("the expressions share no time (tried {AND_STEPS} candidate times)")
        } else {
            "no date matches these expressions".into()
        };
        let _ = writeln!(text, "never fires after {}: {why}", schedule_time(after));
        return text;
    }
    text.push_str(&super::validate::times_heading(times.len(), after));
    super::validate::time_lines(&mut text, after, times);
    text
}
