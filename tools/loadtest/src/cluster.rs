//! Scenario 6, cluster (only with `--database DSN`): apsched nodes on one
//! PostgreSQL database.
//!
//! 1. Claim round trip: one node with an every-second job, `-v`: from the
//!    `woke` line of the timer to the `claimed` line of the slot (the plan,
//!    the one claim statement and its answer).
//! 2. Three nodes with the same 1,000 every-minute jobs for two minutes:
//!    every slot of every job claimed once (no duplicate, no gap), which
//!    node won how many, CPU per node.
//! 3. Idle load on the database: three nodes with 10,000 far-off jobs,
//!    transactions committed per minute (`pg_stat_database.xact_commit`).
//!
//! Each part uses a cluster of its own, named after this process, so the
//! database needs no cleaning between runs.

use std::fmt::Write as _;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use postgres::{Client, NoTls};

use crate::Sizes;
use crate::procfs::cpu_ns;
use crate::report::{Row, count, median, ms, percentile, row, sorted};
use crate::sched::{Sched, time_field};

/// A schedule file of `jobs` for the cluster `name` on `dsn`.
fn cluster_file(path: &Path, dsn: &str, name: &str, jobs: &str) {
    let mut text = format!(
        "[scheduler]\ntimezone = \"UTC\"\nstate = \"{dsn}\"\nmax_workers = 1000\n[cluster]\nname = \"{name}\"\n\n"
    );
    text.push_str(jobs);
    if let Err(e) = std::fs::write(path, text) {
        panic!("cannot write {}: {e}", path.display());
    }
}

fn connect(dsn: &str) -> Client {
    Client::connect(dsn, NoTls).unwrap_or_else(|e| panic!("cannot connect to {dsn}: {e}"))
}

pub fn scenario(bin: &Path, dir: &Path, dsn: &str, sizes: Sizes) -> Vec<Row> {
    let tag = format!("bench{}", std::process::id());
    let mut rows = round_trip(bin, dir, dsn, &format!("{tag}rt"), sizes);
    rows.extend(three_nodes(bin, dir, dsn, &format!("{tag}x3"), sizes));
    rows.extend(idle_load(bin, dir, dsn, &format!("{tag}idle"), sizes));
    rows
}

fn start_nodes(bin: &Path, file: &Path, n: usize, extra: &[&str]) -> Vec<Sched> {
    (1..=n)
        .map(|i| {
            let id = format!("n{i}");
            let mut args = vec!["--node-id", id.as_str()];
            args.extend_from_slice(extra);
            Sched::start(bin, file, &args)
        })
        .collect()
}

/// Part 1: the claim round trip, from the timer's wake-up to the claim.
fn round_trip(bin: &Path, dir: &Path, dsn: &str, name: &str, sizes: Sizes) -> Vec<Row> {
    let file = dir.join("cluster-rt.toml");
    let job = "[jobs.tick]\ncommand = [\"true\"]\ntrigger = \"interval\"\nseconds = 1\n";
    cluster_file(&file, dsn, name, job);
    let mut nodes = start_nodes(bin, &file, 1, &["-v"]);
    thread::sleep(sizes.latency_run);
    let node = &mut nodes[0];
    node.stop();
    let mut trips = Vec::new();
    let mut woke: Option<DateTime<Utc>> = None;
    for line in &node.log {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line.text) else {
            continue;
        };
        match v.get("event").and_then(|e| e.as_str()) {
            Some("woke") if v.get("reason").and_then(|r| r.as_str()) == Some("timer") => {
                woke = time_field(&v, "time");
            }
            Some("claimed") => {
                if let (Some(w), Some(c)) = (woke.take(), time_field(&v, "time")) {
                    trips.push((c - w).num_microseconds().unwrap_or(0) as f64 / 1000.0);
                }
            }
            _ => {}
        }
    }
    let trips = sorted(trips);
    if trips.is_empty() {
        return vec![row(
            "cluster: claim round trip",
            "no claims".into(),
            "",
            Some(false),
        )];
    }
    println!(
        "cluster: {} claims, round trip median {}, p99 {}",
        trips.len(),
        ms(median(&trips)),
        ms(percentile(&trips, 0.99))
    );
    vec![row(
        "cluster: claim round trip (wake-up to claimed), median / p99",
        format!("{} / {}", ms(median(&trips)), ms(percentile(&trips, 0.99))),
        "",
        None,
    )]
}

