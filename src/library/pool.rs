//! The worker threads function jobs run on: started as runs need them, at
//! most `max_workers` (the core never has more runs going), each reporting
//! its run's end to the scheduler's channel.

use super::host::Msg;
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
    idle: Arc<AtomicUsize>,
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
            threads: Vec::new(),
            max: max.max(1),
        }
    }

    /// Runs `task` on an idle thread, or a new one; an error if no thread
    /// could be started.
    pub(crate) fn submit(&mut self, task: Task) -> Result<(), String> {
        if self.idle.load(Ordering::Acquire) == 0 && self.threads.len() < self.max {
            self.grow()?;
        }
        let tx = self.tx.as_ref().ok_or("the worker pool has stopped")?;
        tx.send(task)
            .map_err(|_| "the worker pool has stopped".to_string())
    }

    fn grow(&mut self) -> Result<(), String> {
        let (rx, done, idle) = (self.rx.clone(), self.done.clone(), self.idle.clone());
        let n = self.threads.len();
        let thread = std::thread::Builder::new()
            .name(format!("apsched-worker-{n}"))
            .spawn(move || work(&rx, &done, &idle))
            .map_err(|e| format!("cannot start a worker thread: {e}"))?;
        self.threads.push(thread);
        Ok(())
    }

    /// Lets the running functions end and the threads with them.
    pub(crate) fn finish(mut self) {
        self.tx = None;
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// A worker: takes tasks until the pool is dropped.
fn work(rx: &Mutex<Receiver<Task>>, done: &Sender<Msg>, idle: &AtomicUsize) {
    loop {
        idle.fetch_add(1, Ordering::AcqRel);
        let task = rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
        idle.fetch_sub(1, Ordering::AcqRel);
        let Ok(task) = task else {
            return;
        };
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
