//! `apsched check`: load and validate a schedule file.

use super::list::{rfc3339, upcoming};
use super::output::print;
use crate::config::{self, Command};
use crate::error::Error;
use chrono::Utc;
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schedule file [default: $APSCHED_CONFIG, else ./schedules.toml]
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<(), Error> {
    let path = config::locate(args.file.as_deref());
    let config = config::load(&path)?;
    let now = Utc::now();
    let mut text = String::new();
    let n = config.jobs.len();
    let _ = writeln!(
        text,
        "{}: valid, {n} job{} (time zone {})",
        path.display(),
        if n == 1 { "" } else { "s" },
        config.scheduler.timezone.name()
    );
    let width = config.jobs.iter().map(|j| j.id.len()).max().unwrap_or(0);
    for job in &config.jobs {
        let now = now.with_timezone(&job.trigger.tz);
        let next = match upcoming(job, job.paused, &now, 1).first() {
            _ if job.paused => "paused".to_string(),
            Some(t) => format!("next {}", rfc3339(t)),
            None => "no run ahead".to_string(),
        };
        let how = match &job.command {
            Command::Shell(_) => "shell",
            Command::Argv(_) => "argv",
        };
        let _ = writeln!(
            text,
            "  {:width$}  {} ({}, {how})  {next}",
            job.id,
            job.trigger.summary(),
            job.trigger.tz.name(),
        );
    }
    print(&text)
}
