//! What the scheduler records and decides about lateness: jitter, date jobs
//! first seen after their run date, and the history numbers in events.

use super::sim::{Sim, Step, at};
use super::tests::{HEAD, simulate};
use crate::scheduler::persist::RunResult;
use crate::scheduler::{Change, Event};

#[test]
fn jitter_longer_than_the_grace_time_never_causes_a_miss() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T01:00:00Z");
    simulate(
        &mut sim,
        &format!(
            "{HEAD}[jobs.j]\ncommand = \"true\"\ncron = \"* * * * *\"\njitter = \"50s\"\nmisfire_grace_time = \"1s\"\n"
        ),
    );
    assert!(
        sim.named("job_missed").is_empty(),
        "{:?}",
        sim.named("job_missed")
    );
    let missed = sim
        .changes
        .iter()
        .any(|c| matches!(c, Change::Ended { result, .. } if *result == RunResult::Missed));
    assert!(!missed, "no run recorded as missed");
    assert_eq!(sim.started("j").len(), 59, "every minute but the last ran");
    assert!(
        sim.starts
            .iter()
            .any(|(t, _, s)| (*t - s.with_timezone(&chrono::Utc)).num_seconds() > 1),
        "some runs started more than the grace time after their slot"
    );
}

#[test]
fn a_date_job_first_seen_after_its_run_date_runs_at_once_without_a_grace_limit() {
    let mut sim = Sim::new("2027-01-04T00:00:00Z", "2027-01-04T00:01:00Z");
    simulate(
        &mut sim,
        &format!(
            "{HEAD}[jobs.d]\ncommand = \"true\"\ntrigger = \"date\"\nrun_date = \"2027-01-01T00:00:00\"\n"
        ),
    );
    assert_eq!(sim.started("d"), ["2027-01-04T00:00:00+00:00"]);
    assert_eq!(sim.scheduled("d"), ["2027-01-01T00:00:00+00:00"]);
    assert_eq!(sim.named("job_removed").len(), 1);
}

#[test]
fn a_date_job_first_seen_beyond_its_grace_time_is_missed_and_recorded() {
    let mut sim = Sim::new("2027-01-04T00:00:00Z", "2027-01-04T00:01:00Z");
    simulate(
        &mut sim,
        &format!(
            "{HEAD}[jobs.d]\ncommand = \"true\"\ntrigger = \"date\"\nrun_date = \"2027-01-01T00:00:00\"\nmisfire_grace_time = \"1h\"\n"
        ),
    );
    assert!(sim.started("d").is_empty());
    assert!(matches!(
        sim.named("job_missed")[..],
        [Event::JobMissed { late, .. }] if late.as_secs() == 3 * 86_400
    ));
    let claim = sim.changes.iter().find_map(|c| match c {
        Change::Claim { claim, .. } => Some(claim.clone()),
        _ => None,
    });
    let claim = claim.expect("the slot is claimed");
    assert_eq!(
        claim.missed,
        Some((at("2027-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"), 1))
    );
    assert_eq!(claim.next, None);
}

#[test]
fn events_carry_the_history_number_the_store_gave() {
    // Two slots run in turn (no coalescing): each has its own number.
    let mut sim = Sim::new("2027-01-01T00:00:30Z", "2027-01-01T00:03:30Z");
    sim.script.insert(
        at("2027-01-01T00:00:40Z"),
        super::sim::Step::Jump(at("2027-01-01T00:02:30Z")),
    );
    simulate(
        &mut sim,
        &format!("{HEAD}[jobs.m]\ncommand = \"true\"\ncron = \"* * * * *\"\ncoalesce = false\n"),
    );
    let submitted: Vec<i64> = sim
        .named("job_submitted")
        .iter()
        .filter_map(|e| match e {
            Event::JobSubmitted { run, .. } => Some(*run),
            _ => None,
        })
        .collect();
    let started: Vec<i64> = sim
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::Started { record } => Some(*record),
            _ => None,
        })
        .collect();
    assert_eq!(submitted, [1, 2, 3]);
    assert_eq!(started, submitted, "the store is told the same numbers");
}

#[test]
fn a_store_that_cannot_be_written_holds_every_run_then_catches_up_once() {
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:30:30Z");
    sim.fail_writes = Some((at("2027-01-01T00:10:30Z"), at("2027-01-01T00:20:30Z")));
    simulate(
        &mut sim,
        &format!("{HEAD}[jobs.m]\ncommand = \"true\"\ncron = \"* * * * *\"\n"),
    );
    let started = sim.started("m");
    let scheduled = sim.scheduled("m");
    // Nothing starts while the store fails; one coalesced run at recovery.
    assert!(
        started
            .iter()
            .all(|t| !(t.as_str() > "2027-01-01T00:10:30" && t.as_str() < "2027-01-01T00:21")),
        "{started:?}"
    );
    assert_eq!(scheduled.len(), 20, "{scheduled:?}");
    assert_eq!(scheduled[9], "2027-01-01T00:10:00+00:00");
    assert_eq!(scheduled[10], "2027-01-01T00:21:00+00:00");
    let unique: std::collections::HashSet<_> = scheduled.iter().collect();
    assert_eq!(unique.len(), scheduled.len(), "no slot runs twice");
    assert_eq!(
        sim.named("state_failing").len(),
        1,
        "logged once per episode"
    );
    assert_eq!(sim.named("state_recovered").len(), 1);
    assert!(
        sim.named("state_error").is_empty(),
        "no false 'already claimed'"
    );
    // Retries back off: 1 s, 2 s, 4 s ... up to a minute.
    let gaps: Vec<i64> = sim
        .recoveries
        .windows(2)
        .map(|w| (w[1] - w[0]).num_seconds())
        .collect();
    assert_eq!(gaps[..6], [2, 4, 8, 16, 32, 60], "{gaps:?}");
    // Every run that started had its claim written.
    let claimed: Vec<String> = sim
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::Claim { claim, .. } => Some(claim.runs.clone()),
            _ => None,
        })
        .flatten()
        .map(|t| t.to_rfc3339())
        .collect();
    assert!(scheduled.iter().all(|s| claimed.contains(s)), "{claimed:?}");
}

