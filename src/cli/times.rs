//! One time format wherever a person reads one (list, check, history,
//! validate), and the same strings in JSON: RFC 3339 in the job's zone with
//! its offset, to the second for schedule times (scheduled, next run) and to
//! the millisecond for moments measured (started, ended).

use crate::store;
use crate::timefmt::{rfc3339_millis, rfc3339_secs};
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A schedule time: `2026-03-29T03:30:00+02:00`.
pub(super) fn schedule_time<Z: TimeZone>(t: &DateTime<Z>) -> String
where
    Z::Offset: std::fmt::Display,
{
    rfc3339_secs(t)
}

/// A measured moment: `2026-03-29T03:30:00.012+02:00`.
pub(super) fn moment(t: &DateTime<Tz>) -> String {
    rfc3339_millis(t)
}

/// A time as the store keeps it (UTC text), shown in `tz`; to the
/// millisecond with `precise`. Text the store should not hold is shown as is.
pub(super) fn stored(text: &str, tz: Tz, precise: bool) -> String {
    match store::parse(text) {
        Some(t) if precise => moment(&t.with_timezone(&tz)),
        Some(t) => schedule_time(&t.with_timezone(&tz)),
        None => text.to_string(),
    }
}

/// `t` without its fraction of a second.
pub(super) fn whole_second(t: &DateTime<Tz>) -> DateTime<Tz> {
    DateTime::<Utc>::from_timestamp(t.timestamp(), 0).map_or(*t, |w| w.with_timezone(&t.timezone()))
}

/// "45s", "3m 12s", "11h 3m", "2d 4h", "1y 20d": how far `to` is from
/// `from`, in its largest unit and the next one (left out when zero).
pub(super) fn until(from: &DateTime<Tz>, to: &DateTime<Tz>) -> String {
    let secs = (*to - *from).num_seconds();
    if secs <= 0 {
        return "now".into();
    }
    let units = [
        (365 * 86_400, "y"),
        (86_400, "d"),
        (3600, "h"),
        (60, "m"),
        (1, "s"),
    ];
    let first = units
        .iter()
        .position(|(size, _)| secs >= *size)
        .unwrap_or(4);
    let (size, unit) = units[first];
    let head = format!("{}{unit}", secs / size);
    match units.get(first + 1) {
        Some((next, next_unit)) if secs % size / next > 0 => {
            format!("{head} {}{next_unit}", secs % size / next)
        }
        _ => head,
    }
}

/// "3 days", "1 hour", "40 seconds": a past span in its largest whole unit.
pub(super) fn span(secs: i64) -> String {
    let secs = secs.max(0);
    let (n, unit) = [(86_400, "day"), (3600, "hour"), (60, "minute")]
        .iter()
        .find(|(size, _)| secs >= *size)
        .map_or((secs, "second"), |(size, unit)| (secs / size, *unit));
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_are_shown_in_the_zone() {
        let berlin = chrono_tz::Europe::Berlin;
        let cases = [
            ("2027-01-01T00:02:00Z", false, "2027-01-01T01:02:00+01:00"),
            (
                "2026-11-22T15:02:28.787442748Z",
                true,
                "2026-11-22T16:02:28.787+01:00",
            ),
            (
                "2026-07-01T00:00:00Z",
                true,
                "2026-07-01T02:00:00.000+02:00",
            ),
            (
                "2026-11-22T15:02:28.787442748Z",
                false,
                "2026-11-22T16:02:28+01:00",
            ),
            ("garbage", false, "garbage"),
        ];
        for (text, precise, want) in cases {
            assert_eq!(stored(text, berlin, precise), want, "{text}");
        }
        let utc = stored("2027-01-01T00:02:00Z", Tz::UTC, false);
        assert_eq!(utc, "2027-01-01T00:02:00+00:00");
    }

    #[test]
    fn how_far_reads_in_two_units_at_most() {
        let from = Tz::UTC.timestamp_opt(0, 0).single().expect("epoch");
        let cases = [
            (-5, "now"),
            (0, "now"),
            (45, "45s"),
            (60, "1m"),
            (192, "3m 12s"),
            (9 * 3600, "9h"),
            (11 * 3600 + 3 * 60 + 59, "11h 3m"),
            (2 * 86_400 + 4 * 3600, "2d 4h"),
            (365 * 86_400 + 20 * 86_400 + 3600, "1y 20d"),
            (3 * 365 * 86_400, "3y"),
        ];
        for (secs, want) in cases {
            let to = from + chrono::Duration::seconds(secs);
            assert_eq!(until(&from, &to), want, "{secs}");
        }
    }

    #[test]
    fn spans_read_in_their_largest_unit() {
        let cases = [
            (0, "0 seconds"),
            (1, "1 second"),
            (59, "59 seconds"),
            (60, "1 minute"),
            (7200, "2 hours"),
            (3 * 86_400 + 7200, "3 days"),
        ];
        for (secs, want) in cases {
            assert_eq!(span(secs), want);
        }
    }
}
