//! Forwards the output of job processes to apsched's own stdout and stderr,
//! line by line, each line prefixed with the job id (`backup| dumping`), as
//! supercronic does.
//!
//! One thread polls every job's pipes. A line longer than [`MAX_LINE`] is cut
//! into pieces of that size, and a last line without newline is flushed when
//! the pipe closes, so a job that floods its output or never ends a line
//! costs bounded memory. A slow reader of apsched's output slows the jobs'
//! output (their pipes fill up), never the scheduler.

use super::signals::Msg;
use std::collections::HashMap;
use std::io::Write;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::mpsc::{Receiver, Sender, channel};

/// Longest line forwarded in one piece, in bytes.
pub const MAX_LINE: usize = 16 * 1024;

/// One pipe to forward.
pub struct Stream {
    pub fd: OwnedFd,
    pub label: String,
    pub to_stderr: bool,
    /// The run-history row the output belongs to.
    pub row: i64,
}

/// How much of a run's output is kept for its history row.
pub const TAIL: usize = 4 * 1024;

struct Open {
    stream: Stream,
    buf: Vec<u8>,
}

/// The handle of the forwarding thread.
pub struct Forwarder {
    tx: Sender<Stream>,
    /// Write end of a pipe that wakes the thread when streams are added;
    /// closing it tells the thread to finish.
    wake: OwnedFd,
    /// Receives once the thread has forwarded everything and ended.
    done: Receiver<()>,
}

fn pipe() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: `fds` is a valid array of two ints for pipe2 to fill.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: pipe2 succeeded, so both descriptors are open and ours alone.
    Ok(unsafe {
        (
            std::os::fd::FromRawFd::from_raw_fd(fds[0]),
            std::os::fd::FromRawFd::from_raw_fd(fds[1]),
        )
    })
}

fn read(fd: &OwnedFd, buf: &mut [u8]) -> isize {
    // SAFETY: `buf` is valid for `buf.len()` bytes of writes.
    unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) }
}