#[test]
fn a_second_stop_kills_every_job_at_once() {
    use super::sim::Behavior;
    let file = format!(
        "{HEAD}shutdown_timeout = \"20s\"\n[jobs.long]\ncommand = \"x\"\ncron = \"* * * * *\"\n"
    );
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:01:05Z");
    sim.behavior.insert("long".into(), Behavior::IgnoresTerm);
    sim.script.insert(at("2027-01-01T00:01:07Z"), Step::Stop);
    simulate(&mut sim, &file);
    let (t, _, kill) = sim.signals[0];
    assert_eq!(
        (t, kill),
        (at("2027-01-01T00:01:07Z"), true),
        "SIGKILL, not SIGTERM"
    );
    assert!(
        matches!(sim.events.last(), Some((t, Event::SchedulerStopped)) if *t == at("2027-01-01T00:01:07Z"))
    );

    // A process that does not even die on SIGKILL is given up after a second.
    let mut sim = Sim::new("2027-01-01T00:00:00Z", "2027-01-01T00:01:05Z");
    sim.behavior.insert("long".into(), Behavior::Stuck);
    sim.script.insert(at("2027-01-01T00:01:07Z"), Step::Stop);
    simulate(&mut sim, &file);
    assert!(
        matches!(sim.events.last(), Some((t, Event::SchedulerStopped)) if *t == at("2027-01-01T00:01:08Z")),
        "{:?}",
        sim.events.last()
    );
    assert!(sim.changes.iter().any(|c| matches!(
        c,
        Change::Ended { result, .. } if *result == RunResult::Interrupted
    )));
}

#[test]
fn a_catch_up_claim_is_due_when_its_latest_slot_is() {
    let file = format!("{HEAD}[jobs.m]\ncommand = \"true\"\ncron = \"* * * * *\"\n");
    // At 00:00:30 the clock jumps to 00:10:30: 00:01 .. 00:10 run as one.
    let mut sim = Sim::new("2027-01-01T00:00:30Z", "2027-01-01T00:10:45Z");
    sim.script.insert(
        at("2027-01-01T00:00:40Z"),
        Step::Jump(at("2027-01-01T00:10:30Z")),
    );
    simulate(&mut sim, &file);
    let claims: Vec<_> = (sim.changes.iter())
        .filter_map(|c| match c {
            Change::Claim { claim, .. } => Some(claim),
            _ => None,
        })
        .collect();
    assert_eq!(claims.len(), 1, "{claims:?}");
    // Claimed from the saved 00:01, due at 00:10, the slot it runs: a store
    // whose clock is still before 00:10 refuses it.
    assert_eq!(claims[0].expected, at("2027-01-01T00:01:00Z"));
    assert_eq!(claims[0].runs, [at("2027-01-01T00:10:00Z")]);
    assert_eq!(claims[0].due_at, at("2027-01-01T00:10:00Z"));
}

#[test]
fn a_catch_up_lost_to_another_host_is_not_logged_here() {
    let file = format!("{HEAD}[jobs.m]\ncommand = \"true\"\ncron = \"* * * * *\"\n");
    let mut sim = Sim::new("2027-01-01T00:00:30Z", "2027-01-01T00:11:30Z");
    sim.shared = true;
    // This host sleeps through 00:01 .. 00:10 while another host runs them.
    sim.script.insert(
        at("2027-01-01T00:00:40Z"),
        Step::Claimed("m".into(), at("2027-01-01T00:11:00Z")),
    );
    sim.script.insert(
        at("2027-01-01T00:00:50Z"),
        Step::Jump(at("2027-01-01T00:10:30Z")),
    );
    simulate(&mut sim, &file);
    let names: Vec<&str> = sim.events.iter().map(|(_, e)| e.name()).collect();
    assert!(names.contains(&"claim_lost"), "{names:?}");
    assert!(
        !names.contains(&"job_catch_up") && !names.contains(&"job_missed"),
        "a catch-up this host did not make is not logged: {names:?}"
    );
    // It goes on from the other host's next run time.
    assert_eq!(sim.starts.len(), 1, "{:?}", sim.starts);
    assert_eq!(sim.starts[0].2, at("2027-01-01T00:11:00Z"));
}
