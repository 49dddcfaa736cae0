//! Field-style cron triggers checked against APScheduler 3.11 itself.
//!
//! `tests/apscheduler/generate.py` evaluates several hundred random
//! `CronTrigger(**fields, timezone=zone)` with APScheduler and writes
//! `tests/apscheduler/cases.json`: the fields, the zone, a start instant, a
//! count and the next fire times strictly after the start.  Each case is run
//! through the real binary (`apsched list FILE --at AT --count N --json`; cases
//! sharing a zone and a start share one schedule file) and must match to the
//! second.  A schedule that has no fire time left after the real now
//! (`last_fire` in the past, or null: never fires) makes apsched reject the
//! file ("never fires"); for those the binary must say so, and the library
//! (`CronSchedule::from_fields`) must give the expected times.
//!
//! A case's `source` says where its answer comes from:
//! - `apscheduler`: APScheduler's own output (no matching wall time in a DST
//!   gap or fold);
//! - `policy`: a matching wall time falls in a gap or fold, where apsched's
//!   documented DST policy differs from APScheduler; the answer is that policy,
//!   APScheduler's is kept in `apscheduler_next_run_times`;
//! - `apscheduler_dst_bug`: no wall time in a gap or fold, but APScheduler's
//!   walk across an offset change loses a fire time; the answer is the exact
//!   one (the same fields evaluated in UTC, mapped back to the zone).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::thread;

use crate::harness::Test;
use apsched::cron::{CronFields, CronSchedule};
use chrono::{DateTime, FixedOffset, Utc};
use chrono_tz::Tz;
use serde_json::Value;

const CASES: &str = include_str!("../apscheduler/cases.json");

struct Case {
    index: usize,
    fields: Vec<(String, Value)>,
    timezone: String,
    at: String,
    count: usize,
    source: String,
    expected: Vec<String>,
    apscheduler: Option<Vec<String>>,
    /// Present when the schedule's years are bounded: its last fire time, or
    /// `None` when it never fires at all.
    // Absent, null, or a time: three cases, as in the JSON.
    #[allow(clippy::option_option)]
    last_fire: Option<Option<DateTime<FixedOffset>>>,
}

impl Case {
    /// Whether the schedule has no fire time after the real now, so that
    /// apsched rightly rejects a schedule file holding it ("never fires").
    fn expired(&self) -> bool {
        self.last_fire
            .is_some_and(|last| last.is_none_or(|t| t <= Utc::now()))
    }
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array of fire times")
        .iter()
        .map(|t| t.as_str().expect("a string fire time").to_owned())
        .collect()
}

fn load() -> (Value, Vec<Case>) {
    let root: Value = serde_json::from_str(CASES).expect("cases.json is valid JSON");
    let cases = root["cases"]
        .as_array()
        .expect("a \"cases\" array")
        .iter()
        .enumerate()
        .map(|(index, case)| {
            let text = |key: &str| {
                case[key]
                    .as_str()
                    .unwrap_or_else(|| panic!("{key}: {case}"))
            };
            Case {
                index,
                fields: case["fields"]
                    .as_object()
                    .expect("a \"fields\" object")
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                timezone: text("timezone").to_owned(),
                at: text("at").to_owned(),
                count: usize::try_from(case["count"].as_u64().expect("a numeric count"))
                    .expect("a count that fits"),
                source: text("source").to_owned(),
                expected: strings(&case["next_run_times"]),
                apscheduler: case.get("apscheduler_next_run_times").map(strings),
                last_fire: case.get("last_fire").map(|t| {
                    t.as_str()
                        .map(|t| DateTime::parse_from_rfc3339(t).expect("an RFC 3339 last_fire"))
                }),
            }
        })
        .collect();
    (root, cases)
}

/// The schedule file for a group of cases: one cron job per case, its fields
/// as TOML integers or (JSON-quoted ASCII, hence valid TOML) strings.
fn schedule_file(cases: &[&Case]) -> String {
    let mut toml = String::from(
        r#"[scheduler]
timezone = "UTC"
state = ":memory:"
"#,
    );
    for case in cases {
        let _ = write!(
            toml,
            r#"
[jobs.c{}]
command = "true"
trigger = "cron"
timezone = {:?}
"#,
            case.index, case.timezone
        );
        for (name, value) in &case.fields {
            let _ = writeln!(toml, "{name} = {value}");
        }
    }
    toml
}

