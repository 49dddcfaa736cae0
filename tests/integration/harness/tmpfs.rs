//! A small tmpfs to fill up: a state file on a full filesystem. Mounting
//! needs root; without it (and without `APSCHED_REQUIRE_MOUNT=1`, which
//! `.ci/run` sets) [`Tmpfs::mount`] says so and the test passes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A small tmpfs, unmounted when dropped.
pub(crate) struct Tmpfs(PathBuf);

impl Tmpfs {
    pub(crate) fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        fs::create_dir_all(at).expect("mount point");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            ok || std::env::var_os("APSCHED_REQUIRE_MOUNT").is_none(),
            "cannot mount a tmpfs (run as root)"
        );
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs (not root?)");
        }
        ok.then(|| Tmpfs(at.to_path_buf()))
    }

    /// Fills it up; returns the filler file.
    pub(crate) fn fill(&self) -> PathBuf {
        let filler = self.0.join("filler");
        let mut file = fs::File::create(&filler).expect("filler");
        let chunk = vec![0u8; 4096];
        while std::io::Write::write_all(&mut file, &chunk).is_ok() {}
        filler
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}
