//! `apsched completions SHELL`: the completion script of a shell, printed.
//! `clap_complete` writes the script from the command line's definition; for
//! bash, zsh and fish a few lines of our own are added so that the JOB of
//! `pause`, `resume`, `run-now` and `history` completes to the job ids of
//! the schedule file, which the script gets from the hidden
//! `apsched __complete-jobs [-f FILE]`.

use super::Cli;
use super::error::Error;
use super::output::print;
use crate::config;
use clap::{CommandFactory, Parser};
use clap_complete::Shell;
use std::path::PathBuf;

/// The bash lines that complete job ids, around `clap_complete`'s `_apsched`.
const BASH: &str = include_str!("jobs.bash");
/// The zsh function that completes job ids (`_apsched_job_ids`).
const ZSH: &str = include_str!("jobs.zsh");
/// The fish functions and rules that complete job ids.
const FISH: &str = include_str!("jobs.fish");

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    /// The shell to print the script of
    #[arg(value_name = "SHELL")]
    shell: Shell,
}

/// The hidden command the scripts run for the job ids.
pub(super) const JOBS: &str = "__complete-jobs";

/// `apsched __complete-jobs [-f FILE]`, parsed on its own: it is not part
/// of the command line the scripts complete.
#[derive(Debug, Parser)]
#[command(name = "apsched __complete-jobs")]
struct JobsArgs {
    /// The schedule file [default: $APSCHED_CONFIG, else ./schedules.toml]
    // The text is the option's help, printed by --help: no Markdown.
    #[allow(clippy::doc_markdown)]
    #[arg(long, short = 'f', value_name = "FILE")]
    file: Option<PathBuf>,
}

/// `apsched completions SHELL`.
pub(super) fn run(args: &Args) -> Result<(), Error> {
    print(&script(args.shell))
}

/// The whole completion script of `shell`.
pub(super) fn script(shell: Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "apsched", &mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    match shell {
        Shell::Bash => text + BASH,
        Shell::Zsh => zsh(&text),
        Shell::Fish => text + FISH,
        _ => text,
    }
}

/// The zsh script with `_apsched_job_ids` as the action of each JOB
/// argument (`clap_complete` writes `_default` there) and its definition.
fn zsh(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let job = line.trim_start().starts_with("':job -- ")
            || line.trim_start().starts_with("'::job -- ");
        match line.strip_suffix(":_default' \\") {
            Some(head) if job => lines.push(format!("{head}:_apsched_job_ids' \\")),
            _ => lines.push(line.to_string()),
        }
    }
    let script = lines.join("\n") + "\n";
    // The function must exist before the script's last lines run
    // `_apsched`: it goes in front of them, after the `#compdef` line.
    match script.split_once('\n') {
        Some((first, rest)) => format!("{first}\n\n{ZSH}\n{rest}"),
        None => script,
    }
}

/// `apsched __complete-jobs [-f FILE]`: the job ids of the schedule file,
/// one a line, for the completion scripts. Says nothing and succeeds when
/// there is no file to read (standard input, a missing or unreadable file):
/// a completion must never print an error in the middle of a command line.
pub(super) fn jobs_main() -> Result<(), Error> {
    // The command's name stands where clap expects the program's.
    let args = JobsArgs::try_parse_from(std::env::args_os().skip(1)).unwrap_or_else(|e| e.exit());
    let path = config::locate(args.file.as_deref());
    if config::is_stdin(&path) {
        return Ok(());
    }
    let Ok(bytes) = std::fs::read(&path) else {
        return Ok(());
    };
    let ids = config::job_ids(&String::from_utf8_lossy(&bytes));
    let mut text = ids.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    print(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_job_arguments_of_zsh_get_the_job_id_action() {
        let generated = "#compdef apsched\n\
            ':job -- The job id:_default' \\\n\
            '::job -- Only this job'\\''s runs:_default' \\\n\
            '*::expression -- The cron expression:_default' \\\n\
            ':jobs -- Not a job:_default' \\\n\
            _apsched \"$@\"\n";
        let got = zsh(generated);
        let want = [
            "':job -- The job id:_apsched_job_ids' \\",
            "'::job -- Only this job'\\''s runs:_apsched_job_ids' \\",
            "'*::expression -- The cron expression:_default' \\",
            "':jobs -- Not a job:_default' \\",
        ];
        for line in want {
            assert!(got.contains(line), "{line}\n{got}");
        }
        // The function comes after `#compdef`, before the script's code.
        assert!(
            got.starts_with("#compdef apsched\n\n# Added by apsched"),
            "{got}"
        );
        assert!(got.find("_apsched_job_ids() {") < got.find("':job -- "));
    }

    #[test]
    fn each_script_ends_with_its_additions() {
        let cases = [
            (Shell::Bash, Some(BASH)),
            (Shell::Fish, Some(FISH)),
            (Shell::Zsh, None),
            (Shell::Elvish, None),
            (Shell::PowerShell, None),
        ];
        for (shell, tail) in cases {
            let text = script(shell);
            assert_eq!(tail.is_some_and(|t| text.ends_with(t)), tail.is_some());
            assert!(text.len() > 1000, "{shell}");
        }
        assert_eq!(script(Shell::Zsh).matches(":_apsched_job_ids'").count(), 4);
    }
}
