//! TOML syntax errors as diagnostics. A table defined twice is one problem,
//! reported at its second header, not once more for every key in it.

use super::diagnostic::Diagnostics;

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
pub fn report(diags: &mut Diagnostics<'_>, source: &str, errors: &[toml::de::Error]) {
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
            let table = line.split('#').next().unwrap_or(line).trim();
            duplicate_tables.extend(header);
            diags.error(
                span,
                format!("invalid TOML: duplicate table {table}"),
                Some(format!("a table is defined once: merge the two {table}")),
            );
        } else {
            diags.error(span, "invalid TOML: duplicate key", None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_duplicate_table_is_one_problem() {
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
                &["s.toml:3:1: invalid TOML: duplicate key"],
            ),
        ];
        for (source, want) in cases {
            let mut diags = Diagnostics::new(Path::new("s.toml"), source);
            let (_, errors) = toml::de::DeTable::parse_recoverable(source);
            report(&mut diags, source, &errors);
            let got: Vec<String> = diags.list.iter().map(|d| d.to_string()).collect();
            assert_eq!(got, want.to_vec(), "{source}");
        }
    }
}
