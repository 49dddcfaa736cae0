//! Which hooks an event runs, and with what: the hooks of every job as the
//! schedule file sets them, and the runs a notice makes of them.

use super::describe::describe;
use super::payload::Facts;
use crate::config::{Command, HookKind, HookSet, Job, Mailto, Settings};
use crate::scheduler::Notice;
use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::sync::Arc;
use std::time::Duration;

/// One hook process to start.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct HookRun {
    /// The event it is told of (`job_failed`).
    pub event: &'static str,
    /// The key that set it (`on_failure`, or `mailto`).
    pub key: &'static str,
    pub job: Option<String>,
    pub command: Command,
    /// Runs a string command.
    pub shell: String,
    /// The job's `env` and the `APSCHED_*` variables.
    pub env: Vec<(String, String)>,
    pub stdin: Vec<u8>,
    /// The run it is about, if any.
    pub record: Option<crate::scheduler::Record>,
    /// An `on_start` hook: the run's other hooks wait for it to end.
    pub first: bool,
}

/// The hooks of one job: its own, else `[hooks]`' of the same event.
#[derive(Clone, Debug, Default)]
struct JobHooks {
    commands: Vec<(HookKind, Command)>,
    mail: Option<(String, std::path::PathBuf)>,
    shell: String,
    env: Vec<(String, String)>,
}

/// The hooks in force.
#[derive(Clone, Debug, Default)]
pub(crate) struct Table {
    jobs: HashMap<String, JobHooks>,
    reload_failed: Option<Command>,
    shell: String,
    pub timeout: Duration,
    pub max_concurrent: usize,
}

/// Whether the file sets any hook at all.
pub(crate) fn any(settings: &Settings, jobs: &[Arc<Job>]) -> bool {
    !settings.hooks.set.is_empty() || jobs.iter().any(|j| !j.more.hooks.is_empty())
}

fn merged(global: &HookSet, job: &Job, shell: &str) -> JobHooks {
    let commands = HookKind::ALL[..8]
        .iter()
        .filter_map(|k| {
            let c = job.more.hooks.get(*k).or_else(|| global.get(*k))?;
            Some((*k, c.clone()))
        })
        .collect();
    let mail = match job.more.hooks.mailto.as_ref().or(global.mailto.as_ref()) {
        Some(Mailto::To { address, sendmail }) => Some((address.clone(), sendmail.clone())),
        Some(Mailto::Off) | None => None,
    };
    JobHooks {
        commands,
        mail,
        shell: job.more.shell.clone().unwrap_or_else(|| shell.to_string()),
        env: job.more.env.clone(),
    }
}

impl Table {
    pub(crate) fn new(settings: &Settings, jobs: &[Arc<Job>]) -> Table {
        let global = &settings.hooks.set;
        Table {
            jobs: jobs
                .iter()
                .map(|j| (j.id.clone(), merged(global, j, &settings.shell)))
                .filter(|(_, h)| !h.commands.is_empty() || h.mail.is_some())
                .collect(),
            reload_failed: global.get(HookKind::ReloadFailed).cloned(),
            shell: settings.shell.clone(),
            timeout: settings.hooks.timeout,
            max_concurrent: settings.hooks.max_concurrent,
        }
    }

    /// Whether an end of `job` runs a hook that is told its output.
    pub(super) fn wants_tail(&self, job: &str) -> bool {
        self.jobs.get(job).is_some_and(|h| {
            h.mail.is_some()
                || h.commands.iter().any(|(k, _)| {
                    matches!(
                        k,
                        HookKind::Success
                            | HookKind::Failure
                            | HookKind::Finish
                            | HookKind::Timeout
                    )
                })
        })
    }

    /// The hook runs `notice` makes, one per event, with the run's output
    /// `tail` (`truncated` when it is only the last part).
    pub(super) fn runs(
        &self,
        notice: &Notice,
        tail: Option<(&[u8], bool)>,
        key: &RandomState,
        hostname: &str,
    ) -> Vec<HookRun> {
        let Some((job, kinds, facts)) = describe(notice, tail, key, hostname) else {
            return Vec::new();
        };
        if let Notice::ReloadFailed { .. } = notice {
            let Some(command) = &self.reload_failed else {
                return Vec::new();
            };
            return vec![run(
                &facts,
                "on_reload_failed",
                None,
                command,
                &self.shell,
                &[],
            )];
        }
        let Some(hooks) = self.jobs.get(&job) else {
            return Vec::new();
        };
        let mut runs = Vec::new();
        for kind in kinds {
            let facts = Facts {
                event: kind.event(),
                ..facts.clone()
            };
            if let Some((_, command)) = hooks.commands.iter().find(|(k, _)| *k == kind) {
                runs.push(run(
                    &facts,
                    kind.key(),
                    Some(&job),
                    command,
                    &hooks.shell,
                    &hooks.env,
                ));
            }
            if let (HookKind::Failure, Some((to, sendmail))) = (kind, &hooks.mail) {
                let argv = vec![sendmail.display().to_string(), "-t".into(), "-i".into()];
                let mut mail = run(
                    &facts,
                    "mailto",
                    Some(&job),
                    &Command::Argv(argv),
                    "",
                    &hooks.env,
                );
                mail.stdin = super::mail::message(to, &facts);
                runs.push(mail);
            }
        }
        runs
    }
}

fn run(
    facts: &Facts,
    key: &'static str,
    job: Option<&str>,
    command: &Command,
    shell: &str,
    job_env: &[(String, String)],
) -> HookRun {
    let mut env = job_env.to_vec();
    env.extend(facts.env().into_iter().map(|(k, v)| (k.to_string(), v)));
    HookRun {
        event: facts.event,
        key,
        job: job.map(str::to_string),
        command: command.clone(),
        shell: shell.to_string(),
        env,
        stdin: facts.stdin(),
        record: facts.run_id,
        first: facts.event == HookKind::Start.event(),
    }
}
