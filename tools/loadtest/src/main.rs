//! Load test of `apsched run`: an already built release binary, real
//! processes, real clocks. Build the binary first, then run the scenarios:
//!
//! ```sh
//! cargo build --release
//! cargo run --release --manifest-path tools/loadtest/Cargo.toml             # all, about 3 minutes
//! cargo run --release --manifest-path tools/loadtest/Cargo.toml -- burst    # only some
//! ```
//!
//! The binary is `--bin PATH`, else `$APSCHED_BIN`, else
//! `target/release/apsched` of this repository (under `$CARGO_TARGET_DIR`
//! when that is set). `--quick` shrinks every scenario to check that the
//! tool works; its figures are not comparable with BENCHMARKS.md.
//!
//! 1. idle ([`idle`]): 10,000 far-off jobs (`--idle-jobs N` for another
//!    number) watched for 2 minutes: CPU time and wake-ups per minute.
//! 2. latency ([`latency`]): an every-second job for 60 s: when its program
//!    starts, against its scheduled second.
//! 3. burst ([`burst`]): 1,000 `true` jobs due in the same second, against
//!    plain Rust loops spawning 1,000 `true`.
//! 4. memory ([`memory`]): peak RSS with 100 and 100,000 jobs, startup time
//!    with 100,000 jobs, and `apsched check` on them.
//! 5. scrape ([`scrape`]): `GET /metrics` of 10,000 jobs, and an every-second
//!    job's firing while nobody scrapes and while scrapes run back to back.
//!
//! 6. cluster ([`cluster`], only with `--database DSN`): nodes on one
//!    PostgreSQL database: the claim round trip, three nodes with 1,000
//!    every-minute jobs (duplicates, gaps, CPU per node), and the database's
//!    load from three idle nodes with 10,000 jobs.
//!
//! `--run-arg ARG` (repeatable) passes ARG to every `apsched run`, for
//! example `--run-arg --metrics-listen --run-arg 127.0.0.1:0` to measure
//! latency with the metrics endpoint on.
//!
//! The idle scenario runs in the background while the others run one after
//! the other: its process is asleep, so neither disturbs the other. The
//! machine's load average is printed, since other work on a shared machine
//! moves the latencies.

mod burst;
mod cluster;
mod idle;
mod latency;
mod memory;
mod procfs;
mod report;
mod sched;
mod schedule;
mod scrape;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use report::Row;

const USAGE: &str = "usage: loadtest [--bin PATH] [--quick] [--idle-jobs N] [--run-arg ARG]... [--hooks] [--database DSN] [idle] [latency] [burst] [memory] [scrape] [cluster]
  Runs the named scenarios (all when none is named) against the apsched
  binary: --bin PATH, else $APSCHED_BIN, else target/release/apsched of the
  repository (build it first with `cargo build --release`).
  --quick  small sizes and short runs, to check the tool works
  --idle-jobs N  jobs of the idle scenario (10,000 unless --quick), e.g. 100000
  --run-arg ARG  pass ARG to every `apsched run` (repeat for more)
  --hooks  give the latency job an on_start and an on_finish hook (`true`)
  --database DSN  a PostgreSQL database for the cluster scenario (it runs only with one)";

/// The scenario names, in the order they run.
const SCENARIOS: [&str; 6] = ["idle", "latency", "burst", "memory", "scrape", "cluster"];

/// How big and how long each scenario is.
#[derive(Clone, Copy)]
pub struct Sizes {
    /// Jobs of the idle scheduler, how long it settles and is watched.
    pub idle_jobs: usize,
    pub idle_settle: Duration,
    pub idle_watch: Duration,
    /// How long each every-second job runs, and exec-overhead samples.
    pub latency_run: Duration,
    pub exec_samples: usize,
    /// Jobs of one burst, and rounds against the spawn loops.
    pub burst_jobs: usize,
    pub burst_rounds: usize,
    /// Jobs of the small and the big memory runs.
    pub small_jobs: usize,
    pub big_jobs: usize,
    /// Jobs of the scrape scenario, scrapes timed, and how long the firing
    /// is watched without and with scraping.
    pub scrape_jobs: usize,
    pub scrapes: usize,
    pub scrape_watch: Duration,
}

impl Sizes {
    /// The sizes of the figures in BENCHMARKS.md.
    fn full() -> Sizes {
        Sizes {
            idle_jobs: 10_000,
            idle_settle: Duration::from_secs(5),
            idle_watch: Duration::from_secs(120),
            latency_run: Duration::from_secs(60),
            exec_samples: 200,
            burst_jobs: 1_000,
            burst_rounds: 5,
            small_jobs: 100,
            big_jobs: 100_000,
            scrape_jobs: 10_000,
            scrapes: 100,
            scrape_watch: Duration::from_secs(30),
        }
    }

    /// A smoke test of the tool itself: under a minute in all.
    fn quick() -> Sizes {
        Sizes {
            idle_jobs: 1_000,
            idle_settle: Duration::from_secs(2),
            idle_watch: Duration::from_secs(10),
            latency_run: Duration::from_secs(5),
            exec_samples: 20,
            burst_jobs: 100,
            burst_rounds: 1,
            small_jobs: 100,
            big_jobs: 10_000,
            scrape_jobs: 1_000,
            scrapes: 10,
            scrape_watch: Duration::from_secs(5),
        }
    }
}

