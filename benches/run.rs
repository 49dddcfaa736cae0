//! End-to-end benchmarks of `apsched run`: the real release binary, real
//! processes, real clocks. Run with `cargo bench --bench run` (about three
//! minutes); `cargo bench --bench run -- idle burst` runs only the scenarios
//! named (idle, latency, burst, memory).
//!
//! 1. idle: 10,000 jobs whose next runs are at least 11 hours away, watched
//!    for 2 minutes after startup settles: CPU time per minute (from
//!    `/proc/PID/task/*/schedstat`, in nanoseconds, and from the clock ticks
//!    of `/proc/PID/stat`) and wake-ups (voluntary context switches of the
//!    main thread, and all context switches of all threads).
//! 2. latency: an every-second job runs for 60 s; each run's lateness is the
//!    time its program started minus its scheduled second. Two programs: this
//!    bench binary as a tiny recorder (`--record` prints the wall clock and
//!    `APSCHED_SCHEDULED_TIME` first thing in `main`), and `date +%s.%N`.
//!    Their exec overhead (spawned from a plain Rust loop the way apsched
//!    spawns, compared with the instant before `spawn`) is measured apart, so
//!    the scheduler's own share shows.
//! 3. burst: 1,000 `true` jobs due in the same second with `max_workers =
//!    1000`: scheduled second to the last `job_submitted` and to the last
//!    `job_executed`, against a plain Rust loop spawning 1,000 `true` (and a
//!    loop spawning them the way apsched does: pipes, process group, env).
//!    Five rounds, the loops right before apsched each time; the fastest round
//!    of each side is compared (load from elsewhere only slows rounds down),
//!    and the CPU time per job shows the costs load does not move. Then one
//!    more round with a state file instead of `:memory:`.
//! 4. memory: peak RSS (VmHWM) after startup with 100 and 100,000 jobs;
//!    startup time with 100,000 jobs (spawn to the 100,000th `job_added` log
//!    line; and with `-q`, spawn to the main thread's first sleep); and
//!    `apsched check` on the 100,000-job file.
//!
//! The idle scenario runs in the background while the others run one after
//! the other: its process is asleep, so neither disturbs the other, and the
//! whole bench stays within about three minutes. The machine's load average
//! is printed, since other work on a shared machine moves the latencies.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Timelike, Utc};
use serde_json::Value;

const IDLE_JOBS: usize = 10_000;
const IDLE_SETTLE: Duration = Duration::from_secs(5);
const IDLE_WATCH: Duration = Duration::from_secs(120);
const LATENCY_RUN: Duration = Duration::from_secs(60);
const EXEC_SAMPLES: usize = 200;
const BURST_JOBS: usize = 1_000;
/// Seconds from writing a burst's file to its due second.
const BURST_LEAD: i64 = 3;
const BURST_ROUNDS: usize = 5;
const BIG_JOBS: usize = 100_000;
const SMALL_JOBS: usize = 100;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--record") {
        record();
        return;
    }
    let wanted: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let on = |name: &str| wanted.is_empty() || wanted.contains(&name);

    let bin = apsched_binary();
    let dir = tempfile::tempdir().expect("a temporary directory");
    println!("apsched run benchmarks");
    println!("binary: {}", bin.display());
    println!("machine: {} CPUs, {}", cpus(), cpu_model());
    println!("load average at start: {}", loadavg());
    let started = Instant::now();
    let mut rows: Vec<Row> = Vec::new();

    let idle = on("idle").then(|| {
        let (settled_tx, settled_rx) = mpsc::channel();
        let bin = bin.clone();
        let file = dir.path().join("idle.toml");
        let handle = thread::spawn(move || idle_scenario(&bin, &file, &settled_tx));
        // The others start once the idle scheduler has loaded its jobs and
        // gone to sleep, so its startup does not disturb them.
        let _ = settled_rx.recv_timeout(Duration::from_secs(120));
        handle
    });
    if on("latency") {
        rows.extend(latency_scenario(&bin, dir.path()));
    }
    if on("burst") {
        rows.extend(burst_scenario(&bin, dir.path()));
    }
    if on("memory") {
        rows.extend(memory_scenario(&bin, dir.path()));
    }
    if let Some(handle) = idle {
        let idle_rows = handle.join().expect("the idle scenario");
        rows.splice(0..0, idle_rows);
    }
    println!();
    println!("load average at end: {}", loadavg());
    println!("total time: {:.0} s", started.elapsed().as_secs_f64());
    println!();
    print_table(&rows);
}

