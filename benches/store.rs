//! The cost of recording runs in the SQLite state file (WAL mode): one claim
//! (compare-and-set of the next run time plus the run row), the start and the
//! end of a run, each a committed transaction, as `apsched run` does them.
//!
//! `cargo bench --bench store`

use apsched::internals::SqliteStore;
use apsched::internals::{Claim, JobState, RunResult, Store};
use chrono::{DateTime, Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = SqliteStore::open_for_run(&dir.path().join("bench.db"), 1000).expect("open");
    let start: DateTime<Utc> = DateTime::from_timestamp(1_800_000_000, 0).expect("time");
    store
        .save_job(
            "job",
            &JobState {
                fingerprint: "cron * * * * * *|UTC|||".into(),
                next_run: Some(start),
                anchor: start,
                paused: false,
                file_paused: Some(false),
                reschedule: false,
            },
        )
        .expect("save");
    let mut slot = start;
    let mut group = c.benchmark_group("store");
    group.sample_size(50);
    group.bench_function("claim+start+end", |b| {
        b.iter(|| {
            let next = slot + Duration::seconds(1);
            let claim = Claim {
                job: "job".into(),
                expected: slot,
                next: Some(next),
                runs: vec![slot],
                missed: None,
                skipped: None,
                due_at: chrono::DateTime::UNIX_EPOCH,
                grace: None,
                max_instances: 1,
                fingerprint: "cron * * * * * *|UTC|||".into(),
            };
            let rows = store.claim(&claim).expect("claim").expect("claimed");
            store.run_started(rows[0], slot).expect("start");
            store
                .run_ended(rows[0], Some(next), Some(0), RunResult::Success)
                .expect("end");
            slot = next;
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
