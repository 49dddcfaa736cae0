//! How long the loop sleeps: until the next run time however far when the
//! host notices clock steps (waking for each step), else at most a minute.

use super::sim::{Sim, Step, at};
use super::tests::{HEAD, simulate};
use crate::scheduler::{Due, Event};
use chrono::{DateTime, Utc};

/// A `sleeping` event: when logged, until when, and for what.
type Sleep = (DateTime<Utc>, Option<DateTime<Utc>>, Option<Due>);

fn sleeps(sim: &Sim) -> Vec<Sleep> {
    (sim.events.iter())
        .filter_map(|(t, e)| match e {
            Event::Sleeping { until, due } => Some((*t, *until, due.clone())),
            _ => None,
        })
        .collect()
}

/// The times of the `woke` events with this reason.
fn woke(sim: &Sim, why: &str) -> Vec<DateTime<Utc>> {
    (sim.events.iter())
        .filter(|(_, e)| matches!(e, Event::Woke { reason, .. } if *reason == why))
        .map(|(t, _)| *t)
        .collect()
}

const DAILY_AT_TEN: &str = "[jobs.d]\ncommand = \"true\"\ncron = \"0 10 * * *\"\n";

#[test]
fn noticing_clock_steps_it_sleeps_once_until_a_run_ten_hours_away() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T10:30:00Z");
    sim.clock_steps = true;
    simulate(&mut sim, &format!("{HEAD}{DAILY_AT_TEN}"));
    let ten = at("2027-01-01T10:00:00Z");
    let before: Vec<_> = sleeps(&sim).into_iter().filter(|s| s.0 < ten).collect();
    assert_eq!(
        before,
        [(
            at("2027-01-01T00:00:00Z"),
            Some(ten),
            Some(Due::Slot("d".into()))
        )]
    );
    assert_eq!(woke(&sim, "timer").first(), Some(&ten));
    assert_eq!(sim.started("d"), ["2027-01-01T10:00:00+00:00"]);
}

#[test]
fn not_noticing_them_it_wakes_every_minute_to_read_the_clock() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T10:30:00Z");
    simulate(&mut sim, &format!("{HEAD}{DAILY_AT_TEN}"));
    let ten = at("2027-01-01T10:00:00Z");
    let before: Vec<_> = sleeps(&sim).into_iter().filter(|s| s.0 < ten).collect();
    assert_eq!(before.len(), 600);
    for (t, until, due) in &before {
        assert_eq!((*until, due), (Some(*t + super::MAX_SLEEP), &None));
    }
    assert_eq!(
        woke(&sim, "timer").iter().filter(|t| **t < ten).count(),
        599
    );
    assert_eq!(sim.started("d"), ["2027-01-01T10:00:00+00:00"]);
}

#[test]
fn a_clock_step_wakes_it_at_once_and_late_slots_follow_the_misfire_rules() {
    let file = format!(
        "{HEAD}[jobs.h]\ncommand = \"true\"\ncron = \"0 * * * *\"\nmisfire_grace_time = \"90s\"\n"
    );
    let mut sim = Sim::new("2027-01-01T00:00:30Z", "2027-01-01T03:00:30Z");
    sim.clock_steps = true;
    // Forward past 01:00, within its grace: it runs 30 s late.
    sim.script.insert(
        at("2027-01-01T00:20:00Z"),
        Step::Jump(at("2027-01-01T01:00:30Z")),
    );
    // Forward past 02:00 and its grace: missed.
    sim.script.insert(
        at("2027-01-01T01:10:00Z"),
        Step::Jump(at("2027-01-01T02:05:00Z")),
    );
    // Backward: it sleeps again until the same 03:00, which runs once.
    sim.script.insert(
        at("2027-01-01T02:30:00Z"),
        Step::Jump(at("2027-01-01T02:10:00Z")),
    );
    simulate(&mut sim, &file);
    assert_eq!(
        woke(&sim, "clock_set"),
        [
            at("2027-01-01T01:00:30Z"),
            at("2027-01-01T02:05:00Z"),
            at("2027-01-01T02:10:00Z")
        ]
    );
    assert_eq!(
        sim.started("h"),
        ["2027-01-01T01:00:30+00:00", "2027-01-01T03:00:00+00:00"]
    );
    assert!(
        sim.named("job_missed").iter().any(|e| matches!(
            e,
            Event::JobMissed { job, .. } if job == "h"
        )),
        "{:?}",
        sim.events
    );
    let three = Some(at("2027-01-01T03:00:00Z"));
    let after_back: Vec<_> = (sleeps(&sim).into_iter())
        .filter(|s| s.0 == at("2027-01-01T02:10:00Z"))
        .map(|s| s.1)
        .collect();
    assert_eq!(after_back, [three]);
}

#[test]
fn with_nothing_due_it_sleeps_with_no_deadline_until_woken() {
    let file = format!(
        "{HEAD}[jobs.once]\ncommand = \"true\"\ntrigger = \"date\"\nrun_date = \"2027-01-01T00:30:00\"\n"
    );
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T05:00:00Z");
    sim.clock_steps = true;
    simulate(&mut sim, &file);
    assert_eq!(sim.started("once"), ["2027-01-01T00:30:00+00:00"]);
    let after: Vec<_> = (sleeps(&sim).into_iter())
        .filter(|s| s.0 > at("2027-01-01T00:30:00Z"))
        .collect();
    // Once the run ended, nothing is due: no wake-up until the stop.
    assert_eq!(after, [(at("2027-01-01T00:30:01Z"), None, None)]);
    assert_eq!(woke(&sim, "signal"), [at("2027-01-01T05:00:00Z")]);
}
