"""What /proc says about a process: memory, CPU time, context switches,
thread states; and the machine's load."""

import os
import time


def read(path):
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def loadavg():
    """The 1, 5 and 15 minute load averages."""
    return " ".join(read("/proc/loadavg").split()[:3])


def tids(pid):
    try:
        return [int(t) for t in os.listdir(f"/proc/{pid}/task")]
    except OSError:
        return []


def status_kb(pid, key, tid=None):
    """A number from /proc/PID/status (VmRSS, VmHWM in kB; switch counts)."""
    path = f"/proc/{pid}/task/{tid}/status" if tid else f"/proc/{pid}/status"
    for line in read(path).splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def state(pid, tid):
    """The state letter (R, S, D, ...) of one thread; None once it is gone."""
    stat = read(f"/proc/{pid}/task/{tid}/stat")
    if ")" not in stat:
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def cpu_ticks(pid):
    """utime + stime of the whole process (dead threads included), in ticks."""
    stat = read(f"/proc/{pid}/stat")
    if ")" not in stat:
        return 0
    f = stat.rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])


def cpu_ns(pid):
    """CPU time of the live threads, in ns (the kernel's schedstat)."""
    total = 0
    for t in tids(pid):
        s = read(f"/proc/{pid}/task/{t}/schedstat").split()
        total += int(s[0]) if s else 0
    return total


def voluntary_switches(pid):
    """Voluntary context switches of all live threads: each is a sleep, so
    the count is the number of wake-ups."""
    return sum(status_kb(pid, "voluntary_ctxt_switches", t) for t in tids(pid))


TICK = os.sysconf("SC_CLK_TCK")


def comm(pid):
    return read(f"/proc/{pid}/comm").strip()


def wait_asleep(run, min_threads=1, name=None, limit=180.0, poll=0.0005):
    """Polls until the main thread of `run` sleeps (state S) while it has at
    least `min_threads` threads; returns the monotonic time seen, or None if
    the process exited or `limit` passed. With `name`, only once the process
    has exec'd the program `name`, and `run.spawned` becomes the time that
    was first seen (what ran before it set up the process, not the program)."""
    deadline = time.monotonic() + limit
    pid = run.proc.pid
    execd = name is None
    while time.monotonic() < deadline:
        if run.proc.poll() is not None:
            return None
        if not execd and comm(pid) == name:
            execd = True
            run.spawned = time.monotonic()
        if execd and state(pid, pid) == "S" and len(tids(pid)) >= min_threads:
            return time.monotonic()
        time.sleep(poll)
    return None


def wait4(pid):
    """Reaps `pid`; returns (exit status, max RSS in kB, CPU s)."""
    _, status, ru = os.wait4(pid, 0)
    return status, ru.ru_maxrss, ru.ru_utime + ru.ru_stime