/// What the command line asked for.
struct Options {
    bin: Option<PathBuf>,
    quick: bool,
    /// Passed to every `apsched run`.
    run_args: Vec<String>,
    /// The latency job has hooks.
    hooks: bool,
    /// The database of the cluster scenario.
    database: Option<String>,
    /// Scenario names; empty for all.
    scenarios: Vec<String>,
    /// Jobs of the idle scenario, instead of its size's.
    idle_jobs: Option<usize>,
}

fn parse_args(args: Vec<String>) -> Result<Options, String> {
    let mut opts = Options {
        bin: None,
        quick: false,
        run_args: Vec::new(),
        hooks: false,
        database: None,
        scenarios: Vec::new(),
        idle_jobs: None,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bin" => {
                let path = args.next().ok_or("--bin needs a path")?;
                opts.bin = Some(PathBuf::from(path));
            }
            "--quick" => opts.quick = true,
            "--idle-jobs" => {
                let n = args.next().ok_or("--idle-jobs needs a number")?;
                let n = n
                    .parse()
                    .map_err(|_| format!("--idle-jobs: `{n}` is not a number of jobs"))?;
                opts.idle_jobs = Some(n);
            }
            "--hooks" => opts.hooks = true,
            "--database" => {
                opts.database = Some(args.next().ok_or("--database needs a connection string")?);
            }
            "--run-arg" => {
                let arg = args.next().ok_or("--run-arg needs an argument")?;
                opts.run_args.push(arg);
            }
            "-h" | "--help" => return Err(String::new()),
            name if SCENARIOS.contains(&name) => opts.scenarios.push(arg),
            _ => match arg.strip_prefix("--bin=") {
                Some(path) => opts.bin = Some(PathBuf::from(path)),
                None => return Err(format!("unknown argument `{arg}`")),
            },
        }
    }
    Ok(opts)
}

/// `target/release/apsched` of this repository, or of `$CARGO_TARGET_DIR`.
fn default_binary() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap_or(root);
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    target.join("release").join("apsched")
}

/// The binary to test: `given`, else `$APSCHED_BIN`, else [`default_binary`].
fn apsched_binary(given: Option<PathBuf>) -> Result<PathBuf, String> {
    let path = given
        .or_else(|| std::env::var_os("APSCHED_BIN").map(PathBuf::from))
        .unwrap_or_else(default_binary);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "no apsched binary at {}: build it first with `cargo build --release` at the \
             repository root, or name it with --bin PATH or APSCHED_BIN",
            path.display()
        ))
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(latency::RECORD_FLAG) {
        latency::record();
        return ExitCode::SUCCESS;
    }
    let opts = match parse_args(args) {
        Ok(opts) => opts,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("loadtest: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    sched::set_run_args(opts.run_args);
    latency::set_hooks(opts.hooks);
    let bin = match apsched_binary(opts.bin) {
        Ok(bin) => bin,
        Err(e) => {
            eprintln!("loadtest: {e}");
            return ExitCode::from(2);
        }
    };
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("loadtest: cannot make a temporary directory: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut sizes = if opts.quick {
        Sizes::quick()
    } else {
        Sizes::full()
    };
    if let Some(n) = opts.idle_jobs {
        sizes.idle_jobs = n;
    }
    let on = |name: &str| opts.scenarios.is_empty() || opts.scenarios.iter().any(|s| s == name);
    run(
        &bin,
        dir.path(),
        sizes,
        opts.quick,
        opts.database.as_deref(),
        &on,
    );
    ExitCode::SUCCESS
}

/// Runs the scenarios `on` accepts and prints their table.
fn run(
    bin: &Path,
    dir: &Path,
    sizes: Sizes,
    quick: bool,
    database: Option<&str>,
    on: &dyn Fn(&str) -> bool,
) {
    println!("apsched run benchmarks");
    println!("binary: {}", bin.display());
    if quick {
        println!("quick run: reduced sizes, figures not comparable with BENCHMARKS.md");
    }
    println!("machine: {} CPUs, {}", procfs::cpus(), procfs::cpu_model());
    println!("load average at start: {}", procfs::loadavg());
    let started = Instant::now();
    let mut rows: Vec<Row> = Vec::new();

    let idle = on("idle").then(|| {
        let (settled_tx, settled_rx) = mpsc::channel();
        let bin = bin.to_path_buf();
        let file = dir.join("idle.toml");
        let handle = thread::spawn(move || idle::scenario(&bin, &file, sizes, &settled_tx));
        // The others start once the idle scheduler has loaded its jobs and
        // gone to sleep, so its startup does not disturb them.
        let _ = settled_rx.recv_timeout(Duration::from_secs(120));
        handle
    });
    if on("latency") {
        rows.extend(latency::scenario(bin, dir, sizes));
    }
    if on("burst") {
        rows.extend(burst::scenario(bin, dir, sizes));
    }
    if on("memory") {
        rows.extend(memory::scenario(bin, dir, sizes));
    }
    if on("scrape") {
        rows.extend(scrape::scenario(bin, dir, sizes));
    }
    match database {
        Some(dsn) if on("cluster") => rows.extend(cluster::scenario(bin, dir, dsn, sizes)),
        None if on("cluster") => println!("cluster: skipped (give --database DSN)"),
        _ => {}
    }
    if let Some(handle) = idle {
        match handle.join() {
            Ok(idle_rows) => drop(rows.splice(0..0, idle_rows)),
            Err(_) => eprintln!("idle: the scenario failed"),
        }
    }
    println!();
    println!("load average at end: {}", procfs::loadavg());
    println!("total time: {:.0} s", started.elapsed().as_secs_f64());
    println!();
    report::print_table(&rows);
}
