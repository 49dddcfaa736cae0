//! Starting and signaling job processes.
//!
//! Each run is the leader of its own process group, so a timeout or a
//! shutdown ends the whole tree the command started. Exit statuses are
//! collected by the reaper ([`super::signals`]), or inside a program by a
//! thread waiting for each ([`super::program`]), never by `Child::wait`.

use super::launch::{Launch, Launched};
use super::output::{Forwarder, Stream};
use crate::account::Account;
use crate::config::{Command as JobCommand, Job};
use crate::log;
use crate::scheduler::RunRequest;
use chrono::DateTime;
use chrono_tz::Tz;
use rustix::process::{Gid, Pid, Signal, Uid, geteuid, kill_process_group};
use std::io::Write as _;
use std::io::{PipeReader, PipeWriter};
use std::sync::Arc;

/// The shell that runs `job`'s string command: its own, else `default`.
fn shell_of<'a>(job: &'a Job, default: &'a str) -> &'a str {
    job.more.shell.as_deref().unwrap_or(default)
}

/// The job's command with its directory, environment and user.
fn command(job: &Job, shell: &str, scheduled: &DateTime<Tz>) -> Result<Launch, String> {
    let shell = shell_of(job, shell);
    let mut command = match &*job.command {
        JobCommand::Shell(text) => {
            let mut c = Launch::new(shell);
            c.arg("-c").arg(text);
            c
        }
        JobCommand::Argv(argv) => {
            let mut c = Launch::new(&argv[0]);
            for arg in &argv[1..] {
                c.arg(arg);
            }
            c
        }
        // A schedule file cannot name a function, and the host runs a
        // library scheduler's functions on its pool, never through here.
        JobCommand::Call(_) => return Err("a function job runs in a library scheduler only".into()),
    };
    if let Some(cwd) = &job.more.cwd {
        usable_dir(cwd)?;
        command.current_dir(cwd);
    }
    // The service manager's socket is apsched's own, not its jobs'.
    for name in super::notify::VARIABLES {
        command.env_remove(name);
    }
    if let Some(account) = &job.more.user {
        account_env(&mut command, account);
    }
    for (key, value) in &job.more.env {
        command.env(key, value);
    }
    command
        .env("APSCHED_JOB_ID", &job.id)
        .env(
            "APSCHED_SCHEDULED_TIME",
            crate::timefmt::rfc3339_auto(scheduled),
        )
        .stdin_piped(job.more.stdin.is_some())
        .identity(switch_to(job.more.user.as_deref()));
    Ok(command)
}

/// A job's working directory can be used, or why not (the run's start
/// error).
pub(crate) fn usable_dir(dir: &std::path::Path) -> Result<(), String> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(format!(
            "working directory {} does not exist",
            dir.display()
        ))
    }
}

/// The variables cron sets for a job's user; the job's own `env` is set
/// after them, and wins.
fn account_env(command: &mut Launch, account: &Account) {
    command
        .env("HOME", &account.home)
        .env("USER", &account.name)
        .env("LOGNAME", &account.name)
        .env("SHELL", &account.shell);
}

/// The uid, gid and groups to switch to before running as `account`:
/// `None` without one, or when apsched is not root (then the account is
/// apsched's own, as loading the file checked).
fn switch_to(account: Option<&Account>) -> Option<(Uid, Gid, Vec<Gid>)> {
    let account = account?;
    if !geteuid().is_root() {
        return None;
    }
    let groups = account.groups.iter().map(|g| Gid::from_raw(*g)).collect();
    Some((
        Uid::from_raw(account.uid),
        Gid::from_raw(account.gid),
        groups,
    ))
}

fn start(request: &RunRequest, shell: &str, env: &[(String, String)]) -> Result<Launched, String> {
    let job = &request.job;
    let mut command = command(job, shell, &request.scheduled)?;
    command.env("APSCHED_RUN_ID", request.record.to_string());
    for (key, value) in env {
        command.env(key, value);
    }
    let _spawning = super::signals::SPAWNING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    command.start().map_err(|e| {
        let program = match &*job.command {
            JobCommand::Argv(argv) => argv[0].as_str(),
            JobCommand::Shell(_) | JobCommand::Call(_) => shell_of(job, shell),
        };
        match &job.more.user {
            // The switch to the user may be what failed (setgroups is
            // denied in some user namespaces).
            Some(account) => format!("{program} as user {}: {e}", account.name),
            None => format!("{program}: {e}"),
        }
    })
}

/// Starts the run's command and hands its pipes to the forwarder; returns
/// its pid (also its process group id).
pub(super) fn spawn(
    request: &RunRequest,
    shell: &str,
    forwarder: &Forwarder,
    env: &[(String, String)],
) -> Result<u32, String> {
    let job = &request.job;
    let child = start(request, shell, env)?;
    if let (Some(pipe), Some(text)) = (child.stdin, &job.more.stdin) {
        feed(PipeWriter::from(pipe), text.as_bytes().to_vec());
    }
    let name: Arc<str> = Arc::from(job.id.as_str());
    let streams = [
        (child.stdout, log::Stream::Stdout),
        (child.stderr, log::Stream::Stderr),
    ]
    .into_iter()
    .map(|(fd, kind)| Stream {
        fd: PipeReader::from(fd),
        job: name.clone(),
        record: request.record,
        kind,
    })
    .collect();
    forwarder.add(streams);
    // The reaper (or, inside a program, a thread waiting for it) collects
    // the exit status.
    Ok(child.pid)
}

/// Writes `input` (at most 1 MiB, as the schedule file bounds it) to a
/// job's standard input from a thread of its own, then closes it, so a job
/// that does not read it never holds up the scheduler. A job that ends
/// without reading it all is not an error (the write fails with EPIPE).
fn feed(mut pipe: PipeWriter, input: Vec<u8>) {
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
