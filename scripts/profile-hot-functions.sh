#!/usr/bin/env bash
# Writes scripts/hot-functions.txt: every function the release binary runs in a session, a routine, the kiosk
# and the home menu, in the order they first ran. scripts/build-release.sh gives the list to the linker
# (--symbol-ordering-file), which puts those functions next to each other at the front of the binary, so the
# few megabytes of code a clinic's program uses are read into memory, not the scattered pages around them
# (peak memory of a session 19.9 -> 17.2 MB; docs/benchmarks.md).
#
#   scripts/profile-hot-functions.sh      # about 3 minutes; commit the new list
#
# Run it again after large changes. A list that has grown stale only places fewer functions well: names that
# no longer exist are ignored, and new functions go after the listed ones, as without a list.
# Needs valgrind (callgrind counts which functions ran) and tmux.
set -euo pipefail
cd "$(dirname "$0")/.."
output=scripts/hot-functions.txt
binary=$(scripts/build-release.sh | tail -1)
work=$(mktemp -d)
server="session-guide-profile-$$"
trap 'tmux -L "$server" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
# valgrind can't read the debug information clang 21 writes; the symbol table is all it needs.
strip --strip-debug -o "$work/session-guide" "$binary"
mkdir -p "$work/state"

# Waits (under valgrind the program is about 50 times slower) until the screen shows $1.
wait_for() {
  for _ in $(seq 1 600); do
    tmux -L "$server" capture-pane -p -t profile 2>/dev/null | grep -qF -- "$1" && return 0
    sleep 0.2
  done
  echo "profile-hot-functions: waited 2 minutes for “$1”; the screen was:" >&2
  tmux -L "$server" capture-pane -p -t profile >&2 || true
  exit 1
}
keys() { tmux -L "$server" send-keys -t profile "$@"; sleep 1; }

# Runs the program with $2… under callgrind in a 100×30 terminal; the profile goes to $work/$1.out.
start() {
  local name=$1
  shift
  tmux -L "$server" kill-server 2>/dev/null || true
  sleep 1  # until the old server is gone, or the new session may reach it as it exits
  tmux -L "$server" new-session -d -s profile -x 100 -y 30 \
    "env XDG_STATE_HOME='$work/state' XDG_CONFIG_HOME=/nonexistent SESSION_GUIDE_CONTENT='$PWD/Content' \
     valgrind --tool=callgrind --demangle=no --dump-instr=no --callgrind-out-file='$work/$name.out' \
     '$work/session-guide' $* 2>>'$work/valgrind.log'; echo PROFILE-DONE; sleep 600"
}

echo "Profiling a session…" >&2
start session session treatment-08
wait_for "Step 1/9"
keys Right; keys Right; keys Right; keys Right
wait_for "Step 5/9"
keys Space; sleep 6; keys +; keys -; keys c; keys Escape; keys '?'; keys Escape; keys s; keys Escape
keys t; keys Escape; keys w; keys -l "a note"; keys Enter
keys Right; keys Right; keys Right; keys Right; keys Right
keys q; keys y
wait_for PROFILE-DONE

echo "Profiling a routine…" >&2
start routine routine daily-hip-back
wait_for "Cat-cow"
keys Space; keys 4; keys Enter; keys Space; sleep 10; keys p; keys p; keys q; keys y
sleep 3; keys 2; keys Enter
wait_for PROFILE-DONE

echo "Profiling the kiosk…" >&2
start kiosk kiosk --exit-key ctrl-x
wait_for "Hip mobility"
keys Right; keys a
# Ended as its systemd unit ends it: SIGTERM, which it handles like any other way out.
# (The pane's shell's child, valgrind with the kiosk in it, not the shell, which must go on to say it is done.)
pkill -TERM -P "$(tmux -L "$server" display-message -p -t profile '#{pane_pid}')"
wait_for PROFILE-DONE

echo "Profiling the home menu…" >&2
start menu
wait_for "Routines (patient)"
keys Down; keys Enter; sleep 5; keys q; keys y; sleep 3; keys q
wait_for PROFILE-DONE

python3 - "$binary" "$output" "$work"/*.out <<'PYTHON'
import re, subprocess, sys
binary, output, profiles = sys.argv[1], sys.argv[2], sys.argv[3:]
defined = set()
for line in subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout.splitlines():
    parts = line.split()
    if len(parts) == 3 and parts[1] in "tTwW":
        defined.add(parts[2])
names, seen = [], set()
for profile in profiles:
    for line in open(profile, errors="replace"):
        match = re.match(r"c?fn=\(\d+\) (.+)", line)
        if match and match.group(1) not in seen:
            seen.add(match.group(1))
            if match.group(1) in defined:
                names.append(match.group(1))
with open(output, "w") as file:
    file.write("\n".join(names) + "\n")
print(f"{len(names)} functions written to {output}", file=sys.stderr)
PYTHON
