//! The error of a schedule file that cannot be loaded.

use super::Diagnostic;
use std::path::PathBuf;

/// Why a schedule file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConfigError {
    /// The file has problems; every one is listed.
    #[error("{} has {} problem{}", path.display(), diagnostics.len(), if diagnostics.len() == 1 { "" } else { "s" })]
    Invalid {
        path: PathBuf,
        diagnostics: Vec<Diagnostic>,
    },
    /// The file cannot be read; `hint` says how to name the right one.
    #[error("cannot read the schedule file {}: {source}{}", path.display(), hint.as_ref().map_or(String::new(), |h| format!(" ({h})")))]
    Unreadable {
        path: PathBuf,
        hint: Option<String>,
        source: std::io::Error,
    },
}
