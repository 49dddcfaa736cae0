//! The integration tests, in one binary (one link, one parallel run): the
//! real `apsched` run as a user would, through the builder in [`harness`],
//! and the cron engine checked against APScheduler, precomputed reference
//! cases, a brute-force model and the saved fuzz inputs.

mod harness;

mod apscheduler_cases;
mod bounds;
mod cluster;
mod combined;
mod commands;
mod completions;
mod contrib;
mod control;
mod cron_syntax;
mod database;
mod debug;
mod engine_properties;
mod faults;
mod fuzz_regressions;
mod hooks;
mod hostile_file;
mod idle;
mod import;
mod keys;
mod large_file;
mod library;
mod list_state;
mod meaning;
mod messages;
mod metrics;
mod misfire;
mod nodes_cmd;
mod notify;
mod orphans;
mod readme;
mod record;
mod reference_cases;
mod run;
mod schedule_file;
mod state;
mod state_file;
mod validate;
mod watch;
