//! Hooks wait for what they report to be written: a run that ends while
//! the state file cannot be written runs its hook only once the file can
//! be written again and its end is recorded.

use super::{Dir, PATIENCE, until};
use crate::harness::tmpfs::Tmpfs;
use std::thread::sleep;
use std::time::Duration;

#[test]
fn the_hook_of_a_run_ended_during_a_state_outage_runs_after_recovery() {
    let dir = Dir::new().file(
        "s.toml",
        r#"[scheduler]
timezone = "UTC"
state = "fs/s.db"
shutdown_timeout = "2s"
[jobs.slow]
command = "touch started; sleep 2; exit 1"
trigger = "startup"
[jobs.slow.hooks]
on_failure = "echo $APSCHED_RUN_ID >> hooks"
"#,
    );
    let Some(fs) = Tmpfs::mount(&dir.path().join("fs"), "2m") else {
        return;
    };
    let child = dir.run().spawn();
    assert!(until(PATIENCE, || dir.join("started").exists()));
    let filler = fs.fill();
    assert!(
        until(PATIENCE, || child.stderr().contains("state_failing")),
        "{}",
        child.stderr()
    );
    assert!(
        until(PATIENCE, || child.stderr().contains("job_error")),
        "{}",
        child.stderr()
    );
    sleep(Duration::from_millis(1500));
    assert!(
        !dir.join("hooks").exists(),
        "the hook ran before the run's end was written"
    );
    std::fs::remove_file(&filler).expect("free the space");
    assert!(
        until(PATIENCE, || child.stderr().contains("state_recovered")),
        "{}",
        child.stderr()
    );
    let hooks = dir.join("hooks");
    assert!(until(PATIENCE, || hooks.exists()), "{}", child.stderr());
    child.stop();
    assert_eq!(std::fs::read_to_string(&hooks).expect("hooks"), "1\n");
}
