//! Starting and signaling job processes.
//!
//! Each run is the leader of its own process group, so a timeout or a
//! shutdown ends the whole tree the command started. Exit statuses are
//! collected by the reaper ([`super::signals`]), never by `Child::wait`.

use super::output::{Forwarder, Stream};
use crate::config::{Command as JobCommand, Job};
use crate::log;
use crate::scheduler::RunRequest;
use chrono::DateTime;
use chrono_tz::Tz;
use rustix::process::{
    Pid, Signal, getpid, getppid, kill_process_group, set_parent_process_death_signal,
};
use std::io::PipeReader;
use std::io::Write as _;
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;

/// The shell that runs `job`'s string command: its own, else `default`.
fn shell_of<'a>(job: &'a Job, default: &'a str) -> &'a str {
    job.shell.as_deref().unwrap_or(default)
}

/// The job's command with its directory and environment, output piped.
fn command(job: &Job, shell: &str, scheduled: &DateTime<Tz>) -> Result<Command, String> {
    let shell = shell_of(job, shell);
    let mut command = match &job.command {
        JobCommand::Shell(text) => {
            let mut c = Command::new(shell);
            c.arg("-c").arg(text);
            c
        }
        JobCommand::Argv(argv) => {
            let mut c = Command::new(&argv[0]);
            c.args(&argv[1..]);
            c
        }
    };
    if let Some(cwd) = &job.cwd {
        if !cwd.is_dir() {
            return Err(format!(
                "working directory {} does not exist",
                cwd.display()
            ));
        }
        command.current_dir(cwd);
    }
    command
        .envs(job.env.iter().map(|(k, v)| (k, v)))
        .env("APSCHED_JOB_ID", &job.id)
        .env(
            "APSCHED_SCHEDULED_TIME",
            crate::timefmt::rfc3339_auto(scheduled),
        )
        .stdin(if job.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let parent = getpid();
    // SAFETY: `pre_exec` runs the closure in the forked child before exec,
    // where only async-signal-safe work is sound. It makes two raw system
    // calls through rustix (prctl(PR_SET_PDEATHSIG), getppid), builds its
    // errors without allocating (from an errno, or an `ErrorKind`), and
    // touches no lock and no memory shared with the parent.
    unsafe {
        command.pre_exec(move || {
            // The job's leader gets SIGTERM if apsched dies (even kill -9).
            set_parent_process_death_signal(Some(Signal::TERM))?;
            // apsched died before that took effect: do not run unwatched.
            if getppid() != Some(parent) {
                return Err(std::io::ErrorKind::Other.into());
            }
            Ok(())
        });
    }
    Ok(command)
}

fn start(job: &Job, shell: &str, scheduled: &DateTime<Tz>) -> Result<Child, String> {
    let mut command = command(job, shell, scheduled)?;
    let _spawning = super::signals::SPAWNING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    command.spawn().map_err(|e| {
        let program = match &job.command {
            JobCommand::Shell(_) => shell_of(job, shell),
            JobCommand::Argv(argv) => argv[0].as_str(),
        };
        format!("{program}: {e}")
    })
}

/// Starts the run's command and hands its pipes to the forwarder; returns
/// its pid (also its process group id).
pub(super) fn spawn(
    request: &RunRequest,
    shell: &str,
    forwarder: &Forwarder,
) -> Result<u32, String> {
    let job = &request.job;
    let mut child = start(job, shell, &request.scheduled)?;
    let pid = child.id();
    if let (Some(pipe), Some(text)) = (child.stdin.take(), &job.stdin) {
        feed(pipe, text.as_bytes().to_vec());
    }
    let name: Arc<str> = Arc::from(job.id.as_str());
    let pipes = [
        (child.stdout.take().map(OwnedFd::from), log::Stream::Stdout),
        (child.stderr.take().map(OwnedFd::from), log::Stream::Stderr),
    ];
    let streams = pipes
        .into_iter()
        .filter_map(|(fd, stream)| {
            Some(Stream {
                fd: PipeReader::from(fd?),
                job: name.clone(),
                record: request.record,
                kind: stream,
            })
        })
        .collect();
    forwarder.add(streams);
    // The reaper collects the exit status; dropping `child` does not wait.
    drop(child);
    Ok(pid)
}

/// Writes `input` (at most 1 MiB, as the schedule file bounds it) to a
/// job's standard input from a thread of its own, then closes it, so a job
/// that does not read it never holds up the scheduler. A job that ends
/// without reading it all is not an error (the write fails with EPIPE).
fn feed(mut pipe: ChildStdin, input: Vec<u8>) {
    let fed = std::thread::Builder::new()
        .name("apsched-stdin".into())
        .spawn(move || {
            let _ = pipe.write_all(&input);
        });
    // No thread (out of resources): the pipe is closed, the job reads EOF.
    drop(fed);
}

/// Sends SIGTERM (or SIGKILL) to the process group led by `pid`.
pub(super) fn signal_group(pid: u32, kill: bool) {
    let sig = if kill { Signal::KILL } else { Signal::TERM };
    if let Some(pgid) = i32::try_from(pid).ok().and_then(Pid::from_raw) {
        // A group that is gone already (ESRCH) has nothing left to end.
        let _ = kill_process_group(pgid, sig);
    }
}
