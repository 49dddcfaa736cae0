//! Unit tests of the metrics: the renderer and the updates from notices.

// Times here are whole or exact binary fractions: equal means equal.
#![allow(clippy::float_cmp)]

use super::data::Data;
use super::format::{Num, escape, push, push_f64};
use super::histogram::{DURATION, Histogram, START_DELAY};
use super::render::render;
use super::{Metrics, server};
use crate::config::{Job, parse};
use crate::scheduler::notice::RunEnd;
use crate::scheduler::{Notice, Outcome};
use crate::store::RunResult;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

pub(super) fn jobs(ids: &[&str]) -> Vec<std::sync::Arc<Job>> {
    let mut text = String::from("[scheduler]\ntimezone = \"UTC\"\n");
    for id in ids {
        let _ = write!(
            text,
            "[jobs.{id:?}]\ncommand = \"secret --password x\"\ncron = \"*/5 * * * *\"\n"
        );
    }
    parse(Path::new("s.toml"), &text).expect("valid").jobs
}

pub(super) fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("time")
        .with_timezone(&Utc)
}

pub(super) fn utc(text: &str) -> DateTime<Tz> {
    at(text).with_timezone(&Tz::UTC)
}

pub(super) fn data(ids: &[&str]) -> Data {
    Data::new(&jobs(ids), &HashMap::new(), &HashMap::new(), 1_000_000_000)
}

/// The sample lines of `text` whose series starts with `prefix`.
pub(super) fn lines<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.starts_with(prefix)).collect()
}

pub(super) fn ended(
    job: &str,
    record: i64,
    outcome: Outcome,
    result: RunResult,
    secs: i64,
) -> Notice {
    let started = at("2026-01-01T00:00:01Z");
    Notice::Ended(Box::new(RunEnd {
        job: job.into(),
        record,
        scheduled: utc("2026-01-01T00:00:00Z"),
        started,
        ended: started + chrono::Duration::seconds(secs),
        outcome,
        result,
    }))
}

#[test]
fn label_values_are_escaped() {
    let cases = [
        ("plain", "plain"),
        ("a\\b", "a\\\\b"),
        ("say \"hi\"", "say \\\"hi\\\""),
        ("two\nlines", "two\\nlines"),
        ("ünïcode", "ünïcode"),
    ];
    for (value, want) in cases {
        assert_eq!(escape(value), want, "{value:?}");
    }
}

#[test]
fn numbers_keep_full_precision() {
    let cases = [
        (0.0, "0"),
        (1.0, "1"),
        (0.1, "0.1"),
        (1_764_627_200.123_456, "1764627200.123456"),
        (31_535_999.0, "31535999"),
        (1e21, "1000000000000000000000"),
        (f64::NAN, "NaN"),
        (f64::INFINITY, "+Inf"),
        (f64::NEG_INFINITY, "-Inf"),
    ];
    for (value, want) in cases {
        let mut out = String::new();
        push_f64(&mut out, value);
        assert_eq!(out, want);
        if value.is_finite() {
            assert_eq!(out.parse::<f64>().ok(), Some(value), "reads back");
        }
    }
}

#[test]
fn times_and_counts_are_written_exactly() {
    let cases = [
        (Num::Int(0), "0"),
        (Num::Int(31_536_000), "31536000"),
        (Num::Int(u64::MAX), "18446744073709551615"),
        (Num::Micros(0), "0"),
        (Num::Micros(1_764_627_200_000_000), "1764627200"),
        (Num::Micros(1_764_627_200_123_456), "1764627200.123456"),
        (Num::Micros(1_764_627_200_100_000), "1764627200.1"),
        (Num::Micros(1_764_627_200_000_010), "1764627200.00001"),
        (Num::Micros(-1_500_000), "-1.5"),
        (Num::Micros(-500), "-0.0005"),
        (Num::Float(0.25), "0.25"),
    ];
    for (value, want) in cases {
        let mut out = String::from("x ");
        push(&mut out, value);
        assert_eq!(out, format!("x {want}"), "{value:?}");
    }
}

