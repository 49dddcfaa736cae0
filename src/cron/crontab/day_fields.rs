//! The two day fields of a cron string, with the Quartz-style extensions:
//! day-of-month (`L`, `L-n`, `nW`, `LW`) and day-of-week (`xL`, `x#n`).

use super::{def, elements, range};
use crate::cron::days::{DayItem, DaySet};
use crate::cron::error::CronError;
use crate::cron::field::{FieldDef, SUNDAY_FIRST};

const DAY_OF_MONTH: FieldDef = def("day-of-month", 1, 31);
const DAY_OF_WEEK: FieldDef = FieldDef {
    names: SUNDAY_FIRST,
    name_base: 0,
    star_max: Some(6),
    ..def("day-of-week", 0, 7)
};
/// The `n` of `L-n`.
const LAST_OFFSET: FieldDef = def("day-of-month", 0, 30);

/// The day-of-month field: days, and `?`, `L`, `LW`, `L-n`, `nW`; its day set
/// and normalized text.
pub(super) fn day_of_month(
    text: &str,
    warnings: &mut Vec<String>,
) -> Result<(DaySet, String), CronError> {
    let def = &DAY_OF_MONTH;
    let mut set = DaySet::default();
    let mut rendered = Vec::new();
    for element in elements(def, text)? {
        let upper = element.to_ascii_uppercase();
        if let Some(e) = super::unsupported::construct(def, element)
            .filter(|_| upper.starts_with("L-") || upper.starts_with('H') || upper.starts_with('R'))
        {
            return Err(e);
        }
        if element == "?" {
            set.days |= def.range("*")?.mask();
            rendered.push("*".to_string());
        } else if upper == "L" {
            set.items.push(DayItem::LastMinus(0));
            rendered.push("L".to_string());
        } else if upper == "LW" {
            set.items.push(DayItem::LastWeekday);
            rendered.push("LW".to_string());
        } else if upper.starts_with("L-") {
            let n = LAST_OFFSET
                .value(&element[2..])
                .map_err(|e| within(e, element))?;
            set.items.push(DayItem::LastMinus(n));
            rendered.push(format!("L-{n}"));
        } else if let Some(n) = element
            .strip_suffix(['W', 'w'])
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        {
            let n = def.value(n).map_err(|e| within(e, element))?;
            set.items.push(DayItem::NearestWeekday(n));
            rendered.push(format!("{n}W"));
        } else if let Some(to_last) = to_last(element)? {
            rendered.push(to_last.render());
            set.items.push(to_last);
        } else {
            let range = range(def, element, warnings)?;
            set.days |= range.mask();
            rendered.push(range.render_day(def));
        }
    }
    Ok((set, rendered.join(",")))
}

/// `n-L` or `n-L/s` (from day n to the last day of the month, every s
/// days), or `None` if `element` is not of that form.
fn to_last(element: &str) -> Result<Option<DayItem>, CronError> {
    let (body, step) = match element.split_once('/') {
        Some((body, step)) => (body, Some(step)),
        None => (element, None),
    };
    let Some(first) = body
        .strip_suffix("-L")
        .or_else(|| body.strip_suffix("-l"))
        .filter(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
    else {
        return Ok(None);
    };
    let first = DAY_OF_MONTH.value(first).map_err(|e| within(e, element))?;
    let step = match step {
        None => 1,
        // The step is checked as in `1-31/s`.
        Some(s) => {
            DAY_OF_MONTH
                .range(&format!("1-31/{s}"))
                .map_err(|e| {
                    CronError::new(
                        e.field,
                        element,
                        format!(
                            "\"{element}\": {}",
                            e.reason.replace("1-31/", &format!("{first}-L/"))
                        ),
                    )
                })?
                .step
        }
    };
    Ok(Some(DayItem::ToLast { first, step }))
}

/// An error about part of `element`, told with the whole element, so no
/// character of what was written is left out: `"8L": 8 is out of range 0-7`.
fn within(e: CronError, element: &str) -> CronError {
    if e.text == element {
        return e;
    }
    CronError::new(e.field, element, format!("\"{element}\": {}", e.reason))
}

/// Whether `text` is written as one weekday (a number or a name), so that
/// `text` + `L` means its last one in the month.
fn is_weekday_word(def: &FieldDef, text: &str) -> bool {
    !text.is_empty()
        && (text.bytes().all(|b| b.is_ascii_digit())
            || def.names.contains(&text.to_ascii_lowercase().as_str()))
}

/// A weekday value of cron's day-of-week field (7 is Sunday too), 0 = Sunday.
fn weekday(text: &str) -> Result<u32, CronError> {
    Ok(DAY_OF_WEEK.value(text)? % 7)
}

/// The day-of-week field: weekdays (7 is Sunday too), and `?`, `x#n`, `xL`;
/// its day set and normalized text.
pub(super) fn day_of_week(
    text: &str,
    warnings: &mut Vec<String>,
) -> Result<(DaySet, String), CronError> {
    let def = &DAY_OF_WEEK;
    let mut set = DaySet::default();
    let mut rendered = Vec::new();
    for element in elements(def, text)? {
        if element == "?" {
            set.weekdays = 0x7f;
            rendered.push("*".to_string());
        } else if let Some((day, nth)) = element.split_once('#') {
            let weekday = weekday(day).map_err(|e| within(e, element))?;
            // Digits only: `fri#+1` is as wrong as `+1` anywhere else.
            let digits = !nth.is_empty() && nth.bytes().all(|b| b.is_ascii_digit());
            let nth = match nth.parse::<u32>() {
                Ok(n @ 1..=5) if digits => n,
                _ => {
                    return Err(CronError::new(
                        def.name,
                        element,
                        format!("\"{nth}\" in \"{element}\" must be 1-5 (which week of the month)"),
                    ));
                }
            };
            set.items.push(DayItem::NthWeekday { weekday, nth });
            rendered.push(format!("{weekday}#{nth}"));
        } else if let Some(day) = element
            .strip_suffix(['L', 'l'])
            .filter(|d| is_weekday_word(def, d))
        {
            let weekday = weekday(day).map_err(|e| within(e, element))?;
            set.items.push(DayItem::LastOfWeekday(weekday));
            rendered.push(format!("{weekday}L"));
        } else if element.eq_ignore_ascii_case("L") {
            return Err(CronError::new(
                def.name,
                element,
                "\"L\" in day-of-week needs a weekday before it, as in 5L or friL (last Friday)",
            ));
        } else {
            let range = range(def, element, warnings)?;
            let mut mask = range.mask();
            if mask & (1 << 7) != 0 {
                mask = (mask & !(1 << 7)) | 1;
            }
            set.weekdays |= mask as u8;
            rendered.push(range.render_day(def));
        }
    }
    Ok((set, rendered.join(",")))
}
