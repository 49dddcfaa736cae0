//! What a hook is told: the facts of one event, as the JSON object on its
//! standard input and as `APSCHED_*` environment variables. Every field is
//! always there: `null` in JSON, empty in the environment, when it does
//! not apply.

use serde_json::{Map, Value};
use std::collections::hash_map::RandomState;
use std::fmt::Write as _;
use std::hash::BuildHasher as _;

/// The facts of one event for one hook.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Facts {
    /// `job_failed`, `config_reload_failed`, ...
    pub event: &'static str,
    pub job: Option<String>,
    pub run_id: Option<i64>,
    pub run_uuid: Option<String>,
    /// RFC 3339: the slot (the first missed one for `job_missed`).
    pub scheduled: Option<String>,
    /// The last missed slot (`job_missed`, `job_max_instances`).
    pub last_scheduled: Option<String>,
    pub started: Option<String>,
    pub ended: Option<String>,
    pub duration_seconds: Option<f64>,
    /// `success`, `failure`, `timeout`, `interrupted`, `unknown`, `missed`,
    /// `max_instances`, `spawn_error`.
    pub result: Option<&'static str>,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
    pub missed_count: Option<u64>,
    pub hostname: String,
    pub output_tail: Option<String>,
    pub output_truncated: Option<bool>,
    /// `config_reload_failed`: what was wrong with the file.
    pub problems: Option<Vec<String>>,
}

fn opt<T: Into<Value>>(v: Option<T>) -> Value {
    v.map_or(Value::Null, Into::into)
}

fn text<T: ToString>(v: Option<&T>) -> String {
    v.map(ToString::to_string).unwrap_or_default()
}

impl Facts {
    /// The JSON object of standard input, fields in the documented order.
    pub(super) fn json(&self) -> Value {
        let mut m = Map::new();
        m.insert("v".into(), 1.into());
        m.insert("event".into(), self.event.into());
        m.insert("job".into(), opt(self.job.clone()));
        m.insert("run_id".into(), opt(self.run_id));
        m.insert("run_uuid".into(), opt(self.run_uuid.clone()));
        m.insert("scheduled".into(), opt(self.scheduled.clone()));
        m.insert("last_scheduled".into(), opt(self.last_scheduled.clone()));
        m.insert("started".into(), opt(self.started.clone()));
        m.insert("ended".into(), opt(self.ended.clone()));
        m.insert("duration_seconds".into(), opt(self.duration_seconds));
        m.insert("result".into(), opt(self.result));
        m.insert("exit_code".into(), opt(self.exit_code));
        m.insert("signal".into(), opt(self.signal));
        m.insert("missed_count".into(), opt(self.missed_count));
        m.insert("hostname".into(), self.hostname.clone().into());
        m.insert("output_tail".into(), opt(self.output_tail.clone()));
        m.insert("output_truncated".into(), opt(self.output_truncated));
        m.insert("problems".into(), opt(self.problems.clone()));
        Value::Object(m)
    }

    /// Standard input: the object and a newline.
    pub(super) fn stdin(&self) -> Vec<u8> {
        let mut bytes = self.json().to_string().into_bytes();
        bytes.push(b'\n');
        bytes
    }

    /// The environment variables, every one set.
    pub(super) fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("APSCHED_EVENT", self.event.to_string()),
            ("APSCHED_JOB_ID", self.job.clone().unwrap_or_default()),
            ("APSCHED_RESULT", text(self.result.as_ref())),
            ("APSCHED_EXIT_CODE", text(self.exit_code.as_ref())),
            ("APSCHED_SIGNAL", text(self.signal.as_ref())),
            ("APSCHED_RUN_ID", text(self.run_id.as_ref())),
            (
                "APSCHED_RUN_UUID",
                self.run_uuid.clone().unwrap_or_default(),
            ),
            (
                "APSCHED_SCHEDULED_TIME",
                self.scheduled.clone().unwrap_or_default(),
            ),
            (
                "APSCHED_LAST_SCHEDULED_TIME",
                self.last_scheduled.clone().unwrap_or_default(),
            ),
            (
                "APSCHED_STARTED_AT",
                self.started.clone().unwrap_or_default(),
            ),
            (
                "APSCHED_FINISHED_AT",
                self.ended.clone().unwrap_or_default(),
            ),
            (
                "APSCHED_DURATION_SECONDS",
                text(self.duration_seconds.as_ref()),
            ),
            ("APSCHED_MISSED_COUNT", text(self.missed_count.as_ref())),
            ("APSCHED_HOSTNAME", self.hostname.clone()),
        ]
    }
}

