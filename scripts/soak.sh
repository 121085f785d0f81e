#!/usr/bin/env bash
# Soak test: two long-lived processes side by side, each in its own session of a private tmux server, and for
# each its resident memory (VmRSS), open file descriptors and CPU seconds at the start and at the end, to check
# that a long run stays flat:
#   - kiosk:   `session-guide kiosk` with one-second slides; the deck is touched every 30 seconds, as an editing
#              clinic would, so reloads are part of the soak;
#   - routine: the home menu (`session-guide` with no subcommand), driven with tmux send-keys: open a tiny routine
#              (two drills of a few seconds), answer its questions, let it finish, close it, and open it again,
#              again and again in ONE process, so a leak per run (memory, descriptors, the history file, each
#              run is saved) adds up where it can be seen instead of vanishing with a new process each time.
#              `routine ID` can't loop by itself, which is why the menu is used.
# Not part of `swift test`: run it by hand.
#   scripts/soak.sh [minutes]                              (default 30; builds the release binary first)
#   SESSION_GUIDE_BINARY=path/to/session-guide scripts/soak.sh [minutes]   (that binary, no build)
# Everything it writes is in a temporary folder; its tmux server (-L soak) is its own and ends with the script.
set -euo pipefail

minutes=${1:-30}
[[ $minutes =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [minutes]   (a whole number of minutes, default 30)" >&2; exit 64; }
command -v tmux >/dev/null 2>&1 || { echo "soak: tmux is needed (apt-get install tmux)" >&2; exit 1; }
if [ -n "${SESSION_GUIDE_BINARY:-}" ]; then
  [ -f "$SESSION_GUIDE_BINARY" ] && [ -x "$SESSION_GUIDE_BINARY" ] \
    || { echo "soak: SESSION_GUIDE_BINARY=$SESSION_GUIDE_BINARY is not an executable file" >&2; exit 1; }
  # Made absolute before the cd below, so a path relative to the caller's folder works.
  binary=$(cd "$(dirname "$SESSION_GUIDE_BINARY")" && pwd)/$(basename "$SESSION_GUIDE_BINARY")
  cd "$(dirname "$0")/.."
else
  cd "$(dirname "$0")/.."
  swift build -c release >/dev/null
  binary=$PWD/.build/release/session-guide
fi
[ -x "$binary" ] || { echo "soak: $binary is not an executable" >&2; exit 1; }

tmux=(tmux -L soak -f /dev/null)
if "${tmux[@]}" has-session 2>/dev/null; then
  echo "soak: a tmux server on the socket 'soak' is already running (another soak?); not touching it" >&2
  exit 1
fi
work=$(mktemp -d)
trap '"${tmux[@]}" kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/kiosk/decks" "$work/routine/drills" "$work/routine/routines" "$work/state" "$work/config"

# The kiosk's deck: six one-second slides.
{
  printf -- '---\nkind: deck\nid: soak\ntitle: Soak test\ndwell: 1s\n---\n'
  for i in 1 2 3 4 5 6; do printf '# Slide %s\nSome text for slide %s, long enough to wrap on a narrow screen.\n\n' "$i" "$i"; done
} > "$work/kiosk/decks/soak.md"

# The routine: a timed drill and a held one with two sets (about 12 seconds in all).
cat > "$work/routine/drills/soak-move.md" <<'EOF'
---
kind: drill
id: soak-move
title: Soak move
purpose: A two-second drill, for the soak test.
work: 2s
---
# Steps
1. Move gently.

# Safety
Pain-free, controlled movement.
EOF
cat > "$work/routine/drills/soak-hold.md" <<'EOF'
---
kind: drill
id: soak-hold
title: Soak hold
purpose: A short held drill with two sets, for the soak test.
hold: 2s
sets: 2
rest: 1s
---
# Steps
1. Hold gently.

# Safety
Pain-free, controlled movement.
EOF
cat > "$work/routine/routines/soak.md" <<'EOF'
---
kind: routine
id: soak-routine
title: Soak routine
safety: Use only pain-free, controlled movement.
rest-between: 1s
get-ready: 1s
---
[drill: soak-move]
[drill: soak-hold]
EOF

# Each program writes its pid to a file and then becomes that process (exec), so the pid is the program's.
environment=(env TERM=xterm-256color LANG=C.UTF-8 XDG_STATE_HOME="$work/state" XDG_CONFIG_HOME="$work/config")
start() {  # session-name pid-file command...
  local name=$1 pidfile=$2
  shift 2
  "${tmux[@]}" new-session -d -s "$name" -x 80 -y 24 "echo \$\$ > $(printf %q "$pidfile"); exec $(printf '%q ' "$@")"
}
start kiosk "$work/kiosk.pid" "${environment[@]}" "$binary" kiosk soak --content "$work/kiosk" --shift-every 5
start routine "$work/routine.pid" "${environment[@]}" "$binary" --content "$work/routine" --quiet

screen() { "${tmux[@]}" capture-pane -p -t routine 2>/dev/null || true; }
# Waits (up to 20 s) until the routine's screen contains $1.
wait_for() {
  local deadline=$((SECONDS + 20))
  until screen | grep -qF -- "$1"; do
    [ $SECONDS -lt $deadline ] || { echo "soak: the menu never showed '$1'; its screen:" >&2; screen >&2; exit 1; }
    sleep 0.2
  done
}
wait_for "Enter open"
kiosk_pid=$(cat "$work/kiosk.pid")
routine_pid=$(cat "$work/routine.pid")
alive() { kill -0 "$1" 2>/dev/null; }
alive "$kiosk_pid" || { echo "soak: the kiosk did not start" >&2; "${tmux[@]}" capture-pane -p -t kiosk >&2 || true; exit 1; }

clock_ticks=$(getconf CLK_TCK)
report() {  # label pid
  local rss fds cpu
  rss=$(awk '/^VmRSS/ {print $2 " " $3}' "/proc/$2/status")
  fds=$(find "/proc/$2/fd" -mindepth 1 -maxdepth 1 | wc -l)
  cpu=$(awk -v hz="$clock_ticks" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$2/stat")
  printf '%-22s rss %-10s fds %-3s cpu %ss\n' "$1" "$rss" "$fds" "$cpu"
}
sleep 2
report "kiosk start" "$kiosk_pid"
report "routine start" "$routine_pid"

# Sends a key to the menu, then waits (up to 10 s) for the screen to change, so no key is ever sent twice to one
# screen (a second q on the menu would quit it).
press() {
  local before deadline=$((SECONDS + 10))
  before=$(screen)
  "${tmux[@]}" send-keys -t routine "$1"
  while [ "$(screen)" = "$before" ]; do
    [ $SECONDS -lt $deadline ] || { echo "soak: the menu did not react to '$1'; its screen:" >&2; screen >&2; exit 1; }
    sleep 0.1
  done
}

runs=0
end=$((SECONDS + minutes * 60))
next_touch=$((SECONDS + 30))
while [ $SECONDS -lt $end ]; do
  alive "$kiosk_pid" || { echo "soak: the kiosk ended after $SECONDS s" >&2; exit 1; }
  alive "$routine_pid" || { echo "soak: the menu ended after $SECONDS s ($runs routine runs)" >&2; exit 1; }
  if [ $SECONDS -ge $next_touch ]; then
    touch "$work/kiosk/decks/soak.md"
    next_touch=$((SECONDS + 30))
  fi
  current=$(screen)
  case $current in
    *"q close"*)  # the run's summary
      runs=$((runs + 1))
      [ $runs -eq 1 ] && report "routine after 1st run" "$routine_pid"
      press q ;;
    *"Press Space when you are ready"*) press Space ;;
    *"Enter skip"*) press $((runs % 10)) ;;  # a pain score (before and after), saved with the run
    *"Enter open"*) press Enter ;;
    *) sleep 0.3 ;;  # a drill or a rest is running
  esac
done
report "kiosk end" "$kiosk_pid"
report "routine end" "$routine_pid"
echo "routine runs completed in one process: $runs ($minutes min)"