/// Runs `apsched list` once for cases sharing a start instant; each case's
/// fire times (the first `count` of the longest list), or why there are none.
fn apsched_fire_times(cases: &[&Case], dir: &Path) -> Vec<Result<Vec<String>, String>> {
    let path = dir.join(format!("c{}.toml", cases[0].index));
    let count = cases.iter().map(|c| c.count).max().unwrap_or(1);
    let run = || -> Result<Value, String> {
        std::fs::write(&path, schedule_file(cases)).map_err(|e| format!("write: {e}"))?;
        let output = Test::new()
            .args(["list", &path.to_string_lossy()])
            .args(["--at", &cases[0].at, "--count", &count.to_string()])
            .args(["--json"])
            .try_output()
            .map_err(|e| format!("cannot run apsched: {e}"))?;
        if output.code != Some(0) {
            return Err(format!("exit {:?}: {}", output.code, output.stderr.trim()));
        }
        serde_json::from_str(&output.stdout)
            .map_err(|e| format!("bad JSON ({e}): {}", output.stdout))
    };
    let json = run();
    if json.is_err() && cases.len() > 1 {
        // Say which job the failure belongs to.
        return cases
            .iter()
            .flat_map(|case| apsched_fire_times(&[case], dir))
            .collect();
    }
    cases
        .iter()
        .map(|case| {
            let json = json.as_ref().map_err(Clone::clone)?;
            let id = format!("c{}", case.index);
            let job = json
                .as_array()
                .and_then(|jobs| jobs.iter().find(|j| j["id"] == id.as_str()))
                .ok_or_else(|| format!("no job {id} in {json}"))?;
            let mut times = strings(&job["next_run_times"]);
            times.truncate(case.count);
            Ok(times)
        })
        .collect()
}

/// The library's fire times for one case.
fn library_fire_times(case: &Case) -> Result<Vec<String>, String> {
    let mut fields = CronFields::default();
    for (name, value) in &case.fields {
        let text = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned);
        let slot = fields
            .slot(name)
            .ok_or_else(|| format!("unknown field {name}"))?;
        *slot = Some(text);
    }
    let schedule = CronSchedule::from_fields(&fields).map_err(|e| e.to_string())?;
    let tz: Tz = case.timezone.parse().map_err(|e| format!("zone: {e}"))?;
    let at = DateTime::parse_from_rfc3339(&case.at).map_err(|e| format!("at: {e}"))?;
    Ok(schedule
        .iter_after(&at.with_timezone(&tz))
        .take(case.count)
        .map(|t| t.to_rfc3339())
        .collect())
}

fn report(case: &Case, via: &str, got: &Result<Vec<String>, String>) -> String {
    let fields: Vec<String> = case
        .fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let mut out = format!(
        "  #{} [{}] in {} after {} (count {}, source {})\n    expected:    {:?}\n",
        case.index,
        fields.join(", "),
        case.timezone,
        case.at,
        case.count,
        case.source,
        case.expected
    );
    match got {
        Ok(times) => {
            let _ = writeln!(out, "    got ({via}): {times:?}");
        }
        Err(e) => {
            let _ = writeln!(out, "    error ({via}): {e}");
        }
    }
    if let Some(aps) = &case.apscheduler {
        let _ = writeln!(out, "    APScheduler: {aps:?}");
    }
    out
}

#[test]
fn field_triggers_match_apscheduler() {
    let (root, cases) = load();
    let version = root["apscheduler"].as_str().unwrap_or_default();
    assert!(
        version.starts_with("3.11."),
        "generated with APScheduler {version:?}"
    );
    assert!(cases.len() >= 300, "only {} cases", cases.len());
    for source in ["apscheduler", "policy"] {
        assert!(
            cases.iter().any(|c| c.source == source),
            "no {source} cases"
        );
    }

    // Cases sharing a zone and a start instant share one run (apsched builds
    // a table per zone and process); an expired schedule gets a run of its
    // own, as apsched rejects its file.
    let mut by_at: BTreeMap<(&str, i64), Vec<&Case>> = BTreeMap::new();
    let mut runs: Vec<Vec<&Case>> = Vec::new();
    for case in &cases {
        if case.expired() {
            runs.push(vec![case]);
        } else {
            let at = DateTime::parse_from_rfc3339(&case.at).expect("an RFC 3339 `at`");
            by_at
                .entry((&case.timezone, at.timestamp()))
                .or_default()
                .push(case);
        }
    }
    runs.extend(by_at.into_values());

    let dir = tempfile::tempdir().expect("a temporary directory");
    let workers = thread::available_parallelism().map_or(4, |n| n.get().min(8));
    let (mut failures, expired): (Vec<String>, usize) = thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let (dir, runs) = (dir.path(), &runs);
                scope.spawn(move || {
                    let (mut failures, mut expired) = (Vec::new(), 0);
                    for run in runs.iter().skip(w).step_by(workers) {
                        for (case, got) in run.iter().zip(apsched_fire_times(run, dir)) {
                            match &got {
                                Ok(times) if *times == case.expected => {}
                                Err(e) if case.expired() && e.contains("never fires") => {
                                    expired += 1;
                                    let lib = library_fire_times(case);
                                    if lib.as_ref() != Ok(&case.expected) {
                                        failures.push(report(case, "library", &lib));
                                    }
                                }
                                _ => failures.push(report(case, "apsched list", &got)),
                            }
                        }
                    }
                    (failures, expired)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a worker thread"))
            .fold((Vec::new(), 0), |(mut all, n), (f, e)| {
                all.extend(f);
                (all, n + e)
            })
    });
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {} APScheduler cases differ ({} runs of apsched; {expired} expired schedules \
         rejected and checked through the library):\n{}",
        failures.len(),
        cases.len(),
        runs.len(),
        failures.concat()
    );
}
