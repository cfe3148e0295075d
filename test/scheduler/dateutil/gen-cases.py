#!/usr/bin/env python3
"""Differential test cases for Seshet's recurrence engine, from python-dateutil.

Prints a JSON list of cases. Each case has a rule (as the TOML table form and,
for some cases, the RRULE string form), a start (local wall time), a zone, an
`after` instant, and the expected next occurrences strictly after it.

Expected values: dateutil's rrule expands the rule in floating wall time
(naive dtstart, as Seshet's engine does); each wall time is then made an
instant with zoneinfo (fold=0), which is RFC 5545's reading: a time in a
spring-forward gap uses the offset from before the gap, a time in a fall-back
overlap is the earlier instant. Instants are then sorted and de-duplicated
(two wall times on one instant are one occurrence). This is the documented
correction to dateutil, applied here rather than avoided, so the random cases
do cross gaps and overlaps. `until` given as a local time is passed to dateutil
as a naive wall time; `until` given as an instant is applied to the instants.

Usage: python3 gen-cases.py [seed] [count]
"""
import json
import random
import signal
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil.rrule import (DAILY, HOURLY, MINUTELY, MONTHLY, SECONDLY, WEEKLY, YEARLY, rrule, weekday)
from zone_transitions import transitions  # the script's folder is on sys.path

UTC = timezone.utc
ZONES = ["Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe",
         "Asia/Kolkata", "Pacific/Chatham", "UTC"]
FREQS = {"yearly": YEARLY, "monthly": MONTHLY, "weekly": WEEKLY, "daily": DAILY,
         "hourly": HOURLY, "minutely": MINUTELY, "secondly": SECONDLY}
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def to_instant(wall, z):
    """RFC 5545 reading of a wall time: zoneinfo with fold=0."""
    return wall.replace(tzinfo=z, fold=0).astimezone(UTC)


def fmt(inst, z):
    return inst.astimezone(z).isoformat()


def pick(rng, values, lo, hi):
    k = rng.randint(lo, hi)
    return sorted(rng.sample(values, k))


def wd(rng, nth=False):
    d = rng.choice(DAYS)
    if nth:
        n = rng.choice([1, 2, 3, 4, -1, -2, 5])
        return f"{n:+d}{d}"
    return d