// ---------------------------------------------------------------- results

struct Row {
    what: String,
    measured: String,
    goal: String,
    /// `None` for figures shown for reference only.
    ok: Option<bool>,
}

fn row(what: &str, measured: String, goal: &str, ok: Option<bool>) -> Row {
    Row {
        what: what.to_string(),
        measured,
        goal: goal.to_string(),
        ok,
    }
}

fn print_table(rows: &[Row]) {
    let verdict = |r: &Row| match r.ok {
        Some(true) => "met",
        Some(false) => "MISSED",
        None => "",
    };
    let w0 = rows.iter().map(|r| r.what.len()).max().unwrap_or(0).max(4);
    let w1 = rows
        .iter()
        .map(|r| r.measured.len())
        .max()
        .unwrap_or(0)
        .max(8);
    let w2 = rows.iter().map(|r| r.goal.len()).max().unwrap_or(0).max(4);
    println!(
        "| {:w0$} | {:w1$} | {:w2$} | verdict |",
        "what", "measured", "goal"
    );
    println!(
        "|{}|{}|{}|---------|",
        "-".repeat(w0 + 2),
        "-".repeat(w1 + 2),
        "-".repeat(w2 + 2)
    );
    for r in rows {
        println!(
            "| {:w0$} | {:w1$} | {:w2$} | {:7} |",
            r.what,
            r.measured,
            r.goal,
            verdict(r)
        );
    }
}

fn ms(d: f64) -> String {
    format!("{d:.2} ms")
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

// ---------------------------------------------------------------- the recorder

/// `--record`: prints the wall clock (ns since the epoch) and the run's
/// scheduled time, as early as a Rust program can.
fn record() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let scheduled = std::env::var("APSCHED_SCHEDULED_TIME").unwrap_or_else(|_| "-".into());
    println!("{now} {scheduled}");
}

fn epoch_ns(t: SystemTime) -> i128 {
    t.duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos() as i128
}

/// `1763780850.001234567` as ns since the epoch.
fn parse_date_ns(text: &str) -> Option<i128> {
    let (s, n) = text.trim().split_once('.')?;
    Some(s.parse::<i128>().ok()? * 1_000_000_000 + n.parse::<i128>().ok()?)
}

// ---------------------------------------------------------------- the machine

