//! apsched as a library, used as a program outside the crate uses it:
//! function jobs in a background scheduler run at their seconds, the
//! handle pauses, resumes, removes and runs them now, subscribers get the
//! events, and a scheduler on an SQLite file catches up after a restart by
//! the grace and coalescing rules. Real time, in runs of a few seconds.

#[cfg(feature = "tokio")]
mod asynchronous;
mod cluster;
mod commands;
mod restart;

use apsched::{JobSpec, Scheduler, SchedulerEvent, TriggerSpec};
use chrono::{DateTime, Utc};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// How long a test waits for something that should come within seconds.
const PATIENCE: Duration = Duration::from_secs(10);

/// The first event `pick` accepts, within [`PATIENCE`].
fn wait_for<T>(
    events: &Receiver<SchedulerEvent>,
    pick: impl Fn(&SchedulerEvent) -> Option<T>,
) -> T {
    let until = Instant::now() + PATIENCE;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        let event = events.recv_timeout(left).expect("the event in time");
        if let Some(found) = pick(&event) {
            return found;
        }
    }
}

/// Every event that comes within `within`.
fn drain(events: &Receiver<SchedulerEvent>, within: Duration) -> Vec<SchedulerEvent> {
    let until = Instant::now() + within;
    let mut got = Vec::new();
    while let Ok(e) = events.recv_timeout(until.saturating_duration_since(Instant::now())) {
        got.push(e);
    }
    got
}

fn every_second(id: &str, tx: std::sync::mpsc::Sender<(DateTime<Utc>, DateTime<Utc>)>) -> JobSpec {
    JobSpec::function(id, TriggerSpec::cron("* * * * * *"), move |ctx| {
        tx.send((ctx.scheduled, Utc::now()))
            .map_err(|e| e.to_string())
    })
}

#[test]
fn function_jobs_run_at_their_seconds_in_a_background_scheduler() {
    let scheduler = Scheduler::builder().build().expect("a scheduler");
    let (tx, rx) = channel();
    scheduler.add_job(every_second("tick", tx)).expect("added");
    let handle = scheduler.start().expect("started");
    let runs: Vec<_> = (0..3)
        .map(|_| rx.recv_timeout(PATIENCE).expect("a run"))
        .collect();
    handle.shutdown(true).expect("a clean stop");
    for (i, (scheduled, ran)) in runs.iter().enumerate() {
        assert_eq!(scheduled.timestamp_subsec_nanos(), 0, "a whole second");
        let late = (*ran - *scheduled).to_std().expect("not before its time");
        assert!(late < Duration::from_secs(1), "run {i} {late:?} late");
        if i > 0 {
            assert_eq!((*scheduled - runs[i - 1].0).num_seconds(), 1, "{runs:?}");
        }
    }
}

#[test]
fn subscribers_get_each_run_and_its_failure_in_words() {
    let scheduler = Scheduler::builder().build().expect("a scheduler");
    let events = scheduler.subscribe();
    let soon = TriggerSpec::cron("* * * * * *");
    scheduler
        .add_job(JobSpec::function("ok", soon.clone(), |_| {
            Ok::<(), String>(())
        }))
        .expect("ok");
    scheduler
        .add_job(JobSpec::function("fails", soon.clone(), |_| {
            Err("disk full")
        }))
        .expect("fails");
    scheduler
        .add_job(JobSpec::function(
            "panics",
            soon,
            |_| -> Result<(), String> { panic!("a bug") },
        ))
        .expect("panics");
    let handle = scheduler.start().expect("started");
    let started = wait_for(&events, |e| match e {
        SchedulerEvent::Started { jobs } => Some(*jobs),
        _ => None,
    });
    assert_eq!(started, 3);
    let executed = wait_for(&events, |e| match e {
        SchedulerEvent::JobExecuted { job, run_id, .. } if job == "ok" => Some(*run_id),
        _ => None,
    });
    assert!(executed > 0);
    for (job, reason) in [
        ("fails", "failed: disk full"),
        ("panics", "failed: panicked: a bug"),
    ] {
        let said = wait_for(&events, |e| match e {
            SchedulerEvent::JobError { job: j, reason, .. } if j == job => Some(reason.clone()),
            _ => None,
        });
        assert_eq!(said, reason);
    }
    handle.shutdown(true).expect("a clean stop");
    let rest = drain(&events, Duration::from_millis(200));
    assert!(rest.contains(&SchedulerEvent::Stopped), "{rest:?}");
}

