#!/usr/bin/env python3
"""Generate tests/apscheduler/cases.json: field-style cron triggers evaluated by
APScheduler 3.11's own CronTrigger (pip install apscheduler==3.11.0).

A case is CronTrigger(**fields, timezone=zone), a start instant `at` and the
next `count` fire times strictly after it: get_next_fire_time(None, at + 1s)
(inclusive; fire times are whole seconds), then get_next_fire_time(p, p).

DST: apsched's policy differs from APScheduler's where a matching wall time is
in a spring-forward gap or a fall-back fold.  So each case is also evaluated on
a "twin", the same fields with timezone=UTC: the matching naive wall times W.
In the case's zone, W existing once is one instant; W in a gap is shifted
forward by the gap (read with the offset before it: zoneinfo fold=0); W in a
fold is its first occurrence, plus the second when the hour field allows all
24 hours.  The answer is the sorted distinct instants strictly after `at`.
"source" says how it relates to APScheduler:
  apscheduler          no W in a gap or fold, and APScheduler gives the same;
  policy               some W in a gap or fold: apsched's policy, APScheduler's
                       answer kept in apscheduler_next_run_times;
  apscheduler_dst_bug  no W in a gap or fold, yet APScheduler differs (its walk
                       across an offset change loses a fire time); kept too.
Policy cases where a shifted time would overtake a later one are dropped as
ambiguous.  "last_fire" is present when the schedule stops firing (null: never
fires): apsched rejects a schedule file with a job that has no fire time after
the real now.  Searches stop at HORIZON; a case that finds fewer than `count`
fire times is kept only if its years are bounded (or it is in NEVER).

Deterministic (fixed seed, no timeouts).  Usage: python3 tests/apscheduler/generate.py
"""

import datetime as dt
import json
import random
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import apscheduler
from apscheduler.triggers.cron import CronTrigger

SEED = 3_11_0
UTC = dt.timezone.utc
SECOND = dt.timedelta(seconds=1)
MARGIN = dt.timedelta(hours=2)  # > any gap or fold in ZONES
DAY = dt.timedelta(days=1)
HORIZON = dt.datetime(2130, 1, 1, tzinfo=UTC)  # no search goes further
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney",
         "America/Sao_Paulo", "Asia/Tokyo", "Pacific/Auckland", "Europe/London",
         "America/Los_Angeles", "Australia/Lord_Howe", "America/St_Johns",
         "Asia/Kathmandu", "Pacific/Chatham", "America/Santiago", "Africa/Cairo"]
DST_ZONES = [z for z in ZONES if z not in ("UTC", "Asia/Kolkata", "America/Sao_Paulo",
                                           "Asia/Tokyo", "Asia/Kathmandu")]
WEEKDAYS = "mon tue wed thu fri sat sun".split()
MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
BOUNDS = {"year": (2024, 2040), "month": (1, 12), "day": (1, 31), "week": (1, 53),
          "day_of_week": (0, 6), "hour": (0, 23), "minute": (0, 59), "second": (0, 59)}
FIELDS = list(BOUNDS)
WEIGHTS = {"year": 1, "month": 3, "day": 3, "week": 1, "day_of_week": 3,
           "hour": 5, "minute": 5, "second": 3}
CURATED = [{}, {"hour": 3}, {"hour": 3, "second": 5}, {"day_of_week": "mon"}, {"week": 10},
           {"year": 2030}, {"month": 2}, {"month": 6}, {"day": 15}, {"minute": 7},
           {"second": 30}, {"month": 2, "day": 29}, {"month": 2, "day": 29, "day_of_week": "mon"},
           {"day": "last"}, {"day": "5th fri"}, {"day": "last sun", "month": "mar,oct", "hour": 1},
           {"week": 53}, {"week": 53, "day_of_week": "sun"}, {"day": 31}, {"day": 31, "hour": 12},
           {"year": "*/4", "month": 2, "day": 29}, {"year": 2020}, {"year": "2024-2025"},
           {"month": "feb", "day": 30}, {"day": "1st mon", "hour": 9, "minute": 30},
           {"day": "last", "month": "feb"}, {"day_of_week": "mon-fri", "hour": 9},
           {"day_of_week": "sat,sun", "hour": "10-12", "minute": "*/15"},
           {"week": "1", "day_of_week": 0}, {"week": 1, "month": 12}, {"week": 52, "month": 1},
           {"hour": "*/6", "minute": 0}, {"minute": "*/5"}, {"second": "*/10"},
           {"month": "Jan-Mar", "day_of_week": "Fri"}, {"day": "1, 15", "hour": 0}]
