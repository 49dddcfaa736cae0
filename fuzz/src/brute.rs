//! A reference for plain cron strings (numbers, names and full names, `*`,
//! `?`, ranges and wrap-around ranges, steps up to 10,000, lists, `@`
//! macros; no `L`, `W` or `#`), written from the CRON
//! EXPRESSIONS section of `man/apsched.1` without the engine's code: it
//! says whether a wall-clock time matches, and finds the next match by
//! walking the calendar day by day.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};

/// What the reference makes of a cron string.
pub enum Reference {
    /// A plain expression, understood.
    Plain(Box<Brute>),
    /// Not a valid expression by the man page: the engine must reject it.
    Invalid(String),
    /// Uses what the reference does not model (`L`, `W`, `#`): no claim.
    Special,
}

/// One field's allowed values, `allowed[v - min]`.
struct Field {
    min: u32,
    allowed: Vec<bool>,
}

impl Field {
    fn has(&self, v: u32) -> bool {
        v.checked_sub(self.min)
            .and_then(|i| self.allowed.get(i as usize))
            .copied()
            .unwrap_or(false)
    }

    /// Allowed values at or above `from`, in order.
    fn from(&self, from: u32) -> impl Iterator<Item = u32> + '_ {
        (self.min..self.min + self.allowed.len() as u32).filter(move |v| *v >= from && self.has(*v))
    }
}

/// A plain cron string, understood.
pub struct Brute {
    second: Field,
    minute: Field,
    hour: Field,
    dom: Field,
    month: Field,
    dow: Field,
    year: Option<Field>,
    /// Both day fields restricted: either may match (Vixie cron).
    either: bool,
}

/// What a day-by-day walk found.
#[derive(Debug, PartialEq, Eq)]
pub enum Scan {
    Found(NaiveDateTime),
    /// Nothing before this wall-clock time (the walk stopped there).
    NotBefore(NaiveDateTime),
    /// Nothing up to the end of year 9999, where the engine stops.
    Never,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const FULL: [&str; 19] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];

/// Name, bounds, value names (for `names[i]` = `base + i`), and the top of
/// `*` (day of week: 0-6, though 7 is Sunday too).
struct Def(&'static str, u32, u32, &'static [&'static str], u32, u32);

const DEFS: [Def; 7] = [
    Def("second", 0, 59, &[], 0, 59),
    Def("minute", 0, 59, &[], 0, 59),
    Def("hour", 0, 23, &[], 0, 23),
    Def("day-of-month", 1, 31, &[], 0, 31),
    Def("month", 1, 12, &MONTHS, 1, 12),
    Def("day-of-week", 0, 7, &DAYS, 0, 6),
    Def("year", 1970, 2199, &[], 0, 2199),
];

/// A number made of digits only, within `lo..=hi`.
fn number(text: &str, lo: u32, hi: u32) -> Result<u32, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{text:?} is not a number"));
    }
    let digits = text.trim_start_matches('0');
    let v: u64 = if digits.len() > 12 {
        u64::MAX
    } else {
        digits.parse().unwrap_or(0)
    };
    u32::try_from(v)
        .ok()
        .filter(|v| (lo..=hi).contains(v))
        .ok_or_else(|| format!("{text} is not in {lo}-{hi}"))
}

fn value(def: &Def, text: &str) -> Result<u32, String> {
    let mut lower = text.to_ascii_lowercase();
    if FULL.contains(&lower.as_str()) {
        lower.truncate(3);
    }
    match def.3.iter().position(|n| *n == lower) {
        Some(i) => Ok(def.4 + i as u32),
        None => number(text, def.1, def.2),
    }
}

/// The values of one comma-separated element.
fn element(def: &Def, text: &str) -> Result<Vec<u32>, String> {
    // Steps up to 10,000, but a year's up to its maximum.
    let max_step = if def.0 == "year" { def.2 } else { 10_000 };
    let (body, step) = match text.split_once('/') {
        Some((body, step)) => (body, Some(number(step, 1, max_step)?)),
        None => (text, None),
    };
    let (lo, hi) = if body == "*" {
        (def.1, def.5)
    } else if let Some((a, b)) = body.split_once('-') {
        (value(def, a)?, value(def, b)?)
    } else {
        let a = value(def, body)?;
        (a, if step.is_some() { def.2 } else { a })
    };
    let step = step.unwrap_or(1) as usize;
    // Day of week 7 starting a range that wraps is Sunday, 0: 7-1 is 0-1.
    let lo = if lo > hi && lo > def.5 {
        lo - (def.5 - def.1 + 1)
    } else {
        lo
    };
    if lo <= hi {
        return Ok((lo..=hi).step_by(step).collect());
    }
    if def.0 == "year" {
        return Err(format!("{text} runs backwards"));
    }
    // Wrap-around: up to the top of `*`, on from the bottom, the step
    // counting along.
    Ok((lo..=def.5).chain(def.1..=hi).step_by(step).collect())
}

