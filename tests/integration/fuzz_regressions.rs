//! Every saved fuzz input, the seed corpus (`fuzz/corpus/TARGET/`) and each
//! crash the fuzzers found (`fuzz/regressions/TARGET/`), through the fuzz
//! targets' own checks: the same code, included by path, on stable, in every
//! `cargo test`.

// The fuzz crate's items are `pub` for its targets; here they are private.
// Its casts are of cron field indices and sizes (at most 60): they fit.
#[allow(unreachable_pub, clippy::cast_possible_truncation)]
#[path = "../../fuzz/src/brute.rs"]
mod brute;
#[allow(unreachable_pub)]
#[path = "../../fuzz/src/checks.rs"]
mod checks;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// The saved inputs of `target`, corpus first.
fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        found.sort();
        files.extend(found.into_iter().filter(|p| p.is_file()));
    }
    files
}

/// Runs `check` on every input of `target`, naming each one that fails.
fn run(target: &str, check: fn(&[u8])) {
    let files = inputs(target);
    assert!(files.len() >= 3, "too few inputs for {target}: {files:?}");
    let failed: Vec<String> = files
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).expect("readable input");
            catch_unwind(AssertUnwindSafe(|| check(&data))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(failed.is_empty(), "{target}: failing inputs: {failed:#?}");
}

#[test]
fn cron_inputs_pass_the_cron_target_checks() {
    run("cron", checks::cron);
}

#[test]
fn schedule_files_pass_the_config_target_checks() {
    run("config", checks::config);
}

#[test]
fn durations_and_times_pass_the_times_target_checks() {
    run("times", checks::times);
}
