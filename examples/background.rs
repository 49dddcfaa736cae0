//! A background scheduler in a program of its own: two function jobs and
//! a command, the events printed as they come, a job paused and resumed,
//! then a clean shutdown. `cargo run --example background` (about 8 s).

use apsched::{JobSpec, Scheduler, SchedulerEvent, TriggerSpec};
use std::time::Duration;

fn main() -> Result<(), apsched::Error> {
    let scheduler = Scheduler::builder()
        .timezone(chrono_tz::Europe::Berlin)
        .max_workers(4)
        .build()?;
    let events = scheduler.subscribe();
    scheduler.add_job(JobSpec::function(
        "tick",
        TriggerSpec::cron("* * * * * *"),
        |ctx| {
            println!("tick: run {} for {}", ctx.run_id, ctx.scheduled);
            Ok::<(), String>(())
        },
    ))?;
    scheduler.add_job(JobSpec::function(
        "flaky",
        TriggerSpec::interval(Duration::from_secs(3)),
        |_| Err("the service did not answer"),
    ))?;
    scheduler.add_job(JobSpec::shell(
        "command",
        TriggerSpec::cron("*/2 * * * * *"),
        "echo \"command: run $APSCHED_RUN_ID\"",
    ))?;
    let handle = scheduler.start()?;
    let printer = std::thread::spawn(move || {
        for event in events {
            match event {
                SchedulerEvent::JobError { job, reason, .. } => {
                    println!("event: {job}: {reason}");
                }
                SchedulerEvent::JobPaused { job } => println!("event: {job} paused"),
                SchedulerEvent::JobResumed { job, next_run_time } => {
                    println!("event: {job} resumed, next at {next_run_time:?}");
                }
                SchedulerEvent::Stopped => break,
                _ => {}
            }
        }
    });
    std::thread::sleep(Duration::from_secs(3));
    handle.pause_job("tick")?;
    std::thread::sleep(Duration::from_secs(2));
    handle.resume_job("tick")?;
    std::thread::sleep(Duration::from_secs(3));
    for job in handle.jobs() {
        println!("job {}: next run {:?}", job.id, job.next_run_time);
    }
    handle.shutdown(true)?;
    let _ = printer.join();
    Ok(())
}
