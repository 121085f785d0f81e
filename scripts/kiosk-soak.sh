#!/usr/bin/env bash
# Soak test for the kiosk: runs it for a while with 1-second slides in tmux and prints its resident memory and
# open file descriptors at the start and at the end. Not part of `swift test`: run it by hand.
#   scripts/kiosk-soak.sh [minutes]     (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
swift build -c release >/dev/null
binary=$PWD/.build/release/session-guide
work=$(mktemp -d)
trap 'tmux -L soak kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/content" "$work/state"
{
  printf -- '---\nkind: deck\nid: soak\ntitle: Soak test\ndwell: 1s\n---\n'
  for i in 1 2 3 4 5 6; do printf '# Slide %s\nSome text for slide %s, long enough to wrap on a narrow screen.\n\n' "$i" "$i"; done
} > "$work/content/soak.md"
tmux -L soak -f /dev/null new-session -d -x 80 -y 24 \
  "exec env TERM=xterm-256color LANG=C.UTF-8 XDG_STATE_HOME=$work/state $binary kiosk soak --content $work/content --shift-every 5"
sleep 2
# Anchored, so the tmux server (whose command line holds the same words) is not taken for the kiosk.
pid=$(pgrep -f "^$binary kiosk soak" | head -1)
[ -n "$pid" ] || { echo "the kiosk did not start" >&2; exit 1; }
report() {
  local rss fds cpu
  rss=$(awk '/VmRSS/ {print $2 " " $3}' "/proc/$pid/status")
  fds=$(ls "/proc/$pid/fd" | wc -l)
  cpu=$(awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$pid/stat")
  printf '%-6s rss %-10s fds %-3s cpu %ss\n' "$1" "$rss" "$fds" "$cpu"
}
report start
# Touch the deck now and then, as an editing clinic would, so reloads are part of the soak.
end=$((SECONDS + minutes * 60))
while [ $SECONDS -lt $end ]; do
  sleep 30
  touch "$work/content/soak.md"
done
report end