#[test]
fn histogram_buckets_are_cumulative_and_inclusive() {
    let mut h = Histogram::new(&START_DELAY);
    for v in [0.0, 0.001, 0.0011, 0.3, 30.0, 31.0, 1e9] {
        h.observe(v);
    }
    let got: Vec<u64> = h.cumulative().collect();
    // le: 0.001 0.005 0.01 0.05 0.1 0.5 1 5 30 +Inf
    assert_eq!(got, [2, 3, 3, 3, 3, 4, 4, 4, 5, 7]);
    assert_eq!(h.count, 7);
    assert!((h.sum - (0.0021 + 0.3 + 61.0 + 1e9)).abs() < 1e-6);
    assert_eq!(Histogram::new(&DURATION).cumulative().count(), 14);
}

#[test]
fn every_series_of_a_loaded_job_starts_at_zero_without_command_text() {
    let text = render(&data(&["backup", "we\"ird"]));
    let runs = lines(&text, "apsched_job_runs_total{job_name=\"backup\"");
    assert_eq!(
        runs,
        [
            "apsched_job_runs_total{job_name=\"backup\",result=\"success\"} 0",
            "apsched_job_runs_total{job_name=\"backup\",result=\"failure\"} 0",
            "apsched_job_runs_total{job_name=\"backup\",result=\"timeout\"} 0",
            "apsched_job_runs_total{job_name=\"backup\",result=\"interrupted\"} 0",
            "apsched_job_runs_total{job_name=\"backup\",result=\"spawn_error\"} 0",
        ]
    );
    assert_eq!(lines(&text, "apsched_job_missed_runs_total{").len(), 6);
    assert_eq!(
        lines(&text, "apsched_job_info{job_name=\"we\\\"ird\""),
        [
            "apsched_job_info{job_name=\"we\\\"ird\",trigger=\"cron\",schedule=\"*/5 * * * *\",timezone=\"UTC\"} 1"
        ]
    );
    assert_eq!(
        lines(
            &text,
            "apsched_job_run_duration_seconds_bucket{job_name=\"backup\""
        ),
        (DURATION.les.iter().chain(&["+Inf"]))
            .map(|le| format!(
                "apsched_job_run_duration_seconds_bucket{{job_name=\"backup\",le=\"{le}\"}} 0"
            ))
            .collect::<Vec<_>>()
    );
    assert!(!text.contains("secret"), "no command text");
    assert!(!text.contains("{job="), "the label is job_name");
    assert!(
        lines(&text, "apsched_job_last_success").is_empty(),
        "none yet"
    );
    // Every family has its HELP and TYPE, once.
    for family in ["apsched_job_runs_total", "apsched_run_start_delay_seconds"] {
        assert_eq!(text.matches(&format!("# TYPE {family} ")).count(), 1);
        assert_eq!(text.matches(&format!("# HELP {family} ")).count(), 1);
    }
}

#[test]
fn hook_runs_start_every_result_of_an_event_at_zero() {
    let mut d = data(&["a"]);
    d.hook_ran("job_failed", "timeout");
    d.hook_ran("job_failed", "timeout");
    d.hook_ran("job_failed", "bogus");
    let text = render(&d);
    assert_eq!(
        lines(&text, "apsched_hook_runs_total{"),
        [
            "apsched_hook_runs_total{event=\"job_failed\",result=\"dropped\"} 0",
            "apsched_hook_runs_total{event=\"job_failed\",result=\"failure\"} 0",
            "apsched_hook_runs_total{event=\"job_failed\",result=\"success\"} 0",
            "apsched_hook_runs_total{event=\"job_failed\",result=\"timeout\"} 2",
        ]
    );
}

