//! The hooks waiting for a free slot: at most [`CAPACITY`], further ones
//! dropped and counted.

use super::table::HookRun;
use std::collections::VecDeque;

/// How many hooks may wait.
pub(super) const CAPACITY: usize = 1000;

/// What became of a hook offered to the queue.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Push {
    Queued,
    /// Dropped: the queue is full. `first` for the first drop since the
    /// queue last emptied (a burst is logged once).
    Dropped {
        first: bool,
    },
}

#[derive(Debug, Default)]
pub(super) struct Queue {
    waiting: VecDeque<HookRun>,
    /// Hooks dropped in all.
    pub dropped: u64,
    /// A drop was logged since the queue last emptied.
    burst: bool,
}

impl Queue {
    pub(super) fn push(&mut self, run: HookRun) -> Push {
        if self.waiting.len() >= CAPACITY {
            self.dropped += 1;
            let first = !self.burst;
            self.burst = true;
            return Push::Dropped { first };
        }
        self.waiting.push_back(run);
        Push::Queued
    }

    /// The next hook to start, in the order they came.
    #[cfg(test)]
    pub(super) fn pop(&mut self) -> Option<HookRun> {
        self.pop_first(|_| true)
    }

    /// The first hook, in the order they came, that may start (`ok`).
    pub(super) fn pop_first(&mut self, ok: impl Fn(&HookRun) -> bool) -> Option<HookRun> {
        let i = self.waiting.iter().position(ok)?;
        let run = self.waiting.remove(i);
        if self.waiting.is_empty() {
            self.burst = false;
        }
        run
    }

    pub(super) fn is_empty(&self) -> bool {
        self.waiting.is_empty()
    }

    /// Takes the hooks not started.
    pub(super) fn take(&mut self) -> Vec<HookRun> {
        self.burst = false;
        self.waiting.drain(..).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Command;

    fn run(n: usize) -> HookRun {
        HookRun {
            event: "job_failed",
            key: "on_failure",
            job: Some(format!("j{n}")),
            command: Command::Shell("true".into()),
            shell: "/bin/sh".into(),
            env: Vec::new(),
            stdin: Vec::new(),
            record: None,
            first: false,
        }
    }

    #[test]
    fn a_full_queue_drops_and_counts_logging_once_per_burst() {
        let mut q = Queue::default();
        for n in 0..CAPACITY {
            assert_eq!(q.push(run(n)), Push::Queued);
        }
        assert_eq!(q.push(run(1)), Push::Dropped { first: true });
        assert_eq!(q.push(run(2)), Push::Dropped { first: false });
        assert_eq!(q.dropped, 2);
        // Room for one again: queued, and the burst goes on until empty.
        assert_eq!(q.pop().and_then(|r| r.job), Some("j0".into()));
        assert_eq!(q.push(run(3)), Push::Queued);
        assert_eq!(q.push(run(4)), Push::Dropped { first: false });
        while q.pop().is_some() {}
        assert!(q.is_empty());
        for n in 0..CAPACITY {
            q.push(run(n));
        }
        assert_eq!(q.push(run(5)), Push::Dropped { first: true });
        assert_eq!(q.dropped, 4);
        assert_eq!(q.take().len(), CAPACITY);
        assert!(q.is_empty());
    }
}

#[test]
fn a_blocked_hook_lets_later_ones_pass() {
    let mut q = Queue::default();
    for n in 0..3 {
        let mut r = tests_run(n);
        r.record = Some(i64::try_from(n).unwrap_or_default());
        q.push(r);
    }
    let got = q.pop_first(|r| r.record != Some(0)).and_then(|r| r.record);
    assert_eq!(got, Some(1));
    assert_eq!(q.pop_first(|_| true).and_then(|r| r.record), Some(0));
}

#[cfg(test)]
fn tests_run(n: usize) -> HookRun {
    HookRun {
        event: "job_finished",
        key: "on_finish",
        job: Some(format!("j{n}")),
        command: crate::config::Command::Shell("true".into()),
        shell: "/bin/sh".into(),
        env: Vec::new(),
        stdin: Vec::new(),
        record: None,
        first: false,
    }
}
