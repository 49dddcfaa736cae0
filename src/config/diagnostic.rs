//! Problems found in a schedule file, with where they are and how to fix them.

use crate::text::one_line;
use std::cell::OnceCell;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One problem at one place in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based line and column (in characters).
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// What to do about it, when there is something specific to say.
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// Collects every problem of one file, so all are reported at once.
pub(super) struct Diagnostics<'a> {
    file: &'a Path,
    source: &'a str,
    /// Where the text being read starts in `source`: spans are relative to
    /// it (a piece of the file, when it is read a piece at a time).
    pub base: usize,
    /// Where each line of `source` starts, worked out at the first problem.
    lines: OnceCell<Vec<usize>>,
    pub list: Vec<Diagnostic>,
    /// Things that are valid but likely not meant (the file still loads).
    pub warnings: Vec<Diagnostic>,
}

impl<'a> Diagnostics<'a> {
    pub(super) fn new(file: &'a Path, source: &'a str) -> Diagnostics<'a> {
        Diagnostics {
            file,
            source,
            base: 0,
            lines: OnceCell::new(),
            list: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// 1-based line and column of a byte offset into `source`, found by a
    /// binary search of the line starts, so that a file with a problem in
    /// each of 100,000 jobs is reported in linear time.
    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.source.len());
        let lines = self.lines.get_or_init(|| {
            let ends = self.source.match_indices('\n').map(|(i, _)| i + 1);
            std::iter::once(0).chain(ends).collect()
        });
        let line = lines.partition_point(|start| *start <= offset);
        let line_start = lines.get(line.wrapping_sub(1)).copied().unwrap_or(0);
        let column = (self.source.get(line_start..offset)).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }

    /// A problem at `span`, its message and hint each kept to one line
    /// however long or multi-line the values they echo.
    // Owned because `error` and `warn` take what their callers built (mostly
    // `format!`), so the call sites stay plain.
    #[allow(clippy::needless_pass_by_value)]
    fn at(&self, span: Range<usize>, message: String, hint: Option<String>) -> Diagnostic {
        let (line, column) = self.position(self.base.saturating_add(span.start));
        Diagnostic {
            file: self.file.to_path_buf(),
            line,
            column,
            message: one_line(&message),
            hint: hint.as_deref().map(one_line),
        }
    }

    /// Records a problem at `span` (byte range in the source).
    pub(super) fn error(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let d = self.at(span, message.into(), hint);
        self.list.push(d);
    }

    /// Records a warning at `span`: valid, but probably not what was meant.
    pub(super) fn warn(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let d = self.at(span, message.into(), hint);
        self.warnings.push(d);
    }

    /// The source line around byte `offset`, trimmed.
    pub(super) fn line_at(&self, offset: usize) -> &'a str {
        let offset = self.base.saturating_add(offset).min(self.source.len());
        let start = self
            .source
            .get(..offset)
            .and_then(|b| b.rfind('\n'))
            .map_or(0, |i| i + 1);
        let rest = self.source.get(start..).unwrap_or_default();
        rest.lines().next().unwrap_or_default().trim()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_in_characters() {
        let source = "a = 1\n[jobs.é]\nxy = 2\n";
        let mut d = Diagnostics::new(Path::new("s.toml"), source);
        let cases = [
            (0, (1, 1)),
            (4, (1, 5)),
            (6, (2, 1)),
            (16, (3, 1)),
            (21, (3, 6)),
        ];
        for (offset, want) in cases {
            assert_eq!(d.position(offset), want, "{offset}");
        }
        d.error(17..18, "bad", Some("fix it".into()));
        assert_eq!(d.list[0].to_string(), "s.toml:3:2: bad (fix it)");
    }
}
