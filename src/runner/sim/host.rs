//! [`Host`] for the simulation: every call recorded as a [`Step`], time
//! moved only by `wait`, inputs and failures scripted by [`Behavior`].

use super::*;

impl Host for Sim {
    fn now(&mut self) -> DateTime<Utc> {
        self.now
    }

    fn saved_states(&mut self, ids: &[&str]) -> HashMap<String, JobState> {
        self.asked.push(ids.len());
        let saved = ids
            .iter()
            .filter_map(|id| Some((*id, self.saved.get(*id)?)));
        saved.map(|(id, s)| (id.to_string(), s.clone())).collect()
    }

    fn wait(&mut self, deadline: DateTime<Utc>) -> Vec<Input> {
        let exit = self.exits.keys().next().map(|(t, _)| *t);
        let step = self.script.keys().next().copied();
        let stop = (!self.stopped).then_some(self.end);
        let t = [Some(deadline), exit, step, stop]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(deadline);
        if t > self.now {
            self.now = t;
        }
        if exit == Some(t) {
            let mut inputs = Vec::new();
            while let Some(entry) = self.exits.first_entry() {
                if entry.key().0 > t {
                    break;
                }
                let ((_, run), outcome) = entry.remove_entry();
                self.procs.remove(&run);
                inputs.push(Input::Exited { run, outcome });
            }
            return inputs;
        }
        if step == Some(t) {
            return match self.script.remove(&t) {
                Some(Step::Stop) => vec![Input::Stop],
                Some(Step::Reload(text)) => {
                    self.reload_text = text;
                    vec![Input::Reload]
                }
                Some(Step::FileChanged(text)) => {
                    self.reload_text = text;
                    vec![Input::FileChanged]
                }
                Some(Step::Jump(to)) => {
                    self.now = to;
                    if self.clock_steps {
                        vec![Input::ClockSet]
                    } else {
                        Vec::new()
                    }
                }
                Some(Step::Claimed(job, next)) => {
                    if let Some(st) = self.saved.get_mut(&job) {
                        st.next_run = Some(next);
                    }
                    Vec::new()
                }
                None => Vec::new(),
            };
        }
        // What is due at the end moment happens before the stop.
        if stop == Some(t) && deadline > t {
            self.stopped = true;
            return vec![Input::Stop];
        }
        Vec::new()
    }

    fn notices_clock_steps(&self) -> bool {
        self.clock_steps
    }

    fn start(&mut self, run: &RunRequest) -> Result<(), StartError> {
        if self.unstartable.contains(&run.job.id) {
            return Err(StartError::new("No such file or directory (os error 2)"));
        }
        self.now += self.spawn_time;
        self.starts
            .push((self.now, run.job.id.clone(), run.scheduled));
        self.procs.insert(run.run, run.job.id.clone());
        let behavior = self
            .behavior
            .get(&run.job.id)
            .copied()
            .unwrap_or(Behavior::Runs(Duration::from_secs(1), 0));
        if let Behavior::Runs(d, code) = behavior {
            self.exits
                .insert((self.now + d, run.run), Outcome::Exited(code));
        }
        Ok(())
    }

    fn signal(&mut self, run: RunId, kill: bool) {
        self.signals.push((self.now, run, kill));
        let Some(job) = self.procs.get(&run) else {
            return;
        };
        let behavior = self.behavior.get(job).copied();
        let ignores = matches!(behavior, Some(Behavior::IgnoresTerm | Behavior::Stuck));
        if matches!(behavior, Some(Behavior::Stuck)) {
            return;
        }
        if kill {
            self.exit(run, Outcome::Signaled(9));
        } else if !ignores {
            self.exit(run, Outcome::Signaled(15));
        }
    }

    fn log(&mut self, event: &Event) {
        self.events.push((self.now, event.clone()));
    }

    fn notify(&mut self, notice: Notice) {
        self.notices.push((self.changes.len(), notice));
    }

    fn persist(&mut self, change: &Change) -> Result<Vec<Record>, PersistError> {
        if self.failing() {
            return Err(PersistError::Failed("database or disk is full".into()));
        }
        self.changes.push(change.clone());
        let count = match change {
            Change::Save { job, state } => {
                self.saved.insert(job.clone(), state.clone());
                0
            }
            // A length is at most `isize::MAX`: it fits a `Record`.
            #[allow(clippy::cast_possible_wrap)]
            Change::Claim { claim, .. } => {
                // The store's compare-and-set on the job's next run time.
                let st = self.saved.get_mut(&claim.job);
                match st {
                    Some(st) if st.next_run == Some(claim.expected) => st.next_run = claim.next,
                    // A store shared with other hosts says why, and how
                    // the job stands now.
                    Some(st) if self.shared => {
                        return Err(PersistError::Lost {
                            reason: "another node claimed the slot".into(),
                            saved: Some(st.clone()),
                        });
                    }
                    _ => return Err(PersistError::Refused("already claimed".into())),
                }
                claim.runs.len() as Record
            }
            Change::Extra { .. } => 1,
            _ => 0,
        };
        let first = self.records + 1;
        self.records += count;
        Ok((first..=self.records).collect())
    }

    fn recover(&mut self) -> Result<HashMap<String, JobState>, RecoverError> {
        self.recoveries.push(self.now);
        if self.failing() {
            return Err(RecoverError {
                reason: "database or disk is full".into(),
            });
        }
        Ok(self.saved.clone())
    }

    fn reload(&mut self) -> Result<(Settings, Vec<Arc<Job>>), ReloadError> {
        config::parse(Path::new("sim.toml"), &self.reload_text)
            .map(|c| (c.scheduler, c.jobs))
            .map_err(|d| ReloadError {
                problems: d.iter().map(ToString::to_string).collect(),
            })
    }
}
