//! Starting a job's process without copying apsched.
//!
//! std's `Command` forks a full copy of apsched (page tables and all, which
//! at 1,000 jobs due at once costs more than the jobs' own start) as soon
//! as a `pre_exec` step is set, and a job needs two: the parent-death signal
//! and, as root, the switch to its user. So apsched starts processes the way
//! `posix_spawn` does: the child shares apsched's memory (`clone` with
//! `CLONE_VM | CLONE_VFORK`) while apsched's thread waits, does only raw
//! system calls on a stack of its own, and execs. Everything it needs
//! (paths, argv, environment) is built before the clone.

use rustix::pipe::{PipeFlags, pipe_with};
use rustix::process::{Gid, Pid, Uid, WaitOptions, waitpid};
use std::collections::BTreeMap;
use std::ffi::{CString, OsStr, OsString};
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};

/// The child's error code when apsched died before the parent-death signal
/// took effect, so the job would run unwatched.
const ORPHANED: i32 = -1;

mod child;
use child::{Child, clone_vfork};

/// A process to start: what std's `Command` holds, plus what the child does
/// before it execs.
pub(super) struct Launch {
    program: OsString,
    args: Vec<OsString>,
    env: BTreeMap<OsString, OsString>,
    cwd: Option<PathBuf>,
    identity: Option<(Uid, Gid, Vec<Gid>)>,
    stdin: bool,
}

/// A started process: its pid (also its process group) and its pipes.
pub(super) struct Launched {
    pub(super) pid: u32,
    pub(super) stdin: Option<OwnedFd>,
    pub(super) stdout: OwnedFd,
    pub(super) stderr: OwnedFd,
}

impl Launch {
    /// `program` with apsched's own environment; stdin is `/dev/null`,
    /// stdout and stderr are pipes.
    pub(super) fn new(program: impl AsRef<OsStr>) -> Launch {
        Launch {
            program: program.as_ref().to_owned(),
            args: Vec::new(),
            env: std::env::vars_os().collect(),
            cwd: None,
            identity: None,
            stdin: false,
        }
    }

    pub(super) fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Launch {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub(super) fn env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Launch {
        let key = key.as_ref().to_owned();
        self.env.insert(key, value.as_ref().to_owned());
        self
    }

    pub(super) fn env_remove(&mut self, key: impl AsRef<OsStr>) -> &mut Launch {
        self.env.remove(key.as_ref());
        self
    }

    pub(super) fn current_dir(&mut self, dir: &Path) -> &mut Launch {
        self.cwd = Some(dir.to_owned());
        self
    }

    /// Run as this uid, gid and groups (apsched must be root).
    pub(super) fn identity(&mut self, identity: Option<(Uid, Gid, Vec<Gid>)>) -> &mut Launch {
        self.identity = identity;
        self
    }

    /// A pipe for stdin instead of `/dev/null`.
    pub(super) fn stdin_piped(&mut self, piped: bool) -> &mut Launch {
        self.stdin = piped;
        self
    }

    /// Starts the process as the leader of a new process group. The caller
    /// holds [`super::signals::SPAWNING`]: a child whose exec fails is
    /// reaped here.
    pub(super) fn start(&self) -> io::Result<Launched> {
        let search = self.env.get(OsStr::new("PATH"));
        let path = resolve(&self.program, search, self.cwd.as_deref())?;
        let argv = cstrings(std::iter::once(&self.program).chain(&self.args))?;
        let envp = cstrings(self.env.iter().map(|(k, v)| {
            let mut pair = k.clone();
            pair.push("=");
            pair.push(v);
            pair
        }))?;
        let cwd = self
            .cwd
            .as_ref()
            .map(|d| cstring(d.as_os_str()))
            .transpose()?;
        let (stdin_read, stdin_write) = if self.stdin {
            pipe().map(|(r, w)| (r, Some(w)))?
        } else {
            (OwnedFd::from(std::fs::File::open("/dev/null")?), None)
        };
        let (stdout_read, stdout_write) = pipe()?;
        let (stderr_read, stderr_write) = pipe()?;
        let argv_ptrs = pointers(&argv);
        let script_argv: Vec<_> = [child::SH.as_ptr(), path.as_ptr()]
            .into_iter()
            .chain(argv_ptrs.iter().skip(1).copied())
            .collect();
        let envp_ptrs = pointers(&envp);
        let child = Child {
            path: &path,
            argv: &argv_ptrs,
            script_argv: &script_argv,
            envp: &envp_ptrs,
            cwd: cwd.as_deref(),
            stdio: [
                stdin_read.as_fd(),
                stdout_write.as_fd(),
                stderr_write.as_fd(),
            ],
            identity: self.identity.as_ref(),
            parent: rustix::process::getpid(),
            error: AtomicI32::new(0),
        };
        let pid = clone_vfork(&child)?;
        let failed = child.error.load(Ordering::SeqCst);
        // The child has exec'd or exited: its ends of the pipes are its own.
        drop((stdin_read, stdout_write, stderr_write));
        match failed {
            0 => Ok(Launched {
                pid,
                stdin: stdin_write,
                stdout: stdout_read,
                stderr: stderr_read,
            }),
            code => {
                reap(pid);
                Err(match code {
                    ORPHANED => io::ErrorKind::Other.into(),
                    errno => io::Error::from_raw_os_error(errno),
                })
            }
        }
    }
}

/// Reaps a child that exited before its exec.
fn reap(pid: u32) {
    if let Some(pid) = Pid::from_raw(pid.cast_signed()) {
        // Our own child, whose exit status says nothing its error did not.
        let _ = waitpid(Some(pid), WaitOptions::empty());
    }
}

/// A pipe whose ends close on exec: (read, write).
fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    Ok(pipe_with(PipeFlags::CLOEXEC)?)
}