def make_rule(rng, freq):
    r = {"freq": freq}
    if rng.random() < 0.3:
        r["interval"] = rng.choice([2, 3, 4, 5, 7])
    if freq == "yearly":
        kind = rng.choice(["plain", "monthday", "weekno", "yearday", "nth", "leap", "setpos", "negmonthday"])
        if kind == "monthday":
            r["bymonth"] = pick(rng, list(range(1, 13)), 1, 3)
            r["bymonthday"] = pick(rng, list(range(1, 29)), 1, 2)
        elif kind == "weekno":
            r["byweekno"] = pick(rng, [1, 2, 10, 20, 52, 53, -1], 1, 2)
            r["byweekday"] = [wd(rng)]
        elif kind == "yearday":
            r["byyearday"] = pick(rng, [1, 60, 100, 200, 365, 366, -1, -100, -366], 1, 3)
        elif kind == "nth":
            r["bymonth"] = pick(rng, [3, 4, 10, 11], 1, 2)
            r["byweekday"] = [wd(rng, True)]
        elif kind == "leap":
            r["bymonth"] = [2]
            r["bymonthday"] = [29]
        elif kind == "setpos":
            r["bymonth"] = pick(rng, list(range(1, 13)), 1, 2)
            r["byweekday"] = pick(rng, DAYS, 2, 5)
            r["bysetpos"] = [rng.choice([1, 2, -1, -2])]
        elif kind == "negmonthday":
            r["bymonthday"] = [rng.choice([-1, -2, -7])]
            r["bymonth"] = pick(rng, list(range(1, 13)), 1, 4)
        if rng.random() < 0.4:
            r["byhour"] = pick(rng, [0, 1, 2, 3, 9, 23], 1, 2)
    elif freq == "monthly":
        kind = rng.choice(["plain", "monthday", "negmonthday", "nth", "setpos", "leap"])
        if kind == "monthday":
            r["bymonthday"] = pick(rng, list(range(1, 32)), 1, 3)
        elif kind == "negmonthday":
            r["bymonthday"] = [rng.choice([-1, -2, -15, -31])]
        elif kind == "nth":
            r["byweekday"] = [wd(rng, True) for _ in range(rng.randint(1, 2))]
        elif kind == "setpos":
            r["byweekday"] = ["MO", "TU", "WE", "TH", "FR"]
            r["bysetpos"] = pick(rng, [1, 2, -1, -2, 3], 1, 2)
        elif kind == "leap":
            r["bymonth"] = [2]
            r["bymonthday"] = [29]
        if rng.random() < 0.5:
            r["byhour"] = pick(rng, [0, 1, 2, 3, 12], 1, 3)
            r["byminute"] = pick(rng, [0, 15, 30, 45], 1, 2)
    elif freq == "weekly":
        if rng.random() < 0.7:
            r["byweekday"] = pick(rng, DAYS, 1, 5)
        if rng.random() < 0.3:
            r["wkst"] = rng.choice(DAYS)
        if rng.random() < 0.2 and "byweekday" in r:
            r["bysetpos"] = [rng.choice([1, -1])]
        if rng.random() < 0.5:
            r["byhour"] = pick(rng, [1, 2, 3, 9, 17], 1, 2)
    elif freq == "daily":
        if rng.random() < 0.5:
            r["byhour"] = pick(rng, list(range(24)), 1, 4)
        if rng.random() < 0.3:
            r["byminute"] = pick(rng, [0, 10, 30, 59], 1, 2)
        if rng.random() < 0.3:
            r["byweekday"] = pick(rng, DAYS, 1, 5)
        if rng.random() < 0.2:
            r["bymonth"] = pick(rng, list(range(1, 13)), 1, 6)
        if rng.random() < 0.15:
            r["bymonthday"] = [rng.choice([1, 15, -1, 29, 31])]
        if rng.random() < 0.1 and "byhour" in r:
            r["bysetpos"] = [rng.choice([1, -1])]
    elif freq == "hourly":
        if rng.random() < 0.6:
            r["byminute"] = pick(rng, [0, 15, 30, 45, 59], 1, 3)
        if rng.random() < 0.4:
            r["byhour"] = pick(rng, list(range(24)), 2, 8)
        if rng.random() < 0.2:
            r["byweekday"] = pick(rng, DAYS, 1, 5)
        if rng.random() < 0.1:
            r["bysetpos"] = [rng.choice([1, -1])]
            r.setdefault("byminute", [0, 30])
    elif freq == "minutely":
        if rng.random() < 0.4:
            r["byhour"] = pick(rng, list(range(24)), 1, 6)
        if rng.random() < 0.4:
            r["byminute"] = pick(rng, list(range(60)), 1, 10)
        if rng.random() < 0.4:
            r["bysecond"] = pick(rng, [0, 7, 30, 59], 1, 2)
        if "interval" in r and rng.random() < 0.5:
            r["interval"] = rng.choice([7, 13, 90, 1441])
    else:
        if rng.random() < 0.4:
            r["bysecond"] = pick(rng, list(range(60)), 1, 10)
        if rng.random() < 0.3:
            r["byminute"] = pick(rng, list(range(60)), 1, 20)
        if "interval" in r and rng.random() < 0.5:
            r["interval"] = rng.choice([7, 59, 61, 3601])
    return r


def dateutil_kwargs(r):
    kw = {"freq": FREQS[r["freq"]], "interval": r.get("interval", 1)}
    for k in ["bymonth", "bymonthday", "byyearday", "byweekno", "byhour", "byminute", "bysecond", "bysetpos"]:
        if k in r:
            kw[k] = r[k]
    if "byweekday" in r:
        out = []
        for s in r["byweekday"]:
            day = DAYS.index(s[-2:])
            n = int(s[:-2]) if len(s) > 2 else None
            out.append(weekday(day, n))
        kw["byweekday"] = out
    kw["wkst"] = DAYS.index(r["wkst"]) if "wkst" in r else 0
    if "count" in r:
        kw["count"] = r["count"]
    return kw


def rule_string(r):
    parts = ["FREQ=" + r["freq"].upper()]
    for k, v in r.items():
        if k == "freq":
            continue
        name = "BYDAY" if k == "byweekday" else k.upper()
        if k == "until":
            v = v.replace("-", "").replace(":", "")
        elif isinstance(v, list):
            v = ",".join(str(x) for x in v)
        parts.append(f"{name}={v}")
    return ";".join(parts)


