//! Environment lines of a crontab, read as cronie's `load_env` reads them:
//! `NAME=value`, `NAME = value`, either side in single or double quotes.

/// Where the reading of an environment line is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the name's first character (a quote may open it).
    NameStart,
    Name,
    /// After the name, before `=`.
    BeforeEquals,
    /// After `=`, before the value.
    AfterEquals,
    /// Before the value's first character (a quote may open it).
    ValueStart,
    Value,
    /// After the closing quote of the value: only blanks may follow.
    Done,
}

/// Reads `line` (with its leading blanks already removed) as an environment
/// line: `Some((name, value))`, or `None` when it is not one (then cron reads
/// it as an entry).
pub(super) fn parse(line: &str) -> Option<(String, String)> {
    let mut name = String::new();
    let mut value = String::new();
    let mut state = State::NameStart;
    let mut quote: Option<char> = None;
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        match state {
            State::NameStart | State::ValueStart => {
                if c == '\'' || c == '"' {
                    quote = Some(c);
                    chars.next();
                }
                state = if state == State::NameStart {
                    State::Name
                } else {
                    State::Value
                };
            }
            State::Name | State::Value => {
                let target = if state == State::Name {
                    &mut name
                } else {
                    &mut value
                };
                if let Some(q) = quote {
                    if c == q {
                        chars.next();
                        state = if state == State::Name {
                            State::BeforeEquals
                        } else {
                            State::Done
                        };
                        continue;
                    }
                    if state == State::Name && c == '=' {
                        return None;
                    }
                } else if state == State::Name {
                    if c.is_ascii_whitespace() {
                        chars.next();
                        state = State::BeforeEquals;
                        continue;
                    }
                    if c == '=' {
                        state = State::BeforeEquals;
                        continue;
                    }
                }
                target.push(c);
                chars.next();
            }
            State::BeforeEquals => {
                if c == '=' {
                    state = State::AfterEquals;
                    quote = None;
                } else if !c.is_ascii_whitespace() {
                    return None;
                }
                chars.next();
            }
            State::AfterEquals | State::Done => {
                if c.is_ascii_whitespace() {
                    chars.next();
                } else if state == State::Done {
                    return None;
                } else {
                    state = State::ValueStart;
                }
            }
        }
    }
    match state {
        State::Done | State::AfterEquals => {}
        State::Value if quote.is_none() => {
            value.truncate(
                value
                    .trim_end_matches(|c: char| c.is_ascii_whitespace())
                    .len(),
            );
        }
        _ => return None,
    }
    Some((name, value))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn lines_read_as_cronie_reads_them() {
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            ("PATH=/usr/bin:/bin", Some(("PATH", "/usr/bin:/bin"))),
            ("SHELL = /bin/bash", Some(("SHELL", "/bin/bash"))),
            ("A=b c  ", Some(("A", "b c"))),
            ("A=\"b c  \"", Some(("A", "b c  "))),
            ("A='b \"c'", Some(("A", "b \"c"))),
            ("A = 'x'   ", Some(("A", "x"))),
            ("MAILTO=\"\"", Some(("MAILTO", ""))),
            ("MAILTO=", Some(("MAILTO", ""))),
            ("MAILTO =  ", Some(("MAILTO", ""))),
            ("\"A B\"=c", Some(("A B", "c"))),
            ("A=b=c", Some(("A", "b=c"))),
            ("A=x\"y\"", Some(("A", "x\"y\""))),
            // Not environment lines: cron reads these as entries.
            ("A='x' y", None),
            ("A=\"open", None),
            ("\"A=B\"=c", None),
            ("A B=c", None),
            ("0 * * * * X=1 cmd", None),
            ("@daily A=1", None),
            ("NAME", None),
            ("", None),
        ];
        for (line, want) in cases {
            let got = parse(line);
            let want = want.map(|(n, v)| (n.to_string(), v.to_string()));
            assert_eq!(got, want, "{line:?}");
        }
    }
}
