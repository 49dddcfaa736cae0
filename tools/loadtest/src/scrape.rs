//! Scenario 5, scrape: 10,000 jobs and `--metrics-listen 127.0.0.1:0`. How
//! long a whole `GET /metrics` takes (connect to last byte), and whether
//! scraping without pause delays the firing of an every-second job: its
//! `job_submitted` lateness while nobody scrapes, then while a thread
//! scrapes back to back.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use chrono::{Timelike, Utc};

use crate::Sizes;
use crate::report::{Row, count, ms, percentile, row, sorted};
use crate::sched::{Sched, time_field};
use crate::schedule::schedule_file;

/// One `GET /metrics`: the bytes of the response.
fn scrape(addr: &str) -> std::io::Result<usize> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    s.write_all(b"GET /metrics HTTP/1.0\r\n\r\n")?;
    let mut body = Vec::with_capacity(1 << 20);
    s.read_to_end(&mut body)?;
    Ok(body.len())
}

/// The every-second job's `job_submitted` lateness in ms (1 ms resolution)
/// for the runs scheduled in `from..to` (Unix seconds).
fn lateness(s: &Sched, from: i64, to: i64) -> Vec<f64> {
    let v = s.events("job_submitted").into_iter().filter_map(|e| {
        if e.get("job")?.as_str()? != "tick" {
            return None;
        }
        let at = time_field(&e, "time")?;
        let sched = time_field(&e, "scheduled")?;
        let t = sched.timestamp();
        (from..to)
            .contains(&t)
            .then(|| (at - sched).num_microseconds().map(|us| us as f64 / 1e3))?
    });
    sorted(v.collect())
}

pub fn scenario(bin: &Path, dir: &Path, sizes: Sizes) -> Vec<Row> {
    let n = sizes.scrape_jobs;
    let file = dir.join("scrape.toml");
    let hour = (Utc::now().hour() + 12) % 24;
    let far =
        (0..n).map(|i| format!("[jobs.j{i}]\ncommand = [\"true\"]\ncron = \"0 {hour} * * *\"\n"));
    let tick = "[jobs.tick]\ncommand = [\"true\"]\ncron = \"* * * * * *\"\n".to_string();
    schedule_file(&file, 10, far.chain(std::iter::once(tick)));
    let mut s = Sched::start(bin, &file, &["--metrics-listen", "127.0.0.1:0"]);
    if s.wait_for("metrics_listening", 1, Duration::from_secs(120))
        .is_none()
    {
        eprintln!("scrape: no metrics_listening line");
        return Vec::new();
    }
    let addr = s
        .events("metrics_listening")
        .first()
        .and_then(|e| e.get("addr").and_then(|a| a.as_str()).map(str::to_string));
    let Some(addr) = addr else {
        eprintln!("scrape: no address in the metrics_listening line");
        return Vec::new();
    };
    s.wait_for("scheduler_started", 1, Duration::from_secs(120));
    thread::sleep(Duration::from_secs(1));
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..sizes.scrapes {
        let began = Instant::now();
        match scrape(&addr) {
            Ok(b) => bytes = b,
            Err(e) => {
                eprintln!("scrape: {e}");
                break;
            }
        }
        times.push(began.elapsed().as_secs_f64() * 1e3);
    }
    let times = sorted(times);
    // Lateness with nobody scraping, then while scraping back to back.
    let quiet_from = Utc::now().timestamp() + 1;
    thread::sleep(sizes.scrape_watch);
    let busy_from = Utc::now().timestamp() + 1;
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicUsize::new(0));
    let scraper = {
        let (stop, done, addr) = (Arc::clone(&stop), Arc::clone(&done), addr.clone());
        thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if scrape(&addr).is_ok() {
                    done.fetch_add(1, Ordering::Relaxed);
                }
            }
        })
    };
    thread::sleep(sizes.scrape_watch);
    let busy_to = Utc::now().timestamp();
    stop.store(true, Ordering::Relaxed);
    let _ = scraper.join();
    s.stop();
    let quiet = lateness(&s, quiet_from, busy_from);
    let busy = lateness(&s, busy_from, busy_to);
    let scraped = done.load(Ordering::Relaxed);
    println!(
        "scrape of {n} jobs ({bytes} bytes): n={} median {:.2} ms p99 {:.2} ms max {:.2} ms",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or(f64::NAN)
    );
    let show = |name: &str, v: &[f64]| {
        println!(
            "{name}: n={} median {:.3} ms p99 {:.3} ms max {:.3} ms",
            v.len(),
            percentile(v, 0.5),
            percentile(v, 0.99),
            v.last().copied().unwrap_or(f64::NAN)
        );
    };
    show(
        "every-second job_submitted lateness, nobody scraping",
        &quiet,
    );
    show(
        &format!("  while scraping back to back ({scraped} scrapes)"),
        &busy,
    );
    let med = percentile(&times, 0.5);
    vec![
        row(
            &format!("scrape /metrics, {} jobs: median / p99", count(n)),
            format!(
                "{} / {} ({} KB)",
                ms(med),
                ms(percentile(&times, 0.99)),
                bytes / 1024
            ),
            "< 50 ms",
            Some(med < 50.0),
        ),
        row(
            "job_submitted lateness, idle / scraping: median",
            format!(
                "{} / {}",
                ms(percentile(&quiet, 0.5)),
                ms(percentile(&busy, 0.5))
            ),
            "within 1 ms",
            Some((percentile(&busy, 0.5) - percentile(&quiet, 0.5)).abs() <= 1.0),
        ),
    ]
}
