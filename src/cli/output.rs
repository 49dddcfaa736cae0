//! Writing to stdout without panicking on a closed pipe.

use super::error::Error;
use std::io::{self, Write};

/// Writes `text` to stdout. A reader that went away (`| head`) is not an
/// error: the output is simply no longer wanted.
pub(super) fn print(text: &str) -> Result<(), Error> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::Io {
            context: "cannot write to standard output".into(),
            source: e,
        }),
        _ => Ok(()),
    }
}

/// Prints `value` as pretty JSON and a newline.
pub(super) fn print_json(value: &impl serde::Serialize) -> Result<(), Error> {
    let mut text = serde_json::to_string_pretty(value).map_err(|e| Error::Io {
        context: "cannot encode JSON".into(),
        source: e.into(),
    })?;
    text.push('\n');
    print(&text)
}

/// The most fire or run times one command lists.
pub(super) const MAX_COUNT: usize = 100_000;

/// Parses `-n`: a whole number up to [`MAX_COUNT`].
pub(super) fn count_in_range(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n <= MAX_COUNT => Ok(n),
        Ok(_) => Err(format!("at most {MAX_COUNT}")),
        Err(_) => Err("expected a whole number".into()),
    }
}

/// Parses `-n` where at least one is wanted: 1 to [`MAX_COUNT`].
pub(super) fn positive_count(text: &str) -> Result<usize, String> {
    match count_in_range(text)? {
        0 => Err("at least 1".into()),
        n => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_bounded() {
        let cases = [
            ("0", Ok(0), Err("at least 1")),
            ("1", Ok(1), Ok(1)),
            ("100000", Ok(100_000), Ok(100_000)),
            ("100001", Err("at most 100000"), Err("at most 100000")),
            (
                "-1",
                Err("expected a whole number"),
                Err("expected a whole number"),
            ),
        ];
        for (text, any, positive) in cases {
            let s = |r: Result<usize, &str>| r.map_err(str::to_string);
            assert_eq!(count_in_range(text), s(any), "{text}");
            assert_eq!(positive_count(text), s(positive), "{text}");
        }
    }
}
