//! What `/proc` says about the machine and about a running process: CPU
//! time, context switches, memory, thread states.

use std::fs::read_to_string;

/// How many CPUs this process may use.
pub fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// The CPU's model name from `/proc/cpuinfo`.
pub fn cpu_model() -> String {
    read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

/// The 1, 5 and 15 minute load averages, as `/proc/loadavg` writes them.
pub fn loadavg() -> String {
    read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// Clock ticks per second, the unit of `utime` and `stime`.
pub fn clock_ticks() -> f64 {
    match rustix::param::clock_ticks_per_second() {
        0 => 100.0,
        t => t as f64,
    }
}

/// The ids of the threads of `pid`.
pub fn tids(pid: i32) -> Vec<i32> {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// CPU time of one thread in ns (the kernel scheduler's own accounting).
fn schedstat_ns(pid: i32, tid: i32) -> Option<u64> {
    read_to_string(format!("/proc/{pid}/task/{tid}/schedstat"))
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// CPU time of all threads of `pid` in ns.
pub fn cpu_ns(pid: i32) -> u64 {
    tids(pid)
        .iter()
        .filter_map(|tid| schedstat_ns(pid, *tid))
        .sum()
}

/// CPU time of each thread of `pid` (by thread id), in ms.
pub fn threads_cpu_ms(pid: i32) -> Vec<(i32, f64)> {
    tids(pid)
        .iter()
        .filter_map(|tid| Some((*tid, schedstat_ns(pid, *tid)? as f64 / 1e6)))
        .collect()
}

/// utime + stime of the process in clock ticks.
pub fn cpu_ticks(pid: i32) -> u64 {
    let Ok(stat) = read_to_string(format!("/proc/{pid}/stat")) else {
        return 0;
    };
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return 0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    // rest starts at field 3 (state): utime is field 14, stime field 15.
    let get = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    get(11) + get(12)
}

/// The state letter of one thread (R, S, D, ...).
pub fn thread_state(pid: i32, tid: i32) -> Option<char> {
    let stat = read_to_string(format!("/proc/{pid}/task/{tid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

/// The number after `key:` in a `status` file.
fn status_field(path: &str, key: &str) -> Option<u64> {
    read_to_string(path).ok()?.lines().find_map(|l| {
        let v = l.strip_prefix(key)?.strip_prefix(':')?;
        v.split_whitespace().next()?.parse().ok()
    })
}

/// A size from `/proc/PID/status` (`VmHWM`, `VmRSS`) in kB; 0 if unknown.
pub fn kb(pid: i32, key: &str) -> u64 {
    status_field(&format!("/proc/{pid}/status"), key).unwrap_or(0)
}

/// Voluntary and involuntary context switches of one thread.
pub fn switches(pid: i32, tid: i32) -> (u64, u64) {
    let path = format!("/proc/{pid}/task/{tid}/status");
    (
        status_field(&path, "voluntary_ctxt_switches").unwrap_or(0),
        status_field(&path, "nonvoluntary_ctxt_switches").unwrap_or(0),
    )
}

/// All context switches of all threads of `pid`.
pub fn all_switches(pid: i32) -> u64 {
    tids(pid)
        .iter()
        .map(|t| {
            let (v, n) = switches(pid, *t);
            v + n
        })
        .sum()
}
