//! Combined triggers on a shared PostgreSQL state: two nodes run a cron
//! list (the union of two strings, every second between them) and an `and`
//! (the seconds both members share), each slot once, none missing.

use super::invariants;
use super::nodes::{Cluster, LEDGER, stop_all};
use crate::harness::poll::until;
use std::time::Duration;

#[test]
fn two_nodes_run_each_slot_of_an_or_and_an_and_once() {
    let jobs = format!(
        "[jobs.either]\ncommand = '{LEDGER}'\ncron = [\"*/2 * * * * *\", \"1/2 * * * * *\"]\ncoalesce = false\nmax_instances = 5\n\
         [jobs.both]\ncommand = '{LEDGER}'\ntrigger = \"and\"\ntriggers = [{{ cron = \"*/2 * * * * *\" }}, {{ cron = \"*/3 * * * * *\" }}]\n"
    );
    let Some(mut c) = Cluster::new(&jobs) else {
        return;
    };
    let nodes = c.nodes(&["n1", "n2"]);
    std::thread::sleep(Duration::from_secs(5));
    until(Duration::from_secs(10), || {
        c.runs_in("either", "success").len() >= 6 && !c.runs_in("both", "success").is_empty()
    });
    let logs = stop_all(nodes);
    invariants::check(&mut c);
    let runs = c.runs();
    let slots = |job: &str| -> Vec<_> {
        (runs.iter().filter(|r| r.job == job))
            .map(|r| r.scheduled)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    let either = slots("either");
    let rows = runs.iter().filter(|r| r.job == "either").count();
    assert_eq!(rows, either.len(), "a slot run twice: {runs:#?}");
    assert!(either.len() >= 6, "too few runs: {runs:#?}\n{logs:#?}");
    // The union of even and odd seconds: every second, with no gap.
    for pair in either.windows(2) {
        assert_eq!(
            pair[1] - pair[0],
            chrono::Duration::seconds(1),
            "{either:?}"
        );
    }
    let both = slots("both");
    assert!(!both.is_empty(), "{runs:#?}\n{logs:#?}");
    for slot in &both {
        assert_eq!(chrono::Timelike::second(slot) % 6, 0, "{both:?}");
    }
}
