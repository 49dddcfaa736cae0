//! Next-fire-time benchmarks: apsched against the `croner` and `cron` crates.
//!
//! For each schedule and zone (UTC and Europe/Berlin) every engine computes up
//! to 1000 successive fire times strictly after 2025-01-01T00:00:00Z. Parsing
//! happens once, outside the timed closure. Each benchmark's throughput is the
//! number of fire times that engine actually produced, so criterion's
//! "thrpt" line reads as fire times per second and "time / elements" is the
//! cost per fire time. The engines stop at different years (apsched 9999,
//! croner 5000, cron 2100), which matters only for `0 0 29 2 *`.
//!
//! A second group times `next_after` on expressions that can never fire
//! (`0 0 30 2 *`, `0 0 31 4 *`). Other engines are included there only if a
//! probe run answers within a second; otherwise they are skipped with a note.
//! (The probes run even when a name filter excludes those benchmarks.)
//!
//! Run with `cargo bench --bench next_fire`.

use apsched::cron::CronSchedule;
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::str::FromStr;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// How many fire times each run asks for.
const FIRES: usize = 1000;

/// A schedule in each engine's own syntax; `None` where it cannot be written.
struct Case {
    apsched: &'static str,
    croner: Option<&'static str>,
    cron: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        apsched: "*/5 * * * *",
        croner: Some("*/5 * * * *"),
        cron: Some("0 */5 * * * *"),
    },
    Case {
        apsched: "0 9 * * mon-fri",
        croner: Some("0 9 * * MON-FRI"),
        cron: Some("0 0 9 * * Mon-Fri"),
    },
    Case {
        apsched: "0 0 29 2 *",
        croner: Some("0 0 29 2 *"),
        cron: Some("0 0 0 29 2 *"),
    },
    Case {
        apsched: "0 0 L * *",
        croner: Some("0 0 L * *"),
        // cron 0.17 has no `L` (last day of month).
        cron: None,
    },
    Case {
        apsched: "30 2 * * *",
        croner: Some("30 2 * * *"),
        cron: Some("0 30 2 * * *"),
    },
    Case {
        apsched: "*/5 * * * * *",
        croner: Some("*/5 * * * * *"),
        cron: Some("*/5 * * * * *"),
    },
];

/// Impossible expressions: apsched, croner and cron syntax.
const IMPOSSIBLE: &[(&str, &str, &str)] = &[
    ("0 0 30 2 *", "0 0 30 2 *", "0 0 0 30 2 *"),
    ("0 0 31 4 *", "0 0 31 4 *", "0 0 0 31 4 *"),
];

fn zones() -> [(&'static str, Tz); 2] {
    [
        ("UTC", chrono_tz::UTC),
        ("Europe/Berlin", chrono_tz::Europe::Berlin),
    ]
}

fn start_in(tz: Tz) -> DateTime<Tz> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .unwrap()
        .with_timezone(&tz)
}

/// Drains an iterator of fire times, keeping every item observable.
// The measured loop: inlining is forced so the bench times the engine, not a call.
#[allow(clippy::inline_always)]
#[inline(always)]
fn drain<I: Iterator<Item = DateTime<Tz>>>(fires: I) -> usize {
    let mut n = 0;
    for t in fires {
        black_box(t);
        n += 1;
    }
    n
}

fn parse_croner(text: &str) -> croner::Cron {
    croner::Cron::from_str(text).unwrap_or_else(|e| panic!("croner rejects {text:?}: {e}"))
}

fn parse_cron(text: &str) -> cron::Schedule {
    cron::Schedule::from_str(text).unwrap_or_else(|e| panic!("cron rejects {text:?}: {e}"))
}

fn bench_fire_times(c: &mut Criterion) {
    for (zone_name, tz) in zones() {
        let start = start_in(tz);
        for case in CASES {
            let mut group = c.benchmark_group(format!("next_1000/{}/{zone_name}", case.apsched));

            let ours: CronSchedule = case.apsched.parse().expect("apsched parses");
            let n = ours.iter_after(&start).take(FIRES).count();
            group.throughput(Throughput::Elements(n as u64));
            group.bench_function(BenchmarkId::new("apsched", n), |b| {
                b.iter(|| drain(ours.iter_after(black_box(&start)).take(FIRES)));
            });

            if let Some(text) = case.croner {
                let cron = parse_croner(text);
                let n = cron.iter_after(start).take(FIRES).count();
                if n > 0 {
                    group.throughput(Throughput::Elements(n as u64));
                    group.bench_function(BenchmarkId::new("croner", n), |b| {
                        b.iter(|| drain(cron.iter_after(black_box(start)).take(FIRES)));
                    });
                }
            } else {
                eprintln!("note: croner cannot express {:?}; skipped", case.apsched);
            }

            if let Some(text) = case.cron {
                let schedule = parse_cron(text);
                let n = schedule.after(&start).take(FIRES).count();
                if n > 0 {
                    group.throughput(Throughput::Elements(n as u64));
                    group.bench_function(BenchmarkId::new("cron", n), |b| {
                        b.iter(|| drain(schedule.after(black_box(&start)).take(FIRES)));
                    });
                }
            } else {
                eprintln!("note: cron 0.17 cannot express {:?}; skipped", case.apsched);
            }

            group.finish();
        }
    }
}

/// Runs `probe` on another thread and reports whether it finished within
/// `limit`. A probe that overruns is left behind; it dies with the process.
fn finishes_within<F: FnOnce() -> bool + Send + 'static>(limit: Duration, probe: F) -> bool {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let started = Instant::now();
        let none = probe();
        let _ = tx.send((none, started.elapsed()));
    });
    match rx.recv_timeout(limit) {
        Ok((true, _)) => true,
        Ok((false, _)) => {
            eprintln!("note: probe found a fire time for an impossible expression");
            false
        }
        Err(_) => false,
    }
}

fn bench_impossible(c: &mut Criterion) {
    let limit = Duration::from_secs(1);
    for (zone_name, tz) in zones() {
        let start = start_in(tz);
        for &(ours_text, croner_text, cron_text) in IMPOSSIBLE {
            let mut group = c.benchmark_group(format!("impossible/{ours_text}/{zone_name}"));

            let ours: CronSchedule = ours_text.parse().expect("apsched parses");
            assert_eq!(ours.next_after(&start), None);
            group.bench_function("apsched", |b| b.iter(|| ours.next_after(black_box(&start))));

            let croner_cron = parse_croner(croner_text);
            let probe = croner_cron.clone();
            if finishes_within(limit, move || {
                probe.find_next_occurrence(&start, false).is_err()
            }) {
                group.bench_function("croner", |b| {
                    b.iter(|| croner_cron.find_next_occurrence(black_box(&start), false));
                });
            } else {
                eprintln!(
                    "note: croner needs over {limit:?} to give up on {croner_text:?} ({zone_name}); skipped"
                );
            }

            let schedule = parse_cron(cron_text);
            let probe = schedule.clone();
            if finishes_within(limit, move || probe.after(&start).next().is_none()) {
                group.bench_function("cron", |b| {
                    b.iter(|| schedule.after(black_box(&start)).next());
                });
            } else {
                eprintln!(
                    "note: cron needs over {limit:?} to give up on {cron_text:?} ({zone_name}); skipped"
                );
            }

            group.finish();
        }
    }
}

fn config() -> Criterion {
    Criterion::default()
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500))
        .sample_size(20)
        // SVG plots take longer than the measurements on a small machine.
        .without_plots()
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_fire_times, bench_impossible
}
criterion_main!(benches);
