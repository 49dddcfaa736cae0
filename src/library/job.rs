//! [`JobSpec`]: a job added from code, a function or a command, with the
//! keys a `[jobs.ID]` table has; it becomes the same job inside.

use super::{Error, TriggerSpec};
use crate::account::Who;
use crate::call::{Call, JobContext};
use crate::config::{Command, Defaults, HookSet, Job, JobMore, MAX_INSTANCES, OnLost};
use crate::config::{MAX_STDIN, Shared};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::fmt::Display;
use std::sync::Arc;
use std::time::Duration;

/// A job's grace time: the scheduler's, or its own (`None`: no limit).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Grace {
    Default,
    Own(Option<Duration>),
}

/// A job to add: its id, trigger and what it runs, and optionally the
/// keys a schedule file's job has.
///
/// ```
/// use apsched::{JobSpec, TriggerSpec};
/// use std::time::Duration;
///
/// let backup = JobSpec::function("backup", TriggerSpec::cron("30 2 * * *"), |ctx| {
///     println!("backing up for {}", ctx.scheduled);
///     Ok::<(), String>(())
/// })
/// .misfire_grace_time(Some(Duration::from_secs(3600)))
/// .max_instances(1);
/// let report = JobSpec::shell("report", TriggerSpec::cron("@daily"), "echo report");
/// # let _ = (backup, report);
/// ```
#[derive(Clone, Debug)]
pub struct JobSpec {
    pub(crate) id: String,
    trigger: TriggerSpec,
    command: Command,
    misfire_grace_time: Grace,
    coalesce: Option<bool>,
    max_instances: Option<usize>,
    paused: bool,
    name: Option<String>,
    timeout: Option<Duration>,
    cwd: Option<std::path::PathBuf>,
    env: Vec<(String, String)>,
    user: Option<String>,
    stdin: Option<String>,
    pub(crate) replace_existing: bool,
    /// A future job made outside a tokio runtime: refused when added.
    outside_runtime: bool,
}

impl JobSpec {
    fn of(id: impl Into<String>, trigger: TriggerSpec, command: Command) -> JobSpec {
        JobSpec {
            id: id.into(),
            trigger,
            command,
            misfire_grace_time: Grace::Default,
            coalesce: None,
            max_instances: None,
            paused: false,
            name: None,
            timeout: None,
            cwd: None,
            env: Vec::new(),
            user: None,
            stdin: None,
            replace_existing: false,
            outside_runtime: false,
        }
    }

    /// A job that calls `f` on one of the scheduler's worker threads. An
    /// `Err` (or a panic) is the run's failure; its text is the event's
    /// reason.
    pub fn function<F, E>(id: impl Into<String>, trigger: TriggerSpec, f: F) -> JobSpec
    where
        F: Fn(&JobContext) -> Result<(), E> + Send + Sync + 'static,
        E: Display,
    {
        let call = Call::thread(Arc::new(move |ctx: &JobContext| {
            f(ctx).map_err(|e| e.to_string())
        }));
        JobSpec::of(id, trigger, Command::Call(call))
    }

