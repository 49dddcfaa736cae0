//! `or` and `and` against the union and intersection of their members'
//! own times over a whole year in a zone with DST, and the `and` search's
//! bounds.

use super::super::{Kind, Trigger};
use crate::cron::CronSchedule;
use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use chrono_tz::Tz;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

const BERLIN: Tz = chrono_tz::Europe::Berlin;

fn cron(text: &str) -> Kind {
    Kind::Cron(Arc::new(text.parse::<CronSchedule>().expect(text)))
}

fn every(secs: u64) -> Kind {
    Kind::Interval {
        period: Duration::from_secs(secs),
    }
}

fn at(text: &str) -> DateTime<Tz> {
    DateTime::parse_from_rfc3339(text)
        .expect("time")
        .with_timezone(&BERLIN)
}

fn trigger(kind: Kind, start: Option<&str>) -> Trigger {
    Trigger {
        kind,
        tz: BERLIN,
        start_date: start.map(|s| Box::new(at(s))),
        end_date: None,
        jitter: None,
    }
}

/// Every time of `t` strictly after `from` and up to `to`, walked one
/// `next_after` at a time.
fn times(t: &Trigger, from: &DateTime<Tz>, to: &DateTime<Tz>) -> BTreeSet<DateTime<Utc>> {
    let mut out = BTreeSet::new();
    let mut cursor = *from;
    while let Some(n) = t.next_after(&cursor, from).filter(|n| n <= to) {
        assert!(n > cursor, "{} went back: {n} after {cursor}", t.summary());
        assert!(
            out.insert(n.with_timezone(&Utc)),
            "{} twice: {n}",
            t.summary()
        );
        cursor = n;
    }
    out
}

/// The year 2026 in Berlin: both DST changes (29 March, 25 October).
fn year() -> (DateTime<Tz>, DateTime<Tz>) {
    (
        at("2025-12-31T23:59:59+01:00"),
        at("2027-01-01T00:00:00+01:00"),
    )
}

/// Each member's own times, as a trigger of its own with the same zone
/// and start.
fn each(members: &[Kind], start: Option<&str>) -> Vec<BTreeSet<DateTime<Utc>>> {
    let (from, to) = year();
    members
        .iter()
        .map(|m| times(&trigger(m.clone(), start), &from, &to))
        .collect()
}

fn or_cases() -> Vec<(Vec<Kind>, Option<&'static str>)> {
    vec![
        (vec![cron("0 9 * * mon-fri"), cron("0 12 * * sat")], None),
        (vec![cron("0 */2 * * *"), cron("0 */3 * * *")], None),
        (
            vec![cron("30 2 * * *"), cron("0 3 * * *"), every(7 * 3600)],
            Some("2026-01-01T00:00:00+01:00"),
        ),
        (vec![cron("0 0 29 2 *"), cron("59 23 31 12 *")], None),
    ]
}

fn and_cases() -> Vec<(Vec<Kind>, Option<&'static str>)> {
    vec![
        (vec![cron("0 */2 * * *"), cron("0 */3 * * *")], None),
        (vec![cron("0 9 * * *"), cron("0 9 * * mon")], None),
        (vec![cron("30 2 * * *"), cron("30 2 * * sun")], None),
        (
            vec![cron("*/20 * * * *"), cron("0,30 * 1-3 * *"), every(3600)],
            Some("2026-01-01T00:00:00+01:00"),
        ),
        (
            vec![every(5400), cron("0 * * * *")],
            Some("2026-03-28T22:00:00+01:00"),
        ),
    ]
}

#[test]
fn or_fires_at_the_union_of_its_members_once_an_instant() {
    let (from, to) = year();
    for (members, start) in or_cases() {
        let union: BTreeSet<_> = each(&members, start).into_iter().flatten().collect();
        let t = trigger(Kind::Or(members.into()), start);
        assert!(!union.is_empty(), "{}", t.summary());
        assert_eq!(times(&t, &from, &to), union, "{}", t.summary());
    }
}

#[test]
fn and_fires_at_the_intersection_of_its_members() {
    let (from, to) = year();
    for (members, start) in and_cases() {
        let sets = each(&members, start);
        let both: BTreeSet<_> = sets[0]
            .iter()
            .filter(|t| sets.iter().all(|s| s.contains(t)))
            .copied()
            .collect();
        let t = trigger(Kind::And(members.into()), start);
        assert!(!both.is_empty(), "{}", t.summary());
        assert_eq!(times(&t, &from, &to), both, "{}", t.summary());
    }
}

