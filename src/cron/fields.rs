//! Field-style cron triggers, as APScheduler 3's `CronTrigger` takes them:
//! `year`, `month`, `day`, `week`, `day_of_week`, `hour`, `minute`, `second`.
//!
//! Differences from cron strings, all as in APScheduler:
//! - `day_of_week` numbers run 0 = Monday to 6 = Sunday;
//! - every field must match (no "either day field" rule);
//! - fields less significant than the least significant field given default to
//!   their minimum, every other field not given is `*` (`hour = 3` alone is
//!   03:00:00 every day; nothing at all fires every second);
//! - `day` also takes `last`, `1st`-`5th <weekday>` and `last <weekday>`.

use super::days::{Combine, DayItem, DayRule, DaySet};
use super::defs::{HOUR, MINUTE, MONTH, SECOND, def};
use super::error::CronError;
use super::field::{FieldDef, MONDAY_FIRST};
use super::matcher::{Spec, YearSet, year_range};

/// The fields of a field-style trigger, each an expression or absent.
/// Integers are given as their decimal text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CronFields {
    pub year: Option<String>,
    pub month: Option<String>,
    pub day: Option<String>,
    pub week: Option<String>,
    pub day_of_week: Option<String>,
    pub hour: Option<String>,
    pub minute: Option<String>,
    pub second: Option<String>,
}

/// Field names from most to least significant, with their defaults when they
/// come after the least significant field given.
const ORDER: [(&str, &str); 8] = [
    ("year", "*"),
    ("month", "1"),
    ("day", "1"),
    ("week", "*"),
    ("day_of_week", "*"),
    ("hour", "0"),
    ("minute", "0"),
    ("second", "0"),
];

const YEAR: FieldDef = def("year", 1970, 9999);
const DAY: FieldDef = def("day", 1, 31);
const WEEK: FieldDef = def("week", 1, 53);
const DAY_OF_WEEK: FieldDef = FieldDef {
    names: MONDAY_FIRST,
    name_base: 0,
    ..def("day_of_week", 0, 6)
};

/// A parsed field-style trigger.
pub(super) struct Parsed {
    pub spec: Spec,
    /// APScheduler-style text of the fields given: `cron[day_of_week='mon', hour='9']`.
    pub normalized: String,
}

impl CronFields {
    /// The slot of the field named `name` (`year` ... `second`), if it is one.
    pub fn slot(&mut self, name: &str) -> Option<&mut Option<String>> {
        Some(match name {
            "year" => &mut self.year,
            "month" => &mut self.month,
            "day" => &mut self.day,
            "week" => &mut self.week,
            "day_of_week" => &mut self.day_of_week,
            "hour" => &mut self.hour,
            "minute" => &mut self.minute,
            "second" => &mut self.second,
            _ => return None,
        })
    }

    fn get(&self, name: &str) -> Option<&str> {
        match name {
            "year" => self.year.as_deref(),
            "month" => self.month.as_deref(),
            "day" => self.day.as_deref(),
            "week" => self.week.as_deref(),
            "day_of_week" => self.day_of_week.as_deref(),
            "hour" => self.hour.as_deref(),
            "minute" => self.minute.as_deref(),
            _ => self.second.as_deref(),
        }
    }

