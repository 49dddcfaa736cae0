//! Fuzz target: see `apsched_fuzz::checks::cron` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| apsched_fuzz::checks::cron(data));
