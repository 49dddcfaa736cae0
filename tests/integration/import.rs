//! `apsched import crontab`, run as a user would: crontab in, schedule
//! file out, then `check` and `list` of what it wrote.

use crate::harness::{Dir, Test};
use std::path::PathBuf;

/// A crontab of `tests/integration/crontabs/`.
fn crontab(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/integration/crontabs")
        .join(name)
}

fn text(name: &str) -> String {
    std::fs::read_to_string(crontab(name)).expect("fixture")
}

/// The schedule of each entry line, read independently: the macro or the
/// first five words.
fn schedules(crontab: &str) -> Vec<String> {
    crontab
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit() || c == '*' || c == '@'))
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            if words[0].starts_with('@') {
                words[0].to_string()
            } else {
                words[..5].join(" ")
            }
        })
        .collect()
}

const AFTER: &str = "2026-03-01T00:00:00Z";

/// Imports `name` into `schedules.toml` (zone Europe/Berlin), checks it,
/// and compares the next 1,000 run times `list` shows for each job with
/// those `validate` shows for the original line.
fn import_check_list(name: &str) {
    let dir = Dir::new();
    let path = crontab(name);
    dir.apsched([
        "import",
        "crontab",
        "-z",
        "Europe/Berlin",
        "-o",
        "schedules.toml",
    ])
    .args([path.to_str().expect("path")])
    .run();
    dir.apsched(["check", "schedules.toml"])
        .stdout_contains("valid")
        .run();
    let listed = dir
        .apsched([
            "list",
            "schedules.toml",
            "--json",
            "-n",
            "1000",
            "--at",
            AFTER,
        ])
        .run()
        .json();
    let jobs = listed.as_array().expect("jobs");
    let schedules = schedules(&text(name));
    assert_eq!(jobs.len(), schedules.len(), "{name}: {listed}");
    for (job, schedule) in jobs.iter().zip(&schedules) {
        let validated = Test::new()
            .args([
                "validate",
                "-z",
                "Europe/Berlin",
                "--after",
                AFTER,
                "-n",
                "1000",
                "--json",
                schedule,
            ])
            .run()
            .json();
        assert_eq!(
            job["next_run_times"], validated["next_run_times"],
            "{name}: {schedule}"
        );
        assert_eq!(
            job["next_run_times"].as_array().map(Vec::len),
            Some(1000),
            "{name}: {schedule}"
        );
    }
}

#[test]
fn a_plain_crontab_imports_and_lists_the_original_run_times() {
    import_check_list("user-plain");
}

#[test]
fn debian_system_crontabs_import_and_list_the_original_run_times() {
    for name in [
        "debian-crontab",
        "cron.d-anacron",
        "cron.d-certbot",
        "cron.d-e2scrub_all",
        "cron.d-mdadm",
        "cron.d-php",
        "cron.d-popularity-contest",
        "cron.d-sysstat",
    ] {
        import_check_list(name);
    }
}

