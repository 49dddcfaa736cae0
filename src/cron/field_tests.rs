//! The shared grammar of [`super::field`]: values, ranges and steps as
//! field-style triggers take them (cron strings' extensions are tested in
//! `wrap_tests`).

use super::field::{FieldDef, MONTH_NAMES, Range};

const MINUTE: FieldDef = FieldDef {
    name: "minute",
    min: 0,
    max: 59,
    names: &[],
    name_base: 0,
    star_max: None,
};
const MONTH: FieldDef = FieldDef {
    name: "month",
    min: 1,
    max: 12,
    names: MONTH_NAMES,
    name_base: 1,
    star_max: None,
};

#[test]
fn ranges_parse_to_values() {
    let cases: &[(&FieldDef, &str, &[u32])] = &[
        (&MINUTE, "*/15", &[0, 15, 30, 45]),
        (&MINUTE, "5", &[5]),
        (&MINUTE, "10-13", &[10, 11, 12, 13]),
        (&MINUTE, "10-30/10", &[10, 20, 30]),
        (&MINUTE, "50/4", &[50, 54, 58]),
        (&MONTH, "JAN-mar", &[1, 2, 3]),
        (&MONTH, "*/5", &[1, 6, 11]),
        (&MONTH, "nov/1", &[11, 12]),
        // A step beyond the range keeps its first value only, as in cron.
        (&MINUTE, "5/59", &[5]),
        (&MINUTE, "50-55/10", &[50]),
        (&MINUTE, "*/59", &[0, 59]),
        (&MONTH, "*/12", &[1]),
        (&MONTH, "007-08/0012", &[7]),
    ];
    for (def, text, want) in cases {
        let mask = def.range(text).expect(text).mask();
        let got: Vec<u32> = (0..64).filter(|v| mask & (1 << v) != 0).collect();
        assert_eq!(got, want.to_vec(), "{text}");
    }
}

#[test]
fn bad_ranges_name_the_problem() {
    let cases = [
        ("61", "minute: 61 is out of range 0-59"),
        ("*/0", "minute: step in \"*/0\" must be at least 1"),
        ("5-1", "minute: range \"5-1\" runs backwards: 5 is after 1"),
        ("x", "minute: \"x\" is not a valid value: expected a number"),
        ("1-", "minute: a value is missing"),
        ("-1", "minute: -1 is out of range 0-59"),
        ("-1/5", "minute: -1 is out of range 0-59"),
        ("-x", "minute: a value is missing"),
        ("*/x", "minute: step \"x\" in \"*/x\" is not a number"),
        ("99999999999", "minute: 99999999999 is out of range 0-59"),
        ("*/+5", "minute: step \"+5\" in \"*/+5\" is not a number"),
        ("*/", "minute: step \"\" in \"*/\" is not a number"),
        ("*/000", "minute: step in \"*/000\" must be at least 1"),
        (
            "*/60",
            "minute: step \"60\" in \"*/60\" is too large for the minute field, at most 59",
        ),
        (
            "5/4294967292",
            "minute: step \"4294967292\" in \"5/4294967292\" is too large for the minute field, at most 59",
        ),
        (
            "1-2/18446744073709551616",
            "minute: step \"18446744073709551616\" in \"1-2/18446744073709551616\" is too large for the minute field, at most 59",
        ),
    ];
    for (text, want) in cases {
        let err = MINUTE.range(text).expect_err(text);
        assert_eq!(err.to_string(), want);
    }
}

/// Masks of ranges no parse produces: no overflow, no wrapped bit.
#[test]
fn masks_never_wrap() {
    let cases = [
        ((5, u32::MAX, u32::MAX - 1), 1 << 5),
        ((0, u32::MAX, 63), 1 | 1 << 63),
        ((64, 70, 1), 0),
        ((62, 70, 1), 3 << 62),
        ((3, 3, 0), 1 << 3),
    ];
    for ((first, last, step), want) in cases {
        let range = Range {
            first,
            last,
            step,
            star: false,
            wrap: None,
        };
        assert_eq!(range.mask(), want, "{range:?}");
    }
}
