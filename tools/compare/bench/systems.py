"""Starting and stopping each system on one generated schedule.

A schedule is `n` jobs with the same cron fields (five, minute first, or six,
second first) running the same command, `STAMP FILE`. Each system gets it in
its own format: an apsched TOML file, an /etc/cron.d file for cron (always
five fields: cron has no seconds), a job list for the APScheduler runner.
"""

import os
import shutil
import signal
import subprocess
import time

from . import procfs

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRON_FILE_JOBS = 5000
# cron runs in a mount namespace of its own where /etc/cron.d is the
# directory of its schedule, /etc/crontab an empty file and /run a fresh
# tmpfs (its pid file and lock): the machine's cron files are neither read nor
# touched, a cron daemon already running does not stop it, and two can run
# at once. The mounts vanish with the process.
CRON_NS = ("mount --bind {dir} /etc/cron.d && "
           "{{ [ ! -e /etc/crontab ] || mount --bind {empty} /etc/crontab; }} && "
           "{{ [ ! -d /var/spool/cron/crontabs ] || mount --bind {spool} /var/spool/cron/crontabs; }} && "
           "mount -t tmpfs tmpfs /run && exec cron -f")


# Every system started and not yet stopped, for stop_all.
LIVE = set()


def stop_all():
    """Stops whatever is still running (after an error or an interrupt)."""
    for r in list(LIVE):
        r.stop()


class Running:
    """A started system: its process, when it was spawned, its log file."""

    def __init__(self, name, proc, spawned, log):
        self.name, self.proc, self.spawned, self.log = name, proc, spawned, log
        self.cleanup = None
        self.spawned_wall = time.time() - (time.monotonic() - spawned)

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        """SIGTERM, then SIGKILL after 15 s; reaps it; runs its clean-up."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.cleanup:
            self.cleanup()
            self.cleanup = None
        LIVE.discard(self)


def spawn(name, argv, log):
    with open(log, "wb") as out:
        spawned = time.monotonic()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    r = Running(name, proc, spawned, log)
    LIVE.add(r)
    return r


def remove(path):
    for p in (path, path + "-wal", path + "-shm", path + "-journal"):
        if os.path.exists(p):
            os.remove(p)


class Apsched:
    name = "apsched"

    def __init__(self, ctx):
        self.ctx = ctx

    def start(self, tag, n, fields, command, state=":memory:", quiet=False, fresh=True):
        """`apsched run [-q] FILE`; `state` a path is removed first if `fresh`."""
        if state != ":memory:" and fresh:
            remove(state)
        path = os.path.join(self.ctx.work, f"apsched-{tag}.toml")
        cmd = "[" + ", ".join(f'"{a}"' for a in command) + "]"
        with open(path, "w", encoding="utf-8") as f:
            f.write(f'[scheduler]\ntimezone = "UTC"\nstate = "{state}"\n'
                    f"max_workers = {max(10, n)}\n\n")
            for i in range(n):
                f.write(f'[jobs.j{i}]\ncommand = {cmd}\ncron = "{fields}"\n')
        self.file = path
        argv = [self.ctx.bin, "run"] + (["-q"] if quiet else []) + [path]
        return spawn(self.name, argv, os.path.join(self.ctx.work, f"apsched-{tag}.log"))

    def wait_ready(self, r, limit=180.0):
        # The main thread's first sleep once the signal and output threads run.
        return procfs.wait_asleep(r, min_threads=3, limit=limit)


class Cron:
    name = "cron"

    def __init__(self, ctx):
        self.ctx = ctx

    def start(self, tag, n, fields, command, **_):
        """`cron -f` (in its own mount namespace, see CRON_NS) with the jobs
        in files of the /etc/cron.d it sees; six fields lose the seconds.
        Debian's cron reads at most 10,000 lines of one file, so there is a
        file per 5,000 jobs."""
        fields = " ".join(fields.split()[-5:])
        line = f"{fields} root {' '.join(command)}\n"
        base = os.path.join(self.ctx.work, f"cron-{tag}")
        shutil.rmtree(base, ignore_errors=True)
        for d in ("cron.d", "spool"):
            os.makedirs(os.path.join(base, d), mode=0o755)
        for i, first in enumerate(range(0, n, CRON_FILE_JOBS)):
            path = os.path.join(base, "cron.d", f"apsched-compare-{i:03}")
            with open(path, "w", encoding="utf-8") as f:
                f.write('MAILTO=""\n')
                f.write(line * min(CRON_FILE_JOBS, n - first))
            os.chmod(path, 0o644)
        empty = os.path.join(base, "crontab")
        open(empty, "w", encoding="utf-8").close()
        script = CRON_NS.format(dir=os.path.join(base, "cron.d"), empty=empty,
                                spool=os.path.join(base, "spool"))
        r = spawn(self.name, ["unshare", "-m", "--propagation", "private", "sh", "-c", script],
                  base + ".log")
        r.cleanup = lambda: shutil.rmtree(base, ignore_errors=True)
        return r

    def wait_ready(self, r, limit=180.0):
        # cron is one thread: it sleeps first after loading every crontab.
        # Its start counts from its exec, after the namespace is set up.
        return procfs.wait_asleep(r, name="cron", limit=limit)


class Aps:
    name = "APScheduler"

    def __init__(self, ctx):
        self.ctx = ctx

    def start(self, tag, n, fields, command, state=":memory:", **_):
        """The runner on a MemoryJobStore, or an SQLAlchemyJobStore on the
        SQLite file `state` (removed first); a thread pool of max(10, n)."""
        jobs = os.path.join(self.ctx.work, f"aps-{tag}.jobs")
        with open(jobs, "w", encoding="utf-8") as f:
            f.write(f"{fields}\t{' '.join(command)}\n" * n)
        store = "memory"
        if state != ":memory:":
            remove(state)
            store = state
        argv = [self.ctx.python, os.path.join(HERE, "aps_runner.py"),
                "--store", store, "--workers", str(max(10, n)), jobs]
        return spawn(self.name, argv, os.path.join(self.ctx.work, f"aps-{tag}.log"))

    def wait_ready(self, r, limit=300.0):
        # Python runs one thread until the first job: its first sleep is the
        # main loop's wait, after every job was added.
        return procfs.wait_asleep(r, limit=limit)

    def wait_ready_line(self, r, limit=300.0):
        """Waits for the runner's own `ready` line (after every job is stored)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and r.proc.poll() is None:
            if "ready" in procfs.read(r.log):
                return time.monotonic()
            time.sleep(0.01)
        return None