    /// A job whose runs are the futures `f` makes, spawned on the tokio
    /// runtime this is called from (with the `tokio` feature). An `Err`
    /// (or a panic) is the run's failure. Outside a runtime, adding it is
    /// an error.
    #[cfg(feature = "tokio")]
    pub fn future<F, Fut, E>(id: impl Into<String>, trigger: TriggerSpec, f: F) -> JobSpec
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Display,
    {
        let id = id.into();
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            let mut spec = JobSpec::of(id, trigger, Command::Argv(Vec::new()));
            spec.outside_runtime = true;
            return spec;
        };
        let launch = move |ctx: JobContext| -> crate::call::Run {
            let run = f(ctx);
            Box::pin(async move { run.await.map_err(|e| e.to_string()) })
        };
        let call = Call(crate::call::Body::Future(Arc::new(launch), runtime));
        JobSpec::of(id, trigger, Command::Call(call))
    }

    /// A job that runs `command` with `/bin/sh -c`, in its own process
    /// group, with `APSCHED_JOB_ID`, `APSCHED_RUN_ID` and
    /// `APSCHED_SCHEDULED_TIME` set. As in `apsched run`, its output goes
    /// to the program's standard output and error a line at a time, each
    /// line after `ID| `, and its last 4 KiB are saved in the history.
    pub fn shell(
        id: impl Into<String>,
        trigger: TriggerSpec,
        command: impl Into<String>,
    ) -> JobSpec {
        JobSpec::of(id, trigger, Command::Shell(command.into()))
    }

    /// A job that runs a program with arguments, no shell.
    pub fn argv<I, S>(id: impl Into<String>, trigger: TriggerSpec, argv: I) -> JobSpec
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let argv = argv.into_iter().map(Into::into).collect();
        JobSpec::of(id, trigger, Command::Argv(argv))
    }

    /// How late a run may start and still run (`None`: no limit); default:
    /// the scheduler's.
    #[must_use]
    pub fn misfire_grace_time(mut self, grace: Option<Duration>) -> JobSpec {
        self.misfire_grace_time = Grace::Own(grace);
        self
    }

    /// Whether run times due at once run once; default: the scheduler's.
    #[must_use]
    pub fn coalesce(mut self, coalesce: bool) -> JobSpec {
        self.coalesce = Some(coalesce);
        self
    }

    /// How many runs of the job may go at once (1 to 10,000); default:
    /// the scheduler's.
    #[must_use]
    pub fn max_instances(mut self, n: usize) -> JobSpec {
        self.max_instances = Some(n);
        self
    }

    /// Added paused: not run until resumed.
    #[must_use]
    pub fn paused(mut self, paused: bool) -> JobSpec {
        self.paused = paused;
        self
    }

    /// A name for people.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> JobSpec {
        self.name = Some(name.into());
        self
    }

    /// A command's run is ended after this long (SIGTERM to its process
    /// group, SIGKILL 5 s later). A function cannot be stopped: its run is
    /// recorded as timed out, and it keeps its worker thread until it
    /// returns.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> JobSpec {
        self.timeout = Some(timeout);
        self
    }

    /// A command's working directory (default: the program's); a run whose
    /// directory does not exist fails to start, saying so.
    #[must_use]
    pub fn cwd(mut self, dir: impl Into<std::path::PathBuf>) -> JobSpec {
        self.cwd = Some(dir.into());
        self
    }

    /// Sets an environment variable of a command's process (on top of the
    /// program's environment); repeat it for more.
    #[must_use]
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> JobSpec {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Runs a command as this user (a name or a uid), with its groups,
    /// home and shell variables, as the file's `user`; only a program
    /// running as root may name another user than itself.
    #[must_use]
    pub fn user(mut self, user: impl Into<String>) -> JobSpec {
        self.user = Some(user.into());
        self
    }

    /// Text written to a command's standard input (at most 1 MiB), as the
    /// file's `stdin`; without it, standard input is `/dev/null`.
    #[must_use]
    pub fn stdin(mut self, text: impl Into<String>) -> JobSpec {
        self.stdin = Some(text.into());
        self
    }

    /// Adding it replaces a job of the same id instead of failing (as
    /// APScheduler's `replace_existing`): how a program gives a persisted
    /// job its function again after a restart.
    #[must_use]
    pub fn replace_existing(mut self, replace: bool) -> JobSpec {
        self.replace_existing = replace;
        self
    }

    /// The job inside, with `defaults` for what it leaves unset; an error
    /// if a value is out of bounds or the trigger is not valid.
    pub(crate) fn build(
        &self,
        defaults: &Defaults,
        tz: Tz,
        now: DateTime<Utc>,
        shared: &mut Shared,
    ) -> Result<Job, Error> {
        let invalid = |reason: String| Error::InvalidJob {
            job: self.id.clone(),
            reason,
        };
        if !crate::config::valid_job_id(&self.id) {
            return Err(invalid(
                "an id may not be empty or contain spaces or \"|\"".into(),
            ));
        }
        if self.outside_runtime {
            return Err(invalid(
                "a future job is made inside a tokio runtime, where its runs are spawned".into(),
            ));
        }
        if matches!(&self.command, Command::Argv(argv) if argv.is_empty()) {
            return Err(invalid("its argv is empty".into()));
        }
        let max_instances = self.max_instances.unwrap_or(defaults.max_instances);
        if !(1..=usize::from(MAX_INSTANCES)).contains(&max_instances) {
            return Err(invalid(format!(
                "max_instances must be 1 to {MAX_INSTANCES}"
            )));
        }
        if self.stdin.as_ref().is_some_and(|t| t.len() > MAX_STDIN) {
            return Err(invalid(format!("its stdin is over {MAX_STDIN} bytes")));
        }
        let user = match &self.user {
            Some(user) => Some(Box::new(
                crate::config::account_for(&Who::of(user)).map_err(|(why, _)| invalid(why))?,
            )),
            None => None,
        };
        let trigger = self.trigger.build(tz, now, shared).map_err(invalid)?;
        Ok(Job {
            id: self.id.clone(),
            command: Arc::new(self.command.clone()),
            trigger,
            paused: self.paused,
            more: shared.more(JobMore {
                misfire_grace_time: match self.misfire_grace_time {
                    Grace::Default => defaults.misfire_grace_time,
                    Grace::Own(grace) => grace,
                },
                coalesce: self.coalesce.unwrap_or(defaults.coalesce),
                max_instances,
                name: self.name.clone(),
                cwd: self.cwd.clone(),
                env: self.env.clone(),
                timeout: self.timeout,
                description: None,
                stdin: self.stdin.clone(),
                shell: None,
                user,
                hooks: HookSet::default(),
                on_lost: OnLost::Record,
                max_attempts: 2,
            }),
        })
    }
}
