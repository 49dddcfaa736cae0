"""The one markdown table: a row per figure, a column per system, and the
ratios of apsched to each of the others where both have the figure."""

import math

SYSTEMS = ["apsched", "cron", "APScheduler", "floor"]
HEAD = ("| | apsched | Vixie cron (Debian) | APScheduler 3.11 | floor "
        "| apsched / cron | apsched / APScheduler | apsched / floor |\n"
        "|---|---|---|---|---|---|---|---|")


def count(n):
    return f"{n:,}"


def ok(v):
    return v is not None and not (isinstance(v, float) and math.isnan(v))


def ratio(a, b):
    """`a / b` for numbers, or pairwise joined by ` / ` for tuples."""
    if not (a and b):
        return ""
    pairs = zip(a, b) if isinstance(a, tuple) else [(a, b)]
    out = []
    for x, y in pairs:
        out.append(f"{x / y:.2f}×" if ok(x) and ok(y) and y > 0 else "–")
    return " / ".join(out)


def line(label, cells):
    """`cells` maps a system to (text, value for the ratios)."""
    text = [cells.get(s, ("", None))[0] for s in SYSTEMS]
    a = cells.get("apsched", ("", None))[1]
    ratios = [ratio(a, cells.get(s, ("", None))[1]) for s in SYSTEMS[1:]]
    return "| " + " | ".join([label] + text + ratios) + " |"


def mb(kb):
    return f"{kb / 1024:.1f}" if kb < 100 * 1024 else f"{kb / 1024:.0f}"


def rss_rows(ctx, r):
    rows = []
    for n in ctx.small + [ctx.big]:
        cells = {}
        for s in SYSTEMS:
            if ("rss", n, s) in r:
                rss, hwm = r[("rss", n, s)]
                cells[s] = (f"{mb(rss)} / {mb(hwm)} MB", (rss, hwm))
        rows.append(line(f"RSS, {count(n)} jobs: steady / peak "
                         "(apsched: state in SQLite)", cells))
    key = ("rss-mem", ctx.big, "apsched")
    if key in r:
        # cron and APScheduler keep their jobs in memory in the row above too.
        rss, hwm = r[key]
        cells = {"apsched": (f"{mb(rss)} / {mb(hwm)} MB", (rss, hwm))}
        for s in ("cron", "APScheduler"):
            if ("rss", ctx.big, s) in r:
                cells[s] = ("(as above)", tuple(r[("rss", ctx.big, s)]))
        rows.append(line(f"RSS, {count(ctx.big)} jobs, apsched state in memory", cells))
    return rows


def startup_rows(ctx, r):
    cells = {s: (f"{r[('startup', s)]:.2f} s", r[("startup", s)])
             for s in SYSTEMS if ("startup", s) in r}
    rows = [line(f"start-up, {count(ctx.big)} jobs (spawn to first sleep; "
                 "apsched: fresh state file)", cells)]
    for key, what in (("startup-saved", "the state file saved by the last start"),
                      ("startup-mem", "state in memory")):
        if (key, "apsched") in r:
            t = r[(key, "apsched")]
            others = {s: ("(as above)", r[("startup", s)])
                      for s in ("cron", "APScheduler") if ("startup", s) in r}
            rows.append(line(f"start-up, {count(ctx.big)} jobs, apsched with {what}",
                             {"apsched": (f"{t:.2f} s", t), **others}))
    if "check" in r:
        wall, peak = r["check"]
        rows.append(line(f"`apsched check`, {count(ctx.big)} jobs",
                         {"apsched": (f"{wall:.2f} s, {mb(peak)} MB peak", None)}))
    return rows


def burst_rows(ctx, r):
    rows = []
    for label, what in (("memory", "state in memory"), ("sqlite", "state in SQLite")):
        cells = {}
        for s in SYSTEMS:
            key = ("burst", label, s)
            if s == "cron" and label == "sqlite":
                continue
            if key in r:
                first, last, n = r[key]
                short = "" if n == ctx.burst else f" ({n} started)"
                cells[s] = (f"{first:,.0f} / {last:,.0f} ms{short}", (first, last))
        if label == "sqlite" and ("burst", "memory", "floor") in r:
            first, last, _ = r[("burst", "memory", "floor")]
            cells["floor"] = (f"{first:,.0f} / {last:,.0f} ms", (first, last))
        rows.append(line(f"{count(ctx.burst)} jobs due in one second, {what}: "
                         "first / last started", cells))
    return rows


def latency_rows(r):
    cells = {}
    for s in SYSTEMS:
        if ("latency", s) in r:
            p50, p99, n = r[("latency", s)]
            if s != "cron":
                text = f"{p50:.1f} / {p99:.1f} ms"
            elif n:
                text = f"{p50:,.0f} / {p99:,.0f} ms (every minute, n={n})"
            else:
                text = "(every minute: no whole minute in the window)"
            cells[s] = (text, (p50, p99) if s != "cron" else None)
    return [line("every-second job, start delay p50 / p99", cells)]


def idle_rows(ctx, r):
    cells = {}
    for s in SYSTEMS:
        if ("idle", s) in r:
            cpu, wakes = r[("idle", s)]
            cells[s] = (f"{cpu:.2f} ms CPU, {wakes:.1f} wake-ups", (cpu, wakes))
    return [line(f"idle, {count(ctx.big)} jobs, per minute", cells)]


def render(ctx, r):
    rows = [HEAD]
    rows += rss_rows(ctx, r)
    rows += startup_rows(ctx, r)
    rows += burst_rows(ctx, r)
    rows += latency_rows(r)
    rows += idle_rows(ctx, r)
    return "\n".join(rows)
