//! The child's side of a launch: everything from the clone to the exec
//! runs here, on a stack of its own, in memory it shares with apsched.
//! Nothing here allocates, takes a lock, or returns into the parent's code.

use super::ORPHANED;
use rustix::io::Errno;
use rustix::process::{
    Gid, Pid, Signal, Uid, chdir, getppid, set_parent_process_death_signal, setpgid,
};
use rustix::stdio::{dup2_stderr, dup2_stdin, dup2_stdout};
use rustix::thread::{set_thread_gid, set_thread_groups, set_thread_uid};
use std::ffi::{CStr, c_int, c_void};
use std::io;
use std::os::fd::BorrowedFd;
use std::sync::atomic::{AtomicI32, Ordering};

/// The shell that runs a script the kernel cannot exec.
pub(super) const SH: &CStr = c"/bin/sh";

/// The child's stack until it execs: it makes only system calls.
const STACK_BYTES: usize = 64 * 1024;

/// What the child needs, built by the parent; the child only reads it and
/// writes `error`.
pub(super) struct Child<'a> {
    pub(super) path: &'a CStr,
    pub(super) argv: &'a [*const libc::c_char],
    /// `/bin/sh`, the path, then `argv` after its first: for a script.
    pub(super) script_argv: &'a [*const libc::c_char],
    pub(super) envp: &'a [*const libc::c_char],
    pub(super) cwd: Option<&'a CStr>,
    pub(super) stdio: [BorrowedFd<'a>; 3],
    pub(super) identity: Option<&'a (Uid, Gid, Vec<Gid>)>,
    pub(super) parent: Pid,
    /// The errno of the step that failed ([`ORPHANED`] for the parent
    /// check); 0 while none has.
    pub(super) error: AtomicI32,
}

/// Clones a child that shares this memory and runs [`child_main`]; returns
/// once it has exec'd or exited. All signals are blocked meanwhile, so no
/// handler of apsched's runs in the child before it resets them.
pub(super) fn clone_vfork(child: &Child<'_>) -> io::Result<u32> {
    let mut stack = vec![0u128; STACK_BYTES / size_of::<u128>()];
    let top = stack.as_mut_ptr_range().end.cast::<c_void>();
    // SAFETY: `all` and `old` are plain signal sets, filled before use.
    let old = unsafe {
        let mut all = std::mem::zeroed::<libc::sigset_t>();
        let mut old = std::mem::zeroed::<libc::sigset_t>();
        libc::sigfillset(&raw mut all);
        libc::pthread_sigmask(libc::SIG_SETMASK, &raw const all, &raw mut old);
        old
    };
    let arg = std::ptr::from_ref(child).cast_mut().cast::<c_void>();
    // SAFETY: with CLONE_VFORK this thread waits until the child execs or
    // exits, so `child` and `stack` (16-byte aligned, its top passed as the
    // stack grows down) outlive every use the child makes of them.
    // `child_main` never returns into Rust code of the parent's: it execs or
    // calls `_exit`.
    let pid = unsafe {
        libc::clone(
            child_main,
            top,
            libc::CLONE_VM | libc::CLONE_VFORK | libc::SIGCHLD,
            arg,
        )
    };
    let cloned = io::Error::last_os_error();
    // SAFETY: restores the mask saved above.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &raw const old, std::ptr::null_mut()) };
    drop(stack);
    u32::try_from(pid).map_err(|_| cloned)
}

