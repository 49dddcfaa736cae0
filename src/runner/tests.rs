//! The real runner loop and scheduling core, driven by a simulated host:
//! days of schedule in milliseconds. Expected times are worked out by hand.
//! Here: run times (every minute, DST, clock jumps, jitter, date and end
//! dates).

use super::sim::{Sim, Step, at, jobs};
use crate::scheduler::Event;

/// Runs the schedule file `file` on the simulated host until it stops.
pub(super) fn simulate(sim: &mut Sim, file: &str) {
    let (settings, jobs) = jobs(file);
    super::run(sim, &settings, jobs, 42);
}

/// The `[scheduler]` table of the test files: UTC, no state file.
pub(super) const HEAD: &str = "[scheduler]\ntimezone = \"UTC\"\nstate = \":memory:\"\n";

#[test]
fn a_day_of_every_minute_runs_1440_times_on_the_minute() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-02T00:00:00Z");
    simulate(
        &mut sim,
        &format!("{HEAD}[jobs.m]\ncommand = \"true\"\ncron = \"* * * * *\"\n"),
    );
    let started = sim.started("m");
    assert_eq!(started.len(), 1440);
    assert_eq!(started[0], "2027-01-01T00:01:00+00:00");
    assert_eq!(started[1439], "2027-01-02T00:00:00+00:00");
    assert_eq!(sim.named("job_executed").len(), 1440);
    assert!(matches!(
        sim.events.last(),
        Some((_, Event::SchedulerStopped))
    ));
}

#[test]
fn dst_days_in_berlin_run_once_a_day() {
    let mut sim = Sim::new("2027-03-27T12:00:00Z", "2027-03-29T12:00:00Z");
    simulate(
        &mut sim,
        "[scheduler]\ntimezone = \"Europe/Berlin\"\n[jobs.n]\ncommand = \"true\"\ncron = \"30 2 * * *\"\n",
    );
    // 2027-03-28: 02:30 does not exist, so 03:30 CEST (01:30Z).
    assert_eq!(
        sim.started("n"),
        ["2027-03-28T01:30:00+00:00", "2027-03-29T00:30:00+00:00"]
    );
    let mut sim = Sim::new("2027-10-30T12:00:00Z", "2027-11-01T12:00:00Z");
    simulate(
        &mut sim,
        "[scheduler]\ntimezone = \"Europe/Berlin\"\n[jobs.n]\ncommand = \"true\"\ncron = \"30 2 * * *\"\n",
    );
    // 2027-10-31: 02:30 happens twice; only the first (CEST, 00:30Z) runs.
    assert_eq!(
        sim.scheduled("n"),
        ["2027-10-31T02:30:00+02:00", "2027-11-01T02:30:00+01:00"]
    );
}

#[test]
fn a_clock_jump_forward_coalesces_or_misses() {
    let file = format!(
        "{HEAD}[jobs.m]\ncommand = \"true\"\ncron = \"* * * * *\"\nmisfire_grace_time = \"90s\"\n"
    );
    // At 00:00:30 the clock jumps to 00:10:30: runs 00:01 .. 00:10 are due.
    let mut sim = Sim::new("2027-01-01T00:00:30Z", "2027-01-01T00:11:30Z");
    sim.script.insert(
        at("2027-01-01T00:00:40Z"),
        Step::Jump(at("2027-01-01T00:10:30Z")),
    );
    simulate(&mut sim, &file);
    // Coalesced into one run for 00:10 (30 s late, within grace), then 00:11.
    assert_eq!(
        sim.scheduled("m"),
        ["2027-01-01T00:10:00+00:00", "2027-01-01T00:11:00+00:00"]
    );
    assert!(sim.named("job_catch_up").iter().any(|e| matches!(
        e,
        Event::JobCatchUp {
            due: 10,
            missed: 8,
            run: 1,
            coalesced: 1,
            ..
        }
    )));

    // Without coalescing, each runs in order; those past 90 s are missed.
    let mut sim = Sim::new("2027-01-01T00:00:30Z", "2027-01-01T00:10:45Z");
    sim.script.insert(
        at("2027-01-01T00:00:40Z"),
        Step::Jump(at("2027-01-01T00:10:30Z")),
    );
    simulate(
        &mut sim,
        &file.replace("misfire_grace_time", "coalesce = false\nmisfire_grace_time"),
    );
    assert_eq!(
        sim.scheduled("m"),
        ["2027-01-01T00:09:00+00:00", "2027-01-01T00:10:00+00:00"]
    );
    assert_eq!(
        sim.started("m"),
        ["2027-01-01T00:10:30+00:00", "2027-01-01T00:10:31+00:00"]
    );
    assert!(sim.named("job_catch_up").iter().any(|e| matches!(
        e,
        Event::JobCatchUp {
            due: 10,
            missed: 8,
            run: 2,
            coalesced: 0,
            ..
        }
    )));
}

#[test]
fn a_clock_jump_backward_never_repeats_a_slot() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:05:30Z");
    sim.script.insert(
        at("2027-01-01T00:03:30Z"),
        Step::Jump(at("2027-01-01T00:01:30Z")),
    );
    simulate(
        &mut sim,
        &format!("{HEAD}[jobs.m]\ncommand = \"true\"\ncron = \"* * * * *\"\n"),
    );
    let scheduled = sim.scheduled("m");
    let unique: std::collections::HashSet<&String> = scheduled.iter().collect();
    assert_eq!(
        unique.len(),
        scheduled.len(),
        "a slot ran twice: {scheduled:?}"
    );
    assert_eq!(
        scheduled[..3],
        [
            "2027-01-01T00:01:00+00:00",
            "2027-01-01T00:02:00+00:00",
            "2027-01-01T00:03:00+00:00"
        ]
    );
    assert_eq!(scheduled[3], "2027-01-01T00:04:00+00:00");
}

#[test]
fn date_jobs_run_once_and_end_dates_end_jobs() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T01:00:00Z");
    simulate(
        &mut sim,
        &format!(
            "{HEAD}[jobs.d]\ncommand = \"true\"\ntrigger = \"date\"\nrun_date = \"2027-01-01T00:30:00\"\n[jobs.e]\ncommand = \"true\"\ntrigger = \"interval\"\nminutes = 10\nend_date = \"2027-01-01T00:25:00\"\n"
        ),
    );
    assert_eq!(sim.started("d"), ["2027-01-01T00:30:00+00:00"]);
    assert_eq!(sim.started("e").len(), 2);
    assert_eq!(sim.named("job_removed").len(), 2);
}

#[test]
fn jitter_stays_within_bounds_and_before_the_next_run() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T01:00:00Z");
    simulate(
        &mut sim,
        &format!("{HEAD}[jobs.j]\ncommand = \"true\"\ncron = \"* * * * *\"\njitter = \"5m\"\n"),
    );
    let starts: Vec<_> = sim
        .starts
        .iter()
        .map(|(t, _, s)| (*t, s.with_timezone(&chrono::Utc)))
        .collect();
    assert!(starts.len() >= 55, "{}", starts.len());
    assert!(
        starts
            .iter()
            .all(|(t, s)| *t >= *s && (*t - *s).num_seconds() < 60)
    );
    assert!(
        starts
            .iter()
            .any(|(t, s)| (*t - *s).num_milliseconds() > 1000),
        "jitter applied"
    );
}