fn apsched_binary() -> PathBuf {
    // Cargo builds the package's binaries for its benches and says where.
    if let Some(path) = option_env!("CARGO_BIN_EXE_apsched") {
        let path = PathBuf::from(path);
        if path.exists() {
            return path;
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let path = target.join("release").join("apsched");
    if !path.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--release", "--bin", "apsched"])
            .current_dir(root)
            .status()
            .expect("cargo build --release");
        assert!(status.success(), "cargo build --release failed");
    }
    path
}

fn cpus() -> usize {
    thread::available_parallelism().map_or(1, usize::from)
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn clock_ticks() -> f64 {
    // SAFETY: sysconf has no memory effects.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as f64 } else { 100.0 }
}

fn tids(pid: i32) -> Vec<i32> {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// CPU time of all threads in ns (the scheduler's own accounting).
fn cpu_ns(pid: i32) -> u64 {
    tids(pid)
        .iter()
        .filter_map(|tid| {
            std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/schedstat"))
                .ok()?
                .split_whitespace()
                .next()?
                .parse::<u64>()
                .ok()
        })
        .sum()
}

/// utime + stime of the process in clock ticks.
fn cpu_ticks(pid: i32) -> u64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0;
    };
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    // rest starts at field 3 (state): utime is field 14, stime field 15.
    let get = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    get(11) + get(12)
}

/// The state letter of one thread (R, S, D, ...).
fn thread_state(pid: i32, tid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

fn status_field(path: &str, key: &str) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.lines().find_map(|l| {
        let v = l.strip_prefix(key)?.strip_prefix(':')?;
        v.split_whitespace().next()?.parse().ok()
    })
}

fn kb(pid: i32, key: &str) -> u64 {
    status_field(&format!("/proc/{pid}/status"), key).unwrap_or(0)
}

/// Voluntary and involuntary context switches of one thread.
fn switches(pid: i32, tid: i32) -> (u64, u64) {
    let path = format!("/proc/{pid}/task/{tid}/status");
    (
        status_field(&path, "voluntary_ctxt_switches").unwrap_or(0),
        status_field(&path, "nonvoluntary_ctxt_switches").unwrap_or(0),
    )
}

fn all_switches(pid: i32) -> u64 {
    tids(pid)
        .iter()
        .map(|t| {
            let (v, n) = switches(pid, *t);
            v + n
        })
        .sum()
}

struct Usage {
    max_rss_kb: u64,
    cpu: Duration,
}

/// Reaps `pid` (SIGKILL after `limit`) and returns its resource usage.
fn reap(pid: i32, limit: Duration) -> Option<Usage> {
    let deadline = Instant::now() + limit;
    loop {
        let mut status = 0;
        // SAFETY: an all-zero rusage is valid; wait4 only writes to the two
        // locals passed.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
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
            // SAFETY: kill has no memory effects.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        thread::sleep(Duration::from_millis(5));
    }
}

// ---------------------------------------------------------------- apsched run

/// One line apsched wrote, and when the bench read it.
struct Line {
    at: Instant,
    text: String,
}

/// A running `apsched run --log-format json FILE`.
struct Sched {
    pid: i32,
    spawned: Instant,
    log_rx: Receiver<Line>,
    /// The log lines read so far.
    log: Vec<Line>,
    /// Job output (stdout), with when it was read.
    out: Arc<Mutex<Vec<Line>>>,
    reaped: bool,
}

impl Sched {
    fn start(bin: &Path, file: &Path, extra: &[&str]) -> Sched {
        let spawned = Instant::now();
        let mut child: Child = Command::new(bin)
            .arg("run")
            .arg("--log-format")
            .arg("json")
            .args(extra)
            .arg(file)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("apsched run");
        let pid = child.id() as i32;
        let (tx, log_rx) = mpsc::channel();
        let stderr = child.stderr.take().expect("stderr");
        thread::spawn(move || {
            for text in BufReader::with_capacity(1 << 20, stderr)
                .lines()
                .map_while(Result::ok)
            {
                let at = Instant::now();
                if tx.send(Line { at, text }).is_err() {
                    return;
                }
            }
        });
        let out = Arc::new(Mutex::new(Vec::new()));
        let stdout = child.stdout.take().expect("stdout");
        let sink = Arc::clone(&out);
        thread::spawn(move || {
            for text in BufReader::new(stdout).lines().map_while(Result::ok) {
                let at = Instant::now();
                if let Ok(mut v) = sink.lock() {
                    v.push(Line { at, text });
                }
            }
        });
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
    fn wait_for(&mut self, needle: &str, count: usize, limit: Duration) -> Option<Instant> {
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
    fn drain(&mut self) {
        while let Ok(line) = self.log_rx.try_recv() {
            self.log.push(line);
        }
    }

    /// SIGTERM, then reaps it; the log is complete afterwards.
    fn stop(&mut self) -> Option<Usage> {
        // SAFETY: kill has no memory effects.
        unsafe { libc::kill(self.pid, libc::SIGTERM) };
        let usage = reap(self.pid, Duration::from_secs(15));
        self.reaped = true;
        while let Ok(line) = self.log_rx.recv_timeout(Duration::from_secs(2)) {
            self.log.push(line);
        }
        usage
    }

    /// The log lines of `event`, parsed.
    fn events(&self, event: &str) -> Vec<Value> {
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
            // SAFETY: kill has no memory effects.
            unsafe { libc::kill(self.pid, libc::SIGKILL) };
            let _ = reap(self.pid, Duration::from_secs(5));
        }
    }
}

fn time_field(v: &Value, key: &str) -> Option<DateTime<Utc>> {
    let text = v.get(key)?.as_str()?;
    Some(DateTime::parse_from_rfc3339(text).ok()?.with_timezone(&Utc))
}

fn schedule_file(path: &Path, max_workers: usize, jobs: impl Iterator<Item = String>) {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "[scheduler]\ntimezone = \"UTC\"\nstate = \":memory:\"\nmax_workers = {max_workers}\n"
    );
    for job in jobs {
        text.push_str(&job);
    }
    std::fs::write(path, text).expect("writing a schedule file");
}

/// `n` jobs running `true` at a time of day at least 11 hours away.
fn far_jobs(path: &Path, n: usize) {
    let hour = (Utc::now().hour() + 12) % 24;
    schedule_file(
        path,
        10,
        (0..n).map(|i| format!("[jobs.j{i}]\ncommand = [\"true\"]\ncron = \"0 {hour} * * *\"\n")),
    );
}

// ---------------------------------------------------------------- 1. idle

fn idle_scenario(bin: &Path, file: &Path, settled: &mpsc::Sender<()>) -> Vec<Row> {
    far_jobs(file, IDLE_JOBS);
    let mut s = Sched::start(bin, file, &[]);
    let loaded = s.wait_for("job_added", IDLE_JOBS, Duration::from_secs(60));
    thread::sleep(IDLE_SETTLE);
    s.drain();
    let _ = settled.send(());
    let Some(_) = loaded else {
        eprintln!("idle: the jobs were not all added");
        return vec![row("idle: jobs loaded", "no".into(), "all", Some(false))];
    };
    let pid = s.pid;
    let (ns0, ticks0, (vol0, _), all0) = (
        cpu_ns(pid),
        cpu_ticks(pid),
        switches(pid, pid),
        all_switches(pid),
    );
    let t0 = Instant::now();
    thread::sleep(IDLE_WATCH);
    let (ns1, ticks1, (vol1, _), all1) = (
        cpu_ns(pid),
        cpu_ticks(pid),
        switches(pid, pid),
        all_switches(pid),
    );
    let minutes = t0.elapsed().as_secs_f64() / 60.0;
    s.drain();
    let logged_after = s.log.len();
    let rss = kb(pid, "VmRSS");
    s.stop();
    let cpu_ms = (ns1 - ns0) as f64 / 1e6 / minutes;
    let tick_ms = (ticks1 - ticks0) as f64 * 1000.0 / clock_ticks() / minutes;
    let wakes = (vol1 - vol0) as f64 / minutes;
    let all = (all1 - all0) as f64 / minutes;
    println!(
        "idle: {IDLE_JOBS} jobs, watched {:.0} s: CPU {:.4} ms/min (schedstat), {:.1} ms/min (ticks), \
         main thread {:.1} wake-ups/min, all threads {:.1} switches/min, RSS {rss} kB, log lines {logged_after}",
        minutes * 60.0,
        cpu_ms,
        tick_ms,
        wakes,
        all
    );
    vec![
        row(
            "idle, 10k jobs: CPU per minute",
            format!("{cpu_ms:.3} ms ({tick_ms:.0} ms by ticks)"),
            "< 1 ms",
            Some(cpu_ms < 1.0),
        ),
        row(
            "idle, 10k jobs: main-thread wake-ups per minute",
            format!("{wakes:.1} (all threads: {all:.1} switches)"),
            "<= ~1",
            Some(wakes <= 1.5),
        ),
    ]
}

// ---------------------------------------------------------------- 2. latency

/// Spawns `argv` the way apsched does (own process group, stdin null, output
/// piped) and returns the time its output names minus the instant before
/// `spawn`, in ms.
fn exec_overhead(argv: &[&str], parse: fn(&str) -> Option<i128>) -> Vec<f64> {
    let mut v = Vec::new();
    for _ in 0..EXEC_SAMPLES {
        let before = epoch_ns(SystemTime::now());
        let child = Command::new(argv[0])
            .args(&argv[1..])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .env("APSCHED_JOB_ID", "probe")
            .spawn();
        let Ok(mut child) = child else { break };
        let mut text = String::new();
        if let Some(mut out) = child.stdout.take() {
            let _ = out.read_to_string(&mut text);
        }
        let _ = child.wait();
        if let Some(t) = parse(&text) {
            v.push((t - before) as f64 / 1e6);
        }
    }
    sorted(v)
}

fn recorder_time(text: &str) -> Option<i128> {
    text.split_whitespace().next()?.parse().ok()
}

/// Runs one every-second job for [`LATENCY_RUN`] and returns each run's
/// lateness in ms, and the job_submitted log lateness in ms.
fn latency_run(bin: &Path, file: &Path, command: &str, recorder: bool) -> (Vec<f64>, Vec<f64>) {
    schedule_file(
        file,
        10,
        std::iter::once(format!(
            "[jobs.lat]\ncommand = {command}\ncron = \"* * * * * *\"\n"
        )),
    );
    let mut s = Sched::start(bin, file, &[]);
    thread::sleep(LATENCY_RUN + Duration::from_millis(500));
    s.stop();
    let mut late = Vec::new();
    let out = s.out.lock().map(|v| {
        v.iter()
            .filter_map(|l| l.text.strip_prefix("lat| ").map(str::to_string))
            .collect::<Vec<_>>()
    });
    for text in out.unwrap_or_default() {
        let (started, scheduled) = if recorder {
            let mut parts = text.split_whitespace();
            let started: Option<i128> = parts.next().and_then(|t| t.parse().ok());
            let scheduled = parts
                .next()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| i128::from(t.timestamp()) * 1_000_000_000);
            (started, scheduled)
        } else {
            let started = parse_date_ns(&text);
            (started, started.map(|t| t - t.rem_euclid(1_000_000_000)))
        };
        if let (Some(a), Some(b)) = (started, scheduled) {
            late.push((a - b) as f64 / 1e6);
        }
    }
    let submitted: Vec<f64> = s
        .events("job_submitted")
        .iter()
        .filter_map(|e| {
            let at = time_field(e, "time")?;
            let sched = time_field(e, "scheduled")?;
            Some((at - sched).num_microseconds()? as f64 / 1e3)
        })
        .collect();
    (sorted(late), sorted(submitted))
}

