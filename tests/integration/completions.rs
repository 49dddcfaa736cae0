//! `apsched completions SHELL`: every script is printed and parses in its
//! shell, and the JOB of pause, resume, run-now and history completes to
//! the job ids of the schedule file, through the real binary in bash, zsh
//! and fish. A test whose shell is not installed says so and passes, unless
//! `APSCHED_REQUIRE_SHELLS=1` (which `.ci/run` sets, installing them).

use crate::harness::{Dir, Test};
use std::path::{Path, PathBuf};
use std::process::Command;

const SCHEDULE: &str = r#"[jobs.backup]
command = "x"
cron = "@daily"
[jobs.report]
command = "x"
cron = "@daily"
[jobs."db.vacuum"]
command = "x"
cron = "@daily"
"#;

const OTHER: &str = "[jobs.other]\ncommand = \"x\"\ncron = \"@daily\"\n";

/// The shell's program if it is installed; `None` (the test passes, saying
/// so) when it is not, a panic when it is not and must be.
fn shell(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    assert!(
        found.is_some() || std::env::var_os("APSCHED_REQUIRE_SHELLS").is_none(),
        "{name} is required (apt-get install {name})"
    );
    if found.is_none() {
        eprintln!("skipped: {name} is not installed");
    }
    found
}

/// `apsched completions SHELL`'s standard output.
fn script(shell: &str) -> String {
    Test::new().args(["completions", shell]).run().stdout
}

/// A directory with `schedules.toml`, `other.toml` and the script of
/// `shell` in `completion`.
fn setup(shell: &str) -> Dir {
    let dir = Dir::new()
        .file("schedules.toml", SCHEDULE)
        .file("other.toml", OTHER);
    dir.write("completion", script(shell));
    dir
}

