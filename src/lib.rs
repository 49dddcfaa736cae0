//! apsched: a cron replacement with APScheduler's scheduling model.
//!
//! The library holds the pure parts (the cron engine and the time-zone
//! policy) so they can be embedded, tested and benchmarked without the CLI;
//! `cli` is the thin layer that reads arguments and prints.

pub mod cli;
pub(crate) mod config;
pub(crate) mod console;
pub mod cron;
pub mod duration;
pub(crate) mod host;
pub(crate) mod log;
pub(crate) mod runner;
pub(crate) mod scheduler;
pub(crate) mod store;
mod suggest;
pub(crate) mod text;
pub(crate) mod timefmt;
pub mod timespec;
pub mod timezone;
pub(crate) mod trigger;

/// Not part of the API: what the fuzz targets (`fuzz/`) and the store
/// benchmark (`benches/store.rs`) reach into. It may change at any time.
#[doc(hidden)]
pub mod internals {
    pub use crate::config::parse_at;
    pub use crate::store::sqlite::SqliteStore;
    pub use crate::store::{Claim, JobState, RunResult, Store};
}