fn latency_scenario(bin: &Path, dir: &Path) -> Vec<Row> {
    let me = std::env::current_exe().expect("the bench binary");
    let me = me.to_string_lossy().to_string();
    let rec_exec = exec_overhead(&[&me, "--record"], recorder_time);
    let date_exec = exec_overhead(&["date", "+%s.%N"], parse_date_ns);
    let show = |name: &str, v: &[f64]| {
        println!(
            "{name}: n={} median {:.3} ms p99 {:.3} ms min {:.3} ms max {:.3} ms",
            v.len(),
            percentile(v, 0.5),
            percentile(v, 0.99),
            v.first().copied().unwrap_or(f64::NAN),
            v.last().copied().unwrap_or(f64::NAN)
        );
    };
    show(
        "exec overhead, recorder (spawn to first line of main)",
        &rec_exec,
    );
    show("exec overhead, date +%s.%N", &date_exec);

    let file = dir.join("latency.toml");
    let rec_cmd = format!("[{:?}, \"--record\"]", me);
    let (rec, rec_sub) = latency_run(bin, &file, &rec_cmd, true);
    show(
        "firing latency, recorder (scheduled second to program start)",
        &rec,
    );
    show(
        "  job_submitted log time - scheduled (1 ms resolution)",
        &rec_sub,
    );
    let (date, date_sub) = latency_run(bin, &file, "[\"date\", \"+%s.%N\"]", false);
    show(
        "firing latency, date (scheduled second to date's clock read)",
        &date,
    );
    show(
        "  job_submitted log time - scheduled (1 ms resolution)",
        &date_sub,
    );

    let med = percentile(&rec, 0.5);
    let p99 = percentile(&rec, 0.99);
    let exec_med = percentile(&rec_exec, 0.5);
    vec![
        row(
            &format!("latency, every-second job, {} runs: median", rec.len()),
            format!(
                "{} (exec {:.2} ms, so scheduler ~{:.2} ms)",
                ms(med),
                exec_med,
                med - exec_med
            ),
            "<= 5 ms",
            Some(med <= 5.0),
        ),
        row(
            "latency, every-second job: p99",
            ms(p99),
            "<= 20 ms",
            Some(p99 <= 20.0),
        ),
        row(
            &format!("latency with `date`, {} runs: median / p99", date.len()),
            format!(
                "{} / {} (date exec {:.2} ms)",
                ms(percentile(&date, 0.5)),
                ms(percentile(&date, 0.99)),
                percentile(&date_exec, 0.5)
            ),
            "(reference)",
            None,
        ),
    ]
}

