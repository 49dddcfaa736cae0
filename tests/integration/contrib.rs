//! The files of `contrib/`: the systemd units and the Dockerfile hold what
//! their comments and the README say, their `apsched` command lines are
//! accepted by the real binary, and a stopped container loses no record.
//! Docker is not run here; `systemd-analyze verify` is, where installed.

use crate::harness::{Dir, Finished, Test};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// A file of the repository.
fn repo_file(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// An INI file (a systemd unit) as section -> key -> values, in order;
/// panics on a line that is neither a comment, a section, nor `key=value`.
fn ini(text: &str) -> BTreeMap<String, BTreeMap<String, Vec<String>>> {
    let mut sections: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    let mut section = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = Some(name.to_string());
            sections.entry(name.to_string()).or_default();
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("line {}: not key=value: {line}", n + 1));
        let section = section
            .clone()
            .unwrap_or_else(|| panic!("line {}: no section", n + 1));
        sections
            .entry(section)
            .or_default()
            .entry(key.trim().to_string())
            .or_default()
            .push(value.trim().to_string());
    }
    sections
}

/// Seconds of a systemd time span written as `45s`.
fn seconds(span: &str) -> u64 {
    span.strip_suffix('s')
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{span}: write it in seconds, as 45s"))
}

/// Runs `apsched ARGS` for a moment with the paths of a unit's or the
/// image's command line moved into `dir`: it must start scheduling.
fn starts_with(args: &[String], config: &str, state: &str) {
    let dir = Dir::new().file(
        "schedules.toml",
        "[jobs.tick]\ncommand = \"true\"\ncron = \"@daily\"\n",
    );
    let moved: Vec<String> = args
        .iter()
        .map(|a| {
            if a == config {
                dir.join("schedules.toml").display().to_string()
            } else if a == state {
                dir.join("state.db").display().to_string()
            } else {
                a.clone()
            }
        })
        .collect();
    assert!(moved.len() > 2, "{args:?}");
    let running = dir.apsched(&moved[1..]).spawn();
    let err = running.wait_started();
    assert!(err.contains("scheduler_started jobs=1"), "{moved:?}: {err}");
    let Finished { code, .. } = running.stop();
    assert_eq!(code, Some(0));
    assert!(dir.exists("state.db"), "{moved:?}");
}

/// The default `shutdown_timeout` (30 s) and the 5 s from a job's SIGTERM
/// to its SIGKILL: what a stop may take before every run is recorded.
const STOP_TAKES: u64 = 30 + 5;

/// The units, each with its config and state paths as `%` specifiers leave them.
const UNITS: &[(&str, &str, &str)] = &[
    (
        "contrib/systemd/apsched.service",
        "/etc/apsched/schedules.toml",
        "/var/lib/apsched/state.db",
    ),
    (
        "contrib/systemd/apsched-user.service",
        "%E/apsched/schedules.toml",
        "%S/apsched/state.db",
    ),
];

#[test]
fn the_systemd_units_hold_the_settings_their_comments_describe() {
    for (path, config, state) in UNITS {
        let unit = ini(&repo_file(path));
        let service = &unit["Service"];
        let one = |key: &str| -> &str {
            let values = service
                .get(key)
                .unwrap_or_else(|| panic!("{path}: no {key}"));
            assert_eq!(values.len(), 1, "{path}: {key} {values:?}");
            &values[0]
        };
        assert!(unit["Unit"].contains_key("Description"), "{path}");
        assert!(unit.contains_key("Install"), "{path}");
        for (key, want) in [
            ("Type", "notify"),
            ("ExecReload", "/bin/kill -HUP $MAINPID"),
            ("KillMode", "mixed"),
            ("StateDirectory", "apsched"),
            ("NoNewPrivileges", "yes"),
            ("Restart", "on-failure"),
        ] {
            assert_eq!(one(key), want, "{path}: {key}");
        }
        assert!(seconds(one("WatchdogSec")) >= 10, "{path}");
        // systemd's SIGKILL must come after apsched has ended its jobs; the
        // man page gives the figure.
        assert_eq!(seconds(one("TimeoutStopSec")), 45, "{path}");
        assert!(seconds(one("TimeoutStopSec")) > STOP_TAKES + 5, "{path}");
        let exec: Vec<String> = one("ExecStart").split(' ').map(String::from).collect();
        assert!(exec[0].ends_with("/apsched"), "{path}: {exec:?}");
        let want = ["run", "-f", config, "--state", state];
        assert_eq!(exec[1..], want, "{path}");
        starts_with(&exec, config, state);
    }
    // The system unit's own user and sandbox.
    let system = ini(&repo_file(UNITS[0].0));
    for (key, want) in [
        ("DynamicUser", "yes"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
        ("ConfigurationDirectory", "apsched"),
    ] {
        assert_eq!(system["Service"][key], [want], "{key}");
    }
    assert_eq!(system["Install"]["WantedBy"], ["multi-user.target"]);
    let user = ini(&repo_file(UNITS[1].0));
    assert_eq!(user["Install"]["WantedBy"], ["default.target"]);
}

#[test]
fn systemd_analyze_verifies_the_units() {
    if Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: systemd-analyze is not installed");
        return;
    }
    let binary = env!("CARGO_BIN_EXE_apsched");
    for (path, mode, program) in [
        (UNITS[0].0, "--system", "/usr/local/bin/apsched"),
        (UNITS[1].0, "--user", "%h/.cargo/bin/apsched"),
    ] {
        // verify wants ExecStart's program to exist: this build's binary.
        let dir = Dir::new();
        let runtime = dir.join("runtime");
        std::fs::create_dir(&runtime).expect("a directory");
        dir.write("apsched.service", repo_file(path).replace(program, binary));
        let out = Command::new("systemd-analyze")
            .args([mode, "verify", "--man=no", "apsched.service"])
            .current_dir(dir.path())
            .env("XDG_RUNTIME_DIR", &runtime)
            .output()
            .expect("systemd-analyze runs");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        // It warns about unknown keys and bad values but still exits 0.
        assert!(out.status.success() && said.is_empty(), "{path}: {said}");
    }
}

