//! The systemd notify protocol (`sd_notify`): when the service manager
//! sets `NOTIFY_SOCKET`, apsched tells it `READY=1` once the jobs are
//! loaded, `RELOADING=1` ... `READY=1` around each reload, `STOPPING=1` at
//! shutdown, a `STATUS=` line with each, and `WATCHDOG=1` every half of
//! `WATCHDOG_USEC` when the manager asks for a watchdog. Each message is
//! one datagram on a unix socket: a path, or an abstract name (`@name`).
//! Without `NOTIFY_SOCKET` nothing is sent and nothing wakes the scheduler.

use crate::scheduler::Event;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixDatagram};
use std::time::{Duration, Instant};

/// How long a message may wait for room in the manager's queue before it
/// is given up: the scheduler never stalls on a manager that does not read.
const SEND_TIMEOUT: Duration = Duration::from_millis(250);

/// The environment variables of the protocol; jobs do not inherit them.
pub(super) const VARIABLES: [&str; 3] = ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"];

/// The manager's socket, and what is still to tell it.
pub(super) struct Notifier {
    socket: Option<(UnixDatagram, SocketAddr)>,
    /// Half of `WATCHDOG_USEC`, and when the next `WATCHDOG=1` is due.
    watchdog: Option<(Duration, Instant)>,
    /// `READY=1` with this status is owed once the scheduler next waits
    /// (after starting or reloading).
    ready: Option<String>,
    /// Shutdown began: no more `READY=1` or `RELOADING=1`.
    stopping: bool,
    /// A send failed already (only the first failure is logged).
    failed: bool,
}

/// The protocol's settings as the environment gives them.
#[derive(Debug, Default, PartialEq, Eq)]
struct Env {
    socket: Option<String>,
    watchdog_usec: Option<String>,
    watchdog_pid: Option<String>,
}

impl Notifier {
    /// The notifier the environment asks for; a socket that cannot be
    /// created is the event to log (and nothing is sent).
    pub(super) fn from_env() -> (Notifier, Option<Event>) {
        let var = |name| std::env::var(name).ok();
        Notifier::new(
            &Env {
                socket: var("NOTIFY_SOCKET"),
                watchdog_usec: var("WATCHDOG_USEC"),
                watchdog_pid: var("WATCHDOG_PID"),
            },
            std::process::id(),
        )
    }

    /// A notifier that tells no manager anything: a scheduler inside a
    /// program leaves the service manager to the program.
    pub(super) fn none() -> Notifier {
        Notifier::new(&Env::default(), std::process::id()).0
    }

    fn new(env: &Env, pid: u32) -> (Notifier, Option<Event>) {
        let mut notifier = Notifier {
            socket: None,
            watchdog: None,
            ready: None,
            stopping: false,
            failed: false,
        };
        let Some(name) = env.socket.as_deref().filter(|s| !s.is_empty()) else {
            return (notifier, None);
        };
        match open(name) {
            Ok(socket) => notifier.socket = Some(socket),
            Err(error) => {
                notifier.failed = true;
                return (notifier, Some(Event::NotifyFailed { error }));
            }
        }
        notifier.watchdog = watchdog_period(env, pid).map(|half| (half, Instant::now()));
        (notifier, None)
    }

    /// Follows the scheduler's events: `READY=1` is owed after the start
    /// and after a reload, `STOPPING=1` is sent when shutdown begins.
    pub(super) fn event(&mut self, event: &Event) -> Option<Event> {
        let status = match event {
            Event::SchedulerStarted { jobs } => scheduling(*jobs),
            Event::Reloaded {
                added,
                modified,
                unchanged,
                ..
            } => scheduling(added + modified + unchanged),
            Event::ReloadFailed { .. } => {
                "the reload failed (reload_failed in the log); the old jobs go on".into()
            }
            Event::SchedulerShutdown { running, .. } => {
                self.ready = None;
                return self.stopping(*running);
            }
            _ => return None,
        };
        if !self.stopping && self.socket.is_some() {
            self.ready = Some(status);
        }
        None
    }

