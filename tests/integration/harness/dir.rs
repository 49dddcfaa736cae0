//! A temporary directory holding schedule files, where tests run commands.

use super::Test;
use std::fs;
use std::path::{Path, PathBuf};

/// The head of [`Dir::schedule`]'s `s.toml`: zone UTC, state `s.db`, a
/// shutdown timeout of 2 s.
pub(super) const HEAD: &str = r#"[scheduler]
timezone = "UTC"
state = "s.db"
shutdown_timeout = "2s"
"#;

/// A temporary directory, removed when dropped.
pub(crate) struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    /// An empty directory.
    pub(crate) fn new() -> Dir {
        Dir {
            tmp: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    /// A directory with the schedule file `s.toml`: [`HEAD`], then `jobs`.
    pub(crate) fn schedule(jobs: &str) -> Dir {
        Dir::new().file("s.toml", format!("{HEAD}{jobs}"))
    }

    /// `apsched run s.toml`.
    pub(crate) fn run(&self) -> Test {
        self.apsched(["run", "s.toml"])
    }

    /// Writes the file `name` (relative to the directory).
    pub(crate) fn file(self, name: &str, text: impl AsRef<[u8]>) -> Dir {
        self.write(name, text);
        self
    }

    /// Writes (or rewrites) the file `name`.
    pub(crate) fn write(&self, name: &str, text: impl AsRef<[u8]>) {
        fs::write(self.join(name), text).expect("write a file");
    }

    /// The text of the file `name` ("" when it does not exist).
    pub(crate) fn read(&self, name: &str) -> String {
        fs::read_to_string(self.join(name)).unwrap_or_default()
    }

    /// Whether the file `name` exists.
    pub(crate) fn exists(&self, name: &str) -> bool {
        self.join(name).exists()
    }

    pub(crate) fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub(crate) fn join(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// `apsched ARGS` in this directory.
    pub(crate) fn apsched<I, S>(&self, args: I) -> Test
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        Test::new().dir(self.path()).args(args)
    }

    /// `apsched history -f FILE --json -n 1000` as rows.
    pub(crate) fn history_of(&self, file: &str) -> Vec<serde_json::Value> {
        let out = self
            .apsched(["history", "-f", file, "--json", "-n", "1000"])
            .run();
        out.json().as_array().cloned().unwrap_or_default()
    }

    /// The history of `s.toml`.
    pub(crate) fn history(&self) -> Vec<serde_json::Value> {
        self.history_of("s.toml")
    }
}
