//! The value syntax of the Prometheus text format 0.0.4: escaped label
//! values and numbers at full precision.

use std::fmt::Write as _;

/// A label value escaped: backslash, double quote and line feed.
pub(super) fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Appends a sample value: the shortest text that reads back as the same
/// number (never an exponent), `NaN`, `+Inf` or `-Inf`.
pub(super) fn push_f64(out: &mut String, value: f64) {
    if value.is_nan() {
        out.push_str("NaN");
    } else if value.is_infinite() {
        out.push_str(if value > 0.0 { "+Inf" } else { "-Inf" });
    } else {
        // Writing to a String cannot fail.
        let _ = write!(out, "{value}");
    }
}

/// Appends a count.
pub(super) fn push_u64(out: &mut String, value: u64) {
    let _ = write!(out, "{value}");
}

/// A time as Unix seconds, to the microsecond.
// Microseconds since 1970 fit an f64's 53 bits until the year 2255.
#[allow(clippy::cast_precision_loss)]
pub(super) fn seconds<Tz: chrono::TimeZone>(t: &chrono::DateTime<Tz>) -> f64 {
    t.timestamp_micros() as f64 / 1e6
}
