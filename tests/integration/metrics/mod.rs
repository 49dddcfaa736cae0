//! The metrics and health endpoint through the real binary: `apsched run
//! --metrics-listen 127.0.0.1:0` (or `[metrics] listen`), its address
//! learned from the `metrics_listening` line, scraped with a small HTTP
//! client. The output is checked with `promtool check metrics` when it is
//! installed (`.ci/run` installs it and sets `APSCHED_REQUIRE_PROMTOOL=1`).

use crate::harness::poll::{PATIENCE, field, until};
use crate::harness::tmpfs::Tmpfs;
use crate::harness::{Dir, Running};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

mod address;
mod hooks;

/// `GET path` (or another method): the status code and the body.
fn request(addr: &str, method: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(PATIENCE)).expect("timeout");
    write!(s, "{method} {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").expect("send");
    let mut text = String::new();
    s.read_to_string(&mut text).expect("read");
    let (head, body) = text.split_once("\r\n\r\n").expect("a response head");
    let code = head.split_whitespace().nth(1).and_then(|c| c.parse().ok());
    (code.expect("a status code"), body.to_string())
}

fn get(addr: &str, path: &str) -> (u16, String) {
    request(addr, "GET", path)
}

/// The body of `/metrics`.
fn scrape(addr: &str) -> String {
    let (code, body) = get(addr, "/metrics");
    assert_eq!(code, 200, "{body}");
    body
}

/// The value of one series, if present.
fn value(metrics: &str, series: &str) -> Option<f64> {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map(|v| v.parse().expect("a number"))
}

/// The address the running scheduler serves metrics at.
fn address(running: &Running) -> String {
    let log = running.wait_for_stderr("metrics_listening", 1);
    let addr = field(&log, "metrics_listening", "addr");
    assert_eq!(addr.len(), 1, "one address: {log}");
    addr[0].clone()
}

/// `apsched run s.toml --metrics-listen 127.0.0.1:0`, and its address.
fn start(dir: &Dir) -> (Running, String) {
    let running = (dir.apsched(["run", "s.toml", "--metrics-listen", "127.0.0.1:0"])).spawn();
    let addr = address(&running);
    (running, addr)
}

/// Checks `text` with `promtool check metrics`, unless promtool is missing
/// and not required.
fn promtool(text: &str) {
    let child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        assert!(
            std::env::var_os("APSCHED_REQUIRE_PROMTOOL").is_none(),
            "promtool is not installed (apt-get install prometheus)"
        );
        eprintln!("promtool check skipped: promtool is not installed");
        return;
    };
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(text.as_bytes()).expect("write");
    drop(stdin);
    let out = child.wait_with_output().expect("promtool");
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "promtool: {said}\n{text}");
    assert!(said.trim().is_empty(), "promtool has lint remarks: {said}");
}

const FAILING: &str = r#"[jobs.fail]
command = "echo secret-token; exit 3"
trigger = "date"
run_date = "RUN_DATE"
[jobs.ok]
command = "true"
cron = "0 0 1 1 *"
"#;

