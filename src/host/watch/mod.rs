//! `--watch`: a thread that tells the runner when the schedule file
//! changed, so that it reloads it as on SIGHUP.
//!
//! It watches, with inotify, the directories of the entries that lead to
//! the file ([`points()`](points::points)): the file's own, and where each symbolic link on
//! the way lies, so that a write in place, a new file renamed over the old
//! one and a Kubernetes `ConfigMap`'s swap of its `..data` link are all
//! seen. Only changes of those names count (the state file beside the
//! schedule changes all the time). A burst of changes is one reload,
//! [`DEBOUNCE`] after the last; then the links are resolved again and the
//! watches follow them. The thread sleeps in `poll` on the inotify
//! descriptor: nothing wakes it, nor the scheduler, until a change.

mod points;
#[cfg(test)]
mod tests;

use super::signals::Msg;
use points::{Point, points};
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::fs::inotify::{self, CreateFlags, ReadFlags, Reader, WatchFlags};
use rustix::io::Errno;
use std::collections::HashMap;
use std::ffi::OsString;
use std::mem::MaybeUninit;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

/// How long after the last change the file is reloaded: an editor's or a
/// deployment's burst of writes is one reload.
pub(super) const DEBOUNCE: Duration = Duration::from_millis(250);

/// What changes of a watched directory's entries count: written and
/// closed, created, removed, renamed, attributes (`touch`).
fn mask() -> WatchFlags {
    WatchFlags::CLOSE_WRITE
        | WatchFlags::CREATE
        | WatchFlags::DELETE
        | WatchFlags::MOVED_FROM
        | WatchFlags::MOVED_TO
        | WatchFlags::ATTRIB
        | WatchFlags::DELETE_SELF
        | WatchFlags::MOVE_SELF
        | WatchFlags::ONLYDIR
}

/// The watched directories: each watch's names that count.
struct Watches {
    fd: OwnedFd,
    names: HashMap<i32, Vec<OsString>>,
}

impl Watches {
    /// Watches the directories of [`points()`](points::points) of `file`, and no others; the
    /// first directory that could not be watched, and why.
    fn follow(&mut self, file: &Path) -> Option<String> {
        let mut names: HashMap<i32, Vec<OsString>> = HashMap::new();
        let mut problem = None;
        for Point { dir, name } in points(file) {
            match inotify::add_watch(&self.fd, &dir, mask()) {
                Ok(wd) => names.entry(wd).or_default().push(name),
                Err(e) => {
                    problem.get_or_insert_with(|| cannot_watch(&dir, e));
                }
            }
        }
        for wd in self.names.keys().filter(|wd| !names.contains_key(wd)) {
            // A watch of a directory that is gone was removed already.
            let _ = inotify::remove_watch(&self.fd, *wd);
        }
        self.names = names;
        problem
    }

    /// Whether an event may have changed the file.
    fn counts(&self, wd: i32, flags: ReadFlags, name: Option<&[u8]>) -> bool {
        if flags.contains(ReadFlags::QUEUE_OVERFLOW) {
            return true;
        }
        let Some(names) = self.names.get(&wd) else {
            return false;
        };
        match name {
            Some(name) => names.iter().any(|n| n.as_bytes() == name),
            // The watched directory itself was removed or renamed.
            None => flags.intersects(ReadFlags::DELETE_SELF | ReadFlags::MOVE_SELF),
        }
    }

