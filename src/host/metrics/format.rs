//! The value syntax of the Prometheus text format 0.0.4: escaped label
//! values and numbers at full precision, written without the formatting
//! machinery where it can be (a scrape of 10,000 jobs writes 300,000).

use std::fmt::Write as _;

/// A sample value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Num {
    Int(u64),
    /// A time in Unix microseconds, shown in seconds.
    Micros(i64),
    Float(f64),
}

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

/// Appends a value: integers and times exactly, other numbers as the
/// shortest text that reads back as the same number (never an exponent),
/// `NaN`, `+Inf` or `-Inf`.
pub(super) fn push(out: &mut String, value: Num) {
    match value {
        Num::Int(n) => push_u64(out, n),
        Num::Micros(us) => push_micros(out, us),
        Num::Float(v) => push_f64(out, v),
    }
}

/// Appends a count.
pub(super) fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        // A digit: below 10.
        #[allow(clippy::cast_possible_truncation)]
        let digit = (n % 10) as u8;
        digits[i] = b'0' + digit;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[i..]).unwrap_or("0"));
}

/// Appends microseconds as seconds: `1764627200.1234`, no trailing zeros.
fn push_micros(out: &mut String, us: i64) {
    if us < 0 {
        out.push('-');
    }
    let us = us.unsigned_abs();
    push_u64(out, us / 1_000_000);
    let mut frac = us % 1_000_000;
    if frac == 0 {
        return;
    }
    let mut width = 6;
    while frac.is_multiple_of(10) {
        frac /= 10;
        width -= 1;
    }
    out.push('.');
    let mut digits = String::with_capacity(6);
    push_u64(&mut digits, frac);
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(&digits);
}

/// Appends a float.
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

/// A time as Unix microseconds.
pub(super) fn micros<Tz: chrono::TimeZone>(t: &chrono::DateTime<Tz>) -> i64 {
    t.timestamp_micros()
}
