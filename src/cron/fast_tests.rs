//! The iterator's shortcuts against the general algorithms they replace:
//! [`Search`] against [`Spec::next_naive`], and [`CronSchedule::iter_after`]
//! against repeated [`Cursor::next_fire`] calls on the general search, with
//! [`Fire::to_datetime`]. Results must be identical, including the offset of
//! each date-time and its [`FireKind`].

use super::matcher::MonthCache;
use super::search::Search;
use super::{CronFields, CronSchedule};
use crate::timezone::{Cursor, FireKind, Table};
use chrono::{DateTime, TimeZone};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::sample::{Index, select};

const ZONES: &[&str] = &[
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "America/Santiago",
    "Asia/Tehran",
    "Pacific/Chatham",
    "America/St_Johns",
    "Europe/Dublin",
    "Africa/Casablanca",
    "Antarctica/Troll",
];

/// Fire times and kinds by the general algorithms, as `FireTimes` computed
/// them before it had shortcuts.
fn general(s: &CronSchedule, start: &DateTime<Tz>, n: usize) -> Vec<(String, FireKind)> {
    let mut out = Vec::new();
    if !s.can_match {
        return out;
    }
    let mut cursor = Cursor::new(start.timezone(), start.timestamp());
    let mut cache = MonthCache::default();
    let mut after = start.timestamp();
    while out.len() < n {
        let every_hour = s.spec.every_hour();
        let next = |w| s.spec.next_naive(w, &mut cache);
        let Some(fire) = cursor.next_fire(after, every_hour, next) else {
            break;
        };
        after = fire.instant;
        let Some(at) = fire.to_datetime() else { break };
        out.push((at.to_rfc3339(), fire.kind));
    }
    out
}

/// The iterator's fire times and kinds, both through `next_fire` and through
/// `Iterator::next`.
fn fast(s: &CronSchedule, start: &DateTime<Tz>, n: usize) -> Vec<(String, FireKind)> {
    let mut fires = s.iter_after(start);
    let out: Vec<(String, FireKind)> = std::iter::from_fn(|| fires.next_fire())
        .take(n)
        .map(|f| (f.at.to_rfc3339(), f.kind))
        .collect();
    let plain: Vec<String> = s
        .iter_after(start)
        .take(n)
        .map(|t| t.to_rfc3339())
        .collect();
    let kinds: Vec<String> = out.iter().map(|(t, _)| t.clone()).collect();
    assert_eq!(plain, kinds, "{}: next and next_fire differ", s.source());
    out
}

fn assert_same(s: &CronSchedule, start: &DateTime<Tz>, n: usize) -> Result<(), TestCaseError> {
    let (want, got) = (general(s, start, n), fast(s, start, n));
    let same = got.iter().zip(&want).take_while(|(a, b)| a == b).count();
    prop_assert!(
        got == want,
        "{:?} after {}: #{same}: iterator {:?}, general {:?}",
        s.source(),
        start.to_rfc3339(),
        got.get(same),
        want.get(same)
    );
    Ok(())
}