/// Part 2: three nodes, every-minute jobs: each slot once, no gap.
fn three_nodes(bin: &Path, dir: &Path, dsn: &str, name: &str, sizes: Sizes) -> Vec<Row> {
    let jobs = sizes.burst_jobs;
    let file = dir.join("cluster-x3.toml");
    let mut text = String::new();
    for i in 0..jobs {
        let _ = writeln!(
            text,
            "[jobs.m{i}]\ncommand = [\"true\"]\ncron = \"* * * * *\""
        );
    }
    cluster_file(&file, dsn, name, &text);
    let mut nodes = start_nodes(bin, &file, 3, &[]);
    let watch = if sizes.burst_rounds > 1 { 150 } else { 70 };
    let before: Vec<u64> = nodes.iter().map(|n| cpu_ns(n.pid)).collect();
    let t0 = Instant::now();
    thread::sleep(Duration::from_secs(watch));
    let after: Vec<u64> = nodes.iter().map(|n| cpu_ns(n.pid)).collect();
    let minutes = t0.elapsed().as_secs_f64() / 60.0;
    for n in &mut nodes {
        n.stop();
    }
    let cpu: Vec<String> = before
        .iter()
        .zip(&after)
        .map(|(b, a)| format!("{:.0}", (a - b) as f64 / 1e6 / minutes))
        .collect();
    let mut db = connect(dsn);
    let q = |db: &mut Client, sql: &str| -> i64 {
        db.query_one(sql, &[&name]).map_or(-1, |r| r.get(0))
    };
    let dupes = q(
        &mut db,
        "SELECT count(*) FROM (SELECT 1 FROM apsched_runs WHERE cluster = $1 AND kind = 'scheduled' AND attempt = 1 GROUP BY job_id, scheduled_at HAVING count(*) > 1) d",
    );
    let runs = q(
        &mut db,
        "SELECT count(*) FROM apsched_runs WHERE cluster = $1 AND state = 'success'",
    );
    let gaps = q(
        &mut db,
        "SELECT coalesce(sum(n), 0)::bigint FROM (SELECT (extract(epoch FROM max(scheduled_at) - min(scheduled_at)) / 60)::bigint + 1 - count(DISTINCT scheduled_at) AS n FROM apsched_runs WHERE cluster = $1 GROUP BY job_id) g",
    );
    let winners: Vec<String> = db
        .query(
            "SELECT node_id, count(*) FROM apsched_runs WHERE cluster = $1 GROUP BY node_id ORDER BY node_id",
            &[&name],
        )
        .map(|rows| rows.iter().map(|r| format!("{}: {}", r.get::<_, String>(0), r.get::<_, i64>(1))).collect())
        .unwrap_or_default();
    println!(
        "cluster: 3 nodes, {jobs} every-minute jobs, {watch} s: {runs} runs, {dupes} duplicate slots, {gaps} gaps; runs per node {}; CPU per node {} ms/min",
        winners.join(", "),
        cpu.join(" / ")
    );
    vec![
        row(
            &format!(
                "cluster: 3 nodes x {} every-minute jobs, duplicate / missing slots",
                count(jobs)
            ),
            format!("{dupes} / {gaps} ({runs} runs; {})", winners.join(", ")),
            "0 / 0",
            Some(dupes == 0 && gaps == 0 && runs > 0),
        ),
        row(
            "cluster: CPU per node per minute",
            format!("{} ms", cpu.join(" / ")),
            "",
            None,
        ),
    ]
}

/// Part 3: the database's load from idle nodes.
fn idle_load(bin: &Path, dir: &Path, dsn: &str, name: &str, sizes: Sizes) -> Vec<Row> {
    let jobs = sizes.idle_jobs;
    let file = dir.join("cluster-idle.toml");
    let hour = (chrono::Timelike::hour(&Utc::now()) + 12) % 24;
    let mut text = String::new();
    for i in 0..jobs {
        let _ = writeln!(
            text,
            "[jobs.j{i}]\ncommand = [\"true\"]\ncron = \"0 {hour} * * *\""
        );
    }
    cluster_file(&file, dsn, name, &text);
    let mut nodes = start_nodes(bin, &file, 3, &[]);
    for n in &mut nodes {
        n.wait_for("job_added", jobs, Duration::from_secs(120));
    }
    thread::sleep(sizes.idle_settle);
    let mut db = connect(dsn);
    let commits = |db: &mut Client| -> i64 {
        db.query_one(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()",
            &[],
        )
        .map_or(0, |r| r.get(0))
    };
    // The statistics are the server's, sent at most every half second.
    let before = commits(&mut db);
    let t0 = Instant::now();
    thread::sleep(sizes.idle_watch);
    thread::sleep(Duration::from_secs(1));
    let after = commits(&mut db);
    let minutes = t0.elapsed().as_secs_f64() / 60.0;
    for n in &mut nodes {
        n.stop();
    }
    // The two reads of the counter are transactions of their own.
    let per_minute = (after - before - 1) as f64 / minutes;
    println!(
        "cluster: 3 idle nodes, {jobs} jobs: {per_minute:.0} transactions per minute on the database"
    );
    vec![row(
        &format!(
            "cluster: database load, 3 idle nodes x {} jobs",
            count(jobs)
        ),
        format!("{per_minute:.0} transactions/min"),
        "",
        None,
    )]
}
