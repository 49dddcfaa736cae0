//! The expression grammar shared by cron strings and field-style triggers:
//! `*`, `*/n`, `a`, `a-b`, `a-b/n`, `a/n`, and names for values.
//!
//! Cron strings ([`FieldDef::cron_range`]) also take what other crons take:
//! wrap-around ranges (`22-2`, `fri-mon`: the step counts along the wrapped
//! sequence, as in Quartz), full names (`monday`, `January`) and steps larger
//! than the field (`*/90`: its first value only, as in cron; see
//! [`Range::oversized`]). Field-style triggers ([`FieldDef::range`]) reject
//! all three, as APScheduler does.

use super::error::CronError;

/// What one field accepts.
#[derive(Clone, Copy, Debug)]
pub(super) struct FieldDef {
    /// Name shown in errors (`minute`, `day_of_week`, ...).
    pub name: &'static str,
    pub min: u32,
    pub max: u32,
    /// Names for values, `names[i]` standing for `name_base + i`.
    pub names: &'static [&'static str],
    pub name_base: u32,
    /// The value range `*` covers, when it differs from `min..=max`
    /// (cron's day of week accepts 7 but `*` means 0-6).
    pub star_max: Option<u32>,
}

pub(super) const MONTH_NAMES: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
/// Weekday names starting on Sunday (cron's order).
pub(super) const SUNDAY_FIRST: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
/// Weekday names starting on Monday (APScheduler's order).
pub(super) const MONDAY_FIRST: &[&str] = &["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Full month names, each starting with its abbreviation in [`MONTH_NAMES`].
const MONTH_FULL: &[&str] = &[
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
];
/// Full weekday names, each starting with its abbreviation.
const WEEKDAY_FULL: &[&str] = &[
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];

/// The largest step a cron string accepts: steps above the field's maximum
/// select one value (as in cron) but stay bounded.
pub(super) const MAX_STEP: u32 = 10_000;

/// One parsed range element: values `first, first+step, ...` up to `last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Range {
    pub first: u32,
    pub last: u32,
    pub step: u32,
    /// Whether the element was written starting with `*`.
    pub star: bool,
    /// For a wrap-around range (`first > last`): the field's lowest value and
    /// the value after which it wraps. The sequence is `first..=top` then
    /// `low..=last`, and the step counts along it.
    pub wrap: Option<(u32, u32)>,
}

impl Range {
    /// The values as a bit mask. Parsing bounds every value by its field's
    /// maximum (at most 59), so all of them fit; anything above 63 is left
    /// out rather than wrapped.
    pub(super) fn mask(&self) -> u64 {
        if self.wrap.is_some() {
            return self.values().iter().fold(0, |m, v| m | 1 << v);
        }
        let mut mask = 0;
        let mut v = self.first;
        while v <= self.last && v < 64 {
            mask |= 1 << v;
            match v.checked_add(self.step.max(1)) {
                Some(next) => v = next,
                None => break,
            }
        }
        mask
    }

    /// The values of a wrap-around range in their order (at most 64 of
    /// them: a field has fewer); empty for any other range.
    pub(super) fn values(&self) -> Vec<u32> {
        let Some((low, top)) = self.wrap else {
            return Vec::new();
        };
        let len = top.saturating_sub(self.first) + 1 + self.last.saturating_sub(low) + 1;
        (0..len.min(64))
            .step_by(self.step.max(1) as usize)
            .map(|k| {
                let v = self.first + k;
                if v > top { low + (v - top - 1) } else { v }
            })
            .filter(|v| *v < 64)
            .collect()
    }

    /// Whether the step is larger than the whole field, so the element
    /// selects its first value only (`*/90` in minutes: minute 0).
    pub(super) fn oversized(&self, def: &FieldDef) -> bool {
        self.step > def.max
    }

    /// Canonical text of the element, numbers only. A wrap-around range is
    /// listed value by value (`22-2` is `22,23,0,1,2`), and a step larger
    /// than the field shows the one value it selects.
    /// The element in a day field. An oversized step keeps its star there
    /// (`*/40`, not `1`): a day field starting with `*` combines with the
    /// other day field by "and", any other by "or".
    pub(super) fn render_day(&self, def: &FieldDef) -> String {
        if self.star && self.oversized(def) {
            return format!("*/{}", self.step);
        }
        self.render(def)
    }

    pub(super) fn render(&self, def: &FieldDef) -> String {
        if self.wrap.is_some() {
            let values: Vec<String> = self.values().iter().map(u32::to_string).collect();
            return values.join(",");
        }
        if self.oversized(def) {
            return self.first.to_string();
        }
        let step = if self.step > 1 {
            format!("/{}", self.step)
        } else {
            String::new()
        };
        if self.star {
            format!("*{step}")
        } else if self.first == self.last {
            self.first.to_string()
        } else if self.step > 1 && self.last == def.max {
            format!("{}{step}", self.first)
        } else {
            format!("{}-{}{step}", self.first, self.last)
        }
    }
}

