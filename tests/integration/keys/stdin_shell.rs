//! `stdin`, a job's own `shell` and `description`, through `run`, `run-now`,
//! `check` and `list`.

use super::HEAD;
use crate::harness::Dir;

const FILE: &str = r#"
[jobs.fed]
command = "cat > fed; echo done"
cron = "0 0 1 1 *"
stdin = "first line\nsecond % line\n"
description = "Feeds\nits input"

[jobs.bash]
command = "echo \"$0 ${BASH_VERSION:+bash}\" > which"
shell = "/bin/bash"
cron = "0 0 1 1 *"

[jobs.plain]
command = "echo \"$0\" > plain; cat > plain-in"
cron = "0 0 1 1 *"
"#;

/// A job that never reads its input, more than a pipe holds (64 KiB).
fn deaf() -> String {
    format!(
        "[jobs.deaf]\ncommand = \"sleep 1; echo deaf >> deaf\"\ncron = \"0 0 1 1 *\"\nstdin = \"{}\"\n",
        "x".repeat(200_000)
    )
}

fn dir() -> Dir {
    Dir::new().file("s.toml", format!("{HEAD}{}{FILE}", deaf()))
}

#[test]
fn run_now_feeds_stdin_and_uses_the_jobs_shell() {
    let dir = dir();
    for job in ["fed", "bash", "plain", "deaf"] {
        dir.apsched(["run-now", job, "-f", "s.toml"])
            .stderr_contains(&format!("of job {job} succeeded"))
            .run();
    }
    assert_eq!(dir.read("fed"), "first line\nsecond % line\n");
    assert_eq!(dir.read("which"), "/bin/bash bash\n");
    assert_eq!(dir.read("plain"), "/bin/sh\n");
    assert_eq!(dir.read("plain-in"), "", "no stdin key: /dev/null");
    assert_eq!(dir.read("deaf"), "deaf\n");
}

#[test]
fn run_feeds_stdin_and_uses_the_jobs_shell() {
    let dir = dir();
    let text =
        format!("{HEAD}{}{FILE}", deaf()).replace("cron = \"0 0 1 1 *\"", "trigger = \"startup\"");
    dir.write("s.toml", text);
    let run = dir.apsched(["run", "s.toml"]).spawn();
    let done = run.stop_when("job_executed", 4);
    // The job that never reads its input, started first, holds up nothing:
    // the others start and end while it sleeps.
    let at = |what: &str| done.stderr.find(what).unwrap_or(usize::MAX);
    assert!(
        at("job_executed job=fed") < at("job_executed job=deaf"),
        "{}",
        done.stderr
    );
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert!(done.stdout.contains("fed| done"), "{}", done.stdout);
    assert_eq!(dir.read("fed"), "first line\nsecond % line\n");
    assert_eq!(dir.read("which"), "/bin/bash bash\n");
    assert_eq!(dir.read("plain"), "/bin/sh\n");
    assert_eq!(dir.read("deaf"), "deaf\n");
}

#[test]
fn list_and_check_show_the_description() {
    let dir = dir();
    let out = dir.apsched(["list", "s.toml"]).run();
    let header = out.stdout.lines().next().unwrap_or_default();
    assert!(header.trim_end().ends_with("DESCRIPTION"), "{}", out.stdout);
    let fed = out
        .stdout
        .lines()
        .find(|l| l.contains(" fed "))
        .unwrap_or_default();
    assert!(
        fed.trim_end().ends_with("Feeds its input"),
        "{}",
        out.stdout
    );
    let jobs = dir.apsched(["list", "s.toml", "--json"]).run().json();
    assert_eq!(jobs[0]["job_description"], serde_json::Value::Null);
    assert_eq!(jobs[1]["job_description"], "Feeds\nits input");
    let check = dir.apsched(["check", "s.toml", "--json"]).run().json();
    assert_eq!(check["jobs"][1]["job_description"], "Feeds\nits input");
    // No job with a description: no column.
    let none = Dir::new().file(
        "s.toml",
        format!("{HEAD}[jobs.a]\ncommand = \"true\"\ncron = \"@daily\"\n"),
    );
    let out = none.apsched(["list", "s.toml"]).run();
    assert!(!out.stdout.contains("DESCRIPTION"), "{}", out.stdout);
}

#[test]
fn a_shell_with_an_array_command_and_oversized_stdin_are_refused() {
    let big = "x".repeat(1024 * 1024 + 1);
    let dir = Dir::new().file(
        "s.toml",
        format!(
            "{HEAD}[jobs.a]\ncommand = [\"true\"]\ncron = \"@daily\"\nshell = \"/bin/bash\"\nstdin = \"{big}\"\n"
        ),
    );
    for command in ["check", "run", "list"] {
        dir.apsched([command, "s.toml"])
            .status(3)
            .stderr_contains("s.toml:8:1: job \"a\" sets shell, but its command is an array")
            .stderr_contains(
                "s.toml:9:9: jobs.a.stdin is too long: 1048577 bytes, at most 1048576 (1 MiB)",
            )
            .run();
    }
    dir.apsched(["run-now", "a", "-f", "s.toml"])
        .status(3)
        .stderr_contains("jobs.a.stdin is too long")
        .run();
}
