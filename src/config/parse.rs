//! Parsing a schedule file: its top-level sections, then each job.

use super::diagnostic::{Diagnostic, Diagnostics};
use super::settings::{self, Given};
use super::shared::Shared;
use super::toml_errors;
use super::values::{self, Value};
use super::{Config, Defaults, Job, Settings, job};
use chrono::{DateTime, Utc};
use std::path::Path;
use std::sync::Arc;
use toml::de::{DeTable, DeValue};

/// Parses; with `fires_after`, a job with no run time after that time is a
/// problem. A file whose jobs come after its other sections is read a piece
/// at a time ([`super::pieces`]), with the same result.
pub(super) fn parse(
    path: &Path,
    source: &str,
    fires_after: Option<DateTime<Utc>>,
) -> Result<Config, Vec<Diagnostic>> {
    if let Some(split) = super::split::split(source, super::pieces::JOBS_PER_PIECE)
        && let Some(read) = super::pieces::parse(path, source, &split, fires_after)
    {
        return read;
    }
    whole(path, source, fires_after)
}

/// Parses the whole file at once.
pub(super) fn whole(
    path: &Path,
    source: &str,
    fires_after: Option<DateTime<Utc>>,
) -> Result<Config, Vec<Diagnostic>> {
    let mut diags = Diagnostics::new(path, source);
    let (table, errors) = DeTable::parse_recoverable(source);
    toml_errors::report(&mut diags, source, &errors);
    if !errors.is_empty() {
        return Err(diags.list);
    }
    let root = table.get_ref();
    let head = head(&mut diags, path, root);
    let jobs = jobs(
        &mut diags,
        root,
        &head.settings,
        &head.defaults,
        fires_after,
    );
    if diags.list.is_empty() {
        Ok(head.config(path, jobs, &diags))
    } else {
        Err(diags.list)
    }
}

/// What the sections of a file say, before its jobs are read.
pub(super) struct Head {
    pub settings: Settings,
    pub defaults: Defaults,
    given: Given,
    metrics: Option<super::Listen>,
    cluster: super::Cluster,
}

/// Reads the sections of the file's `root` table (all but its jobs).
pub(super) fn head(diags: &mut Diagnostics<'_>, path: &Path, root: &DeTable<'_>) -> Head {
    let (settings, defaults, given) = sections(diags, path, root);
    let metrics = (root.iter())
        .find(|(k, _)| k.get_ref() == "metrics")
        .and_then(|(_, v)| super::metrics::metrics(diags, &Value::new(v)));
    let cluster = (root.iter())
        .find(|(k, _)| k.get_ref() == "cluster")
        .map(|(_, v)| super::cluster::cluster(diags, &Value::new(v)))
        .unwrap_or_default();
    Head {
        settings,
        defaults,
        given,
        metrics,
        cluster,
    }
}

impl Head {
    /// The loaded file: these sections and `jobs`, with the warnings found.
    pub(super) fn config(
        self,
        path: &Path,
        jobs: Vec<Arc<Job>>,
        diags: &Diagnostics<'_>,
    ) -> Config {
        Config {
            path: path.to_path_buf(),
            scheduler: self.settings,
            jobs,
            state_given: self.given.state,
            metrics: self.metrics,
            cluster: self.cluster,
            warnings: (diags.warnings.iter())
                .map(std::string::ToString::to_string)
                .collect(),
        }
    }
}

/// Reads `[scheduler]` and `[defaults]` over their defaults, and reports
/// any other top-level key but `jobs`; the zone is the system's unless
/// `[scheduler]` gives one.
fn sections(
    diags: &mut Diagnostics<'_>,
    path: &Path,
    root: &DeTable<'_>,
) -> (Settings, Defaults, Given) {
    let mut settings = Settings::defaults(super::state_path(path, None));
    let mut defaults = Defaults::default();
    let mut given = Given::default();
    for (key, value) in root {
        let v = Value::new(value);
        match key.get_ref().as_ref() {
            "scheduler" => given = settings::scheduler(diags, path, &v, &mut settings),
            "defaults" => settings::defaults(diags, &v, &mut defaults),
            "hooks" => super::hooks::global(diags, &v, &mut settings.hooks),
            "jobs" | "metrics" | "cluster" => {}
            other => values::unknown_key(
                diags,
                key,
                other,
                &[
                    "scheduler",
                    "defaults",
                    "hooks",
                    "jobs",
                    "metrics",
                    "cluster",
                ],
                "at the top level",
            ),
        }
    }
    if !given.zone {
        match crate::timezone::system_zone() {
            Ok(tz) => settings.timezone = tz,
            Err(e) => diags.error(0..0, e.to_string(), Some("set [scheduler] timezone".into())),
        }
    }
    (settings, defaults, given)
}

/// Reads the `[jobs.ID]` tables, in file order.
fn jobs(
    diags: &mut Diagnostics<'_>,
    root: &DeTable<'_>,
    settings: &Settings,
    defaults: &Defaults,
    fires_after: Option<DateTime<Utc>>,
) -> Vec<Arc<Job>> {
    let mut jobs = Vec::new();
    let Some((_, jobs_value)) = root.iter().find(|(k, _)| k.get_ref() == "jobs") else {
        diags.error(
            0..0,
            "the file defines no jobs",
            Some(
                "add a job: [jobs.hello] with command = \"echo hello\" and cron = \"* * * * *\""
                    .into(),
            ),
        );
        return jobs;
    };
    let DeValue::Table(table) = jobs_value.get_ref() else {
        diags.error(
            jobs_value.span(),
            "\"jobs\" must be a table of jobs",
            Some("write [jobs.ID] sections".into()),
        );
        return jobs;
    };
    let mut shared = Shared::default();
    jobs.reserve_exact(table.len());
    for entry in table {
        let head = (settings, defaults);
        job::read_into(&mut jobs, diags, &mut shared, entry, head, fires_after);
    }
    if table.is_empty() {
        diags.error(jobs_value.span(), "[jobs] has no jobs", None);
    }
    jobs
}
