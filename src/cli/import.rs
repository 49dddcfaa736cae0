//! `apsched import crontab`: a crontab in, an equivalent schedule file out
//! (the conversion is `crate::import`; this reads and writes the files).

use super::error::Error;
use super::output::print;
use crate::account;
use crate::import::{self, Options, Problem};
use crate::text::one_line;
use crate::timezone::zone_or_system;
use std::io::{IsTerminal as _, Read as _, Write as _};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub(super) struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Convert a crontab into a schedule file, one job per entry
    Crontab(CrontabArgs),
}

#[derive(Debug, clap::Args)]
struct CrontabArgs {
    /// The crontab; - or none reads standard input (crontab -l | apsched
    /// import crontab)
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Write the schedule file here instead of standard output (an existing
    /// file is kept unless --force)
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Replace the --output file if it exists
    #[arg(long)]
    force: bool,
    /// Read a system crontab (a user field before each command) [default:
    /// for /etc/crontab, /etc/cron.d/*, and files whose every entry has a
    /// known user there]
    #[arg(long, overrides_with = "no_system")]
    system: bool,
    /// Read a user crontab (no user field), whatever the file
    #[arg(long, overrides_with = "system")]
    no_system: bool,
    /// Zone of the entries with no `CRON_TZ` or `TZ` line above them (IANA
    /// name) [default: the system's zone, as cron's]
    #[arg(long, short = 'z', value_name = "ZONE")]
    timezone: Option<String>,
}

/// Runs `apsched import`.
pub(super) fn run(args: &Args) -> Result<(), Error> {
    let What::Crontab(args) = &args.what;
    let file = args.file.as_deref().filter(|f| *f != Path::new("-"));
    let input = read(file)?;
    let source = file.map_or("standard input".into(), |f| f.display().to_string());
    let system = if args.system {
        true
    } else if args.no_system {
        false
    } else if file.is_some_and(system_path) {
        true
    } else if import::looks_like_system(&input, &known_users()) {
        eprintln!(
            "apsched: note: reading {} as a system crontab: each entry names a user before its command (pass --no-system to read it as a user crontab)",
            one_line(&source)
        );
        true
    } else {
        false
    };
    let zone = zone_or_system(args.timezone.as_deref())?;
    let imported = import::crontab(
        &input,
        &Options {
            source,
            system,
            zone,
        },
    );
    match &args.output {
        Some(path) => write(path, &imported.text, args.force)?,
        None => print(&imported.text)?,
    }
    for problem in &imported.problems {
        eprintln!("{}", render(problem));
    }
    if imported.mails
        && let Err(searched) =
            crate::config::find_sendmail(&std::env::var_os("PATH").unwrap_or_default())
    {
        eprintln!(
            "apsched: warning: MAILTO became mailto, which mails failed runs through sendmail, and sendmail is not in {}: install a mail transfer agent before loading the file, or remove mailto",
            one_line(&searched)
        );
    }
    let lost = imported.problems.iter().filter(|p| p.lost).count();
    if lost > 0 || imported.jobs == 0 {
        return Err(Error::ImportIncomplete {
            lost,
            jobs: imported.jobs,
        });
    }
    Ok(())
}

/// One problem as shown on stderr.
fn render(problem: &Problem) -> String {
    let line = problem.line;
    let message = one_line(&problem.message);
    if problem.lost {
        format!("apsched: line {line} not carried over: {message}")
    } else {
        format!("apsched: warning: line {line}: {message}")
    }
}

/// `/etc/crontab` and the files of `/etc/cron.d`, which have user fields.
fn system_path(file: &Path) -> bool {
    let path = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    path == Path::new("/etc/crontab") || path.parent() == Some(Path::new("/etc/cron.d"))
}

/// Whether a name is a user of this machine (`root`, or in the passwd
/// file, read once).
fn known_users() -> impl Fn(&str) -> bool {
    let passwd = std::fs::read_to_string(account::PASSWD).unwrap_or_default();
    move |name: &str| {
        name == "root" || account::find(&passwd, &account::Who::Name(name.to_string())).is_some()
    }
}

/// The crontab's bytes, from `file` or standard input.
fn read(file: Option<&Path>) -> Result<Vec<u8>, Error> {
    if let Some(path) = file {
        return std::fs::read(path).map_err(|e| Error::Io {
            context: format!("cannot read {}", one_line(&path.display().to_string())),
            source: e,
        });
    }
    let mut stdin = std::io::stdin().lock();
    if stdin.is_terminal() {
        return Err(Error::ImportFromTerminal);
    }
    let mut bytes = Vec::new();
    stdin.read_to_end(&mut bytes).map_err(|e| Error::Io {
        context: "cannot read standard input".into(),
        source: e,
    })?;
    Ok(bytes)
}

/// Writes the schedule file to `path`; an existing file only with `force`.
fn write(path: &Path, text: &str, force: bool) -> Result<(), Error> {
    let shown = one_line(&path.display().to_string());
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut file = options.open(path).map_err(|e| Error::Io {
        context: if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!("{shown} exists; pass --force to replace it")
        } else {
            format!("cannot write {shown}")
        },
        source: e,
    })?;
    file.write_all(text.as_bytes()).map_err(|e| Error::Io {
        context: format!("cannot write {shown}"),
        source: e,
    })
}
