#!/usr/bin/env python3
"""Differential cases for Seshet's cron expressions.

Two kinds of case:
- "croniter": in UTC (no DST change), the next runs straight from python
  croniter, the reference cron implementation.
- "rruleset": in zones with DST changes, from the equivalent RRULE set built
  in Python from croniter's own reading of the fields (`expanded`): a daily
  rule with BYHOUR/BYMINUTE/BYMONTH and BYMONTHDAY and/or BYDAY (two rules
  when both day fields are restricted: Vixie cron's OR), expanded by
  python-dateutil in wall time and made instants with zoneinfo (fold=0), as
  in gen-cases.py. Cron itself has no single answer at DST changes; Seshet
  gives cron tasks the same wall-clock semantics as rrule tasks.

Day fields with a starred step (`*/2`) are not combined with a restricted
other day field: Vixie cron treats `*/2` as "*" for the OR rule (and so does
Seshet), croniter as restricted.

Usage: python3 gen-cron-cases.py [seed] [count]
"""
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from croniter import CroniterBadDateError, croniter
from dateutil.rrule import DAILY, rrule, rruleset, weekdays
from zone_transitions import transitions

UTC = timezone.utc
DST_ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham"]
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DOWS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
MACROS = ["@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@midnight", "@annually"]


def field(rng, lo, hi, names=None, allow_star=True):
    kind = rng.choice(["star", "step", "one", "range", "rangestep", "list", "name"] if allow_star else ["one", "range", "rangestep", "list", "name"])
    if kind == "star":
        return "*"
    if kind == "step":
        return f"*/{rng.choice([2, 3, 5, 7, 10, 15])}"
    if kind == "one":
        return str(rng.randint(lo, hi))
    if kind == "range" or kind == "rangestep":
        a = rng.randint(lo, hi)
        b = rng.randint(a, hi)
        return f"{a}-{b}" + (f"/{rng.choice([2, 3])}" if kind == "rangestep" else "")
    if kind == "list":
        return ",".join(str(v) for v in sorted(rng.sample(range(lo, hi + 1), rng.randint(2, 4))))
    if names is None:
        return str(rng.randint(lo, hi))
    i = rng.randint(0, len(names) - 1)
    j = rng.randint(i, len(names) - 1)
    return names[i] if i == j else f"{names[i]}-{names[j]}"


def make_expr(rng):
    if rng.random() < 0.1:
        return rng.choice(MACROS)
    minute = rng.choice(["0", "30", "*/15", "5,35", "0-10/5", field(rng, 0, 59)])
    hour = rng.choice(["*", "9", "1-3", "2", "*/6", field(rng, 0, 23)])
    dom = rng.choice(["*", "*", field(rng, 1, 31)])
    month = rng.choice(["*", "*", "*", field(rng, 1, 12, MONTHS)])
    dow = rng.choice(["*", "*", "1-5", "0,6", "7", field(rng, 0, 6, DOWS)])
    # See the docstring: no starred step in one day field when the other is restricted.
    if dom.startswith("*/") and not dow.startswith("*"):
        dom = "*"
    if dow.startswith("*/") and not dom.startswith("*"):
        dow = "*"
    return f"{minute} {hour} {dom} {month} {dow}"


def expanded_rules(expr, dtstart):
    c = croniter(expr)
    mins, hours, doms, months, dows = c.expanded[:5]
    fields = expr.split() if not expr.startswith("@") else MACRO_FIELDS[expr]
    base = {"dtstart": dtstart, "byhour": list(range(24)) if hours == ["*"] else hours,
            "byminute": list(range(60)) if mins == ["*"] else mins, "bysecond": [0]}
    if months != ["*"]:
        base["bymonth"] = months
    dom_rule = dict(base, bymonthday=doms) if doms != ["*"] else None
    dow_rule = dict(base, byweekday=[weekdays[(d + 6) % 7] for d in sorted({d % 7 for d in dows})]) if dows != ["*"] else None
    dom_star = fields[2].startswith("*")
    dow_star = fields[4].startswith("*")
    if not dom_star and not dow_star:
        return [rrule(DAILY, **dom_rule), rrule(DAILY, **dow_rule)]
    r = dict(base)
    if dom_rule is not None:
        r["bymonthday"] = doms
    if dow_rule is not None:
        r["byweekday"] = dow_rule["byweekday"]
    return [rrule(DAILY, **r)]


MACRO_FIELDS = {"@hourly": "0 * * * *".split(), "@daily": "0 0 * * *".split(), "@midnight": "0 0 * * *".split(),
                "@weekly": "0 0 * * 0".split(), "@monthly": "0 0 1 * *".split(), "@yearly": "0 0 1 1 *".split(),
                "@annually": "0 0 1 1 *".split()}




def croniter_case(rng, i, expr):
    after = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 700 * 24 * 60))
    it = croniter(expr, after.replace(tzinfo=None))
    expected = [it.get_next(datetime).replace(tzinfo=UTC).isoformat() for _ in range(20)]
    return {"name": f"croniter-{i}", "kind": "croniter", "cron": expr, "tz": "UTC", "after": after.isoformat(),
            "n": 20, "expected": expected}


def rruleset_case(rng, i, expr):
    tz = rng.choice(DST_ZONES)
    z = ZoneInfo(tz)
    year = rng.choice([2026, 2027])
    after = rng.choice(transitions(tz, year)) - timedelta(hours=rng.randint(1, 72))
    local_after = after.astimezone(z).replace(tzinfo=None)
    rs = rruleset()
    for r in expanded_rules(expr, local_after - timedelta(days=2)):
        rs.rrule(r)
    horizon = local_after + timedelta(days=400)
    insts = []
    for w in rs.xafter(local_after - timedelta(days=1), count=4000):
        if w > horizon:
            break
        inst = w.replace(tzinfo=z, fold=0).astimezone(UTC)
        if inst > after and inst not in insts:
            insts.append(inst)
        if len(insts) >= 40:
            break
    expected = [x.astimezone(z).isoformat() for x in sorted(insts)[:20]]
    return {"name": f"rruleset-{i}", "kind": "rruleset", "cron": expr, "tz": tz, "after": after.isoformat(),
            "n": 20, "expected": expected, "before": horizon.replace(tzinfo=z).astimezone(UTC).isoformat()}


def main():
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    rng = random.Random(seed)
    cases = []
    while len(cases) < count:
        i = len(cases)
        expr = make_expr(rng)
        try:
            cases.append(croniter_case(rng, i, expr) if i % 2 == 0 else rruleset_case(rng, i, expr))
        except CroniterBadDateError:
            continue  # never matches (such as 30 Feb): not a useful case
    print(json.dumps(cases))


if __name__ == "__main__":
    main()
