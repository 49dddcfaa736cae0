//! A library scheduler's command jobs run as `apsched run`'s do: their
//! standard input fed from `stdin`, run as `user`, their output's tail
//! saved in the history, which `apsched history` reads from the same state
//! file; and it reaps only its own processes, never the program's.

use super::wait_for;
use crate::harness::Dir;
use apsched::{JobSpec, Scheduler, SchedulerEvent, TriggerSpec};

/// The user the tests run as.
fn me() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .expect("id -un");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn a_command_reads_its_stdin_runs_as_its_user_and_its_output_is_in_the_history() {
    // `apsched history` reads the state a schedule file names; this one's
    // job is not the program's.
    let dir = Dir::schedule("[jobs.other]\ncommand = \"true\"\ncron = \"@daily\"\n");
    let db = dir.join("state.db");
    let scheduler = Scheduler::builder()
        .sqlite(&db)
        .build()
        .expect("a scheduler");
    let events = scheduler.subscribe();
    let job = JobSpec::shell("fed", TriggerSpec::cron("* * * * * *"), "cat; id -un")
        .stdin("from the program\n")
        .user(me());
    scheduler.add_job(job).expect("added");
    let handle = scheduler.start().expect("started");
    let run = wait_for(&events, |e| match e {
        SchedulerEvent::JobExecuted { job, run_id, .. } if job == "fed" => Some(*run_id),
        _ => None,
    });
    handle.shutdown(true).expect("a clean stop");
    let state = db.display().to_string();
    let out = dir
        .apsched(["history", "-f", "s.toml", "--state", &state])
        .args(["--output", &run.to_string()])
        .run();
    assert_eq!(out.stdout, format!("from the program\n{}\n", me()));
}

#[test]
fn a_user_that_does_not_exist_is_refused_when_added() {
    let scheduler = Scheduler::builder().build().expect("a scheduler");
    let job = JobSpec::shell("who", TriggerSpec::cron("@daily"), "true").user("no-such-user-x");
    let refused = scheduler.add_job(job).expect_err("refused");
    assert_eq!(
        refused.to_string(),
        "job \"who\": runs as user \"no-such-user-x\", which does not exist (no entry in /etc/passwd)"
    );
    let big = "x".repeat(1024 * 1024 + 1);
    let job = JobSpec::shell("big", TriggerSpec::cron("@daily"), "cat").stdin(big);
    let refused = scheduler.add_job(job).expect_err("refused");
    assert_eq!(
        refused.to_string(),
        "job \"big\": its stdin is over 1048576 bytes"
    );
}

#[test]
fn the_programs_own_children_are_left_for_it_to_wait_for() {
    // The program's child ends while the scheduler runs command jobs; a
    // scheduler that reaped every child would take its status.
    let mut own = std::process::Command::new("sh")
        .args(["-c", "sleep 0.5; exit 7"])
        .spawn()
        .expect("the program's child");
    let scheduler = Scheduler::builder().build().expect("a scheduler");
    let events = scheduler.subscribe();
    let every = TriggerSpec::cron("* * * * * *");
    scheduler
        .add_job(JobSpec::shell("tick", every, "true"))
        .expect("added");
    let handle = scheduler.start().expect("started");
    for _ in 0..2 {
        wait_for(&events, |e| match e {
            SchedulerEvent::JobExecuted { job, .. } if job == "tick" => Some(()),
            _ => None,
        });
    }
    handle.shutdown(true).expect("a clean stop");
    let status = own
        .wait()
        .expect("its status is still the program's to take");
    assert_eq!(status.code(), Some(7));
}
