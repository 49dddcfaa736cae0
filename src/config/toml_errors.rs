//! TOML syntax errors as diagnostics. A table defined twice is one problem,
//! reported at its second header, not once more for every key in it.

use super::diagnostic::Diagnostics;
use crate::text::shown;

/// The byte offset of the `[table]` header line that holds `offset`, if any.
fn header_of(source: &str, offset: usize) -> Option<usize> {
    let mut start = 0;
    let mut header = None;
    for line in source.split_inclusive('\n') {
        if start > offset {
            break;
        }
        if line.trim_start().starts_with('[') {
            header = Some(start);
        }
        start += line.len();
    }
    header
}

/// Records every syntax error of `source`.
pub(super) fn report(diags: &mut Diagnostics<'_>, source: &str, errors: &[toml::de::Error]) {
    let mut duplicate_tables = Vec::new();
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim();
        if message != "duplicate key" {
            diags.error(span, format!("invalid TOML: {message}"), None);
            continue;
        }
        let header = header_of(source, span.start);
        if header.is_some_and(|h| duplicate_tables.contains(&h)) {
            continue; // a key of a table already reported
        }
        let line = diags.line_at(span.start);
        if line.starts_with('[') {
            let table = table_name(line);
            duplicate_tables.extend(header);
            diags.error(
                span,
                format!("invalid TOML: duplicate table {table}"),
                Some(format!("a table is defined once: merge the two {table}")),
            );
        } else {
            let place = match header {
                Some(h) => format!(" in {}", table_name(diags.line_at(h))),
                None => " at the top level".to_string(),
            };
            let (key, inline) = key_at(source, span.clone());
            let place = inline.map_or(place, |table| format!(" in the inline table {table}"));
            diags.error(
                span,
                format!("invalid TOML: duplicate key {key}{place}"),
                Some("a key is set once in a table: keep one of them".into()),
            );
        }
    }
}

/// `[table]` of a header line, without its comment.
fn table_name(line: &str) -> &str {
    line.split('#').next().unwrap_or(line).trim()
}

/// The key written at `span` as it reads in the file: a dotted key whole
/// (`a.b`), quoted as written or in double quotes; and the key of the
/// inline table it is in, if it is in one.
fn key_at(source: &str, span: std::ops::Range<usize>) -> (String, Option<String>) {
    let token = source.get(span.clone()).unwrap_or_default();
    let line_start = source
        .get(..span.start)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |i| i + 1);
    let before = source.get(line_start..span.start).unwrap_or_default();
    let inline = before.rfind('{').map(|brace| {
        let owner = before[..brace].trim_end().trim_end_matches('=').trim();
        owner.to_string()
    });
    let start = match before.rfind(['{', ',']) {
        Some(i) => line_start + i + 1,
        None => line_start,
    };
    let whole = if before.trim_end().ends_with('.') {
        source.get(start..span.end).unwrap_or(token).trim()
    } else {
        token
    };
    let key = if whole.starts_with(['"', '\'']) {
        whole.to_string()
    } else {
        shown(whole)
    };
    (key, inline.filter(|o| !o.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn duplicate_tables_are_one_problem_and_duplicate_keys_are_named() {
        let cases: &[(&str, &[&str])] = &[
            (
                "[jobs.a]\nx = 1\n[jobs.a]\nx = 2\ny = 3\n",
                &[
                    "s.toml:3:7: invalid TOML: duplicate table [jobs.a] (a table is defined once: merge the two [jobs.a])",
                ],
            ),
            (
                "[a]\nx = 1\n[b]\nx = 1\n[a]\nx = 2\n[b]\nx = 2\n",
                &[
                    "s.toml:5:2: invalid TOML: duplicate table [a] (a table is defined once: merge the two [a])",
                    "s.toml:7:2: invalid TOML: duplicate table [b] (a table is defined once: merge the two [b])",
                ],
            ),
            (
                "[a]\nx = 1\nx = 2\n",
                &[
                    "s.toml:3:1: invalid TOML: duplicate key \"x\" in [a] (a key is set once in a table: keep one of them)",
                ],
            ),
            (
                "x = 1\ny = 2\nx = 3\n",
                &[
                    "s.toml:3:1: invalid TOML: duplicate key \"x\" at the top level (a key is set once in a table: keep one of them)",
                ],
            ),
            (
                "[jobs.a] # the job\n\"q k\" = 1\n'q k' = 2\n",
                &[
                    "s.toml:3:1: invalid TOML: duplicate key 'q k' in [jobs.a] (a key is set once in a table: keep one of them)",
                ],
            ),
            (
                "[a]\nb.c = 1\nb . c = 2\n",
                &[
                    "s.toml:3:5: invalid TOML: duplicate key \"b . c\" in [a] (a key is set once in a table: keep one of them)",
                ],
            ),
            (
                "[jobs.a]\nenv = { A = \"1\", B = \"2\", A = \"3\" }\n",
                &[
                    "s.toml:2:27: invalid TOML: duplicate key \"A\" in the inline table env (a key is set once in a table: keep one of them)",
                ],
            ),
            (
                "[jobs.a.env]\nX = \"1\"\nX = \"2\"\n",
                &[
                    "s.toml:3:1: invalid TOML: duplicate key \"X\" in [jobs.a.env] (a key is set once in a table: keep one of them)",
                ],
            ),
        ];
        for (source, want) in cases {
            let mut diags = Diagnostics::new(Path::new("s.toml"), source);
            let (_, errors) = toml::de::DeTable::parse_recoverable(source);
            report(&mut diags, source, &errors);
            let got: Vec<String> = diags.list.iter().map(ToString::to_string).collect();
            assert_eq!(got, want.to_vec(), "{source}");
        }
    }
}