#[test]
fn the_failure_series_is_zero_before_the_first_failure_and_one_after() {
    let soon = chrono::Utc::now() + chrono::Duration::seconds(5);
    let run_date = soon.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let dir = Dir::schedule(&FAILING.replace("RUN_DATE", &run_date));
    let (running, addr) = start(&dir);
    let failure = r#"apsched_job_runs_total{job_name="fail",result="failure"}"#;
    let before = scrape(&addr);
    assert_eq!(value(&before, failure), Some(0.0), "{before}");
    let next = r#"apsched_job_next_run_timestamp_seconds{job_name="fail"}"#;
    #[allow(clippy::cast_precision_loss)]
    let due = soon.timestamp() as f64;
    assert_eq!(value(&before, next), Some(due));
    running.wait_for_stderr("job_error", 1);
    let after = scrape(&addr);
    assert_eq!(value(&after, failure), Some(1.0), "{after}");
    for result in ["success", "timeout", "interrupted", "spawn_error"] {
        let series = format!(r#"apsched_job_runs_total{{job_name="fail",result="{result}"}}"#);
        assert_eq!(value(&after, &series), Some(0.0), "{series}");
    }
    assert_eq!(value(&after, next), None, "the date trigger is finished");
    let last_failure = r#"apsched_job_last_failure_timestamp_seconds{job_name="fail"}"#;
    assert!(
        value(&after, last_failure).is_some_and(|t| t >= due),
        "{after}"
    );
    let count = r#"apsched_job_run_duration_seconds_count{job_name="fail"}"#;
    assert_eq!(value(&after, count), Some(1.0));
    assert_eq!(
        value(&after, "apsched_run_start_delay_seconds_count"),
        Some(1.0)
    );
    assert!(!after.contains("secret-token") && !after.contains("exit 3"));
    promtool(&before);
    promtool(&after);
    running.stop();
}

#[test]
fn counters_survive_a_reload_and_removed_jobs_disappear() {
    let jobs = "[jobs.a]\ncommand = \"true\"\ncron = \"* * * * * *\"\n[jobs.b]\ncommand = \"false\"\ncron = \"* * * * * *\"\n";
    let dir = Dir::schedule(jobs);
    let (running, addr) = start(&dir);
    running.wait_for_stderr("job_error", 2);
    let success = r#"apsched_job_runs_total{job_name="a",result="success"}"#;
    let before = value(&scrape(&addr), success).expect("a's series");
    assert!(before >= 1.0);
    let head = dir.read("s.toml").replace(jobs, "");
    dir.write("s.toml", format!("{head}[jobs.a]\ncommand = \"true\"\ncron = \"* * * * * *\"\n[jobs.c]\ncommand = \"true\"\ncron = \"0 0 1 1 *\"\n"));
    running.signal(libc::SIGHUP);
    running.wait_for_stderr("reloaded", 1);
    let after = scrape(&addr);
    assert!(
        value(&after, success).expect("a's series") >= before,
        "{after}"
    );
    assert!(!after.contains("job_name=\"b\""), "b is gone: {after}");
    let c = r#"apsched_job_runs_total{job_name="c",result="failure"}"#;
    assert_eq!(value(&after, c), Some(0.0), "c starts at 0: {after}");
    assert_eq!(
        value(&after, "apsched_config_last_reload_successful"),
        Some(1.0)
    );
    promtool(&after);
    dir.write("s.toml", "[jobs.a]\ncron = \"nonsense\"\n");
    running.signal(libc::SIGHUP);
    running.wait_for_stderr("reload_failed", 1);
    let failed = scrape(&addr);
    assert_eq!(
        value(&failed, "apsched_config_last_reload_successful"),
        Some(0.0)
    );
    assert!(value(&failed, success).expect("kept") >= before);
    running.stop();
}

#[test]
fn last_success_survives_a_restart() {
    let dir = Dir::schedule("[jobs.a]\ncommand = \"true\"\ncron = \"* * * * * *\"\n");
    let (running, addr) = start(&dir);
    running.wait_for_stderr("job_executed", 1);
    let series = r#"apsched_job_last_success_timestamp_seconds{job_name="a"}"#;
    let mut seen = None;
    until(PATIENCE, || {
        seen = value(&scrape(&addr), series);
        seen.is_some()
    });
    running.stop();
    let seen = seen.expect("a success");
    // A year away now: no run before the scrape.
    let text = dir.read("s.toml").replace("* * * * * *", "0 0 1 1 *");
    dir.write("s.toml", text);
    let (running, addr) = start(&dir);
    let metrics = scrape(&addr);
    let loaded = value(&metrics, series).expect("loaded from the state file");
    // The state file keeps milliseconds; the first value had microseconds.
    assert!((loaded - seen).abs() < 0.002, "{loaded} vs {seen}");
    assert!(
        value(
            &metrics,
            r#"apsched_job_last_run_timestamp_seconds{job_name="a"}"#
        )
        .is_some()
    );
    running.stop();
}

#[test]
fn health_is_200_other_paths_404_and_other_methods_405() {
    let dir = Dir::schedule("[jobs.a]\ncommand = \"true\"\ncron = \"0 0 1 1 *\"\n");
    let (running, addr) = start(&dir);
    assert_eq!(get(&addr, "/healthz"), (200, "ok\n".into()));
    for path in ["/", "/metric", "/healthz/x", "/../metrics"] {
        assert_eq!(get(&addr, path).0, 404, "{path}");
    }
    assert_eq!(request(&addr, "POST", "/metrics").0, 405);
    assert_eq!(request(&addr, "HEAD", "/metrics"), (200, String::new()));
    // A client that sends nothing does not hold up the others, but no more
    // than 8 are served at once; each gets 5 seconds to send its request.
    let mut idle: Vec<TcpStream> = (0..7)
        .map(|_| TcpStream::connect(&addr).expect("connect"))
        .collect();
    // A connection is counted until its thread ends, a moment after the
    // client has read the answer: the earlier requests may still count.
    assert!(until(PATIENCE, || get(&addr, "/healthz").0 == 200));
    idle.push(TcpStream::connect(&addr).expect("connect"));
    assert_eq!(
        get(&addr, "/healthz"),
        (503, "busy: too many connections\n".into())
    );
    // The idle ones time out after 5 s. Probes a quarter of a second apart:
    // each busy answer counts until its thread ends, and on a loaded machine
    // probes 20 ms apart kept the count at the limit by themselves.
    let healthy = (0..60).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(250));
        get(&addr, "/healthz").0 == 200
    });
    assert!(healthy, "the idle ones timed out");
    running.stop();
}

