//! Hook results counted in `apsched_hook_runs_total{event,result}`.

use super::{promtool, scrape, start, value};
use crate::harness::Dir;
use crate::harness::poll::{PATIENCE, until};

#[test]
fn each_hook_run_is_counted_by_event_and_result() {
    let dir = Dir::schedule(
        r#"[jobs.fail]
command = "exit 3"
cron = "* * * * * *"
max_instances = 1
[jobs.fail.hooks]
on_failure = "true"
on_finish = "exit 1"
"#,
    );
    let (running, addr) = start(&dir);
    running.wait_for_stderr("hook_failed", 1);
    let ok = r#"apsched_hook_runs_total{event="job_failed",result="success"}"#;
    let failed = r#"apsched_hook_runs_total{event="job_finished",result="failure"}"#;
    let mut text = String::new();
    let counted = until(PATIENCE, || {
        text = scrape(&addr);
        value(&text, ok).is_some_and(|v| v >= 1.0) && value(&text, failed).is_some_and(|v| v >= 1.0)
    });
    assert!(counted, "{text}");
    let never = r#"apsched_hook_runs_total{event="job_failed",result="failure"}"#;
    assert_eq!(value(&text, never), Some(0.0), "{text}");
    promtool(&text);
    running.stop();
}
