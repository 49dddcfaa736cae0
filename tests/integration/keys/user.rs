//! `user`: as root a job runs as that user (uid, gid, groups, `HOME`,
//! `USER`, `LOGNAME`, `SHELL`); as anyone else a foreign user is a problem
//! at load. Skipped, with a message, where apsched does not run as root.

use super::HEAD;
use crate::harness::{Dir, Test};
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

/// What a job run as `nobody` prints: uid, groups, then the variables.
const WHO: &str = "echo \"$(id -u)|$(id -G)|$HOME|$USER|$LOGNAME|$SHELL\"";

fn root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        eprintln!("skipped: the user key's tests need to run as root");
    }
    root
}

/// What `nobody`'s job must print, from the system's own tools.
fn nobody() -> String {
    let out = |args: &[&str]| {
        let o = Command::new(args[0])
            .args(&args[1..])
            .output()
            .expect("runs");
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    };
    let entry = out(&["getent", "passwd", "nobody"]);
    let fields: Vec<&str> = entry.split(':').collect();
    let shell = match fields[6] {
        "" => "/bin/sh",
        s => s,
    };
    format!(
        "{}|{}|{}|nobody|nobody|{shell}",
        out(&["id", "-u", "nobody"]),
        out(&["id", "-G", "nobody"]),
        fields[5]
    )
}

fn file() -> String {
    format!(
        "{HEAD}[jobs.who]\ncommand = '{WHO}'\ntrigger = \"startup\"\nuser = \"nobody\"\ndescription = \"as nobody\"\n[jobs.num]\ncommand = 'echo \"$(id -u) $HOME\"'\ntrigger = \"startup\"\nuser = 65534\nenv = {{ HOME = \"/custom\" }}\n"
    )
}

#[test]
fn as_root_a_job_runs_as_its_user() {
    if !root() {
        return;
    }
    let want = nobody();
    let dir = Dir::new().file("s.toml", file());
    dir.apsched(["run-now", "who", "-f", "s.toml"])
        .stdout(&format!("who| {want}\n"))
        .run();
    dir.apsched(["run-now", "num", "-f", "s.toml"])
        .stdout("num| 65534 /custom\n")
        .run();
    let done = dir
        .apsched(["run", "s.toml"])
        .spawn()
        .stop_when("job_executed", 2);
    assert!(
        done.stdout.contains(&format!("who| {want}\n")),
        "{}",
        done.stdout
    );
    assert!(
        done.stdout.contains("num| 65534 /custom\n"),
        "{}",
        done.stdout
    );
    dir.apsched(["check", "s.toml"])
        .stdout_contains("who")
        .run();
    let jobs = dir.apsched(["list", "s.toml", "--json"]).run().json();
    assert_eq!(jobs[0]["job_description"], "as nobody");
}

#[test]
fn a_user_that_does_not_exist_is_a_problem() {
    let dir = Dir::new().file(
        "s.toml",
        format!(
            "{HEAD}[jobs.a]\ncommand = \"true\"\ncron = \"@daily\"\nuser = \"no-such-user-x\"\n"
        ),
    );
    let message = "s.toml:8:8: job \"a\" runs as user \"no-such-user-x\", which does not exist (no entry in /etc/passwd) (name a user of this system, or drop user)";
    for args in [["check", "s.toml"], ["run", "s.toml"], ["list", "s.toml"]] {
        dir.apsched(args).status(3).stderr_contains(message).run();
    }
    dir.apsched(["run-now", "a", "-f", "s.toml"])
        .status(3)
        .stderr_contains(message)
        .run();
    let check = dir
        .apsched(["check", "s.toml", "--json"])
        .status(3)
        .run()
        .json();
    assert_eq!(check["problems"][0]["line"], 8);
    assert_eq!(check["problems"][0]["column"], 8);
}

#[test]
fn as_another_user_a_foreign_user_is_a_problem() {
    if !root() {
        return;
    }
    let dir = Dir::new().file(
        "s.toml",
        format!(
            "{HEAD}[jobs.mine]\ncommand = 'echo \"$(id -u) $USER\"'\ntrigger = \"startup\"\nuser = \"nobody\"\n[jobs.theirs]\ncommand = \"true\"\ntrigger = \"startup\"\nuser = \"root\"\n"
        ),
    );
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).expect("chmod");
    let as_nobody = |args: &[&str]| {
        Test::new()
            .under([
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
            ])
            .args(args)
            .dir(dir.path())
    };
    // setpriv runs even where nobody cannot reach the binary; only a
    // working `--version` shows that apsched can run as nobody here.
    if as_nobody(&["--version"])
        .try_output()
        .map_or(true, |o| o.code != Some(0))
    {
        eprintln!("skipped: cannot run apsched as nobody here (setpriv)");
        return;
    }
    let message = "s.toml:12:8: job \"theirs\" runs as user \"root\" (uid 0), but apsched runs as uid 65534, not root: only root can run a job as another user (run apsched as root, run it as that user, or drop user)";
    for args in [
        &["check", "s.toml"][..],
        &["run", "s.toml"],
        &["list", "s.toml"],
        &["run-now", "mine", "-f", "s.toml"],
    ] {
        as_nobody(args).status(3).stderr_contains(message).run();
    }
    // Its own user is fine: the job runs as nobody, with nobody's variables.
    dir.write(
        "s.toml",
        format!("{HEAD}[jobs.mine]\ncommand = 'echo \"$(id -u) $USER\"'\ntrigger = \"startup\"\nuser = \"nobody\"\n"),
    );
    as_nobody(&["run-now", "mine", "-f", "s.toml"])
        .stdout("mine| 65534 nobody\n")
        .run();
}
