//! Cron strings, crontab(5) style: `minute hour day-of-month month day-of-week`,
//! with an optional leading `second` and trailing `year`, the Quartz-style
//! day extensions (`L`, `L-n`, `nW`, `LW`, `xL`, `x#n`), `?`, and `@` macros.

mod day_fields;
mod unsupported;

use super::days::{Combine, DayRule};
use super::defs::{HOUR, MINUTE, MONTH, SECOND, def};
use super::error::CronError;
use super::field::{FieldDef, Range};
use super::matcher::{Spec, YearRange, YearSet, year_range};

const YEAR: FieldDef = def("year", 1970, 2199);

/// A parsed cron string.
pub(super) struct Parsed {
    pub spec: Spec,
    /// Canonical text: macros expanded, names as numbers, `?` as `*`,
    /// wrap-around ranges listed value by value.
    pub normalized: String,
    /// Valid but probably not what was meant (steps larger than a field).
    pub warnings: Vec<String>,
}

/// Expands an `@` macro to its five-field meaning, as crontab(5) defines it.
fn expand_macro(text: &str) -> Result<&'static str, CronError> {
    Ok(match text.to_ascii_lowercase().as_str() {
        "@yearly" | "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" | "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        "@reboot" => {
            return Err(CronError::new(
                "expression",
                text,
                "@reboot is not a time schedule; in a schedule file use trigger = \"startup\"",
            ));
        }
        _ => {
            return Err(CronError::new(
                "expression",
                text,
                format!(
                    "unknown macro \"{text}\": use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly"
                ),
            ));
        }
    })
}

/// Parses a cron string.
pub(super) fn parse(text: &str) -> Result<Parsed, CronError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(CronError::new(
            "expression",
            text,
            "the expression is empty",
        ));
    }
    let expanded = if trimmed.starts_with('@') {
        expand_macro(trimmed)?
    } else {
        trimmed
    };
    let fields: Vec<&str> = expanded.split_whitespace().collect();
    parse_fields(&fields).map_err(|e| year_in_six_fields(&fields).unwrap_or(e))
}

/// Six fields whose last looks like a year: the year was meant, but six
/// fields mean a leading second.
fn year_in_six_fields(fields: &[&str]) -> Option<CronError> {
    let last = fields.get(5).filter(|_| fields.len() == 6)?;
    let looks_like_year = last
        .split([',', '-', '/'])
        .next()
        .is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()));
    looks_like_year.then(|| {
        CronError::new(
            "expression",
            last,
            format!(
                "6 fields mean a leading seconds field (second minute hour day-of-month month day-of-week), so \"{last}\" was read as the day of week; a year needs 7 fields, as in \"0 {}\"",
                fields.join(" ")
            ),
        )
    })
}

/// Parses the fields of a cron string (macros already expanded).
fn parse_fields(fields: &[&str]) -> Result<Parsed, CronError> {
    let text = fields.join(" ");
    let (second, rest) = match fields.len() {
        5 => ("0", fields),
        6 | 7 => (fields[0], &fields[1..]),
        n => {
            return Err(CronError::new(
                "expression",
                &text,
                format!(
                    "expected 5, 6 or 7 fields (minute hour day-of-month month day-of-week, \
                     with an optional leading second and trailing year), found {n}"
                ),
            ));
        }
    };
    let year_text = rest.get(5).copied();
    let mut warnings = Vec::new();
    let w = &mut warnings;
    let (seconds, second_n) = numeric(&SECOND, second, w)?;
    let (minutes, minute_n) = numeric(&MINUTE, rest[0], w)?;
    let (hours, hour_n) = numeric(&HOUR, rest[1], w)?;
    let (dom, dom_n) = day_fields::day_of_month(rest[2], w)?;
    let (months, month_n) = numeric(&MONTH, rest[3], w)?;
    let (dow, dow_n) = day_fields::day_of_week(rest[4], w)?;
    let (years, year_n) = match year_text {
        Some(t) => {
            let (ranges, n) = year_ranges(t)?;
            (YearSet(Some(ranges)), Some(n))
        }
        None => (YearSet(None), None),
    };

    // Vixie cron: a day field starting with `*` (or `?`) is unrestricted for
    // the purpose of combining; when both are restricted, either may match.
    let starred = |t: &str| t.starts_with('*') || t.starts_with('?');
    let combine = if starred(rest[2]) || starred(rest[4]) {
        Combine::All
    } else {
        Combine::Either
    };
    let unrestricted = |t: &str| t == "*" || t == "?";
    let days = DayRule {
        day_of_month: (!unrestricted(rest[2])).then_some(dom),
        day_of_week: (!unrestricted(rest[4])).then_some(dow),
        weeks: None,
        combine,
    };

    let mut parts = Vec::with_capacity(7);
    if fields.len() > 5 {
        parts.push(second_n);
    }
    parts.extend([minute_n, hour_n, dom_n, month_n, dow_n]);
    parts.extend(year_n);
    Ok(Parsed {
        spec: Spec {
            seconds,
            minutes,
            hours,
            months,
            days,
            years,
        },
        normalized: parts.join(" "),
        warnings,
    })
}

