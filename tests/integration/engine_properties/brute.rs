//! A slow reference for the cron engine, written from the spec alone: it
//! enumerates every matching wall-clock time in a window and maps each to
//! instants with chrono-tz, following the DST policy.

use apsched::cron::CronFields;
use chrono::{Datelike, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Weekday};
use chrono_tz::{GapInfo, Tz};

/// One comma-separated piece of a field. Weekdays count from Sunday (0 or
/// 7) in cron strings and from Monday (0) in field-style triggers.
#[derive(Clone, Debug)]
pub(super) enum Part {
    Star,
    StarStep(u32),
    Num(u32),
    Range(u32, u32),
    RangeStep(u32, u32, u32),
    /// `a/n`: a to the field's maximum.
    FromStep(u32, u32),
    /// `a-b/n` with a > b (cron strings): a to the top of `*`, on from the
    /// field's minimum to b, every n-th value along that sequence.
    Wrap(u32, u32, u32),
    /// `a-L/n` (cron strings' day of month): day a to the last, every n days.
    ToLast(u32, u32),
    /// `L` / `L-n` (n days before the last day); field style `last` (n = 0).
    Last(u32),
    /// `nW`: the Mon-Fri nearest day n.
    Near(u32),
    /// `LW`: the last Mon-Fri.
    LastWd,
    /// `xL` / `last fri`: the last x-day of the month.
    LastOf(u32),
    /// `x#k` / `1st mon`: the k-th x-day of the month.
    Nth(u32, u32),
}

pub(super) fn month_len(y: i32, m: u32) -> u32 {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .map_or(31, |d| d.day())
}

/// The day `nW` picks: the Mon-Fri nearest day n, never leaving the month.
pub(super) fn nearest_weekday(y: i32, m: u32, n: u32) -> Option<u32> {
    let len = month_len(y, m);
    if n > len {
        return None;
    }
    Some(match NaiveDate::from_ymd_opt(y, m, n)?.weekday() {
        Weekday::Sat if n > 1 => n - 1,
        Weekday::Sat => n + 2,
        Weekday::Sun if n < len => n + 1,
        Weekday::Sun => n - 2,
        _ => n,
    })
}

/// The last Mon-Fri of the month.
pub(super) fn last_weekday(y: i32, m: u32) -> u32 {
    let mut d = month_len(y, m);
    while let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
        if date.weekday().num_days_from_monday() < 5 {
            break;
        }
        d -= 1;
    }
    d
}

fn week_of_month(d: NaiveDate) -> u32 {
    (d.day() - 1) / 7 + 1
}

/// Whether `p` selects value `v` (of a field spanning `min..=max`) on day `d`.
pub(super) fn matches(p: &Part, v: u32, (min, max): (u32, u32), d: NaiveDate, sun: bool) -> bool {
    let stepped = |a: u32, b: u32, n: u32| a <= v && v <= b && (v - a).is_multiple_of(n);
    let (y, m, day, len) = (d.year(), d.month(), d.day(), month_len(d.year(), d.month()));
    let wd = |x: u32| x % 7 == (d.weekday().num_days_from_monday() + u32::from(sun)) % 7;
    match *p {
        Part::Star => stepped(min, max, 1),
        Part::StarStep(n) => stepped(min, max, n),
        Part::Num(a) => v == a,
        Part::Range(a, b) => stepped(a, b, 1),
        Part::RangeStep(a, b, n) => stepped(a, b, n),
        Part::FromStep(a, n) => stepped(a, max, n),
        Part::Wrap(a, b, n) => {
            // `*` of cron's day of week stops at 6 (7 is Sunday again).
            let top = if (min, max) == (0, 7) { 6 } else { max };
            match if a > top { a - (top - min + 1) } else { a } {
                // Cron's day of week `7-3` is Sunday (0) to Wednesday.
                a if a <= b => stepped(a, b, n),
                a => (a..=top).chain(min..=b).step_by(n as usize).any(|x| x == v),
            }
        }
        Part::ToLast(a, n) => a <= day && (day - a).is_multiple_of(n),
        Part::Last(n) => day + n == len,
        Part::Near(n) => nearest_weekday(y, m, n) == Some(day),
        Part::LastWd => day == last_weekday(y, m),
        Part::LastOf(x) => wd(x) && day + 7 > len,
        Part::Nth(x, k) => wd(x) && week_of_month(d) == k,
    }
}