/// Runs `program args...` in `dir` with the binary first on `PATH` and no
/// `APSCHED_CONFIG`; its standard output, after checking it succeeded.
fn in_shell(dir: &Dir, program: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_apsched"))
        .parent()
        .expect("the binary's directory");
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH");
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(dir.path())
        .env("PATH", path)
        .env("HOME", dir.path())
        .env_remove("APSCHED_CONFIG");
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().expect("the shell runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {stdout}{stderr}");
    stdout
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    // Each shell's marker, and how its script would offer a command: the
    // hidden `__complete-jobs` is called by the scripts, never offered.
    let cases = [
        (
            "bash",
            "complete -F _apsched_with_jobs",
            "apsched,__complete-jobs",
        ),
        ("zsh", "#compdef apsched", "'__complete-jobs:"),
        ("fish", "complete -c apsched", "-a \"__complete-jobs\""),
        (
            "elvish",
            "edit:completion:arg-completer[apsched]",
            "__complete-jobs",
        ),
        (
            "powershell",
            "Register-ArgumentCompleter",
            "__complete-jobs",
        ),
    ];
    for (shell, marker, offer) in cases {
        let text = script(shell);
        assert!(text.contains(marker), "{shell}: {text}");
        assert!(!text.contains(offer), "{shell} offers __complete-jobs");
        for command in [
            "check",
            "list",
            "run",
            "history",
            "pause",
            "resume",
            "run-now",
            "validate",
            "completions",
            "nodes",
            "state",
        ] {
            assert!(text.contains(command), "{shell} lacks {command}");
        }
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error_naming_the_shells() {
    Test::new()
        .args(["completions", "tcsh"])
        .status(2)
        .stderr_contains("[possible values: bash, elvish, fish, powershell, zsh]")
        .run();
    Test::new()
        .args(["--help"])
        .stdout_contains("completions")
        .run();
    let help = Test::new().args(["--help"]).run().stdout;
    assert!(!help.contains("__complete-jobs"), "{help}");
}

#[test]
fn the_scripts_parse_in_their_shells() {
    for (name, check) in [("bash", "-n"), ("zsh", "-n"), ("fish", "--no-execute")] {
        let Some(program) = shell(name) else { continue };
        let dir = setup(name);
        in_shell(&dir, &program, &[check, "completion"], &[]);
        // And a broken script does not: the check can fail.
        dir.write("broken", script(name) + "\nif then fi end (\n");
        let out = Command::new(&program)
            .args([check, "broken"])
            .current_dir(dir.path())
            .output()
            .expect("the shell runs");
        assert!(!out.status.success(), "{name} accepted a broken script");
    }
}

#[test]
fn the_hidden_entry_point_lists_the_job_ids_of_the_file_named() {
    let dir = Dir::new()
        .file("schedules.toml", SCHEDULE)
        .file("other.toml", OTHER)
        .file("broken.toml", "[jobs.half]\ncommand = 5\n")
        .file("notoml.toml", "[jobs.x\n");
    let all = "backup\nreport\ndb.vacuum\n";
    let cases: &[(&[&str], Option<&str>, &str)] = &[
        (&[], None, all),
        (&["-f", "other.toml"], None, "other\n"),
        (&["--file", "other.toml"], None, "other\n"),
        (&["--file=other.toml"], None, "other\n"),
        (&[], Some("other.toml"), "other\n"),
        (&["-f", "schedules.toml"], Some("other.toml"), all),
        // A job with problems still completes; nothing to read, nothing.
        (&["-f", "broken.toml"], None, "half\n"),
        (&["-f", "notoml.toml"], None, ""),
        (&["-f", "nosuch.toml"], None, ""),
        (&["-f", "-"], None, ""),
    ];
    for (args, config, want) in cases {
        let mut test = dir
            .apsched(["__complete-jobs"].iter().chain(args.iter()))
            .stdout(want)
            .stderr("");
        if let Some(file) = config {
            test = test.env("APSCHED_CONFIG", file);
        }
        test.run();
    }
    // With no file named and no schedules.toml: nothing.
    Dir::new().apsched(["__complete-jobs"]).stdout("").run();
}

/// Completes the words of `line` (the last being the one completed) in
/// bash, as bash would on TAB: the candidates, one a line.
fn bash_completes(bash: &Path, dir: &Dir, line: &[&str], env: &[(&str, &str)]) -> String {
    let words: Vec<String> = line.iter().map(|w| format!("'{w}'")).collect();
    let code = format!(
        "source ./completion\n\
         COMP_WORDS=({})\n\
         COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n\
         COMP_LINE=\"${{COMP_WORDS[*]}}\"\n\
         COMP_POINT=${{#COMP_LINE}}\n\
         _apsched_with_jobs apsched \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        words.join(" ")
    );
    in_shell(dir, bash, &["-c", &code], env)
}

#[test]
fn bash_completes_job_ids() {
    let Some(bash) = shell("bash") else { return };
    let dir = setup("bash");
    let all = "backup\nreport\ndb.vacuum\n";
    let cases: &[(&[&str], &str)] = &[
        (&["apsched", "pause", ""], all),
        (&["apsched", "resume", "b"], "backup\n"),
        (&["apsched", "run-now", "db."], "db.vacuum\n"),
        (&["apsched", "history", ""], all),
        (&["apsched", "history", "-n", "5", ""], all),
        (&["apsched", "pause", "-f", "other.toml", ""], "other\n"),
        (
            &["apsched", "pause", "--file", "=", "other.toml", ""],
            "other\n",
        ),
        (&["apsched", "pause", "-fother.toml", ""], "other\n"),
        (
            &[
                "apsched",
                "pause",
                "--state",
                "s.db",
                "-f",
                "~/other.toml",
                "",
            ],
            "other\n",
        ),
    ];
    for (line, want) in cases {
        assert_eq!(bash_completes(&bash, &dir, line, &[]), *want, "{line:?}");
    }
    let got = bash_completes(
        &bash,
        &dir,
        &["apsched", "pause", ""],
        &[("APSCHED_CONFIG", "other.toml")],
    );
    assert_eq!(got, "other\n");
    // Elsewhere clap's completion answers: commands, options.
    let got = bash_completes(&bash, &dir, &["apsched", "pau"], &[]);
    assert_eq!(got, "pause\n");
    let got = bash_completes(&bash, &dir, &["apsched", "pause", "--st"], &[]);
    assert_eq!(got, "--state\n");
    // Loaded straight from the binary, as the man page shows for ~/.bashrc.
    let got = in_shell(
        &dir,
        &bash,
        &[
            "-c",
            "source <(apsched completions bash); complete -p apsched",
        ],
        &[],
    );
    assert!(got.contains("-F _apsched_with_jobs"), "{got}");
    // After the JOB: options, no job ids.
    let got = bash_completes(&bash, &dir, &["apsched", "pause", "backup", ""], &[]);
    assert!(got.contains("--state") && !got.contains("report"), "{got}");
}

#[test]
fn fish_completes_job_ids() {
    let Some(fish) = shell("fish") else { return };
    let dir = setup("fish");
    let all = "backup\tJob id\ndb.vacuum\tJob id\nreport\tJob id\n";
    let cases: &[(&str, &str)] = &[
        ("apsched pause ", all),
        ("apsched resume b", "backup\tJob id\n"),
        ("apsched run-now -f other.toml ", "other\tJob id\n"),
        ("apsched history --file=other.toml ", "other\tJob id\n"),
        ("apsched history -n 5 ", all),
        ("apsched pause -f ~/other.toml ", "other\tJob id\n"),
    ];
    for (line, want) in cases {
        let code = format!("source ./completion; complete -C '{line}'");
        assert_eq!(in_shell(&dir, &fish, &["-c", &code], &[]), *want, "{line}");
    }
    // After the JOB, no job ids.
    let code = "source ./completion; complete -C 'apsched pause backup '";
    let got = in_shell(&dir, &fish, &["-c", code], &[]);
    assert!(!got.contains("Job id"), "{got}");
}

#[test]
fn zsh_completes_job_ids() {
    let Some(zsh) = shell("zsh") else { return };
    let dir = setup("zsh");
    // The JOB of each of the four commands is completed by the function.
    let text = dir.read("completion");
    assert_eq!(text.matches(":_apsched_job_ids' \\").count(), 4, "{text}");
    // The function itself, called as `_arguments` calls it, with zsh's
    // completion builtins (which need a terminal) replaced by printing.
    let cases: &[(&str, &str)] = &[
        ("pause ''", "backup\nreport\ndb.vacuum\n"),
        ("pause -f other.toml ''", "other\n"),
        ("history --file=other.toml ''", "other\n"),
        ("run-now -f '~/other.toml' ''", "other\n"),
        ("resume -fother.toml ''", "other\n"),
    ];
    for (words, want) in cases {
        let code = format!(
            "compdef() {{ : }}; source ./completion\n\
             _wanted() {{ shift 3; \"$@\" }}\n\
             compadd() {{ print -l -- ${{(P)2}} }}\n\
             words=({words}); CURRENT=$#words\n\
             _apsched_job_ids\n"
        );
        assert_eq!(
            in_shell(&dir, &zsh, &["-f", "-c", &code], &[]),
            *want,
            "{words}"
        );
    }
}