// ---------------------------------------------------------------- 3. burst

/// Spawns `n` programs back to back; returns the time to the last spawn and
/// to the last reap, in ms.
struct Loop {
    /// Start to the last spawn returning, and to the last child reaped, in ms.
    spawned: f64,
    reaped: f64,
    /// CPU time of the spawning thread until the last spawn, in ms.
    cpu: f64,
}

/// CPU time of the calling thread, in ms.
fn thread_cpu_ms() -> f64 {
    // SAFETY: an all-zero rusage is valid; getrusage only writes to it.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut ru) };
    let ms = |t: libc::timeval| t.tv_sec as f64 * 1e3 + t.tv_usec as f64 / 1e3;
    ms(ru.ru_utime) + ms(ru.ru_stime)
}

/// CPU time of each thread of `pid` (by thread name), in ms.
fn threads_cpu_ms(pid: i32) -> Vec<(String, f64)> {
    tids(pid)
        .iter()
        .filter_map(|tid| {
            let name = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/comm")).ok()?;
            let ns: u64 = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/schedstat"))
                .ok()?
                .split_whitespace()
                .next()?
                .parse()
                .ok()?;
            Some((name.trim().to_string(), ns as f64 / 1e6))
        })
        .collect()
}

fn spawn_loop(n: usize, like_apsched: bool) -> Loop {
    let cpu0 = thread_cpu_ms();
    let t = Instant::now();
    let mut children = Vec::with_capacity(n);
    for _ in 0..n {
        let mut c = Command::new("true");
        if like_apsched {
            c.stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .process_group(0)
                .env("APSCHED_JOB_ID", "burst")
                .env("APSCHED_SCHEDULED_TIME", "2026-11-22T02:47:30+00:00");
        }
        match c.spawn() {
            Ok(child) => children.push(child),
            Err(e) => {
                eprintln!("spawn: {e}");
                break;
            }
        }
    }
    let spawned = t.elapsed().as_secs_f64() * 1e3;
    let cpu = thread_cpu_ms() - cpu0;
    for mut c in children {
        let _ = c.wait();
    }
    Loop {
        spawned,
        reaped: t.elapsed().as_secs_f64() * 1e3,
        cpu,
    }
}