# Never fire: Feb 30; Feb 29 in 1970 + 4k, none of them leap years.
NEVER = [{"month": "feb", "day": 30}, {"year": "*/4", "month": 2, "day": 29}]

# Fixed cases where APScheduler's walk across an offset change skips a fire
# time although no matching wall time is in a gap or fold.
WALK_BUGS = [({"month": "*"}, "Europe/London", "2032-11-01T00:00:00+00:00", 6),
             ({"day": "1, 15", "hour": 0}, "Europe/Berlin", "2025-03-28T19:39:31+01:00", 2),
             ({"day_of_week": "mon"}, "Australia/Lord_Howe", "2031-09-30T14:54:57+10:30", 3),
             ({"month": "feb-aug"}, "America/St_Johns", "2031-10-16T13:30:00-02:30", 6)]


def trigger(fields, zone):
    tz = UTC if zone == "UTC" else ZoneInfo(zone)
    return CronTrigger(**fields, timezone=tz, end_date=HORIZON)


def number_expr(rng, lo, hi):
    """A valid APScheduler numeric expression (str) or an int."""
    kind = rng.choice(["int", "int", "one", "star", "step", "range", "range_step", "from_step"])
    a = rng.randint(lo, hi)
    b = rng.randint(a, hi)
    if kind == "int":
        return a
    if kind == "one":
        return str(a)
    if kind == "star":
        return "*"
    if kind == "step":
        return f"*/{rng.randint(2, max(2, min(hi - lo, 15)))}" if hi - lo >= 2 else "*"
    if kind == "range":
        return f"{a}-{b}"
    if kind == "range_step":
        return f"{a}-{b}/{rng.randint(1, b - a)}" if b > a else f"{a}-{b}"
    return f"{a}/{rng.randint(1, hi - a)}" if hi > a else str(a)


def single(rng, name):
    lo, hi = BOUNDS[name]
    r = rng.random()
    if name == "month" and r < 0.35:
        a = rng.randrange(12)
        b = rng.randrange(a, 12)
        return MONTHS[a] if r < 0.15 else f"{MONTHS[a]}-{MONTHS[b]}"
    if name == "day_of_week" and r < 0.5:
        a = rng.randrange(7)
        b = rng.randrange(a, 7)
        name_of = (lambda i: WEEKDAYS[i].capitalize()) if rng.random() < 0.1 else WEEKDAYS.__getitem__
        return name_of(a) if r < 0.2 else f"{name_of(a)}-{name_of(b)}"
    if name == "day" and r < 0.3:
        wd = rng.choice(WEEKDAYS)
        nth = f"{rng.choice(['1st', '2nd', '3rd', '4th', '5th'])} {wd}"
        return rng.choice(["last", f"last {wd}", nth, nth])
    return number_expr(rng, lo, hi)


def field_value(rng, name):
    if rng.random() < 0.2:  # a comma list
        parts = [single(rng, name) for _ in range(rng.randint(2, 3))]
        parts = [str(p) for p in parts if p != "*"] or ["*"]
        return rng.choice([",", ",", ", "]).join(parts)
    return single(rng, name)


def random_fields(rng):
    k, names = rng.choice([1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5]), set()
    while len(names) < k:
        names.add(rng.choices(FIELDS, [WEIGHTS[f] for f in FIELDS])[0])
    return {n: field_value(rng, n) for n in FIELDS if n in names}


def transitions(zone, y0=2024, y1=2050):
    """UTC instants (whole seconds) at which the zone's offset changes."""
    tz, out = ZoneInfo(zone), []
    t = dt.datetime(y0, 1, 1, tzinfo=UTC)
    while t.year < y1:
        n = t + dt.timedelta(hours=12)
        if t.astimezone(tz).utcoffset() != n.astimezone(tz).utcoffset():
            lo, hi = t, n
            while hi - lo > SECOND:
                mid = (lo + (hi - lo) / 2).replace(microsecond=0)
                same = lo.astimezone(tz).utcoffset() == mid.astimezone(tz).utcoffset()
                lo, hi = (mid, hi) if same else (lo, mid)
            out.append(hi)
        t = n
    return out


