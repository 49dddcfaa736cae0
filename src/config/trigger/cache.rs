//! Parsed cron schedules, shared by the jobs that write the same one: a file
//! of 100,000 jobs on a few schedules parses each schedule once and holds
//! one copy of it.

use crate::cron::{CronError, CronFields, CronSchedule};
use std::collections::HashMap;
use std::sync::Arc;

/// What one schedule parsed to.
type Parsed = Result<Arc<CronSchedule>, CronError>;

/// The schedules parsed so far while reading one file, by their text or
/// their APScheduler-style fields.
#[derive(Default)]
pub(crate) struct Schedules {
    strings: HashMap<String, Parsed>,
    fields: HashMap<CronFields, Parsed>,
}

impl Schedules {
    /// The schedule a cron string parses to.
    pub(crate) fn string(&mut self, text: &str) -> Parsed {
        if let Some(parsed) = self.strings.get(text) {
            return parsed.clone();
        }
        let parsed = text.parse::<CronSchedule>().map(Arc::new);
        self.strings.insert(text.to_string(), parsed.clone());
        parsed
    }

    /// How many texts and field sets it holds.
    pub(crate) fn len(&self) -> usize {
        self.strings.len() + self.fields.len()
    }

    /// The schedule APScheduler-style fields build.
    pub(crate) fn fields(&mut self, fields: &CronFields) -> Parsed {
        if let Some(parsed) = self.fields.get(fields) {
            return parsed.clone();
        }
        let parsed = CronSchedule::from_fields(fields).map(Arc::new);
        self.fields.insert(fields.clone(), parsed.clone());
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_or_fields_give_one_shared_schedule() {
        let mut s = Schedules::default();
        let a = s.string("0 0 1 1 *").expect("valid");
        let b = s.string("0 0 1 1 *").expect("valid");
        assert!(Arc::ptr_eq(&a, &b));
        let c = s.string("0 0 1 1 mon").expect("valid");
        assert!(!Arc::ptr_eq(&a, &c));
        let f = CronFields {
            hour: Some("9".into()),
            ..CronFields::default()
        };
        let (x, y) = (s.fields(&f).expect("valid"), s.fields(&f).expect("valid"));
        assert!(Arc::ptr_eq(&x, &y));
    }

    #[test]
    fn an_invalid_text_gives_its_error_each_time() {
        let mut s = Schedules::default();
        let first = s.string("61 * * * *").expect_err("invalid");
        assert_eq!(s.string("61 * * * *").expect_err("invalid"), first);
        assert!(first.to_string().starts_with("minute"), "{first}");
    }
}
