//! The async scheduler (`--features tokio`): future jobs spawned on the
//! program's runtime run at their seconds; an error or a panic is the
//! run's failure; a future job made outside a runtime is refused.

use super::wait_for;
use apsched::{AsyncScheduler, JobSpec, Scheduler, SchedulerEvent, TriggerSpec};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn future_jobs_run_on_the_programs_runtime() {
    let scheduler = AsyncScheduler::new(Scheduler::builder().build().expect("a scheduler"));
    let events = scheduler.subscribe();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let every = || TriggerSpec::cron("* * * * * *");
    scheduler
        .add_job(JobSpec::future("ok", every(), move |ctx| {
            let tx = tx.clone();
            async move {
                tokio::time::sleep(Duration::from_millis(50)).await;
                tx.send(ctx.scheduled).map_err(|e| e.to_string())
            }
        }))
        .expect("ok");
    scheduler
        .add_job(JobSpec::future("fails", every(), |_| async {
            Err("no route")
        }))
        .expect("fails");
    scheduler
        .add_job(JobSpec::future("panics", every(), |_| async {
            panic!("a bug");
            #[allow(unreachable_code)]
            Ok::<(), String>(())
        }))
        .expect("panics");
    let handle = scheduler.handle();
    let running = tokio::spawn(scheduler.run());
    let first = rx.recv().await.expect("a run");
    let second = rx.recv().await.expect("another");
    assert_eq!((second - first).num_seconds(), 1);
    let reasons = tokio::task::spawn_blocking(move || {
        ["fails", "panics"].map(|job| {
            wait_for(&events, |e| match e {
                SchedulerEvent::JobError { job: j, reason, .. } if j == job => Some(reason.clone()),
                _ => None,
            })
        })
    })
    .await
    .expect("the events");
    assert_eq!(reasons, ["failed: no route", "failed: panicked"]);
    tokio::task::spawn_blocking(move || handle.shutdown(true))
        .await
        .expect("shutdown")
        .expect("a clean stop");
    running.await.expect("the task").expect("a clean end");
}

#[test]
fn a_future_job_made_outside_a_runtime_is_refused() {
    let scheduler = Scheduler::builder().build().expect("a scheduler");
    let spec = JobSpec::future("f", TriggerSpec::cron("@daily"), |_| async {
        Ok::<(), String>(())
    });
    let err = scheduler.add_job(spec).expect_err("no runtime");
    assert_eq!(
        err.to_string(),
        "job \"f\": a future job is made inside a tokio runtime, where its runs are spawned"
    );
}