/// Cron strings mixing every syntax element, including year ranges that end.
fn cron_text() -> impl Strategy<Value = String> {
    let f = |choices: &[&'static str]| select(choices.to_vec());
    let second = f(&["0", "*/5", "*/20", "*", "10-20", "0,30", "7/13", "59"]);
    let minute = f(&["*", "0", "*/5", "*/15", "30", "5-10", "0,30", "59", "17/20"]);
    let hour = f(&["*", "0", "2", "9", "1-3", "*/6", "0,12", "23", "2,3", "1"]);
    let dom = f(&[
        "*", "?", "1", "15", "29", "30", "31", "L", "L-2", "15W", "1W", "31W", "LW", "1-7", "*/10",
        "28-31", "L,15", "29,L", "L-30",
    ]);
    let month = f(&["*", "2", "1-6", "*/3", "2,4", "12", "jan,feb", "3,10", "11"]);
    let dow = f(&[
        "*", "?", "mon-fri", "0", "5", "5L", "1#2", "6#5", "sun,sat", "1-5/2", "7", "0L",
    ]);
    let year = f(&[
        "*",
        "2025-2030",
        "2028/4",
        "2100",
        "2030-2199/7",
        "1970-2024",
    ]);
    let fields = prop_oneof![Just(5usize), Just(6), Just(7)];
    (second, minute, hour, dom, month, dow, year, fields).prop_map(
        |(s, mi, h, dom, mo, dow, y, n)| {
            let five = format!("{mi} {h} {dom} {mo} {dow}");
            match n {
                5 => five,
                6 => format!("{s} {five}"),
                _ => format!("{s} {five} {y}"),
            }
        },
    )
}

/// APScheduler-style fields, with ISO weeks and years up to 9999.
fn field_trigger() -> impl Strategy<Value = CronFields> {
    let f = |choices: &[&'static str]| {
        let none = choices
            .iter()
            .map(|c| (!c.is_empty()).then(|| c.to_string()));
        select(none.collect::<Vec<_>>())
    };
    let year = f(&["", "", "2026-2031", "9990-9999", "*/3"]);
    let month = f(&["", "", "2", "1-6", "*/5"]);
    let day = f(&["", "", "last", "2nd mon", "last fri", "29", "1-10"]);
    let week = f(&["", "", "1", "10-20", "*/2", "53", "52,53,1"]);
    let dow = f(&["", "", "mon-fri", "0", "6", "sat,sun"]);
    let hour = f(&["", "", "2", "*/7", "1-3"]);
    let minute = f(&["", "30", "*/20"]);
    let second = f(&["", "0", "*/30"]);
    (year, month, day, week, dow, hour, minute, second).prop_map(
        |(year, month, day, week, day_of_week, hour, minute, second)| CronFields {
            year,
            month,
            day,
            week,
            day_of_week,
            hour,
            minute,
            second,
        },
    )
}

/// A start in a zone: near one of its offset changes, or anywhere from 1970
/// to 2110, at whole seconds, minutes, quarter hours or hours.
fn start() -> impl Strategy<Value = DateTime<Tz>> {
    let align = select(vec![1i64, 60, 900, 3600]);
    let near = prop_oneof![-7200..7200i64, -3 * 86_400..86_400i64];
    let anywhere = 0..4_418_064_000i64;
    let pieces = (select(ZONES.to_vec()), any::<bool>(), any::<Index>());
    (pieces, near, anywhere, align).prop_map(|((zone, cluster, pick), near, anywhere, align)| {
        let tz: Tz = zone.parse().expect("known zone");
        let table = Table::of(tz);
        let t = match table.transitions.len() {
            n if cluster && n > 0 => table.transitions[pick.index(n)].at + near,
            _ => anywhere,
        };
        tz.timestamp_opt(t.div_euclid(align) * align, 0).unwrap()
    })
}

/// How a query moves from the previous answer.
#[derive(Clone, Copy, Debug)]
enum Move {
    Next,
    Same,
    Ahead(i64),
    Back(i64),
    Jump(i64),
}

fn moves() -> impl Strategy<Value = Vec<Move>> {
    let one = prop_oneof![
        8 => Just(Move::Next),
        1 => Just(Move::Same),
        2 => (1..3 * 86_400i64).prop_map(Move::Ahead),
        2 => (1..3 * 86_400i64).prop_map(Move::Back),
        1 => (-2_208_988_800..11_000_000_000i64).prop_map(Move::Jump),
    ];
    prop::collection::vec(one, 1..200)
}

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
    fn search_matches_the_general_search(
        text in cron_text(),
        first in -2_208_988_800..11_000_000_000i64,
        moves in moves(),
    ) {
        let Ok(s) = text.parse::<CronSchedule>() else { return Ok(()) };
        let mut search = Search::default();
        let mut cache = MonthCache::default();
        let mut from = first;
        for m in moves {
            let want = s.spec.next_naive(from, &mut cache);
            let got = search.next(&s.spec, &s.plan, from);
            prop_assert_eq!(got, want, "{:?} from {}", text, from);
            let last = want.unwrap_or(from);
            from = match m {
                Move::Next => last + 1,
                Move::Same => last,
                Move::Ahead(d) => last + d,
                Move::Back(d) => last - d,
                Move::Jump(t) => t,
            };
        }
    }

    #[test]
    fn iterator_matches_the_general_path(text in cron_text(), start in start()) {
        let Ok(s) = text.parse::<CronSchedule>() else { return Ok(()) };
        assert_same(&s, &start, 300)?;
    }

    #[test]
    fn field_iterator_matches_the_general_path(f in field_trigger(), start in start()) {
        let Ok(s) = CronSchedule::from_fields(&f) else { return Ok(()) };
        assert_same(&s, &start, 200)?;
    }
}

/// The benchmark's schedules, and a few dense ones, over 1000 fire times
/// (to year 6148 for `0 0 29 2 *`) in zones with and without DST.
#[test]
fn long_runs_match_the_general_path() {
    let exprs = [
        "*/5 * * * *",
        "0 9 * * mon-fri",
        "0 0 29 2 *",
        "0 0 L * *",
        "30 2 * * *",
        "*/5 * * * * *",
        "*/7 * * * * *",
        "0 */30 * * * *",
        "0 0 1 1 *",
        "0 30 1 * * 0",
    ];
    for zone in [
        "UTC",
        "Europe/Berlin",
        "Australia/Lord_Howe",
        "America/Santiago",
    ] {
        let tz: Tz = zone.parse().expect("known zone");
        for start in [1_735_689_600, 1_774_738_800, 1_792_886_400] {
            let start = tz.timestamp_opt(start, 0).unwrap();
            for expr in exprs {
                let s: CronSchedule = expr.parse().expect("valid");
                assert_same(&s, &start, 1000).unwrap_or_else(|e| panic!("{e}"));
            }
        }
    }
}

/// Starts every five minutes around offset changes at midnight (Santiago,
/// Beirut), where a fall-back repeats 23:00-24:00 and the next match of a
/// sparse schedule can lie far beyond the span's end.
#[test]
fn midnight_changes_match_the_general_path() {
    let exprs = [
        "0,15 * 5,6 4 *",
        "0,15 * 5 4 *",
        "0,15 * 26 10 *",
        "15 * * * *",
        "*/20 * * * *",
        "0 0 * * *",
    ];
    for zone in ["America/Santiago", "Asia/Beirut"] {
        let tz: Tz = zone.parse().expect("known zone");
        let table = Table::of(tz);
        let changes = table.transitions.iter().map(|t| t.at);
        for at in changes.filter(|at| (1_700_000_000..1_800_000_000).contains(at)) {
            for start in (at - 3 * 3600..at + 2 * 3600).step_by(300) {
                let start = tz.timestamp_opt(start, 0).unwrap();
                for expr in exprs {
                    let s: CronSchedule = expr.parse().expect("valid");
                    assert_same(&s, &start, 12).unwrap_or_else(|e| panic!("{e}"));
                }
            }
        }
    }
}
