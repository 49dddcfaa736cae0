//! Whole conversions: crontab text in, schedule file out.

use super::*;

fn options(system: bool) -> Options {
    Options {
        source: "test".into(),
        system,
        zone: chrono_tz::Europe::Berlin,
    }
}

#[test]
fn a_plain_crontab_converts() {
    let out = crontab(
        b"PATH=/usr/bin\n# Back up\n0 2 * * * /usr/local/bin/backup.sh\n",
        &options(false),
    );
    assert_eq!(out.jobs, 1);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    println!("{}", out.text);
}
