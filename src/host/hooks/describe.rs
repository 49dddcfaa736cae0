//! What a notice tells hooks: the job it is about, the hook kinds it runs
//! (one process per kind) and the facts they are told.

use super::payload::{Facts, run_uuid};
use crate::config::HookKind;
use crate::scheduler::{Miss, Notice, Outcome, RunEnd};
use crate::store::RunResult;
use crate::timefmt::{rfc3339_millis_z, rfc3339_secs};
use std::collections::hash_map::RandomState;
use std::time::Duration;

/// The job, the hook kinds and the facts of a notice; `None` for one no
/// hook hears of.
pub(super) fn describe(
    notice: &Notice,
    tail: Option<(&[u8], bool)>,
    key: &RandomState,
    hostname: &str,
) -> Option<(String, Vec<HookKind>, Facts)> {
    let base = Facts {
        hostname: hostname.to_string(),
        ..Facts::default()
    };
    match notice {
        Notice::Started {
            job,
            record,
            scheduled,
            started,
        } => Some((
            job.clone(),
            vec![HookKind::Start],
            Facts {
                job: Some(job.clone()),
                run_id: Some(*record),
                run_uuid: Some(run_uuid(key, *record)),
                scheduled: Some(rfc3339_secs(scheduled)),
                started: Some(rfc3339_millis_z(started)),
                ..base
            },
        )),
        Notice::Ended(end) => Some(ended(end, tail, key, base)),
        Notice::Missed { .. } => missed(notice, base),
        Notice::Interrupted {
            job,
            record,
            scheduled,
            result,
        } => Some((
            job.clone(),
            vec![HookKind::Interrupted],
            Facts {
                job: Some(job.clone()),
                run_id: Some(*record),
                run_uuid: Some(run_uuid(key, *record)),
                scheduled: Some(rfc3339_secs(scheduled)),
                result: Some(if *result == RunResult::Unknown {
                    "unknown"
                } else {
                    "interrupted"
                }),
                ..base
            },
        )),
        Notice::ReloadFailed { problems } => Some((
            String::new(),
            vec![HookKind::ReloadFailed],
            Facts {
                event: HookKind::ReloadFailed.event(),
                problems: Some(problems.clone()),
                ..base
            },
        )),
        Notice::Reloaded => None,
    }
}

/// The job, hook kind and facts of missed runs; `None` for coalesced ones.
fn missed(notice: &Notice, base: Facts) -> Option<(String, Vec<HookKind>, Facts)> {
    let Notice::Missed {
        job,
        first,
        last,
        count,
        reason,
    } = notice
    else {
        return None;
    };
    let (kind, result) = match reason {
        Miss::Misfire => (HookKind::Missed, "missed"),
        Miss::Overlap => (HookKind::MaxInstances, "max_instances"),
        Miss::Coalesced => return None,
    };
    Some((
        job.clone(),
        vec![kind],
        Facts {
            job: Some(job.clone()),
            scheduled: Some(rfc3339_secs(first)),
            last_scheduled: Some(rfc3339_secs(last)),
            result: Some(result),
            missed_count: Some(*count),
            ..base
        },
    ))
}

/// The job, hook kinds and facts of a run's end.
fn ended(
    end: &RunEnd,
    tail: Option<(&[u8], bool)>,
    key: &RandomState,
    base: Facts,
) -> (String, Vec<HookKind>, Facts) {
    let (result, kinds) = match (&end.outcome, end.result) {
        (Outcome::NotStarted(_), _) => ("spawn_error", vec![HookKind::Failure]),
        (_, RunResult::Success) => ("success", vec![HookKind::Success]),
        (_, RunResult::TimedOut) => ("timeout", vec![HookKind::Timeout, HookKind::Failure]),
        _ => ("failure", vec![HookKind::Failure]),
    };
    let mut kinds = kinds;
    kinds.push(HookKind::Finish);
    let (exit_code, signal) = match end.outcome {
        Outcome::Exited(code) => (Some(code), None),
        Outcome::Signaled(sig) => (None, Some(sig)),
        Outcome::NotStarted(_) | Outcome::Failed(_) => (None, None),
    };
    let took = (end.ended - end.started).to_std().unwrap_or_default();
    let (tail, truncated) = tail.unwrap_or((&[], false));
    (
        end.job.clone(),
        kinds,
        Facts {
            job: Some(end.job.clone()),
            run_id: Some(end.record),
            run_uuid: Some(run_uuid(key, end.record)),
            scheduled: Some(rfc3339_secs(&end.scheduled)),
            started: Some(rfc3339_millis_z(&end.started)),
            ended: Some(rfc3339_millis_z(&end.ended)),
            duration_seconds: Some(seconds(took)),
            result: Some(result),
            exit_code,
            signal,
            output_tail: Some(String::from_utf8_lossy(tail).into_owned()),
            output_truncated: Some(truncated),
            ..base
        },
    )
}

/// A duration in seconds, to the millisecond.
// Exact below 2^52 ms (over 100,000 years).
#[allow(clippy::cast_precision_loss)]
fn seconds(d: Duration) -> f64 {
    d.as_millis() as f64 / 1000.0
}