/// Splits a field on commas, rejecting empty elements.
fn elements<'a>(def: &FieldDef, text: &'a str) -> Result<Vec<&'a str>, CronError> {
    let parts: Vec<&str> = text.split(',').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(CronError::new(
            def.name,
            text,
            format!("\"{text}\" has an empty element in its comma list"),
        ));
    }
    Ok(parts)
}

fn question_mark_misplaced(def: &FieldDef, text: &str) -> CronError {
    CronError::new(
        def.name,
        text,
        "\"?\" (no specific value) is only allowed in day-of-month and day-of-week: write * here",
    )
}

/// A plain numeric field: its mask and normalized text; a warning for each
/// step larger than the field goes to `warnings`.
fn numeric(
    def: &FieldDef,
    text: &str,
    warnings: &mut Vec<String>,
) -> Result<(u64, String), CronError> {
    let mut mask = 0;
    let mut rendered = Vec::new();
    for element in elements(def, text)? {
        if element == "?" {
            return Err(question_mark_misplaced(def, text));
        }
        let range = range(def, element, warnings)?;
        mask |= range.mask();
        rendered.push(range.render(def));
    }
    Ok((mask, rendered.join(",")))
}

/// One element of a cron string's field, with a warning for a step larger
/// than the field and an error naming a construct of other crons.
fn range(def: &FieldDef, element: &str, warnings: &mut Vec<String>) -> Result<Range, CronError> {
    if let Some(e) = unsupported::construct(def, element) {
        return Err(e);
    }
    let range = def.cron_range(element)?;
    if range.oversized(def) {
        warnings.push(oversized_warning(def, &range));
    }
    Ok(range)
}

/// `step 90 is larger than the minute field's 0-59: this fires at minute 0
/// only; for every 90 minutes use trigger = "interval" with minutes = 90`.
fn oversized_warning(def: &FieldDef, range: &Range) -> String {
    let (unit, interval) = match def.name {
        "second" => ("second", Some("seconds")),
        "minute" => ("minute", Some("minutes")),
        "hour" => ("hour", Some("hours")),
        "day-of-month" => ("day", Some("days")),
        "day-of-week" => ("weekday", Some("days")),
        _ => ("month", None),
    };
    let step = range.step;
    let fix = match interval {
        Some(u) => format!("for every {step} {u} use trigger = \"interval\" with {u} = {step}"),
        None => format!("for every {step} {unit}s list the {unit}s to fire in"),
    };
    format!(
        "step {step} is larger than the {} field's {}-{}: this fires at {unit} {} only; {fix}",
        def.name, def.min, def.max, range.first
    )
}

fn year_ranges(text: &str) -> Result<(Vec<YearRange>, String), CronError> {
    let mut ranges = Vec::new();
    let mut rendered = Vec::new();
    for element in elements(&YEAR, text)? {
        if element == "?" {
            return Err(question_mark_misplaced(&YEAR, text));
        }
        let r = YEAR.range(element)?;
        ranges.push(
            year_range(r.first, r.last, r.step)
                .ok_or_else(|| CronError::new("year", element, "the year is out of range"))?,
        );
        rendered.push(r.render(&YEAR));
    }
    Ok((ranges, rendered.join(",")))
}
