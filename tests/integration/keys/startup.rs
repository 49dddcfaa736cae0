//! `trigger = "startup"`: once at every start of `apsched run`, never caught
//! up, recorded, not re-fired by a reload; "at start" in `list` and `check`.

use super::HEAD;
use crate::harness::Dir;

fn file(extra: &str) -> String {
    format!(
        "{HEAD}[jobs.boot]\ncommand = \"echo booted >> boots\"\ntrigger = \"startup\"\nmisfire_grace_time = 0\n{extra}\n[jobs.later]\ncommand = \"true\"\ncron = \"0 0 1 1 *\"\n"
    )
}

#[test]
fn it_runs_once_at_every_start_and_is_recorded() {
    let dir = Dir::new().file("s.toml", file(""));
    for starts in 1..=2 {
        let run = dir.apsched(["run", "s.toml"]).spawn();
        let done = run.stop_when("job_executed job=boot", 1);
        assert_eq!(done.code, Some(0), "{}", done.stderr);
        assert!(!done.stderr.contains("job_missed"), "{}", done.stderr);
        assert_eq!(done.stderr.matches("job_submitted job=boot").count(), 1);
        assert_eq!(dir.read("boots").lines().count(), starts);
    }
    let history = dir.history();
    let results: Vec<&str> = history
        .iter()
        .filter(|r| r["job"] == "boot")
        .map(|r| r["result"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(results, ["success", "success"]);
}

#[test]
fn a_reload_does_not_fire_it_and_a_job_added_by_a_reload_waits_for_the_next_start() {
    let dir = Dir::new().file("s.toml", file(""));
    let run = dir.apsched(["run", "s.toml"]).spawn();
    run.wait_for_stderr("job_executed job=boot", 1);
    // Changed (a new description) and a new startup job: neither fires.
    dir.write(
        "s.toml",
        file("description = \"changed\"\n[jobs.added]\ncommand = \"echo added >> boots\"\ntrigger = \"startup\"\n"),
    );
    run.signal(libc::SIGHUP);
    run.wait_for_stderr("reloaded", 1);
    run.signal(libc::SIGHUP);
    let done = run.stop_when("reloaded", 2);
    assert_eq!(
        done.stderr.matches("job_submitted").count(),
        1,
        "{}",
        done.stderr
    );
    assert_eq!(dir.read("boots"), "booted\n");
    // The next start fires both.
    let done = dir
        .apsched(["run", "s.toml"])
        .spawn()
        .stop_when("job_executed", 2);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    let mut boots: Vec<String> = dir.read("boots").lines().map(str::to_string).collect();
    boots.sort();
    assert_eq!(boots, ["added", "booted", "booted"]);
}

#[test]
fn a_paused_startup_job_does_not_run_and_run_now_runs_it() {
    let dir = Dir::new().file("s.toml", file("paused = true\n"));
    let done = dir
        .apsched(["run", "s.toml"])
        .spawn()
        .stop_when("job_added job=later", 1);
    assert!(!done.stderr.contains("job_submitted"), "{}", done.stderr);
    assert!(!dir.exists("boots"));
    dir.apsched(["run-now", "boot", "-f", "s.toml"])
        .status(1)
        .stderr_contains("job boot was not run: it is paused")
        .run();
    dir.write("s.toml", file(""));
    dir.apsched(["run-now", "boot", "-f", "s.toml"])
        .stderr_contains("run 1 of job boot succeeded")
        .run();
    assert_eq!(dir.read("boots"), "booted\n");
}

#[test]
fn run_now_through_a_running_scheduler_and_max_instances() {
    let dir = Dir::new().file(
        "s.toml",
        format!(
            "{HEAD}[jobs.boot]\ncommand = \"echo started >> boots; sleep 30\"\ntrigger = \"startup\"\n"
        ),
    );
    let run = dir.apsched(["run", "s.toml"]).spawn();
    run.wait_for_stderr("job_submitted job=boot", 1);
    // max_instances = 1 and the startup run is going: refused.
    dir.apsched(["run-now", "boot", "-f", "s.toml"])
        .status(1)
        .stderr_contains("max_instances")
        .run();
    let done = run.stop();
    assert_eq!(dir.read("boots"), "started\n", "{}", done.stderr);
}

#[test]
fn list_and_check_show_at_start() {
    let dir = Dir::new().file("s.toml", file(""));
    let out = dir.apsched(["list", "s.toml"]).run();
    let line = out
        .stdout
        .lines()
        .find(|l| l.contains("boot"))
        .unwrap_or_default();
    assert!(
        line.contains("startup") && line.contains("at start"),
        "{}",
        out.stdout
    );
    let jobs = dir.apsched(["list", "s.toml", "--json"]).run().json();
    assert_eq!(jobs[0]["trigger"], "startup");
    assert_eq!(jobs[0]["status"], "at_start");
    assert_eq!(jobs[0]["next_run_times"], serde_json::json!([]));
    let at = dir
        .apsched(["list", "s.toml", "--json", "--at", "2030-01-01T00:00:00"])
        .run()
        .json();
    assert_eq!(at[0]["status"], "at_start");
    dir.apsched(["check", "s.toml"])
        .stdout_contains("  boot   startup (UTC, shell)         at start                        once each time apsched run starts\n")
        .run();
    let check = dir.apsched(["check", "s.toml", "--json"]).run().json();
    assert_eq!(check["jobs"][0]["status"], "at_start");
}

#[test]
fn other_trigger_keys_are_refused() {
    let dir = Dir::new().file(
        "s.toml",
        format!("{HEAD}[jobs.boot]\ncommand = \"true\"\ntrigger = \"startup\"\nminutes = 5\n"),
    );
    for command in ["check", "run", "list"] {
        dir.apsched([command, "s.toml"])
            .status(3)
            .stderr_contains("s.toml:8:1: \"minutes\" belongs to trigger = \"interval\", but job \"boot\" uses startup")
            .run();
    }
}

#[test]
fn resuming_a_paused_startup_job_does_not_run_it() {
    let dir = Dir::new().file("s.toml", file("paused = true\n"));
    let run = dir.apsched(["run", "s.toml"]).spawn();
    run.wait_for_stderr("job_added job=later", 1);
    dir.apsched(["resume", "boot", "-f", "s.toml"]).run();
    let done = run.stop_when("job_resumed job=boot", 1);
    assert!(!done.stderr.contains("job_submitted"), "{}", done.stderr);
    assert!(!dir.exists("boots"));
    // Resumed, it runs at the next start.
    let done = dir
        .apsched(["run", "s.toml"])
        .spawn()
        .stop_when("job_executed job=boot", 1);
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert_eq!(dir.read("boots"), "booted\n");
}

#[test]
fn its_scheduled_time_is_the_start() {
    let dir = Dir::new().file(
        "s.toml",
        format!("{HEAD}[jobs.boot]\ncommand = 'echo \"$APSCHED_SCHEDULED_TIME\"'\ntrigger = \"startup\"\n"),
    );
    let done = dir
        .apsched(["run", "s.toml"])
        .spawn()
        .stop_when("job_executed job=boot", 1);
    let line = done.stdout.lines().next().unwrap_or_default();
    let time = line.strip_prefix("boot| ").unwrap_or_default();
    let started = done
        .stderr
        .lines()
        .find(|l| l.contains("scheduler_started"))
        .unwrap_or_default();
    // The log line's time, to the millisecond: 2027-01-01T00:00:00.123Z.
    let start = started.get(..23).unwrap_or_default();
    assert!(
        time.starts_with(start.get(..19).unwrap_or("?")),
        "{time} {started}"
    );
    assert!(time.ends_with("+00:00"), "{line}");
}
