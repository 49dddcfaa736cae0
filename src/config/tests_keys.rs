//! The keys `apsched import` writes: `trigger = "startup"`, `description`,
//! `stdin` and a job's own `shell`.

use super::{Command, parse};
use crate::trigger::Kind;
use std::path::Path;

const HEADER: &str = "[scheduler]\ntimezone = \"UTC\"\n";

fn problems(jobs: &str) -> Vec<String> {
    match parse(Path::new("s.toml"), &format!("{HEADER}{jobs}")) {
        Ok(_) => Vec::new(),
        Err(list) => list.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn the_new_keys_mean_what_they_say() {
    let config = parse(
        Path::new("s.toml"),
        &format!(
            "{HEADER}[jobs.boot]\ncommand = \"cat\"\ntrigger = \"startup\"\ndescription = \"at boot\"\nstdin = \"a\\nb\"\nshell = \"/bin/bash\"\n[jobs.plain]\ncommand = \"true\"\ncron = \"@daily\"\n"
        ),
    )
    .unwrap_or_else(|d| panic!("{d:?}"));
    let boot = &config.jobs[0];
    assert_eq!(boot.trigger.kind, Kind::Startup);
    assert_eq!(boot.trigger.summary(), "startup");
    assert_eq!(boot.more.description.as_deref(), Some("at boot"));
    assert_eq!(boot.more.stdin.as_deref(), Some("a\nb"));
    assert_eq!(boot.more.shell.as_deref(), Some("/bin/bash"));
    assert_eq!(*boot.command, Command::Shell("cat".into()));
    let plain = &config.jobs[1];
    assert_eq!(
        (
            &plain.more.description,
            &plain.more.stdin,
            &plain.more.shell
        ),
        (&None, &None, &None)
    );
}

#[test]
fn mistakes_in_the_new_keys_are_reported_with_their_place() {
    let big = "x".repeat(super::keys::MAX_STDIN + 1);
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            "[jobs.a]\ncommand = \"x\"\ntrigger = \"startup\"\nhour = 3\n".into(),
            vec!["s.toml:6:1: \"hour\" belongs to trigger = \"cron\", but job \"a\" uses startup"],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ntrigger = \"startup\"\nrun_date = 2030-01-01T00:00:00\n"
                .into(),
            vec![
                "s.toml:6:1: \"run_date\" belongs to trigger = \"date\", but job \"a\" uses startup",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ntrigger = \"startup\"\njitter = \"5s\"\n".into(),
            vec![
                "s.toml:6:1: \"jitter\" does not apply to a startup trigger (a startup job runs once each time apsched run starts)",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ntrigger = \"startup\"\nstart_date = 2030-01-01T00:00:00\n"
                .into(),
            vec![
                "s.toml:6:1: \"start_date\" does not apply to a startup trigger (a startup job runs once each time apsched run starts)",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ntrigger = \"reboot\"\n".into(),
            vec!["s.toml:5:11: unknown trigger \"reboot\" (did you mean \"startup\"?)"],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\ndescription = 3\n".into(),
            vec!["s.toml:6:15: jobs.a.description must be a string, not integer"],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\nstdin = [\"a\"]\n".into(),
            vec!["s.toml:6:9: jobs.a.stdin must be a string, not array"],
        ),
        (
            format!("[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\nstdin = \"{big}\"\n"),
            vec![
                "s.toml:6:9: jobs.a.stdin is too long: 1048577 bytes, at most 1048576 (1 MiB) (keep large input in a file and redirect it: command = \"prog < file\")",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\nshell = \"\"\n".into(),
            vec!["s.toml:6:9: jobs.a.shell must name a program (shell = \"/bin/bash\")"],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\nshell = false\n".into(),
            vec!["s.toml:6:9: jobs.a.shell must be a string, not boolean"],
        ),
        (
            "[jobs.a]\ncommand = [\"x\"]\ncron = \"@daily\"\nshell = \"/bin/bash\"\n".into(),
            vec![
                "s.toml:6:1: job \"a\" sets shell, but its command is an array, run without a shell (write the command as a string to run it with this shell, or drop shell)",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\nuser = true\n".into(),
            vec![
                "s.toml:6:8: jobs.a.user must be a user name or a uid, not boolean (user = \"backup\" or user = 34)",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\nuser = -1\n".into(),
            vec!["s.toml:6:8: jobs.a.user must be between 0 and 4294967294, not -1"],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\nuser = \"99999999999\"\n".into(),
            vec!["s.toml:6:8: jobs.a.user: uid 99999999999 is too large"],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\nuser = \"root:root\"\n".into(),
            vec![
                "s.toml:6:8: jobs.a.user must be a user name or a uid (user = \"backup\" or user = 34)",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\nuser = \"no-such-user-x\"\n".into(),
            vec![
                "s.toml:6:8: job \"a\" runs as user \"no-such-user-x\", which does not exist (no entry in /etc/passwd) (name a user of this system, or drop user)",
            ],
        ),
        (
            "[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\nuser = 4294967290\n".into(),
            vec![
                "s.toml:6:8: job \"a\" runs as user uid 4294967290, which does not exist (no entry in /etc/passwd) (name a user of this system, or drop user)",
            ],
        ),
    ];
    for (jobs, want) in cases {
        assert_eq!(problems(&jobs), want, "{jobs}");
    }
}

#[test]
fn a_user_is_looked_up_by_name_or_uid() {
    // Root is in every passwd file; the tests run as root or as themselves.
    let euid = rustix::process::geteuid().as_raw();
    if euid != 0 {
        return;
    }
    for user in ["\"root\"", "0", "\"0\""] {
        let config = parse(
            Path::new("s.toml"),
            &format!("{HEADER}[jobs.a]\ncommand = \"x\"\ncron = \"@daily\"\nuser = {user}\n"),
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        let account = config.jobs[0].more.user.clone().expect("user");
        assert_eq!(
            (account.name.as_str(), account.uid, account.gid),
            ("root", 0, 0),
            "{user}"
        );
        assert_eq!(account.groups.first(), Some(&0), "{user}");
    }
}
