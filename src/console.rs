//! The one writer of a running scheduler's standard output and standard
//! error. Log lines are queued and written in one write per wake-up (or per
//! 64 KiB); job output is written as it arrives, after the log lines queued
//! before it.
//! So in a merged stream (`docker logs`, journald, `2>&1`) a run's output
//! never comes before the line that submitted it.

use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};

/// How many bytes of log lines are queued at most before they are written.
const QUEUE_LIMIT: usize = 64 * 1024;

/// Shared by the logger and the output forwarder.
#[derive(Debug, Default)]
pub(crate) struct Console {
    /// Log lines not yet written.
    queued: Mutex<Vec<u8>>,
}

impl Console {
    pub(crate) fn new() -> Arc<Console> {
        Arc::new(Console::default())
    }

    fn lock(&self) -> MutexGuard<'_, Vec<u8>> {
        // A thread that panicked while holding it left whole lines only.
        self.queued
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues a log line (without its newline); the queue is written
    /// once it holds [`QUEUE_LIMIT`] bytes, so that the 100,000 `job_added`
    /// lines of a large file are neither held nor held back until the
    /// first wait.
    pub(crate) fn queue(&self, line: &str) {
        let mut queued = self.lock();
        queued.extend_from_slice(line.as_bytes());
        queued.push(b'\n');
        if queued.len() >= QUEUE_LIMIT {
            write_queued(&mut queued);
        }
    }

    /// Writes the queued log lines to stderr.
    pub(crate) fn flush(&self) {
        let mut queued = self.lock();
        write_queued(&mut queued);
    }

    /// Writes job output (whole lines) to stdout or stderr, after the
    /// queued log lines.
    pub(crate) fn output(&self, to_stderr: bool, bytes: &[u8]) {
        let mut queued = self.lock();
        write_queued(&mut queued);
        // Errors (a closed stdout) drop the output; the jobs go on.
        let _ = if to_stderr {
            std::io::stderr().lock().write_all(bytes)
        } else {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).and_then(|()| out.flush())
        };
    }
}

fn write_queued(queued: &mut Vec<u8>) {
    if !queued.is_empty() {
        let _ = std::io::stderr().lock().write_all(queued);
        queued.clear();
    }
}
