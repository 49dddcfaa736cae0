//! libfaketime, which starts `apsched` at a chosen moment. `.ci/run`
//! installs it; without it (and without `APSCHED_REQUIRE_FAKETIME=1`) tests
//! that need it say so and pass.

use std::path::PathBuf;

/// libfaketime's path, if installed.
pub(crate) fn library() -> Option<PathBuf> {
    std::fs::read_dir("/usr/lib")
        .ok()?
        .flatten()
        .find_map(|arch| {
            let lib = arch.path().join("faketime/libfaketimeMT.so.1");
            lib.exists().then_some(lib)
        })
}

/// Whether [`super::Test::at`] can be used: false (the test returns,
/// passing) when libfaketime is missing, a panic when it is missing and
/// `APSCHED_REQUIRE_FAKETIME` is set.
pub(crate) fn faketime() -> bool {
    let found = library().is_some();
    assert!(
        found || std::env::var_os("APSCHED_REQUIRE_FAKETIME").is_none(),
        "libfaketime is required (apt-get install faketime)"
    );
    if !found {
        eprintln!("skipped: faketime is not installed");
    }
    found
}