def fire_times(trigger, at, count):
    """APScheduler's next `count` fire times strictly after `at`."""
    out, prev = [], trigger.get_next_fire_time(None, at + SECOND)
    while prev is not None and len(out) < count:
        out.append(prev)
        prev = trigger.get_next_fire_time(prev, prev)
    return out


def hour_is_full(trigger):
    field = trigger.fields[5]
    return all(any(e.get_next_value(dt.datetime(2000, 1, 1, h), field) == h
                   for e in field.expressions) for h in range(24))


def near_change(zone, a, b):
    """Whether the zone's offset may change between instants a and b."""
    if zone not in TRANSITIONS:
        return False
    return b.year >= 2050 or any(a <= t <= b for t in TRANSITIONS[zone])


def policy_times(fields, zone, at, count):
    """(apsched-policy fire times, touches DST?, ambiguous?) via the UTC twin."""
    tz = ZoneInfo(zone)
    margin = lambda end: MARGIN if near_change(zone, at - DAY, end + DAY) else dt.timedelta()
    twin = trigger(fields, "UTC")
    full = hour_is_full(twin)
    wall = at.astimezone(tz).replace(tzinfo=None) - margin(at)
    w = twin.get_next_fire_time(None, wall.replace(tzinfo=UTC))
    found, dst, ambiguous, last_first = [], [], False, None
    while w is not None:
        naive = w.replace(tzinfo=None)
        first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
        instants = [first.astimezone(UTC)]
        if first.utcoffset() != second.utcoffset():
            gap = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive
            dst += [first.astimezone(UTC), second.astimezone(UTC)]
            if not gap and full:
                instants.append(second.astimezone(UTC))
        ambiguous |= last_first is not None and at < instants[0] < last_first
        last_first = instants[0]
        found += [i for i in instants if i > at]
        kth = sorted(set(found))[count - 1] if len(set(found)) >= count else None
        if kth is not None and naive > kth.astimezone(tz).replace(tzinfo=None) + margin(kth):
            break
        w = twin.get_next_fire_time(w, w)
    times = sorted(set(found))[:count]
    end = times[-1] if len(times) == count else dt.datetime.max.replace(tzinfo=UTC)
    return times, any(at < t <= end for t in dst), ambiguous


def finite(trig, fields):
    """Whether the schedule surely stops firing: bounded years, or NEVER."""
    return fields in NEVER or all(getattr(e, "last", None) is not None
                                  for e in trig.fields[0].expressions)


def last_fire(trig):
    """The last fire time of a finite schedule, or None if it never fires."""
    lo, hi = dt.datetime(1970, 1, 1, tzinfo=UTC), HORIZON
    if not trig.get_next_fire_time(None, lo):
        return None
    while hi - lo > SECOND:  # the latest lo with a fire time at or after it
        mid = (lo + (hi - lo) / 2).replace(microsecond=0)
        lo, hi = (mid, hi) if trig.get_next_fire_time(None, mid) else (lo, mid)
    return trig.get_next_fire_time(None, lo)


def rfc3339(t, zone):
    return t.astimezone(ZoneInfo(zone)).isoformat(timespec="seconds")


def make_case(fields, zone, at, count, stats):
    try:
        trig = trigger(fields, zone)
    except ValueError:
        stats["invalid"] += 1
        return None
    aps = fire_times(trig, at, count)
    is_finite = finite(trig, fields)
    if len(aps) < count and not is_finite:
        stats["beyond_horizon"] += 1
        return None
    policy, touched, ambiguous = policy_times(fields, zone, at, count)
    case = {"fields": fields, "timezone": zone, "at": rfc3339(at, zone), "count": count,
            "next_run_times": [rfc3339(t, zone) for t in policy]}
    if is_finite:
        last = last_fire(trig)
        case["last_fire"] = last and rfc3339(last, zone)
    aps_text = [rfc3339(t, zone) for t in aps]
    if not touched:
        if [t.astimezone(UTC) for t in aps] == policy:
            case["source"] = "apscheduler"
            return case
        # No wall time in a gap or fold, yet APScheduler differs: its walk
        # across an offset change lost or moved a fire time.  Keep the exact
        # answer and record APScheduler's.
        print(f"APScheduler DST walk bug: {case} apscheduler={aps_text}", file=sys.stderr)
        case["source"] = "apscheduler_dst_bug"
        case["apscheduler_next_run_times"] = aps_text
        return case
    if ambiguous:
        stats["ambiguous"] += 1
        return None
    case["source"] = "policy"
    case["apscheduler_next_run_times"] = aps_text
    return case