#[test]
fn the_handle_pauses_resumes_removes_and_runs_now() {
    let scheduler = Scheduler::builder().build().expect("a scheduler");
    let events = scheduler.subscribe();
    let (tx, rx) = channel();
    scheduler.add_job(every_second("tick", tx)).expect("added");
    let (now_tx, now_rx) = channel();
    let far = TriggerSpec::cron("0 0 1 1 *");
    scheduler
        .add_job(JobSpec::function("yearly", far, move |ctx| {
            now_tx.send(ctx.clone()).map_err(|e| e.to_string())
        }))
        .expect("added");
    let handle = scheduler.start().expect("started");
    rx.recv_timeout(PATIENCE).expect("a first run");
    handle.pause_job("tick").expect("paused");
    wait_for(&events, |e| {
        matches!(e, SchedulerEvent::JobPaused { job } if job == "tick").then_some(())
    });
    let tick =
        |h: &apsched::SchedulerHandle| h.jobs().into_iter().find(|j| j.id == "tick").expect("tick");
    assert!(tick(&handle).paused);
    assert_eq!(tick(&handle).next_run_time, None);
    // A run that began before the pause may still report; none after.
    std::thread::sleep(Duration::from_millis(300));
    while rx.try_recv().is_ok() {}
    assert!(
        rx.recv_timeout(Duration::from_millis(2200)).is_err(),
        "ran while paused"
    );
    handle.resume_job("tick").expect("resumed");
    rx.recv_timeout(PATIENCE).expect("runs again");
    let next = tick(&handle).next_run_time.expect("a next run time");
    assert!(next > Utc::now() - chrono::TimeDelta::seconds(1), "{next}");
    handle.run_job_now("yearly").expect("run now");
    let ctx = now_rx
        .recv_timeout(PATIENCE)
        .expect("the yearly job ran now");
    assert!((Utc::now() - ctx.scheduled).num_seconds() < 5, "{ctx:?}");
    handle.remove_job("tick").expect("removed");
    wait_for(&events, |e| {
        matches!(e, SchedulerEvent::JobRemoved { job, .. } if job == "tick").then_some(())
    });
    assert_eq!(
        handle
            .jobs()
            .iter()
            .map(|j| j.id.as_str())
            .collect::<Vec<_>>(),
        ["yearly"]
    );
    assert!(matches!(
        handle.remove_job("tick"),
        Err(apsched::Error::NoSuchJob(_))
    ));
    handle.shutdown(true).expect("a clean stop");
    assert!(matches!(
        handle.pause_job("yearly"),
        Err(apsched::Error::ShutDown)
    ));
}

#[test]
fn a_run_still_going_makes_the_next_one_skip_by_max_instances() {
    let scheduler = Scheduler::builder().build().expect("a scheduler");
    let events = scheduler.subscribe();
    scheduler
        .add_job(
            JobSpec::function("slow", TriggerSpec::cron("* * * * * *"), |_| {
                std::thread::sleep(Duration::from_millis(2500));
                Ok::<(), String>(())
            })
            .max_instances(1),
        )
        .expect("added");
    let handle = scheduler.start().expect("started");
    let skipped = wait_for(&events, |e| match e {
        SchedulerEvent::JobMaxInstances { job, scheduled } if job == "slow" => Some(*scheduled),
        _ => None,
    });
    assert_eq!(skipped.timestamp_subsec_nanos(), 0);
    handle.shutdown(true).expect("waits for the slow run");
}

