//! Forwards the output of job processes, for `apsched run` and a direct
//! `run-now` alike: each line to apsched's own stdout or stderr, prefixed
//! with the job id (`backup| dumping`) as supercronic does, or as a JSON
//! object with `--log-format json`; and the run's last [`TAIL`] bytes (the
//! job's own lines, both streams interleaved as they arrived, no prefix) to
//! its history row once both pipes have closed.
//!
//! One thread polls every job's pipes ([`poll`]). A line longer than
//! [`MAX_LINE`] is cut into pieces of that size, and a last line without
//! newline is flushed when the pipe closes ([`lines`]), so a job that floods
//! its output or never ends a line costs bounded memory. A slow reader of
//! apsched's output slows the jobs' output (their pipes fill up), never the
//! scheduler. Each run's pipes and tail are kept together ([`runs`]).

mod lines;
mod poll;
mod runs;

use super::signals::Msg;
use crate::console::Console;
use crate::log::{self, Format};
use crate::scheduler::Record;
use std::io::{PipeReader, PipeWriter, Write};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

/// Longest line forwarded in one piece, in bytes.
pub(super) const MAX_LINE: usize = 16 * 1024;

/// How much of a run's output is kept for its history row.
pub(super) const TAIL: usize = 4 * 1024;

/// One pipe to forward.
pub(super) struct Stream {
    pub fd: PipeReader,
    pub job: Arc<str>,
    /// The run the output belongs to.
    pub record: Record,
    /// Standard output or standard error.
    pub kind: log::Stream,
}

/// Where forwarded output goes: the lines to the console, the tails to
/// the runner.
struct Out {
    console: Arc<Console>,
    format: Format,
    report: Sender<Msg>,
}

/// The handle of the forwarding thread.
pub(super) struct Forwarder {
    /// The pipes of one run at a time, so its tail counts them all at once.
    tx: Sender<Vec<Stream>>,
    /// Write end of a pipe that wakes the thread when streams are added;
    /// closing it tells the thread to finish.
    wake: PipeWriter,
    /// Receives once the thread has forwarded everything and ended.
    done: Receiver<()>,
}

impl Forwarder {
    /// Starts the forwarding thread; tails go to `report` as [`Msg::Output`].
    pub(super) fn start(
        report: Sender<Msg>,
        console: Arc<Console>,
        format: Format,
    ) -> std::io::Result<Forwarder> {
        let (wake_r, wake_w) = std::io::pipe()?;
        let (tx, rx) = channel();
        let (done_tx, done) = channel();
        let out = Out {
            console,
            format,
            report,
        };
        std::thread::Builder::new()
            .name("apsched-output".into())
            .spawn(move || {
                poll::forward(&wake_r, &rx, &out);
                let _ = done_tx.send(());
            })?;
        Ok(Forwarder {
            tx,
            wake: wake_w,
            done,
        })
    }

    /// Forwards what the pipes still hold, waiting up to `limit` for them to
    /// close (a background process of a job may keep one open forever).
    pub(super) fn finish(self, limit: std::time::Duration) {
        let Forwarder { tx, wake, done } = self;
        drop(tx);
        drop(wake);
        let _ = done.recv_timeout(limit);
    }

    /// Adds the pipes of one run, to forward until they close. They come in
    /// one message: a tail is saved once the last pipe of its run closes.
    pub(super) fn add(&self, streams: Vec<Stream>) {
        if self.tx.send(streams).is_ok() {
            let _ = (&self.wake).write(&[1]);
        }
    }
}