#[test]
fn routes_and_health() {
    let m = Metrics::new(&jobs(&["a"]), &HashMap::new(), &HashMap::new());
    let cases = [
        ("GET", "/metrics", "200 OK"),
        ("GET", "/metrics?x=1", "200 OK"),
        ("HEAD", "/healthz", "200 OK"),
        ("GET", "/", "404 Not Found"),
        ("GET", "/metricsx", "404 Not Found"),
        ("POST", "/metrics", "405 Method Not Allowed"),
        ("", "", "400 Bad Request"),
    ];
    for (method, target, want) in cases {
        assert_eq!(
            server::route(method, target, &m).status,
            want,
            "{method} {target}"
        );
    }
    m.write_result(Some("database or disk is full"));
    let r = server::route("GET", "/healthz", &m);
    assert_eq!(r.status, "503 Service Unavailable");
    assert_eq!(
        r.body.as_deref(),
        Some("state file not writable: database or disk is full\n")
    );
    let metrics = m.render();
    assert!(
        metrics.contains("\napsched_state_write_errors_total 1\n"),
        "{metrics}"
    );
    m.write_result(None);
    assert_eq!(server::route("GET", "/healthz", &m).status, "200 OK");
}

#[test]
fn a_loop_that_has_not_run_for_135_seconds_is_stuck() {
    let m = Metrics::new(&jobs(&["a"]), &HashMap::new(), &HashMap::new());
    let Some(long_ago) = std::time::Instant::now().checked_sub(std::time::Duration::from_secs(136))
    else {
        return; // the machine booted less than that ago
    };
    super::lock(&m.shared.health).alive = long_ago;
    let r = server::route("GET", "/healthz", &m);
    assert_eq!(r.status, "503 Service Unavailable");
    let body = r.body.unwrap_or_default();
    assert!(
        body.starts_with("scheduling loop stuck: it has not run for 136 s"),
        "{body}"
    );
    m.alive();
    assert_eq!(server::route("GET", "/healthz", &m).status, "200 OK");
}

#[test]
fn a_loop_waiting_for_hours_is_not_stuck_and_one_busy_for_135_seconds_is() {
    let m = Metrics::new(&jobs(&["a"]), &HashMap::new(), &HashMap::new());
    let Some(long_ago) = std::time::Instant::now().checked_sub(std::time::Duration::from_secs(136))
    else {
        return; // the machine booted less than that ago
    };
    // Asleep until a run time hours away: nothing wakes it meanwhile.
    m.waiting(true);
    super::lock(&m.shared.health).alive = long_ago;
    assert_eq!(server::route("GET", "/healthz", &m).status, "200 OK");
    // Woken, then busy ever since.
    m.waiting(false);
    super::lock(&m.shared.health).alive = long_ago;
    let r = server::route("GET", "/healthz", &m);
    assert_eq!(r.status, "503 Service Unavailable");
    let body = r.body.unwrap_or_default();
    assert!(body.starts_with("scheduling loop stuck"), "{body}");
}

/// A sink that counts what it is given.
struct Counter(usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// How long rendering 10,000 jobs takes (a figure, not a check: run with
/// `cargo test --release --lib render_speed -- --ignored --nocapture`).
#[test]
#[ignore = "a timing, for release builds"]
fn render_speed() {
    let ids: Vec<String> = (0..10_000).map(|i| format!("job{i}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut d = data(&ids);
    for id in &ids {
        d.tell(&ended(id, 1, Outcome::Exited(0), RunResult::Success, 3), 0);
    }
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..20 {
        let began = std::time::Instant::now();
        let copy = d.clone();
        let copied = began.elapsed();
        let mut sink = Counter(0);
        super::render::write(&copy, &mut sink).expect("counted");
        bytes = sink.0;
        times.push((copied, began.elapsed()));
    }
    times.sort();
    let (copy, total) = times[times.len() / 2];
    println!("10k jobs: {bytes} bytes, copy {copy:?}, copy and render {total:?}");
}