impl Forwarder {
    /// Starts the forwarding thread.
    pub fn start(report: Sender<Msg>) -> std::io::Result<Forwarder> {
        let (wake_r, wake_w) = pipe()?;
        let (tx, rx) = channel();
        let (done_tx, done) = channel();
        std::thread::Builder::new()
            .name("apsched-output".into())
            .spawn(move || {
                forward(&wake_r, &rx, &report);
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
    pub fn finish(self, limit: std::time::Duration) {
        let Forwarder { tx, wake, done } = self;
        drop(tx);
        drop(wake);
        let _ = done.recv_timeout(limit);
    }

    /// Adds a pipe to forward until it closes.
    pub fn add(&self, stream: Stream) {
        if self.tx.send(stream).is_ok() {
            // SAFETY: writing one byte from a valid buffer to our own pipe.
            unsafe { libc::write(self.wake.as_raw_fd(), [1u8].as_ptr().cast(), 1) };
        }
    }
}

/// Writes complete lines (and, when `flush`, the rest) of `open` with its label.
fn emit(open: &mut Open, flush: bool, out: &mut Vec<u8>) {
    let mut start = 0;
    while let Some(pos) = open.buf[start..].iter().position(|b| *b == b'\n') {
        line(&open.stream.label, &open.buf[start..start + pos], out);
        start += pos + 1;
    }
    while open.buf.len() - start >= MAX_LINE {
        line(&open.stream.label, &open.buf[start..start + MAX_LINE], out);
        start += MAX_LINE;
    }
    if flush && start < open.buf.len() {
        line(&open.stream.label, &open.buf[start..], out);
        start = open.buf.len();
    }
    open.buf.drain(..start);
}

fn line(label: &str, text: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(label.as_bytes());
    out.extend_from_slice(b"| ");
    out.extend_from_slice(text);
    out.push(b'\n');
}

fn write_out(to_stderr: bool, bytes: &[u8]) {
    // Errors (a closed stdout) drop the output; the jobs go on.
    let _ = if to_stderr {
        std::io::stderr().lock().write_all(bytes)
    } else {
        std::io::stdout().lock().write_all(bytes)
    };
}

/// The tail of one run's output, and how many of its pipes are open.
#[derive(Default)]
struct Tail {
    open: usize,
    bytes: Vec<u8>,
}

fn keep_tail(tail: &mut Tail, out: &[u8]) {
    tail.bytes.extend_from_slice(out);
    if tail.bytes.len() > TAIL {
        let cut = tail.bytes.len() - TAIL;
        tail.bytes.drain(..cut);
    }
}

fn forward(wake: &OwnedFd, rx: &Receiver<Stream>, report: &Sender<Msg>) {
    let mut open: Vec<Open> = Vec::new();
    let mut tails: HashMap<i64, Tail> = HashMap::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut closing = false;
    loop {
        while let Ok(stream) = rx.try_recv() {
            open.push(Open {
                stream,
                buf: Vec::new(),
            });
        }
        if closing && open.is_empty() {
            return;
        }
        // After closing, poll the wake pipe no more: it stays readable (EOF).
        let wake_fd = if closing { -1 } else { wake.as_raw_fd() };
        let mut fds: Vec<libc::pollfd> = std::iter::once(wake_fd)
            .chain(open.iter().map(|o| o.stream.fd.as_raw_fd()))
            .map(|fd| libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            })
            .collect();
        // SAFETY: `fds` is a valid array of pollfd of the given length.
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, -1) };
        if n < 0 {
            continue; // EINTR
        }
        if fds[0].revents != 0 && read(wake, &mut chunk) == 0 {
            closing = true;
        }
        let mut closed = Vec::new();
        for (i, pfd) in fds.iter().enumerate().skip(1) {
            if pfd.revents == 0 {
                continue;
            }
            let o = &mut open[i - 1];
            let got = read(&o.stream.fd, &mut chunk);
            let mut out = Vec::new();
            if got > 0 {
                o.buf.extend_from_slice(&chunk[..got as usize]);
                emit(o, false, &mut out);
            } else {
                emit(o, true, &mut out);
                closed.push(i - 1);
            }
            let tail = tails.entry(o.stream.row).or_default();
            if !out.is_empty() {
                write_out(o.stream.to_stderr, &out);
                keep_tail(tail, &out);
            }
            if got <= 0 {
                tail.open = tail.open.saturating_sub(1);
                if tail.open == 0 {
                    let bytes = tails
                        .remove(&o.stream.row)
                        .map(|t| t.bytes)
                        .unwrap_or_default();
                    let _ = report.send(Msg::Output {
                        row: o.stream.row,
                        tail: bytes,
                    });
                }
            }
        }
        for i in closed.into_iter().rev() {
            open.swap_remove(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(input: &[u8], flush: bool) -> (String, usize) {
        let (r, _w) = pipe().expect("pipe");
        let mut open = Open {
            stream: Stream {
                fd: r,
                label: "job".into(),
                to_stderr: false,
                row: 0,
            },
            buf: input.to_vec(),
        };
        let mut out = Vec::new();
        emit(&mut open, flush, &mut out);
        (String::from_utf8_lossy(&out).into_owned(), open.buf.len())
    }

    #[test]
    fn lines_are_prefixed_and_partial_lines_wait() {
        assert_eq!(
            lines_of(b"one\ntwo\nthr", false),
            ("job| one\njob| two\n".into(), 3)
        );
        assert_eq!(
            lines_of(b"one\ntwo\nthr", true),
            ("job| one\njob| two\njob| thr\n".into(), 0)
        );
        assert_eq!(lines_of(b"\n", false), ("job| \n".into(), 0));
    }

    #[test]
    fn long_lines_are_cut_so_memory_stays_bounded() {
        let long = vec![b'x'; MAX_LINE * 2 + 10];
        let (text, left) = lines_of(&long, false);
        assert_eq!(text.lines().count(), 2);
        assert_eq!(left, 10);
    }
}
