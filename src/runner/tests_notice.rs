//! What hooks and metrics are told: one notice per run end and per
//! decision about missed slots, each only after its record is written.

use super::sim::{Behavior, Sim, Step, at};
use super::tests::{HEAD, simulate};
use crate::scheduler::persist::RunResult;
use crate::scheduler::{Change, Miss, Notice, Outcome};
use std::time::Duration;

/// The notices of one kind, with how many changes were written before each.
fn ends(sim: &Sim) -> Vec<(usize, &crate::scheduler::notice::RunEnd)> {
    (sim.notices.iter())
        .filter_map(|(at, n)| match n {
            Notice::Ended(e) => Some((*at, &**e)),
            _ => None,
        })
        .collect()
}

fn missed(sim: &Sim) -> Vec<(u64, Miss)> {
    (sim.notices.iter())
        .filter_map(|(_, n)| match n {
            Notice::Missed { count, reason, .. } => Some((*count, *reason)),
            _ => None,
        })
        .collect()
}

#[test]
fn every_end_is_told_once_after_its_record_is_written() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:03:30Z");
    sim.behavior
        .insert("f".into(), Behavior::Runs(Duration::from_secs(2), 3));
    simulate(
        &mut sim,
        &format!("{HEAD}[jobs.f]\ncommand = \"x\"\ncron = \"* * * * *\"\n"),
    );
    let ends = ends(&sim);
    assert_eq!(ends.len(), 3, "{:?}", sim.notices);
    for (written, end) in ends {
        assert_eq!(end.outcome, Outcome::Exited(3));
        assert_eq!(end.result, RunResult::Failed);
        assert_eq!((end.ended - end.started).num_seconds(), 2);
        let recorded = sim.changes[..written].iter().any(|c| {
            matches!(c, Change::Ended { record, result: RunResult::Failed, .. } if *record == end.record)
        });
        assert!(
            recorded,
            "run {} told before its end was written",
            end.record
        );
    }
    let started = (sim.notices.iter())
        .filter(|(_, n)| matches!(n, Notice::Started { .. }))
        .count();
    assert_eq!(started, 3);
}

#[test]
fn a_year_of_downtime_of_an_every_second_job_is_one_notice() {
    let file = format!(
        "{HEAD}[jobs.s]\ncommand = \"true\"\ntrigger = \"interval\"\nseconds = 1\nmisfire_grace_time = \"1s\"\n"
    );
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2028-01-01T00:00:03Z");
    sim.script.insert(
        at("2027-01-01T00:00:00.500Z"),
        Step::Jump(at("2028-01-01T00:00:00.500Z")),
    );
    simulate(&mut sim, &file);
    let misses = missed(&sim);
    assert_eq!(
        misses.first(),
        Some(&(31_535_999, Miss::Misfire)),
        "365 days of seconds, less the one run: {misses:?}"
    );
    assert_eq!(
        misses.iter().filter(|(_, r)| *r == Miss::Misfire).count(),
        1
    );
}

#[test]
fn a_run_skipped_for_max_instances_is_told_as_overlap() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:02:30Z");
    sim.behavior.insert("long".into(), Behavior::Forever);
    simulate(
        &mut sim,
        &format!("{HEAD}[jobs.long]\ncommand = \"x\"\ncron = \"* * * * *\"\n"),
    );
    assert_eq!(missed(&sim), [(1, Miss::Overlap)]);
}

#[test]
fn an_end_that_cannot_be_written_is_told_once_it_is() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:03:30Z");
    sim.behavior
        .insert("f".into(), Behavior::Runs(Duration::from_secs(20), 0));
    // The first run ends at 00:01:20 while writes fail.
    sim.fail_writes = Some((at("2027-01-01T00:01:10Z"), at("2027-01-01T00:01:40Z")));
    simulate(
        &mut sim,
        &format!("{HEAD}[jobs.f]\ncommand = \"x\"\ncron = \"* * * * *\"\n"),
    );
    let ends = ends(&sim);
    let first = ends.first().expect("the first run's end is told");
    assert_eq!(first.1.record, 1);
    let recovered = sim.recoveries.last().copied().expect("recovered");
    assert!(recovered >= at("2027-01-01T00:01:40Z"));
    assert_eq!(ends.len(), 3, "{ends:?}");
}

#[test]
fn a_refused_reload_is_told_with_its_problems() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:00:30Z");
    sim.script.insert(
        at("2027-01-01T00:00:10Z"),
        Step::Reload("[jobs.x]\ncommand = 3\n".into()),
    );
    simulate(
        &mut sim,
        &format!("{HEAD}[jobs.f]\ncommand = \"x\"\ncron = \"* * * * *\"\n"),
    );
    let refused: Vec<_> = (sim.notices.iter())
        .filter_map(|(_, n)| match n {
            Notice::ReloadFailed { problems } => Some(problems.len()),
            _ => None,
        })
        .collect();
    assert_eq!(refused.len(), 1, "{:?}", sim.notices);
    assert!(refused[0] >= 1);
}