    /// `RELOADING=1`, as the schedule file is read again.
    pub(super) fn reloading(&mut self) -> Option<Event> {
        if self.stopping {
            return None;
        }
        let now = monotonic_usec();
        self.ready = Some("reloaded".into());
        self.send(&format!(
            "RELOADING=1\nMONOTONIC_USEC={now}\nSTATUS=reloading the schedule file"
        ))
    }

    fn stopping(&mut self, running: usize) -> Option<Event> {
        if std::mem::replace(&mut self.stopping, true) {
            return None;
        }
        let status = match running {
            0 => "stopping".to_string(),
            n => format!("stopping: waiting for {n} running job{}", plural(n)),
        };
        self.send(&format!("STOPPING=1\nSTATUS={status}"))
    }

    /// Sends what is owed before the scheduler waits: `READY=1`, and
    /// `WATCHDOG=1` when it is due.
    pub(super) fn before_wait(&mut self) -> Option<Event> {
        let mut message = String::new();
        if let Some(status) = self.ready.take() {
            message = format!("READY=1\nSTATUS={status}\n");
        }
        if let Some((half, next)) = &mut self.watchdog {
            let now = Instant::now();
            if *next <= now {
                message.push_str("WATCHDOG=1\n");
                *next = now + *half;
            }
        }
        if message.is_empty() {
            return None;
        }
        message.pop();
        self.send(&message)
    }

    /// When the next `WATCHDOG=1` is due, if a watchdog is configured.
    pub(super) fn watchdog_due(&self) -> Option<Instant> {
        self.watchdog.map(|(_, next)| next)
    }

    /// Sends one message; the first failure is the event to log.
    fn send(&mut self, message: &str) -> Option<Event> {
        let (socket, addr) = self.socket.as_ref()?;
        let e = socket.send_to_addr(message.as_bytes(), addr).err()?;
        (!std::mem::replace(&mut self.failed, true)).then(|| Event::NotifyFailed {
            error: format!(
                "cannot send {} to NOTIFY_SOCKET: {e}; the service manager is not told of apsched's state (reported once)",
                message.lines().next().unwrap_or_default()
            ),
        })
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The status while jobs are scheduled.
fn scheduling(jobs: usize) -> String {
    format!("scheduling {jobs} job{}", plural(jobs))
}

/// A datagram socket to the manager's `NOTIFY_SOCKET` (a path, or
/// `@name` for an abstract name).
fn open(name: &str) -> Result<(UnixDatagram, SocketAddr), String> {
    let addr = match name.strip_prefix('@') {
        Some(abstract_name) => SocketAddr::from_abstract_name(abstract_name.as_bytes()),
        None if name.starts_with('/') => SocketAddr::from_pathname(name),
        None => {
            return Err(format!(
                "NOTIFY_SOCKET={name} is not supported (only a socket path or @abstract-name); the service manager is not told of apsched's state"
            ));
        }
    };
    let socket = UnixDatagram::unbound().and_then(|s| {
        s.set_write_timeout(Some(SEND_TIMEOUT))?;
        Ok(s)
    });
    match (socket, addr) {
        (Ok(socket), Ok(addr)) => Ok((socket, addr)),
        (Err(e), _) | (_, Err(e)) => Err(format!(
            "cannot use NOTIFY_SOCKET={name}: {e}; the service manager is not told of apsched's state"
        )),
    }
}

/// Half of `WATCHDOG_USEC`, if it is set (non-zero) for this process:
/// `WATCHDOG_PID`, when set, must be `pid`.
fn watchdog_period(env: &Env, pid: u32) -> Option<Duration> {
    if let Some(for_pid) = &env.watchdog_pid
        && for_pid.trim().parse::<u32>().ok() != Some(pid)
    {
        return None;
    }
    let usec: u64 = env.watchdog_usec.as_deref()?.trim().parse().ok()?;
    (usec > 0).then(|| Duration::from_micros(usec / 2).max(Duration::from_millis(1)))
}

/// `CLOCK_MONOTONIC` in microseconds, as `MONOTONIC_USEC=` wants it.
fn monotonic_usec() -> u128 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
    let secs = u128::try_from(t.tv_sec).unwrap_or_default();
    let nanos = u128::try_from(t.tv_nsec).unwrap_or_default();
    secs * 1_000_000 + nanos / 1_000
}

#[cfg(test)]
mod tests;
