//! Every error of the command line: its message and its exit code.

use super::error::*;
use crate::config::ConfigError;
use crate::config::Diagnostic;
use crate::cron::CronError;
use crate::store::StoreError;
use crate::timespec::TimeError;
use crate::timezone::ZoneError;

#[test]
fn errors_render_on_one_line_with_their_exit_code() {
    let cron = Error::Cron {
        expression: "61 * * * *".into(),
        source: CronError::new("minute", "61", "61 is out of range 0-59"),
        hint: String::new(),
    };
    let zone = Error::Zone(ZoneError {
        name: "Europe/Berln".into(),
        hint: ": did you mean \"Europe/Berlin\"?".into(),
    });
    let jobs = |n: usize| (0..n).map(|i| format!("j{i}")).collect::<Vec<_>>();
    let unknown = |n, hint: Option<&str>| Error::UnknownJob {
        job: "nosuch".into(),
        file: "quick.toml".into(),
        jobs: jobs(n),
        hint: hint.map(str::to_string),
    };
    let no_run = |recorded| Error::NoRun { run: 999, recorded };
    let cases = [
        (
            unknown(3, None),
            "apsched: error: no job \"nosuch\" in quick.toml (jobs: j0, j1, j2)",
            EXIT_INVALID,
        ),
        (
            unknown(12, Some("did you mean \"j1\"?")),
            "apsched: error: no job \"nosuch\" in quick.toml (jobs: j0, j1, j2, j3, j4, j5, j6, j7, j8, j9, and 2 more): did you mean \"j1\"?",
            EXIT_INVALID,
        ),
        (
            no_run(Some((1, 57))),
            "apsched: error: no run 999 (runs 1-57 are recorded)",
            EXIT_INVALID,
        ),
        (
            no_run(None),
            "apsched: error: no run 999 (no runs are recorded)",
            EXIT_INVALID,
        ),
        (
            Error::NoState {
                what: "pause".into(),
            },
            "apsched: error: the schedule keeps no state (state = \":memory:\"), so pause has nothing to change (set [scheduler] state to a file to keep pauses)",
            EXIT_STATE,
        ),
        (
            cron,
            "apsched: error: invalid cron expression \"61 * * * *\": minute: 61 is out of range 0-59",
            EXIT_INVALID,
        ),
        (
            zone,
            "apsched: error: unknown time zone \"Europe/Berln\": did you mean \"Europe/Berlin\"?",
            EXIT_INVALID,
        ),
    ];
    for (error, text, code) in cases {
        assert_eq!(error.render(), text);
        assert_eq!(error.exit_code(), code);
    }
}

