//! Property tests: the cron engine against a brute-force reference
//! (`brute.rs`) over random schedules, zones and start instants.

mod brute;

use apsched::cron::{CronFields, CronSchedule};
use brute::{Cron, Fields, Model, Part};
use chrono::{DateTime, TimeZone};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::sample::Index;
use std::sync::OnceLock;

const ZONES: &str = "Europe/Berlin America/New_York Australia/Lord_Howe Europe/London UTC \
    Asia/Kolkata America/Santiago Pacific/Chatham Asia/Tehran America/St_Johns Europe/Dublin";
const N_ZONES: usize = 11;
/// The most fire times one comparison looks at.
const CAP: usize = 150;

type TestResult = Result<(), TestCaseError>;

fn zone(i: usize) -> Tz {
    ZONES.split_whitespace().nth(i).unwrap().parse().unwrap()
}

/// UTC instants of each zone's offset changes in 2024-2030 (all on
/// quarter hours), found by 6-hour then 15-minute steps.
fn transitions(z: usize) -> &'static [i64] {
    static ALL: OnceLock<Vec<Vec<i64>>> = OnceLock::new();
    let changes = |z| {
        let tz = zone(z);
        let off = |t| brute::offset_at(tz, t);
        let starts = (1_704_067_200..1_924_992_000i64).step_by(6 * 3600);
        let starts = starts.filter(|&t| off(t) != off(t + 6 * 3600));
        let step = |t: i64| {
            (t..)
                .step_by(900)
                .find(|&u| off(u + 900) != off(u))
                .unwrap()
                + 900
        };
        starts.map(step).collect()
    };
    &ALL.get_or_init(|| (0..N_ZONES).map(changes).collect())[z]
}

/// A zone and a start instant: near a DST transition of 2024-2030, or
/// anywhere in 1990-2090. With `only_dst`, always up to 8 h before one.
fn start(only_dst: bool) -> impl Strategy<Value = DateTime<Tz>> {
    let near = if only_dst {
        prop_oneof![-7200..0i64, -8 * 3600..0i64].boxed()
    } else {
        prop_oneof![-4 * 3600..4 * 3600i64, -1200..1200i64].boxed()
    };
    let uniform = 631_152_000..3_786_912_000i64;
    let align = prop_oneof![Just(1i64), Just(60), Just(900), Just(3600)];
    let nanos = prop_oneof![4 => Just(0u32), 1 => 0..1_000_000_000u32];
    let cluster = prop::bool::weighted(if only_dst { 1.0 } else { 0.75 });
    let zones: Vec<usize> = (0..N_ZONES)
        .filter(|&z| !only_dst || !transitions(z).is_empty())
        .collect();
    let zones = prop::sample::select(zones);
    let parts = (zones, cluster, any::<Index>(), near, uniform, align, nanos);
    parts.prop_map(|(z, cluster, pick, delta, uniform, align, nanos)| {
        let ts = transitions(z);
        let t = if cluster && !ts.is_empty() {
            ts[pick.index(ts.len())] + delta.div_euclid(align) * align
        } else {
            uniform.div_euclid(align) * align
        };
        zone(z).timestamp_opt(t, nanos).unwrap()
    })
}

fn window() -> impl Strategy<Value = i64> {
    let days = |n: i64| Just(n * 86_400);
    prop_oneof![3 => Just(3 * 3600i64), 3 => days(2), 2 => days(40), 1 => days(1461)]
}

fn part(min: u32, max: u32) -> BoxedStrategy<Part> {
    // Steps run up to the field's maximum (a larger one is an error in field
    // style; cron strings get larger ones from `cron_extra`), which can
    // still exceed the range they apply to.
    let steps = 1..=max.min(max - min + 1);
    let pair = || (min..=max, min..=max).prop_map(|(a, b)| (a.min(b), a.max(b)));
    prop_oneof![
        2 => Just(Part::Star),
        2 => steps.clone().prop_map(Part::StarStep),
        4 => (min..=max).prop_map(Part::Num),
        2 => pair().prop_map(|(a, b)| Part::Range(a, b)),
        2 => (pair(), steps.clone()).prop_map(|((a, b), n)| Part::RangeStep(a, b, n)),
        1 => (min..=max, steps).prop_map(|(a, n)| Part::FromStep(a, n)),
    ]
    .boxed()
}

/// A comma list of `plain` parts, mixed with `special` ones by its weight.
fn list(
    plain: BoxedStrategy<Part>,
    special: (u32, BoxedStrategy<Part>),
) -> BoxedStrategy<Vec<Part>> {
    let one = prop_oneof![6 => plain, special.0 => special.1];
    prop_oneof![2 => Just(vec![Part::Star]), 5 => prop::collection::vec(one, 1..=3)].boxed()
}

fn plain(min: u32, max: u32) -> BoxedStrategy<Vec<Part>> {
    list(part(min, max), (1, part(min, max)))
}

