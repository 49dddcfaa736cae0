//! The Prometheus text format 0.0.4 of a copy of the metrics: pure, run by
//! the server thread outside the lock.

use super::data::{Data, JobData, RESULTS};
use super::format::{escape, push_f64, push_u64};
use super::histogram::Histogram;
use crate::scheduler::Miss;

/// The version and commit `apsched_build_info` shows; the commit is
/// `APSCHED_COMMIT` at build time, else `unknown`.
const VERSION: &str = env!("CARGO_PKG_VERSION");
const COMMIT: &str = match option_env!("APSCHED_COMMIT") {
    Some(c) => c,
    None => "unknown",
};

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
fn sample(out: &mut String, name: &str, labels: &str, value: f64) {
    out.push_str(name);
    if !labels.is_empty() {
        out.push('{');
        out.push_str(labels);
        out.push('}');
    }
    out.push(' ');
    push_f64(out, value);
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
    for (le, total) in les.zip(h.cumulative()) {
        for part in [name, "_bucket{", labels, sep, "le=\"", le, "\"} "] {
            out.push_str(part);
        }
        push_u64(out, total);
        out.push('\n');
    }
    sample(out, &format!("{name}_sum"), labels, h.sum);
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
type Gauge = (&'static str, &'static str, fn(&JobData) -> Option<f64>);

/// The per-job gauges, in the order shown.
const GAUGES: [Gauge; 6] = [
    (
        "apsched_job_running",
        "Runs of the job in progress.",
        running,
    ),
    (
        "apsched_job_paused",
        "1 if the job is paused, else 0.",
        |j| Some(if j.paused { 1.0 } else { 0.0 }),
    ),
    (
        "apsched_job_next_run_timestamp_seconds",
        "The job's next scheduled run time (absent when its trigger is finished).",
        |j| j.next_run,
    ),
    (
        "apsched_job_last_run_timestamp_seconds",
        "When the job's last run started.",
        |j| j.last_run,
    ),
    (
        "apsched_job_last_success_timestamp_seconds",
        "When the job's last successful run ended.",
        |j| j.last_success,
    ),
    (
        "apsched_job_last_failure_timestamp_seconds",
        "When the job's last failed or timed-out run ended.",
        |j| j.last_failure,
    ),
];

// Counts of runs in progress are far below 2^53.
#[allow(clippy::cast_precision_loss, clippy::unnecessary_wraps)]
fn running(j: &JobData) -> Option<f64> {
    Some(j.running.len() as f64)
}

/// The whole exposition.
pub(super) fn render(data: &Data) -> String {
    let mut out = String::with_capacity(4096 + data.jobs.len() * 2600);
    jobs(&mut out, data);
    for (name, help, value) in GAUGES {
        head(&mut out, name, "gauge", help);
        for job in data.jobs.values() {
            if let Some(v) = value(job) {
                sample(&mut out, name, &job.label, v);
            }
        }
    }
    let name = "apsched_job_run_duration_seconds";
    head(&mut out, name, "histogram", "How long the job's runs took.");
    for job in data.jobs.values() {
        histogram(&mut out, name, &job.label, &job.duration);
    }
    scheduler(&mut out, data);
    out
}

/// Build and job information, and the counters of every job.
fn jobs(o: &mut String, data: &Data) {
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
    sample(o, name, &build, 1.0);
    let name = "apsched_job_info";
    let help = "One series per configured job, with its trigger; always 1.";
    head(o, name, "gauge", help);
    for job in data.jobs.values() {
        sample(o, name, &job.info, 1.0);
    }
    let name = "apsched_job_runs_total";
    let help = "Finished runs by result: success, failure, timeout, interrupted, spawn_error.";
    head(o, name, "counter", help);
    for job in data.jobs.values() {
        for (result, n) in RESULTS.iter().zip(job.runs) {
            count(o, name, &job.label, "result", result, n);
        }
    }
    let name = "apsched_job_missed_runs_total";
    let help = "Scheduled slots not run, by reason: misfire, overlap, coalesced.";
    head(o, name, "counter", help);
    for job in data.jobs.values() {
        for (reason, n) in Miss::ALL.iter().zip(job.missed) {
            count(o, name, &job.label, "reason", reason.as_str(), n);
        }
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
    sample(o, name, "", if data.reload_ok { 1.0 } else { 0.0 });
    let name = "apsched_config_last_reload_success_timestamp_seconds";
    let help = "When the schedule file was last loaded successfully (or apsched started).";
    head(o, name, "gauge", help);
    sample(o, name, "", data.reload_at);
    let name = "apsched_state_write_errors_total";
    head(o, name, "counter", "State file writes that failed.");
    o.push_str(name);
    o.push(' ');
    push_u64(o, data.write_errors);
    o.push('\n');
    let name = "apsched_hook_runs_total";
    let help = "Hook runs by event and result: success, failure, timeout, dropped.";
    head(o, name, "counter", help);
    for ((event, result), n) in &data.hooks {
        let labels = format!("event=\"{}\"", escape(event));
        count(o, name, &labels, "result", result, *n);
    }
}