#[test]
// A table.
#[allow(clippy::too_many_lines)]
fn every_variant_renders_with_its_exit_code() {
    let io = || std::io::Error::other("disk full");
    let diagnostic = |line, hint: Option<&str>| Diagnostic {
        file: "s.toml".into(),
        line,
        column: 1,
        message: "bad".into(),
        hint: hint.map(str::to_string),
    };
    let config = |n| {
        Error::from(ConfigError::Invalid {
            path: "s.toml".into(),
            diagnostics: (1..=n)
                .map(|l| diagnostic(l, (l == 2).then_some("fix it")))
                .collect(),
        })
    };
    let unreadable = |hint: Option<&str>| {
        Error::from(ConfigError::Unreadable {
            path: "s.toml".into(),
            hint: hint.map(str::to_string),
            source: io(),
        })
    };
    let cases = [
        (
            Error::Cron {
                expression: "x".into(),
                source: CronError::new("expression", "x", "expected 5 fields"),
                hint: " (quote it)".into(),
            },
            "apsched: error: invalid cron expression \"x\": expression: expected 5 fields (quote it)",
            EXIT_INVALID,
        ),
        (
            Error::from(TimeError {
                text: "soon".into(),
                reason: "expected RFC 3339".into(),
            }),
            "apsched: error: invalid time \"soon\": expected RFC 3339",
            EXIT_INVALID,
        ),
        (
            config(1),
            "apsched: error: s.toml:1:1: bad\napsched: s.toml has 1 problem",
            EXIT_INVALID,
        ),
        (
            config(2),
            "apsched: error: s.toml:1:1: bad\napsched: error: s.toml:2:1: bad (fix it)\napsched: s.toml has 2 problems",
            EXIT_INVALID,
        ),
        (
            unreadable(None),
            "apsched: error: cannot read the schedule file s.toml: disk full",
            EXIT_FAILURE,
        ),
        (
            unreadable(Some("name one")),
            "apsched: error: cannot read the schedule file s.toml: disk full (name one)",
            EXIT_FAILURE,
        ),
        (
            Error::NoRun {
                run: 3,
                recorded: Some((3, 3)),
            },
            "apsched: error: no run 3 (only run 3 is recorded)",
            EXIT_INVALID,
        ),
        (
            Error::StdinState,
            "apsched: error: the schedule comes from standard input, so its state file must be named: set [scheduler] state in it (relative to the current directory), or pass --state PATH (\":memory:\" keeps none)",
            EXIT_USAGE,
        ),
        (
            Error::WatchStdin { by: "--watch" },
            "apsched: error: --watch cannot watch a schedule read from standard input: name its file instead (apsched run --watch FILE), or send SIGHUP after changing it",
            EXIT_USAGE,
        ),
        (
            Error::Watch {
                file: "s.toml".into(),
                problem: "cannot start inotify: too many".into(),
            },
            "apsched: error: cannot watch s.toml for changes (--watch, [scheduler] watch): cannot start inotify: too many; run without watching and send SIGHUP to reload",
            EXIT_FAILURE,
        ),
        (
            Error::JobFailed {
                job: "a".into(),
                how: "exit 1".into(),
                run: 7,
            },
            "apsched: error: job a failed: exit 1 (run 7)",
            EXIT_FAILURE,
        ),
        (
            Error::NoOutcome {
                job: "a".into(),
                why: "the scheduler stopped".into(),
            },
            "apsched: error: run-now of job a: the scheduler stopped",
            EXIT_FAILURE,
        ),
        (
            Error::RunRefused {
                job: "a".into(),
                reason: "it is paused".into(),
            },
            "apsched: error: job a was not run: it is paused",
            EXIT_FAILURE,
        ),
        (
            Error::State(StoreError::Locked {
                path: "s.db".into(),
                pid: "42".into(),
            }),
            "apsched: error: state file s.db is in use by another apsched run (pid 42); stop it first, or use another state file with --state",
            EXIT_STATE,
        ),
        (
            Error::State(StoreError::Open {
                path: "s.db".into(),
                message: "damaged".into(),
            }),
            "apsched: error: state file s.db: damaged",
            EXIT_STATE,
        ),
        (
            Error::Io {
                context: "cannot write".into(),
                source: io(),
            },
            "apsched: error: cannot write: disk full",
            EXIT_FAILURE,
        ),
        (
            Error::NeedsDatabase {
                command: "nodes",
                state: "keeps its state in s.db".into(),
            },
            "apsched: error: apsched nodes needs a PostgreSQL state ([scheduler] state = \"postgresql://…\"); this schedule keeps its state in s.db",
            EXIT_USAGE,
        ),
        (
            Error::CopySame {
                state: "s.db".into(),
            },
            "apsched: error: FROM and TO are the same state (s.db); name another state to copy into",
            EXIT_USAGE,
        ),
        (
            Error::CopyRefused {
                reason: "t.db already holds jobs or runs".into(),
            },
            "apsched: error: cannot copy the state: t.db already holds jobs or runs",
            EXIT_STATE,
        ),
    ];
    for (error, text, code) in cases {
        assert_eq!(error.render(), text);
        assert_eq!(error.exit_code(), code, "{text}");
    }
}
