//! How many tests run at once. libtest runs as many as there are cores,
//! but most of these tests wait on real time (a job that runs every second,
//! a scheduler's restart), not on a core: eight at once finish about twice
//! as fast on two cores. `RUST_TEST_THREADS` or `--test-threads` still
//! decide when given.

/// The number of tests at once unless told otherwise.
const THREADS: &str = "8";

/// Sets `RUST_TEST_THREADS` to [`THREADS`] when it is not set. Runs before
/// `main` (from the ELF `.init_array`), so before libtest reads it.
#[cfg(target_os = "linux")]
extern "C" fn default_test_threads() {
    if std::env::var_os("RUST_TEST_THREADS").is_none() {
        // SAFETY: before main the process has one thread, so nothing reads
        // the environment at the same time.
        unsafe { std::env::set_var("RUST_TEST_THREADS", THREADS) };
    }
}

#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static DEFAULT_TEST_THREADS: extern "C" fn() = default_test_threads;
