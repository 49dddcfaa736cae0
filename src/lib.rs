//! apsched: a cron replacement with APScheduler's scheduling model.
//!
//! The public library is the engine that can be used on its own: [`cron`]
//! (when does a schedule fire), [`timezone`] (wall-clock times to instants,
//! with the DST policy), [`duration`] and [`timespec`] (durations and times
//! as people write them). [`cli::main`] is what the binary runs. Everything
//! else is private to the crate; `internals` (hidden) exposes the few items
//! the fuzz targets and the store benchmark need, and is not an API.
//!
//! # The layers
//!
//! Each module imports only from the layers above it in this list, never
//! from below, so there is no cycle and the core can be tested without a
//! clock, processes or files.
//!
//! | module | what it is for | may import |
//! |---|---|---|
//! | `text`, `timefmt`, `suggest`, `console`, `account` | leaves: user accounts for a job's `user`, messages' values, RFC 3339 forms, "did you mean", the one stdout/stderr writer | std and crates only |
//! | [`timezone`] | time zones, DST gaps and folds | `text`, `suggest` |
//! | [`cron`] | the cron engine: parsing, next fire times, descriptions | `timezone` |
//! | [`duration`], [`timespec`] | durations and command-line times | `text`, `timezone` |
//! | `import` | crontabs to schedule-file text, purely (`apsched import crontab`) | `cron`, `timezone` |
//! | `trigger` | cron, interval and date triggers with start/end/jitter | the above |
//! | `config` | the schedule file: reading, diagnostics, state path; takes `now` as an argument | the above |
//! | `scheduler` | the pure core: due runs, misfire, coalescing, max instances, events; defines what it needs persisted (`scheduler::persist`) | `config`, `trigger`, `cron`, `timefmt` |
//! | `runner` | the loop driving the core through the `Host` seam (clock, waits, processes, storage) | `scheduler`, `config` |
//! | `store` | SQLite (and, not yet wired in, PostgreSQL) state and history, implementing what the core persists | `scheduler`, `text`, `timefmt` |
//! | `log` | events as text or JSON lines | `scheduler`, `console`, `timefmt` |
//! | `host` | the real `Host`: wall clock, signals, processes, output, the store | all of the above but `cli` |
//! | [`cli`] | arguments, commands, the one error type and its exit codes | everything |

pub(crate) mod account;
pub(crate) mod call;
pub mod cli;
pub(crate) mod config;
pub(crate) mod console;
pub mod cron;
pub mod duration;
pub(crate) mod host;
pub(crate) mod import;
mod library;
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

pub use call::JobContext;
pub use library::{
    Error, JobInfo, JobSpec, Scheduler, SchedulerBuilder, SchedulerEvent, SchedulerHandle,
    TriggerSpec,
};

/// Not part of the API: what the fuzz targets (`fuzz/`) and the store
/// benchmark (`benches/store.rs`) reach into. It may change at any time.
#[doc(hidden)]
pub mod internals {
    pub use crate::config::parse_at;
    pub use crate::store::sqlite::SqliteStore;
    pub use crate::store::{Claim, JobState, RunResult, Store};
}