impl FieldDef {
    /// Parses one value: a number or a name, case-insensitive.
    pub(super) fn value(&self, text: &str) -> Result<u32, CronError> {
        let lower = text.to_ascii_lowercase();
        if let Some(i) = self.names.iter().position(|n| *n == lower) {
            return Ok(self.name_base + i as u32);
        }
        let value: u32 = match text.parse() {
            Ok(v) if !text.starts_with('+') => v,
            _ if text.is_empty() => {
                return Err(CronError::new(self.name, text, "a value is missing"));
            }
            _ if text.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(self.out_of_range(text));
            }
            _ => {
                let hint = if self.names.is_empty() {
                    "a number".to_string()
                } else {
                    format!("a number or a name ({})", self.names.join(", "))
                };
                return Err(CronError::new(
                    self.name,
                    text,
                    format!("\"{text}\" is not a valid value: expected {hint}"),
                ));
            }
        };
        if value < self.min || value > self.max {
            return Err(self.out_of_range(text));
        }
        Ok(value)
    }

    fn out_of_range(&self, text: &str) -> CronError {
        CronError::new(
            self.name,
            text,
            format!("{text} is out of range {}-{}", self.min, self.max),
        )
    }

    /// Parses one value of a cron string: as [`FieldDef::value`], and full
    /// names too (`monday`, `January`), in any case.
    fn cron_value(&self, text: &str) -> Result<u32, CronError> {
        let lower = text.to_ascii_lowercase();
        let full = MONTH_FULL.iter().chain(WEEKDAY_FULL).find(|f| **f == lower);
        match full {
            Some(f) if self.names.contains(&&f[..3]) => self.value(&f[..3]),
            _ => self.value(text),
        }
    }

    /// Parses the step `n` of `text` (`*/n`, `a-b/n`, `a/n`): digits only,
    /// from 1 to `max_step`. A step larger than the range it applies to
    /// selects the range's first value only, as in cron.
    fn step(&self, text: &str, step_text: &str, max_step: u32) -> Result<u32, CronError> {
        if step_text.is_empty() || !step_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CronError::new(
                self.name,
                text,
                format!("step \"{step_text}\" in \"{text}\" is not a number"),
            ));
        }
        match step_text.parse::<u32>() {
            Ok(0) => Err(CronError::new(
                self.name,
                text,
                format!("step in \"{text}\" must be at least 1"),
            )),
            Ok(step) if step <= max_step => Ok(step),
            // Too many digits for a u32, or above the largest step.
            _ => Err(CronError::new(
                self.name,
                text,
                format!(
                    "step \"{step_text}\" in \"{text}\" is too large for the {} field, at most {max_step}",
                    self.name
                ),
            )),
        }
    }

    /// Parses `*`, `*/n`, `a`, `a-b`, `a-b/n` or `a/n` as field-style
    /// triggers take them: no wrap-around, steps at most the field's maximum.
    pub(super) fn range(&self, text: &str) -> Result<Range, CronError> {
        self.parse_range(text, false)
    }

    /// Parses an element of a cron string: as [`FieldDef::range`], and
    /// wrap-around ranges, full names, and steps up to [`MAX_STEP`].
    pub(super) fn cron_range(&self, text: &str) -> Result<Range, CronError> {
        self.parse_range(text, true)
    }

    fn parse_range(&self, text: &str, cron: bool) -> Result<Range, CronError> {
        let max_step = if cron { MAX_STEP } else { self.max };
        let (body, step) = match text.split_once('/') {
            Some((body, step_text)) => (body, Some(self.step(text, step_text, max_step)?)),
            None => (text, None),
        };
        let value = |t: &str| {
            if cron {
                self.cron_value(t)
            } else {
                self.value(t)
            }
        };
        // A negative number (`hour = -1` in a schedule file) is out of
        // range, not a range missing its start.
        if let Some(digits) = body.strip_prefix('-')
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(self.out_of_range(body));
        }
        let star_max = self.star_max.unwrap_or(self.max);
        let mut wrap = None;
        let (first, last, star) = if body == "*" {
            (self.min, star_max, true)
        } else if let Some((a, b)) = body.split_once('-') {
            let (mut first, last) = (value(a)?, value(b)?);
            if cron && first > star_max && first > last {
                // Day of week 7 is Sunday, 0: `7-1` is Sunday to Monday.
                first -= star_max - self.min + 1;
            }
            if cron && first > last {
                wrap = Some((self.min, star_max));
            } else if first > last {
                return Err(CronError::new(
                    self.name,
                    text,
                    format!("range \"{body}\" runs backwards: {first} is after {last}"),
                ));
            }
            (first, last, false)
        } else {
            let first = value(body)?;
            // `a/n` runs from a to the field's maximum (7 in cron's day of
            // week, so `1/2` is 1, 3, 5 and 7: Sunday included).
            let last = if step.is_some() { self.max } else { first };
            (first, last, false)
        };
        Ok(Range {
            first,
            last,
            step: step.unwrap_or(1),
            star,
            wrap,
        })
    }
}
