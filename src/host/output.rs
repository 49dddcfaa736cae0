//! Forwards the output of job processes, for `apsched run` and a direct
//! `run-now` alike: each line to apsched's own stdout or stderr, prefixed
//! with the job id (`backup| dumping`) as supercronic does, or as a JSON
//! object with `--log-format json`; and the run's last [`TAIL`] bytes (the
//! job's own lines, both streams interleaved as they arrived, no prefix) to
//! its history row once both pipes have closed.
//!
//! One thread polls every job's pipes. A line longer than [`MAX_LINE`] is cut
//! into pieces of that size, and a last line without newline is flushed when
//! the pipe closes, so a job that floods its output or never ends a line
//! costs bounded memory. A slow reader of apsched's output slows the jobs'
//! output (their pipes fill up), never the scheduler.

use super::signals::Msg;
use crate::console::Console;
use crate::log::{self, Format};
use crate::scheduler::Record;
use std::collections::HashMap;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

/// Longest line forwarded in one piece, in bytes.
pub const MAX_LINE: usize = 16 * 1024;

/// How much of a run's output is kept for its history row.
pub const TAIL: usize = 4 * 1024;

/// One pipe to forward.
pub struct Stream {
    pub fd: OwnedFd,
    pub job: Arc<str>,
    /// The run the output belongs to.
    pub record: Record,
    pub stream: log::Stream,
}

struct Open {
    stream: Stream,
    buf: Vec<u8>,
}

/// How forwarded lines are written.
struct Out {
    console: Arc<Console>,
    format: Format,
    report: Sender<Msg>,
}

