//! The Prometheus text format 0.0.4 of a copy of the metrics, run by the
//! server thread outside the lock. It is written in chunks as it is made,
//! so a scrape of many jobs needs no buffer of its size, and formatting and
//! sending overlap.

use super::data::{Data, RESULTS};
use super::format::{Num, escape, push, push_u64};
use super::histogram::Histogram;
use super::rows::{Row, Rows};
use crate::scheduler::Miss;

/// The version and commit `apsched_build_info` shows; the commit is
/// `APSCHED_COMMIT` at build time, else `unknown`.
const VERSION: &str = env!("CARGO_PKG_VERSION");
const COMMIT: &str = match option_env!("APSCHED_COMMIT") {
    Some(c) => c,
    None => "unknown",
};

/// How much is written to the sink at a time.
const CHUNK: usize = 128 * 1024;

/// Where the exposition goes: a buffer handed to `sink` in chunks.
struct Out<'a> {
    buf: String,
    sink: &'a mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

impl Out<'_> {
    /// Hands over the buffer once it holds a chunk.
    fn spill(&mut self) {
        if self.buf.len() >= CHUNK {
            self.flush();
        }
    }

    /// Hands over what the buffer holds; after an error, drops it.
    fn flush(&mut self) {
        if self.error.is_none()
            && let Err(e) = self.sink.write_all(self.buf.as_bytes())
        {
            self.error = Some(e);
        }
        self.buf.clear();
    }
}

/// `# HELP` and `# TYPE` of a family.
fn head(out: &mut String, name: &str, kind: &str, help: &str) {
    for part in [
        "# HELP ",
        name,
        " ",
        help,
        "\n# TYPE ",
        name,
        " ",
        kind,
        "\n",
    ] {
        out.push_str(part);
    }
}

/// One sample: `name{labels} value`.
fn sample(out: &mut String, name: &str, labels: &str, value: Num) {
    out.push_str(name);
    if !labels.is_empty() {
        out.push('{');
        out.push_str(labels);
        out.push('}');
    }
    out.push(' ');
    push(out, value);
    out.push('\n');
}

/// One counter sample with an extra label after the job's.
fn count(out: &mut String, name: &str, job: &str, key: &str, label: &str, value: u64) {
    for part in [name, "{", job, ",", key, "=\"", label, "\"} "] {
        out.push_str(part);
    }
    push_u64(out, value);
    out.push('\n');
}

/// A histogram's `_bucket`, `_sum` and `_count` samples; `labels` may be
/// empty.
fn histogram(out: &mut String, name: &str, labels: &str, h: &Histogram) {
    let sep = if labels.is_empty() { "" } else { "," };
    let les = h.buckets.les.iter().copied().chain(["+Inf"]);
    // Each line's start up to its `le` value, written once.
    let at = out.len();
    for part in [name, "_bucket{", labels, sep, "le=\""] {
        out.push_str(part);
    }
    let start = at..out.len();
    for (i, (le, total)) in les.zip(h.cumulative()).enumerate() {
        if i > 0 {
            out.extend_from_within(start.clone());
        }
        for part in [le, "\"} "] {
            out.push_str(part);
        }
        push_u64(out, total);
        out.push('\n');
    }
    for part in [name, "_sum"] {
        out.push_str(part);
    }
    if !labels.is_empty() {
        for part in ["{", labels, "}"] {
            out.push_str(part);
        }
    }
    out.push(' ');
    push(out, Num::Float(h.sum));
    out.push('\n');
    for part in [name, "_count"] {
        out.push_str(part);
    }
    if !labels.is_empty() {
        for part in ["{", labels, "}"] {
            out.push_str(part);
        }
    }
    out.push(' ');
    push_u64(out, h.count);
    out.push('\n');
}

/// A per-job gauge: name, help, value (none: no sample).
type Gauge = (&'static str, &'static str, fn(&Row) -> Option<Num>);

/// The per-job gauges, in the order shown.
const GAUGES: [Gauge; 6] = [
    ("apsched_job_running", "Runs of the job in progress.", |j| {
        Some(Num::Int(j.running))
    }),
    (
        "apsched_job_paused",
        "1 if the job is paused, else 0.",
        |j| Some(Num::Int(u64::from(j.paused))),
    ),
    (
        "apsched_job_next_run_timestamp_seconds",
        "The job's next scheduled run time (absent when its trigger is finished).",
        |j| j.next_run.map(Num::Micros),
    ),
    (
        "apsched_job_last_run_timestamp_seconds",
        "When the job's last run started.",
        |j| j.last_run.map(Num::Micros),
    ),
    (
        "apsched_job_last_success_timestamp_seconds",
        "When the job's last successful run ended.",
        |j| j.last_success.map(Num::Micros),
    ),
    (
        "apsched_job_last_failure_timestamp_seconds",
        "When the job's last failed or timed-out run ended.",
        |j| j.last_failure.map(Num::Micros),
    ),
];

