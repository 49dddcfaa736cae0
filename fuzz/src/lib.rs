//! The checks behind apsched's fuzz targets, kept out of the targets so the
//! ordinary test `tests/integration/fuzz_regressions.rs` runs the very same code (it
//! includes these files by path) on every saved input, on stable.

pub mod brute;
pub mod checks;
