//! The pipes being forwarded and each run's tail: one read of a readable
//! pipe forwards the lines it completes, and the last pipe of a run to
//! close sends that run's tail to the runner.

use super::super::signals::Msg;
use super::lines::{Open, Tail, emit};
use super::{Out, Stream};
use crate::log;
use crate::scheduler::Record;
use std::collections::HashMap;
use std::io::{PipeReader, Read};

/// The open pipes, and the tail of every run with a pipe open.
#[derive(Default)]
pub(super) struct Runs {
    open: Vec<Open>,
    tails: HashMap<Record, Tail>,
}

impl Runs {
    /// Starts forwarding the pipes of one run.
    pub(super) fn add(&mut self, streams: Vec<Stream>) {
        for stream in streams {
            self.tails.entry(stream.record).or_default().open += 1;
            self.open.push(Open {
                stream,
                buf: Vec::new(),
            });
        }
    }

    /// Whether every pipe has closed.
    pub(super) fn is_empty(&self) -> bool {
        self.open.is_empty()
    }

    /// The open pipes, in the order [`Runs::pump_ready`] takes them.
    pub(super) fn pipes(&self) -> impl Iterator<Item = &PipeReader> {
        self.open.iter().map(|o| &o.stream.fd)
    }

    /// Reads once from each pipe that `ready` marks (in the order of
    /// [`Runs::pipes`]), and stops watching those that closed.
    pub(super) fn pump_ready(&mut self, ready: &[bool], chunk: &mut [u8], out: &Out) {
        let mut closed = Vec::new();
        for (i, (open, _)) in self
            .open
            .iter_mut()
            .zip(ready)
            .enumerate()
            .filter(|(_, (_, ready))| **ready)
        {
            if !pump(open, chunk, &mut self.tails, out) {
                closed.push(i);
            }
        }
        for i in closed.into_iter().rev() {
            self.open.swap_remove(i);
        }
    }
}

/// Reads once from a readable pipe and forwards what it completes; false
/// when the pipe closed (then the run's tail is reported once its last
/// pipe has closed).
fn pump(o: &mut Open, chunk: &mut [u8], tails: &mut HashMap<Record, Tail>, out: &Out) -> bool {
    // An error ends the pipe as its end of file does.
    let got = o.stream.fd.read(chunk).unwrap_or(0);
    let record = o.stream.record;
    let tail = tails.entry(record).or_default();
    let mut lines = Vec::new();
    o.buf.extend_from_slice(&chunk[..got]);
    emit(o, got == 0, out.format, &mut lines, tail);
    if !lines.is_empty() {
        out.console
            .output(o.stream.kind == log::Stream::Stderr, &lines);
    }
    if got > 0 {
        return true;
    }
    tail.open = tail.open.saturating_sub(1);
    if tail.open == 0 {
        let bytes = tails.remove(&record).map(|t| t.bytes).unwrap_or_default();
        let _ = out.report.send(Msg::Output {
            record,
            tail: bytes,
        });
    }
    false
}