#[test]
fn jobs_that_cannot_be_added_say_why() {
    let scheduler = Scheduler::builder().build().expect("a scheduler");
    let cases = [
        (
            JobSpec::shell("bad cron", TriggerSpec::cron("61 * * * *"), "true"),
            "job \"bad cron\": an id may not be empty or contain spaces or \"|\"",
        ),
        (
            JobSpec::shell("c", TriggerSpec::cron("61 * * * *"), "true"),
            "job \"c\": invalid cron expression \"61 * * * *\": minute: 61 is out of range 0-59",
        ),
        (
            JobSpec::shell(
                "and",
                TriggerSpec::and([
                    TriggerSpec::cron("0 9 * * *"),
                    TriggerSpec::cron("0 10 * * *"),
                ]),
                "true",
            ),
            "job \"and\": it never fires: the triggers of and(cron 0 9 * * *; cron 0 10 * * *) agree on no time after now (tried 10000 candidate times)",
        ),
        (
            JobSpec::shell(
                "member",
                TriggerSpec::or([TriggerSpec::cron("@hourly").jitter(Duration::from_secs(1))]),
                "true",
            ),
            "job \"member\": a member of an or or and takes no timezone, start_date, end_date or jitter: set them on the combination",
        ),
        (
            JobSpec::argv("argv", TriggerSpec::cron("@daily"), Vec::<String>::new()),
            "job \"argv\": its argv is empty",
        ),
        (
            JobSpec::shell("many", TriggerSpec::cron("@daily"), "true").max_instances(0),
            "job \"many\": max_instances must be 1 to 10000",
        ),
    ];
    for (spec, want) in cases {
        let err = scheduler.add_job(spec).expect_err(want);
        assert_eq!(err.to_string(), want);
    }
    scheduler
        .add_job(JobSpec::shell("x", TriggerSpec::cron("@daily"), "true"))
        .expect("added");
    let again = scheduler.add_job(JobSpec::shell("x", TriggerSpec::cron("@daily"), "true"));
    assert_eq!(
        again.expect_err("taken").to_string(),
        "job \"x\" exists already"
    );
    scheduler
        .add_job(JobSpec::shell("x", TriggerSpec::cron("@hourly"), "true").replace_existing(true))
        .expect("replaced");
}

#[test]
fn a_command_job_runs_its_process_with_the_runs_facts_directory_and_environment() {
    let dir = tempfile::tempdir().expect("a directory");
    let scheduler = Scheduler::builder().build().expect("a scheduler");
    let events = scheduler.subscribe();
    let command = "echo \"$APSCHED_JOB_ID $APSCHED_RUN_ID $GREETING\" >> out";
    let every = || TriggerSpec::cron("* * * * * *");
    scheduler
        .add_job(
            JobSpec::shell("cmd", every(), command)
                .cwd(dir.path())
                .env("GREETING", "hello"),
        )
        .expect("added");
    scheduler
        .add_job(JobSpec::shell("nowhere", every(), "true").cwd(dir.path().join("missing")))
        .expect("added");
    let handle = scheduler.start().expect("started");
    let run = wait_for(&events, |e| match e {
        SchedulerEvent::JobExecuted { job, run_id, .. } if job == "cmd" => Some(*run_id),
        _ => None,
    });
    let why = wait_for(&events, |e| match e {
        SchedulerEvent::JobError { job, reason, .. } if job == "nowhere" => Some(reason.clone()),
        _ => None,
    });
    handle.shutdown(true).expect("a clean stop");
    let text = std::fs::read_to_string(dir.path().join("out")).expect("the output");
    assert!(
        text.lines().any(|l| l == format!("cmd {run} hello")),
        "{text}"
    );
    let missing = dir.path().join("missing");
    assert_eq!(
        why,
        format!(
            "cannot start: working directory {} does not exist",
            missing.display()
        )
    );
}

