//! The systemd notify protocol: a test socket stands in for the service
//! manager (`NOTIFY_SOCKET`).

use crate::harness::poll::{PATIENCE, until};
use crate::harness::{Dir, Running};
use std::os::unix::net::UnixDatagram;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const FILE: &str = r#"[scheduler]
timezone = "UTC"
state = ":memory:"
shutdown_timeout = "1s"
[jobs.a]
command = "echo \"[$NOTIFY_SOCKET][$WATCHDOG_USEC]\" > env.txt"
trigger = "interval"
seconds = 1
"#;

/// The messages a socket received, each with when it came.
#[derive(Clone, Default)]
struct Manager {
    got: Arc<Mutex<Vec<(Instant, String)>>>,
}

impl Manager {
    /// Binds `notify` in `dir` and collects what comes on a thread.
    fn bind(dir: &Dir) -> Manager {
        let socket = UnixDatagram::bind(dir.join("notify")).expect("bind");
        let manager = Manager::default();
        let got = Arc::clone(&manager.got);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = socket.recv(&mut buf) {
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                if let Ok(mut got) = got.lock() {
                    got.push((Instant::now(), text));
                }
            }
        });
        manager
    }

    fn messages(&self) -> Vec<String> {
        let got = self.got.lock().map(|g| g.clone()).unwrap_or_default();
        got.into_iter().map(|(_, m)| m).collect()
    }

    /// The first line of each message, in order.
    fn heads(&self) -> Vec<String> {
        (self.messages().iter())
            .map(|m| m.lines().next().unwrap_or_default().to_string())
            .collect()
    }

    /// Waits for `n` messages starting with `head`; the first lines then.
    fn wait_for(&self, head: &str, n: usize) -> Vec<String> {
        until(PATIENCE, || {
            self.heads().iter().filter(|h| *h == head).count() >= n
        });
        self.heads()
    }
}

/// `apsched run s.toml` with `NOTIFY_SOCKET` (and more `env`).
fn start(env: &[(&str, &str)]) -> (Dir, Manager, Running) {
    let dir = Dir::new().file("s.toml", FILE);
    let manager = Manager::bind(&dir);
    let socket = dir.join("notify").display().to_string();
    let mut test = dir.apsched(["run", "s.toml"]).env("NOTIFY_SOCKET", &socket);
    for (k, v) in env {
        test = test.env(k, v);
    }
    let run = test.spawn();
    (dir, manager, run)
}

#[test]
fn ready_reloading_and_stopping_are_sent_in_order() {
    let (dir, manager, run) = start(&[]);
    let heads = manager.wait_for("READY=1", 1);
    assert_eq!(heads, ["READY=1"]);
    // apsched writes the line before it sends READY=1, but the harness reads
    // stderr on its own thread, which may not have read it yet.
    until(PATIENCE, || run.stderr().contains("scheduler_started"));
    assert!(
        run.stderr().contains("scheduler_started"),
        "after the start"
    );
    assert_eq!(manager.messages()[0], "READY=1\nSTATUS=scheduling 1 job");
    run.signal(libc::SIGHUP);
    let heads = manager.wait_for("READY=1", 2);
    assert_eq!(heads, ["READY=1", "RELOADING=1", "READY=1"]);
    let reloading = &manager.messages()[1];
    assert!(
        reloading
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("MONOTONIC_USEC=")),
        "{reloading}"
    );
    until(PATIENCE, || dir.read("env.txt").contains(']'));
    assert_eq!(
        dir.read("env.txt"),
        "[][]\n",
        "jobs do not inherit the socket"
    );
    let finished = run.stop();
    assert_eq!(finished.code, Some(0), "{}", finished.stderr);
    let heads = manager.wait_for("STOPPING=1", 1);
    assert_eq!(heads, ["READY=1", "RELOADING=1", "READY=1", "STOPPING=1"]);
    assert!(
        !finished.stderr.contains("notify_failed"),
        "{}",
        finished.stderr
    );
}

#[test]
fn the_watchdog_is_fed_twice_a_period() {
    let (_dir, manager, run) = start(&[("WATCHDOG_USEC", "1000000")]);
    manager.wait_for("READY=1", 1);
    let began = Instant::now();
    // At 0, 0.5 and 1 s (once a second would give two by 1.6 s).
    let fed = until(Duration::from_millis(1600), || {
        manager
            .messages()
            .iter()
            .filter(|m| m.contains("WATCHDOG=1"))
            .count()
            >= 3
    });
    assert!(fed, "{:?} after {:?}", manager.messages(), began.elapsed());
    drop(run);
}

#[test]
fn a_watchdog_for_another_process_is_not_fed() {
    let (_dir, manager, run) = start(&[("WATCHDOG_USEC", "200000"), ("WATCHDOG_PID", "1")]);
    manager.wait_for("READY=1", 1);
    run.sleep_ms(500);
    let messages = manager.messages();
    assert!(
        !messages.iter().any(|m| m.contains("WATCHDOG=1")),
        "{messages:?}"
    );
}

#[test]
fn a_file_change_under_watch_is_a_reload_too() {
    let dir = Dir::new().file("s.toml", FILE);
    let manager = Manager::bind(&dir);
    let socket = dir.join("notify").display().to_string();
    let run = dir
        .apsched(["run", "--watch", "s.toml"])
        .env("NOTIFY_SOCKET", &socket)
        .spawn();
    manager.wait_for("READY=1", 1);
    dir.write("s.toml", FILE.replace("seconds = 1", "seconds = 2"));
    let heads = manager.wait_for("READY=1", 2);
    assert_eq!(
        heads,
        ["READY=1", "RELOADING=1", "READY=1"],
        "{}",
        run.stderr()
    );
}

#[test]
fn a_socket_that_is_gone_is_reported_once_and_the_jobs_run_on() {
    let dir = Dir::new().file("s.toml", FILE);
    let run = dir
        .apsched(["run", "s.toml"])
        .env("NOTIFY_SOCKET", &dir.join("nobody").display().to_string())
        .env("WATCHDOG_USEC", "100000")
        .spawn();
    run.wait_for_stderr("job_executed", 2);
    let finished = run.stop();
    assert_eq!(finished.code, Some(0), "{}", finished.stderr);
    let err = finished.stderr;
    assert_eq!(err.matches("notify_failed").count(), 1, "{err}");
    assert!(
        err.contains("cannot send READY=1 to NOTIFY_SOCKET"),
        "{err}"
    );
}
