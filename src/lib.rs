//! apsched: a cron replacement with APScheduler's scheduling model.
//!
//! As a library, [`Scheduler`] runs a program's own jobs (Rust functions
//! or commands) with the core `apsched run` uses: triggers (cron, interval,
//! date, and their `or`/`and` combinations, see [`TriggerSpec`]), misfire
//! grace time, coalescing, max instances, the DST policy, events
//! ([`Scheduler::subscribe`]), catch-up from an SQLite state after a
//! restart, and a PostgreSQL state shared by several schedulers.
//! [`Scheduler::run`] blocks (APScheduler's `BlockingScheduler`);
//! [`Scheduler::start`] runs it on a thread of its own and returns a
//! [`SchedulerHandle`] (`BackgroundScheduler`). `examples/` has both.
//!
//! The engine can also be used on its own: [`cron`] (when does a schedule
//! fire), [`timezone`] (wall-clock times to instants, with the DST
//! policy), [`duration`] and [`timespec`] (durations and times as people
//! write them). [`cli::main`] is what the binary runs. Everything else is
//! private to the crate; `internals` (hidden) exposes the few items the
//! fuzz targets and the store benchmark need, and is not an API.
//!
//! # The layers
//!
//! Each module imports only from the layers above it in this list, never
//! from below, so there is no cycle and the core can be tested without a
//! clock, processes or files.
//!
//! | module | what it is for | may import |
//! |---|---|---|
//! | `text`, `timefmt`, `suggest`, `console`, `account`, `call` | leaves: user accounts for a job's `user`, messages' values, RFC 3339 forms, "did you mean", the one stdout/stderr writer, a function job and its [`JobContext`] | std and crates only |
//! | [`timezone`] | time zones, DST gaps and folds | `text`, `suggest` |
//! | [`cron`] | the cron engine: parsing, next fire times, descriptions | `timezone` |
//! | [`duration`], [`timespec`] | durations and command-line times | `text`, `timezone` |
//! | `import` | crontabs to schedule-file text, purely (`apsched import crontab`) | `cron`, `timezone` |
//! | `trigger` | cron, interval and date triggers with start/end/jitter | the above |
//! | `config` | the schedule file: reading, diagnostics, state path; takes `now` as an argument | the above |
//! | `scheduler` | the pure core: due runs, misfire, coalescing, max instances, events; defines what it needs persisted (`scheduler::persist`) | `config`, `trigger`, `cron`, `timefmt` |
//! | `runner` | the loop driving the core through the `Host` seam (clock, waits, processes, storage) | `scheduler`, `config` |
//! | `store` | SQLite and PostgreSQL state and history, implementing what the core persists | `scheduler`, `text`, `timefmt` |
//! | `log` | events as text or JSON lines | `scheduler`, `console`, `timefmt` |
//! | `host` | the real `Host` of `apsched run` and of [`Scheduler`]: wall clock, signals, processes and functions, output, the store | all of the above but `library` and `cli` |
//! | `library` | the public [`Scheduler`], its builder and handle; `serve`, the one path by which `apsched run` (the process's scheduler of a file) and [`Scheduler::run`] (a program's) run | all of the above but `cli` |
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
pub(crate) mod library;
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
#[cfg(feature = "tokio")]
pub use library::AsyncScheduler;
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