/// What cron strings take beyond [`part`]: wrap-around ranges (`22-2/3`)
/// and steps larger than the field (`*/90`, `5/90`), up to 10,000.
fn cron_extra(min: u32, max: u32) -> BoxedStrategy<Part> {
    let wrap = (min + 1..=max, min..max, 1..=max)
        .prop_filter("a wrap-around", |(a, b, _)| a > b)
        .prop_map(|(a, b, n)| Part::Wrap(a, b, n));
    let big = max + 1..=10_000;
    prop_oneof![
        3 => wrap,
        1 => big.clone().prop_map(Part::StarStep),
        1 => (min..=max, big).prop_map(|(a, n)| Part::FromStep(a, n)),
    ]
    .boxed()
}

/// A cron string's numeric field: [`plain`] parts and [`cron_extra`] ones.
fn cron_plain(min: u32, max: u32) -> BoxedStrategy<Vec<Part>> {
    list(part(min, max), (2, cron_extra(min, max)))
}

/// `special` weighs the L/W/# day parts against plain ones (6).
fn cron(special: u32) -> impl Strategy<Value = Cron> {
    let dom = prop_oneof![
        (0..=30u32).prop_map(Part::Last),
        (1..=31u32, prop_oneof![Just(1u32), 1..=31u32]).prop_map(|(a, n)| Part::ToLast(a, n)),
        prop_oneof![1..=31u32, 1..=1u32, 28..=31u32].prop_map(Part::Near),
        Just(Part::LastWd),
    ];
    let dow = prop_oneof![
        (0..=7u32).prop_map(Part::LastOf),
        (0..=7u32, 1..=5u32).prop_map(|(x, k)| Part::Nth(x, k)),
    ];
    // `a/n` runs to the field maximum 7, so `1/2` takes Sunday.
    let dow_plain = prop_oneof![6 => part(0, 7), 1 => cron_extra(0, 7)];
    let day = |l: BoxedStrategy<Vec<Part>>| prop_oneof![1 => Just(None), 7 => l.prop_map(Some)];
    let some = |l: BoxedStrategy<Vec<Part>>| l.prop_map(Some).boxed();
    let f = [
        some(prop_oneof![Just(vec![Part::Num(0)]), cron_plain(0, 59)].boxed()),
        some(cron_plain(0, 59)),
        some(prop_oneof![cron_plain(0, 23), plain(0, 4)].boxed()),
        day(list(
            prop_oneof![6 => part(1, 31), 1 => cron_extra(1, 31)].boxed(),
            (special, dom.boxed()),
        ))
        .boxed(),
        some(cron_plain(1, 12)),
        day(list(dow_plain.boxed(), (special, dow.boxed()))).boxed(),
        some(prop_oneof![plain(1970, 2199), plain(2020, 2035)].boxed()),
    ];
    (5..=7usize, f, any::<u8>()).prop_map(|(fields, f, style)| Cron { fields, f, style })
}

/// Cron strings dense enough in wall time to meet DST transitions.
fn dst_cron() -> impl Strategy<Value = Cron> {
    let sec = prop_oneof![
        Just(vec![Part::Num(0)]),
        Just(vec![Part::Num(0), Part::Num(30)]),
        Just(vec![Part::StarStep(20)]),
    ];
    (cron(1), sec, any::<bool>()).prop_map(|(mut c, sec, keep_days)| {
        c.f[0] = Some(sec);
        let star = |f: &mut Option<Vec<Part>>| *f = Some(vec![Part::Star]);
        c.f[4..].iter_mut().step_by(2).for_each(star);
        if !keep_days {
            c.f[3..].iter_mut().step_by(2).take(2).for_each(star);
        }
        c
    })
}

/// `special` weighs `last`, `1st mon` and `last fri` against plain days (6).
fn fields(special: u32) -> impl Strategy<Value = Fields> {
    let day = prop_oneof![
        Just(Part::Last(0)),
        (0..=6u32, 1..=5u32).prop_map(|(x, k)| Part::Nth(x, k)),
        (0..=6u32).prop_map(Part::LastOf),
    ];
    let opt = |l: BoxedStrategy<Vec<Part>>| prop::option::weighted(0.35, l).boxed();
    let given = [
        opt(prop_oneof![plain(1970, 2199), plain(2020, 2035)].boxed()),
        opt(plain(1, 12)),
        opt(list(part(1, 31), (special, day.boxed()))),
        opt(plain(1, 53)),
        opt(plain(0, 6)),
        opt(prop_oneof![plain(0, 23), plain(0, 4)].boxed()),
        opt(plain(0, 59)),
        opt(plain(0, 59)),
    ];
    (given, any::<u8>())
        .prop_map(|(given, style)| Fields { given, style })
        .prop_filter("some field", |f| f.given.iter().any(Option::is_some))
}

