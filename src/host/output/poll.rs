//! The forwarding thread: waits until the wake pipe or a job's pipe is
//! readable (or closed), takes in the pipes of new runs, and reads what is
//! ready.

use super::runs::Runs;
use super::{Out, Stream};
use rustix::event::{PollFd, PollFlags, poll};
use std::io::{PipeReader, Read};
use std::sync::mpsc::Receiver;

/// Forwards the pipes `rx` brings until `wake` has closed and every job
/// pipe with it.
pub(super) fn forward(wake: &PipeReader, rx: &Receiver<Vec<Stream>>, out: &Out) {
    let mut runs = Runs::default();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut closing = false;
    loop {
        while let Ok(streams) = rx.try_recv() {
            runs.add(streams);
        }
        if closing && runs.is_empty() {
            return;
        }
        // After closing, poll the wake pipe no more: it stays readable (EOF).
        let Some((woken, ready)) = wait((!closing).then_some(wake), &runs) else {
            continue; // EINTR
        };
        if woken && ended(wake, &mut chunk) {
            closing = true;
        }
        runs.pump_ready(&ready, &mut chunk, out);
    }
}

/// Waits until `wake` (if given) or a pipe of `runs` is readable or
/// closed: whether `wake` is, and which pipes are; `None` if the wait
/// failed (a signal interrupted it).
fn wait(wake: Option<&PipeReader>, runs: &Runs) -> Option<(bool, Vec<bool>)> {
    let mut fds: Vec<PollFd<'_>> = wake
        .into_iter()
        .chain(runs.pipes())
        .map(|fd| PollFd::new(fd, PollFlags::IN))
        .collect();
    poll(&mut fds, None).ok()?;
    let mut ready = fds.iter().map(|fd| !fd.revents().is_empty());
    let woken = wake.is_some() && ready.next() == Some(true);
    Some((woken, ready.collect()))
}

/// Reads what the wake pipe holds; whether it has closed.
fn ended(mut pipe: &PipeReader, buf: &mut [u8]) -> bool {
    matches!(pipe.read(buf), Ok(0))
}
