//! The README's tour works as written: every `$ apsched ...` command of its
//! console blocks (but the blocking `apsched run`) is run by sh, in order, in a
//! directory holding the example file, with the built binary on the PATH.

use std::fs;
use std::path::Path;
use std::process::Command;

/// The tour as a shell script: commands, and the here-documents they write.
fn script(readme: &str) -> String {
    let mut script = String::from("set -e\n");
    let mut in_console = false;
    let mut heredoc = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_console = line == "```console";
            continue;
        }
        if heredoc {
            script.push_str(line);
            script.push('\n');
            heredoc = line != "EOF";
            continue;
        }
        let Some(command) = line.strip_prefix("$ ").filter(|_| in_console) else {
            continue;
        };
        if command.starts_with("apsched run ") {
            continue;
        }
        heredoc = command.contains("<<'EOF'");
        script.push_str(command);
        script.push('\n');
    }
    script
}

#[test]
fn the_tour_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).expect("README");
    let script = script(&readme);
    assert!(
        script.contains("apsched history backup -f mine.toml"),
        "{script}"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    fs::copy(
        root.join("schedules.example.toml"),
        dir.path().join("schedules.example.toml"),
    )
    .expect("copy the example");
    let bin = Path::new(env!("CARGO_BIN_EXE_apsched"))
        .parent()
        .expect("bin dir");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .env("PATH", path)
        .env("TZ", "UTC")
        .env_remove("APSCHED_CONFIG")
        .output()
        .expect("sh runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{script}\n--- stdout\n{stdout}--- stderr\n{stderr}"
    );
    // run-now reports its run on stderr; nothing else goes there.
    let others: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("apsched: run 1 of job backup succeeded"))
        .collect();
    assert!(others.is_empty(), "{script}\n{stderr}");
    assert!(stderr.contains("run 1 of job backup succeeded"), "{stderr}");
    assert!(stdout.contains("backup| backing up"), "{stdout}");
    assert!(stdout.contains("resumed job backup"), "{stdout}");
}