/// Asserts the engine agrees with the reference from `start` on.
fn check(s: &CronSchedule, model: &Model, start: &DateTime<Tz>, window: i64) -> TestResult {
    let tz = start.timezone();
    let exp = brute::expected(model, tz, start.timestamp(), window, CAP);
    let got: Vec<DateTime<Tz>> = s.iter_after(start).take(exp.times.len() + 1).collect();
    for t in &got {
        prop_assert_eq!(t.timezone(), tz);
        prop_assert_eq!(t.timestamp_subsec_nanos(), 0);
    }
    let mut got: Vec<i64> = got.iter().map(DateTime::timestamp).collect();
    got.truncate(if exp.complete {
        got.iter().take_while(|&&t| t <= exp.end).count()
    } else {
        CAP
    });
    let same = got
        .iter()
        .zip(&exp.times)
        .take_while(|(a, b)| a == b)
        .count();
    let show = |t: Option<&i64>| t.map(|&t| tz.timestamp_opt(t, 0).unwrap().to_rfc3339());
    prop_assert!(
        got == exp.times,
        "{:?}: fire time #{} (of {} known up to {}): engine {:?}, reference {:?}",
        s.source(),
        same,
        exp.times.len(),
        show(Some(&exp.end)).unwrap(),
        show(got.get(same)),
        show(exp.times.get(same)),
    );
    prop_assert_eq!(s.every_hour(), model.hours.len() == 24);
    Ok(())
}

fn check_cron(c: &Cron, start: &DateTime<Tz>, window: i64) -> TestResult {
    let text = c.text();
    let s = text
        .parse()
        .map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
    check(&s, &c.model(), start, window)
}

fn check_fields(f: &Fields, start: &DateTime<Tz>, window: i64) -> TestResult {
    let cf = f.cron_fields();
    let s =
        CronSchedule::from_fields(&cf).map_err(|e| TestCaseError::fail(format!("{cf:?}: {e}")))?;
    check(&s, &f.model(), start, window)
}

/// Cron-like text with a few random edits, to feed the parser.
fn near_miss() -> impl Strategy<Value = String> {
    let chars = "0123456789*/,-?LlWw# \tjanMONsunFRIdec@x\u{e9}";
    let junk = prop::sample::select(chars.chars().collect::<Vec<_>>());
    let edit = (any::<Index>(), 0..3u8, junk);
    (cron(1), prop::collection::vec(edit, 0..6)).prop_map(|(c, edits)| {
        let mut s: Vec<char> = c.text().chars().collect();
        for (at, op, ch) in edits {
            let i = at.index(s.len() + 1);
            match op {
                0 => s.insert(i, ch),
                1 if i < s.len() => drop(s.remove(i)),
                _ if i < s.len() => s[i] = ch,
                _ => s.push(ch),
            }
        }
        s.into_iter().collect()
    })
}

/// 256 cases per property unless `PROPTEST_CASES` says otherwise.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").map_or(256, |_| ProptestConfig::default().cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn cron_strings_match_brute_force(c in cron(1), start in start(false), window in window()) {
        check_cron(&c, &start, window)?;
    }

    #[test]
    fn field_triggers_match_brute_force(f in fields(1), start in start(false), window in window()) {
        check_fields(&f, &start, window)?;
    }

    #[test]
    fn dst_transitions_match_brute_force(
        c in dst_cron(),
        mut f in fields(1),
        start in start(true),
        window in prop_oneof![Just(43_200i64), Just(3 * 86_400)],
    ) {
        check_cron(&c, &start, window)?;
        for g in f.given[..2].iter_mut().filter(|g| g.is_some()) {
            *g = Some(vec![Part::Star]);
        }
        check_fields(&f, &start, window)?;
    }

    #[test]
    fn special_days_match_brute_force(mut c in cron(4), mut f in fields(4), start in start(false)) {
        // Whole days over four years: one fire time a day, at noon.
        c.f[..3].clone_from_slice(&[Some(vec![Part::Num(0)]), Some(vec![Part::Num(0)]), Some(vec![Part::Num(12)])]);
        check_cron(&c, &start, 1461 * 86_400)?;
        f.given[5] = Some(vec![Part::Num(12)]);
        f.given[6..].fill(None);
        check_fields(&f, &start, 1461 * 86_400)?;
    }

    #[test]
    fn fire_times_are_consistent(
        c in cron(1),
        f in fields(1),
        start in prop_oneof![start(true), start(false)],
    ) {
        let a: CronSchedule = c.text().parse().unwrap();
        let b = CronSchedule::from_fields(&f.cron_fields()).unwrap();
        for sched in [a, b] {
            let times: Vec<_> = sched.iter_after(&start).take(12).collect();
            prop_assert_eq!(sched.next_after(&start), times.first().copied());
            let mut prev = start;
            for t in &times {
                prop_assert!(*t > prev, "{} then {}", prev, t);
                prop_assert_eq!(sched.next_after(&prev), Some(*t));
                prev = *t;
            }
            if times.len() < 12 {
                prop_assert_eq!(sched.next_after(&prev), None);
            }
        }
    }

    #[test]
    fn parsing_garbage_never_panics(text in "\\PC*", near in near_miss(), start in start(false)) {
        for text in [text, near] {
            if let Ok(s) = text.parse::<CronSchedule>() {
                let _ = s.iter_after(&start).take(3).count();
            }
            let cf = CronFields { day: Some(text.clone()), hour: Some(text), ..CronFields::default() };
            if let Ok(s) = CronSchedule::from_fields(&cf) {
                let _ = s.next_after(&start);
            }
        }
    }
}
