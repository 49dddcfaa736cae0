#!/usr/bin/env python3
"""Generate tests/reference/cases.json: cron fire times computed by brute force.

Independent of the Rust engine: the cron syntax and the DST policy are
implemented here straight from the spec, using only the standard library and
the system tz database (zoneinfo, /usr/share/zoneinfo).  Deterministic: a fixed
seed, so rerunning with the same tzdata gives the same file.

DST policy, for each matching naive wall time W:
  * W exists once        -> that instant;
  * W in a spring gap    -> W read with the offset in force before the gap
                            (zoneinfo's fold=0 reading does exactly that);
  * W occurs twice       -> the first occurrence (fold=0), plus the second
                            (fold=1) only when the hour field allows all hours.
Fire times are the sorted distinct instants strictly after `after`.

Usage: python3 tests/reference/generate.py   (writes cases.json next to it)
"""

import bisect
import datetime as dt
import json
import random
from pathlib import Path
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc
ZONEINFO_DIR = Path("/usr/share/zoneinfo")
MARGIN = dt.timedelta(hours=4)  # > any DST gap/fold length
MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}
DAYS = {d: i for i, d in enumerate("sun mon tue wed thu fri sat".split())}
BOUNDS = {"second": (0, 59), "minute": (0, 59), "hour": (0, 23), "dom": (1, 31),
          "month": (1, 12), "dow": (0, 7), "year": (1970, 2199)}
MACROS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
          "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
          "@hourly": "0 * * * *"}
ZONES = ["Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles",
         "America/Sao_Paulo", "America/Santiago", "America/Havana", "Australia/Sydney",
         "Australia/Lord_Howe", "Pacific/Auckland", "Pacific/Chatham", "Asia/Tehran",
         "Asia/Kolkata", "Asia/Tokyo", "Africa/Cairo", "Europe/Dublin", "UTC",
         "Antarctica/Troll", "America/St_Johns", "Australia/Adelaide", "America/Nuuk",
         "Asia/Jerusalem", "Asia/Kathmandu", "Europe/Moscow"]


# ---------------------------------------------------------------- cron parsing
def value(tok, kind):
    names = MONTHS if kind == "month" else DAYS if kind == "dow" else {}
    return names[tok.lower()] if tok.lower() in names else int(tok)


def parse_set(text, kind):
    lo_b, hi_b = BOUNDS[kind]
    out = set()
    for part in text.split(","):
        base, _, step = part.partition("/")
        step = int(step) if step else 1
        if base in ("*", "?"):
            lo, hi = lo_b, hi_b
        elif "-" in base:
            lo, hi = (value(t, kind) for t in base.split("-"))
        else:
            lo = value(base, kind)
            hi = hi_b if part.count("/") else lo
        assert lo_b <= lo <= hi <= hi_b, (text, kind)
        out.update(range(lo, hi + 1, step))
    return {v % 7 for v in out} if kind == "dow" else out


