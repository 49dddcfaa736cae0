//! Where a schedule file can be read a piece at a time. A file whose
//! `[jobs.ID]` tables all come after its other sections is read as its head
//! (everything before the first job) and then pieces of whole jobs, so that
//! the parsed form of 100,000 jobs is never held at once. Anything else is
//! read whole, as before: the split is only ever an optimisation.

use std::ops::Range;
use toml_parser::Source;
use toml_parser::lexer::{Token, TokenKind};

/// The pieces of a file: its head, then its jobs in order.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Split {
    /// Where the first `[jobs....]` header starts: the head is before it.
    pub jobs_start: usize,
    /// Ranges of whole `[jobs.ID]` tables (with their sub-tables), each of
    /// at most `per_piece` jobs, covering the file from `jobs_start` on.
    pub pieces: Vec<Range<usize>>,
    /// How many `[jobs.ID]` headers there are.
    pub jobs: usize,
}

/// What a table header names, as far as the split cares.
#[derive(Debug, PartialEq, Eq)]
enum Header {
    /// `[jobs.ID]`: a job starts here.
    Job,
    /// `[jobs.ID.more]`: a sub-table of a job.
    JobPart,
    /// Any other table, an array of tables, or a header the lexer leaves
    /// unclear.
    Other,
}

/// The file's pieces, or `None` when it must be read whole: it has no job
/// header, or a section that is not a job comes after the first one.
pub(super) fn split(source: &str, per_piece: usize) -> Option<Split> {
    let mut tokens = Source::new(source).lex().peekable();
    let (mut depth, mut line_start) = (0usize, true);
    let mut found: Option<Split> = None;
    while let Some(token) = tokens.next() {
        match token.kind() {
            TokenKind::Eof => break,
            TokenKind::Newline => line_start = true,
            TokenKind::Whitespace | TokenKind::Comment => {}
            TokenKind::LeftSquareBracket if depth == 0 && line_start => {
                let start = token.span().start();
                let (header, newline) = header(source, &mut tokens);
                line_start = newline;
                match (header, &mut found) {
                    (Header::Other, None) | (Header::JobPart, Some(_)) => {}
                    (Header::Other, Some(_)) => return None,
                    (kind, found @ None) => {
                        *found = Some(Split {
                            jobs_start: start,
                            pieces: std::iter::once(start..start).collect(),
                            jobs: usize::from(kind == Header::Job),
                        });
                    }
                    (Header::Job, Some(split)) => {
                        if split.jobs % per_piece.max(1) == 0 {
                            split.pieces.push(start..start);
                        }
                        split.jobs += 1;
                    }
                }
            }
            kind => {
                line_start = false;
                match kind {
                    TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
                    TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => {
                        depth = depth.saturating_sub(1);
                    }
                    _ => {}
                }
            }
        }
    }
    let mut split = found?;
    let mut ends: Vec<usize> = split.pieces.iter().skip(1).map(|r| r.start).collect();
    ends.push(source.len());
    for (piece, end) in split.pieces.iter_mut().zip(ends) {
        piece.end = end;
    }
    Some(split)
}

/// Reads a header after its `[` up to its `]`: what it names, and whether
/// it ended at a newline instead (a broken header).
fn header<I: Iterator<Item = Token>>(
    source: &str,
    tokens: &mut std::iter::Peekable<I>,
) -> (Header, bool) {
    let mut keys = Vec::new();
    let mut dots = 0usize;
    for token in tokens.by_ref() {
        match token.kind() {
            TokenKind::RightSquareBracket => break,
            TokenKind::Newline => return (Header::Other, true),
            TokenKind::Whitespace => {}
            TokenKind::Dot => dots += 1,
            TokenKind::Atom | TokenKind::BasicString | TokenKind::LiteralString
                if keys.len() == dots =>
            {
                let span = token.span();
                keys.push((token.kind(), source.get(span.start()..span.end())));
            }
            // `[[`, a comment or anything odd: read it whole.
            _ => return (Header::Other, false),
        }
    }
    let header = match keys.first() {
        Some((TokenKind::Atom, Some("jobs"))) if keys.len() == dots + 1 => match dots {
            1 => Header::Job,
            d if d > 1 => Header::JobPart,
            _ => Header::Other,
        },
        _ => Header::Other,
    };
    (header, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const JOB: &str = "[jobs.a]\ncommand = \"true\"\ncron = \"* * * * *\"\n";

    #[test]
    fn files_with_jobs_after_the_other_sections_are_split_into_whole_jobs() {
        let head = "[scheduler]\ntimezone = \"UTC\"\n\n";
        let jobs = JOB.repeat(5);
        let source = format!("{head}{jobs}");
        let split = split(&source, 2).expect("split");
        assert_eq!(split.jobs_start, head.len());
        assert_eq!(split.jobs, 5);
        let len = JOB.len();
        let h = head.len();
        assert_eq!(
            split.pieces,
            vec![
                h..h + 2 * len,
                h + 2 * len..h + 4 * len,
                h + 4 * len..source.len()
            ]
        );
    }

    #[test]
    fn sub_tables_stay_with_their_job() {
        let source = "[jobs.a]\ncommand = \"x\"\n[jobs.a.env]\nA = \"1\"\n[jobs.b]\ncommand = \"y\"\n[jobs.b.hooks]\non_failure = \"z\"\n";
        let split = split(source, 1).expect("split");
        let b = source.find("[jobs.b]").expect("b");
        assert_eq!(split.pieces, vec![0..b, b..source.len()]);
        assert_eq!(split.jobs, 2);
    }

    #[test]
    fn headers_inside_strings_and_arrays_are_not_headers() {
        let source =
            "[jobs.a]\ncommand = \"\"\"\n[jobs.b]\n\"\"\"\nenv = [\n[\"x\"],\n]\n[jobs.c]\n";
        let split = split(source, 1).expect("split");
        let c = source.find("[jobs.c]").expect("c");
        assert_eq!(split.pieces, vec![0..c, c..source.len()]);
    }

    #[test]
    fn files_that_cannot_be_split_are_read_whole() {
        let cases = [
            // A section after the jobs.
            format!("{JOB}[scheduler]\ntimezone = \"UTC\"\n"),
            // An array of tables after the jobs.
            format!("{JOB}[[jobs.b]]\n"),
            // No job header at all.
            "[scheduler]\ntimezone = \"UTC\"\n".to_string(),
            // A quoted key after the jobs.
            format!("{JOB}[\"jobs\".b]\n"),
            // `[jobs]` itself after a job.
            format!("{JOB}[jobs]\n"),
        ];
        for source in cases {
            assert_eq!(split(&source, 1), None, "{source}");
        }
    }

    #[test]
    fn dotted_job_keys_in_the_head_leave_the_head_to_say_so() {
        // The head is everything before the first header: the reader checks
        // that it sets no `jobs` key itself.
        let source = format!("jobs.x.command = \"y\"\n{JOB}");
        let split = split(&source, 1).expect("split");
        assert_eq!(split.jobs_start, source.find("[jobs.a]").expect("a"));
    }
}
