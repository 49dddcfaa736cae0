//! Start-up in the real loop and core on a simulated host. Startup jobs:
//! one run at the start, never missed, not caught up, not re-fired by a
//! reload. Saved states: asked for a batch at a time, and used.

use super::sim::{Sim, Step, at, jobs};
use super::tests::{HEAD, simulate};
use crate::scheduler::persist::JobState;

#[test]
fn a_startup_job_runs_once_at_the_start_and_not_on_reload() {
    let job = "[jobs.boot]\ncommand = \"true\"\ntrigger = \"startup\"\nmisfire_grace_time = 0\n";
    let file = format!("{HEAD}{job}[jobs.m]\ncommand = \"true\"\ncron = \"* * * * *\"\n");
    // Changed and added by a reload: neither runs until the next start.
    let reloaded = format!(
        "{HEAD}{job}description = \"changed\"\n[jobs.added]\ncommand = \"true\"\ntrigger = \"startup\"\n[jobs.m]\ncommand = \"true\"\ncron = \"* * * * *\"\n"
    );
    let mut sim = Sim::new("2027-01-01T00:00:30.500Z", "2027-01-01T00:05:00Z");
    sim.script
        .insert(at("2027-01-01T00:02:10Z"), Step::Reload(reloaded));
    // A clock jump does not make it due again either.
    sim.script.insert(
        at("2027-01-01T00:03:10Z"),
        Step::Jump(at("2027-01-01T00:04:10Z")),
    );
    simulate(&mut sim, &file);
    assert_eq!(sim.scheduled("boot"), ["2027-01-01T00:00:30.500+00:00"]);
    assert!(sim.started("added").is_empty());
    assert!(sim.named("job_missed").is_empty());
    assert_eq!(sim.named("reloaded").len(), 1);
}

#[test]
fn start_up_asks_for_each_jobs_saved_state_once_a_batch_at_a_time() {
    let job = |n: usize| format!("[jobs.j{n}]\ncommand = \"true\"\ncron = \"0 * * * *\"\n");
    let file = format!(
        "{HEAD}[defaults]\nmisfire_grace_time = \"1h\"\n{}",
        (0..1100).map(job).collect::<String>()
    );
    let mut sim = Sim::new("2027-01-01T00:30:00Z", "2027-01-01T00:31:00Z");
    // A job of the second batch missed its 00:00 run while no scheduler ran.
    let (_, all) = jobs(&file);
    sim.saved.insert(
        "j1050".into(),
        JobState {
            fingerprint: all[1050].trigger.fingerprint(),
            next_run: Some(at("2027-01-01T00:00:00Z")),
            anchor: at("2026-12-31T23:00:00Z"),
            paused: false,
            file_paused: Some(false),
            reschedule: false,
        },
    );
    simulate(&mut sim, &file);
    assert_eq!(sim.asked, [1024, 76]);
    assert_eq!(sim.scheduled("j1050"), ["2027-01-01T00:00:00+00:00"]);
    assert!(sim.scheduled("j1049").is_empty());
}