/// The handle of the forwarding thread.
pub struct Forwarder {
    /// The pipes of one run at a time, so its tail counts them all at once.
    tx: Sender<Vec<Stream>>,
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
    /// Starts the forwarding thread; tails go to `report` as [`Msg::Output`].
    pub fn start(
        report: Sender<Msg>,
        console: Arc<Console>,
        format: Format,
    ) -> std::io::Result<Forwarder> {
        let (wake_r, wake_w) = pipe()?;
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
                forward(&wake_r, &rx, &out);
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

    /// Adds the pipes of one run, to forward until they close. They come in
    /// one message: a tail is saved once the last pipe of its run closes.
    pub fn add(&self, streams: Vec<Stream>) {
        if self.tx.send(streams).is_ok() {
            // SAFETY: writing one byte from a valid buffer to our own pipe.
            unsafe { libc::write(self.wake.as_raw_fd(), [1u8].as_ptr().cast(), 1) };
        }
    }
}

/// Takes the complete lines (and, when `flush`, the rest) out of `open`'s
/// buffer: renders them into `out` and keeps their text in `tail`.
fn emit(open: &mut Open, flush: bool, format: Format, out: &mut Vec<u8>, tail: &mut Tail) {
    let s = &open.stream;
    let mut line = |text: &[u8]| {
        log::job_line(format, &s.job, s.record, s.stream, text, out);
        tail.keep(text);
    };
    let mut start = 0;
    while let Some(pos) = open.buf[start..].iter().position(|b| *b == b'\n') {
        line(&open.buf[start..start + pos]);
        start += pos + 1;
    }
    while open.buf.len() - start >= MAX_LINE {
        line(&open.buf[start..start + MAX_LINE]);
        start += MAX_LINE;
    }
    if flush && start < open.buf.len() {
        line(&open.buf[start..]);
        start = open.buf.len();
    }
    open.buf.drain(..start);
}

/// The tail of one run's output, and how many of its pipes are open.
#[derive(Default)]
struct Tail {
    open: usize,
    bytes: Vec<u8>,
}

impl Tail {
    fn keep(&mut self, line: &[u8]) {
        self.bytes.extend_from_slice(line);
        self.bytes.push(b'\n');
        if self.bytes.len() > TAIL {
            let cut = self.bytes.len() - TAIL;
            self.bytes.drain(..cut);
        }
    }
}

fn forward(wake: &OwnedFd, rx: &Receiver<Vec<Stream>>, out: &Out) {
    let mut open: Vec<Open> = Vec::new();
    let mut tails: HashMap<Record, Tail> = HashMap::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut closing = false;
    loop {
        while let Ok(streams) = rx.try_recv() {
            for stream in streams {
                tails.entry(stream.record).or_default().open += 1;
                open.push(Open {
                    stream,
                    buf: Vec::new(),
                });
            }
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
            if pfd.revents != 0 && !pump(&mut open[i - 1], &mut chunk, &mut tails, out) {
                closed.push(i - 1);
            }
        }
        for i in closed.into_iter().rev() {
            open.swap_remove(i);
        }
    }
}

/// Reads once from a readable pipe and forwards what it completes; false
/// when the pipe closed (then the run's tail is reported once its last
/// pipe has closed).
fn pump(o: &mut Open, chunk: &mut [u8], tails: &mut HashMap<Record, Tail>, out: &Out) -> bool {
    let got = read(&o.stream.fd, chunk);
    let record = o.stream.record;
    let tail = tails.entry(record).or_default();
    let mut lines = Vec::new();
    if got > 0 {
        o.buf.extend_from_slice(&chunk[..got as usize]);
    }
    emit(o, got <= 0, out.format, &mut lines, tail);
    if !lines.is_empty() {
        out.console
            .output(o.stream.stream == log::Stream::Stderr, &lines);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(input: &[u8], flush: bool, format: Format) -> (String, usize, String) {
        let (r, _w) = pipe().expect("pipe");
        let mut open = Open {
            stream: Stream {
                fd: r,
                job: "job".into(),
                record: 7,
                stream: log::Stream::Stdout,
            },
            buf: input.to_vec(),
        };
        let mut out = Vec::new();
        let mut tail = Tail::default();
        emit(&mut open, flush, format, &mut out, &mut tail);
        (
            String::from_utf8_lossy(&out).into_owned(),
            open.buf.len(),
            String::from_utf8_lossy(&tail.bytes).into_owned(),
        )
    }

    #[test]
    fn lines_are_prefixed_the_tail_is_not_and_partial_lines_wait() {
        let cases: [(&[u8], bool, &str, usize, &str); 3] = [
            (
                b"one\ntwo\nthr",
                false,
                "job| one\njob| two\n",
                3,
                "one\ntwo\n",
            ),
            (
                b"one\ntwo\nthr",
                true,
                "job| one\njob| two\njob| thr\n",
                0,
                "one\ntwo\nthr\n",
            ),
            (b"\n", false, "job| \n", 0, "\n"),
        ];
        for (input, flush, text, left, tail) in cases {
            assert_eq!(
                lines_of(input, flush, Format::Text),
                (text.to_string(), left, tail.to_string())
            );
        }
    }

    #[test]
    fn json_lines_name_the_job_run_and_stream() {
        let (text, _, _) = lines_of(b"hi \"there\"\n", false, Format::Json);
        let v: serde_json::Value = serde_json::from_str(text.trim()).expect("JSON");
        assert_eq!(
            (&v["job"], &v["run"], &v["stream"], &v["line"]),
            (
                &serde_json::json!("job"),
                &serde_json::json!(7),
                &serde_json::json!("stdout"),
                &serde_json::json!("hi \"there\"")
            )
        );
    }

    #[test]
    fn long_lines_are_cut_so_memory_stays_bounded() {
        let long = vec![b'x'; MAX_LINE * 2 + 10];
        let (text, left, _) = lines_of(&long, false, Format::Text);
        assert_eq!(text.lines().count(), 2);
        assert_eq!(left, 10);
    }

    #[test]
    fn the_tail_keeps_the_last_bytes() {
        let mut tail = Tail::default();
        for i in 0..1000 {
            tail.keep(format!("line {i}").as_bytes());
        }
        assert_eq!(tail.bytes.len(), TAIL);
        assert!(tail.bytes.ends_with(b"line 999\n"));
    }
}