/// Whether any of `parts` matches (see [`matches`]).
pub(super) fn any(parts: &[Part], v: u32, range: (u32, u32), d: NaiveDate, sun: bool) -> bool {
    parts.iter().any(|p| matches(p, v, range, d, sun))
}

/// What a schedule matches in wall-clock time.
pub(super) struct Model<'a> {
    pub seconds: Vec<u32>,
    pub minutes: Vec<u32>,
    pub hours: Vec<u32>,
    pub day: Box<dyn Fn(NaiveDate) -> bool + 'a>,
}

pub(super) fn offset_at(tz: Tz, t: i64) -> i64 {
    let dt = tz.timestamp_opt(t, 0).unwrap();
    i64::from(dt.offset().fix().local_minus_utc())
}

/// The instants a matching wall time `w` stands for, by the DST policy.
pub(super) fn instants(tz: Tz, w: NaiveDateTime, every_hour: bool) -> Vec<i64> {
    match tz.from_local_datetime(&w) {
        LocalResult::Single(t) => vec![t.timestamp()],
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = (a.timestamp(), b.timestamp());
            if every_hour {
                vec![a.min(b), a.max(b)]
            } else {
                vec![a.min(b)]
            }
        }
        LocalResult::None => {
            let gap = GapInfo::new(&w, &tz).expect("a gap");
            let (_, before) = gap.begin.expect("the gap's start");
            let off = i64::from(before.fix().local_minus_utc());
            vec![w.and_utc().timestamp() - off]
        }
    }
}

/// Bound on how far any zone offset in the window strays from the start's.
pub(super) const SLACK: i64 = 2 * 3600;

/// Fire times the reference can vouch for.
pub(super) struct Expected {
    /// Sorted, distinct, all in `(start, end]`.
    pub times: Vec<i64>,
    /// Every fire time in `(start, end]` is known...
    pub end: i64,
    /// ...and `times` holds all of them (false: only the first `cap`).
    pub complete: bool,
}

/// The fire times strictly after `start` (UTC seconds), up to `start +
/// window`, stopping early once `cap` of them are certain.
pub(super) fn expected(m: &Model, tz: Tz, start: i64, window: i64, cap: usize) -> Expected {
    let off_s = offset_at(tz, start);
    let local = start + off_s;
    let (lo, hi) = (local - SLACK, local + window + SLACK);
    let every_hour = m.hours.len() == 24;
    let naive = |s: i64| chrono::DateTime::from_timestamp(s, 0).unwrap().naive_utc();
    let mut found = Vec::new();
    let mut end = start + window;
    let mut checked = 0;
    let hms = m.hours.iter().flat_map(|&h| {
        let ms = m
            .minutes
            .iter()
            .flat_map(move |&mi| m.seconds.iter().map(move |&s| (mi, s)));
        ms.map(move |(mi, s)| (h, mi, s))
    });
    let days = naive(lo)
        .date()
        .iter_days()
        .take_while(|d| *d <= naive(hi).date());
    let walls = days.filter(|d| (m.day)(*d)).flat_map(|d| {
        hms.clone()
            .map(move |(h, mi, s)| d.and_hms_opt(h, mi, s).unwrap())
    });
    for w in walls.skip_while(|w| w.and_utc().timestamp() < lo) {
        let ws = w.and_utc().timestamp();
        if ws > hi {
            break;
        }
        for i in instants(tz, w, every_hour) {
            assert!((ws - i - off_s).abs() <= SLACK, "offset slack exceeded");
            if i > start {
                found.push(i);
            }
        }
        // Every instant <= bound has its wall time <= ws.
        let bound = ws - SLACK - off_s;
        if found.len() >= checked + cap {
            checked = found.len();
            if found.iter().filter(|&&i| i <= bound).count() >= cap {
                end = end.min(bound);
                break;
            }
        }
    }
    found.retain(|&i| i <= end);
    found.sort_unstable();
    found.dedup();
    let complete = found.len() <= cap;
    found.truncate(cap);
    Expected {
        times: found,
        end,
        complete,
    }
}

