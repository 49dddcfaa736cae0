//! The worker threads function jobs run on: started as runs need them, at
//! most `max_workers` (the core never has more runs going), each reporting
//! its run's end to the scheduler's channel.

use super::signals::Msg;
use crate::call::{Call, JobContext};
use crate::scheduler::{Outcome, RunId};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

/// One run of a function.
pub(crate) struct Task {
    pub call: Call,
    pub ctx: JobContext,
    pub run: RunId,
}

pub(crate) struct Pool {
    tx: Option<Sender<Task>>,
    rx: Arc<Mutex<Receiver<Task>>>,
    done: Sender<Msg>,
    /// Threads waiting for a task.
    idle: Arc<AtomicUsize>,
    /// Tasks sent and not yet taken by a thread.
    queued: Arc<AtomicUsize>,
    threads: Vec<JoinHandle<()>>,
    max: usize,
}

impl Pool {
    /// A pool of at most `max` threads that tells `done` of each end.
    pub(crate) fn new(max: usize, done: Sender<Msg>) -> Pool {
        let (tx, rx) = channel();
        Pool {
            tx: Some(tx),
            rx: Arc::new(Mutex::new(rx)),
            done,
            idle: Arc::new(AtomicUsize::new(0)),
            queued: Arc::new(AtomicUsize::new(0)),
            threads: Vec::new(),
            max: max.max(1),
        }
    }

    /// Runs `task` on an idle thread, or a new one when every idle thread
    /// has a task waiting for it already (a run never waits behind another
    /// while fewer than `max` threads run); an error if no thread could be
    /// started.
    pub(crate) fn submit(&mut self, task: Task) -> Result<(), String> {
        let waiting = self.queued.fetch_add(1, Ordering::AcqRel) + 1;
        let idle = self.idle.load(Ordering::Acquire);
        if grows(waiting, idle, self.threads.len(), self.max)
            && let Err(e) = self.grow()
        {
            self.queued.fetch_sub(1, Ordering::AcqRel);
            return Err(e);
        }
        let tx = self.tx.as_ref().ok_or("the worker pool has stopped")?;
        tx.send(task)
            .map_err(|_| "the worker pool has stopped".to_string())
    }

    fn grow(&mut self) -> Result<(), String> {
        let counts = (self.idle.clone(), self.queued.clone());
        let (rx, done) = (self.rx.clone(), self.done.clone());
        let n = self.threads.len();
        let thread = std::thread::Builder::new()
            .name(format!("apsched-worker-{n}"))
            .spawn(move || work(&rx, &done, &counts))
            .map_err(|e| format!("cannot start a worker thread: {e}"))?;
        self.threads.push(thread);
        Ok(())
    }

    /// Lets the running functions end and the threads with them.
    pub(crate) fn finish(&mut self) {
        self.tx = None;
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// Whether a new thread starts for a task: when the tasks waiting (this
/// one included) outnumber the idle threads, and there is room for one.
fn grows(waiting: usize, idle: usize, threads: usize, max: usize) -> bool {
    waiting > idle && threads < max
}

/// A worker: takes tasks until the pool is dropped. `counts` are the
/// pool's idle threads and queued tasks.
fn work(
    rx: &Mutex<Receiver<Task>>,
    done: &Sender<Msg>,
    (idle, queued): &(Arc<AtomicUsize>, Arc<AtomicUsize>),
) {
    loop {
        idle.fetch_add(1, Ordering::AcqRel);
        let task = rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
        idle.fetch_sub(1, Ordering::AcqRel);
        let Ok(task) = task else {
            return;
        };
        queued.fetch_sub(1, Ordering::AcqRel);
        let outcome = match catch_unwind(AssertUnwindSafe(|| task.call.run(&task.ctx))) {
            Ok(Ok(())) => Outcome::Exited(0),
            Ok(Err(error)) => Outcome::Failed(error),
            Err(panic) => Outcome::Failed(format!("panicked: {}", panic_text(&*panic))),
        };
        // The scheduler may have stopped waiting; nothing is left to tell.
        let _ = done.send(Msg::Done {
            run: task.run,
            outcome,
        });
    }
}

/// A panic's message, if it has one.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(ToString::to_string)
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use std::time::Duration;

    fn task(run: RunId, f: impl Fn() + Send + Sync + 'static) -> Task {
        Task {
            call: Call::thread(Arc::new(move |_: &JobContext| {
                f();
                Ok(())
            })),
            ctx: JobContext {
                job_id: format!("j{run}"),
                scheduled: Utc::now(),
                run_id: 0,
            },
            run,
        }
    }

    fn ended(done: &Receiver<Msg>) -> Option<RunId> {
        match done.recv_timeout(Duration::from_secs(2)) {
            Ok(Msg::Done { run, .. }) => Some(run),
            _ => None,
        }
    }

    #[test]
    fn a_thread_starts_when_waiting_tasks_outnumber_idle_threads() {
        // (waiting, idle, threads, max) -> grows
        let cases = [
            ((1, 0, 0, 4), true),
            ((1, 1, 1, 4), false),
            // One idle thread that has not taken the task before yet.
            ((2, 1, 1, 4), true),
            ((2, 2, 2, 4), false),
            ((5, 0, 4, 4), false),
        ];
        for ((waiting, idle, threads, max), want) in cases {
            assert_eq!(
                grows(waiting, idle, threads, max),
                want,
                "{waiting} {idle} {threads} {max}"
            );
        }
    }

    #[test]
    fn a_task_never_waits_behind_a_slow_one_while_threads_are_left() {
        let (done_tx, done) = channel();
        let mut pool = Pool::new(4, done_tx);
        pool.submit(task(1, || {})).expect("submitted");
        assert_eq!(ended(&done), Some(1));
        // One thread, idle; two tasks at once, the first of them slow.
        std::thread::sleep(Duration::from_millis(100));
        let (release, held) = channel::<()>();
        let held = Mutex::new(held);
        pool.submit(task(2, move || {
            let _ = held.lock().map(|h| h.recv());
        }))
        .expect("submitted");
        pool.submit(task(3, || {})).expect("submitted");
        assert_eq!(
            ended(&done),
            Some(3),
            "the quick task ran beside the slow one"
        );
        release.send(()).expect("released");
        assert_eq!(ended(&done), Some(2));
        pool.finish();
    }
}