fn field(i: usize, text: &str) -> Result<Field, Option<String>> {
    let def = &DEFS[i];
    let mut allowed = vec![false; (def.2 - def.1 + 1) as usize];
    for el in text.split(',') {
        let values = match el {
            "?" if i == 3 || i == 5 => element(def, "*"),
            _ => element(def, el),
        };
        match values {
            Ok(values) => values
                .into_iter()
                .for_each(|v| allowed[(v - def.1) as usize] = true),
            Err(_) if el.contains(['L', 'l', 'W', 'w', '#']) => return Err(None),
            Err(e) => return Err(Some(format!("{}: {e}", def.0))),
        }
    }
    Ok(Field {
        min: def.1,
        allowed,
    })
}

impl Reference {
    pub fn of(text: &str) -> Reference {
        let trimmed = text.trim();
        let expanded = match trimmed.to_ascii_lowercase().as_str() {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            _ if trimmed.starts_with('@') => return Reference::Invalid("macro".into()),
            _ => trimmed,
        };
        let mut f: Vec<&str> = expanded.split_whitespace().collect();
        match f.len() {
            5 => f.insert(0, "0"),
            6 | 7 => {}
            n => return Reference::Invalid(format!("{n} fields")),
        }
        let mut fields = Vec::new();
        for (i, text) in f.iter().enumerate() {
            match field(i, text) {
                Ok(x) => fields.push(x),
                Err(None) => return Reference::Special,
                Err(Some(e)) => return Reference::Invalid(e),
            }
        }
        let starred = |t: &str| t.starts_with(['*', '?']);
        let either = !starred(f[3]) && !starred(f[5]);
        let mut fields = fields.into_iter();
        let mut next = || fields.next().expect("six fields at least");
        Reference::Plain(Box::new(Brute {
            second: next(),
            minute: next(),
            hour: next(),
            dom: next(),
            month: next(),
            dow: next(),
            year: fields.next(),
            either,
        }))
    }
}

impl Brute {
    fn day_matches(&self, d: NaiveDate) -> bool {
        let w = d.weekday().num_days_from_sunday();
        let dom = self.dom.has(d.day());
        let dow = self.dow.has(w) || (w == 0 && self.dow.has(7));
        let year = match &self.year {
            None => true,
            Some(f) => u32::try_from(d.year()).is_ok_and(|y| f.has(y)),
        };
        year && self.month.has(d.month()) && if self.either { dom || dow } else { dom && dow }
    }

    /// Whether the wall-clock time matches.
    pub fn matches(&self, t: NaiveDateTime) -> bool {
        self.day_matches(t.date())
            && self.hour.has(t.hour())
            && self.minute.has(t.minute())
            && self.second.has(t.second())
    }

    /// The first match at or after `from`, looking `days` days ahead.
    pub fn next(&self, from: NaiveDateTime, days: u32) -> Scan {
        let mut date = from.date();
        let (fh, fm, fs) = (from.hour(), from.minute(), from.second());
        for i in 0..=days {
            if date.year() > 9999 {
                return Scan::Never;
            }
            if self.day_matches(date) {
                let first = i == 0;
                for h in self.hour.from(if first { fh } else { 0 }) {
                    let same_h = first && h == fh;
                    for m in self.minute.from(if same_h { fm } else { 0 }) {
                        let s_from = if same_h && m == fm { fs } else { 0 };
                        if let Some(s) = self.second.from(s_from).next() {
                            return Scan::Found(date.and_hms_opt(h, m, s).expect("valid time"));
                        }
                    }
                }
            }
            date = match date.succ_opt() {
                Some(d) => d,
                None => return Scan::Never,
            };
        }
        Scan::NotBefore(date.and_hms_opt(0, 0, 0).expect("midnight"))
    }
}