/// Writes the whole exposition to `sink`.
pub(super) fn write(data: &Data, sink: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = Out {
        buf: String::with_capacity(CHUNK + 8192),
        sink,
        error: None,
    };
    let o = &mut out;
    let rows = Rows::new(data.jobs.values().map(|j| &**j));
    jobs(o, &rows);
    for (name, help, value) in GAUGES {
        head(&mut o.buf, name, "gauge", help);
        for job in &rows.rows {
            if let Some(v) = value(job) {
                sample(&mut o.buf, name, rows.label(job), v);
            }
            o.spill();
        }
    }
    let name = "apsched_job_run_duration_seconds";
    head(
        &mut o.buf,
        name,
        "histogram",
        "How long the job's runs took.",
    );
    for job in &rows.rows {
        histogram(&mut o.buf, name, rows.label(job), &job.duration);
        o.spill();
    }
    scheduler(&mut o.buf, data);
    o.flush();
    out.error.map_or(Ok(()), Err)
}

/// The whole exposition as text.
#[cfg(test)]
pub(super) fn render(data: &Data) -> String {
    let mut bytes = Vec::new();
    write(data, &mut bytes).expect("a Vec takes every byte");
    String::from_utf8(bytes).expect("UTF-8")
}

/// Build and job information, and the counters of every job.
fn jobs(out: &mut Out<'_>, rows: &Rows) {
    let o = &mut out.buf;
    let name = "apsched_build_info";
    head(
        o,
        name,
        "gauge",
        "The apsched version and commit; always 1.",
    );
    let build = format!(
        "version=\"{}\",commit=\"{}\"",
        escape(VERSION),
        escape(COMMIT)
    );
    sample(o, name, &build, Num::Int(1));
    let name = "apsched_job_info";
    let help = "One series per configured job, with its trigger; always 1.";
    head(o, name, "gauge", help);
    for job in &rows.rows {
        sample(&mut out.buf, name, rows.info(job), Num::Int(1));
        out.spill();
    }
    let o = &mut out.buf;
    let name = "apsched_job_runs_total";
    let help = "Finished runs by result: success, failure, timeout, interrupted, spawn_error.";
    head(o, name, "counter", help);
    for job in &rows.rows {
        for (result, n) in RESULTS.iter().zip(job.runs) {
            count(&mut out.buf, name, rows.label(job), "result", result, n);
        }
        out.spill();
    }
    let o = &mut out.buf;
    let name = "apsched_job_missed_runs_total";
    let help = "Scheduled slots not run, by reason: misfire, overlap, coalesced.";
    head(o, name, "counter", help);
    for job in &rows.rows {
        for (reason, n) in Miss::ALL.iter().zip(job.missed) {
            count(
                &mut out.buf,
                name,
                rows.label(job),
                "reason",
                reason.as_str(),
                n,
            );
        }
        out.spill();
    }
}

/// The scheduler's own families.
fn scheduler(o: &mut String, data: &Data) {
    let name = "apsched_run_start_delay_seconds";
    let help = "How late runs started: process start minus scheduled time (jitter included).";
    head(o, name, "histogram", help);
    histogram(o, name, "", &data.start_delay);
    let name = "apsched_config_last_reload_successful";
    let help = "1 if the last reload of the schedule file succeeded, else 0.";
    head(o, name, "gauge", help);
    sample(o, name, "", Num::Int(u64::from(data.reload_ok)));
    let name = "apsched_config_last_reload_success_timestamp_seconds";
    let help = "When the schedule file was last loaded successfully (or apsched started).";
    head(o, name, "gauge", help);
    sample(o, name, "", Num::Micros(data.reload_at));
    let name = "apsched_state_write_errors_total";
    head(o, name, "counter", "State file writes that failed.");
    sample(o, name, "", Num::Int(data.write_errors));
    let name = "apsched_hook_runs_total";
    let help = "Hook runs by event and result: success, failure, timeout, dropped.";
    head(o, name, "counter", help);
    for ((event, result), n) in &data.hooks {
        let labels = format!("event=\"{}\"", escape(event));
        count(o, name, &labels, "result", result, *n);
    }
}
