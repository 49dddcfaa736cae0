"""The APScheduler 3.11 side of the comparison: a BlockingScheduler with the
jobs of one generated schedule, each running a command with subprocess.

    python aps_runner.py --store memory|SQLITE_PATH --workers N JOBS.txt

JOBS.txt has one job a line: `CRON_FIELDS<TAB>COMMAND ARGS...` with five
cron fields (minute first, as in a crontab) or six (second first). Prints
`ready EPOCH` on stdout once the scheduler has started (all jobs added).
"""

import argparse
import subprocess
import sys
import time

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger


def run(argv):
    """The job: runs the command and waits for it, as a job function would."""
    subprocess.run(argv, stdin=subprocess.DEVNULL, check=False)


def trigger(fields):
    """A CronTrigger in UTC from five (crontab) or six (seconds first) fields."""
    if len(fields) == 5:
        return CronTrigger.from_crontab(" ".join(fields), timezone="UTC")
    second, minute, hour, day, month, dow = fields
    return CronTrigger(second=second, minute=minute, hour=hour, day=day,
                       month=month, day_of_week=dow, timezone="UTC")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--store", default="memory")
    p.add_argument("--workers", type=int, default=10)
    p.add_argument("jobs")
    a = p.parse_args()
    if a.store == "memory":
        stores = {}
    else:
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        stores = {"default": SQLAlchemyJobStore(url="sqlite:///" + a.store)}
    sched = BlockingScheduler(
        jobstores=stores,
        executors={"default": ThreadPoolExecutor(a.workers)},
        job_defaults={"misfire_grace_time": 60, "coalesce": True, "max_instances": 1},
        timezone="UTC",
    )

    def started(_event):
        print(f"ready {time.time():.6f}", flush=True)

    sched.add_listener(started, EVENT_SCHEDULER_STARTED)
    with open(a.jobs, encoding="utf-8") as f:
        for i, line in enumerate(f):
            cron, command = line.rstrip("\n").split("\t")
            sched.add_job(run, trigger(cron.split()), args=[command.split(" ")],
                          id=f"j{i}", replace_existing=True)
    try:
        sched.start()
    except (KeyboardInterrupt, SystemExit):
        pass


if __name__ == "__main__":
    sys.exit(main())
