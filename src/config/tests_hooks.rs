//! `[hooks]` and `[jobs.ID.hooks]`.

use super::{Command, HookKind, Mailto, parse};
use std::path::Path;
use std::time::Duration;

const HEADER: &str = "[scheduler]\ntimezone = \"UTC\"\n";
const JOB: &str = "[jobs.a]\ncommand = \"true\"\ncron = \"@daily\"\n";

fn load(text: &str) -> Result<super::Config, Vec<String>> {
    parse(Path::new("s.toml"), &format!("{HEADER}{text}"))
        .map_err(|list| list.iter().map(ToString::to_string).collect())
}

#[test]
fn hooks_read_as_written() {
    let c = load(&format!(
        "[hooks]\non_failure = [\"notify\", \"--ops\"]\non_missed = \"echo $APSCHED_JOB_ID\"\ntimeout = \"5s\"\nmax_concurrent = 2\non_reload_failed = \"true\"\n{JOB}[jobs.a.hooks]\non_failure = \"job-hook\"\nmailto = \"\"\n"
    ))
    .unwrap_or_else(|d| panic!("{d:?}"));
    let h = &c.scheduler.hooks;
    assert_eq!(h.timeout, Duration::from_secs(5));
    assert_eq!(h.max_concurrent, 2);
    assert_eq!(
        h.set.get(HookKind::Failure),
        Some(&Command::Argv(vec!["notify".into(), "--ops".into()]))
    );
    assert_eq!(
        h.set.get(HookKind::Missed),
        Some(&Command::Shell("echo $APSCHED_JOB_ID".into()))
    );
    assert!(h.set.get(HookKind::ReloadFailed).is_some());
    assert_eq!(h.set.get(HookKind::Start), None);
    let job = &c.jobs[0].more.hooks;
    assert_eq!(
        job.get(HookKind::Failure),
        Some(&Command::Shell("job-hook".into()))
    );
    assert_eq!(job.mailto, Some(Mailto::Off));
    assert!(!job.is_empty());
}

#[test]
fn defaults_without_hooks() {
    let c = load(JOB).unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(c.scheduler.hooks.timeout, Duration::from_secs(30));
    assert_eq!(c.scheduler.hooks.max_concurrent, 4);
    assert!(c.scheduler.hooks.set.is_empty());
    assert!(c.jobs[0].more.hooks.is_empty());
}

#[test]
fn problems_have_places_and_hints() {
    let cases: &[(&str, &str)] = &[
        (
            "[hooks]\non_falure = \"x\"\n",
            "s.toml:4:1: unknown key \"on_falure\" in [hooks] (did you mean \"on_failure\"?)",
        ),
        (
            "[hooks]\ntimeout = \"0s\"\n",
            "s.toml:4:11: hooks.timeout must be between 1s and 24h",
        ),
        (
            "[hooks]\ntimeout = \"2d\"\n",
            "s.toml:4:11: hooks.timeout must be between 1s and 24h",
        ),
        (
            "[hooks]\nmax_concurrent = 0\n",
            "s.toml:4:18: hooks.max_concurrent must be between 1 and 1000, not 0",
        ),
        (
            "[hooks]\non_start = 3\n",
            "s.toml:4:12: hooks.on_start must be a string or an array of strings",
        ),
        (
            "[hooks]\non_start = \"\"\n",
            "s.toml:4:12: hooks.on_start is empty",
        ),
        (
            "[hooks]\nmailto = \"a@b\\nBcc: x\"\n",
            "s.toml:4:10: hooks.mailto must be one line of addresses",
        ),
        (
            "[hooks]\nmailto = 1\n",
            "s.toml:4:10: hooks.mailto must be a string, not integer",
        ),
    ];
    for (text, want) in cases {
        let got = load(&format!("{text}{JOB}")).expect_err(text);
        assert!(got[0].starts_with(want), "{text}: {got:?}");
    }
}

#[test]
fn job_hooks_problems() {
    let cases: &[(&str, &str)] = &[
        (
            "[jobs.a.hooks]\non_reload_failed = \"x\"\n",
            "s.toml:7:1: jobs.a.hooks.on_reload_failed: on_reload_failed is scheduler-wide (set it in [hooks])",
        ),
        (
            "[jobs.a.hooks]\non_finsh = \"x\"\n",
            "s.toml:7:1: unknown key \"on_finsh\" in [jobs.a.hooks] (did you mean \"on_finish\"?)",
        ),
        (
            "[jobs.a.hooks]\non_finish = []\n",
            "s.toml:7:13: jobs.a.hooks.on_finish needs a program as its first element",
        ),
    ];
    for (text, want) in cases {
        let got = load(&format!("{JOB}{text}")).expect_err(text);
        assert_eq!(got[0], *want, "{text}");
    }
}

#[test]
fn sendmail_is_found_on_path_then_in_usr_sbin() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let fake = dir.path().join("sendmail");
    std::fs::write(&fake, "#!/bin/sh\n").unwrap_or_else(|e| panic!("{e}"));
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .unwrap_or_else(|e| panic!("{e}"));
    let path = std::env::join_paths(["/nonexistent", dir.path().to_str().unwrap_or("")])
        .unwrap_or_default();
    assert_eq!(super::hooks::find_sendmail(&path), Ok(fake));
    let missing = super::hooks::find_sendmail(std::ffi::OsStr::new("/nonexistent:/also-not"));
    if !Path::new("/usr/sbin/sendmail").exists() {
        assert_eq!(
            missing,
            Err("PATH (/nonexistent:/also-not) or /usr/sbin/sendmail".into())
        );
    }
}