# How far before `after` a start may lie, by frequency (keeps dateutil, which
# walks from dtstart, fast enough).
SPAN = {"yearly": 40 * 365, "monthly": 20 * 365, "weekly": 10 * 365, "daily": 5 * 365,
        "hourly": 40, "minutely": 2, "secondly": 0.05}


def make_case(rng, idx):
    tz = rng.choice(ZONES)
    z = ZoneInfo(tz)
    freq = rng.choice(list(FREQS))
    r = make_rule(rng, freq)
    year = rng.randint(2012, 2030)
    trans = transitions(tz, year)
    edge_wall = None
    if trans and rng.random() < 0.7:
        t = rng.choice(trans)
        pivot = t + timedelta(minutes=rng.randint(-180, 180))
        # A wall time inside the gap or overlap of this transition, so that
        # daily and coarser rules land in it.
        before = (t - timedelta(seconds=1)).astimezone(z).utcoffset()
        delta = t.astimezone(z).utcoffset() - before
        wall_t = (t + before).replace(tzinfo=None)
        lo = wall_t if delta > timedelta(0) else wall_t + delta
        steps = int(abs(delta).total_seconds() // 900)
        edge_wall = lo + timedelta(minutes=15 * rng.randint(0, max(0, steps - 1)))
    else:
        pivot = datetime(year, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), tzinfo=UTC)
    back_days = rng.uniform(0, SPAN[freq])
    start_inst = pivot - timedelta(days=back_days, minutes=rng.randint(0, 600))
    start = start_inst.astimezone(z).replace(tzinfo=None, microsecond=0)
    if rng.random() < 0.5:
        start = start.replace(second=0)
    if edge_wall is not None and rng.random() < 0.6 and freq in ("yearly", "monthly", "weekly", "daily"):
        start = start.replace(hour=edge_wall.hour, minute=edge_wall.minute, second=0)
        if "byhour" in r:
            r["byhour"] = sorted(set(r["byhour"]) | {edge_wall.hour})
        if "byminute" in r:
            r["byminute"] = sorted(set(r["byminute"]) | {edge_wall.minute})
    elif rng.random() < 0.4 and freq in ("yearly", "monthly", "weekly", "daily"):
        start = start.replace(hour=rng.choice([0, 1, 2, 3, 9]), minute=rng.choice([0, 30]), second=0)
    after = pivot - timedelta(seconds=rng.randint(0, 7200))
    after = after.replace(microsecond=0)
    limit = rng.random()
    until_instant = None
    kw_until = None
    if limit < 0.15:
        r["count"] = rng.choice([1, 3, 10, 50, 200])
    elif limit < 0.25:
        u = start + (pivot.replace(tzinfo=None) - start) * rng.uniform(0.5, 1.3)
        u = u.replace(microsecond=0)
        r["until"] = u.isoformat()
        kw_until = u
    elif limit < 0.3:
        ui = (start_inst + (pivot - start_inst) * rng.uniform(0.5, 1.3)).replace(microsecond=0)
        r["until"] = ui.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        until_instant = ui
    n = rng.choice([1, 3, 8])
    kw = dateutil_kwargs(r)
    try:
        rule = rrule(dtstart=start, until=kw_until, **kw)
    except ValueError:
        return None
    got = []
    signal.setitimer(signal.ITIMER_REAL, 0.25)
    try:
        horizon = None
        for wall in rule:
            inst = to_instant(wall, z)
            if horizon is not None and wall > horizon:
                break
            if until_instant is not None and inst > until_instant:
                continue
            if inst > after:
                got.append(inst)
                if len(set(got)) >= n and horizon is None:
                    horizon = wall + timedelta(days=2)
    except Timeout:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    expected = sorted(set(got))[:n]
    case = {
        "name": f"case{idx} {freq} {tz}",
        "tz": tz,
        "start": start.isoformat(),
        "rule": r,
        "after": after.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "n": n,
        "expected": [fmt(i, z) for i in expected],
    }
    if rng.random() < 0.3:
        case["ruleString"] = rule_string(r)
    return case


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 5545
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    signal.signal(signal.SIGALRM, on_alarm)
    rng = random.Random(seed)
    cases = []
    idx = 0
    while len(cases) < total:
        c = make_case(rng, idx)
        idx += 1
        if c is not None:
            cases.append(c)
    json.dump(cases, sys.stdout, indent=None)


if __name__ == "__main__":
    main()
