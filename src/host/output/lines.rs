//! Cutting a pipe's bytes into lines: each rendered for apsched's output
//! and kept, unprefixed, in its run's tail.

use super::{MAX_LINE, Stream, TAIL};
use crate::log::{self, Format};

/// A pipe being forwarded and the bytes read from it that do not yet
/// make a line.
pub(super) struct Open {
    pub(super) stream: Stream,
    pub(super) buf: Vec<u8>,
}

/// The tail of one run's output, and how many of its pipes are open.
#[derive(Default)]
pub(super) struct Tail {
    pub(super) open: usize,
    pub(super) bytes: Vec<u8>,
}

impl Tail {
    /// Appends `line` and a newline, keeping the last [`TAIL`] bytes.
    fn keep(&mut self, line: &[u8]) {
        self.bytes.extend_from_slice(line);
        self.bytes.push(b'\n');
        if self.bytes.len() > TAIL {
            let cut = self.bytes.len() - TAIL;
            self.bytes.drain(..cut);
        }
    }
}

/// Takes the complete lines (and, when `flush`, the rest) out of `open`'s
/// buffer: renders them into `out` and keeps their text in `tail`.
pub(super) fn emit(
    open: &mut Open,
    flush: bool,
    format: Format,
    out: &mut Vec<u8>,
    tail: &mut Tail,
) {
    let s = &open.stream;
    let mut line = |text: &[u8]| {
        log::job_line(format, &s.job, s.record, s.kind, text, out);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(input: &[u8], flush: bool, format: Format) -> (String, usize, String) {
        let (r, _w) = std::io::pipe().expect("pipe");
        let mut open = Open {
            stream: Stream {
                fd: r,
                job: "job".into(),
                record: 7,
                kind: log::Stream::Stdout,
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
