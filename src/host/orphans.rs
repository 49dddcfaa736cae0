//! Job processes that outlived a scheduler killed with `kill -9`. Each run's
//! process group and the start time of its leader are recorded when it
//! starts; at the next start, groups of runs left `started` that are still
//! alive are ours (checked by boot and start time, so a reused pid is never
//! touched) and are ended as at shutdown: SIGTERM, SIGKILL after 5 s. Only
//! then does the scheduler start, so `max_instances` holds across a crash.

use crate::scheduler::{Event, Notice};
use crate::store::{RunResult, StartedRun, Store, StoreError};
use rustix::process::{Pid, Signal, kill_process_group};
use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// How long an orphan has between SIGTERM and SIGKILL, and after SIGKILL.
const TERM_WAIT: Duration = Duration::from_secs(5);
const KILL_WAIT: Duration = Duration::from_secs(1);

/// The identity of a running process: this boot and its start time in
/// clock ticks since boot (`/proc/PID/stat` field 22).
pub(super) fn identity(pid: u32) -> Option<String> {
    let (_, start) = stat(i32::try_from(pid).ok()?)?;
    Some(format!("{}/{start}", boot_id()?))
}

/// This boot's id, read once.
fn boot_id() -> Option<&'static str> {
    static BOOT: OnceLock<Option<String>> = OnceLock::new();
    BOOT.get_or_init(|| {
        let id = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
        Some(id.trim().to_string())
    })
    .as_deref()
}

/// (process group, start time) of a process, from `/proc/PID/stat`.
fn stat(pid: i32) -> Option<(i32, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command, which is in parentheses and may hold spaces.
    let rest: Vec<&str> = text.rsplit_once(')')?.1.split_whitespace().collect();
    if rest.first() == Some(&"Z") {
        return None;
    }
    Some((rest.get(2)?.parse().ok()?, rest.get(19)?.parse().ok()?))
}

/// Every live process by group: (pid, start time).
fn groups() -> HashMap<i32, Vec<(i32, u64)>> {
    let mut groups: HashMap<i32, Vec<(i32, u64)>> = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return groups;
    };
    for entry in dir.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        if let Some((pgid, start)) = stat(pid) {
            groups.entry(pgid).or_default().push((pid, start));
        }
    }
    groups
}

/// Whether the group a run recorded is alive and still that run's: its
/// leader, if alive, has the recorded start time (a pid is not reused
/// while its group exists, so members without a leader are the run's).
fn ours(run: &StartedRun, boot: &str, groups: &HashMap<i32, Vec<(i32, u64)>>) -> Option<i32> {
    let (pgid, identity) = (run.pid?, run.identity.as_deref()?);
    let (run_boot, start) = identity.split_once('/')?;
    let start: u64 = start.parse().ok()?;
    let members = groups.get(&pgid)?;
    let leader_ok = members
        .iter()
        .find(|(pid, _)| *pid == pgid)
        .is_none_or(|(_, s)| *s == start);
    (run_boot == boot && leader_ok).then_some(pgid)
}

/// Sends `sig` to the process group `pgid` (a group gone already is no error
/// worth reporting: the orphan ended by itself).
fn signal_group(pgid: i32, sig: Signal) {
    if let Some(group) = Some(pgid).filter(|p| *p > 0).and_then(Pid::from_raw) {
        let _ = kill_process_group(group, sig);
    }
}

fn wait_gone(pgid: i32, limit: Duration) -> bool {
    let began = Instant::now();
    while began.elapsed() < limit {
        if groups().get(&pgid).is_none_or(Vec::is_empty) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// Ends the live process groups of runs left started; what to record of
/// each: interrupted (it was still running, now ended) or unknown (it had
/// ended while no scheduler watched). The pgids of the groups ended.
pub(super) fn settle(started: &[StartedRun]) -> Vec<(i64, RunResult, Option<i32>)> {
    let boot = boot_id().unwrap_or_default();
    let live = groups();
    started
        .iter()
        .map(|run| match ours(run, boot, &live) {
            Some(pgid) => {
                signal_group(pgid, Signal::TERM);
                if !wait_gone(pgid, TERM_WAIT) {
                    signal_group(pgid, Signal::KILL);
                    wait_gone(pgid, KILL_WAIT);
                }
                (run.record, RunResult::Interrupted, Some(pgid))
            }
            None if run.pid.is_some() => (run.record, RunResult::Unknown, None),
            // Started before its process was recorded: it never ran long.
            None => (run.record, RunResult::Interrupted, None),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_own_process_is_recognized_and_a_wrong_start_time_is_not() {
        let pid = std::process::id();
        let identity = identity(pid).expect("this process");
        let boot = boot_id().expect("boot id");
        let live = groups();
        let pgid = rustix::process::getpgrp().as_raw_pid();
        let leader_start = live[&pgid]
            .iter()
            .find(|(p, _)| *p == pgid)
            .map(|(_, s)| *s);
        let run = |pid: i32, identity: String| StartedRun {
            record: 1,
            job: "j".into(),
            scheduled: String::new(),
            pid: Some(pid),
            identity: Some(identity),
        };
        if let Some(start) = leader_start {
            assert_eq!(
                ours(&run(pgid, format!("{boot}/{start}")), boot, &live),
                Some(pgid)
            );
            assert_eq!(
                ours(&run(pgid, format!("{boot}/{}", start + 1)), boot, &live),
                None
            );
            assert_eq!(
                ours(&run(pgid, format!("other/{start}")), boot, &live),
                None
            );
        }
        assert!(identity.starts_with(boot));
    }
}

/// What became of the runs found unfinished at start.
#[derive(Debug, Default)]
pub(crate) struct Settled {
    /// `orphan_ended` lines.
    pub events: Vec<Event>,
    /// Runs found still running (now ended) and recorded interrupted.
    pub interrupted: u64,
    /// Runs that ended while no scheduler watched: recorded unknown.
    pub unknown: u64,
    /// One notice per run found unfinished, pending ones included.
    pub notices: Vec<Notice>,
}

/// Ends the processes of runs left started by a scheduler that died, and
/// records each; what became of them and of the runs found `pending`.
pub(crate) fn settle_orphans<S: Store + ?Sized>(
    store: &mut S,
    started: &[StartedRun],
    pending: &[StartedRun],
) -> Result<Settled, StoreError> {
    let mut settled = Settled::default();
    let notice = |run: &StartedRun, result| Notice::Interrupted {
        job: run.job.clone(),
        record: run.record,
        scheduled: crate::store::parse(&run.scheduled).unwrap_or_default(),
        result,
    };
    settled.notices = (pending.iter())
        .map(|run| notice(run, RunResult::Interrupted))
        .collect();
    for ((record, result, pgid), run) in settle(started).into_iter().zip(started) {
        store.run_ended(record, None, None, result)?;
        match result {
            RunResult::Unknown => settled.unknown += 1,
            _ => settled.interrupted += 1,
        }
        settled.notices.push(notice(run, result));
        if let Some(pgid) = pgid {
            settled.events.push(Event::OrphanEnded {
                job: run.job.clone(),
                run: record,
                pgid,
            });
        }
    }
    Ok(settled)
}
