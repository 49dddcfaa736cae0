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
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

/// The job's command with its directory and environment, output piped.
fn command(job: &Job, shell: &str, scheduled: &DateTime<Tz>) -> Result<Command, String> {
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
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let parent = std::process::id();
    // SAFETY: the closure runs in the child between fork and exec and calls
    // only async-signal-safe functions (prctl, getppid).
    unsafe {
        command.pre_exec(move || {
            // The job's leader gets SIGTERM if apsched dies (even kill -9).
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // apsched died before that took effect: do not run unwatched.
            if u32::try_from(libc::getppid()).ok() != Some(parent) {
                return Err(std::io::Error::other("apsched exited"));
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
        .unwrap_or_else(|e| e.into_inner());
    command.spawn().map_err(|e| {
        let program = match &job.command {
            JobCommand::Shell(_) => shell,
            JobCommand::Argv(argv) => argv[0].as_str(),
        };
        format!("{program}: {e}")
    })
}

/// Starts the run's command and hands its pipes to the forwarder; returns
/// its pid (also its process group id).
pub fn spawn(request: &RunRequest, shell: &str, forwarder: &Forwarder) -> Result<u32, String> {
    let job = &request.job;
    let mut child = start(job, shell, &request.scheduled)?;
    let pid = child.id();
    let name: Arc<str> = Arc::from(job.id.as_str());
    let pipes = [
        (child.stdout.take().map(OwnedFd::from), log::Stream::Stdout),
        (child.stderr.take().map(OwnedFd::from), log::Stream::Stderr),
    ];
    let streams = pipes
        .into_iter()
        .filter_map(|(fd, stream)| {
            Some(Stream {
                fd: fd?,
                job: name.clone(),
                record: request.record,
                stream,
            })
        })
        .collect();
    forwarder.add(streams);
    // The reaper collects the exit status; dropping `child` does not wait.
    drop(child);
    Ok(pid)
}

/// Sends SIGTERM (or SIGKILL) to the process group led by `pid`.
pub fn signal_group(pid: u32, kill: bool) {
    let sig = if kill { libc::SIGKILL } else { libc::SIGTERM };
    if let Ok(pgid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill has no memory effects; a gone group yields ESRCH.
        unsafe { libc::kill(-pgid, sig) };
    }
}
