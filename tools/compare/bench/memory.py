"""Memory, start-up, `apsched check` and idle CPU with far-off jobs.

Every job runs at a time of day 12 hours from now (`0 H * * *`), so none
runs while it is watched. Start-up is spawn to the main thread's first
sleep: apsched (with `-q`, as tools/loadtest does) sleeps first in its main
loop's wait once its threads run; cron and the APScheduler runner are one
thread until then, and sleep first in their main loop's wait. Steady RSS is
VmRSS 2 s after that, peak RSS is VmHWM.
"""

import statistics
import subprocess
import time
from datetime import datetime, timezone

from . import procfs

SETTLE = 2.0


def far_fields(system):
    """`0 H * * *` with H 12 hours from now, in the zone the system uses:
    cron the machine's local time, the others UTC."""
    now = datetime.now() if system.name == "cron" else datetime.now(timezone.utc)
    return f"0 {(now.hour + 12) % 24} * * *"


def one_start(ctx, system, n, keep, state=None, fresh=True):
    """Starts `system` with `n` far-off jobs; returns (start-up s, RSS kB,
    HWM kB, the running system if `keep` else None). apsched's state is a
    fresh SQLite file unless `state` says otherwise."""
    if state is None:
        state = ctx.state_file("far") if system.name == "apsched" else ":memory:"
    r = system.start(f"far{n}", n, far_fields(system), ctx.stamp_cmd("far"),
                     state=state, quiet=True, fresh=fresh)
    ready = system.wait_ready(r)
    if ready is None:
        print(f"  {system.name}, {n} jobs: never became ready (see {r.log})")
        r.stop()
        return None
    startup = ready - r.spawned
    time.sleep(SETTLE)
    rss, hwm = procfs.status_kb(r.pid, "VmRSS"), procfs.status_kb(r.pid, "VmHWM")
    own = ""
    if system.name == "APScheduler":
        line = procfs.read(r.log).split()
        if len(line) >= 2 and line[0] == "ready":
            own = f" (its own `ready` line at {float(line[1]) - r.spawned_wall:.3f} s)"
    print(f"  {system.name}, {n} jobs: ready after {startup:.3f} s{own}, "
          f"VmRSS {rss} kB, VmHWM {hwm} kB")
    if not keep:
        r.stop()
        r = None
    return startup, rss, hwm, r


def sizes(ctx, systems, results):
    """RSS with each small size, then start-up and RSS with the big size
    (median of ctx.runs starts, ctx.aps_runs for APScheduler); returns the
    systems left running with the big size, for the idle watch."""
    for n in ctx.small:
        for s in systems:
            got = one_start(ctx, s, n, keep=False)
            if got:
                results[("rss", n, s.name)] = got[1:3]
    running = []
    n = ctx.big
    for s in systems:
        runs = []
        count = ctx.aps_runs if s.name == "APScheduler" else ctx.runs
        for i in range(count):
            got = one_start(ctx, s, n, keep=i == count - 1)
            if got:
                runs.append(got)
        if not runs:
            continue
        results[("rss", n, s.name)] = (statistics.median(g[1] for g in runs),
                                       statistics.median(g[2] for g in runs))
        results[("startup", s.name)] = statistics.median(g[0] for g in runs)
        if runs[-1][3]:
            running.append(runs[-1][3])
    if any(s.name == "apsched" for s in systems):
        apsched_extras(ctx, systems[0], n, results)
    return running


def apsched_extras(ctx, apsched, n, results):
    """apsched again with the state file the last start saved, and with its
    state in memory, as cron and the APScheduler runner keep theirs: the
    median of ctx.runs starts each, as for the fresh state file."""
    # Not the file of the instance kept running for the idle watch: apsched
    # takes a lock on its state file.
    saved = ctx.state_file("far-saved")
    print("  (apsched with a fresh state file, then again with the file it saved)")
    one_start(ctx, apsched, n, keep=False, state=saved)
    runs = [g for g in (one_start(ctx, apsched, n, keep=False, state=saved, fresh=False)
                        for _ in range(ctx.runs)) if g]
    if runs:
        results[("startup-saved", "apsched")] = statistics.median(g[0] for g in runs)
    print("  (apsched with state = \":memory:\")")
    runs = [g for g in (one_start(ctx, apsched, n, keep=False, state=":memory:")
                        for _ in range(ctx.runs)) if g]
    if runs:
        results[("rss-mem", n, "apsched")] = (statistics.median(g[1] for g in runs),
                                              statistics.median(g[2] for g in runs))
        results[("startup-mem", "apsched")] = statistics.median(g[0] for g in runs)


def check(ctx, apsched, results):
    """`apsched check` on the big file: median wall time and peak RSS."""
    walls, peaks = [], []
    for _ in range(ctx.runs):
        t = time.monotonic()
        p = subprocess.Popen([ctx.bin, "check", apsched.file], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        status, maxrss, cpu = procfs.wait4(p.pid)
        p.returncode = status
        walls.append(time.monotonic() - t)
        peaks.append(maxrss)
        print(f"  apsched check, {ctx.big} jobs: {walls[-1]:.3f} s wall, {cpu:.3f} s CPU, "
              f"max RSS {maxrss} kB, wait status {status}")
    results["check"] = (statistics.median(walls), statistics.median(peaks))


def idle_sample(running):
    """CPU time (schedstat of all threads, ns; utime + stime, ticks) and
    voluntary context switches of all threads, of each running system."""
    at = time.monotonic()
    return at, {r.name: (procfs.cpu_ns(r.pid), procfs.cpu_ticks(r.pid),
                         procfs.voluntary_switches(r.pid)) for r in running}


def idle(ctx, running, before, results):
    """Per minute since `before` (an idle_sample), and stops them."""
    t1, after = idle_sample(running)
    minutes = (t1 - before[0]) / 60
    for r in running:
        b, a = before[1][r.name], after[r.name]
        cpu = (a[0] - b[0]) / 1e6 / minutes
        ticks = (a[1] - b[1]) * 1000 / procfs.TICK / minutes
        wakes = (a[2] - b[2]) / minutes
        results[("idle", r.name)] = (cpu, wakes)
        print(f"  idle {r.name}, {ctx.big} jobs, {minutes * 60:.0f} s: CPU {cpu:.3f} ms/min "
              f"(utime+stime {ticks:.1f} ms/min), {wakes:.1f} wake-ups/min, "
              f"RSS {procfs.status_kb(r.pid, 'VmRSS')} kB")
        r.stop()


def scenario(ctx, systems, results):
    """Memory, start-up and check; returns the systems left running with the
    big size, to be watched idle."""
    print(f"== memory and start-up: {', '.join(map(str, ctx.small + [ctx.big]))} far-off jobs")
    running = sizes(ctx, systems, results)
    try:
        apsched = next((s for s in systems if s.name == "apsched"), None)
        if apsched:
            print(f"== apsched check, {ctx.big} jobs")
            check(ctx, apsched, results)
    except BaseException:
        for r in running:
            r.stop()
        raise
    return running
