//! Entry lines of a crontab: the schedule (five fields or an `@` macro), the
//! user field of system crontabs, and the command with cron's `%` rules.

/// When an entry runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum When {
    /// A cron string as written: the five fields joined by one space, or
    /// the macro.
    Cron(String),
    /// `@reboot`: once when the scheduler starts.
    Startup,
}

/// One entry, split as cron splits it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Entry {
    pub when: When,
    /// The user field of a system crontab.
    pub user: Option<String>,
    /// What the shell runs: the text before the first unescaped `%`, with
    /// `\%` turned into `%`.
    pub command: String,
    /// What cron writes to the command's standard input, if anything.
    pub stdin: Option<String>,
}

/// The next word of `text` and the rest after it; cron separates fields by
/// spaces and tabs only.
fn word(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start_matches([' ', '\t']);
    if text.is_empty() {
        return None;
    }
    let end = text.find([' ', '\t']).unwrap_or(text.len());
    Some((&text[..end], &text[end..]))
}

/// Splits an entry line (not an environment line, not a comment) as cron
/// does; `Err` says what is missing.
pub(super) fn parse(line: &str, system: bool) -> Result<Entry, String> {
    let (first, mut rest) = word(line).ok_or("the line is empty")?;
    let when = if first.starts_with('@') {
        if first.eq_ignore_ascii_case("@reboot") {
            When::Startup
        } else {
            When::Cron(first.to_string())
        }
    } else {
        let mut fields = vec![first];
        while fields.len() < 5 {
            let (field, after) = word(rest).ok_or_else(|| {
                format!(
                    "it has {} time field{} and no command: an entry needs five fields (minute hour day-of-month month day-of-week) or an @ macro, then the command",
                    fields.len(),
                    if fields.len() == 1 { "" } else { "s" }
                )
            })?;
            fields.push(field);
            rest = after;
        }
        When::Cron(fields.join(" "))
    };
    let user = if system {
        let (user, after) = word(rest)
            .ok_or("it has no user field: a system crontab names the user before the command")?;
        rest = after;
        Some(user.to_string())
    } else {
        None
    };
    let text = rest.trim_start_matches([' ', '\t']);
    if text.is_empty() {
        return Err("it has no command".into());
    }
    let (command, input) = split_percent(text);
    let command = trim_blanks(&command);
    if command.is_empty() {
        return Err("its command is empty (it starts with an unescaped %)".into());
    }
    Ok(Entry {
        when,
        user,
        command: command.to_string(),
        stdin: input.filter(|i| !i.is_empty()).map(stdin),
    })
}

/// The command without trailing blanks, which the shell ignores; a blank
/// after a backslash is kept.
fn trim_blanks(command: &str) -> &str {
    let trimmed = command.trim_end_matches([' ', '\t']);
    if trimmed.ends_with('\\') && trimmed.len() < command.len() {
        &command[..=trimmed.len()]
    } else {
        trimmed
    }
}

/// cron's first pass (`do_command.c`): the command ends at the first
/// unescaped `%`; `\%` before it becomes `%`, and a backslash escapes the
/// next character (`\\%` is a backslash pair, then the `%` that ends the
/// command). Returns the command and the raw text after the `%`.
fn split_percent(text: &str) -> (String, Option<&str>) {
    let mut command = String::with_capacity(text.len());
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            if c == '%' {
                command.pop();
            }
            command.push(c);
            escaped = false;
        } else if c == '\\' {
            command.push(c);
            escaped = true;
        } else if c == '%' {
            return (command, Some(&text[i + 1..]));
        } else {
            command.push(c);
        }
    }
    (command, None)
}

