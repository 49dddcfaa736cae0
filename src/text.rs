//! Values echoed in messages: one line each, and short. A value from a file
//! can hold newlines, control characters or thousands of characters; a
//! message shows it escaped (`\n`, `\u{1b}`) and cut after
//! [`LIMIT`] characters with "…".

use std::fmt::Write as _;

/// Values up to this many characters are shown whole.
pub(crate) const LIMIT: usize = 80;
/// How many characters of a longer value are shown before "…".
const KEEP: usize = 70;

/// Characters that would break the line or hide text: controls, and the
/// invisible marks that reorder or join text.
fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{2028}' | '\u{2029}')
}

fn push_escaped(out: &mut String, c: char, quotes: bool) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '"' | '\\' if quotes => {
            out.push('\\');
            out.push(c);
        }
        // Writing to a String cannot fail.
        c if hidden(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// The first [`KEEP`] characters of a value longer than [`LIMIT`], else the
/// value; and whether it was cut.
fn cut(value: &str) -> (&str, bool) {
    if value.chars().count() <= LIMIT {
        return (value, false);
    }
    let end = value
        .char_indices()
        .nth(KEEP)
        .map_or(value.len(), |(i, _)| i);
    (&value[..end], true)
}

/// A value as a message shows it: in double quotes, escaped, cut with "…".
pub(crate) fn shown(value: &str) -> String {
    let (kept, was_cut) = cut(value);
    let mut out = String::with_capacity(kept.len() + 4);
    out.push('"');
    for c in kept.chars() {
        push_escaped(&mut out, c, true);
    }
    if was_cut {
        out.push('…');
    }
    out.push('"');
    out
}

/// A name as a message shows it, without quotes: escaped, cut with "…".
pub(crate) fn plain(value: &str) -> String {
    let (kept, was_cut) = cut(value);
    let mut out = String::with_capacity(kept.len() + 4);
    for c in kept.chars() {
        push_escaped(&mut out, c, false);
    }
    if was_cut {
        out.push('…');
    }
    out
}

/// A whole message on one line, whatever its parts echoed: control
/// characters escaped, and every quoted part or word longer than [`LIMIT`]
/// cut with "…". A guard for messages built from text this module did not
/// show (a token of a cron expression, a job id).
pub(crate) fn one_line(message: &str) -> String {
    let mut escaped = String::with_capacity(message.len());
    for c in message.chars() {
        push_escaped(&mut escaped, c, false);
    }
    // Quoted parts and the text between; `\"` does not end a part.
    let mut out = String::with_capacity(escaped.len());
    let mut part = String::new();
    let mut quoted = false;
    let mut chars = escaped.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                part.push(c);
                part.extend(chars.next());
            }
            '"' => {
                out.push_str(&shorten_part(&part, quoted));
                out.push('"');
                part.clear();
                quoted = !quoted;
            }
            c => part.push(c),
        }
    }
    out.push_str(&shorten_part(&part, quoted));
    out
}

/// A quoted part cut as a whole; the words of other text each.
fn shorten_part(part: &str, quoted: bool) -> String {
    if quoted {
        return shorten(part);
    }
    let words: Vec<String> = part.split(' ').map(shorten).collect();
    words.join(" ")
}

/// `text` cut with "…" if it is longer than [`LIMIT`].
fn shorten(text: &str) -> String {
    match cut(text) {
        (kept, true) => format!("{kept}…"),
        (_, false) => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_and_cut() {
        let long = "x".repeat(200);
        let kept = format!("\"{}…\"", "x".repeat(KEEP));
        let exact = "y".repeat(LIMIT);
        let cases: &[(&str, &str)] = &[
            ("Europe/Berlin", "\"Europe/Berlin\""),
            ("", "\"\""),
            ("a\nb\tc\r", "\"a\\nb\\tc\\r\""),
            ("say \"hi\" \\o/", "\"say \\\"hi\\\" \\\\o/\""),
            ("\u{1b}[31mred", "\"\\u{1b}[31mred\""),
            ("rtl\u{202e}txt", "\"rtl\\u{202e}txt\""),
            ("é ü 東京", "\"é ü 東京\""),
            (&long, &kept),
        ];
        for (value, want) in cases {
            assert_eq!(&shown(value), want, "{value:?}");
        }
        assert_eq!(shown(&exact), format!("\"{exact}\""));
        assert_eq!(plain("users\norders"), "users\\norders");
    }

    #[test]
    fn messages_stay_on_one_short_line() {
        let long = "9".repeat(300);
        let cut = format!("{}…", "9".repeat(KEEP));
        let cases: Vec<(String, String)> = vec![
            (
                "jobs.a.cron: invalid cron expression \"61 * * * *\": minute: \"61\" is out of range 0-59".into(),
                "jobs.a.cron: invalid cron expression \"61 * * * *\": minute: \"61\" is out of range 0-59".into(),
            ),
            (
                format!("minute: step \"{long}\" is too large"),
                format!("minute: step \"{cut}\" is too large"),
            ),
            (
                format!("jobs.{long}.cron: bad"),
                format!("jobs.{}… bad", "9".repeat(KEEP - 5)),
            ),
            (
                "unknown key \"a\nb\" in job \"x\"".into(),
                "unknown key \"a\\nb\" in job \"x\"".into(),
            ),
            (
                format!("value \"{long} {long}\" and \"ok\""),
                format!("value \"{cut}\" and \"ok\""),
            ),
            (
                "escaped \\\" quote \"in \\\" value\" end".into(),
                "escaped \\\" quote \"in \\\" value\" end".into(),
            ),
            ("unclosed \"quote".into(), "unclosed \"quote".into()),
        ];
        for (message, want) in cases {
            let got = one_line(&message);
            assert_eq!(got, want, "{message:?}");
            assert!(!got.contains('\n'));
        }
    }
}