#[test]
fn members_keep_the_dst_policy_on_both_change_days() {
    // 02:30 does not exist on 29 March (the engine runs it at 03:30 CEST)
    // and happens twice on 25 October (it runs once, at the first); 03:00
    // is once on each day. The `or` has exactly those times.
    let or = trigger(
        Kind::Or(vec![cron("30 2 * * *"), cron("0 3 * * *")].into()),
        None,
    );
    let cases = [
        (
            "2026-03-29T00:00:00+01:00",
            ["2026-03-29T01:00:00+00:00", "2026-03-29T01:30:00+00:00"],
        ),
        (
            "2026-10-25T00:00:00+02:00",
            ["2026-10-25T00:30:00+00:00", "2026-10-25T02:00:00+00:00"],
        ),
    ];
    for (day, want) in cases {
        let from = at(day);
        let to = from + chrono::TimeDelta::hours(24);
        let got: Vec<String> = times(&or, &from, &to)
            .iter()
            .map(DateTime::to_rfc3339)
            .collect();
        assert_eq!(got, want, "{day}");
    }
}

#[test]
fn and_finds_a_rare_agreement_beyond_the_year() {
    // Feb 29 on a Monday: the search steps over every leap year until one.
    let t = trigger(
        Kind::And(vec![cron("0 0 29 2 *"), cron("0 0 * * mon")].into()),
        None,
    );
    let from = at("2026-01-01T00:00:00+01:00");
    let want = (2026..2100)
        .filter_map(|y| NaiveDate::from_ymd_opt(y, 2, 29))
        .find(|d| d.weekday() == Weekday::Mon)
        .expect("some year");
    let got = t.next_after(&from, &from).expect("an agreement");
    assert_eq!(got.date_naive(), want);
}

#[test]
fn and_of_members_that_never_agree_has_no_time() {
    let from = at("2026-01-01T00:00:00+01:00");
    let cases = [
        vec![cron("0 9 * * *"), cron("0 10 * * *")],
        // Even and odd seconds: every step moves one second; the bound
        // ends the search.
        vec![every(2), cron("1/2 * * * * *")],
        // A member with no time left ends it at once.
        vec![
            cron("0 9 * * *"),
            Kind::Date {
                run_date: Box::new(at("2025-01-01T09:00:00+01:00")),
            },
        ],
    ];
    for members in cases {
        let t = trigger(Kind::And(members.into()), Some("2026-01-01T00:00:00+01:00"));
        assert_eq!(t.next_after(&from, &from), None, "{}", t.summary());
    }
}

#[test]
fn and_stops_at_end_date() {
    let mut t = trigger(
        Kind::And(vec![cron("0 9 * * *"), cron("0 9 * * mon")].into()),
        None,
    );
    t.end_date = Some(Box::new(at("2026-01-10T00:00:00+01:00")));
    let from = at("2026-01-01T00:00:00+01:00");
    let all = times(&t, &from, &at("2027-01-01T00:00:00+01:00"));
    let days: Vec<String> = all.iter().map(|t| t.date_naive().to_string()).collect();
    assert_eq!(days, ["2026-01-05"]);
}

#[test]
fn combined_summaries_name_their_members() {
    let or = trigger(
        Kind::Or(vec![cron("0 9 * * mon-fri"), every(7200)].into()),
        None,
    );
    assert_eq!(or.summary(), "or(cron 0 9 * * mon-fri; interval 2h)");
    let and = trigger(
        Kind::And(vec![cron("0 9 * * *"), cron("0 9 * * MON")].into()),
        None,
    );
    assert_eq!(and.summary(), "and(cron 0 9 * * *; cron 0 9 * * MON)");
    assert_ne!(and.fingerprint(), or.fingerprint());
}

/// A cron string from a few forms of each field, so that random pairs
/// often share times and often do not.
fn cron_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let minute = prop::sample::select(vec!["0", "30", "*/15", "*/20", "0,45", "10-40/10"]);
    let hour = prop::sample::select(vec!["*", "*/2", "*/3", "1-3", "2", "9", "0,12"]);
    let dow = prop::sample::select(vec!["*", "mon", "1-5", "sun", "sat,sun"]);
    (minute, hour, dow).prop_map(|(m, h, d)| format!("{m} {h} * * {d}"))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Over eight days from a random one of 2026 (the DST days among the
    /// likely ones), `or` is the union of its members' times and `and`
    /// their intersection.
    #[test]
    fn random_members_combine_as_sets(
        a in cron_text(),
        b in cron_text(),
        day in proptest::prop_oneof![0u32..365, 84u32..90, 294u32..300],
    ) {
        let first = NaiveDate::from_yo_opt(2026, day + 1).expect("a day of 2026");
        let from = first
            .and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(BERLIN).earliest())
            .expect("midnight");
        let to = from + chrono::TimeDelta::days(8);
        let members = vec![cron(&a), cron(&b)];
        let sets: Vec<_> = members
            .iter()
            .map(|m| times(&trigger(m.clone(), None), &from, &to))
            .collect();
        let union: BTreeSet<_> = sets[0].union(&sets[1]).copied().collect();
        let both: BTreeSet<_> = sets[0].intersection(&sets[1]).copied().collect();
        let or = trigger(Kind::Or(members.clone().into()), None);
        let and = trigger(Kind::And(members.into()), None);
        proptest::prop_assert_eq!(times(&or, &from, &to), union);
        proptest::prop_assert_eq!(times(&and, &from, &to), both);
    }
}
