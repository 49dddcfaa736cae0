//! The hook thread's queue as a whole: overflow is dropped and counted,
//! what is still waiting at a finish too, and every hook is reported once.

use super::Msg;
use super::table::Table;
use super::worker::Worker;
use crate::config::parse;
use crate::console::Console;
use crate::log::{Format, Logger};
use crate::scheduler::{Level, Notice, Outcome, RunEnd};
use crate::store::RunResult;
use chrono::Utc;
use chrono_tz::Tz;
use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
fn a_flood_is_dropped_and_counted_and_each_hook_reported_once() {
    let file = "[scheduler]\ntimezone = \"UTC\"\n[hooks]\non_failure = \"true\"\nmax_concurrent = 1\n[jobs.a]\ncommand = \"true\"\ncron = \"@daily\"\n";
    let config = parse(Path::new("s.toml"), file).unwrap_or_else(|d| panic!("{d:?}"));
    let table = Table::new(&config.scheduler, &config.jobs);
    let counts: Arc<Mutex<HashMap<(&str, &str), usize>>> = Arc::default();
    let seen = Arc::clone(&counts);
    let report = Box::new(move |event, result| {
        if let Ok(mut c) = seen.lock() {
            *c.entry((event, result)).or_default() += 1;
        }
    });
    let logger = Logger::new(Format::Text, Level::Error, Console::new());
    let worker = Worker::new(table, logger, report, true);
    let (tx, rx) = channel();
    let now = Utc::now();
    for record in 0..1002 {
        let end = RunEnd {
            job: "a".into(),
            record,
            scheduled: now.with_timezone(&Tz::UTC),
            started: now,
            ended: now,
            outcome: Outcome::NotStarted("gone".into()),
            result: RunResult::Failed,
        };
        tx.send(Msg::Notice(Notice::Ended(Box::new(end))))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let finish = Instant::now() + Duration::from_secs(2);
    tx.send(Msg::Finish(finish))
        .unwrap_or_else(|e| panic!("{e}"));
    worker.run(&rx);
    let counts = counts.lock().map(|c| c.clone()).unwrap_or_default();
    let dropped = counts.get(&("job_failed", "dropped")).copied().unwrap_or(0);
    let ran = counts.get(&("job_failed", "success")).copied().unwrap_or(0);
    // Two did not fit the queue at all; the rest ran one at a time until
    // the finish, which dropped what still waited (one may still run then,
    // unreported).
    assert!(dropped >= 2, "{counts:?}");
    assert!(ran >= 1, "{counts:?}");
    assert!((1001..=1002).contains(&(dropped + ran)), "{counts:?}");
}
