//! Where a change can change what a path reads: the directory entries on
//! the way to the file, through every symbolic link.
//!
//! An editor that writes a new file and renames it over the old one
//! replaces the entry in its directory; a Kubernetes `ConfigMap`
//! (`schedules.toml -> ..data/schedules.toml`, `..data -> ..2026_01_01...`)
//! changes by renaming a new `..data` link over the old one. Watching each
//! (directory, name) pair found while resolving the path sees both, and a
//! write in place in the file's own directory.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

/// At most this many symbolic links are followed (the kernel's limit).
const MAX_LINKS: usize = 40;

/// One directory entry to watch: a change of `name` in `dir` (a real
/// directory, no link in its path) may change the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Point {
    pub dir: PathBuf,
    pub name: OsString,
}

/// A part of a path still to resolve.
enum Part {
    Root,
    Parent,
    Name(OsString),
}

/// The parts of `path`, the last first (a stack).
fn parts(path: &Path, onto: &mut Vec<Part>) {
    for component in path.components().rev() {
        match component {
            Component::RootDir | Component::Prefix(_) => onto.push(Part::Root),
            Component::CurDir => {}
            Component::ParentDir => onto.push(Part::Parent),
            Component::Normal(name) => onto.push(Part::Name(name.to_os_string())),
        }
    }
}

/// The entries whose change may change what `path` reads: every symbolic
/// link on the way (where it is), and the file itself (in its real
/// directory), or the first part that does not exist (so that its creation
/// is seen). A relative `path` is read from the current directory.
pub(super) fn points(path: &Path) -> Vec<Point> {
    let mut todo = Vec::new();
    parts(path, &mut todo);
    let mut dir = if path.is_absolute() {
        PathBuf::from("/")
    } else {
        std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"))
    };
    let (mut found, mut links) = (Vec::new(), 0);
    while let Some(part) = todo.pop() {
        let name = match part {
            Part::Root => {
                dir = PathBuf::from("/");
                continue;
            }
            Part::Parent => {
                dir.pop();
                continue;
            }
            Part::Name(name) => name,
        };
        let next = dir.join(&name);
        let point = Point {
            dir: dir.clone(),
            name,
        };
        let meta = std::fs::symlink_metadata(&next);
        if meta.as_ref().is_ok_and(|m| m.file_type().is_symlink()) && links < MAX_LINKS {
            links += 1;
            found.push(point);
            match std::fs::read_link(&next) {
                Ok(target) => parts(&target, &mut todo),
                Err(_) => break,
            }
        } else if meta.as_ref().is_ok_and(std::fs::Metadata::is_dir) && !todo.is_empty() {
            dir = next;
        } else {
            // The file itself, or a part that is missing or not a directory.
            found.push(point);
            break;
        }
    }
    found
}