fn cstring(text: &OsStr) -> io::Result<CString> {
    CString::new(text.as_bytes()).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "nul byte found in provided data",
        )
    })
}

fn cstrings<'a>(
    texts: impl IntoIterator<Item = impl AsRef<OsStr> + 'a>,
) -> io::Result<Vec<CString>> {
    texts.into_iter().map(|t| cstring(t.as_ref())).collect()
}

/// The NULL-terminated array of pointers to `texts`.
fn pointers(texts: &[CString]) -> Vec<*const libc::c_char> {
    texts
        .iter()
        .map(|t| t.as_ptr())
        .chain(std::iter::once(std::ptr::null()))
        .collect()
}

/// The file to exec: `program` itself if it names a path, else the first
/// executable file of that name in `PATH` (`/bin:/usr/bin` without one),
/// as `execvp` searches. A relative directory of `PATH` is the child's: in
/// `cwd`, where it execs.
fn resolve(program: &OsStr, path: Option<&OsString>, cwd: Option<&Path>) -> io::Result<CString> {
    if program.as_bytes().contains(&b'/') {
        return cstring(program);
    }
    let dirs = path.map_or(&b"/bin:/usr/bin"[..], |p| p.as_bytes());
    let mut denied = false;
    for dir in dirs.split(|b| *b == b':') {
        let dir = if dir.is_empty() { &b"."[..] } else { dir };
        let mut candidate = OsString::from_vec(dir.to_vec());
        candidate.push("/");
        candidate.push(program);
        let seen = cwd.map_or_else(|| PathBuf::from(&candidate), |d| d.join(&candidate));
        match std::fs::metadata(seen) {
            Ok(meta) if meta.is_file() && meta.permissions().mode() & 0o111 != 0 => {
                return cstring(&candidate);
            }
            Ok(_) => denied = true,
            Err(e) => denied |= e.kind() == io::ErrorKind::PermissionDenied,
        }
    }
    Err(io::Error::from_raw_os_error(if denied {
        libc::EACCES
    } else {
        libc::ENOENT
    }))
}

#[cfg(test)]
mod tests;
