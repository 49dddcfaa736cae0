"""The side-by-side benchmark of issue 14; see README.md. Run `./run`."""

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench import memory, procfs, table, timing  # noqa: E402
from bench.systems import HERE, Apsched, Aps, Cron, stop_all  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))


class Ctx:
    """Where things are, and how big each scenario is."""

    def __init__(self, a):
        self.bin = os.path.abspath(a.bin)
        self.work = os.path.abspath(a.work)
        self.quick = a.quick
        self.small = [100, 1000] if a.quick else [100, 10_000]
        self.big = 10_000 if a.quick else 100_000
        self.runs = 1 if a.quick else 3
        # APScheduler's start-up with 100,000 jobs takes 10 to 50 s: one.
        self.aps_runs = 1
        self.burst = 100 if a.quick else 1000
        self.period = 10 if a.quick else 60
        self.latency = 10.0 if a.quick else 60.0
        self.python = os.path.join(a.venv, "bin", "python")
        self.stamp = os.path.join(self.work, "stamp")
        self.floor = os.path.join(self.work, "floor")

    def state_file(self, tag):
        return os.path.join(self.work, f"{tag}.db")

    def stamp_cmd(self, tag):
        return [self.stamp, os.path.join(self.work, f"{tag}.stamps")]


def sh(argv, **kw):
    return subprocess.run(argv, check=True, **kw)


def compile_c(ctx):
    for name in ("stamp", "floor"):
        src, out = os.path.join(HERE, f"{name}.c"), os.path.join(ctx.work, name)
        # Static when the C library allows: exec then costs the least.
        if subprocess.run(["gcc", "-O2", "-static", "-o", out, src]).returncode != 0:
            sh(["gcc", "-O2", "-o", out, src])


def venv(ctx, path):
    if not os.path.exists(ctx.python):
        print(f"== creating the venv {path} (APScheduler 3.11, SQLAlchemy)")
        sh([sys.executable, "-m", "venv", path])
        sh([ctx.python, "-m", "pip", "install", "-q", "apscheduler>=3.11,<3.12", "sqlalchemy"])
    out = sh([ctx.python, "-c", "import apscheduler, sqlalchemy; "
              "print(apscheduler.__version__, sqlalchemy.__version__)"],
             capture_output=True, text=True).stdout.split()
    return f"APScheduler {out[0]} (SQLAlchemy {out[1]}, Python {platform.python_version()})"


def cron_usable():
    """Whether `cron -f` can run here: root (for its mount namespace), and
    installed (apt-get if not)."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        print("cron: not root (or no unshare), so no cron column")
        return None
    if not shutil.which("cron"):
        print("== installing Debian's cron (apt-get install cron)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        sh(["apt-get", "install", "-y", "cron"], env=env, stdout=subprocess.DEVNULL)
    v = sh(["dpkg-query", "-W", "-f", "${Version}", "cron"], capture_output=True, text=True)
    return f"Debian cron {v.stdout}"


def machine():
    model = next((ln.split(":", 1)[1].strip() for ln in procfs.read("/proc/cpuinfo").splitlines()
                  if ln.startswith("model name")), "unknown CPU")
    ram = next((int(ln.split()[1]) for ln in procfs.read("/proc/meminfo").splitlines()
                if ln.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} CPUs ({model}), {ram / 1048576:.0f} GB RAM, Linux {platform.release()}"


def args():
    p = argparse.ArgumentParser(description="apsched beside cron, APScheduler and a spawn floor")
    p.add_argument("--bin", default=os.path.join(REPO, "target", "release", "apsched"))
    p.add_argument("--quick", action="store_true", help="a small smoke run, about 3 minutes")
    p.add_argument("--work", default="/tmp/apsched-compare")
    p.add_argument("--venv", default=os.path.expanduser("~/.cache/apsched-compare/venv"))
    p.add_argument("--systems", default="apsched,cron,APScheduler",
                   help="which to run (the floor always runs)")
    p.add_argument("--reuse", metavar="RESULTS.json",
                   help="take the figures of the systems not run from an earlier results.json")
    return p.parse_args()


def main():
    a = args()
    ctx = Ctx(a)
    if not os.access(ctx.bin, os.X_OK):
        sys.exit(f"no apsched binary at {ctx.bin}: run `cargo build --release` or pass --bin")
    os.makedirs(ctx.work, exist_ok=True)
    t0, load0 = time.monotonic(), procfs.loadavg()
    started = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    want = a.systems.split(",")
    versions = [sh([ctx.bin, "--version"], capture_output=True, text=True).stdout.strip()]
    systems = [Apsched(ctx)] if "apsched" in want else []
    if "cron" in want and (v := cron_usable()):
        systems.append(Cron(ctx))
        versions.append(v)
    if "APScheduler" in want:
        versions.append(venv(ctx, a.venv))
        systems.append(Aps(ctx))
    compile_c(ctx)
    versions.append(sh(["gcc", "--version"], capture_output=True, text=True).stdout.splitlines()[0])
    print(f"{started}; {machine()}; load average {load0}")
    print("; ".join(versions))
    results = {}
    # SIGTERM unwinds like Ctrl-C, so every started system is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        measure(ctx, systems, results)
    finally:
        stop_all()
    save(ctx, a, results)
    took, load1 = time.monotonic() - t0, procfs.loadavg()
    reused = f" (the figures of the others from {a.reuse})" if a.reuse else ""
    text = (f"{table.render(ctx, results)}\n\n"
            f"`tools/compare/run{' --quick' if a.quick else ''}`, {started}, {machine()}; "
            f"{'; '.join(versions)}{reused}. Load average (1, 5, 15 min) {load0} before, {load1} after; "
            f"the run took {took / 60:.1f} min.")
    with open(os.path.join(ctx.work, "table.md"), "w", encoding="utf-8") as f:
        f.write(text + "\n")
    print("\n" + text)


def measure(ctx, systems, results):
    running = memory.scenario(ctx, systems, results)
    # The idle systems are watched while the latency runs go on: each one's
    # own CPU time and sleeps are what counts, and they have no jobs due.
    print(f"== idle, {ctx.big} far-off jobs, watched during the latency runs")
    before = memory.idle_sample(running)
    try:
        timing.latency(ctx, systems, results)
    finally:
        memory.idle(ctx, running, before, results)
    timing.bursts(ctx, systems, results)


def save(ctx, a, results):
    """Writes results.json; with --reuse, first fills in what was not run."""
    if a.reuse:
        with open(a.reuse, encoding="utf-8") as f:
            for key, value in json.load(f):
                key = tuple(key) if isinstance(key, list) else key
                results.setdefault(key, tuple(value) if isinstance(value, list) else value)
    with open(os.path.join(ctx.work, "results.json"), "w", encoding="utf-8") as f:
        json.dump([[list(k) if isinstance(k, tuple) else k, v] for k, v in results.items()], f)


if __name__ == "__main__":
    main()