#[test]
fn the_dockerfile_builds_in_one_stage_and_runs_apsched_in_another_as_a_user() {
    let text = repo_file("contrib/docker/Dockerfile");
    // Instructions, continuation lines joined, comments left out.
    let joined = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("\\\n", " ");
    let lines: Vec<(&str, &str)> = joined
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim().split_once(' ').unwrap_or((l, "")))
        .collect();
    let all = |word: &str| -> Vec<&str> {
        lines
            .iter()
            .filter(|(w, _)| *w == word)
            .map(|(_, rest)| *rest)
            .collect()
    };
    let from = all("FROM");
    assert_eq!(from.len(), 2, "{from:?}");
    assert!(
        from[0].starts_with("rust:1") && from[0].ends_with(" AS build"),
        "{from:?}"
    );
    assert_eq!(from[1], "debian:stable-slim");
    // After the second FROM: the runtime stage.
    let runtime = lines
        .iter()
        .skip_while(|(w, rest)| !(*w == "FROM" && *rest == from[1]))
        .collect::<Vec<_>>();
    let copy = runtime.iter().find(|(w, _)| *w == "COPY").expect("a COPY");
    assert!(copy.1.starts_with("--from=build "), "{copy:?}");
    let user = all("USER");
    assert_eq!(user.len(), 1);
    assert!(!["root", "0", "0:0"].contains(&user[0]), "{user:?}");
    assert!(text.contains("useradd --system --uid 10001 --user-group"));
    assert_eq!(all("VOLUME"), ["[\"/var/lib/apsched\"]"]);
    assert_eq!(all("STOPSIGNAL"), ["SIGTERM"]);
    let entry = all("ENTRYPOINT");
    assert_eq!(entry.len(), 1);
    // The exec form (a JSON array), so that apsched is PID 1.
    let exec: Vec<String> = serde_json::from_str(entry[0]).expect("ENTRYPOINT [\"...\"]");
    let (config, state) = ("/etc/apsched/schedules.toml", "/var/lib/apsched/state.db");
    assert_eq!(exec[1..], ["run", "-f", config, "--state", state]);
    starts_with(&exec, config, state);
    // The build context leaves build output out.
    let ignore = repo_file("contrib/docker/Dockerfile.dockerignore");
    assert!(ignore.lines().any(|l| l == "target/"), "{ignore}");
}

/// `docker stop`'s grace: SIGTERM, then SIGKILL this much later.
const DOCKER_GRACE: f64 = 10.0;

/// Starts `s.toml` (shutdown timeout `timeout`, one job running `command`
/// every second), stops it with SIGTERM once the job has started, as
/// `docker stop` does; how it ended, and the runs that started.
fn stopped_while_running(
    timeout: Option<&str>,
    command: &str,
) -> (Finished, Vec<serde_json::Value>) {
    let timeout = timeout.map_or(String::new(), |t| format!("shutdown_timeout = \"{t}\"\n"));
    let dir = Dir::new().file(
        "s.toml",
        format!(
            "[scheduler]\ntimezone = \"UTC\"\nstate = \"s.db\"\n{timeout}\
             [jobs.work]\ncommand = \"{command}\"\ncron = \"* * * * * *\"\nmax_instances = 1\n"
        ),
    );
    let running = Test::new()
        .dir(dir.path())
        .args(["run", "s.toml"])
        .merged()
        .spawn();
    running.wait_for_stdout("job_submitted job=work", 1);
    let finished = running.stop();
    // The runs that started (a slot that came while the job ran may be
    // recorded as skipped).
    let runs = dir
        .history()
        .into_iter()
        .filter(|row| row["started"].is_string())
        .collect();
    (finished, runs)
}

#[test]
fn a_stopped_container_records_a_run_that_ends_in_time() {
    // The default shutdown_timeout (30 s): a job that ends within the grace
    // is waited for, and recorded as it ended.
    let (finished, history) = stopped_while_running(None, "sleep 2; echo done");
    assert_eq!(finished.code, Some(0), "{}", finished.stdout);
    assert!(finished.took < DOCKER_GRACE, "took {}s", finished.took);
    assert!(
        finished.stdout.contains("work| done"),
        "{}",
        finished.stdout
    );
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0]["result"], "success", "{history:?}");
}

#[test]
fn a_stopped_container_records_a_run_it_had_to_end() {
    // shutdown_timeout = "4s", as the README says for a 10 s grace: a job
    // that would outlast it is ended (SIGTERM), and the run is recorded
    // before apsched exits, within the grace.
    let (finished, history) = stopped_while_running(Some("4s"), "sleep 60");
    assert_eq!(finished.code, Some(0), "{}", finished.stdout);
    assert!(finished.took < DOCKER_GRACE, "took {}s", finished.took);
    assert!(
        finished.stdout.contains("scheduler_stopped"),
        "{}",
        finished.stdout
    );
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(history[0]["result"], "failed", "{history:?}");
    assert_eq!(history[0]["job"], "work");
    assert!(history[0]["ended"].is_string(), "{history:?}");
}
