//! A run in the foreground (`run-now` with no scheduler running): the same
//! process set-up and output forwarding as `apsched run`, waited for here.

use super::output::Forwarder;
use super::process;
use super::signals::{Msg, outcome};
use crate::config::Job;
use crate::console::Console;
use crate::log::Format;
use crate::scheduler::{Outcome, Record, RunRequest};
use chrono::DateTime;
use chrono_tz::Tz;
use rustix::io::Errno;
use rustix::process::{Pid, WaitOptions, waitpid};
use std::sync::Arc;
use std::sync::mpsc::channel;
use std::time::Duration;

/// How long to wait for the pipes to close after the process ended (a
/// background process of the job may hold them open).
const DRAIN: Duration = Duration::from_secs(2);

/// Runs the job as run `record` to its end, its output forwarded with the
/// job's prefix; how it ended and the last 4 KB of its output.
pub(crate) fn run_direct(
    job: &Job,
    record: Record,
    shell: &str,
    scheduled: DateTime<Tz>,
) -> (Outcome, Vec<u8>) {
    let (tx, rx) = channel();
    let forwarder = match Forwarder::start(tx, Console::new(), Format::Text) {
        Ok(f) => f,
        Err(e) => return (Outcome::NotStarted(e.to_string()), Vec::new()),
    };
    let request = RunRequest {
        run: 0,
        record,
        job: Arc::new(job.clone()),
        scheduled,
    };
    let pid = match process::spawn(&request, shell, &forwarder, &[]) {
        Ok(pid) => pid,
        Err(why) => return (Outcome::NotStarted(why), Vec::new()),
    };
    let ended = wait(pid);
    forwarder.finish(DRAIN);
    let tail = rx
        .try_iter()
        .find_map(|m| match m {
            Msg::Output { tail, .. } => Some(tail),
            _ => None,
        })
        .unwrap_or_default();
    (ended, tail)
}

/// Waits for the child `pid` to end.
fn wait(pid: u32) -> Outcome {
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return Outcome::NotStarted(format!("pid {pid} out of range"));
    };
    loop {
        match waitpid(Some(pid), WaitOptions::empty()) {
            Ok(Some((_, status))) => return outcome(status.as_raw()),
            // Without WNOHANG only an ended child returns; wait again.
            Ok(None) | Err(Errno::INTR) => {}
            Err(e) => return Outcome::NotStarted(std::io::Error::from(e).to_string()),
        }
    }
}
