//! Reading a crontab line by line into what the output holds, in order.

use super::entry::{self, When};
use super::ids::{self, Ids};
use super::{Options, Problem, env};
use crate::cron::CronSchedule;
use crate::timezone::parse_zone;
use chrono::TimeZone;
use chrono_tz::Tz;

/// cron's shell when no `SHELL=` line sets one.
pub(super) const DEFAULT_SHELL: &str = "/bin/sh";

/// One job made from an entry.
#[derive(Clone, Debug)]
pub(super) struct Job {
    pub id: String,
    pub line: usize,
    /// The entry as written.
    pub source: String,
    pub description: Option<String>,
    pub when: When,
    pub command: String,
    pub stdin: Option<String>,
    pub user: Option<String>,
    pub shell: String,
    /// From `CRON_TZ=` (or `TZ=`); `None` is the zone of [`Options`].
    pub zone: Option<Tz>,
    pub env: Vec<(String, String)>,
    /// From `MAILTO=`: where a failed run's output is mailed (`""`: nowhere).
    pub mailto: Option<String>,
}

/// What the output holds, in the crontab's order.
#[derive(Clone, Debug)]
pub(super) enum Item {
    Blank,
    /// A comment line as written (with its `#`).
    Comment(String),
    /// A note of the import, written as a comment.
    Note(String),
    Job(Job),
    /// A line not carried over: why, and the line.
    Lost {
        line: usize,
        why: String,
        text: String,
    },
}

/// Everything read.
pub(super) struct Read {
    pub items: Vec<Item>,
    pub problems: Vec<Problem>,
}

/// The environment in effect at a line.
struct Env {
    vars: Vec<(String, String)>,
    shell: String,
    cron_tz: Option<Tz>,
    tz: Option<Tz>,
    mailto: Option<String>,
}

impl Env {
    fn set(&mut self, name: &str, value: &str) {
        match self.vars.iter_mut().find(|(n, _)| n == name) {
            Some(var) => var.1 = value.to_string(),
            None => self.vars.push((name.to_string(), value.to_string())),
        }
    }
}

/// Reads every line of `input`.
pub(super) fn lines(input: &[u8], options: &Options) -> Read {
    let mut read = Read {
        items: Vec::new(),
        problems: Vec::new(),
    };
    let mut env = Env {
        vars: Vec::new(),
        shell: DEFAULT_SHELL.into(),
        cron_tz: None,
        tz: None,
        mailto: None,
    };
    let mut ids = Ids::default();
    // Environment lines since the last entry: where each was, to keep it
    // as a note if no entry follows.
    let mut pending: Vec<(usize, usize, String)> = Vec::new();
    let mut pieces: Vec<&[u8]> = input.split(|&b| b == b'\n').collect();
    // The empty piece after the final newline is no line.
    if pieces.last().is_some_and(|p| p.is_empty()) {
        pieces.pop();
    }
    for (index, raw) in pieces.into_iter().enumerate() {
        let number = index + 1;
        let Ok(line) = std::str::from_utf8(raw) else {
            let text = String::from_utf8_lossy(raw).into_owned();
            read.lose(number, "it is not valid UTF-8 text", &text);
            continue;
        };
        let body = line.trim_start_matches([' ', '\t']);
        if body.is_empty() {
            read.items.push(Item::Blank);
        } else if body.starts_with('#') {
            read.items.push(Item::Comment(line.to_string()));
        } else if let Some((name, value)) = env::parse(body) {
            let at = read.items.len();
            if read.env_line(&mut env, number, line, &name, &value) {
                pending.push((at, number, line.to_string()));
            }
        } else {
            read.entry(&mut env, &mut ids, number, line, options);
            pending.clear();
        }
    }
    for (at, number, line) in pending.into_iter().rev() {
        let why = "this environment line has no entry below it, so it applies to no job";
        read.problems.insert(
            0,
            Problem {
                line: number,
                message: why.into(),
                lost: false,
            },
        );
        read.items.insert(
            at,
            Item::Note(format!("line {number}: {} ({why})", line.trim())),
        );
    }
    read.problems.sort_by_key(|p| p.line);
    read
}

impl Read {
    fn lose(&mut self, line: usize, why: &str, text: &str) {
        self.problems.push(Problem {
            line,
            message: why.to_string(),
            lost: true,
        });
        self.items.push(Item::Lost {
            line,
            why: why.to_string(),
            text: text.to_string(),
        });
    }