// The schedules under test, in pieces: their text and their reference model.

const MONTHS: &str = "janfebmaraprmayjunjulaugsepoctnovdec";
const SUN_DAYS: &str = "sunmontuewedthufrisat";
const MON_DAYS: &str = "montuewedthufrisatsun";
const ORDINAL: [&str; 5] = ["st", "nd", "rd", "th", "th"];
/// Field-style bounds: year, month, day, week, `day_of_week`, hour, minute, second.
pub(super) const LO: [u32; 8] = [1970, 1, 1, 1, 0, 0, 0, 0];
const HI: [u32; 8] = [9999, 12, 31, 53, 6, 23, 59, 59];
fn name(list: &str, i: u32) -> &str {
    &list[3 * i as usize..3 * i as usize + 3]
}

/// Applies a random letter case to a name.
fn cased(s: &str, style: u8) -> String {
    match style % 3 {
        0 => s.to_string(),
        1 => s.to_uppercase(),
        _ => s[..1].to_uppercase() + &s[1..],
    }
}

/// A part as cron-string or field-style text; `label` names plain values.
fn render(p: &Part, label: &dyn Fn(u32) -> String, style: u8, cron: bool) -> String {
    let named = cron && style & 8 == 0;
    let step = |v: u32| if named { label(v) } else { v.to_string() };
    let (l, w) = [("L", "W"), ("l", "w")][usize::from(style & 4 != 0)];
    let day = |x: u32| cased(name(MON_DAYS, x), style >> 4);
    match *p {
        Part::Star => "*".into(),
        Part::StarStep(n) => format!("*/{n}"),
        Part::Num(a) => label(a),
        Part::Range(a, b) | Part::Wrap(a, b, 1) => format!("{}-{}", label(a), label(b)),
        Part::RangeStep(a, b, n) | Part::Wrap(a, b, n) => {
            format!("{}-{}/{n}", step(a), step(b))
        }
        Part::FromStep(a, n) => format!("{}/{n}", step(a)),
        Part::ToLast(a, 1) => format!("{a}-{l}"),
        Part::ToLast(a, n) => format!("{a}-{l}/{n}"),
        Part::Last(0) if !cron => cased("last", style >> 4),
        Part::Last(0) if style & 32 == 0 => l.into(),
        Part::Last(n) => format!("{l}-{n}"),
        Part::Near(n) => format!("{n}{w}"),
        Part::LastWd => format!("{l}{w}"),
        Part::LastOf(x) if cron => format!("{}{l}", label(x)),
        Part::LastOf(x) => format!("{} {}", cased("last", style >> 4), day(x)),
        Part::Nth(x, k) if cron => format!("{}#{k}", label(x)),
        Part::Nth(x, k) => format!("{k}{} {}", ORDINAL[k as usize - 1], day(x)),
    }
}

fn join(parts: &[Part], label: &dyn Fn(u32) -> String, style: u8, cron: bool) -> String {
    let texts: Vec<String> = parts
        .iter()
        .map(|p| render(p, label, style, cron))
        .collect();
    texts.join(",")
}

/// A cron string in pieces, in the order second, minute, hour, day of month,
/// month, day of week, year (`None`: `?`), of which it shows `fields`.
#[derive(Clone, Debug)]
pub(super) struct Cron {
    pub fields: usize,
    pub f: [Option<Vec<Part>>; 7],
    pub style: u8,
}
const CRON_LO: [u32; 7] = [0, 0, 0, 1, 1, 0, 1970];
const CRON_HI: [u32; 7] = [59, 59, 23, 31, 12, 7, 2199];

