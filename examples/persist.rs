//! A scheduler whose state outlives the program: its function jobs are
//! added again by id at each start, and the runs missed while it was not
//! running are caught up by their grace time and coalescing, as after a
//! restart of `apsched run`. The program starts it, stops it, waits five
//! seconds, and starts it again on the same file.
//! `cargo run --example persist [STATE-FILE]` (about 8 s).

use apsched::{JobSpec, Scheduler, SchedulerEvent, TriggerSpec};
use std::path::Path;
use std::time::Duration;

/// The program's jobs: registered at every start, by the same ids.
fn start(state: &Path) -> Result<apsched::SchedulerHandle, apsched::Error> {
    let scheduler = Scheduler::builder().sqlite(state).build()?;
    let events = scheduler.subscribe();
    let every = || TriggerSpec::cron("* * * * * *");
    scheduler.add_job(JobSpec::function("report", every(), |ctx| {
        println!("report for {}", ctx.scheduled);
        Ok::<(), String>(())
    }))?;
    scheduler.add_job(
        JobSpec::function("fresh-only", every(), |_| Ok::<(), String>(()))
            .misfire_grace_time(Some(Duration::from_secs(1))),
    )?;
    std::thread::spawn(move || {
        for event in events {
            if let SchedulerEvent::JobCatchUp {
                job,
                due,
                missed,
                run,
                coalesced,
            } = event
            {
                println!(
                    "{job}: {due} runs were due: {missed} missed, {run} run, {coalesced} coalesced"
                );
            }
        }
    });
    scheduler.start()
}

fn main() -> Result<(), apsched::Error> {
    let dir = std::env::temp_dir().join(format!("apsched-persist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| apsched::Error::State(e.to_string()))?;
    let state = std::env::args()
        .nth(1)
        .map_or_else(|| dir.join("state.db"), Into::into);
    let handle = start(&state)?;
    std::thread::sleep(Duration::from_secs(2));
    handle.shutdown(true)?;
    println!("stopped; starting again in 5 s");
    std::thread::sleep(Duration::from_secs(5));
    let handle = start(&state)?;
    std::thread::sleep(Duration::from_secs(1));
    handle.shutdown(true)?;
    Ok(())
}
