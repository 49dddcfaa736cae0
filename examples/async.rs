//! An async scheduler in a tokio program: jobs as futures on the
//! program's runtime, the scheduler awaited as a task, stopped from
//! another. `cargo run --example async --features tokio` (about 4 s).

use apsched::{AsyncScheduler, JobSpec, Scheduler, SchedulerEvent, TriggerSpec};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), apsched::Error> {
    let scheduler = AsyncScheduler::new(Scheduler::builder().build()?);
    let events = scheduler.subscribe();
    scheduler.add_job(JobSpec::future(
        "fetch",
        TriggerSpec::cron("* * * * * *"),
        |ctx| async move {
            // A future may await anything the program's runtime drives.
            tokio::time::sleep(Duration::from_millis(200)).await;
            println!("fetched for {}", ctx.scheduled);
            Ok::<(), String>(())
        },
    ))?;
    scheduler.add_job(JobSpec::future(
        "broken",
        TriggerSpec::cron("*/2 * * * * *"),
        |_| async { Err("no route to host") },
    ))?;
    let handle = scheduler.handle();
    let running = tokio::spawn(scheduler.run());
    tokio::time::sleep(Duration::from_millis(3500)).await;
    tokio::task::spawn_blocking(move || handle.shutdown(true))
        .await
        .expect("the shutdown task")?;
    running.await.expect("the scheduler task")?;
    for event in events.try_iter() {
        if let SchedulerEvent::JobError { job, reason, .. } = event {
            println!("{job}: {reason}");
        }
    }
    Ok(())
}
