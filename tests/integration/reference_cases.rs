//! Reference fire times computed independently of the engine, by brute force
//! in Python over the system tz database (`tests/reference/generate.py`, which
//! writes `tests/reference/cases.json`): many zones, mostly around real DST
//! transitions in 2024-2030. The engine must match them to the second.

use std::fmt::Write as _;

use crate::harness::Test;
use apsched::cron::CronSchedule;
use chrono::DateTime;
use chrono_tz::Tz;
use serde_json::Value;

const CASES: &str = include_str!("../reference/cases.json");

struct Case {
    expression: String,
    timezone: String,
    after: String,
    count: usize,
    expected: Vec<String>,
}

fn cases() -> Vec<Case> {
    let root: Value = serde_json::from_str(CASES).expect("cases.json is valid JSON");
    let cases = root["cases"].as_array().expect("a \"cases\" array");
    let text = |case: &Value, key: &str| -> String {
        case[key]
            .as_str()
            .unwrap_or_else(|| panic!("case without string {key:?}: {case}"))
            .to_owned()
    };
    cases
        .iter()
        .map(|case| Case {
            expression: text(case, "expression"),
            timezone: text(case, "timezone"),
            after: text(case, "after"),
            count: usize::try_from(case["count"].as_u64().expect("numeric count"))
                .expect("a count that fits"),
            expected: case["next_run_times"]
                .as_array()
                .expect("next_run_times array")
                .iter()
                .map(|t| t.as_str().expect("string fire time").to_owned())
                .collect(),
        })
        .collect()
}

/// The engine's answer for one case, or a description of why there is none.
fn engine_fire_times(case: &Case) -> Result<Vec<String>, String> {
    let tz: Tz = case
        .timezone
        .parse()
        .map_err(|e| format!("unknown zone: {e}"))?;
    let after = DateTime::parse_from_rfc3339(&case.after)
        .map_err(|e| format!("bad `after`: {e}"))?
        .with_timezone(&tz);
    let schedule: CronSchedule = case
        .expression
        .parse()
        .map_err(|e| format!("parse error: {e}"))?;
    Ok(schedule
        .iter_after(&after)
        .take(case.count)
        .map(|t| t.to_rfc3339())
        .collect())
}

fn report(case: &Case, got: &Result<Vec<String>, String>) -> String {
    let mut out = format!(
        "  {:?} in {} after {} (count {})\n    expected: {:?}\n",
        case.expression, case.timezone, case.after, case.count, case.expected
    );
    match got {
        Ok(times) => {
            let _ = writeln!(out, "    got:      {times:?}");
            if let Some(i) = (0..times.len().max(case.expected.len()))
                .find(|&i| times.get(i) != case.expected.get(i))
            {
                let _ = writeln!(
                    out,
                    "    first difference at #{i}: expected {:?}, got {:?}",
                    case.expected.get(i),
                    times.get(i)
                );
            }
        }
        Err(e) => {
            let _ = writeln!(out, "    got:      error: {e}");
        }
    }
    out
}

#[test]
fn engine_matches_reference_cases() {
    let cases = cases();
    assert!(cases.len() > 300, "only {} reference cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let got = engine_fire_times(case);
            (got.as_ref() != Ok(&case.expected)).then(|| report(case, &got))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} reference cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.concat()
    );
}

#[test]
fn cli_matches_reference_cases() {
    let cases = cases();
    // An even sample of about 30 cases, spread over the whole file.
    let step = cases.len().div_ceil(30);
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases.iter().step_by(step) {
        checked += 1;
        let output = Test::new()
            .args(["validate", "--json", "--timezone", &case.timezone])
            .args(["--after", &case.after, "-n", &case.count.to_string()])
            .args([&case.expression])
            .output();
        let got = if output.code == Some(0) {
            serde_json::from_str::<Value>(&output.stdout)
                .map_err(|e| format!("stdout is not JSON ({e}): {:?}", output.stdout))
                .and_then(|json| {
                    json["next_run_times"]
                        .as_array()
                        .ok_or_else(|| format!("no next_run_times in {json}"))?
                        .iter()
                        .map(|t| t.as_str().map(str::to_owned).ok_or(format!("{t}")))
                        .collect::<Result<Vec<_>, _>>()
                })
        } else {
            Err(format!("exit {:?}: {}", output.code, output.stderr.trim()))
        };
        if got.as_ref() != Ok(&case.expected) {
            failures.push(report(case, &got));
        }
    }
    assert!(checked >= 25, "only {checked} CLI cases checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} CLI reference cases differ:\n{}",
        failures.len(),
        failures.concat()
    );
}
