#!/usr/bin/env python3
"""Differential cases for recurrence sets (RRULE + RDATE - EXDATE), from
python-dateutil's rruleset, in zones with DST changes.

The set is expanded in floating wall time (naive datetimes), as in
gen-cases.py: rruleset compares EXDATEs with occurrences as wall times, and a
rule's COUNT limits its own occurrences before EXDATE applies. Date-only
EXDATEs (Seshet's "every occurrence that day") are applied by wall date.
Then each wall time becomes an instant with zoneinfo (fold=0: gap times move
forward, overlap times take the first instant), sorted and de-duplicated.

EXDATEs and RDATEs are drawn around each year's transitions (including wall
times inside the gap and the overlap), so the cases do cross them. A case
where an EXDATE wall time in a gap lands on the instant of another, kept wall
time is marked `ambiguous` (the hard case: the EXDATE removes only its own
wall time, so the instant stays, as in dateutil).

Usage: python3 gen-set-cases.py [seed] [count]
"""
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, HOURLY, MONTHLY, WEEKLY, rrule, rruleset, weekdays
from zone_transitions import transitions

UTC = timezone.utc
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]




def make_rule(rng, start):
    kind = rng.choice(["daily", "weekdays", "hourly", "weekly", "monthly", "count"])
    hour = rng.choice([0, 1, 2, 3, 9, 23])
    minute = rng.choice([0, 30])
    if kind == "daily":
        return {"freq": "daily", "byhour": [hour], "byminute": [minute], "bysecond": [0]}
    if kind == "weekdays":
        return {"freq": "weekly", "byweekday": DAYS[:5], "byhour": [hour], "byminute": [minute], "bysecond": [0]}
    if kind == "hourly":
        return {"freq": "hourly", "interval": rng.choice([1, 2]), "byminute": [minute], "bysecond": [0]}
    if kind == "weekly":
        return {"freq": "weekly", "byweekday": sorted(rng.sample(DAYS, 2), key=DAYS.index), "byhour": [hour, 12], "byminute": [minute], "bysecond": [0]}
    if kind == "monthly":
        return {"freq": "monthly", "byweekday": ["-1SU", "+1SU"], "byhour": [hour], "byminute": [minute], "bysecond": [0]}
    return {"freq": "daily", "count": rng.randint(3, 40), "byhour": [hour, 2], "byminute": [minute], "bysecond": [0]}


def du_rule(r, start):
    freq = {"daily": DAILY, "weekly": WEEKLY, "hourly": HOURLY, "monthly": MONTHLY}[r["freq"]]
    kw = {"dtstart": start, "interval": r.get("interval", 1)}
    for k in ("byhour", "byminute", "bysecond", "count"):
        if k in r:
            kw[k] = r[k]
    if "byweekday" in r:
        kw["byweekday"] = [weekdays[DAYS.index(d[-2:])](int(d[:-2])) if len(d) > 2 else weekdays[DAYS.index(d)] for d in r["byweekday"]]
    return rrule(freq, **kw)


def near_transition(rng, tz, year):
    ts = transitions(tz, year)
    t = rng.choice(ts).astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    delta = timedelta(minutes=rng.choice([-90, -60, -30, 0, 30, 60, 90, 24 * 60, -24 * 60]))
    w = t + delta
    return w.replace(minute=rng.choice([0, 30]), second=0)


def make_case(rng, i):
    tz = rng.choice(ZONES)
    z = ZoneInfo(tz)
    year = rng.choice([2026, 2027])
    start = datetime(year, 1, 1) + timedelta(days=rng.randint(0, 60))
    rule = make_rule(rng, start)
    rs = rruleset()
    rs.rrule(du_rule(rule, start))
    exdate, rdate, exdays = [], [], []
    for _ in range(rng.randint(1, 6)):
        w = near_transition(rng, tz, year)
        if rng.random() < 0.2:
            exdays.append(w.date())
            exdate.append(w.date().isoformat())
        else:
            w = w.replace(hour=rng.choice([w.hour, rule.get("byhour", [w.hour])[0]]), minute=rule["byminute"][0])
            rs.exdate(w)
            exdate.append(w.isoformat())
    for _ in range(rng.randint(0, 4)):
        w = near_transition(rng, tz, year)
        rs.rdate(w)
        rdate.append(w.isoformat())
    # Just before one of the year's transitions, so the expansion crosses it.
    after = rng.choice(transitions(tz, year)) - timedelta(days=rng.randint(0, 3), hours=rng.randint(0, 23))
    horizon = after.replace(tzinfo=None) + timedelta(days=40)
    walls = [w for w in rs.between(start - timedelta(days=1), horizon, inc=True) if w.date() not in exdays]
    inst = {}
    for w in walls:
        inst.setdefault(to_instant(w, z), w)
    ambiguous = False
    for e in exdate:
        if len(e) > 10:
            ei = to_instant(datetime.fromisoformat(e), z)
            if ei in inst:
                ambiguous = True
    expected = [i2.astimezone(z).isoformat() for i2 in sorted(inst) if after < i2 < to_instant(horizon, z)][:25]
    return {"name": f"set-{i}", "tz": tz, "start": start.isoformat(), "rule": rule, "exdate": exdate, "rdate": rdate,
            "after": after.isoformat(), "before": to_instant(horizon, z).isoformat(), "n": 25, "expected": expected, "ambiguous": ambiguous}


def to_instant(wall, z):
    return wall.replace(tzinfo=z, fold=0).astimezone(UTC)


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 5545
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    rng = random.Random(seed)
    print(json.dumps([make_case(rng, i) for i in range(count)]))


if __name__ == "__main__":
    main()
