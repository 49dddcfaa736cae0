//! Files of 100,000 jobs through the real binary: read a piece at a time,
//! they load with every job, and a broken one gives every problem with its
//! line and column, in file order, as a small file does.

use crate::harness::Dir;
use std::fmt::Write as _;

const HEAD: &str = "[scheduler]\ntimezone = \"UTC\"\nstate = \":memory:\"\n\n";
const JOBS: usize = 100_000;

/// A file of `JOBS` jobs, 3 lines each after the 4-line head; every
/// `every`-th job has the minute 61 (a problem at line 3 of its table, at
/// the opening quote of its cron string, column 8). Its problems' lines.
fn file(every: usize) -> (String, Vec<usize>) {
    let mut text = HEAD.to_string();
    let mut lines = Vec::new();
    for i in 0..JOBS {
        let minute = if every > 0 && i % every == every - 1 {
            lines.push(5 + 3 * i + 2);
            61
        } else {
            0
        };
        let _ = write!(
            text,
            "[jobs.j{i}]\ncommand = [\"true\"]\ncron = \"{minute} 0 1 1 *\"\n"
        );
    }
    (text, lines)
}

#[test]
fn a_file_of_100000_jobs_loads_every_job() {
    let (text, _) = file(0);
    let out = Dir::new()
        .file("big.toml", text.as_bytes())
        .apsched(["check", "big.toml"])
        .run()
        .stdout;
    assert!(
        out.starts_with("big.toml: valid, 100000 jobs (time zone UTC)\n"),
        "{}",
        &out[..200.min(out.len())]
    );
    assert!(out.contains("\n  j0 "), "the first job");
    assert!(out.contains("\n  j99999 "), "the last job");
    assert_eq!(out.lines().count(), JOBS + 1);
}

#[test]
fn a_broken_file_of_100000_jobs_gives_every_problem_with_its_place() {
    // A problem in every 997th job: in most pieces of 1,024 jobs, and
    // across their boundaries.
    let (text, lines) = file(997);
    let err = Dir::new()
        .file("big.toml", text.as_bytes())
        .apsched(["check", "big.toml"])
        .status(3)
        .run()
        .stderr;
    let places: Vec<usize> = err
        .lines()
        .filter_map(|l| l.strip_prefix("apsched: error: big.toml:"))
        .map(|rest| {
            assert!(rest.contains(":8: jobs.j"), "{rest}");
            assert!(rest.contains("minute: 61 is out of range 0-59"), "{rest}");
            rest.split(':')
                .next()
                .and_then(|l| l.parse().ok())
                .expect("a line")
        })
        .collect();
    assert_eq!(places, lines);
    assert!(
        err.ends_with(&format!("apsched: big.toml has {} problems\n", lines.len())),
        "{}",
        &err[err.len().saturating_sub(300)..]
    );
}
