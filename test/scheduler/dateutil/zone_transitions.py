"""The instants where a zone's UTC offset changes, for the case generators
(gen-cases.py, gen-set-cases.py, gen-cron-cases.py): cases are drawn around
them so that every expansion crosses a DST change."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc

_TRANSITIONS = {}


def transitions(tz, year):
    key = (tz, year)
    if key not in _TRANSITIONS:
        _TRANSITIONS[key] = _transitions(tz, year)
    return _TRANSITIONS[key]


def _transitions(tz, year):
    """Instants (UTC) in `year` where the zone's offset changes, found by scanning."""
    z = ZoneInfo(tz)
    out = []
    t = datetime(year, 1, 1, tzinfo=UTC)
    prev = t.astimezone(z).utcoffset()
    step = timedelta(hours=6)
    while t.year == year:
        n = t + step
        off = n.astimezone(z).utcoffset()
        if off != prev:
            lo, hi = t, n
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(z).utcoffset() == prev:
                    lo = mid
                else:
                    hi = mid
            out.append(hi.replace(second=0, microsecond=0))
            prev = off
        t = n
    return out
