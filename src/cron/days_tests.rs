//! Day rules on real months: special items, combining, ISO weeks and
//! rules that can never match.

use super::days::*;

fn days_of(mask: u64) -> Vec<u32> {
    (1..=31).filter(|d| mask & (1 << d) != 0).collect()
}

fn one(item: DayItem) -> DaySet {
    DaySet {
        items: vec![item],
        ..DaySet::default()
    }
}

#[test]
fn special_items_on_real_months() {
    use DayItem::*;
    // (year, month, item, expected days)
    let cases: &[(i32, u32, DayItem, &[u32])] = &[
        (2026, 2, LastMinus(0), &[28]),
        (2028, 2, LastMinus(0), &[29]),
        (2026, 1, LastMinus(3), &[28]),
        (2026, 2, LastMinus(30), &[]),
        // 2026-02-15 is a Sunday: nearest weekday is Monday the 16th.
        (2026, 2, NearestWeekday(15), &[16]),
        // 2026-02-14 is a Saturday: Friday the 13th.
        (2026, 2, NearestWeekday(14), &[13]),
        // 2025-11-01 is a Saturday: never leave the month, so Monday the 3rd.
        (2025, 11, NearestWeekday(1), &[3]),
        // 2026-05-31 is a Sunday: never leave the month, so Friday the 29th.
        (2026, 5, NearestWeekday(31), &[29]),
        (2026, 2, NearestWeekday(31), &[]),
        // 2026-01-31 is a Saturday: last weekday is Friday the 30th.
        (2026, 1, LastWeekday, &[30]),
        (2026, 5, LastWeekday, &[29]),
        (2026, 3, LastWeekday, &[31]),
        // Fridays of 2026-03: 6, 13, 20, 27.
        (2026, 3, NthWeekday { weekday: 5, nth: 3 }, &[20]),
        (2026, 3, NthWeekday { weekday: 5, nth: 5 }, &[]),
        (2026, 1, NthWeekday { weekday: 5, nth: 5 }, &[30]),
        (2026, 3, LastOfWeekday(5), &[27]),
        (2026, 3, LastOfWeekday(2), &[31]),
    ];
    for (year, month, item, want) in cases {
        let shape = MonthShape::new(*year, *month);
        assert_eq!(
            days_of(one(*item).mask(&shape)),
            want.to_vec(),
            "{item:?} in {year}-{month}"
        );
    }
}

#[test]
fn either_and_all_combine() {
    let shape = MonthShape::new(2026, 3);
    let thirteenth = DaySet {
        days: 1 << 13,
        ..DaySet::default()
    };
    let fridays = DaySet {
        weekdays: 1 << 5,
        ..DaySet::default()
    };
    let mut rule = DayRule {
        day_of_month: Some(thirteenth),
        day_of_week: Some(fridays),
        weeks: None,
        combine: Combine::Either,
    };
    assert_eq!(days_of(rule.mask(&shape)), vec![6, 13, 20, 27]);
    rule.combine = Combine::All;
    assert_eq!(days_of(rule.mask(&shape)), vec![13]);
}

#[test]
fn iso_weeks_across_year_end() {
    // 2026-12-28 (Mon) starts ISO week 53 of 2026; 2027-01-04 starts week 1.
    let rule = DayRule {
        day_of_month: None,
        day_of_week: None,
        weeks: Some(1 << 53),
        combine: Combine::All,
    };
    assert_eq!(
        days_of(rule.mask(&MonthShape::new(2026, 12))),
        vec![28, 29, 30, 31]
    );
    assert_eq!(days_of(rule.mask(&MonthShape::new(2027, 1))), vec![1, 2, 3]);
    let week1 = DayRule {
        weeks: Some(1 << 1),
        ..rule
    };
    assert_eq!(
        days_of(week1.mask(&MonthShape::new(2027, 1))),
        vec![4, 5, 6, 7, 8, 9, 10]
    );
    assert_eq!(
        days_of(week1.mask(&MonthShape::new(2025, 12))),
        vec![29, 30, 31]
    );
}

#[test]
fn impossible_day_rules_are_detected() {
    let thirtieth = DayRule {
        day_of_month: Some(DaySet {
            days: 1 << 30,
            ..DaySet::default()
        }),
        day_of_week: None,
        weeks: None,
        combine: Combine::All,
    };
    assert!(!thirtieth.can_match_in(1 << 2));
    assert!(thirtieth.can_match_in((1 << 2) | (1 << 3)));
}
