//! What is watched for a path, and what the watching thread reports.

use super::points::{Point, points};
use super::{DEBOUNCE, Msg, Version, start};
use std::os::unix::fs::symlink;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A temporary directory laid out by `links` (name, target) after `files`.
fn tree(files: &[&str], links: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    // The real path: the points are real directories.
    let root = tmp.path().canonicalize().expect("canonical");
    for file in files {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(path, "x").expect("write");
    }
    for (name, target) in links {
        symlink(target, root.join(name)).expect("symlink");
    }
    tmp
}

#[test]
fn the_points_are_every_link_on_the_way_and_the_file() {
    // (files, links, path to watch, points as "dir-relative-to-root:name").
    type Case<'a> = (
        &'a [&'a str],
        &'a [(&'a str, &'a str)],
        &'a str,
        &'a [&'a str],
    );
    let cases: &[Case<'_>] = &[
        (&["s.toml"], &[], "s.toml", &[":s.toml"]),
        (&["a/s.toml"], &[], "a/./b/../s.toml", &["a:b"]),
        (&["a/s.toml"], &[], "a/../a/s.toml", &["a:s.toml"]),
        (&[], &[], "missing.toml", &[":missing.toml"]),
        (&[], &[], "gone/s.toml", &[":gone"]),
        (
            &["real/s.toml"],
            &[("s.toml", "real/s.toml")],
            "s.toml",
            &[":s.toml", "real:s.toml"],
        ),
        (
            &["real/s.toml"],
            &[("dir", "real")],
            "dir/s.toml",
            &[":dir", "real:s.toml"],
        ),
        // A ConfigMap: s.toml -> ..data/s.toml, ..data -> ..2026_01_01.
        (
            &["..2026_01_01/s.toml"],
            &[("..data", "..2026_01_01"), ("s.toml", "..data/s.toml")],
            "s.toml",
            &[":s.toml", ":..data", "..2026_01_01:s.toml"],
        ),
        // A link to a file that is not there yet.
        (
            &[],
            &[("s.toml", "new/s.toml")],
            "s.toml",
            &[":s.toml", ":new"],
        ),
        // A link to itself: at most 40 links, then the entry itself.
        (&[], &[("loop", "loop")], "loop", &[":loop"; 41]),
        // A file is not a directory.
        (&["f"], &[], "f/s.toml", &[":f"]),
    ];
    for (files, links, path, want) in cases {
        let tmp = tree(files, links);
        let root = tmp.path().canonicalize().expect("canonical");
        let got: Vec<String> = points(&root.join(path))
            .into_iter()
            .map(|Point { dir, name }| {
                let dir = dir.strip_prefix(&root).expect("under the root");
                format!("{}:{}", dir.display(), name.to_string_lossy())
            })
            .collect();
        assert_eq!(got, *want, "{path} with {files:?} and {links:?}");
    }
}

/// Waits for the next message, up to `limit`.
fn next(rx: &Receiver<Msg>, limit: Duration) -> Option<Msg> {
    rx.recv_timeout(limit).ok()
}

/// Writes `file` five times, [`DEBOUNCE`] / 5 apart; whether every gap
/// between two writes stayed under half the debounce. On a busy machine a
/// thread can stall longer, and then the writes were not one burst.
fn burst(file: &std::path::Path) -> bool {
    let mut last = Instant::now();
    let mut widest = Duration::ZERO;
    for i in 0..5 {
        std::fs::write(file, format!("{i}")).expect("write");
        let now = Instant::now();
        widest = widest.max(now - last);
        last = now;
        std::thread::sleep(DEBOUNCE / 5);
    }
    widest < DEBOUNCE / 2
}

#[test]
fn a_burst_of_changes_is_one_message_and_other_files_are_ignored() {
    let tmp = tree(&["s.toml"], &[]);
    let root = tmp.path().canonicalize().expect("canonical");
    let (tx, rx) = channel();
    let loaded = Version::of(&root.join("s.toml"));
    start(root.join("s.toml"), loaded, tx).expect("watching starts");
    // The state file beside the schedule changes all the time.
    std::fs::write(root.join("s.db"), "state").expect("write");
    assert_eq!(next(&rx, DEBOUNCE * 3), None, "another file");
    let mut judged = false;
    for _ in 0..5 {
        let tight = burst(&root.join("s.toml"));
        assert_eq!(next(&rx, Duration::from_secs(5)), Some(Msg::FileChanged));
        let more = next(&rx, DEBOUNCE * 3);
        if tight {
            assert_eq!(more, None, "one message for the burst");
            judged = true;
            break;
        }
        // A stalled burst may be two: drain it and try again.
        while next(&rx, DEBOUNCE * 3).is_some() {}
    }
    assert!(
        judged,
        "no burst of five writes kept its gaps short in 5 tries"
    );
    // A new file renamed over the old one.
    std::fs::write(root.join("s.toml.tmp"), "new").expect("write");
    std::fs::rename(root.join("s.toml.tmp"), root.join("s.toml")).expect("rename");
    assert_eq!(next(&rx, Duration::from_secs(5)), Some(Msg::FileChanged));
}

#[test]
fn a_change_between_reading_and_watching_is_a_change() {
    let tmp = tree(&["s.toml"], &[]);
    let file = tmp.path().join("s.toml");
    let loaded = Version::of(&file);
    std::fs::write(&file, "changed meanwhile").expect("write");
    let (tx, rx) = channel();
    start(file, loaded, tx).expect("watching starts");
    assert_eq!(next(&rx, Duration::ZERO), Some(Msg::FileChanged));
    assert_eq!(next(&rx, DEBOUNCE * 3), None);
}
