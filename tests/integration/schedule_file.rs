//! `apsched check` and `apsched list` on real files, run as a user would.

use crate::harness::{Dir, Test};
use serde_json::{Value, json};

const FILE: &str = r#"
[scheduler]
timezone = "UTC"
state = "never-created.db"

[jobs.report]
command = "true"
trigger = "cron"
day_of_week = "mon"
hour = 9
timezone = "America/New_York"

[jobs.nightly]
command = "true"
cron = "30 2 * * *"
timezone = "Europe/Berlin"

[jobs.every5]
command = "true"
trigger = "interval"
minutes = 5
start_date = "2026-03-29T00:00:00"
timezone = "Europe/Berlin"

[jobs.third-friday]
command = "true"
trigger = "cron"
day = "3rd fri"
hour = 12

[jobs.held]
command = "true"
cron = "* * * * *"
paused = true
"#;

/// Writes the file `name` in `dir`; its path.
fn write(dir: &Dir, name: &str, text: &str) -> String {
    dir.write(name, text);
    dir.join(name).to_string_lossy().into_owned()
}

#[test]
fn list_json_gives_next_run_times_in_each_jobs_zone() {
    let dir = Dir::new();
    let file = write(&dir, "s.toml", FILE);
    let output = Test::new()
        .args([
            "list",
            &file,
            "--at",
            "2026-03-28T12:00:00Z",
            "-n",
            "3",
            "--json",
        ])
        .run();
    let jobs: Value = serde_json::from_str(&output.stdout).expect("JSON");
    let times = |i: usize| jobs[i]["next_run_times"].clone();
    assert_eq!(jobs[0]["id"], "report");
    assert_eq!(jobs[0]["trigger"], "cron[day_of_week='mon', hour='9']");
    assert_eq!(
        times(0),
        json!([
            "2026-03-30T09:00:00-04:00",
            "2026-04-06T09:00:00-04:00",
            "2026-04-13T09:00:00-04:00"
        ])
    );
    assert_eq!(
        times(1),
        json!([
            "2026-03-29T03:30:00+02:00",
            "2026-03-30T02:30:00+02:00",
            "2026-03-31T02:30:00+02:00"
        ])
    );
    assert_eq!(
        times(2),
        json!([
            "2026-03-29T00:00:00+01:00",
            "2026-03-29T00:05:00+01:00",
            "2026-03-29T00:10:00+01:00"
        ])
    );
    assert_eq!(
        times(3),
        json!([
            "2026-04-17T12:00:00+00:00",
            "2026-05-15T12:00:00+00:00",
            "2026-06-19T12:00:00+00:00"
        ])
    );
    assert_eq!(
        (jobs[4]["paused"].clone(), times(4)),
        (json!(true), json!([]))
    );
    assert!(
        !dir.path().join("never-created.db").exists(),
        "list wrote state"
    );
}

#[test]
fn list_prints_a_table() {
    let dir = Dir::new();
    let file = write(&dir, "s.toml", FILE);
    Test::new()
        .args(["list", &file, "--at", "2026-03-28T12:00:00Z"])
        .stdout_contains("ID")
        .stdout_contains("NEXT RUN")
        .stdout_contains("2026-03-29T03:30:00+02:00")
        .stdout_contains("13h 30m")
        .stdout_contains("paused")
        .run();
}

#[test]
fn the_file_defaults_to_apsched_config_then_schedules_toml() {
    let dir = Dir::new();
    write(&dir, "schedules.toml", FILE);
    dir.apsched(["check"])
        .stdout_contains("schedules.toml: valid, 5 jobs")
        .run();
    let other = write(
        &dir,
        "other.toml",
        r#"[jobs.x]
command = "true"
cron = "@daily"
"#,
    );
    Test::new()
        .dir(dir.path())
        .env("APSCHED_CONFIG", &other)
        .args(["check"])
        .stdout_contains("valid, 1 job ")
        .run();
    let empty = Dir::new();
    empty.apsched(["list"]).status(1).stdout("").run();
}

#[test]
fn check_reports_every_problem_with_line_and_column() {
    let dir = Dir::new();
    let file = write(
        &dir,
        "bad.toml",
        r#"[jobs.a]
command = "x"
cron = "61 * * * *"

[jobs.b]
command = "x"
trigger = "cron"
day_of_wek = "mon"
"#,
    );
    let output = Test::new()
        .args(["check", &file])
        .status(3)
        .stdout("")
        .run();
    let stderr = output.stderr.clone();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(
        lines[0].starts_with(&format!(
            "apsched: error: {file}:3:8: jobs.a.cron: invalid cron expression"
        )),
        "{stderr}"
    );
    assert_eq!(
        lines[1],
        format!(
            "apsched: error: {file}:8:1: unknown key \"day_of_wek\" in job \"b\" (did you mean \"day_of_week\"?)"
        )
    );
    assert_eq!(lines[2], format!("apsched: {file} has 2 problems"));
}

#[test]
fn the_example_file_is_valid() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/schedules.example.toml");
    Test::new()
        .args(["check", example])
        .stdout_contains("schedules.example.toml: valid, 6 jobs")
        .run();
    let output = Test::new().args(["list", example, "--json"]).run();
    let jobs: Value = serde_json::from_str(&output.stdout).expect("JSON");
    let running = jobs
        .as_array()
        .expect("array")
        .iter()
        .filter(|j| {
            j["next_run_times"]
                .as_array()
                .is_some_and(|t| !t.is_empty())
        })
        .count();
    assert_eq!(running, 5, "every job but the paused one has a next run");
}