TRANSITIONS = {z: transitions(z) for z in DST_ZONES}


def tzdata_version():
    zi = Path("/usr/share/zoneinfo/tzdata.zi")
    return zi.read_text().split("\n", 1)[0].removeprefix("# version ") if zi.exists() else None


def main():
    rng = random.Random(SEED)
    lo = dt.datetime(2024, 1, 1, tzinfo=UTC).timestamp()
    hi = dt.datetime(2036, 1, 1, tzinfo=UTC).timestamp()
    stats = {"invalid": 0, "beyond_horizon": 0, "ambiguous": 0}
    cases, seen = [], set()

    def random_at(zone, fields):
        r = rng.random()
        if r < 0.25 and zone in TRANSITIONS:  # just before a DST change
            t = rng.choice(TRANSITIONS[zone]) - dt.timedelta(seconds=rng.randint(1, 3 * 86400))
        else:
            t = dt.datetime.fromtimestamp(rng.randint(int(lo), int(hi)), UTC)
        if rng.random() < 0.3:  # on a round minute / hour
            t = t.replace(second=0) if rng.random() < 0.5 else t.replace(minute=0, second=0)
        if rng.random() < 0.1:  # exactly on a fire time: it must not be listed
            first = fire_times(trigger(fields, zone), t, 1)
            t = first[0].astimezone(UTC) if first else t
        return t

    # Start instants shared by several cases in one zone: the test runs such
    # cases together, and each run of apsched costs a zone table per zone.
    pool = {zone: [] for zone in ZONES}

    def add(fields, zone, count):
        try:
            reuse = pool[zone] and rng.random() < 0.85
            at = rng.choice(pool[zone]) if reuse else random_at(zone, fields)
        except ValueError:
            return
        key = json.dumps([fields, zone, at.isoformat()], sort_keys=True)
        if key not in seen and (case := make_case(fields, zone, at, count, stats)):
            seen.add(key)
            cases.append(case)
            if at not in pool[zone]:
                pool[zone].append(at)

    for fields in CURATED:
        for zone in rng.sample(ZONES, 2):
            add(fields, zone, rng.randint(1, 6))
    while len(cases) < 440:
        add(random_fields(rng), rng.choice(ZONES), rng.randint(1, 6))
    for fields, zone, at, count in WALK_BUGS:
        cases.append(make_case(fields, zone, dt.datetime.fromisoformat(at), count, stats))
    # Daily/weekly jobs aimed at a DST gap or fold: policy cases.
    for i in range(90):
        zone = rng.choice(DST_ZONES)
        t = rng.choice([t for t in TRANSITIONS[zone] if t.year < 2036])
        tz = ZoneInfo(zone)
        before = (t - SECOND).astimezone(tz).utcoffset()
        change = t.astimezone(tz).utcoffset() - before
        # A wall time inside the gap (or the fold) of this change.
        wall = t + min(before, before + change) + abs(change) * rng.choice([0, 0.25, 0.5, 0.75])
        fields = {"hour": wall.hour, "minute": wall.minute}
        if i % 3 == 1:
            fields = {"day_of_week": WEEKDAYS[wall.weekday()], **fields, "second": rng.choice([0, 30])}
        elif i % 3 == 2:
            fields = {"minute": f"*/{rng.choice([10, 15, 20, 30])}"}
        near = [a for a in pool[zone] if t - 2 * DAY <= a <= t - dt.timedelta(hours=1)]
        at = rng.choice(near) if near else t - dt.timedelta(hours=rng.randint(1, 40))
        if (case := make_case(fields, zone, at, rng.randint(3, 6), stats)):
            cases.append(case)
            if at not in pool[zone]:
                pool[zone].append(at)

    sources = {s: sum(c["source"] == s for c in cases)
               for s in ("apscheduler", "apscheduler_dst_bug", "policy")}
    print(f"{len(cases)} cases {sources}; skipped {stats}", file=sys.stderr)
    out = {"generator": "tests/apscheduler/generate.py", "apscheduler": apscheduler.__version__,
           "python": sys.version.split()[0], "tzdata": tzdata_version(), "seed": SEED,
           "cases": cases}
    path = Path(__file__).with_name("cases.json")
    path.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
