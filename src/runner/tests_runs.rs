//! The runner loop and scheduling core on a simulated host: runs in flight
//! (max instances, max workers, timeouts, shutdown, failed starts) and
//! reloads.

use super::sim::{Behavior, Sim, Step, at};
use super::tests::{HEAD, simulate};
use crate::scheduler::{Change, Event};
use std::time::Duration;

#[test]
fn max_instances_skips_runs_while_one_is_going() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:04:30Z");
    sim.behavior
        .insert("slow".into(), Behavior::Runs(Duration::from_secs(150), 0));
    simulate(
        &mut sim,
        &format!("{HEAD}[jobs.slow]\ncommand = \"sleep 150\"\ncron = \"* * * * *\"\n"),
    );
    // 00:01 runs until 00:03:30; 00:02 and 00:03 are skipped; 00:04 runs.
    assert_eq!(
        sim.started("slow"),
        ["2027-01-01T00:01:00+00:00", "2027-01-01T00:04:00+00:00"]
    );
    assert_eq!(sim.named("job_max_instances").len(), 2);
}

#[test]
fn max_workers_queues_runs_in_scheduled_order() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:00:50Z");
    let file = format!(
        "{HEAD}max_workers = 1\n[jobs.a]\ncommand = \"true\"\ncron = \"10 * * * * *\"\n[jobs.b]\ncommand = \"true\"\ncron = \"5 * * * * *\"\n[jobs.c]\ncommand = \"true\"\ncron = \"10 * * * * *\"\n"
    );
    for job in ["a", "b", "c"] {
        sim.behavior
            .insert(job.into(), Behavior::Runs(Duration::from_secs(20), 0));
    }
    simulate(&mut sim, &file);
    assert_eq!(sim.started("b"), ["2027-01-01T00:00:05+00:00"]);
    assert_eq!(sim.started("a"), ["2027-01-01T00:00:25+00:00"]);
    assert_eq!(sim.started("c"), ["2027-01-01T00:00:45+00:00"]);
}

#[test]
fn timeouts_send_term_then_kill() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:01:30Z");
    sim.behavior.insert("stuck".into(), Behavior::IgnoresTerm);
    simulate(
        &mut sim,
        &format!("{HEAD}[jobs.stuck]\ncommand = \"x\"\ncron = \"* * * * *\"\ntimeout = \"10s\"\n"),
    );
    let signals: Vec<(String, bool)> = sim
        .signals
        .iter()
        .map(|(t, _, kill)| (t.to_rfc3339(), *kill))
        .collect();
    assert_eq!(
        signals,
        [
            ("2027-01-01T00:01:10+00:00".to_string(), false),
            ("2027-01-01T00:01:15+00:00".to_string(), true)
        ]
    );
    assert_eq!(sim.named("job_timed_out").len(), 1);
    assert!(sim.named("job_error").iter().any(|e| matches!(e, Event::JobError { reason, .. } if reason == "timed out (killed by signal 9)")));
}

#[test]
fn shutdown_waits_then_ends_running_jobs() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:01:05Z");
    sim.behavior.insert("long".into(), Behavior::Forever);
    simulate(
        &mut sim,
        &format!(
            "{HEAD}shutdown_timeout = \"20s\"\n[jobs.long]\ncommand = \"x\"\ncron = \"* * * * *\"\n"
        ),
    );
    // Stop at 00:01:05; SIGTERM 20 s later; the job ends on it.
    assert_eq!(sim.signals.len(), 1);
    assert_eq!(sim.signals[0].0, at("2027-01-01T00:01:25Z"));
    assert!(
        matches!(sim.events.last(), Some((t, Event::SchedulerStopped)) if *t == at("2027-01-01T00:01:25Z"))
    );

    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:01:05Z");
    sim.behavior.insert("long".into(), Behavior::Forever);
    sim.script.insert(at("2027-01-01T00:01:07Z"), Step::Stop);
    simulate(
        &mut sim,
        &format!(
            "{HEAD}shutdown_timeout = \"20s\"\n[jobs.long]\ncommand = \"x\"\ncron = \"* * * * *\"\n"
        ),
    );
    // A second stop ends it at once.
    assert_eq!(sim.signals[0].0, at("2027-01-01T00:01:07Z"));
}