/// The child: sets itself up, then execs; on any failure records the
/// errno and exits 127.
extern "C" fn child_main(arg: *mut c_void) -> c_int {
    // SAFETY: `arg` is the `Child` that `clone_vfork` passed, alive while
    // its parent waits.
    let child = unsafe { &*arg.cast::<Child<'_>>() };
    let code = prepare(child).map_or_else(|errno| errno, |()| exec(child));
    child.error.store(code, Ordering::SeqCst);
    // SAFETY: `_exit` ends the child without running anything of the
    // parent's (no atexit handlers, no buffered output).
    unsafe { libc::_exit(127) }
}

/// Everything before the exec, in std's order (stdio, directory, group,
/// signals), then the user and the parent-death signal; errors as errno.
fn prepare(child: &Child<'_>) -> Result<(), i32> {
    let [stdin, stdout, stderr] = child.stdio;
    dup2_stdin(stdin).map_err(Errno::raw_os_error)?;
    dup2_stdout(stdout).map_err(Errno::raw_os_error)?;
    dup2_stderr(stderr).map_err(Errno::raw_os_error)?;
    if let Some(cwd) = child.cwd {
        chdir(cwd).map_err(Errno::raw_os_error)?;
    }
    // The leader of a new process group.
    setpgid(None, None).map_err(Errno::raw_os_error)?;
    default_signals()?;
    // A change of credentials clears the parent-death signal: first it.
    if let Some((uid, gid, groups)) = child.identity {
        // Raw system calls for this thread alone: glibc's setuid would
        // signal apsched's threads, whose memory this child shares.
        set_thread_groups(groups).map_err(Errno::raw_os_error)?;
        set_thread_gid(*gid).map_err(Errno::raw_os_error)?;
        set_thread_uid(*uid).map_err(Errno::raw_os_error)?;
    }
    // The job's leader gets SIGTERM if apsched dies (even kill -9).
    set_parent_process_death_signal(Some(Signal::TERM)).map_err(Errno::raw_os_error)?;
    // apsched died before that took effect: do not run unwatched.
    if getppid() != Some(child.parent) {
        return Err(ORPHANED);
    }
    Ok(())
}

/// Every signal with a handler, and SIGPIPE (which Rust ignores), back to
/// its default action, then none blocked. Other ignored signals stay
/// ignored, as across any fork and exec (std's `Command` did the same).
fn default_signals() -> Result<(), i32> {
    // 1 to 64: every signal Linux has on the platforms apsched runs on.
    for signal in 1..=64 {
        if signal == libc::SIGKILL || signal == libc::SIGSTOP {
            continue;
        }
        // SAFETY: reads and sets this process's disposition of `signal`
        // with zeroed (valid) sigaction structs; glibc's own signals are
        // refused (EINVAL) and kept, which is harmless here.
        unsafe {
            let mut old = std::mem::zeroed::<libc::sigaction>();
            if libc::sigaction(signal, std::ptr::null(), &raw mut old) != 0 {
                continue;
            }
            let ignored = old.sa_sigaction == libc::SIG_IGN && signal != libc::SIGPIPE;
            if ignored || old.sa_sigaction == libc::SIG_DFL {
                continue;
            }
            let default = std::mem::zeroed::<libc::sigaction>();
            check(libc::sigaction(
                signal,
                &raw const default,
                std::ptr::null_mut(),
            ))?;
        }
    }
    // SAFETY: an empty set, then this thread's mask set to it.
    unsafe {
        let mut none = std::mem::zeroed::<libc::sigset_t>();
        libc::sigemptyset(&raw mut none);
        check(libc::pthread_sigmask(
            libc::SIG_SETMASK,
            &raw const none,
            std::ptr::null_mut(),
        ))
    }
}

/// Execs the program; returns only on failure, with its errno. A file
/// the kernel cannot exec (a script with no `#!` line) is run by
/// `/bin/sh`, as `execvp` does.
fn exec(child: &Child<'_>) -> i32 {
    for (path, argv) in [(child.path, child.argv), (SH, child.script_argv)] {
        // SAFETY: NUL-terminated paths and NULL-terminated arrays of
        // NUL-terminated strings, all alive while the parent waits.
        unsafe { libc::execve(path.as_ptr(), argv.as_ptr(), child.envp.as_ptr()) };
        if errno() != libc::ENOEXEC {
            break;
        }
    }
    errno()
}

/// `Ok` for a call that returned 0 or more, else the errno.
fn check(result: c_int) -> Result<(), i32> {
    if result < 0 { Err(errno()) } else { Ok(()) }
}

fn errno() -> i32 {
    io::Error::last_os_error()
        .raw_os_error()
        .unwrap_or(libc::EIO)
}
