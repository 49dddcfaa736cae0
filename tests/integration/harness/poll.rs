//! Waiting for a condition with a deadline, instead of sleeping a fixed
//! time, and reading what processes and logs show.

use std::fs;
use std::path::Path;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// How long a wait for something that should come lasts at most before the
/// test looks (and fails): generous, for a loaded machine.
pub(crate) const PATIENCE: Duration = Duration::from_secs(10);

/// Checks `done` every 20 ms until it holds or `limit` passes; whether it
/// held.
pub(crate) fn until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let began = Instant::now();
    loop {
        if done() {
            return true;
        }
        if began.elapsed() > limit {
            return false;
        }
        sleep(Duration::from_millis(20));
    }
}

/// Waits up to [`PATIENCE`] for `path` to exist with at least `n` lines;
/// its text then (possibly short: the caller asserts).
pub(crate) fn lines_in(path: &Path, n: usize) -> String {
    let read = || fs::read_to_string(path).unwrap_or_default();
    until(PATIENCE, || read().lines().count() >= n);
    read()
}

/// The number of lines of `path` (0 when it does not exist).
pub(crate) fn count_lines(path: &Path) -> usize {
    fs::read_to_string(path).unwrap_or_default().lines().count()
}

/// Whether a process is alive (a zombie counts as gone).
pub(crate) fn alive(pid: &str) -> bool {
    fs::read_to_string(format!("/proc/{}/stat", pid.trim())).is_ok_and(|stat| {
        stat.rsplit(')')
            .next()
            .and_then(|r| r.split_whitespace().next())
            != Some("Z")
    })
}

/// The values of `key=` in the log lines of `event` (text format).
pub(crate) fn field(log: &str, event: &str, key: &str) -> Vec<String> {
    log.lines()
        .filter(|l| l.split_whitespace().nth(2) == Some(event))
        .filter_map(|l| {
            l.split_whitespace()
                .find_map(|w| w.strip_prefix(&format!("{key}=")).map(str::to_string))
        })
        .collect()
}
