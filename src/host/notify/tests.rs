//! The notify protocol against a socket of the test's own.

use super::{Env, Notifier, watchdog_period};
use crate::scheduler::Event;
use std::os::unix::net::UnixDatagram;
use std::time::Duration;

fn env(socket: Option<&str>, usec: Option<&str>, pid: Option<&str>) -> Env {
    Env {
        socket: socket.map(str::to_string),
        watchdog_usec: usec.map(str::to_string),
        watchdog_pid: pid.map(str::to_string),
    }
}

#[test]
fn the_watchdog_period_is_half_of_watchdog_usec_for_this_process() {
    let cases: &[(Option<&str>, Option<&str>, Option<Duration>)] = &[
        (None, None, None),
        (Some("1000000"), None, Some(Duration::from_millis(500))),
        (
            Some("1000000"),
            Some("42"),
            Some(Duration::from_millis(500)),
        ),
        (
            Some(" 30000000 "),
            Some("42"),
            Some(Duration::from_secs(15)),
        ),
        (Some("1000000"), Some("43"), None),
        (Some("1000000"), Some("x"), None),
        (Some("0"), None, None),
        (Some("1"), None, Some(Duration::from_millis(1))),
        (Some("-5"), None, None),
        (Some("lots"), None, None),
        (Some("99999999999999999999999"), None, None),
    ];
    for (usec, pid, want) in cases {
        let got = watchdog_period(&env(Some("/run/x"), *usec, *pid), 42);
        assert_eq!(got, *want, "WATCHDOG_USEC={usec:?} WATCHDOG_PID={pid:?}");
    }
}

#[test]
fn sockets_that_cannot_be_used_are_reported_once_and_nothing_is_sent() {
    let cases: &[(Option<&str>, Option<&str>)] = &[
        (None, None),
        (Some(""), None),
        (Some("relative/path"), Some("is not supported")),
        (Some("vsock:2:1234"), Some("is not supported")),
    ];
    for (socket, want) in cases {
        let (mut n, event) = Notifier::new(&env(*socket, Some("1000000"), None), 1);
        match (event, want) {
            (None, None) => {}
            (Some(Event::NotifyFailed { error }), Some(want)) => {
                assert!(error.contains(want), "{socket:?}: {error}");
            }
            (got, _) => panic!("{socket:?}: {got:?}"),
        }
        assert!(n.watchdog_due().is_none(), "{socket:?}: no watchdog");
        assert!(n.event(&Event::SchedulerStarted { jobs: 1 }).is_none());
        assert!(n.before_wait().is_none(), "{socket:?}: nothing to send");
    }
}

/// A socket bound in a temporary directory, and a notifier sending to it.
fn bound(usec: Option<&str>) -> (tempfile::TempDir, UnixDatagram, Notifier) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("notify");
    let socket = UnixDatagram::bind(&path).expect("bind");
    socket.set_nonblocking(true).expect("non-blocking");
    let (n, event) = Notifier::new(&env(path.to_str(), usec, None), 1);
    assert!(event.is_none(), "{event:?}");
    (dir, socket, n)
}

/// Every datagram received so far.
fn received(socket: &UnixDatagram) -> Vec<String> {
    let mut buf = [0u8; 4096];
    let mut all = Vec::new();
    while let Ok(n) = socket.recv(&mut buf) {
        all.push(String::from_utf8_lossy(&buf[..n]).into_owned());
    }
    all
}

#[test]
fn ready_reloading_and_stopping_follow_the_scheduler() {
    let (_dir, socket, mut n) = bound(None);
    assert!(n.watchdog_due().is_none(), "no watchdog asked for");
    n.event(&Event::SchedulerStarted { jobs: 2 });
    assert!(
        received(&socket).is_empty(),
        "READY=1 waits for the first wait"
    );
    n.before_wait();
    n.before_wait();
    assert_eq!(received(&socket), ["READY=1\nSTATUS=scheduling 2 jobs"]);

    n.reloading();
    n.event(&Event::Reloaded {
        added: 1,
        removed: 2,
        modified: 0,
        unchanged: 0,
    });
    n.before_wait();
    let got = received(&socket);
    assert_eq!(got.len(), 2, "{got:?}");
    let lines: Vec<&str> = got[0].lines().collect();
    assert_eq!(lines[0], "RELOADING=1");
    let usec: u128 = lines[1]
        .strip_prefix("MONOTONIC_USEC=")
        .and_then(|u| u.parse().ok())
        .unwrap_or_else(|| panic!("{got:?}"));
    assert!(usec > 0);
    assert_eq!(got[1], "READY=1\nSTATUS=scheduling 1 job");

    n.reloading();
    for problem in ["a", "b"] {
        n.event(&Event::ReloadFailed {
            problem: problem.into(),
        });
    }
    n.before_wait();
    let got = received(&socket);
    assert_eq!(got.len(), 2, "one READY=1 after several problems: {got:?}");
    assert!(
        got[1].starts_with("READY=1\nSTATUS=the reload failed"),
        "{got:?}"
    );

    let shutdown = Event::SchedulerShutdown {
        running: 3,
        timeout: Duration::from_secs(30),
    };
    n.event(&shutdown);
    n.event(&shutdown);
    n.reloading();
    n.event(&Event::Reloaded {
        added: 0,
        removed: 0,
        modified: 0,
        unchanged: 1,
    });
    n.before_wait();
    assert_eq!(
        received(&socket),
        ["STOPPING=1\nSTATUS=stopping: waiting for 3 running jobs"],
        "once, and no READY=1 or RELOADING=1 after it"
    );
}

#[test]
fn the_watchdog_is_fed_every_half_period() {
    let (_dir, socket, mut n) = bound(Some("200000"));
    n.event(&Event::SchedulerStarted { jobs: 0 });
    n.before_wait();
    assert_eq!(
        received(&socket),
        ["READY=1\nSTATUS=scheduling 0 jobs\nWATCHDOG=1"]
    );
    let due = n.watchdog_due().expect("a watchdog");
    n.before_wait();
    assert!(received(&socket).is_empty(), "not due yet");
    std::thread::sleep(due.saturating_duration_since(std::time::Instant::now()));
    n.before_wait();
    assert_eq!(received(&socket), ["WATCHDOG=1"]);
    assert!(n.watchdog_due() > Some(due));
}

#[test]
fn a_failed_send_is_reported_once() {
    let (dir, socket, mut n) = bound(None);
    drop(socket);
    drop(dir);
    n.event(&Event::SchedulerStarted { jobs: 1 });
    let first = n.before_wait();
    assert!(
        matches!(&first, Some(Event::NotifyFailed { error }) if error.contains("cannot send READY=1")),
        "{first:?}"
    );
    n.event(&Event::SchedulerStarted { jobs: 1 });
    assert!(n.before_wait().is_none(), "only the first failure");
}

#[test]
fn an_abstract_socket_is_reached_by_its_name() {
    use std::os::linux::net::SocketAddrExt;
    use std::os::unix::net::SocketAddr;
    let name = format!("apsched-test-{}", std::process::id());
    let addr = SocketAddr::from_abstract_name(name.as_bytes()).expect("an abstract name");
    let socket = UnixDatagram::bind_addr(&addr).expect("bind");
    socket.set_nonblocking(true).expect("non-blocking");
    let (mut n, event) = Notifier::new(&env(Some(&format!("@{name}")), None, None), 1);
    assert!(event.is_none(), "{event:?}");
    n.event(&Event::SchedulerStarted { jobs: 1 });
    n.before_wait();
    assert_eq!(received(&socket), ["READY=1\nSTATUS=scheduling 1 job"]);
}
