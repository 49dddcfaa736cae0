//! What the engine's table tests share (`syntax_tests`, `dst_tests`,
//! `field_style_tests`, `error_tests`): expected times were worked out by
//! hand from the calendar and the zones' published rules, not computed by
//! the engine.

use super::{CronFields, CronSchedule};
use chrono::{DateTime, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// The first `n` fire times of `schedule` after the wall time `after` in `zone`,
/// as RFC 3339 text.
pub(super) fn fires_of(schedule: &CronSchedule, zone: &str, after: &str, n: usize) -> Vec<String> {
    let tz: Tz = zone.parse().expect("zone");
    let wall = NaiveDateTime::parse_from_str(after, "%Y-%m-%dT%H:%M:%S").expect("time");
    let start: DateTime<Tz> = tz.from_local_datetime(&wall).earliest().expect("exists");
    schedule
        .iter_after(&start)
        .take(n)
        .map(|t| t.to_rfc3339())
        .collect()
}

pub(super) fn fires(expr: &str, zone: &str, after: &str, n: usize) -> Vec<String> {
    let schedule: CronSchedule = expr.parse().unwrap_or_else(|e| panic!("{expr}: {e}"));
    fires_of(&schedule, zone, after, n)
}

pub(super) fn check(cases: &[(&str, &str, &str, &[&str])]) {
    for (expr, zone, after, want) in cases {
        let got = fires(expr, zone, after, want.len().max(1));
        let want: Vec<String> = want.iter().map(ToString::to_string).collect();
        assert_eq!(got, want, "{expr} in {zone} after {after}");
    }
}

pub(super) const T0: &str = "2026-01-01T00:00:00"; // a Thursday

pub(super) fn fields(pairs: &[(&str, &str)]) -> CronFields {
    let mut f = CronFields::default();
    for (name, value) in pairs {
        let slot = f.slot(name).expect("a field name");
        *slot = Some(value.to_string());
    }
    f
}
