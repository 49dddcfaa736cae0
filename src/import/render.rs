//! Writing the schedule file: a header, `[scheduler]`, then the jobs,
//! comments and lines not carried over in the crontab's order.

use super::Options;
use super::entry::When;
use super::read::{DEFAULT_SHELL, Item, Job};
use chrono_tz::Tz;
use std::fmt::Write as _;

/// A TOML basic string: one line, with `"`, `\` and control characters
/// escaped.
pub(super) fn string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML key: bare when it can be, else quoted.
fn key(name: &str) -> String {
    if !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        name.to_string()
    } else {
        string(name)
    }
}

/// Text safe inside a TOML comment: control characters but tab escaped.
fn comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && c != '\t' {
            let _ = write!(out, "\\u{{{:04x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// The value shared by every job, if there are jobs and they agree.
fn shared<T: PartialEq + Clone>(jobs: &[&Job], get: impl Fn(&Job) -> T) -> Option<T> {
    let first = get(jobs.first()?);
    jobs.iter().all(|j| get(j) == first).then_some(first)
}

/// The whole schedule file.
pub(super) fn file(items: &[Item], options: &Options) -> String {
    let jobs: Vec<&Job> = items
        .iter()
        .filter_map(|i| match i {
            Item::Job(j) => Some(j),
            _ => None,
        })
        .collect();
    let zone: Tz = shared(&jobs, |j| j.zone).flatten().unwrap_or(options.zone);
    let shell = shared(&jobs, |j| j.shell.clone()).unwrap_or_else(|| DEFAULT_SHELL.into());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Converted from {} by `apsched import crontab`.",
        comment(&options.source)
    );
    out.push_str(
        "# Each job names the crontab line it came from. Check it with `apsched check`.\n\n",
    );
    out.push_str("[scheduler]\n");
    let _ = writeln!(out, "timezone = {}", string(zone.name()));
    let _ = writeln!(out, "shell = {}", string(&shell));
    out.push('\n');
    let mut blank = true;
    for item in items {
        match item {
            Item::Blank => {
                if !blank {
                    out.push('\n');
                }
                blank = true;
                continue;
            }
            Item::Comment(text) => {
                let _ = writeln!(out, "{}", comment(text));
            }
            Item::Note(text) => {
                let _ = writeln!(out, "# apsched import: {}", comment(text));
            }
            Item::Lost { line, why, text } => {
                let _ = writeln!(
                    out,
                    "# apsched import: line {line} not carried over: {}\n# {}",
                    comment(why),
                    comment(text)
                );
            }
            Item::Job(job) => {
                if !blank {
                    out.push('\n');
                }
                job_table(&mut out, job, zone, &shell);
            }
        }
        blank = false;
    }
    out
}

/// One `[jobs.ID]` table.
fn job_table(out: &mut String, job: &Job, zone: Tz, shell: &str) {
    let _ = writeln!(out, "# line {}: {}", job.line, comment(&job.source));
    let _ = writeln!(out, "[jobs.{}]", key(&job.id));
    if let Some(d) = &job.description {
        let _ = writeln!(out, "description = {}", string(d));
    }
    match &job.when {
        When::Cron(text) => {
            let _ = writeln!(out, "cron = {}", string(text));
        }
        When::Startup => out.push_str("trigger = \"startup\"\n"),
    }
    let _ = writeln!(out, "command = {}", string(&job.command));
    if let Some(input) = &job.stdin {
        let _ = writeln!(out, "stdin = {}", string(input));
    }
    if let Some(user) = &job.user {
        let _ = writeln!(out, "user = {}", string(user));
    }
    if job.shell != shell {
        let _ = writeln!(out, "shell = {}", string(&job.shell));
    }
    if let Some(z) = job.zone.filter(|z| *z != zone && job.when != When::Startup) {
        let _ = writeln!(out, "timezone = {}", string(z.name()));
    }
    if !job.env.is_empty() {
        let vars: Vec<String> = job
            .env
            .iter()
            .map(|(n, v)| format!("{} = {}", key(n), string(v)))
            .collect();
        let _ = writeln!(out, "env = {{ {} }}", vars.join(", "));
    }
    if let Some(to) = &job.mailto {
        let _ = writeln!(out, "hooks = {{ mailto = {} }}", string(to));
    }
}
