//! Startup jobs in the real loop and core on a simulated host: one run at
//! the start, never missed, not caught up, not re-fired by a reload.

use super::sim::{Sim, Step, at};
use super::tests::{HEAD, simulate};

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