#[test]
fn health_turns_503_while_the_state_file_cannot_be_written() {
    let dir = Dir::new().file(
        "s.toml",
        "[scheduler]\ntimezone = \"UTC\"\nstate = \"fs/s.db\"\nshutdown_timeout = \"2s\"\n[jobs.a]\ncommand = \"true\"\ncron = \"* * * * * *\"\n",
    );
    let Some(fs) = Tmpfs::mount(&dir.path().join("fs"), "2m") else {
        return;
    };
    let (running, addr) = start(&dir);
    running.wait_for_stderr("job_executed", 1);
    assert_eq!(get(&addr, "/healthz").0, 200);
    let filler = fs.fill();
    running.wait_for_stderr("state_failing", 1);
    let (code, body) = get(&addr, "/healthz");
    assert_eq!(code, 503, "{body}");
    assert!(body.starts_with("state file not writable: "), "{body}");
    assert!(body.contains("full"), "{body}");
    assert_eq!(body.lines().count(), 1, "{body}");
    let errors = value(&scrape(&addr), "apsched_state_write_errors_total");
    assert!(errors.is_some_and(|n| n >= 1.0), "{errors:?}");
    std::fs::remove_file(filler).expect("free the space");
    running.wait_for_stderr("state_recovered", 1);
    until(PATIENCE, || get(&addr, "/healthz").0 == 200);
    assert_eq!(get(&addr, "/healthz"), (200, "ok\n".into()));
    running.stop();
}

#[test]
fn job_info_names_a_combined_trigger_and_its_members() {
    let dir = Dir::schedule(
        r#"[jobs.either]
command = "true"
cron = ["0 9 * * mon-fri", "0 12 * * sat"]
[jobs.both]
command = "true"
trigger = "and"
start_date = "2027-01-01T00:00:00Z"
triggers = [{ cron = "0 */2 * * *" }, { trigger = "interval", hours = 3 }]
"#,
    );
    let (running, addr) = start(&dir);
    let metrics = scrape(&addr);
    running.stop();
    for series in [
        r#"apsched_job_info{job_name="either",trigger="or",schedule="or(cron 0 9 * * mon-fri; cron 0 12 * * sat)",timezone="UTC"}"#,
        r#"apsched_job_info{job_name="both",trigger="and",schedule="and(cron 0 */2 * * *; interval 3h)",timezone="UTC"}"#,
    ] {
        assert_eq!(value(&metrics, series), Some(1.0), "{series}\n{metrics}");
    }
    promtool(&metrics);
}