    /// Applies an environment line; false if it was not carried over.
    fn env_line(
        &mut self,
        env: &mut Env,
        number: usize,
        line: &str,
        name: &str,
        value: &str,
    ) -> bool {
        if name.is_empty() || name.contains(['=', '\0']) || value.contains('\0') {
            self.lose(
                number,
                "an environment variable name must not be empty or hold \"=\"",
                line,
            );
            return false;
        }
        match name {
            // cron mails any output; apsched's `mailto` mails failed runs.
            "MAILTO" => env.mailto = Some(value.trim().to_string()),
            "SHELL" => env.shell = value.to_string(),
            "CRON_TZ" | "TZ" => {
                let zone = if value.trim().is_empty() {
                    None
                } else {
                    match parse_zone(value.trim().trim_start_matches(':')) {
                        Ok(tz) => Some(tz),
                        Err(e) => {
                            self.lose(
                                number,
                                &format!("{e}; the entries below it keep the zone above it"),
                                line,
                            );
                            return false;
                        }
                    }
                };
                if name == "TZ" {
                    env.tz = zone;
                    env.set(name, value);
                } else {
                    env.cron_tz = zone;
                }
            }
            _ => env.set(name, value),
        }
        true
    }

    /// Reads an entry into a job, or reports why it cannot be one.
    fn entry(
        &mut self,
        env: &mut Env,
        ids: &mut Ids,
        number: usize,
        line: &str,
        options: &Options,
    ) {
        let parsed = match entry::parse(line, options.system) {
            Ok(parsed) => parsed,
            Err(why) => {
                return self.lose(
                    number,
                    &format!("not an entry or an environment line: {why}"),
                    line,
                );
            }
        };
        let zone = env.cron_tz.or(env.tz);
        if let When::Cron(text) = &parsed.when
            && let Err(why) = never_fires(text, zone.unwrap_or(options.zone))
        {
            return self.lose(number, &why, line);
        }
        let description = self.take_description();
        let id = ids.unique(&ids::from_command(&parsed.command));
        self.items.push(Item::Job(Job {
            id,
            line: number,
            source: line.to_string(),
            description,
            when: parsed.when,
            command: parsed.command,
            stdin: parsed.stdin,
            user: parsed.user,
            shell: env.shell.clone(),
            zone,
            env: env.vars.clone(),
            mailto: env.mailto.clone(),
        }));
    }

    /// The comment line directly above, as a description, if it is a
    /// comment of one line and reads as words (not a commented-out entry,
    /// setting or ruler); it is then no longer kept as a comment.
    fn take_description(&mut self) -> Option<String> {
        // A line of a longer comment stays with it.
        let text = match self.items.as_slice() {
            [Item::Comment(text)] => text,
            [.., before, Item::Comment(text)] if !matches!(before, Item::Comment(_)) => text,
            _ => return None,
        };
        let text = text.trim().trim_start_matches('#').trim().to_string();
        if !describes(&text) {
            return None;
        }
        self.items.pop();
        Some(text)
    }
}

/// Whether a comment's text reads as words about the job below it.
fn describes(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let header = matches!(
        (words.next(), words.next()),
        (
            Some("m" | "min" | "minute" | "mi"),
            Some("h" | "hour" | "hr")
        )
    );
    let code = env::parse(text).is_some()
        || entry::parse(text, false).is_ok_and(|e| match e.when {
            When::Cron(c) => c.parse::<CronSchedule>().is_ok(),
            When::Startup => true,
        });
    !header && !code && text.chars().any(|c| c.is_ascii_alphabetic())
}

/// An error if `text` is not a cron string apsched accepts or never fires.
fn never_fires(text: &str, zone: Tz) -> Result<(), String> {
    let schedule = text
        .parse::<CronSchedule>()
        .map_err(|e| format!("invalid cron expression \"{text}\": {e}"))?;
    let start = zone.timestamp_opt(946_684_800, 0).single();
    match start.and_then(|s| schedule.next_after(&s)) {
        Some(_) => Ok(()),
        None => Err(format!(
            "the cron expression \"{text}\" never fires (no such date), so cron never runs it either"
        )),
    }
}
