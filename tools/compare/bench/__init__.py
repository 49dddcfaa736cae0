"""The side-by-side benchmark of issue 14: apsched, Debian's cron,
APScheduler 3.11 and a C spawn floor on the same generated schedules."""
