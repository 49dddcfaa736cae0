//! `apsched import crontab`, the pure part: crontab text in, schedule-file
//! text and the problems found out. No clock, no files, no environment:
//! the caller passes the zone of entries without `CRON_TZ`.
//!
//! Lines are read as cronie reads them: comments and blank lines, then
//! environment lines ([`env`](mod@env)), else entries ([`entry`]). Environment
//! lines apply to the entries below them; each entry becomes one job.

mod entry;
mod env;
mod ids;
mod read;
mod render;

use chrono_tz::Tz;

/// How to read the crontab.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    /// Where the crontab came from, for the header of the output.
    pub source: String,
    /// A system crontab: a user field comes before each command.
    pub system: bool,
    /// The zone of entries with no `CRON_TZ`/`TZ` above them (cron's is
    /// the machine's).
    pub zone: Tz,
}

/// Something the import reports on stderr.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    /// The 1-based line number in the crontab.
    pub line: usize,
    pub message: String,
    /// Whether the line was left out of the schedule (kept as a comment);
    /// otherwise this is only a warning.
    pub lost: bool,
}

/// The result of an import.
#[derive(Clone, Debug)]
pub(crate) struct Imported {
    /// The schedule file.
    pub text: String,
    pub problems: Vec<Problem>,
    /// How many jobs it defines.
    pub jobs: usize,
    /// Whether a job mails its failures (`MAILTO=` with an address), which
    /// needs sendmail where the file is loaded.
    pub mails: bool,
}

/// Converts the crontab `input` to a schedule file.
pub(crate) fn crontab(input: &[u8], options: &Options) -> Imported {
    let read = read::lines(input, options);
    let jobs = read
        .items
        .iter()
        .filter(|i| matches!(i, read::Item::Job(_)))
        .count();
    let mails = read.items.iter().any(
        |i| matches!(i, read::Item::Job(j) if j.mailto.as_ref().is_some_and(|m| !m.is_empty())),
    );
    Imported {
        text: render::file(&read.items, options),
        problems: read.problems,
        jobs,
        mails,
    }
}

/// Whether `input` reads as a system crontab: it has entries, and in each
/// the word after the schedule is a user (by `is_user`) followed by a
/// command.
pub(crate) fn looks_like_system(input: &[u8], is_user: &dyn Fn(&str) -> bool) -> bool {
    let text = String::from_utf8_lossy(input);
    let mut entries = 0;
    for line in text.lines() {
        let line = line.trim_start_matches([' ', '\t']);
        if line.is_empty() || line.starts_with('#') || env::parse(line).is_some() {
            continue;
        }
        entries += 1;
        match entry::parse(line, true) {
            Ok(e) if e.user.as_deref().is_some_and(is_user) => {}
            _ => return false,
        }
    }
    entries > 0
}

#[cfg(test)]
mod corpus_tests;
#[cfg(test)]
mod equivalence_tests;
#[cfg(test)]
mod tests;