impl Cron {
    /// All seven fields' texts.
    pub(super) fn texts(&self) -> Vec<String> {
        let st = self.style;
        let label = |i: usize, v: u32| match i {
            4 if st & 1 != 0 => cased(name(MONTHS, v - 1), st >> 4),
            5 if st & 2 != 0 && v < 7 => cased(name(SUN_DAYS, v), st >> 4),
            _ => v.to_string(),
        };
        (0..7)
            .map(|i| {
                self.f[i]
                    .as_ref()
                    .map_or("?".into(), |p| join(p, &|v| label(i, v), st, true))
            })
            .collect()
    }

    pub(super) fn text(&self) -> String {
        let texts = self.texts();
        let shown = &texts[usize::from(self.fields == 5)..6 + usize::from(self.fields == 7)];
        shown.join(if self.style & 64 == 0 { " " } else { "  " })
    }

    /// The reference: `?`/`*`-led day fields AND the other one, else OR.
    pub(super) fn model(&self) -> Model<'_> {
        let texts = self.texts();
        let either = !texts[3].starts_with(['*', '?']) && !texts[5].starts_with(['*', '?']);
        let m = move |i: usize, v: u32, d| {
            self.f[i]
                .as_ref()
                .is_none_or(|p| any(p, v, (CRON_LO[i], CRON_HI[i]), d, true))
        };
        let vals = |i: usize| {
            (CRON_LO[i]..=CRON_HI[i])
                .filter(|&v| m(i, v, NaiveDate::MIN))
                .collect()
        };
        Model {
            seconds: if self.fields >= 6 { vals(0) } else { vec![0] },
            minutes: vals(1),
            hours: vals(2),
            day: Box::new(move |d: NaiveDate| {
                let w = d.weekday().num_days_from_sunday();
                let (dom, dow) = (m(3, d.day(), d), m(5, w, d) || (w == 0 && m(5, 7, d)));
                (self.fields < 7 || m(6, u32::try_from(d.year()).expect("a year after 0"), d))
                    && m(4, d.month(), d)
                    && if either { dom || dow } else { dom && dow }
            }),
        }
    }
}

/// A field-style trigger: each field (in `LO` order) absent or a list of parts.
#[derive(Clone, Debug)]
pub(super) struct Fields {
    pub given: [Option<Vec<Part>>; 8],
    pub style: u8,
}

impl Fields {
    pub(super) fn cron_fields(&self) -> CronFields {
        let st = self.style;
        let text = |i: usize| {
            let label = |v: u32| match i {
                1 if st & 1 != 0 => cased(name(MONTHS, v - 1), st >> 4),
                4 if st & 2 != 0 => cased(name(MON_DAYS, v), st >> 4),
                _ => v.to_string(),
            };
            Some(join(self.given[i].as_ref()?, &label, st, false))
        };
        let mut texts = (0..8).map(text);
        let mut next = || texts.next().unwrap();
        CronFields {
            year: next(),
            month: next(),
            day: next(),
            week: next(),
            day_of_week: next(),
            hour: next(),
            minute: next(),
            second: next(),
        }
    }

    /// The reference: APScheduler's defaults filled in, then all fields AND.
    pub(super) fn model(&self) -> Model<'static> {
        let last = (0..8).rev().find(|&i| self.given[i].is_some()).unwrap();
        let eff: Vec<Vec<Part>> = (0..8)
            .map(|i| match &self.given[i] {
                Some(p) => p.clone(),
                None if i > last && i != 3 && i != 4 => vec![Part::Num(LO[i])],
                None => vec![Part::Star],
            })
            .collect();
        let m = move |i: usize, v: u32, d| any(&eff[i], v, (LO[i], HI[i]), d, false);
        let vals = |i: usize| {
            (LO[i]..=HI[i])
                .filter(|&v| m(i, v, NaiveDate::MIN))
                .collect()
        };
        Model {
            seconds: vals(7),
            minutes: vals(6),
            hours: vals(5),
            day: Box::new(move |d: NaiveDate| {
                let v = [
                    u32::try_from(d.year()).expect("a year after 0"),
                    d.month(),
                    d.day(),
                    d.iso_week().week(),
                ];
                (0..4).all(|i| m(i, v[i], d)) && m(4, d.weekday().num_days_from_monday(), d)
            }),
        }
    }
}