/// cron's second pass: what it writes to standard input. `\%` is `%`, any
/// other `%` a newline, other backslashes stay, and a newline ends the data
/// if it does not end in one (literally as `do_command.c` does it, including
/// that a backslash escapes the next character even after a backslash).
fn stdin(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 1);
    let mut escaped = false;
    let mut need_newline = false;
    for c in raw.chars() {
        let mut ch = c;
        if escaped {
            if ch != '%' {
                out.push('\\');
            }
        } else if ch == '%' {
            ch = '\n';
        }
        escaped = ch == '\\';
        if !escaped {
            out.push(ch);
            need_newline = ch != '\n';
        }
    }
    if escaped {
        out.push('\\');
    }
    if need_newline {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An entry as `schedule | user | command | stdin`, Debug-quoted.
    fn split(line: &str, system: bool) -> String {
        let e = parse(line, system).unwrap_or_else(|e| panic!("{line:?}: {e}"));
        let when = match e.when {
            When::Cron(c) => c,
            When::Startup => "startup".into(),
        };
        format!("{when} | {:?} | {:?} | {:?}", e.user, e.command, e.stdin)
    }

    #[test]
    #[allow(clippy::too_many_lines)] // One table of cases, one per line before rustfmt.
    fn entries_split_as_cron_splits_them() {
        let cases = [
            (
                "0 2 * * * backup.sh",
                false,
                r#"0 2 * * * | None | "backup.sh" | None"#,
            ),
            (
                "0\t2  *\t* *\t  backup.sh  ",
                false,
                r#"0 2 * * * | None | "backup.sh" | None"#,
            ),
            ("@daily  run", false, r#"@daily | None | "run" | None"#),
            ("@reboot run", false, r#"startup | None | "run" | None"#),
            ("@REBOOT run", false, r#"startup | None | "run" | None"#),
            (
                "17 * * * * root cd / && x",
                true,
                r#"17 * * * * | Some("root") | "cd / && x" | None"#,
            ),
            (
                "@hourly www-data php a",
                true,
                r#"@hourly | Some("www-data") | "php a" | None"#,
            ),
            // Six fields in a user crontab: the sixth starts the command, as in cron.
            (
                "0 0 * * * * cmd",
                false,
                r#"0 0 * * * | None | "* cmd" | None"#,
            ),
            (
                "* * * * * mail -s hi root%Hello%World",
                false,
                r#"* * * * * | None | "mail -s hi root" | Some("Hello\nWorld\n")"#,
            ),
            (
                "* * * * * cat % ",
                false,
                r#"* * * * * | None | "cat" | Some(" \n")"#,
            ),
            (
                "* * * * * cat %",
                false,
                r#"* * * * * | None | "cat" | None"#,
            ),
            (
                "* * * * * cat %a%",
                false,
                r#"* * * * * | None | "cat" | Some("a\n")"#,
            ),
            (
                "* * * * * date +\\%F",
                false,
                r#"* * * * * | None | "date +%F" | None"#,
            ),
            (
                "* * * * * date +\\%F%in \\% x",
                false,
                r#"* * * * * | None | "date +%F" | Some("in % x\n")"#,
            ),
            (
                r"* * * * * echo a\\%b",
                false,
                r#"* * * * * | None | "echo a\\\\" | Some("b\n")"#,
            ),
            (
                r"* * * * * echo a\\\%b",
                false,
                r#"* * * * * | None | "echo a\\\\%b" | None"#,
            ),
            (
                r"* * * * * echo \n",
                false,
                r#"* * * * * | None | "echo \\n" | None"#,
            ),
            (
                r"* * * * * cat%x\\%y",
                false,
                r#"* * * * * | None | "cat" | Some("x\\%y\n")"#,
            ),
            (
                r"* * * * * cat%x\\y",
                false,
                r#"* * * * * | None | "cat" | Some("x\\\\y\n")"#,
            ),
            (
                r"* * * * * cat%x\",
                false,
                r#"* * * * * | None | "cat" | Some("x\\\n")"#,
            ),
            (
                r"* * * * * cat%\",
                false,
                r#"* * * * * | None | "cat" | Some("\\")"#,
            ),
            (
                r"* * * * * echo x\ ",
                false,
                r#"* * * * * | None | "echo x\\ " | None"#,
            ),
            (
                "* * * * * echo ü\t\"q\"",
                false,
                r#"* * * * * | None | "echo ü\t\"q\"" | None"#,
            ),
        ];
        for (line, system, want) in cases {
            assert_eq!(split(line, system), want, "{line:?}");
        }
    }

    #[test]
    fn incomplete_entries_say_what_is_missing() {
        let cases = [
            ("0 2 * *", false, "it has 4 time fields and no command"),
            ("0", false, "it has 1 time field and no command"),
            ("0 2 * * *", false, "it has no command"),
            ("0 2 * * *   ", false, "it has no command"),
            ("0 2 * * * root", true, "it has no command"),
            ("@daily", true, "it has no user field"),
            ("0 2 * * * %stdin", false, "its command is empty"),
        ];
        for (line, system, want) in cases {
            let err = parse(line, system).expect_err(line);
            assert!(err.starts_with(want), "{line:?}: {err}");
        }
    }
}