    /// Each field's effective expression after APScheduler's defaulting rule.
    fn effective(&self) -> [(&'static str, String, bool); 8] {
        let last_given = ORDER.iter().rposition(|(name, _)| self.get(name).is_some());
        std::array::from_fn(|i| {
            let (name, default) = ORDER[i];
            match self.get(name) {
                Some(text) => (name, text.trim().to_string(), true),
                None if last_given.is_some_and(|last| i > last) => {
                    (name, default.to_string(), false)
                }
                None => (name, "*".to_string(), false),
            }
        })
    }
}

/// Parses a field-style trigger.
pub(super) fn parse(fields: &CronFields) -> Result<Parsed, CronError> {
    let [year, month, day, week, day_of_week, hour, minute, second] = fields.effective();
    let given: Vec<String> = [
        &year,
        &month,
        &day,
        &week,
        &day_of_week,
        &hour,
        &minute,
        &second,
    ]
    .iter()
    .filter(|(_, _, given)| *given)
    .map(|(name, text, _)| format!("{name}='{text}'"))
    .collect();

    let years = if year.1 == "*" {
        YearSet(None)
    } else {
        let mut ranges = Vec::new();
        for element in elements(&YEAR, &year.1)? {
            let r = YEAR.range(element)?;
            ranges.push(
                year_range(r.first, r.last, r.step)
                    .ok_or_else(|| CronError::new("year", element, "the year is out of range"))?,
            );
        }
        YearSet(Some(ranges))
    };
    let day_set = day_field(&day.1)?;
    let weekdays = numeric(&DAY_OF_WEEK, &day_of_week.1)?;
    // APScheduler counts weekdays from Monday = 0; the engine from Sunday = 0.
    let weekdays = (weekdays << 1 | weekdays >> 6) as u8 & 0x7f;
    let weeks = numeric(&WEEK, &week.1)?;
    let spec = Spec {
        seconds: numeric(&SECOND, &second.1)?,
        minutes: numeric(&MINUTE, &minute.1)?,
        hours: numeric(&HOUR, &hour.1)?,
        months: numeric(&MONTH, &month.1)?,
        days: DayRule {
            day_of_month: (day.1 != "*").then_some(day_set),
            day_of_week: (day_of_week.1 != "*").then(|| DaySet {
                weekdays,
                ..DaySet::default()
            }),
            weeks: (week.1 != "*").then_some(weeks),
            combine: Combine::All,
        },
        years,
    };
    Ok(Parsed {
        spec,
        normalized: format!("cron[{}]", given.join(", ")),
    })
}

fn elements<'a>(def: &FieldDef, text: &'a str) -> Result<Vec<&'a str>, CronError> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if parts.iter().any(|p| p.is_empty()) {
        return Err(CronError::new(
            def.name,
            text,
            format!("\"{text}\" has an empty element in its comma list"),
        ));
    }
    Ok(parts)
}

fn numeric(def: &FieldDef, text: &str) -> Result<u64, CronError> {
    let mut mask = 0;
    for element in elements(def, text)? {
        mask |= def.range(element)?.mask();
    }
    Ok(mask)
}

/// A weekday name as APScheduler's `day` field takes it, as 0 = Sunday.
fn weekday_name(element: &str, text: &str) -> Result<u32, CronError> {
    let lower = text.to_ascii_lowercase();
    MONDAY_FIRST
        .iter()
        .position(|n| *n == lower)
        .map(|i| (i as u32 + 1) % 7)
        .ok_or_else(|| {
            CronError::new(
                "day",
                element,
                format!("\"{text}\" in \"{element}\" is not a weekday name (mon, tue, wed, thu, fri, sat, sun)"),
            )
        })
}

fn day_field(text: &str) -> Result<DaySet, CronError> {
    let mut set = DaySet::default();
    for element in elements(&DAY, text)? {
        let lower = element.to_ascii_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        match words.as_slice() {
            ["last"] => set.items.push(DayItem::LastMinus(0)),
            ["last", name] => set
                .items
                .push(DayItem::LastOfWeekday(weekday_name(element, name)?)),
            [nth @ ("1st" | "2nd" | "3rd" | "4th" | "5th"), name] => {
                set.items.push(DayItem::NthWeekday {
                    weekday: weekday_name(element, name)?,
                    nth: u32::from(nth.as_bytes()[0] - b'0'),
                });
            }
            [_, _] => {
                return Err(CronError::new(
                    "day",
                    element,
                    format!(
                        "\"{element}\" is not valid: expected 1st-5th or last before a weekday, as in \"3rd fri\""
                    ),
                ));
            }
            _ => set.days |= DAY.range(element)?.mask(),
        }
    }
    Ok(set)
}
