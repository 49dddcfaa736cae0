//! Starting one hook process: its own process group, the facts on standard
//! input from a memory file (written before the start, so nothing blocks),
//! its output on apsched's standard error.

use super::table::HookRun;
use crate::config::Command as HookCommand;
use rustix::fs::{MemfdFlags, SeekFrom, memfd_create, seek};
use std::io::Write as _;
use std::os::fd::{AsFd as _, OwnedFd};
use std::os::unix::process::CommandExt as _;
use std::process::{Command, Stdio};

/// Starts `run`; its pid (also its process group's id), or why it could
/// not start.
pub(super) fn spawn(run: &HookRun) -> Result<i32, String> {
    let mut command = match &run.command {
        HookCommand::Shell(text) => {
            let mut c = Command::new(&run.shell);
            c.arg("-c").arg(text);
            c
        }
        HookCommand::Argv(argv) => {
            let mut c = Command::new(&argv[0]);
            c.args(&argv[1..]);
            c
        }
        // Hooks are read from the file, which cannot name a function.
        HookCommand::Call(_) => return Err("a function cannot be a hook".into()),
    };
    let program = match &run.command {
        HookCommand::Argv(argv) => argv[0].as_str(),
        HookCommand::Shell(_) | HookCommand::Call(_) => run.shell.as_str(),
    };
    for name in crate::host::notify::VARIABLES {
        command.env_remove(name);
    }
    let stdin = input(&run.stdin).map_err(|e| format!("cannot write its input: {e}"))?;
    let stdout = std::io::stderr()
        .as_fd()
        .try_clone_to_owned()
        .map_err(|e| format!("cannot pass it standard error: {e}"))?;
    command
        .envs(run.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::from(stdin))
        .stdout(Stdio::from(stdout))
        .stderr(Stdio::inherit())
        .process_group(0);
    let _spawning = crate::host::signals::SPAWNING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let child = command.spawn().map_err(|e| format!("{program}: {e}"))?;
    // The reaper collects the exit status; dropping `child` does not wait.
    i32::try_from(child.id()).map_err(|e| e.to_string())
}

/// A memory file holding `bytes`, read from its start.
fn input(bytes: &[u8]) -> std::io::Result<OwnedFd> {
    let fd = memfd_create("apsched-hook", MemfdFlags::CLOEXEC)?;
    let mut file = std::fs::File::from(fd);
    file.write_all(bytes)?;
    let fd = OwnedFd::from(file);
    seek(&fd, SeekFrom::Start(0))?;
    Ok(fd)
}
