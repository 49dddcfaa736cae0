//! Signals: SIGINT and SIGTERM stop, SIGHUP reloads, SIGUSR1 rereads the
//! state (pause, resume, run-now), SIGCHLD reaps.
//!
//! One thread receives them all (signal-hook) and turns them into messages
//! for the runner. On SIGCHLD it reaps every exited child with
//! `waitpid(-1)`, so zombies never pile up, and when apsched is PID 1 in a
//! container, orphans re-parented to it are reaped too.

use rustix::process::{WaitOptions, wait};
use signal_hook::consts::{SIGCHLD, SIGHUP, SIGINT, SIGTERM, SIGUSR1};
use signal_hook::iterator::Signals;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::sync::Mutex;
use std::sync::mpsc::Sender;

/// What reaches the host: from the signal thread, the output forwarder,
/// the watches, and (for a scheduler inside a program) its handle and
/// worker threads.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Msg {
    /// A child ended; `status` as `waitpid` gives it.
    Reaped {
        pid: i32,
        status: i32,
    },
    Stop,
    Reload,
    /// SIGUSR1: `apsched pause`, `resume` or `run-now` changed the state.
    Control,
    /// A run's output pipes closed; the last bytes of its output.
    Output {
        record: crate::scheduler::Record,
        tail: Vec<u8>,
    },
    /// `--watch`: the schedule file changed.
    FileChanged,
    /// `--watch`: the file cannot be watched (fully) any more, and why.
    WatchFailed {
        error: String,
    },
    /// The wall clock was set, or the machine resumed from suspend.
    ClockSet,
    /// The wall clock can no longer be watched for steps, and why.
    ClockWatchFailed {
        error: String,
    },
    /// For hooks and metrics: runs of the cluster recorded interrupted by
    /// this node, their node having lost its lease.
    Notices(Vec<crate::scheduler::Notice>),
    /// The program changed its jobs: read them again.
    Jobs,
    /// The program paused or resumed a job.
    Paused {
        job: String,
        paused: bool,
    },
    /// The program asked for a run of a job now.
    RunNow {
        job: String,
    },
    /// A function's run ended.
    Done {
        run: crate::scheduler::RunId,
        outcome: crate::scheduler::Outcome,
    },
}

/// Installs the handlers and starts the thread. Call before starting jobs.
pub(super) fn start(tx: Sender<Msg>) -> std::io::Result<()> {
    let mut signals = Signals::new([SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGUSR1])?;
    std::thread::Builder::new()
        .name("apsched-signals".into())
        .spawn(move || {
            for signal in signals.forever() {
                let sent = match signal {
                    SIGCHLD => reap(&tx),
                    SIGHUP => tx.send(Msg::Reload).is_ok(),
                    SIGUSR1 => tx.send(Msg::Control).is_ok(),
                    _ => tx.send(Msg::Stop).is_ok(),
                };
                if !sent {
                    return;
                }
            }
        })?;
    Ok(())
}

/// Held while a process is being spawned. A spawn whose exec fails reaps
/// its own child (a job's launch, std's `Command::spawn` of a hook), so the
/// reaper must not take that child from under it.
pub(super) static SPAWNING: Mutex<()> = Mutex::new(());

/// Reaps every child that has ended; false once the runner is gone.
fn reap(tx: &Sender<Msg>) -> bool {
    let _spawning = SPAWNING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // Until no child has ended (`None`) or none is left (an error).
    while let Ok(Some((pid, status))) = wait(WaitOptions::NOHANG) {
        let (pid, status) = (pid.as_raw_pid(), status.as_raw());
        if tx.send(Msg::Reaped { pid, status }).is_err() {
            return false;
        }
    }
    true
}

/// The outcome a `waitpid` status describes.
pub(super) fn outcome(status: i32) -> crate::scheduler::Outcome {
    use crate::scheduler::Outcome;
    let status = ExitStatus::from_raw(status);
    match status.signal() {
        Some(signal) => Outcome::Signaled(signal),
        // `waitpid` without WUNTRACED reports only ended children, so a
        // status that is not a signal's is an exit's.
        None => Outcome::Exited(status.code().unwrap_or_default()),
    }
}
