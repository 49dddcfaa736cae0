//! Making the job inside from a [`JobSpec`]: its bounds checked, the
//! scheduler's defaults for what it leaves unset, its trigger built.

use super::{Grace, JobSpec};
use crate::account::Who;
use crate::config::{Command, Defaults, HookSet, Job, JobMore, MAX_INSTANCES, OnLost};
use crate::config::{MAX_STDIN, Shared};
use crate::library::Error;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::sync::Arc;

impl JobSpec {
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
