//! apsched: a cron replacement with APScheduler's scheduling model.
//!
//! The library holds the pure parts (the cron engine and the time-zone
//! policy) so they can be embedded, tested and benchmarked without the CLI.

pub mod cron;
pub mod timezone;