/// A run's UUID: version-4 form, the same for every hook of one run in one
/// apsched process, from its record number and the process's random `key`.
pub(super) fn run_uuid(key: &RandomState, record: i64) -> String {
    let hi = key.hash_one((record, 0u8));
    let lo = key.hash_one((record, 1u8));
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&hi.to_be_bytes());
    b[8..].copy_from_slice(&lo.to_be_bytes());
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex = b.iter().fold(String::with_capacity(32), |mut hex, x| {
        let _ = write!(hex, "{x:02x}");
        hex
    });
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// This machine's name, empty if it cannot be read: what hooks are told
/// and the default id of a node of a cluster.
pub(crate) fn hostname() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_present_null_or_empty_when_it_does_not_apply() {
        let started = Facts {
            event: "job_started",
            job: Some("backup".into()),
            run_id: Some(7),
            run_uuid: Some("u".into()),
            scheduled: Some("2026-01-01T00:00:00+01:00".into()),
            started: Some("2025-12-31T23:00:00.100Z".into()),
            hostname: "h".into(),
            ..Facts::default()
        };
        let failed = Facts {
            event: "job_failed",
            ended: Some("2025-12-31T23:00:02.600Z".into()),
            duration_seconds: Some(2.5),
            result: Some("failure"),
            exit_code: Some(3),
            output_tail: Some("boom\n".into()),
            output_truncated: Some(false),
            ..started.clone()
        };
        let missed = Facts {
            event: "job_missed",
            job: Some("tick".into()),
            scheduled: Some("a".into()),
            last_scheduled: Some("b".into()),
            result: Some("missed"),
            missed_count: Some(31_535_999),
            hostname: "h".into(),
            ..Facts::default()
        };
        let cases: &[(&Facts, &str)] = &[
            (
                &started,
                r#"{"v":1,"event":"job_started","job":"backup","run_id":7,"run_uuid":"u","scheduled":"2026-01-01T00:00:00+01:00","last_scheduled":null,"started":"2025-12-31T23:00:00.100Z","ended":null,"duration_seconds":null,"result":null,"exit_code":null,"signal":null,"missed_count":null,"hostname":"h","output_tail":null,"output_truncated":null,"problems":null}"#,
            ),
            (
                &failed,
                r#"{"v":1,"event":"job_failed","job":"backup","run_id":7,"run_uuid":"u","scheduled":"2026-01-01T00:00:00+01:00","last_scheduled":null,"started":"2025-12-31T23:00:00.100Z","ended":"2025-12-31T23:00:02.600Z","duration_seconds":2.5,"result":"failure","exit_code":3,"signal":null,"missed_count":null,"hostname":"h","output_tail":"boom\n","output_truncated":false,"problems":null}"#,
            ),
            (
                &missed,
                r#"{"v":1,"event":"job_missed","job":"tick","run_id":null,"run_uuid":null,"scheduled":"a","last_scheduled":"b","started":null,"ended":null,"duration_seconds":null,"result":"missed","exit_code":null,"signal":null,"missed_count":31535999,"hostname":"h","output_tail":null,"output_truncated":null,"problems":null}"#,
            ),
        ];
        for (facts, want) in cases {
            assert_eq!(facts.json().to_string(), *want);
            assert_eq!(facts.stdin(), format!("{want}\n").into_bytes());
            assert_eq!(facts.env().len(), 14);
        }
        let env: Vec<String> = failed
            .env()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        assert_eq!(
            env.join(" "),
            "APSCHED_EVENT=job_failed APSCHED_JOB_ID=backup APSCHED_RESULT=failure APSCHED_EXIT_CODE=3 APSCHED_SIGNAL= APSCHED_RUN_ID=7 APSCHED_RUN_UUID=u APSCHED_SCHEDULED_TIME=2026-01-01T00:00:00+01:00 APSCHED_LAST_SCHEDULED_TIME= APSCHED_STARTED_AT=2025-12-31T23:00:00.100Z APSCHED_FINISHED_AT=2025-12-31T23:00:02.600Z APSCHED_DURATION_SECONDS=2.5 APSCHED_MISSED_COUNT= APSCHED_HOSTNAME=h"
        );
    }

    #[test]
    fn run_uuids_are_v4_stable_per_run_and_differ_between_runs() {
        let key = RandomState::new();
        let a = run_uuid(&key, 1);
        assert_eq!(a, run_uuid(&key, 1));
        assert_ne!(a, run_uuid(&key, 2));
        assert_eq!(a.len(), 36);
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'), "{a}");
        assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{a}");
    }
}
