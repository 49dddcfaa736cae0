//! Event hooks (`[hooks]`, `[jobs.ID.hooks]`, `mailto`): the facts a hook
//! is told on standard input and in its environment, one hook per event,
//! timeouts, no hook for a hook, and each path a run can take.

pub(super) use crate::harness::poll::{PATIENCE, alive, count_lines, field, lines_in, until};
pub(super) use crate::harness::{Dir, faketime};
pub(super) use serde_json::Value;
pub(super) use std::collections::BTreeMap;

mod events;
mod facts;
mod held;
mod paths;
mod running;

pub(super) const HEAD: &str = r#"[scheduler]
timezone = "UTC"
state = ":memory:"
shutdown_timeout = "1s"
"#;

/// A hook that keeps its standard input and `APSCHED_*` variables in
/// files named after its event and run, and counts its calls.
pub(super) const DUMP: &str = r#""cat > in.$APSCHED_EVENT.$APSCHED_RUN_ID; env > env.$APSCHED_EVENT.$APSCHED_RUN_ID; echo $APSCHED_EVENT >> calls""#;

/// Every variable a hook is documented to get.
pub(super) const VARIABLES: [&str; 14] = [
    "APSCHED_EVENT",
    "APSCHED_JOB_ID",
    "APSCHED_RESULT",
    "APSCHED_EXIT_CODE",
    "APSCHED_SIGNAL",
    "APSCHED_RUN_ID",
    "APSCHED_RUN_UUID",
    "APSCHED_SCHEDULED_TIME",
    "APSCHED_LAST_SCHEDULED_TIME",
    "APSCHED_STARTED_AT",
    "APSCHED_FINISHED_AT",
    "APSCHED_DURATION_SECONDS",
    "APSCHED_MISSED_COUNT",
    "APSCHED_HOSTNAME",
];

/// Every field of the JSON object on standard input, in order.
pub(super) const FIELDS: [&str; 18] = [
    "v",
    "event",
    "job",
    "run_id",
    "run_uuid",
    "scheduled",
    "last_scheduled",
    "started",
    "ended",
    "duration_seconds",
    "result",
    "exit_code",
    "signal",
    "missed_count",
    "hostname",
    "output_tail",
    "output_truncated",
    "problems",
];

pub(super) fn schedule(text: &str) -> Dir {
    Dir::new().file("s.toml", format!("{HEAD}{text}"))
}

/// The JSON a hook got, once its file is complete.
pub(super) fn input(dir: &Dir, name: &str) -> Value {
    let path = dir.join(name);
    until(PATIENCE, || {
        std::fs::read_to_string(&path).is_ok_and(|t| t.ends_with('\n'))
    });
    let text = dir.read(name);
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let keys: Vec<&str> = value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(keys, FIELDS, "{text}");
    value
}

/// The `APSCHED_*` variables a hook had.
pub(super) fn env(dir: &Dir, name: &str) -> BTreeMap<String, String> {
    let path = dir.join(name);
    until(PATIENCE, || {
        std::fs::read_to_string(&path).is_ok_and(|t| t.contains("APSCHED_HOSTNAME="))
    });
    let vars: BTreeMap<String, String> = dir
        .read(name)
        .lines()
        .filter(|l| l.starts_with("APSCHED_"))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for name in VARIABLES {
        assert!(vars.contains_key(name), "{name} missing: {vars:?}");
    }
    vars
}

pub(super) fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap_or_default()
        .trim()
        .to_string()
}

pub(super) fn make_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
}