#[test]
fn reload_keeps_unchanged_jobs_and_reports_bad_files() {
    let before = format!(
        "{HEAD}[jobs.keep]\ncommand = \"true\"\ntrigger = \"interval\"\nseconds = 40\n[jobs.change]\ncommand = \"true\"\ncron = \"0 * * * *\"\n[jobs.drop]\ncommand = \"true\"\ncron = \"* * * * *\"\n"
    );
    let after = format!(
        "{HEAD}[jobs.keep]\ncommand = \"true\"\ntrigger = \"interval\"\nseconds = 40\n[jobs.change]\ncommand = \"true\"\ncron = \"30 * * * * *\"\n[jobs.new]\ncommand = \"true\"\ncron = \"15 * * * * *\"\n"
    );
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:02:00Z");
    sim.script
        .insert(at("2027-01-01T00:00:50Z"), Step::Reload(after));
    sim.script.insert(
        at("2027-01-01T00:01:20Z"),
        Step::Reload("[jobs.x]\ncommand = 1\n".into()),
    );
    simulate(&mut sim, &before);
    // `keep` keeps its anchor (00:00:00): 00:40, 01:20, 02:00.
    assert_eq!(
        sim.started("keep"),
        [
            "2027-01-01T00:00:40+00:00",
            "2027-01-01T00:01:20+00:00",
            "2027-01-01T00:02:00+00:00"
        ]
    );
    assert_eq!(sim.started("change"), ["2027-01-01T00:01:30+00:00"]);
    assert_eq!(sim.started("new"), ["2027-01-01T00:01:15+00:00"]);
    assert!(sim.started("drop").is_empty());
    assert!(matches!(
        sim.named("reloaded")[0],
        Event::Reloaded {
            added: 1,
            removed: 1,
            modified: 1,
            unchanged: 1
        }
    ));
    assert!(
        sim.named("reload_failed").len() >= 2,
        "every problem is logged"
    );
}

#[test]
fn a_changed_file_reloads_as_sighup_does() {
    let job = |cron: &str| format!("{HEAD}[jobs.a]\ncommand = \"true\"\ncron = \"{cron}\"\n");
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:01:00Z");
    sim.script.insert(
        at("2027-01-01T00:00:10Z"),
        Step::FileChanged(job("20 * * * * *")),
    );
    sim.script.insert(
        at("2027-01-01T00:00:30Z"),
        Step::FileChanged("[jobs.x]\ncommand = 1\n".into()),
    );
    simulate(&mut sim, &job("0 * * * *"));
    assert_eq!(sim.started("a"), ["2027-01-01T00:00:20+00:00"]);
    assert_eq!(sim.named("reloaded").len(), 1);
    assert!(!sim.named("reload_failed").is_empty(), "the broken file");
    let woke: Vec<_> = sim
        .named("woke")
        .into_iter()
        .filter(|e| matches!(e, Event::Woke { reason: "file", .. }))
        .collect();
    assert_eq!(woke.len(), 2, "each change wakes the runner as `file`");
}

#[test]
fn a_command_that_cannot_start_is_a_failed_run() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:02:30Z");
    sim.unstartable.push("bad".into());
    simulate(
        &mut sim,
        &format!("{HEAD}[jobs.bad]\ncommand = [\"/nonexistent\"]\ncron = \"* * * * *\"\n"),
    );
    let errors = sim.named("job_error");
    assert_eq!(errors.len(), 2, "each run fails, the scheduler goes on");
    assert!(
        matches!(errors[0], Event::JobError { reason, .. } if reason.starts_with("cannot start"))
    );
}

#[test]
fn each_run_of_a_burst_starts_once_its_own_claim_is_written() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:00:20Z");
    let jobs = "[jobs.jN]\ncommand = \"true\"\ncron = \"10 * * * * *\"\n";
    let jobs: String = (0..4).map(|i| jobs.replace('N', &i.to_string())).collect();
    simulate(&mut sim, &format!("{HEAD}max_workers = 10\n{jobs}"));
    let order: Vec<&str> = (sim.changes.iter())
        .filter_map(|c| match c {
            Change::Claim { .. } => Some("claim"),
            Change::Started { .. } => Some("start"),
            _ => None,
        })
        .collect();
    assert_eq!(
        order,
        [
            "claim", "start", "claim", "start", "claim", "start", "claim", "start"
        ]
    );
    assert_eq!(sim.starts.len(), 4);
}

#[test]
fn a_runs_duration_counts_from_its_own_start_not_from_the_burst() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:00:30Z");
    sim.spawn_time = Duration::from_millis(400);
    let jobs = "[jobs.jN]\ncommand = \"true\"\ncron = \"10 * * * * *\"\n";
    let jobs: String = (0..3).map(|i| jobs.replace('N', &i.to_string())).collect();
    simulate(&mut sim, &format!("{HEAD}max_workers = 10\n{jobs}"));
    let durations: Vec<Duration> = (sim.named("job_executed").into_iter())
        .filter_map(|e| match e {
            Event::JobExecuted { duration, .. } => Some(*duration),
            _ => None,
        })
        .collect();
    // Each runs 1 s (the simulated default) after its own start; the
    // starts are 400 ms apart.
    assert_eq!(durations, [Duration::from_secs(1); 3]);
}
