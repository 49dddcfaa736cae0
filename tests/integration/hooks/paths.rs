//! Other ways in: mailto through sendmail, run-now without a scheduler,
//! and the man page's healthchecks.io recipe.

use super::*;

#[test]
fn mailto_mails_a_failed_runs_output_through_sendmail() {
    let dir = schedule(
        r#"[hooks]
mailto = "ops@example.com"
[jobs.fail]
command = "echo disk full; exit 2"
trigger = "startup"
[jobs.quiet]
command = "exit 3"
trigger = "startup"
[jobs.quiet.hooks]
mailto = ""
"#,
    );
    std::fs::create_dir(dir.join("bin")).unwrap_or_else(|e| panic!("{e}"));
    dir.write(
        "bin/sendmail",
        "#!/bin/sh\necho \"$@\" > args.txt\ncat >> mail.txt\n",
    );
    make_executable(&dir.join("bin/sendmail"));
    let path = format!(
        "{}:{}",
        dir.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = dir.run().env("PATH", &path).spawn();
    let mail = lines_in(&dir.join("mail.txt"), 8);
    run.wait_for_stderr("job_error", 2);
    run.sleep_ms(500);
    let done = run.stop();
    assert!(mail.starts_with("To: ops@example.com\n"), "{mail}");
    assert!(
        mail.contains("Subject: [apsched] job fail failed (exit status 2) on "),
        "{mail}"
    );
    assert!(mail.contains("\nOutput:\ndisk full\n"), "{mail}");
    assert!(
        !mail.contains("quiet"),
        "mailto = \"\" mails nothing: {mail}"
    );
    assert_eq!(dir.read("args.txt"), "-t -i\n");
    assert!(!done.stderr.contains("hook_failed"), "{}", done.stderr);
}

#[test]
fn mailto_without_sendmail_is_an_error_at_load() {
    if std::path::Path::new("/usr/sbin/sendmail").exists() {
        eprintln!("skipped: this machine has /usr/sbin/sendmail");
        return;
    }
    let dir = schedule(
        "[hooks]\nmailto = \"ops@example.com\"\n[jobs.a]\ncommand = \"true\"\ncron = \"@daily\"\n",
    );
    dir.apsched(["check", "s.toml"])
        .env("PATH", "/nonexistent")
        .status(3)
        .stderr_contains("s.toml:6:10: hooks.mailto needs sendmail, which is not in PATH (/nonexistent) or /usr/sbin/sendmail (install a mail transfer agent")
        .run();
}

#[test]
fn run_now_without_a_scheduler_runs_the_hooks_before_it_returns() {
    let dir = Dir::new().file(
        "s.toml",
        format!(
            r#"[scheduler]
timezone = "UTC"
[hooks]
on_start = {DUMP}
on_failure = {DUMP}
on_finish = {DUMP}
on_success = {DUMP}
[jobs.fail]
command = "echo broken; exit 4"
cron = "@daily"
"#
        ),
    );
    dir.apsched(["run-now", "fail", "-f", "s.toml"])
        .status(1)
        .run();
    let mut calls: Vec<String> = dir.read("calls").lines().map(str::to_string).collect();
    calls.sort_unstable();
    assert_eq!(calls, ["job_failed", "job_finished", "job_started"]);
    let failed = input(&dir, "in.job_failed.1");
    assert_eq!(failed["exit_code"], 4);
    assert_eq!(failed["output_tail"], "broken\n");
    let started = input(&dir, "in.job_started.1");
    let finished = input(&dir, "in.job_finished.1");
    assert_eq!(started["run_uuid"], finished["run_uuid"]);
}

/// The healthchecks.io recipe of `apsched(1)`, as written there, with a
/// stand-in `curl` that keeps its arguments and standard input.
#[test]
fn the_healthchecks_recipe_pings_start_and_the_exit_code_with_the_output() {
    let man = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/man/apsched.1"))
        .expect("man page");
    let recipe: Vec<String> = man
        .lines()
        .skip_while(|l| *l != "[jobs.backup.hooks]")
        .take_while(|l| *l != ".fi")
        .map(|l| l.replace("\\-", "-"))
        .collect();
    assert_eq!(recipe.len(), 3, "{recipe:?}");
    let dir = schedule(&format!(
        "[jobs.backup]\ncommand = \"echo oops; exit 2\"\ntrigger = \"startup\"\nenv = {{ HC_UUID = \"check-1\" }}\n{}\n",
        recipe.join("\n")
    ));
    std::fs::create_dir(dir.join("bin")).expect("mkdir");
    dir.write(
        "bin/curl",
        "#!/bin/sh\nfor a in \"$@\"; do case $a in https:*) url=$a;; esac; done\necho \"$url $(cat | tr '\\n' ' ')\" >> pings\n",
    );
    make_executable(&dir.join("bin/curl"));
    let path = format!(
        "{}:{}",
        dir.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = dir.run().env("PATH", &path).spawn();
    let pings = lines_in(&dir.join("pings"), 2);
    run.stop();
    let lines: Vec<&str> = pings.lines().collect();
    let start = lines[0].split(' ').next().unwrap_or_default();
    let uuid = start.rsplit("rid=").next().unwrap_or_default();
    assert!(
        start.starts_with("https://hc-ping.com/check-1/start?rid="),
        "{pings}"
    );
    assert_eq!(uuid.len(), 36, "{pings}");
    assert!(
        lines[1].starts_with(&format!("https://hc-ping.com/check-1/2?rid={uuid} oops")),
        "{pings}"
    );
}

#[test]
fn run_now_through_a_running_scheduler_runs_the_hooks() {
    let dir = Dir::schedule(&format!(
        "[hooks]\non_failure = {DUMP}\n[jobs.fail]\ncommand = \"echo broken; exit 4\"\ncron = \"@daily\"\n"
    ));
    let running = dir.run().spawn();
    running.wait_started();
    let out = dir
        .apsched(["run-now", "fail", "-f", "s.toml"])
        .status(1)
        .run();
    let failed = input(&dir, "in.job_failed.1");
    assert_eq!(failed["exit_code"], 4, "{}", out.stderr);
    assert_eq!(failed["output_tail"], "broken\n");
    let log = running.stop().stderr;
    assert!(
        log.contains("job_error job=fail run=1"),
        "ran in the scheduler: {log}"
    );
}