#[test]
fn a_crontab_with_every_construct_imports_and_checks() {
    let dir = Dir::new();
    let path = crontab("user-everything");
    let out = dir
        .apsched([
            "import",
            "crontab",
            "-o",
            "schedules.toml",
            path.to_str().expect("path"),
        ])
        .status(3)
        .run();
    assert!(
        out.stderr.contains("line 16 not carried over"),
        "{}",
        out.stderr
    );
    let written = dir.read("schedules.toml");
    assert!(
        written.contains("hooks = { mailto = \"ops@example.com\" }"),
        "{written}"
    );
    // mailto needs sendmail to load: a stand-in on PATH.
    dir.write("sendmail", "#!/bin/sh\ncat > /dev/null\n");
    std::fs::set_permissions(
        dir.join("sendmail"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    dir.apsched(["check", "schedules.toml"])
        .env("PATH", &dir.path().display().to_string())
        .stdout_contains("valid, 5 jobs")
        .run();
}

#[test]
fn standard_input_and_a_file_give_the_same_schedule() {
    let file = Test::new()
        .args(["import", "crontab"])
        .args([crontab("user-plain").to_str().expect("path")])
        .run();
    let dash = Test::new()
        .args(["import", "crontab", "-"])
        .stdin(text("user-plain"))
        .run();
    let none = Test::new()
        .args(["import", "crontab"])
        .stdin(text("user-plain"))
        .stderr("")
        .run();
    let body = |s: &str| {
        s.split_once('\n')
            .map(|(_, rest)| rest.to_string())
            .unwrap_or_default()
    };
    assert_eq!(body(&file.stdout), body(&dash.stdout));
    assert_eq!(dash.stdout, none.stdout);
    assert!(
        dash.stdout
            .starts_with("# Converted from standard input by `apsched import crontab`."),
        "{}",
        dash.stdout
    );
    assert!(
        dash.stdout
            .contains("[jobs.backup-sh]\ncron = \"0 2 * * *\"\n"),
        "{}",
        dash.stdout
    );
    assert!(
        dash.stdout
            .contains("timezone = \"UTC\"\nshell = \"/bin/sh\"\n"),
        "{}",
        dash.stdout
    );
}

#[test]
fn the_zone_is_the_machines_unless_given() {
    let crontab = "0 2 * * * a\n";
    Test::new()
        .args(["import", "crontab"])
        .env("TZ", "Asia/Tokyo")
        .stdin(crontab)
        .stdout_contains("timezone = \"Asia/Tokyo\"")
        .run();
    Test::new()
        .args(["import", "crontab", "--timezone", "America/New_York"])
        .stdin(crontab)
        .stdout_contains("timezone = \"America/New_York\"")
        .run();
    Test::new()
        .args(["import", "crontab", "-z", "Mars/Base"])
        .stdin(crontab)
        .status(3)
        .stderr_contains("unknown time zone \"Mars/Base\"")
        .run();
    Test::new()
        .args(["import", "crontab"])
        .stdin("CRON_TZ=Asia/Kolkata\n0 2 * * * a\n")
        .stdout_contains("timezone = \"Asia/Kolkata\"")
        .run();
}

#[test]
fn an_existing_output_file_is_kept_unless_forced() {
    let dir = Dir::new().file("schedules.toml", "mine");
    dir.apsched(["import", "crontab", "-o", "schedules.toml"])
        .stdin("0 2 * * * a\n")
        .status(1)
        .stderr_contains("schedules.toml exists; pass --force to replace it")
        .run();
    assert_eq!(dir.read("schedules.toml"), "mine");
    dir.apsched(["import", "crontab", "-o", "schedules.toml", "--force"])
        .stdin("0 2 * * * a\n")
        .stdout("")
        .run();
    assert!(dir.read("schedules.toml").contains("[jobs.a]"));
}

#[test]
fn mailto_is_carried_over_per_job_with_a_warning_when_sendmail_is_missing() {
    if std::path::Path::new("/usr/sbin/sendmail").exists() {
        return;
    }
    let out = Test::new()
        .args(["import", "crontab"])
        .env("PATH", "/nonexistent")
        .stdin("0 1 * * * a\nMAILTO=ops@example.com\n0 2 * * * b\nMAILTO=\"\"\n0 3 * * * c\n")
        .stderr_contains("apsched: warning: MAILTO became mailto, which mails failed runs through sendmail, and sendmail is not in PATH (/nonexistent) or /usr/sbin/sendmail")
        .run();
    let jobs: Vec<&str> = out.stdout.split("[jobs.").skip(1).collect();
    assert!(!jobs[0].contains("mailto"), "{}", out.stdout);
    assert!(
        jobs[1].contains("hooks = { mailto = \"ops@example.com\" }"),
        "{}",
        out.stdout
    );
    assert!(
        jobs[2].contains("hooks = { mailto = \"\" }"),
        "{}",
        out.stdout
    );
}

#[test]
fn lines_not_carried_over_are_reported_kept_as_comments_and_exit_3() {
    let dir = Dir::new();
    let out = dir
        .apsched(["import", "crontab", "-o", "s.toml"])
        .stdin("0 2 * * * a\n0 2 * * 9 b\nMAILTO=me@example.com\nnonsense\n")
        .status(3)
        .stderr_contains("apsched: line 2 not carried over: invalid cron expression \"0 2 * * 9\"")
        .stderr_contains("apsched: line 4 not carried over: ")
        .stderr_contains("apsched: error: 2 lines were not carried over (1 jobs were)")
        .run();
    assert!(out.stdout.is_empty());
    let written = dir.read("s.toml");
    assert!(
        written.contains("# apsched import: line 2 not carried over: "),
        "{written}"
    );
    assert!(written.contains("\n# 0 2 * * 9 b\n"), "{written}");
    assert!(written.contains("\n# nonsense\n"), "{written}");
    // The job above MAILTO= keeps mail off; those below would mail.
    assert!(!written.contains("mailto"), "{written}");
    dir.apsched(["check", "s.toml"])
        .stdout_contains("valid, 1 job")
        .run();
}

#[test]
fn a_crontab_without_entries_exits_3() {
    Test::new()
        .args(["import", "crontab"])
        .stdin("# nothing here\n\n")
        .status(3)
        .stdout_contains("# nothing here")
        .stderr("apsched: error: the crontab has no entries, so the schedule file has no jobs\n")
        .run();
}

#[test]
fn system_crontabs_are_recognised_and_can_be_forced_either_way() {
    let dir = Dir::new().file("crontab", text("debian-crontab"));
    let auto = dir
        .apsched(["import", "crontab", "crontab"])
        .stderr_contains("apsched: note: reading crontab as a system crontab")
        .run();
    assert!(
        auto.stdout.contains(
            "command = \"cd / && run-parts --report /etc/cron.hourly\"\nuser = \"root\"\n"
        ),
        "{}",
        auto.stdout
    );
    let forced = dir
        .apsched(["import", "crontab", "--system", "crontab"])
        .stderr("")
        .run();
    assert_eq!(forced.stdout, auto.stdout);
    let user = dir
        .apsched(["import", "crontab", "--no-system", "crontab"])
        .stderr("")
        .run();
    assert!(
        user.stdout
            .contains("command = \"root\\tcd / && run-parts --report /etc/cron.hourly\"\n"),
        "{}",
        user.stdout
    );
    Test::new()
        .args(["import", "crontab", "--system"])
        .stdin("0 2 * * * alice backup.sh%x\n")
        .stdout_contains("command = \"backup.sh\"\nstdin = \"x\\n\"\nuser = \"alice\"\n")
        .run();
}

#[test]
fn a_missing_crontab_is_an_error() {
    Test::new()
        .args(["import", "crontab", "/no/such/crontab"])
        .status(1)
        .stderr_contains("apsched: error: cannot read /no/such/crontab: ")
        .run();
}

#[test]
fn a_terminal_on_standard_input_is_a_usage_error() {
    // script(1) gives the command a terminal as its standard input.
    let bin = env!("CARGO_BIN_EXE_apsched");
    let Ok(out) = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("{bin} import crontab; echo exit=$?"),
            "/dev/null",
        ])
        .stdin(std::process::Stdio::null())
        .output()
    else {
        eprintln!("skipped: script(1) is not installed");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("no crontab to read: name a file, or pipe one in"),
        "{text}"
    );
    assert!(text.contains("exit=2"), "{text}");
}

#[test]
fn import_needs_to_know_what_it_imports() {
    Test::new()
        .args(["import"])
        .status(2)
        .stderr_contains("Usage: apsched import <COMMAND>")
        .run();
    Test::new()
        .args(["import", "cron"])
        .status(2)
        .stderr_contains("unrecognized subcommand 'cron'")
        .run();
    Test::new()
        .args(["import", "crontab", "--help"])
        .stdout_contains("Convert a crontab into a schedule file, one job per entry")
        .run();
}
