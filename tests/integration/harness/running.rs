//! A spawned `apsched` (usually `apsched run`), its output collected as it
//! comes so that a test can wait for a line instead of sleeping.

use super::poll::{PATIENCE, until};
use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Bytes a reader thread has collected so far.
type Collected = Arc<Mutex<Vec<u8>>>;

/// A running binary; stopped with SIGTERM when dropped, even when an
/// assertion fails first.
pub(crate) struct Running {
    child: Option<Child>,
    stdout: Collected,
    stderr: Collected,
    readers: Vec<JoinHandle<()>>,
}

/// How a [`Running`] ended: exit code, everything it printed, and the
/// seconds from the stopping signal (or the wait) to its exit.
#[derive(Debug)]
pub(crate) struct Finished {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub took: f64,
}

/// Copies `from` into a shared buffer on a thread of its own.
fn collect(mut from: impl Read + Send + 'static, into: &Collected) -> JoinHandle<()> {
    let into = Arc::clone(into);
    std::thread::spawn(move || {
        let mut chunk = [0u8; 4096];
        while let Ok(n) = from.read(&mut chunk) {
            if n == 0 {
                break;
            }
            if let Ok(mut buffer) = into.lock() {
                buffer.extend_from_slice(&chunk[..n]);
            }
        }
    })
}

fn text(buffer: &Collected) -> String {
    String::from_utf8_lossy(&buffer.lock().map(|b| b.clone()).unwrap_or_default()).into_owned()
}

impl Running {
    pub(super) fn start(mut command: Command, stdin: Option<&[u8]>, merged: bool) -> Running {
        let (stdout, stderr) = (Collected::default(), Collected::default());
        let mut readers = Vec::new();
        command.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        let mut child = if merged {
            let (reader, writer) = std::io::pipe().expect("a pipe");
            command
                .stdout(writer.try_clone().expect("a pipe"))
                .stderr(writer);
            let child = command.spawn().expect("the binary starts");
            // The command keeps the writing ends: drop them, so that the
            // reader sees the end of the output when the child exits.
            drop(command);
            readers.push(collect(reader, &stdout));
            child
        } else {
            command.stdout(Stdio::piped()).stderr(Stdio::piped());
            let mut child = command.spawn().expect("the binary starts");
            readers.push(collect(child.stdout.take().expect("stdout"), &stdout));
            readers.push(collect(child.stderr.take().expect("stderr"), &stderr));
            child
        };
        // Written whole, then closed: the binary reads to the end.
        if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
            let _ = pipe.write_all(text);
        }
        Running {
            child: Some(child),
            stdout,
            stderr,
            readers,
        }
    }

    /// The process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, Child::id)
    }

    /// Sends `sig` (SIGTERM, SIGHUP, ...).
    pub(crate) fn signal(&self, sig: i32) {
        if let Some(child) = &self.child {
            let pid = libc::pid_t::try_from(child.id()).expect("pid");
            // SAFETY: signalling our own child, not yet waited for.
            unsafe { libc::kill(pid, sig) };
        }
    }

    /// Standard output so far (with [`super::Test::merged`]: both streams).
    pub(crate) fn stdout(&self) -> String {
        text(&self.stdout)
    }

    /// Standard error so far.
    pub(crate) fn stderr(&self) -> String {
        text(&self.stderr)
    }

    /// Waits up to [`PATIENCE`] for standard error to hold `want` `n` times;
    /// standard error then (the caller asserts on it).
    pub(crate) fn wait_for_stderr(&self, want: &str, n: usize) -> String {
        until(PATIENCE, || self.stderr().matches(want).count() >= n);
        self.stderr()
    }

    /// Waits up to [`PATIENCE`] for standard output to hold `want` `n`
    /// times; standard output then.
    pub(crate) fn wait_for_stdout(&self, want: &str, n: usize) -> String {
        until(PATIENCE, || self.stdout().matches(want).count() >= n);
        self.stdout()
    }

    /// Waits for the scheduler to have started (its `scheduler_started`
    /// line, in text or JSON).
    pub(crate) fn wait_started(&self) -> String {
        self.wait_for_stderr("scheduler_started", 1)
    }

    /// Waits (as [`Running::wait_for_stderr`]) for `want` `n` times on
    /// standard error, then stops it.
    pub(crate) fn stop_when(self, want: &str, n: usize) -> Finished {
        self.wait_for_stderr(want, n);
        self.stop()
    }

    /// Sends SIGTERM and waits for the end.
    pub(crate) fn stop(self) -> Finished {
        self.signal(libc::SIGTERM);
        self.wait()
    }

    /// Kills it with SIGKILL (`kill -9`), which it cannot see, and reaps it.
    pub(crate) fn kill_9(mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("kill -9");
            let _ = child.wait();
        }
    }

    /// Waits up to `limit` for the end without a signal: what it printed,
    /// or the still running process back.
    pub(crate) fn wait_within(mut self, limit: Duration) -> Result<Finished, Running> {
        let exited = until(limit, || {
            self.child
                .as_mut()
                .is_none_or(|c| c.try_wait().ok().flatten().is_some())
        });
        if exited { Ok(self.wait()) } else { Err(self) }
    }

    /// Waits for the end without a signal.
    pub(crate) fn wait(mut self) -> Finished {
        let began = Instant::now();
        let code = self
            .child
            .take()
            .and_then(|mut c| c.wait().ok())
            .and_then(|s| s.code());
        let took = began.elapsed().as_secs_f64();
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        Finished {
            code,
            stdout: self.stdout(),
            stderr: self.stderr(),
            took,
        }
    }

    /// Sleeps `ms` milliseconds, for what no line marks (a run that must
    /// not happen).
    // A method, so that a test reads as steps on its running scheduler.
    #[allow(clippy::unused_self)]
    pub(crate) fn sleep_ms(&self, ms: u64) {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            if let Ok(pid) = libc::pid_t::try_from(child.id()) {
                // SAFETY: signalling our own child, not yet waited for.
                unsafe { libc::kill(pid, libc::SIGTERM) };
            }
            let _ = child.wait();
        }
    }
}
