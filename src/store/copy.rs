//! Moving a schedule's state from one store to another (`apsched state
//! copy`): every job's saved state and the run history, read from one
//! store ([`export`]) and written into another in one transaction
//! ([`StateStore::import`]). Run numbers are the new store's own; the
//! runs keep their order.

use super::{JobState, RunResult, RunRow, StateStore, StoreError};

/// What a state holds that a scheduler goes on from.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Dump {
    /// Every job's saved state, by id.
    pub jobs: Vec<(String, JobState)>,
    /// Every run, oldest first.
    pub runs: Vec<RunRow>,
}

/// Everything `store` holds, changing nothing. A run left pending or
/// started (by a scheduler that stopped without finishing it) is given as
/// interrupted or unknown, as the next start of that scheduler would have
/// recorded it: the new store has no process or lease to settle it by.
pub(crate) fn export(store: &dyn StateStore) -> Result<Dump, StoreError> {
    let mut jobs: Vec<(String, JobState)> = store.saved_jobs()?.into_iter().collect();
    jobs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut runs = store.history(None, usize::MAX)?;
    runs.reverse();
    for run in &mut runs {
        run.result = match run.result {
            RunResult::Pending => RunResult::Interrupted,
            RunResult::Started => RunResult::Unknown,
            other => other,
        };
    }
    Ok(Dump { jobs, runs })
}

/// Whether `store` holds any job or run.
pub(crate) fn holds_anything(store: &dyn StateStore) -> Result<bool, StoreError> {
    Ok(!store.saved_jobs()?.is_empty() || store.id_range(None)?.is_some())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;

    fn t(s: &str) -> chrono::DateTime<chrono::Utc> {
        crate::store::parse(s).expect("time")
    }

    /// A store with two jobs, a finished run with output, a pending and a
    /// started one.
    pub(crate) fn filled(store: &mut dyn StateStore) {
        let state = |next: &str, paused: bool| JobState {
            fingerprint: "interval 600s|UTC".into(),
            next_run: Some(t(next)),
            anchor: t("2027-01-01T00:00:07Z"),
            paused,
            file_paused: Some(false),
            reschedule: false,
        };
        store
            .save_job("a", &state("2027-01-01T00:10:07Z", false))
            .expect("save");
        store
            .save_job("b", &state("2027-01-02T00:00:00Z", true))
            .expect("save");
        let done = store.add_run("a", t("2027-01-01T00:00:07Z")).expect("add");
        store
            .run_started(done, t("2027-01-01T00:00:07.5Z"))
            .expect("start");
        store.run_output(done, b"out\n").expect("output");
        (store.run_ended(
            done,
            Some(t("2027-01-01T00:00:08Z")),
            Some(0),
            RunResult::Success,
        ))
        .expect("end");
        store.add_run("a", t("2027-01-01T00:10:07Z")).expect("add");
        let started = store.add_run("b", t("2027-01-01T00:20:07Z")).expect("add");
        store
            .run_started(started, t("2027-01-01T00:20:08Z"))
            .expect("start");
    }

    /// What two dumps must share: all but the run numbers.
    pub(crate) fn comparable(dump: &Dump) -> Dump {
        let mut d = dump.clone();
        for run in &mut d.runs {
            run.id = 0;
        }
        d
    }

    #[test]
    fn a_dump_is_every_job_and_run_oldest_first_none_unfinished() {
        let mut from = SqliteStore::memory(10).expect("store");
        filled(&mut from);
        let dump = export(&from).expect("export");
        let ids: Vec<&str> = dump.jobs.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(dump.jobs[0].1.next_run, Some(t("2027-01-01T00:10:07Z")));
        assert!(dump.jobs[1].1.paused);
        let results: Vec<RunResult> = dump.runs.iter().map(|r| r.result).collect();
        assert_eq!(
            results,
            [
                RunResult::Success,
                RunResult::Interrupted,
                RunResult::Unknown
            ]
        );
        assert_eq!(dump.runs[0].output.as_deref(), Some(&b"out\n"[..]));

        let mut to = SqliteStore::memory(10).expect("store");
        assert!(!holds_anything(&to).expect("read"));
        to.import(&dump, false).expect("import");
        assert!(holds_anything(&to).expect("read"));
        assert_eq!(comparable(&export(&to).expect("export")), comparable(&dump));
        // Replacing leaves the copy, not twice the rows.
        to.import(&dump, true).expect("import");
        assert_eq!(comparable(&export(&to).expect("export")), comparable(&dump));
    }
}