#[test]
fn a_run_date_past_its_grace_time_is_missed_and_one_within_it_runs() {
    let scheduler = Scheduler::builder()
        .misfire_grace_time(Some(Duration::from_secs(1)))
        .build()
        .expect("a scheduler");
    let events = scheduler.subscribe();
    let ago = |s| Utc::now() - chrono::TimeDelta::seconds(s);
    let ok = |_: &apsched::JobContext| Ok::<(), String>(());
    scheduler
        .add_job(JobSpec::function("late", TriggerSpec::date(ago(30)), ok))
        .expect("late");
    scheduler
        .add_job(
            JobSpec::function("forgiven", TriggerSpec::date(ago(30)), ok)
                .misfire_grace_time(Some(Duration::from_secs(60))),
        )
        .expect("forgiven");
    let handle = scheduler.start().expect("started");
    let missed = wait_for(&events, |e| match e {
        SchedulerEvent::JobMissed { job, scheduled } => Some((job.clone(), *scheduled)),
        _ => None,
    });
    assert_eq!(missed.0, "late");
    wait_for(&events, |e| {
        matches!(e, SchedulerEvent::JobExecuted { job, .. } if job == "forgiven").then_some(())
    });
    handle.shutdown(true).expect("a clean stop");
}

#[test]
fn rescheduling_and_modifying_a_running_job_take_effect() {
    let scheduler = Scheduler::builder().build().expect("a scheduler");
    let events = scheduler.subscribe();
    let (tx, rx) = channel();
    let yearly = TriggerSpec::cron("0 0 1 1 *");
    let job = JobSpec::function("job", yearly, move |ctx| {
        tx.send(ctx.scheduled).map_err(|e| e.to_string())
    });
    scheduler.add_job(job).expect("added");
    let handle = scheduler.start().expect("started");
    // A change before the scheduler has read its jobs is read with them;
    // this one is made to a running scheduler.
    wait_for(&events, |e| {
        matches!(e, SchedulerEvent::JobAdded { .. }).then_some(())
    });
    handle
        .reschedule_job("job", &TriggerSpec::cron("* * * * * *"))
        .expect("rescheduled");
    wait_for(&events, |e| {
        matches!(e, SchedulerEvent::JobModified { job, .. } if job == "job").then_some(())
    });
    rx.recv_timeout(PATIENCE).expect("runs every second now");
    let (tx2, rx2) = channel();
    let replaced = JobSpec::function("job", TriggerSpec::cron("* * * * * *"), move |_| {
        tx2.send(()).map_err(|e| e.to_string())
    });
    handle.modify_job(replaced).expect("modified");
    rx2.recv_timeout(PATIENCE).expect("the new function runs");
    let missing = JobSpec::shell("nope", TriggerSpec::cron("@daily"), "true");
    assert!(matches!(
        handle.modify_job(missing),
        Err(apsched::Error::NoSuchJob(_))
    ));
    handle.shutdown(true).expect("a clean stop");
}

#[test]
fn or_and_and_triggers_fire_at_their_members_times() {
    let scheduler = Scheduler::builder().build().expect("a scheduler");
    let (tx, rx) = channel();
    let (both_tx, both_rx) = channel();
    // Even and odd seconds: every second. And every second that is even
    // and a multiple of 3 (of 6).
    let either = TriggerSpec::or([
        TriggerSpec::cron("*/2 * * * * *"),
        TriggerSpec::cron("1/2 * * * * *"),
    ]);
    let both = TriggerSpec::and([
        TriggerSpec::cron("*/2 * * * * *"),
        TriggerSpec::cron("*/3 * * * * *"),
    ]);
    scheduler
        .add_job(JobSpec::function("either", either, move |ctx| {
            tx.send(ctx.scheduled).map_err(|e| e.to_string())
        }))
        .expect("either");
    scheduler
        .add_job(JobSpec::function("both", both, move |ctx| {
            both_tx.send(ctx.scheduled).map_err(|e| e.to_string())
        }))
        .expect("both");
    let handle = scheduler.start().expect("started");
    let runs: Vec<_> = (0..3)
        .map(|_| rx.recv_timeout(PATIENCE).expect("a run"))
        .collect();
    let joint = both_rx.recv_timeout(PATIENCE).expect("a run of both");
    handle.shutdown(true).expect("a clean stop");
    for pair in runs.windows(2) {
        assert_eq!((pair[1] - pair[0]).num_seconds(), 1, "{runs:?}");
    }
    assert_eq!(joint.timestamp() % 6, 0, "{joint}");
}
