#!/usr/bin/env bash
# Checks the example systemd unit docs/session-guide-kiosk.service, offline (systemd need not be running):
#   1. `systemd-analyze verify` reports nothing about it: no unknown key, no bad value, no warning at all;
#   2. `systemd-analyze security --offline=true` rates its overall exposure below 3.0 ("OK" or better).
# Prints `kiosk unit: verify ok, exposure X.Y` and exits 0, or says what is wrong and exits 1.
# Needs systemd-analyze (the systemd package); works as any user, from any folder. Run by KioskUnitTests.
#
# verify also checks that ExecStart's program exists, and /usr/local/bin/session-guide is not installed where this
# runs. So verify looks at a copy of the unit whose ExecStart names a stub script in a temporary folder instead
# (the line numbers stay the same); nothing outside that folder is created. The score is of the real file.
set -euo pipefail
cd "$(dirname "$0")/.."

unit=docs/session-guide-kiosk.service
name=$(basename "$unit")
program=/usr/local/bin/session-guide
threshold=3.0

fail() {
  echo "kiosk unit: $*" >&2
  exit 1
}

command -v systemd-analyze >/dev/null 2>&1 \
  || fail "systemd-analyze not found: install the systemd package (apt-get install systemd)"
[ -f "$unit" ] || fail "$unit not found"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/check-kiosk-unit.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# 1. verify, on a copy that runs a stub.
printf '#!/bin/sh\nexit 0\n' > "$scratch/session-guide"
chmod 755 "$scratch/session-guide"
grep -q "^ExecStart=$program " "$unit" || fail "$unit: no 'ExecStart=$program ...' line to check"
sed "s|^ExecStart=$program |ExecStart=$scratch/session-guide |" "$unit" > "$scratch/$name"
# --recursive-errors=no: a non-zero status for warnings about this unit (without it, warnings exit 0), and none for
# the other units it names (getty@tty1.service, ...), which belong to the machine, not to this file.
status=0
verify_output=$(systemd-analyze verify --recursive-errors=no --man=no "$scratch/$name" 2>&1) || status=$?
if [ "$status" -ne 0 ] || [ -n "$verify_output" ]; then
  # Name the real file, not the copy, in what verify said.
  printf '%s\n' "$verify_output" | sed "s|$scratch/$name|$unit|g; s|$scratch/session-guide|$program|g" >&2
  fail "systemd-analyze verify reported the problems above in $unit (exit status $status)"
fi

# 2. the exposure score, from the line `→ Overall exposure level for NAME: 0.4 SAFE 😀`.
status=0
security_output=$(systemd-analyze security --offline=true --no-pager "$unit" 2>&1) || status=$?
score=$(printf '%s\n' "$security_output" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9][0-9.]*\).*/\1/p' | tail -1)
if [ -z "$score" ]; then
  printf '%s\n' "$security_output" >&2
  fail "systemd-analyze security gave no overall exposure level for $unit (exit status $status)"
fi
if ! awk -v score="$score" -v limit="$threshold" 'BEGIN { exit !(score + 0 < limit + 0) }'; then
  printf '%s\n' "$security_output" | grep '✗' >&2 || true
  fail "exposure $score is not below $threshold; the settings marked ✗ above are what is missing in $unit"
fi

echo "kiosk unit: verify ok, exposure $score"