    /// Reads every pending event; whether one counts.
    fn drain(&self, buf: &mut [MaybeUninit<u8>]) -> std::io::Result<bool> {
        let mut reader = Reader::new(&self.fd, buf);
        let mut counts = false;
        loop {
            match reader.next() {
                Ok(e) => {
                    let name = e.file_name().map(std::ffi::CStr::to_bytes);
                    counts |= self.counts(e.wd(), e.events(), name);
                }
                Err(Errno::AGAIN) => return Ok(counts),
                Err(Errno::INTR) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Waits until events are pending, or `limit` passes (or a signal
    /// interrupts); whether they are.
    fn wait(&self, limit: Option<Duration>) -> std::io::Result<bool> {
        let timeout = limit.and_then(|l| Timespec::try_from(l).ok());
        let mut fds = [PollFd::new(&self.fd, PollFlags::IN)];
        match poll(&mut fds, timeout.as_ref()) {
            Ok(n) => Ok(n > 0),
            Err(Errno::INTR) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Waits for changes that count, then until none came for
    /// [`DEBOUNCE`].
    fn settle(&self, buf: &mut [MaybeUninit<u8>]) -> std::io::Result<()> {
        while !(self.wait(None)? && self.drain(buf)?) {}
        let mut quiet_at = Instant::now() + DEBOUNCE;
        while let Some(left) = quiet_at.checked_duration_since(Instant::now()) {
            if self.wait(Some(left))? && self.drain(buf)? {
                quiet_at = Instant::now() + DEBOUNCE;
            }
        }
        Ok(())
    }
}

/// Why `dir` cannot be watched, for people.
fn cannot_watch(dir: &Path, e: Errno) -> String {
    let hint = match e {
        Errno::NOSPC => {
            " (the limit of inotify watches is reached: raise the sysctl fs.inotify.max_user_watches)"
        }
        Errno::ACCESS => " (apsched needs read permission on it)",
        _ => "",
    };
    format!(
        "cannot watch {}: {}{hint}",
        dir.display(),
        std::io::Error::from(e)
    )
}

/// What tells one version of a file from another: device, inode, size and
/// modification time (`None` when it cannot be read).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Version(Option<(u64, u64, u64, i64, i64)>);

impl Version {
    /// The version of `file` now.
    pub(crate) fn of(file: &Path) -> Version {
        use std::os::unix::fs::MetadataExt;
        Version(
            std::fs::metadata(file)
                .ok()
                .map(|m| (m.dev(), m.ino(), m.size(), m.mtime(), m.mtime_nsec())),
        )
    }
}

/// Starts watching `file`, which was read as `loaded`; the thread sends
/// [`Msg::FileChanged`] after each change (and [`Msg::WatchFailed`] when a
/// directory cannot be watched any more), and at once if the file changed
/// since it was read. An error when the file cannot be watched at all.
pub(super) fn start(file: PathBuf, loaded: Version, tx: Sender<Msg>) -> Result<(), String> {
    let fd = inotify::init(CreateFlags::CLOEXEC | CreateFlags::NONBLOCK).map_err(|e| {
        let hint = match e {
            Errno::MFILE => " (the limit of inotify instances is reached: raise the sysctl fs.inotify.max_user_instances)",
            _ => "",
        };
        format!("cannot start inotify: {}{hint}", std::io::Error::from(e))
    })?;
    let mut watches = Watches {
        fd,
        names: HashMap::new(),
    };
    if let Some(problem) = watches.follow(&file) {
        return Err(problem);
    }
    if Version::of(&file) != loaded {
        let _ = tx.send(Msg::FileChanged);
    }
    std::thread::Builder::new()
        .name("apsched-watch".into())
        .spawn(move || run(&mut watches, &file, &tx))
        .map_err(|e| format!("cannot start the watching thread: {e}"))?;
    Ok(())
}

/// Watches until the runner is gone (or inotify fails).
fn run(watches: &mut Watches, file: &Path, tx: &Sender<Msg>) {
    let mut buf = vec![MaybeUninit::uninit(); 16 * 1024];
    let mut reported: Option<String> = None;
    loop {
        if let Err(e) = watches.settle(&mut buf) {
            let error = format!(
                "waiting for changes failed: {e}; changes of the file are no longer seen (send SIGHUP to reload)"
            );
            let _ = tx.send(Msg::WatchFailed { error });
            return;
        }
        // Links may point elsewhere now; a problem is told once.
        let problem = watches.follow(file);
        if problem != reported
            && let Some(error) = &problem
            && tx
                .send(Msg::WatchFailed {
                    error: error.clone(),
                })
                .is_err()
        {
            return;
        }
        reported = problem;
        if tx.send(Msg::FileChanged).is_err() {
            return;
        }
    }
}
