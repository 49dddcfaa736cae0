"""Bursts (n jobs due at the same boundary) and firing latency (an
every-second job), timed by the stamp each run appends: the wall clock at
which the command itself started, the same for every system."""

import math
import os
import subprocess
import time


def stamps(path):
    try:
        with open(path, encoding="ascii") as f:
            return sorted(float(x) for x in f.read().split())
    except OSError:
        return []


def next_boundary(period, lead):
    """The first multiple of `period` seconds at least `lead` s from now."""
    return math.ceil((time.time() + lead) / period) * period


def sleep_until(wall):
    left = wall - time.time()
    if left > 0:
        time.sleep(left)


def pct(v, q):
    """The q-quantile of sorted `v` (nearest rank)."""
    if not v:
        return math.nan
    return v[min(len(v) - 1, max(0, math.ceil(q * len(v)) - 1))]


def collect(path, boundary, n, limit=30.0):
    """Waits until `n` runs of `boundary` are stamped (or `limit` s past it);
    returns their offsets from the boundary in ms, sorted."""
    while time.time() < boundary + limit:
        got = [t for t in stamps(path) if boundary <= t < boundary + 59]
        if len(got) >= n:
            break
        time.sleep(0.2)
    return [(t - boundary) * 1000 for t in stamps(path) if boundary <= t < boundary + 59]


def burst_one(ctx, system, state, label, results):
    """`system` with ctx.burst jobs due at every boundary (the minute; cron
    always): started clear of a boundary, timed at the first one at least
    1 s after it is ready."""
    period = 60 if system.name == "cron" else ctx.period
    fields = "* * * * *" if period == 60 else f"*/{period} * * * * *"
    lead = 40 if state != ":memory:" and system.name == "APScheduler" else 8
    if next_boundary(period, 0) - time.time() < lead:
        sleep_until(next_boundary(period, 0) + 0.3)
    out = os.path.join(ctx.work, f"burst-{system.name}-{label}.stamps")
    if os.path.exists(out):
        os.remove(out)
    r = system.start(f"burst-{label}", ctx.burst, fields, [ctx.stamp, out], state=state)
    try:
        wait = getattr(system, "wait_ready_line", system.wait_ready)
        if wait(r) is None:
            print(f"  {system.name} ({label}): never became ready (see {r.log})")
            return
        boundary = next_boundary(period, 1.0)
        got = collect(out, boundary, ctx.burst)
    finally:
        r.stop()
    record(results, system.name, label, got, ctx.burst)


def record(results, name, label, got, n):
    if got:
        results[("burst", label, name)] = (got[0], got[-1], len(got))
        print(f"  burst {name} ({label}): {len(got)} of {n} started, "
              f"first {got[0]:.1f} ms, median {pct(got, 0.5):.1f} ms, last {got[-1]:.1f} ms")
    else:
        print(f"  burst {name} ({label}): none of {n} started")


def burst_floor(ctx, results):
    out = os.path.join(ctx.work, "burst-floor.stamps")
    if os.path.exists(out):
        os.remove(out)
    boundary = next_boundary(ctx.period, 1.0)
    subprocess.run([ctx.floor, "burst", str(ctx.burst), str(boundary), ctx.stamp, out], check=True)
    record(results, "floor", "memory", collect(out, boundary, ctx.burst, limit=0), ctx.burst)


def bursts(ctx, systems, results):
    print(f"== {ctx.burst} jobs due at one {ctx.period} s boundary (cron: a minute)")
    for s in systems:
        burst_one(ctx, s, ":memory:", "memory", results)
        if s.name != "cron":
            burst_one(ctx, s, ctx.state_file(f"burst-{s.name}"), "sqlite", results)
    burst_floor(ctx, results)


def lateness(path, period):
    """Each run's start minus the boundary it was due at, in ms, sorted."""
    return sorted((t % period) * 1000 for t in stamps(path))


def latency(ctx, systems, results):
    """An every-second job in apsched, APScheduler and the floor loop, one
    after the other for ctx.latency s each, while cron runs an every-minute
    job the whole time (it wakes only at whole minutes, whose samples the
    others leave out)."""
    print(f"== every-second job, {ctx.latency:.0f} s each; cron every minute meanwhile")
    cron = next((s for s in systems if s.name == "cron"), None)
    cron_out = os.path.join(ctx.work, "latency-cron.stamps")
    cron_run = None
    if cron:
        if os.path.exists(cron_out):
            os.remove(cron_out)
        cron_run = cron.start("latency", 1, "* * * * *", [ctx.stamp, cron_out])
        cron.wait_ready(cron_run)
    try:
        for s in systems:
            if s.name == "cron":
                continue
            out = os.path.join(ctx.work, f"latency-{s.name}.stamps")
            if os.path.exists(out):
                os.remove(out)
            r = s.start("latency", 1, "* * * * * *", [ctx.stamp, out])
            try:
                s.wait_ready(r)
                time.sleep(ctx.latency + 0.5)
            finally:
                r.stop()
            every_second(results, s.name, out, cron_run is not None)
        out = os.path.join(ctx.work, "latency-floor.stamps")
        if os.path.exists(out):
            os.remove(out)
        subprocess.run([ctx.floor, "every", str(int(ctx.latency)), ctx.stamp, out], check=True)
        every_second(results, "floor", out, cron_run is not None)
    finally:
        if cron_run:
            cron_run.stop()
    if cron_run:
        v = lateness(cron_out, 60)
        results[("latency", "cron")] = (pct(v, 0.5), pct(v, 0.99), len(v))
        print(f"  latency cron (every minute): n={len(v)} "
              + ", ".join(f"{x:.1f}" for x in v) + " ms")


def every_second(results, name, path, skip_minutes):
    ts = stamps(path)
    if skip_minutes:
        ts = [t for t in ts if int(t) % 60 != 0]
    v = sorted((t % 1) * 1000 for t in ts)
    results[("latency", name)] = (pct(v, 0.5), pct(v, 0.99), len(v))
    print(f"  latency {name}: n={len(v)} p50 {pct(v, 0.5):.2f} ms p99 {pct(v, 0.99):.2f} ms "
          f"min {v[0] if v else math.nan:.2f} max {v[-1] if v else math.nan:.2f} ms")
