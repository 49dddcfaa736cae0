//! A running `apsched run --log-format json FILE`, its log lines as they
//! arrive, and reaping processes with their resource usage.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rustix::process::{Pid, Signal};
use serde_json::Value;

/// Arguments added to every `apsched run` (`--run-arg`).
static RUN_ARGS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();

/// Sets the arguments added to every `apsched run`; once, at start.
pub fn set_run_args(args: Vec<String>) {
    let _ = RUN_ARGS.set(args);
}

/// One line apsched wrote, and when the load test read it.
pub struct Line {
    pub at: Instant,
    pub text: String,
}

/// A running `apsched run --log-format json FILE`.
pub struct Sched {
    pub pid: i32,
    pub spawned: Instant,
    log_rx: Receiver<Line>,
    /// The log lines read so far.
    pub log: Vec<Line>,
    /// Job output (stdout), with when it was read.
    pub out: Arc<Mutex<Vec<Line>>>,
    reaped: bool,
}

/// Sends each line of `from` with the instant it was read; stops when the
/// receiver is gone.
fn forward_lines(from: impl Read + Send + 'static, to: mpsc::Sender<Line>) {
    thread::spawn(move || {
        for text in BufReader::with_capacity(1 << 20, from)
            .lines()
            .map_while(Result::ok)
        {
            let at = Instant::now();
            if to.send(Line { at, text }).is_err() {
                return;
            }
        }
    });
}

/// Appends each line of `from`, with the instant it was read, to `sink`.
fn collect_lines(from: impl Read + Send + 'static, sink: Arc<Mutex<Vec<Line>>>) {
    thread::spawn(move || {
        for text in BufReader::new(from).lines().map_while(Result::ok) {
            let at = Instant::now();
            if let Ok(mut v) = sink.lock() {
                v.push(Line { at, text });
            }
        }
    });
}

impl Sched {
    /// Starts `bin run --log-format json EXTRA... RUN_ARGS... FILE`.
    pub fn start(bin: &Path, file: &Path, extra: &[&str]) -> Sched {
        let spawned = Instant::now();
        let mut child = Command::new(bin)
            .arg("run")
            .arg("--log-format")
            .arg("json")
            .args(extra)
            .args(RUN_ARGS.get().map_or(&[][..], Vec::as_slice))
            .arg(file)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
        let pid = child.id() as i32;
        let (tx, log_rx) = mpsc::channel();
        if let Some(stderr) = child.stderr.take() {
            forward_lines(stderr, tx);
        }
        let out = Arc::new(Mutex::new(Vec::new()));
        if let Some(stdout) = child.stdout.take() {
            collect_lines(stdout, Arc::clone(&out));
        }
        // The child is reaped with wait4 (for its rusage), never by `Child`.
        drop(child);
        Sched {
            pid,
            spawned,
            log_rx,
            log: Vec::new(),
            out,
            reaped: false,
        }
    }

    /// Reads log lines until `count` of them contain `needle` (counting those
    /// already read) or `limit` passes; returns when the last one was read.
    pub fn wait_for(&mut self, needle: &str, count: usize, limit: Duration) -> Option<Instant> {
        let deadline = Instant::now() + limit;
        let mut seen = self.log.iter().filter(|l| l.text.contains(needle)).count();
        if seen >= count {
            return self
                .log
                .iter()
                .rev()
                .find(|l| l.text.contains(needle))
                .map(|l| l.at);
        }
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log_rx.recv_timeout(left) {
                Ok(line) => {
                    let hit = line.text.contains(needle);
                    let at = line.at;
                    self.log.push(line);
                    if hit {
                        seen += 1;
                        if seen >= count {
                            return Some(at);
                        }
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Reads whatever log lines have arrived.
    pub fn drain(&mut self) {
        while let Ok(line) = self.log_rx.try_recv() {
            self.log.push(line);
        }
    }

    /// SIGTERM, then reaps it; the log is complete afterwards.
    pub fn stop(&mut self) -> Option<Usage> {
        signal(self.pid, Signal::TERM);
        let usage = reap(self.pid, Duration::from_secs(15));
        self.reaped = true;
        while let Ok(line) = self.log_rx.recv_timeout(Duration::from_secs(2)) {
            self.log.push(line);
        }
        usage
    }

    /// The log lines of `event`, parsed.
    pub fn events(&self, event: &str) -> Vec<Value> {
        let needle = format!("\"event\":\"{event}\"");
        self.log
            .iter()
            .filter(|l| l.text.contains(&needle))
            .filter_map(|l| serde_json::from_str(&l.text).ok())
            .collect()
    }
}

impl Drop for Sched {
    fn drop(&mut self) {
        if !self.reaped {
            signal(self.pid, Signal::KILL);
            let _ = reap(self.pid, Duration::from_secs(5));
        }
    }
}

/// The RFC 3339 time in the field `key` of a log line.
pub fn time_field(v: &Value, key: &str) -> Option<DateTime<Utc>> {
    let text = v.get(key)?.as_str()?;
    Some(DateTime::parse_from_rfc3339(text).ok()?.with_timezone(&Utc))
}

/// Sends `sig` to `pid`; a process already gone is no error here.
fn signal(pid: i32, sig: Signal) {
    if let Some(pid) = Pid::from_raw(pid) {
        let _ = rustix::process::kill_process(pid, sig);
    }
}

/// What a reaped process used.
pub struct Usage {
    pub max_rss_kb: u64,
    pub cpu: Duration,
}

/// Reaps `pid` (SIGKILL after `limit`) and returns its resource usage.
pub fn reap(pid: i32, limit: Duration) -> Option<Usage> {
    let deadline = Instant::now() + limit;
    loop {
        let mut status = 0;
        // SAFETY: rusage is plain integers, so all zeros is a valid value.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: wait4 writes only to `status` and `ru`, both live locals of
        // the types it expects. (rustix has no wait4 that returns the rusage.)
        let got = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut ru) };
        if got == pid {
            let tv = |t: libc::timeval| {
                Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
            };
            return Some(Usage {
                max_rss_kb: ru.ru_maxrss as u64,
                cpu: tv(ru.ru_utime) + tv(ru.ru_stime),
            });
        }
        if got < 0 {
            return None;
        }
        if Instant::now() > deadline {
            signal(pid, Signal::KILL);
        }
        thread::sleep(Duration::from_millis(5));
    }
}
