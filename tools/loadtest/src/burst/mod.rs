//! Scenario 3, burst: 1,000 `true` jobs due in the same second with
//! `max_workers = 1000`: scheduled second to the last `job_submitted` and to
//! the last `job_executed`, against a plain Rust loop spawning 1,000 `true`
//! (and a loop spawning them the way apsched does: pipes, process group,
//! env). Five rounds, the loops right before apsched each time; the fastest
//! round of each side is compared (load from elsewhere only slows rounds
//! down), and the CPU time per job shows the costs load does not move. Then
//! one more round with a state file instead of `:memory:`.

mod apsched;
mod spawn_loop;

use std::path::Path;

use crate::Sizes;
use crate::report::{Row, best, count, median, row};
use apsched::{Burst, burst_run};
use spawn_loop::{Loop, spawn_loop};

/// The figures of every round, side by side.
#[derive(Default)]
struct Rounds {
    /// The bare loop: to the last spawn, to the last reap, its CPU time.
    bare: Vec<f64>,
    bare_reap: Vec<f64>,
    bare_cpu: Vec<f64>,
    /// The loop spawning like apsched: to the last spawn, its CPU time.
    like: Vec<f64>,
    like_cpu: Vec<f64>,
    /// apsched: to the last `job_submitted` and `job_executed`, CPU time of
    /// its main thread and of its other threads.
    sub: Vec<f64>,
    exec: Vec<f64>,
    main_cpu: Vec<f64>,
    other_cpu: Vec<f64>,
    /// Whether every round submitted and executed every job.
    all_ok: bool,
}

impl Rounds {
    fn push(&mut self, jobs: usize, l: &Loop, k: &Loop, b: &Burst) {
        self.all_ok &= b.submitted == jobs && b.executed == jobs;
        self.bare.push(l.spawned);
        self.bare_reap.push(l.reaped);
        self.bare_cpu.push(l.cpu);
        self.like.push(k.spawned);
        self.like_cpu.push(k.cpu);
        self.sub.push(b.last_submitted);
        self.exec.push(b.last_executed);
        self.main_cpu.push(b.main_cpu);
        self.other_cpu.push(b.other_cpu);
    }
}

/// Prints one round's figures.
fn print_round(round: usize, jobs: usize, l: &Loop, k: &Loop, b: &Burst) {
    println!(
        "burst round {round}: Rust loop of {jobs} x `true`: last spawn {:.0} ms \
         (spawning thread CPU {:.0} ms), all reaped {:.0} ms; loop spawning like apsched \
         (pipes, process group, env): {:.0} ms (CPU {:.0} ms); apsched: {} submitted, {} \
         executed, {} errors, first job_submitted {:.0} ms, last {:.0} ms, last job_executed \
         {:.0} ms, CPU main thread {:.0} ms, other threads {:.0} ms",
        l.spawned,
        l.cpu,
        l.reaped,
        k.spawned,
        k.cpu,
        b.submitted,
        b.executed,
        b.errors,
        b.first,
        b.last_submitted,
        b.last_executed,
        b.main_cpu,
        b.other_cpu
    );
}

pub fn scenario(bin: &Path, dir: &Path, sizes: Sizes) -> Vec<Row> {
    let file = dir.join("burst.toml");
    let jobs = sizes.burst_jobs;
    // Each round runs the plain loops right before apsched, so that a change
    // in the machine's load hits both sides alike.
    let mut rounds = Rounds {
        all_ok: true,
        ..Rounds::default()
    };
    for round in 1..=sizes.burst_rounds {
        let l = spawn_loop(jobs, false);
        let k = spawn_loop(jobs, true);
        let b = burst_run(bin, &file, jobs, ":memory:");
        print_round(round, jobs, &l, &k, &b);
        rounds.push(jobs, &l, &k, &b);
    }
    // The same with a state file, as a real installation has.
    let db = burst_run(bin, &file, jobs, "burst.db");
    println!(
        "burst with state = \"burst.db\": {} submitted, first job_submitted {:.0} ms, last {:.0} ms, \
         last job_executed {:.0} ms",
        db.submitted, db.first, db.last_submitted, db.last_executed
    );
    rows(jobs, &rounds, &db)
}

/// The table rows: the fastest round of each side, since other work on the
/// machine only ever slows a round down.
fn rows(jobs: usize, r: &Rounds, db: &Burst) -> Vec<Row> {
    let per_job = |v: &[f64]| median(v) * 1e3 / jobs as f64;
    let ratios: Vec<String> = r
        .sub
        .iter()
        .zip(&r.bare)
        .map(|(a, b)| format!("{:.2}", a / b))
        .collect();
    let ratio = best(&r.sub) / best(&r.bare);
    let ratio_of = |a: &[f64], b: &[f64]| {
        format!(
            "best {:.0} ms / {:.0} ms: {:.2}x",
            best(a),
            best(b),
            best(a) / best(b)
        )
    };
    vec![
        row(
            &format!(
                "burst, {} jobs: to last job_submitted / bare spawn loop",
                count(jobs)
            ),
            format!(
                "best {:.0} ms / {:.0} ms: {ratio:.2}x (per round: {})",
                best(&r.sub),
                best(&r.bare),
                ratios.join(", ")
            ),
            "<= 1.3x",
            Some(r.all_ok && ratio <= 1.3),
        ),
        row(
            "burst: same, vs a loop spawning like apsched",
            ratio_of(&r.sub, &r.like),
            "(reference)",
            None,
        ),
        row(
            "burst: to last job_executed / bare loop until all reaped",
            ratio_of(&r.exec, &r.bare_reap),
            "(reference)",
            None,
        ),
        row(
            "burst: CPU per job, apsched main thread / other threads",
            format!(
                "{:.0} us / {:.0} us (loops' spawning thread: bare {:.0} us, like apsched {:.0} us)",
                per_job(&r.main_cpu),
                per_job(&r.other_cpu),
                per_job(&r.bare_cpu),
                per_job(&r.like_cpu)
            ),
            "(reference)",
            None,
        ),
        row(
            "burst with a state file: to last job_submitted",
            format!(
                "{:.0} ms ({:.2}x the best bare loop; first at {:.0} ms)",
                db.last_submitted,
                db.last_submitted / best(&r.bare),
                db.first
            ),
            "(reference)",
            None,
        ),
    ]
}