def last_day(y, m):
    return ((dt.date(y + m // 12, m % 12 + 1, 1)) - dt.timedelta(days=1)).day


def cron_dow(d):
    return d.isoweekday() % 7


def nearest_weekday(y, m, n):
    last = last_day(y, m)
    if n > last:
        return None
    wd = cron_dow(dt.date(y, m, n))
    if wd == 6:  # Saturday
        return 3 if n == 1 else n - 1
    if wd == 0:  # Sunday
        return n - 2 if n == last else n + 1
    return n


def dom_matcher(text):
    t = text.upper()
    if t == "L":
        return lambda d: d.day == last_day(d.year, d.month)
    if t.startswith("L-"):
        n = int(t[2:])
        return lambda d: d.day == last_day(d.year, d.month) - n
    if t == "LW":
        def lw(d):
            last = last_day(d.year, d.month)
            wd = cron_dow(dt.date(d.year, d.month, last))
            return d.day == last - {6: 1, 0: 2}.get(wd, 0)
        return lw
    if t.endswith("W"):
        n = int(t[:-1])
        return lambda d: d.day == nearest_weekday(d.year, d.month, n)
    days = parse_set(text, "dom")
    return lambda d: d.day in days


def dow_matcher(text):
    if "#" in text:
        x, n = text.split("#")
        x, n = value(x, "dow") % 7, int(n)
        return lambda d: cron_dow(d) == x and (d.day - 1) // 7 + 1 == n
    if len(text) > 1 and text.upper().endswith("L"):
        x = value(text[:-1], "dow") % 7
        return lambda d: cron_dow(d) == x and d.day + 7 > last_day(d.year, d.month)
    days = parse_set(text, "dow")
    return lambda d: cron_dow(d) in days


class Cron:
    def __init__(self, expr):
        fields = MACROS.get(expr.lower(), expr).split()
        if len(fields) == 5:
            fields = ["0"] + fields
        if len(fields) == 6:
            fields = fields + ["*"]
        assert len(fields) == 7, expr
        sec, mnt, hr, dom, mon, dow, yr = fields
        self.seconds = sorted(parse_set(sec, "second"))
        self.minutes = sorted(parse_set(mnt, "minute"))
        self.hours = sorted(parse_set(hr, "hour"))
        self.all_hours = len(self.hours) == 24
        self.months = parse_set(mon, "month")
        self.years = parse_set(yr, "year")
        self.dom, self.dow = dom_matcher(dom), dow_matcher(dow)
        self.vixie_or = not dom.startswith(("*", "?")) and not dow.startswith(("*", "?"))

    def day_matches(self, d):
        if d.year not in self.years or d.month not in self.months:
            return False
        a, b = self.dom(d), self.dow(d)
        return (a or b) if self.vixie_or else (a and b)


# ---------------------------------------------------------------- DST policy
def instants(wall, tz):
    """UTC instants a naive wall time fires at: (first, second-pass or None)."""
    u0 = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if u0.astimezone(tz).replace(tzinfo=None) != wall:
        return u0, None  # gap: offset before the transition = shifted forward
    u1 = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if u1 != u0 and u1.astimezone(tz).replace(tzinfo=None) == wall:
        return min(u0, u1), max(u0, u1)
    return u0, None


def fire_times(expr, zone, after, count, max_days=366 * 45):
    """Brute force; None when not certain within the horizon (or past 2098)."""
    cron, tz = Cron(expr), ZoneInfo(zone)
    start = after.astimezone(tz).replace(tzinfo=None) - MARGIN
    found = []  # sorted distinct UTC instants > after, at most `count`

    def done(wall):
        return len(found) == count and instants(wall, tz)[0] - MARGIN > found[-1]

    day = start.date()
    for _ in range(max_days):
        if day.year > max(cron.years):
            break  # schedule exhausted: fewer than `count` is the full answer
        if done(dt.datetime.combine(day, dt.time())):
            break
        if cron.day_matches(day):
            for h in cron.hours:
                for m in cron.minutes:
                    if done(dt.datetime.combine(day, dt.time(h, m))):
                        break
                    for s in cron.seconds:
                        wall = dt.datetime.combine(day, dt.time(h, m, s))
                        if wall < start:
                            continue
                        first, second = instants(wall, tz)
                        for u in (first, second if cron.all_hours else None):
                            if u is None or u <= after or u in found:
                                continue
                            if len(found) < count or u < found[-1]:
                                bisect.insort(found, u)
                                del found[count:]
        day += dt.timedelta(days=1)
    else:
        return None
    if found and found[-1].year > 2098:
        return None
    return [rfc3339(u, tz) for u in found]


def rfc3339(u, tz):
    return u.astimezone(tz).isoformat(timespec="seconds")


# ---------------------------------------------------------------- case choice
def transitions(zone, y0=2024, y1=2031):
    """UTC instants in [y0, y1) at which the zone's UTC offset changes."""
    tz, out = ZoneInfo(zone), []
    t, end = dt.datetime(y0, 1, 1, tzinfo=UTC), dt.datetime(y1, 1, 1, tzinfo=UTC)
    step = dt.timedelta(hours=1)
    while t < end:
        if t.astimezone(tz).utcoffset() != (t + step).astimezone(tz).utcoffset():
            lo, hi = t, t + step  # bisect to the second
            while hi - lo > dt.timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(microsecond=0)
                same = mid.astimezone(tz).utcoffset() == lo.astimezone(tz).utcoffset()
                lo, hi = (mid, hi) if same else (lo, mid)
            out.append(hi)
        t += step
    return out


COMMON = [
    "*/5 * * * *", "30 2 * * *", "0 * * * *", "*/30 * * * *", "30 1 * * *",
    "0 9 * * mon-fri", "0 0 L * *", "0 0 15W * *", "0 0 * * 5L", "0 0 * * fri#3",
    "0 0 13 * 5", "0 0 */2 * 1", "15,45 * * * *", "0 0-3 * * *", "0 2 * * 0",
    "*/20 * * * * *", "30 */15 * * * *", "@hourly", "@daily", "@midnight", "@weekly",
    "@monthly", "@yearly", "0 0 0 1 1 * 2027-2029", "0 30 2 * * * 2026/2",
    "45 2 * * *", "0 0 * * *", "0 23 * * *", "*/15 0-3 * * *", "0 0 1W * *",
    "0 12 LW * *", "0 0 L-2 * *", "0 3 * JAN-MAR,OCT-DEC SUN", "0 0 ? * 7",
    "0 0 1-31 * 1", "0 0 L * FRI", "*/10 1-2 * * *", "0,30 * * * * *",
    "0 45 2 * * ?", "0 0/30 * * * *", "59 23 * * *", "0 0,12 1 */2 *",
]
DST_HOURS = [0, 1, 2, 3, 23, 0, 1, 2]


def rand_field(rng, kind):
    lo, hi = BOUNDS[kind]
    hi = min(hi, 6) if kind == "dow" else min(hi, 28) if kind == "dom" else hi
    pick = (lambda: rng.choice(DST_HOURS)) if kind == "hour" else (lambda: rng.randint(lo, hi))
    r = rng.random()
    if r < 0.25:
        return "*"
    if r < 0.45:
        return str(pick())
    if r < 0.6:
        return "*/" + str(rng.randint(2, max(2, (hi - lo) // 3)))
    if r < 0.75:
        a = pick()
        b = rng.randint(a, min(hi, a + max(1, (hi - lo) // 3)))
        return f"{a}-{b}" if rng.random() < 0.6 else f"{a}-{b}/{rng.randint(1, 3)}"
    if r < 0.9:
        return ",".join(str(v) for v in sorted({pick() for _ in range(rng.randint(2, 4))}))
    if kind == "dow":
        return rng.choice(["mon-fri", "SAT,SUN", "5-7", "7", "0", "1L", "sun#2", "Fri#1"])
    if kind == "month":
        return rng.choice(["jan-jun", "MAR,NOV", "*/3", "oct-dec", "Apr"])
    if kind == "dom":
        return rng.choice(["L", "LW", "1W", "L-1", "?", "31", "30W"])
    return f"{pick()}/{rng.randint(2, 20)}"


def rand_expr(rng):
    kinds = ["minute", "hour", "dom", "month", "dow"]
    fields = [rand_field(rng, k) for k in kinds]
    if rng.random() < 0.6:  # keep most random schedules daily-dense enough
        fields[2:5] = ["*", "*", fields[4] if rng.random() < 0.3 else "*"]
    n = rng.random()
    if n < 0.25:
        fields.insert(0, rand_field(rng, "second"))
    elif n < 0.32:
        y = rng.randint(2024, 2032)
        fields = [rand_field(rng, "second")] + fields + [rng.choice([f"{y}-{y + 3}", "*", f"{y},{y + 2}"])]
    return " ".join(fields)


def targeted(rng, zone, t):
    """An expression naming a wall time inside the gap or fold of transition t."""
    tz = ZoneInfo(zone)
    before = (t - dt.timedelta(seconds=1)).astimezone(tz).utcoffset()
    after = t.astimezone(tz).utcoffset()
    lo = (t + min(before, after)).astimezone(UTC).replace(tzinfo=None)
    span = int(abs(after - before).total_seconds())
    w = lo + dt.timedelta(seconds=rng.randrange(0, span, rng.choice([60, 300, 900, 1])))
    h, m, s = w.hour, w.minute, w.second
    dow = cron_dow(w.date())
    return rng.choice([
        f"{m} {h} * * *", f"{m} * * * *", f"*/{rng.choice([5, 10, 15, 20, 30])} * * * *",
        f"{m} {h} {w.day} * *", f"{m} {h} * * {dow}", f"{m} {h} * * {dow},{(dow + 3) % 7}",
        f"{s} {m} {h} * * *", f"*/{rng.choice([10, 15, 30])} {m} * * * *",
        f"{m} {max(h - 1, 0)}-{min(h + 1, 23)} * * *", f"{m} 0-23 * * *", f"{m} */1 * * *",
        f"{m} {h},{(h + 12) % 24} * * *", f"0 {m} {h} * * * {w.year}",
        f"0 {m} {h} {w.day} {w.month} * {w.year}-{w.year + 1}", f"{m}/7 {h} * * *",
        f"{s} {m} * * * ?", f"{s} {m} {h} ? * *", f"{m} {h} L * *",
    ])


def main():
    rng = random.Random(20260329)
    trans = [(z, t) for z in ZONES for t in transitions(z)]
    print(f"{len(trans)} transitions in {len(ZONES)} zones")

    def start_near(rng):
        if rng.random() < 0.8:
            zone, t = rng.choice(trans)
            after = t - dt.timedelta(minutes=rng.randint(0, 360))
            if rng.random() < 0.15:  # inside or just after the change
                after = t + dt.timedelta(minutes=rng.randint(0, 90))
        else:
            zone = rng.choice(ZONES)
            after = dt.datetime(2024, 1, 1, tzinfo=UTC) + dt.timedelta(
                minutes=rng.randint(0, 7 * 365 * 1440))
        if rng.random() < 0.2:
            after += dt.timedelta(seconds=rng.randint(1, 59))
        return zone, after.astimezone(ZoneInfo(zone)) if rng.random() < 0.7 else after

    specs = [  # spec examples and hand-picked edges, then common, then random
        ("30 2 * * *", "Europe/Berlin", "2026-03-29T00:30:00+01:00", 3),
        ("30 1 * * *", "America/New_York", "2026-10-31T12:00:00-04:00", 3),
        ("*/30 * * * *", "America/New_York", "2026-11-01T00:10:00-04:00", 6),
        ("30 1 * * *", "America/New_York", "2026-11-01T01:15:00-05:00", 2),
        ("*/30 * * * *", "America/New_York", "2026-11-01T01:45:00-04:00", 3),
        ("0 2 * * *", "America/New_York", "2026-03-08T01:59:59-05:00", 2),
        ("30 2 * * *", "Europe/Berlin", "2026-03-29T03:10:00+02:00", 2),
        ("30 2 * * *", "Europe/Berlin", "2026-03-29T03:30:00+02:00", 2),
        ("*/30 * * * *", "America/New_York", "2026-11-01T01:30:00-04:00", 3),
        ("0 0 * * *", "America/Havana", "2026-11-01T00:30:00-04:00", 2),
        ("0 * * * *", "America/Havana", "2026-11-01T00:30:00-04:00", 2),
        ("30 1 * * *", "Europe/London", "2026-10-25T01:10:00+01:00", 2),
        ("*/15 * * * *", "Australia/Lord_Howe", "2026-10-04T01:20:00+10:30", 6),
        ("*/15 * * * *", "Australia/Lord_Howe", "2026-04-05T01:20:00+11:00", 8),
        ("*/30 * * * *", "Antarctica/Troll", "2026-03-29T00:10:00Z", 6),
        ("0 * * * *", "Antarctica/Troll", "2026-10-25T00:30:00Z", 5),
        ("0 0 * * 5L", "Africa/Cairo", "2026-04-20T00:00:00+02:00", 2),
        ("@daily", "America/Havana", "2026-03-07T12:00:00-05:00", 3),
        ("@daily", "America/Havana", "2026-10-31T12:00:00-04:00", 3),
        ("@weekly", "America/Santiago", "2026-09-05T12:00:00-04:00", 2),
        ("0 23 * * *", "America/Santiago", "2026-04-04T12:00:00-03:00", 3),
        ("30 2 * * *", "Pacific/Chatham", "2026-09-26T12:00:00+12:45", 3),
        ("*/30 2-3 * * *", "Pacific/Chatham", "2026-04-05T02:00:00+13:45", 6),
        ("0 0 L * *", "UTC", "2028-01-15T00:00:00Z", 4),
        ("0 0 29 2 *", "Asia/Tokyo", "2024-03-01T00:00:00+09:00", 3),
        ("* * * * * *", "Europe/London", "2026-03-29T00:59:55Z", 10),
        ("* * * * * *", "Europe/London", "2026-10-25T01:59:57+01:00", 6),
    ]
    cases = [(e, z, dt.datetime.fromisoformat(a), c) for e, z, a, c in specs]
    for expr in COMMON:
        for _ in range(5):
            cases.append((expr, *start_near(rng), rng.randint(1, 10)))
    for _ in range(200):
        cases.append((rand_expr(rng), *start_near(rng), rng.randint(1, 10)))
    for zone, t in rng.sample(trans, 150):
        after = t - dt.timedelta(minutes=rng.randint(0, 180), seconds=rng.choice([0, 0, 7]))
        after = after.astimezone(ZoneInfo(zone)) if rng.random() < 0.7 else after
        cases.append((targeted(rng, zone, t), zone, after, rng.randint(1, 10)))

    out, dropped = [], 0
    for expr, zone, after, count in cases:
        times = fire_times(expr, zone, after, count)
        if times is None:
            dropped += 1
            continue
        stamp = after.isoformat(timespec="seconds").replace("+00:00", "Z")
        out.append({"expression": expr, "timezone": zone, "after": stamp,
                    "count": count, "next_run_times": times})
    check_spec_examples(out)
    version = (ZONEINFO_DIR / "tzdata.zi").read_text().splitlines()[0].split()[-1]
    path = Path(__file__).with_name("cases.json")
    body = ",\n".join(json.dumps(c) for c in out)
    path.write_text(f'{{"tzdata": "{version}", "cases": [\n{body}\n]}}\n')
    print(f"wrote {len(out)} cases ({dropped} dropped) to {path}")


def check_spec_examples(out):
    got = {(c["expression"], c["timezone"], c["after"]): c["next_run_times"] for c in out}
    assert got[("30 2 * * *", "Europe/Berlin", "2026-03-29T00:30:00+01:00")][0] == \
        "2026-03-29T03:30:00+02:00"
    assert got[("30 1 * * *", "America/New_York", "2026-10-31T12:00:00-04:00")][:2] == \
        ["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"]
    assert got[("*/30 * * * *", "America/New_York", "2026-11-01T00:10:00-04:00")][1:5] == [
        "2026-11-01T01:00:00-04:00", "2026-11-01T01:30:00-04:00",
        "2026-11-01T01:00:00-05:00", "2026-11-01T01:30:00-05:00"]


if __name__ == "__main__":
    main()
