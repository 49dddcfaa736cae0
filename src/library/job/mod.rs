//! [`JobSpec`]: a job added from code, a function or a command, with the
//! keys a `[jobs.ID]` table has; it becomes the same job inside.

mod build;

use super::TriggerSpec;
use crate::call::{Call, JobContext};
use crate::config::Command;
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
    ///
    /// ```
    /// use apsched::{JobSpec, TriggerSpec};
    /// let job = JobSpec::function("clean", TriggerSpec::cron("@hourly"), |ctx| {
    ///     println!("run {} for {}", ctx.run_id, ctx.scheduled);
    ///     Ok::<(), String>(())
    /// });
    /// # let _ = job;
    /// ```
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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), apsched::Error> {
    /// use apsched::{JobSpec, TriggerSpec};
    /// // Inside the program's runtime, where its runs are spawned.
    /// let job = JobSpec::future("poll", TriggerSpec::cron("*/30 * * * * *"), |ctx| async move {
    ///     println!("polling for {}", ctx.scheduled);
    ///     Ok::<(), String>(())
    /// });
    /// # let _ = job;
    /// # Ok(())
    /// # }
    /// ```
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
    ///
    /// ```
    /// let job = apsched::JobSpec::shell("df", apsched::TriggerSpec::cron("@daily"), "df -h / >> /tmp/df.log");
    /// # let _ = job;
    /// ```
    pub fn shell(
        id: impl Into<String>,
        trigger: TriggerSpec,
        command: impl Into<String>,
    ) -> JobSpec {
        JobSpec::of(id, trigger, Command::Shell(command.into()))
    }

    /// A job that runs a program with arguments, no shell.
    ///
    /// ```
    /// let job = apsched::JobSpec::argv("ping", apsched::TriggerSpec::cron("*/5 * * * *"), ["ping", "-c", "1", "example.org"]);
    /// # let _ = job;
    /// ```
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
    ///
    /// ```
    /// use std::time::Duration;
    /// let job = apsched::JobSpec::shell("report", apsched::TriggerSpec::cron("0 8 * * *"), "true")
    ///     .misfire_grace_time(Some(Duration::from_secs(3600)));
    /// # let _ = job;
    /// ```
    #[must_use]
    pub fn misfire_grace_time(mut self, grace: Option<Duration>) -> JobSpec {
        self.misfire_grace_time = Grace::Own(grace);
        self
    }

    /// Whether run times due at once run once; default: the scheduler's.
    ///
    /// ```
    /// let job = apsched::JobSpec::shell("each", apsched::TriggerSpec::cron("@hourly"), "true").coalesce(false);
    /// # let _ = job;
    /// ```
    #[must_use]
    pub fn coalesce(mut self, coalesce: bool) -> JobSpec {
        self.coalesce = Some(coalesce);
        self
    }

    /// How many runs of the job may go at once (1 to 10,000); default:
    /// the scheduler's.
    ///
    /// ```
    /// let job = apsched::JobSpec::shell("crawl", apsched::TriggerSpec::cron("* * * * *"), "true").max_instances(3);
    /// # let _ = job;
    /// ```
    #[must_use]
    pub fn max_instances(mut self, n: usize) -> JobSpec {
        self.max_instances = Some(n);
        self
    }

    /// Added paused: not run until resumed.
    ///
    /// ```
    /// let job = apsched::JobSpec::shell("later", apsched::TriggerSpec::cron("@daily"), "true").paused(true);
    /// # let _ = job;
    /// ```
    #[must_use]
    pub fn paused(mut self, paused: bool) -> JobSpec {
        self.paused = paused;
        self
    }

    /// A name for people.
    ///
    /// ```
    /// let job = apsched::JobSpec::shell("db-backup", apsched::TriggerSpec::cron("@daily"), "true")
    ///     .name("Nightly database backup");
    /// # let _ = job;
    /// ```
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> JobSpec {
        self.name = Some(name.into());
        self
    }

    /// A command's run is ended after this long (SIGTERM to its process
    /// group, SIGKILL 5 s later). A function cannot be stopped: its run is
    /// recorded as timed out, and it keeps its worker thread until it
    /// returns.
    ///
    /// ```
    /// use std::time::Duration;
    /// let job = apsched::JobSpec::shell("fetch", apsched::TriggerSpec::cron("@hourly"), "curl -sf https://example.org")
    ///     .timeout(Duration::from_secs(60));
    /// # let _ = job;
    /// ```
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> JobSpec {
        self.timeout = Some(timeout);
        self
    }

    /// A command's working directory (default: the program's); a run whose
    /// directory does not exist fails to start, saying so.
    ///
    /// ```
    /// let job = apsched::JobSpec::shell("build", apsched::TriggerSpec::cron("@daily"), "make").cwd("/srv/app");
    /// # let _ = job;
    /// ```
    #[must_use]
    pub fn cwd(mut self, dir: impl Into<std::path::PathBuf>) -> JobSpec {
        self.cwd = Some(dir.into());
        self
    }

    /// Sets an environment variable of a command's process (on top of the
    /// program's environment); repeat it for more.
    ///
    /// ```
    /// let job = apsched::JobSpec::shell("greet", apsched::TriggerSpec::cron("@daily"), "echo $GREETING")
    ///     .env("GREETING", "hello")
    ///     .env("LANG", "C.UTF-8");
    /// # let _ = job;
    /// ```
    #[must_use]
    pub fn env(mut self, key: impl Into<String>, value: impl Into<String>) -> JobSpec {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Runs a command as this user (a name or a uid), with its groups,
    /// home and shell variables, as the file's `user`; only a program
    /// running as root may name another user than itself.
    ///
    /// ```
    /// let job = apsched::JobSpec::shell("backup", apsched::TriggerSpec::cron("@daily"), "true").user("backup");
    /// # let _ = job;
    /// ```
    #[must_use]
    pub fn user(mut self, user: impl Into<String>) -> JobSpec {
        self.user = Some(user.into());
        self
    }

    /// Text written to a command's standard input (at most 1 MiB), as the
    /// file's `stdin`; without it, standard input is `/dev/null`.
    ///
    /// ```
    /// let job = apsched::JobSpec::shell("mail", apsched::TriggerSpec::cron("@weekly"), "cat")
    ///     .stdin("Weekly report\n");
    /// # let _ = job;
    /// ```
    #[must_use]
    pub fn stdin(mut self, text: impl Into<String>) -> JobSpec {
        self.stdin = Some(text.into());
        self
    }

    /// Adding it replaces a job of the same id instead of failing (as
    /// APScheduler's `replace_existing`): how a program gives a persisted
    /// job its function again after a restart.
    ///
    /// ```
    /// use apsched::{JobSpec, Scheduler, TriggerSpec};
    /// let scheduler = Scheduler::builder().build()?;
    /// scheduler.add_job(JobSpec::shell("a", TriggerSpec::cron("@daily"), "true"))?;
    /// // At each start, a persisted job is given its function again by id.
    /// scheduler.add_job(JobSpec::shell("a", TriggerSpec::cron("@daily"), "true").replace_existing(true))?;
    /// # Ok::<(), apsched::Error>(())
    /// ```
    #[must_use]
    pub fn replace_existing(mut self, replace: bool) -> JobSpec {
        self.replace_existing = replace;
        self
    }
}
