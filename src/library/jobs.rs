//! The jobs of a library scheduler as its handles change them: in the
//! order they were added, found by id in constant time (a program may add
//! 100,000 of them one by one) through an index of positions that holds no
//! copy of the id, as the scheduler's own table does.

use crate::config::Job;
use hashbrown::HashTable;
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;

#[derive(Default)]
pub(crate) struct JobList {
    list: Vec<Arc<Job>>,
    /// Positions in `list`, hashed by their job's id.
    at: HashTable<usize>,
    hasher: RandomState,
}

impl JobList {
    pub(crate) fn all(&self) -> &[Arc<Job>] {
        &self.list
    }

    /// The position of the job `id`.
    fn place(&self, id: &str) -> Option<usize> {
        let list = &self.list;
        let hash = self.hasher.hash_one(id);
        self.at.find(hash, |&i| list[i].id == id).copied()
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Arc<Job>> {
        self.place(id).map(|i| &self.list[i])
    }

    /// Adds `job`, or puts it in the place of the job of its id when
    /// `replace`; false (and nothing changed) if the id is taken otherwise.
    pub(crate) fn put(&mut self, job: Arc<Job>, replace: bool) -> bool {
        match self.place(&job.id) {
            Some(i) if replace => self.list[i] = job,
            Some(_) => return false,
            None => {
                let (list, hasher) = (&self.list, &self.hasher);
                let hash = hasher.hash_one(job.id.as_str());
                self.at
                    .insert_unique(hash, list.len(), |&i| hasher.hash_one(list[i].id.as_str()));
                self.list.push(job);
            }
        }
        true
    }

    /// Removes the job `id`; false if there is none. The jobs after it
    /// move up one place.
    pub(crate) fn remove(&mut self, id: &str) -> bool {
        let list = &self.list;
        let hash = self.hasher.hash_one(id);
        let Ok(found) = self.at.find_entry(hash, |&i| list[i].id == id) else {
            return false;
        };
        let (i, _) = found.remove();
        self.list.remove(i);
        for place in &mut self.at {
            if *place > i {
                *place -= 1;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Command, Defaults, Shared};

    fn job(id: &str) -> Arc<Job> {
        let spec =
            crate::library::JobSpec::shell(id, crate::library::TriggerSpec::cron("@daily"), "true");
        let now = chrono::Utc::now();
        let job = spec.build(
            &Defaults::default(),
            chrono_tz::Tz::UTC,
            now,
            &mut Shared::default(),
        );
        Arc::new(job.expect("a job"))
    }

    fn ids(jobs: &JobList) -> Vec<&str> {
        jobs.all().iter().map(|j| j.id.as_str()).collect()
    }

    #[test]
    fn jobs_keep_their_order_and_are_found_after_a_removal() {
        let mut jobs = JobList::default();
        for id in ["a", "b", "c", "d"] {
            assert!(jobs.put(job(id), false));
        }
        assert!(!jobs.put(job("b"), false), "b is taken");
        assert!(jobs.remove("b"));
        assert!(!jobs.remove("b"));
        assert_eq!(ids(&jobs), ["a", "c", "d"]);
        for id in ["a", "c", "d"] {
            assert_eq!(jobs.get(id).map(|j| j.id.as_str()), Some(id));
        }
        let mut replaced = (*job("c")).clone();
        replaced.command = Arc::new(Command::Shell("false".into()));
        assert!(jobs.put(Arc::new(replaced), true));
        assert_eq!(ids(&jobs), ["a", "c", "d"]);
        let c = jobs.get("c").expect("c");
        assert_eq!(*c.command, Command::Shell("false".into()));
    }
}
