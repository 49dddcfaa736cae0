//! What the jobs of one file (or of one library scheduler) share: parsed
//! cron schedules, commands and the keys most jobs leave unset. A large
//! file usually repeats them, so each distinct one is held once.

use super::trigger::Schedules;
use super::{Command, JobMore};
use std::sync::Arc;

/// The shared parts of the jobs read so far.
#[derive(Default)]
pub(crate) struct Shared {
    pub(crate) schedules: Schedules,
    command: Option<Arc<Command>>,
    more: Vec<Arc<JobMore>>,
}

/// How many distinct [`JobMore`]s are looked through before a new one is
/// kept: a file that repeats them usually repeats a few.
const MORE_KEPT: usize = 8;

impl Shared {
    /// `command`, shared with the previous job's if it is the same.
    pub(crate) fn command(&mut self, command: Command) -> Arc<Command> {
        match &self.command {
            Some(last) if **last == command => last.clone(),
            _ => self.command.insert(Arc::new(command)).clone(),
        }
    }

    /// `more`, shared with a recent job's if it is the same.
    pub(crate) fn more(&mut self, more: JobMore) -> Arc<JobMore> {
        if let Some(found) = self.more.iter().find(|kept| ***kept == more) {
            return found.clone();
        }
        let more = Arc::new(more);
        if self.more.len() == MORE_KEPT {
            self.more.remove(0);
        }
        self.more.push(more.clone());
        more
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Command {
        Command::Argv(words.iter().map(|w| (*w).to_string()).collect())
    }

    #[test]
    fn the_same_command_in_a_row_is_held_once() {
        let mut shared = Shared::default();
        let first = shared.command(argv(&["true"]));
        let again = shared.command(argv(&["true"]));
        let other = shared.command(Command::Shell("true".into()));
        assert!(Arc::ptr_eq(&first, &again));
        assert!(!Arc::ptr_eq(&first, &other));
        assert_eq!(*other, Command::Shell("true".into()));
    }

    #[test]
    fn jobs_of_a_file_share_their_command_and_other_keys() {
        let file = "[jobs.a]\ncommand = \"x\"\ncron = \"* * * * *\"\ntimeout = \"1h\"\n\
                    [jobs.b]\ncommand = \"x\"\ncron = \"*/2 * * * *\"\ntimeout = \"1h\"\n\
                    [jobs.c]\ncommand = \"y\"\ncron = \"* * * * *\"\ntimeout = \"2h\"\n\
                    [jobs.d]\ncommand = \"y\"\ncron = \"* * * * *\"\ntimeout = \"1h\"\n";
        let config = super::super::parse(std::path::Path::new("s.toml"), file).unwrap();
        let [a, b, c, d] = &config.jobs[..] else {
            panic!("four jobs")
        };
        assert!(Arc::ptr_eq(&a.command, &b.command));
        assert!(Arc::ptr_eq(&c.command, &d.command));
        assert!(Arc::ptr_eq(&a.more, &b.more));
        assert!(
            Arc::ptr_eq(&a.more, &d.more),
            "a recent one, not only the last"
        );
        assert!(!Arc::ptr_eq(&a.more, &c.more));
        assert_eq!(c.more.timeout, Some(std::time::Duration::from_secs(7200)));
    }
}
