#!/usr/bin/env bash
# What the tests need from the system, checked before `npm test`: ngIRCd (the
# real IRC server), PostgreSQL's binaries (private clusters for the store and
# fleet tests), python3-dateutil (the reference RRULE implementation),
# python3-croniter (the reference cron implementation) and python3-icalendar
# (reads `seshet ics` back).
# As root on Debian/Ubuntu the missing ones are installed; otherwise the exact
# command is printed and the tests do not start.
set -euo pipefail

missing=()
command -v ngircd >/dev/null 2>&1 || [ -x /usr/sbin/ngircd ] || missing+=(ngircd)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
python_ok=no
for py in "${SESHET_PYTHON:-python3}" python3 /usr/bin/python3; do
  if "$py" -c 'import dateutil, zoneinfo' >/dev/null 2>&1; then python_ok=yes; break; fi
done
[ "$python_ok" = yes ] || missing+=(python3-dateutil)
for mod in croniter icalendar; do
  ok=no
  for py in "${SESHET_PYTHON:-python3}" python3 /usr/bin/python3; do
    if "$py" -c "import $mod" >/dev/null 2>&1; then ok=yes; break; fi
  done
  [ "$ok" = yes ] || missing+=("python3-$mod")
done

[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "test setup: installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "test setup: the tests need ${missing[*]}; install with:" >&2
echo "  sudo apt-get install -y ${missing[*]}" >&2
exit 1
