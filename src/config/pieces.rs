//! Reading a schedule file a piece at a time ([`super::split`]): its head
//! (the sections) first, then each piece of jobs, parsed, checked and
//! dropped before the next, with problems placed in the whole file.

use super::diagnostic::{Diagnostic, Diagnostics};
use super::parse::{Head, head};
use super::shared::Shared;
use super::split::Split;
use super::toml_errors;
use super::{Config, Job, job};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::path::Path;
use std::sync::Arc;
use toml::de::{DeTable, DeValue};

/// How many jobs a piece holds: small enough that its parsed form is a
/// few megabytes, large enough that pieces cost nothing to start.
pub(super) const JOBS_PER_PIECE: usize = 1024;

/// The file read in pieces; `None` when it must be read whole after all (a
/// job id in two places, or `jobs` set in the head), which then gives the
/// same result the whole reading always gave.
pub(super) fn parse(
    path: &Path,
    source: &str,
    split: &Split,
    fires_after: Option<DateTime<Utc>>,
) -> Option<Result<Config, Vec<Diagnostic>>> {
    let mut diags = Diagnostics::new(path, source);
    let head_text = source.get(..split.jobs_start)?;
    let (table, errors) = DeTable::parse_recoverable(head_text);
    toml_errors::report(&mut diags, head_text, &errors);
    let root = table.get_ref();
    if root.iter().any(|(k, _)| k.get_ref() == "jobs") {
        return None;
    }
    let mut syntax_ok = errors.is_empty();
    // Checked only once the whole file is known to be TOML, as when read
    // whole: before that a problem of meaning is not reported.
    let head = syntax_ok.then(|| head(&mut diags, path, root));
    let mut reader = Jobs {
        read: Vec::with_capacity(split.jobs),
        seen: HashSet::with_capacity(split.jobs),
        ids: RandomState::new(),
        shared: Shared::default(),
    };
    for range in &split.pieces {
        let text = source.get(range.clone())?;
        diags.base = range.start;
        let (table, errors) = DeTable::parse_recoverable(text);
        if !errors.is_empty() {
            if syntax_ok {
                // What was found so far is not reported: the file is not TOML.
                diags.list.clear();
                syntax_ok = false;
            }
            toml_errors::report(&mut diags, text, &errors);
            continue;
        }
        let piece_head = if syntax_ok { head.as_ref() } else { None };
        reader.piece(&mut diags, table.get_ref(), piece_head, fires_after)?;
    }
    diags.base = 0;
    Some(match head {
        Some(head) if diags.list.is_empty() && syntax_ok => {
            Ok(head.config(path, reader.read, &diags))
        }
        _ => Err(diags.list),
    })
}

/// The jobs read so far, the ids seen, and the schedules parsed.
struct Jobs {
    read: Vec<Arc<Job>>,
    /// Hashes of the ids seen: one seen twice (or two that collide) sends
    /// the file back to be read whole, which reports a duplicate as TOML
    /// does.
    seen: HashSet<u64>,
    ids: RandomState,
    shared: Shared,
}

impl Jobs {
    /// Reads the jobs of one piece; `None` if the file must be read whole.
    /// With no `head` (the file is not valid TOML) it only looks at ids.
    fn piece(
        &mut self,
        diags: &mut Diagnostics<'_>,
        root: &DeTable<'_>,
        head: Option<&Head>,
        fires_after: Option<DateTime<Utc>>,
    ) -> Option<()> {
        let mut sections = root.iter();
        let (key, value) = sections.next()?;
        if key.get_ref() != "jobs" || sections.next().is_some() {
            return None;
        }
        let DeValue::Table(table) = value.get_ref() else {
            return None;
        };
        for (id, body) in table {
            if !self.seen.insert(self.ids.hash_one(id.get_ref().as_ref())) {
                return None;
            }
            let Some(head) = head else { continue };
            let head = (&head.settings, &head.defaults);
            let (jobs, shared) = (&mut self.read, &mut self.shared);
            job::read_into(jobs, diags, shared, (id, body), head, fires_after);
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::whole;
    use super::super::split::split;
    use super::*;
    use chrono::TimeZone;

    const HEAD: &str =
        "[scheduler]\ntimezone = \"UTC\"\nstate = \":memory:\"\n\n[defaults]\ncoalesce = false\n\n";

    /// Files read in pieces of one job must read exactly as whole: the
    /// same jobs, or the same problems at the same lines and columns.
    #[test]
    fn reading_in_pieces_gives_what_reading_whole_gives() {
        let job = |id: &str, body: &str| format!("[jobs.{id}]\n{body}\n");
        let ok = "command = \"true\"\ncron = \"*/5 * * * *\"";
        let cases = [
            format!("{HEAD}{}{}", job("a", ok), job("b", ok)),
            format!(
                "{HEAD}{}[jobs.a.env]\nX = \"1\"\n{}",
                job("a", ok),
                job("b", ok)
            ),
            // Problems of meaning in several pieces, each at its place.
            format!(
                "{HEAD}{}{}{}",
                job("a", "command = 1\ncron = \"* * * * *\""),
                job("b", ok),
                job("c", "command = \"x\"\ncron = \"61 * * * *\"")
            ),
            format!(
                "{}{}",
                job("a", ok),
                job("b", "command = \"x\"\ncron = \"* * *\"\ntimeout = \"soon\"")
            ),
            // A problem of meaning in the head and one in a job.
            format!(
                "[scheduler]\ntimezone = \"Mars/Base\"\n{}{}",
                job("a", ok),
                job("b", "cron = \"* * * * *\"")
            ),
            // Not TOML: in the head, or in the second job only.
            format!("[scheduler\n{}{}", job("a", ok), job("b", ok)),
            format!(
                "{HEAD}{}{}{}",
                job("a", "command = 1"),
                job("b", "command = \"unterminated\ncron = \"x\""),
                job("c", ok)
            ),
            // A job given twice, in different pieces: read whole.
            format!("{HEAD}{}{}{}", job("a", ok), job("b", ok), job("a", ok)),
            // `jobs` set in the head: read whole.
            format!("jobs.z.command = \"true\"\n{}", job("a", ok)),
            // Warnings come through.
            format!(
                "{HEAD}{}",
                job("a", "command = \"true\"\ncron = \"*/90 * * * *\"")
            ),
        ];
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        let path = Path::new("s.toml");
        let mut in_pieces = 0;
        for source in &cases {
            let want = whole(path, source, Some(now));
            let split = split(source, 1).expect("the jobs come last");
            let got = match parse(path, source, &split, Some(now)) {
                Some(read) => {
                    in_pieces += 1;
                    read
                }
                None => whole(path, source, Some(now)),
            };
            assert_eq!(got, want, "{source}");
        }
        assert_eq!(in_pieces, cases.len() - 2, "all but two are read in pieces");
    }

    #[test]
    fn a_job_given_twice_in_two_pieces_sends_the_file_back_whole() {
        let source = "[jobs.a]\ncommand = \"x\"\ncron = \"* * * * *\"\n[jobs.a]\ncommand = \"y\"\n";
        let split = split(source, 1).expect("split");
        assert_eq!(parse(Path::new("s.toml"), source, &split, None), None);
        let problems = whole(Path::new("s.toml"), source, None).expect_err("a duplicate");
        assert!(
            problems[0].message.contains("duplicate table"),
            "{problems:?}"
        );
    }
}