/// One burst of [`BURST_JOBS`] jobs due in the same second.
struct Burst {
    submitted: usize,
    executed: usize,
    errors: usize,
    /// Scheduled second to the first and last `job_submitted`, and to the
    /// last `job_executed`, in ms (1 ms resolution: the log's).
    first: f64,
    last_submitted: f64,
    last_executed: f64,
    /// CPU time of apsched's main thread and of its other threads from just
    /// before the due second until the last run ended, in ms.
    main_cpu: f64,
    other_cpu: f64,
}

fn burst_run(bin: &Path, file: &Path, state: &str) -> Burst {
    let due = Utc::now().timestamp() + BURST_LEAD;
    let second = due.rem_euclid(60);
    let mut text = format!(
        "[scheduler]\ntimezone = \"UTC\"\nstate = \"{state}\"\nmax_workers = {BURST_JOBS}\n\n"
    );
    for i in 0..BURST_JOBS {
        let _ = writeln!(
            text,
            "[jobs.b{i}]\ncommand = [\"true\"]\ncron = \"{second} * * * * *\""
        );
    }
    std::fs::write(file, text).expect("writing a schedule file");
    let mut s = Sched::start(bin, file, &[]);
    s.wait_for(
        "job_added",
        BURST_JOBS,
        Duration::from_secs(BURST_LEAD as u64),
    );
    let due_instant = SystemTime::UNIX_EPOCH + Duration::from_secs(due as u64);
    if let Ok(left) = due_instant.duration_since(SystemTime::now()) {
        thread::sleep(left.saturating_sub(Duration::from_millis(200)));
    }
    let split = |v: Vec<(String, f64)>| {
        let main: f64 = v.iter().filter(|(n, _)| n == "apsched").map(|x| x.1).sum();
        let all: f64 = v.iter().map(|x| x.1).sum();
        (main, all - main)
    };
    let (main0, other0) = split(threads_cpu_ms(s.pid));
    let wait = Duration::from_secs(20);
    s.wait_for("job_executed", BURST_JOBS, wait);
    let (main1, other1) = split(threads_cpu_ms(s.pid));
    s.stop();
    let due_t = DateTime::from_timestamp(due, 0).expect("a time");
    let offsets = |event: &str| -> Vec<f64> {
        sorted(
            s.events(event)
                .iter()
                .filter(|e| time_field(e, "scheduled") == Some(due_t))
                .filter_map(|e| {
                    Some((time_field(e, "time")? - due_t).num_microseconds()? as f64 / 1e3)
                })
                .collect(),
        )
    };
    let submitted = offsets("job_submitted");
    let executed = offsets("job_executed");
    Burst {
        submitted: submitted.len(),
        executed: executed.len(),
        errors: s.events("job_error").len(),
        first: submitted.first().copied().unwrap_or(f64::NAN),
        last_submitted: submitted.last().copied().unwrap_or(f64::NAN),
        last_executed: executed.last().copied().unwrap_or(f64::NAN),
        main_cpu: main1 - main0,
        other_cpu: other1 - other0,
    }
}

fn median(v: &[f64]) -> f64 {
    percentile(&sorted(v.to_vec()), 0.5)
}

fn best(v: &[f64]) -> f64 {
    v.iter().copied().fold(f64::INFINITY, f64::min)
}

