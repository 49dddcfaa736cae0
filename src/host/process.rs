//! Starting and signaling job processes.
//!
//! Each run is the leader of its own process group, so a timeout or a
//! shutdown ends the whole tree the command started. Exit statuses are
//! collected by the reaper ([`super::signals`]), never by `Child::wait`.

use super::output::{Forwarder, Stream};
use crate::config::Command as JobCommand;
use crate::scheduler::RunRequest;
use chrono::SecondsFormat;
use std::os::fd::OwnedFd;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

/// Starts the run's command; returns its pid (also its process group id).
pub fn spawn(
    request: &RunRequest,
    shell: &str,
    forwarder: &Forwarder,
    row: i64,
) -> Result<u32, String> {
    let job = &request.job;
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
            request
                .scheduled
                .to_rfc3339_opts(SecondsFormat::AutoSi, false),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let mut child = command.spawn().map_err(|e| {
        let program = match &job.command {
            JobCommand::Shell(_) => shell,
            JobCommand::Argv(argv) => argv[0].as_str(),
        };
        format!("{program}: {e}")
    })?;
    let pid = child.id();
    if let Some(out) = child.stdout.take() {
        forwarder.add(Stream {
            fd: OwnedFd::from(out),
            label: job.id.clone(),
            to_stderr: false,
            row,
        });
    }
    if let Some(err) = child.stderr.take() {
        forwarder.add(Stream {
            fd: OwnedFd::from(err),
            label: job.id.clone(),
            to_stderr: true,
            row,
        });
    }
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
