//! A cluster-wide downtime: every node stopped while an every-minute job's
//! slots pass. When three nodes start at once, the missed slots are
//! recorded once, as one summary, and caught up at most once.

use super::invariants;
use super::nodes::{Cluster, LEDGER, NAME, stop_all};
use crate::harness::poll::until;
use chrono::{DateTime, Utc};
use std::time::Duration;

fn jobs() -> String {
    format!(
        "[jobs.minute]\ncommand = '{LEDGER}'\ncron = \"* * * * *\"\nmisfire_grace_time = \"2m\"\n"
    )
}

#[test]
fn a_downtime_is_summarized_once_and_caught_up_at_most_once() {
    let Some(mut c) = Cluster::new(&jobs()) else {
        return;
    };
    // One node writes the job's row, and stops.
    c.node("n1").stop();
    // Between 2 s and 50 s into a minute: no slot comes due during the
    // test, and none is on the edge of the grace time.
    let second: f64 =
        c.db.query_one("SELECT extract(second FROM now())::float8", &[])
            .expect("now")
            .get(0);
    if !(2.0..=50.0).contains(&second) {
        std::thread::sleep(Duration::from_secs_f64((62.0 - second) % 60.0));
    }
    // The job last ran an hour ago: 61 slots are due, up to this minute's.
    let row =
        c.db.query_one(
            "UPDATE apsched_jobs SET next_run_at = date_trunc('minute', now()) - interval '1 hour'
              WHERE cluster = $1 RETURNING next_run_at",
            &[&NAME],
        )
        .expect("set the job back an hour");
    let from: DateTime<Utc> = row.get(0);
    let nodes = c.nodes(&["n1", "n2", "n3"]);
    let caught_up = until(Duration::from_secs(5), || {
        !c.runs_in("minute", "missed").is_empty()
    });
    // A little longer: a second summary or catch-up would come now.
    std::thread::sleep(Duration::from_millis(1500));
    stop_all(nodes);
    assert!(caught_up, "no missed summary: {:#?}", c.runs());
    invariants::check(&mut c);

    let runs = c.runs();
    assert!(runs.iter().all(|r| r.scheduled >= from), "{runs:#?}");
    let missed: Vec<_> = runs.iter().filter(|r| r.state == "missed").collect();
    assert_eq!(missed.len(), 1, "one summary: {runs:#?}");
    assert_eq!(missed[0].scheduled, from, "{runs:#?}");
    let ran: Vec<_> = runs.iter().filter(|r| r.state != "missed").collect();
    assert!(ran.len() <= 1, "at most one catch-up run: {runs:#?}");
    // The summary is of the 59 slots older than the grace time (2 min);
    // the one within it is coalesced into the catch-up of this minute's.
    assert_eq!(missed[0].missed, 59, "{runs:#?}");
    assert_eq!(ran.len(), 1, "{runs:#?}");
    assert_eq!(ran[0].scheduled, from + chrono::Duration::hours(1));
    assert_eq!(ran[0].state, "success", "{runs:#?}");
}