fn burst_scenario(bin: &Path, dir: &Path) -> Vec<Row> {
    let file = dir.join("burst.toml");
    // Rounds alternate the plain loops and apsched, so that a change in the
    // machine's load hits both sides alike; the medians are reported.
    let (mut bare, mut bare_reap, mut like, mut sub, mut exec) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut bare_cpu, mut like_cpu, mut main_cpu, mut other_cpu) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut all_ok = true;
    for round in 1..=BURST_ROUNDS {
        let l = spawn_loop(BURST_JOBS, false);
        let k = spawn_loop(BURST_JOBS, true);
        let b = burst_run(bin, &file, ":memory:");
        println!(
            "burst round {round}: Rust loop of {BURST_JOBS} x `true`: last spawn {:.0} ms \
             (spawning thread CPU {:.0} ms), all reaped {:.0} ms; loop spawning like apsched \
             (pipes, process group, env): {:.0} ms (CPU {:.0} ms); apsched: {} submitted, {} \
             executed, {} errors, first job_submitted {:.0} ms, last {:.0} ms, last job_executed \
             {:.0} ms, CPU main thread {:.0} ms, other threads {:.0} ms",
            l.spawned,
            l.cpu,
            l.reaped,
            k.spawned,
            k.cpu,
            b.submitted,
            b.executed,
            b.errors,
            b.first,
            b.last_submitted,
            b.last_executed,
            b.main_cpu,
            b.other_cpu
        );
        all_ok &= b.submitted == BURST_JOBS && b.executed == BURST_JOBS;
        bare.push(l.spawned);
        bare_reap.push(l.reaped);
        bare_cpu.push(l.cpu);
        like.push(k.spawned);
        like_cpu.push(k.cpu);
        sub.push(b.last_submitted);
        exec.push(b.last_executed);
        main_cpu.push(b.main_cpu);
        other_cpu.push(b.other_cpu);
    }
    // The same with a state file, as a real installation has.
    let db = burst_run(bin, &file, "burst.db");
    println!(
        "burst with state = \"burst.db\": {} submitted, first job_submitted {:.0} ms, last {:.0} ms, \
         last job_executed {:.0} ms",
        db.submitted, db.first, db.last_submitted, db.last_executed
    );
    let per_job = |v: &[f64]| median(v) * 1e3 / BURST_JOBS as f64;
    let ratios: Vec<f64> = sub.iter().zip(&bare).map(|(a, b)| a / b).collect();
    // Other work on the machine only ever slows a round down, so the fastest
    // round of each side is the best estimate of its own cost.
    let ratio = best(&sub) / best(&bare);
    let list = |v: &[f64]| {
        v.iter()
            .map(|r| format!("{r:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    vec![
        row(
            "burst, 1000 jobs: to last job_submitted / bare spawn loop",
            format!(
                "best {:.0} ms / {:.0} ms: {ratio:.2}x (per round: {})",
                best(&sub),
                best(&bare),
                list(&ratios)
            ),
            "<= 1.3x",
            Some(all_ok && ratio <= 1.3),
        ),
        row(
            "burst: same, vs a loop spawning like apsched",
            format!(
                "best {:.0} ms / {:.0} ms: {:.2}x",
                best(&sub),
                best(&like),
                best(&sub) / best(&like)
            ),
            "(reference)",
            None,
        ),
        row(
            "burst: to last job_executed / bare loop until all reaped",
            format!(
                "best {:.0} ms / {:.0} ms: {:.2}x",
                best(&exec),
                best(&bare_reap),
                best(&exec) / best(&bare_reap)
            ),
            "(reference)",
            None,
        ),
        row(
            "burst: CPU per job, apsched main thread / other threads",
            format!(
                "{:.0} us / {:.0} us (loops' spawning thread: bare {:.0} us, like apsched {:.0} us)",
                per_job(&main_cpu),
                per_job(&other_cpu),
                per_job(&bare_cpu),
                per_job(&like_cpu)
            ),
            "(reference)",
            None,
        ),
        row(
            "burst with a state file: to last job_submitted",
            format!(
                "{:.0} ms ({:.2}x the best bare loop; first at {:.0} ms)",
                db.last_submitted,
                db.last_submitted / best(&bare),
                db.first
            ),
            "(reference)",
            None,
        ),
    ]
}

// ---------------------------------------------------------------- 4. memory

fn memory_scenario(bin: &Path, dir: &Path) -> Vec<Row> {
    let mut rows = Vec::new();
    let small = dir.join("small.toml");
    far_jobs(&small, SMALL_JOBS);
    let mut s = Sched::start(bin, &small, &[]);
    s.wait_for("job_added", SMALL_JOBS, Duration::from_secs(30));
    thread::sleep(Duration::from_secs(1));
    let (hwm_small, rss_small) = (kb(s.pid, "VmHWM"), kb(s.pid, "VmRSS"));
    s.stop();
    println!("memory: {SMALL_JOBS} jobs: VmHWM {hwm_small} kB, VmRSS {rss_small} kB");
    rows.push(row(
        "memory, 100 jobs: peak RSS (VmHWM)",
        format!(
            "{:.1} MB (RSS {:.1} MB)",
            hwm_small as f64 / 1024.0,
            rss_small as f64 / 1024.0
        ),
        "< 10 MB",
        Some((hwm_small as f64) < 10.0 * 1024.0),
    ));

    let big = dir.join("big.toml");
    far_jobs(&big, BIG_JOBS);
    // Warm the page cache so the first run does not pay for the disk.
    let _ = std::fs::read(&big);
    let mut s = Sched::start(bin, &big, &[]);
    let pid = s.pid;
    let started_at = s.wait_for("scheduler_started", 1, Duration::from_secs(60));
    let added_at = s.wait_for("job_added", BIG_JOBS, Duration::from_secs(120));
    let cpu_at_added = cpu_ns(pid);
    thread::sleep(Duration::from_secs(2));
    let (hwm, rss) = (kb(pid, "VmHWM"), kb(pid, "VmRSS"));
    let usage = s.stop();
    let since = |t: Option<Instant>| t.map_or(f64::NAN, |t| (t - s.spawned).as_secs_f64());
    let startup = since(added_at);
    println!(
        "memory: {BIG_JOBS} jobs: VmHWM {hwm} kB, VmRSS {rss} kB after startup; \
         scheduler_started at {:.3} s, last job_added at {startup:.3} s, CPU by then {:.3} s{}",
        since(started_at),
        cpu_at_added as f64 / 1e9,
        usage.map_or(String::new(), |u| format!(
            ", rusage maxrss {} kB",
            u.max_rss_kb
        ))
    );

    // The same without log lines: until the main thread first sleeps.
    let mut q = Sched::start(bin, &big, &["-q"]);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut quiet = f64::NAN;
    while Instant::now() < deadline {
        thread::sleep(Duration::from_micros(500));
        // The runner's wait is the first time the main thread sleeps with
        // all three threads started.
        if tids(q.pid).len() >= 3 && thread_state(q.pid, q.pid) == Some('S') {
            quiet = q.spawned.elapsed().as_secs_f64();
            break;
        }
    }
    let quiet_cpu = cpu_ns(q.pid) as f64 / 1e9;
    q.stop();
    println!(
        "memory: {BIG_JOBS} jobs with -q: main thread asleep at {quiet:.3} s, CPU {quiet_cpu:.3} s"
    );

    let t = Instant::now();
    // Reaped by `reap` (wait4, for its resource usage), not by `Child::wait`.
    #[allow(clippy::zombie_processes)]
    let check = Command::new(bin)
        .arg("check")
        .arg(&big)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("apsched check");
    let usage = reap(check.id() as i32, Duration::from_secs(120));
    let check_s = t.elapsed().as_secs_f64();
    let (check_rss, check_cpu) = usage.map_or((0, 0.0), |u| (u.max_rss_kb, u.cpu.as_secs_f64()));
    println!(
        "check: {BIG_JOBS} jobs: {check_s:.3} s wall, {check_cpu:.3} s CPU, max RSS {check_rss} kB"
    );

    rows.push(row(
        "memory, 100k jobs: peak RSS (VmHWM)",
        format!(
            "{:.0} MB (RSS after startup {:.0} MB)",
            hwm as f64 / 1024.0,
            rss as f64 / 1024.0
        ),
        "< 100 MB",
        Some((hwm as f64) < 100.0 * 1024.0),
    ));
    rows.push(row(
        "startup, 100k jobs: spawn to last job_added",
        format!("{startup:.2} s (CPU {:.2} s)", cpu_at_added as f64 / 1e9),
        "< 1 s",
        Some(startup < 1.0),
    ));
    rows.push(row(
        "startup, 100k jobs, -q: spawn to first sleep",
        format!("{quiet:.2} s (CPU {quiet_cpu:.2} s)"),
        "(reference)",
        None,
    ));
    rows.push(row(
        "apsched check, 100k jobs",
        format!(
            "{check_s:.2} s, max RSS {:.0} MB",
            check_rss as f64 / 1024.0
        ),
        "(reference)",
        None,
    ));
    rows
}
