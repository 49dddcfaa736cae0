#!/usr/bin/env python3
"""Soak test: `kill -9` an `apsched run` at random moments, many times, while
every-second jobs run, then check the record. Not part of `cargo test` (it
takes minutes); run it by hand:

    cargo build --release && python3 scripts/soak-kill9.py target/release/apsched 150

It reports slots run twice (must be 0), runs that happened with no history
row (lost records, must be 0), rows never finished, job processes left alive
after the last clean stop (must be 0), times a new instance of the
max_instances = 1 job found an earlier one still running (must be 0), and
the state file's integrity check.
"""
import json, os, random, sqlite3, subprocess, sys, tempfile, time

BIN = os.path.abspath(sys.argv[1])
KILLS = int(sys.argv[2]) if len(sys.argv) > 2 else 150
D = tempfile.mkdtemp(prefix="apsched-soak-")
LONG = ("for p in $(cat sleeps.txt 2>/dev/null); do if [ -e /proc/$p/stat ] && "
        "! grep -q ') Z' /proc/$p/stat; then echo $p >> overlaps.txt; fi; done; "
        "sleep 3 & echo $! >> sleeps.txt; wait")
with open(os.path.join(D, "s.toml"), "w") as f:
    f.write(f"""
[scheduler]
timezone = "UTC"
state = "s.db"
shutdown_timeout = "1s"
[jobs.a]
command = "echo a $APSCHED_SCHEDULED_TIME >> runs.txt; sleep 0.2"
cron = "* * * * * *"
[jobs.b]
command = "echo b $APSCHED_SCHEDULED_TIME >> runs.txt"
cron = "* * * * * *"
[jobs.long]
command = '''{LONG}'''
cron = "* * * * * *"
max_instances = 1
""")


def run(seconds, kill):
    env = {"TZ": "UTC", "PATH": os.environ["PATH"]}
    p = subprocess.Popen([BIN, "run", "s.toml", "-q"], cwd=D, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(seconds)
    p.kill() if kill else p.terminate()
    p.wait()


def lines(name):
    path = os.path.join(D, name)
    return open(path).read().split("\n")[:-1] if os.path.exists(path) else []


def alive(pid):
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


random.seed(1)
began = time.time()
for _ in range(KILLS):
    run(random.uniform(0.2, 2.0), kill=True)
run(2.5, kill=False)
time.sleep(0.5)

runs = lines("runs.txt")
db = sqlite3.connect(os.path.join(D, "s.db"))
rows = {f"{j} {s}": r for j, s, r in
        db.execute("SELECT job, scheduled, result FROM runs WHERE count = 1")}
# The job sees RFC 3339 with +00:00; the store keeps UTC with Z.
lost = sum(1 for line in runs if line.replace("+00:00", "Z") not in rows)
print(json.dumps({
    "dir": D, "kills": KILLS, "seconds": round(time.time() - began), "runs": len(runs),
    "slots_run_twice": len(runs) - len(set(runs)),
    "runs_without_a_row": lost,
    "rows_left_unfinished": sum(1 for r in rows.values() if r in ("pending", "started")),
    "processes_left": sum(1 for p in lines("sleeps.txt") if alive(p)),
    "overlaps": len(lines("overlaps.txt")),
    "integrity": db.execute("PRAGMA integrity_check").fetchone()[0],
    "results": {r: list(rows.values()).count(r) for r in sorted(set(rows.values()))},
}, indent=1))
