#!/usr/bin/env python3
"""Reads a `seshet ics` feed back with python's icalendar and expands each
VEVENT with python-dateutil, as a calendar application would.

Input (stdin, JSON): {"ics": TEXT, "queries": [{"uid", "after", "n"}]}.
Output (JSON): the VEVENT UIDs, the VTIMEZONE TZIDs, each event's VALARM
triggers, and for each query the next n instants strictly after `after`.

The set of an event is DTSTART (always an instance, RFC 5545) plus its RRULE
and RDATEs, minus its EXDATEs, expanded in wall time (naive datetimes, so
EXDATEs compare as wall times) and made instants with zoneinfo (fold=0: a
gap time moves forward, an overlap time is its first instant), as in
gen-cases.py. An UNTIL in UTC is turned into the zone's wall time.
"""
import json
import re
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr, rruleset
from icalendar import Calendar

UTC = timezone.utc


def walls(prop):
    """Naive wall times of an EXDATE/RDATE property (one or several lines)."""
    if prop is None:
        return []
    props = prop if isinstance(prop, list) else [prop]
    return [d.dt.replace(tzinfo=None) for p in props for d in p.dts]


def event_set(e):
    zone = ZoneInfo(str(e["DTSTART"].params["TZID"]))
    start = e.decoded("DTSTART").replace(tzinfo=None)
    rs = rruleset()
    rs.rdate(start)
    if "RRULE" in e:
        text = e["RRULE"].to_ical().decode()
        m = re.search(r"UNTIL=(\d{8}T\d{6})Z", text)
        if m:
            until = datetime.strptime(m.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)
            text = text.replace(m.group(0), "UNTIL=" + until.strftime("%Y%m%dT%H%M%S"))
        rs.rrule(rrulestr(text, dtstart=start))
    for d in walls(e.get("RDATE")):
        rs.rdate(d)
    for d in walls(e.get("EXDATE")):
        rs.exdate(d)
    return rs, zone


def expand(rs, zone, after, n):
    after_wall = after.astimezone(zone).replace(tzinfo=None) - timedelta(days=2)
    found = []
    for w in rs.xafter(after_wall, count=n + 200):
        inst = w.replace(tzinfo=zone, fold=0).astimezone(UTC)
        if inst > after and inst not in found:
            found.append(inst)
        if len(found) >= n + 5:
            break
    return [x.astimezone(zone).isoformat() for x in sorted(found)[:n]]


def main():
    inp = json.load(sys.stdin)
    cal = Calendar.from_ical(inp["ics"])
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    out = {
        "uids": sorted(events),
        "timezones": sorted(str(t["TZID"]) for t in cal.walk("VTIMEZONE")),
        "alarms": {uid: [a["TRIGGER"].to_ical().decode() for a in e.walk("VALARM")] for uid, e in events.items()},
        "occurrences": {},
    }
    sets = {uid: event_set(e) for uid, e in events.items()}
    for q in inp["queries"]:
        rs, zone = sets[q["uid"]]
        after = datetime.fromisoformat(q["after"].replace("Z", "+00:00"))
        out["occurrences"][f'{q["uid"]} {q["after"]}'] = expand(rs, zone, after, q["n"])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
