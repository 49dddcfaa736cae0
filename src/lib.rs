//! apsched: a cron replacement with APScheduler's scheduling model.
//!
//! The library holds the pure parts (the cron engine and the time-zone
//! policy) so they can be embedded, tested and benchmarked without the CLI;
//! `cli` is the thin layer that reads arguments and prints.

pub mod cli;
pub mod config;
pub mod console;
pub mod cron;
pub mod duration;
pub mod host;
pub mod log;
pub mod runner;
pub mod scheduler;
pub mod store;
mod suggest;
pub mod text;
pub mod timefmt;
pub mod timespec;
pub mod timezone;
pub mod trigger;
