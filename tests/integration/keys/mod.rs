//! The job keys `apsched import` writes, through every command: a startup
//! trigger, `description`, `stdin`, a job's own `shell`, and `user`.

mod startup;
mod stdin_shell;
mod user;

/// The head of every file here: UTC, state beside the file, quick stops.
pub(crate) const HEAD: &str = r#"[scheduler]
timezone = "UTC"
state = "s.db"
shutdown_timeout = "1s"
"#;
