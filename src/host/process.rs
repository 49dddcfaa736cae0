//! Starting and signaling job processes.
//!
//! Each run is the leader of its own process group, so a timeout or a
//! shutdown ends the whole tree the command started. Exit statuses are
//! collected by the reaper ([`super::signals`]), never by `Child::wait`.

use super::output::{Forwarder, Stream};
use crate::config::{Command as JobCommand, Job};
use crate::scheduler::{Outcome, RunRequest};
use chrono::{DateTime, SecondsFormat};
use chrono_tz::Tz;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::OwnedFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, Stdio};

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
            scheduled.to_rfc3339_opts(SecondsFormat::AutoSi, false),
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    Ok(command)
}

fn start(job: &Job, shell: &str, scheduled: &DateTime<Tz>) -> Result<Child, String> {
    command(job, shell, scheduled)?.spawn().map_err(|e| {
        let program = match &job.command {
            JobCommand::Shell(_) => shell,
            JobCommand::Argv(argv) => argv[0].as_str(),
        };
        format!("{program}: {e}")
    })
}

/// Starts the run's command; returns its pid (also its process group id).
pub fn spawn(request: &RunRequest, shell: &str, forwarder: &Forwarder) -> Result<u32, String> {
    let row = request.record;
    let job = &request.job;
    let mut child = start(job, shell, &request.scheduled)?;
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

/// Runs a job to its end in the foreground (`run-now` with no scheduler
/// running): output forwarded with the job's prefix; returns how it ended
/// and the last `tail` bytes of its output.
pub fn run_direct(
    job: &Job,
    shell: &str,
    scheduled: &DateTime<Tz>,
    tail: usize,
) -> (Outcome, Vec<u8>) {
    let mut child = match start(job, shell, scheduled) {
        Ok(child) => child,
        Err(why) => return (Outcome::NotStarted(why), Vec::new()),
    };
    let forward = |pipe: Option<Box<dyn std::io::Read + Send>>, to_stderr: bool, label: String| {
        std::thread::spawn(move || {
            let mut kept = Vec::new();
            let Some(pipe) = pipe else { return kept };
            for line in BufReader::new(pipe).split(b'\n').map_while(Result::ok) {
                let mut text = format!("{label}| ").into_bytes();
                text.extend_from_slice(&line);
                text.push(b'\n');
                let _ = if to_stderr {
                    std::io::stderr().write_all(&text)
                } else {
                    std::io::stdout().write_all(&text)
                };
                kept.extend_from_slice(&text[label.len() + 2..]);
                if kept.len() > tail {
                    kept.drain(..kept.len() - tail);
                }
            }
            kept
        })
    };
    let out = forward(
        child.stdout.take().map(|p| Box::new(p) as _),
        false,
        job.id.clone(),
    );
    let err = forward(
        child.stderr.take().map(|p| Box::new(p) as _),
        true,
        job.id.clone(),
    );
    let status = child.wait();
    let mut kept = out.join().unwrap_or_default();
    kept.extend(err.join().unwrap_or_default());
    let outcome = match status {
        Ok(s) => match (s.code(), s.signal()) {
            (Some(code), _) => Outcome::Exited(code),
            (None, Some(sig)) => Outcome::Signaled(sig),
            _ => Outcome::Exited(-1),
        },
        Err(e) => Outcome::NotStarted(e.to_string()),
    };
    (outcome, kept)
}

/// Sends SIGTERM (or SIGKILL) to the process group led by `pid`.
pub fn signal_group(pid: u32, kill: bool) {
    let sig = if kill { libc::SIGKILL } else { libc::SIGTERM };
    if let Ok(pgid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill has no memory effects; a gone group yields ESRCH.
        unsafe { libc::kill(-pgid, sig) };
    }
}
