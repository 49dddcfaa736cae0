//! The schedule files the scenarios give apsched: all in UTC, all with
//! `state = ":memory:"` unless a scenario asks for a state file.

use std::fmt::Write as _;
use std::path::Path;

use chrono::{Timelike, Utc};

/// Writes `text` to `path`; the load test cannot go on without it.
fn write(path: &Path, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        panic!("cannot write the schedule file {}: {e}", path.display());
    }
}

/// A schedule file of `jobs` (each a `[jobs.ID]` table) with `max_workers`.
pub fn schedule_file(path: &Path, max_workers: usize, jobs: impl Iterator<Item = String>) {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "[scheduler]\ntimezone = \"UTC\"\nstate = \":memory:\"\nmax_workers = {max_workers}\n"
    );
    for job in jobs {
        text.push_str(&job);
    }
    write(path, &text);
}

/// `n` jobs running `true` at a time of day at least 11 hours away.
pub fn far_jobs(path: &Path, n: usize) {
    let hour = (Utc::now().hour() + 12) % 24;
    schedule_file(
        path,
        10,
        (0..n).map(|i| format!("[jobs.j{i}]\ncommand = [\"true\"]\ncron = \"0 {hour} * * *\"\n")),
    );
}

/// `n` jobs running `true` at `second` of every minute, all allowed to run
/// at once, with the state in `state`.
pub fn burst_jobs(path: &Path, n: usize, second: i64, state: &str) {
    let mut text =
        format!("[scheduler]\ntimezone = \"UTC\"\nstate = \"{state}\"\nmax_workers = {n}\n\n");
    for i in 0..n {
        let _ = writeln!(
            text,
            "[jobs.b{i}]\ncommand = [\"true\"]\ncron = \"{second} * * * * *\""
        );
    }
    write(path, &text);
}
