#!/usr/bin/env bash
# Renders the README's pictures from the real program in a real terminal: each mode runs in an xterm on a
# virtual X display (Xvfb), driven through tmux (send-keys to type, capture-pane to wait for what should be on
# screen), and a screenshot of the xterm window (ImageMagick's `import`) becomes docs/pictures/NAME.png.
# Not part of `swift test` or CI: run it by hand after a change to how a screen looks, then look at the
# pictures and commit them.
#
#   scripts/render-pictures.sh [--binary PATH] [--out DIR] [NAME ...]
#
# NAME is one or more of: menu session-script session-timer routine kiosk follow routine-large kiosk-large
# phases (default: all). Without
# --binary it builds a release binary (`swift build -c release`) and uses .build/release/session-guide.
#
# Needs (Debian/Ubuntu): apt-get install xvfb xterm tmux imagemagick x11-utils fonts-dejavu-core
# Optional, to make the PNGs smaller: apt-get install pngquant optipng
#
# The program gets a temporary XDG_CONFIG_HOME and XDG_STATE_HOME, so the pictures never depend on, or touch,
# your own config and routine history; the bundled Content/ is always used. Everything it starts (the X server,
# the xterms, its private tmux servers) is stopped when it exits, however it exits.
#
# Timers are caught at the same second every time, so a re-render changes only the pictures whose screen
# changed, and kiosk.png, which shows the time of day in its corner.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
binary=""
out="$repo/docs/pictures"
all_shots=(menu session-script session-timer routine kiosk follow routine-large kiosk-large phases)
shots=()

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --binary) binary=${2:?--binary needs a path}; shift 2 ;;
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "render-pictures: unknown option $1 (see --help)" >&2; exit 64 ;;
    *) shots+=("$1"); shift ;;
  esac
done
[ ${#shots[@]} -gt 0 ] || shots=("${all_shots[@]}")
for shot in "${shots[@]}"; do
  case " ${all_shots[*]} " in *" $shot "*) ;; *) echo "render-pictures: no picture named '$shot' (one of: ${all_shots[*]})" >&2; exit 64 ;; esac
done

# --- Tools -------------------------------------------------------------------------------------------------

missing=()
need() {  # need COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 || missing+=("$1 (apt-get install $2)")
}
need tmux tmux
need Xvfb xvfb
need xterm xterm
need xwininfo x11-utils
need fc-list fontconfig
# ImageMagick's `import` takes the screenshot; make sure it is the real one.
if ! import -version 2>/dev/null | grep -q ImageMagick; then missing+=("import (apt-get install imagemagick)"); fi
font="DejaVu Sans Mono"
if command -v fc-list >/dev/null 2>&1 && ! fc-list "$font" | grep -q .; then missing+=("the font $font (apt-get install fonts-dejavu-core)"); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "render-pictures: missing tools:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  echo "on Debian or Ubuntu: apt-get install xvfb xterm tmux imagemagick x11-utils fonts-dejavu-core" >&2
  exit 69
fi
have_pngquant=no; command -v pngquant >/dev/null 2>&1 && have_pngquant=yes
have_optipng=no; command -v optipng >/dev/null 2>&1 && have_optipng=yes
if [ $have_pngquant = no ] || [ $have_optipng = no ]; then
  echo "render-pictures: note: without pngquant and optipng the PNGs are larger (apt-get install pngquant optipng)" >&2
fi

if [ -z "$binary" ]; then
  echo "render-pictures: building (swift build -c release)..."
  (cd "$repo" && swift build -c release >/dev/null)
  binary="$repo/.build/release/session-guide"
fi
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
[ -x "$binary" ] || { echo "render-pictures: no program at $binary" >&2; exit 66; }
mkdir -p "$out"
out=$(cd "$out" && pwd)

# --- A private X server, tmux server and config, removed on exit --------------------------------------------

work=$(mktemp -d "${TMPDIR:-/tmp}/render-pictures.XXXXXX")
sock=""  # each picture has its own tmux server (a server that just lost its last session can't take a new one)
xvfb_pid=""
xterm_pid=""
cleanup() {
  local socket
  for socket in "$work"/tmux-*.sock; do
    [ -S "$socket" ] && tmux -S "$socket" kill-server >/dev/null 2>&1 || true
  done
  [ -z "$xterm_pid" ] || kill "$xterm_pid" 2>/dev/null || true
  [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
  [ -z "$xvfb_pid" ] || wait "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$work/config" "$work/state"
export XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
unset SESSION_GUIDE_CONTENT NO_COLOR TMUX
export LANG=C.UTF-8 LC_ALL=C.UTF-8

# The X server picks a free display number itself and writes it to fd 3 (-displayfd). -noreset: otherwise it
# resets when an xterm closes, the last client, and may turn the next xterm away.
Xvfb -displayfd 3 -noreset -screen 0 2600x1600x24 -nolisten tcp -nolisten unix 3>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!

# deadline SECONDS: prints the moment, in milliseconds, that many seconds from now.
now_ms() { date +%s%3N; }
deadline() { echo $(( $(now_ms) + $1 * 1000 )); }
fail() { echo "render-pictures: $*" >&2; exit 1; }

until_ms=$(deadline 10)
until [ -s "$work/display" ]; do
  kill -0 "$xvfb_pid" 2>/dev/null || fail "Xvfb did not start: $(cat "$work/xvfb.log")"
  [ "$(now_ms)" -lt "$until_ms" ] || fail "Xvfb did not start within 10 s"
  sleep 0.05
done
export DISPLAY=":$(head -1 "$work/display")"

# The pane's terminal as the program sees it; tmux draws it in the xterm. No status line: the xterm shows only
# the program's screen.
cat >"$work/tmux.conf" <<'EOF'
set -g status off
set -g default-terminal tmux-256color
set -sg escape-time 0
set -g remain-on-exit on
set -g window-size latest
EOF

# A dark terminal with the common Tango palette (GNOME Terminal and many others), DejaVu Sans Mono. Without
# anti-aliasing: xterm draws █ from the font, and an anti-aliased █ leaves thin seams between the cells of the
# big digits (terminals like GNOME Terminal draw block characters themselves, seamlessly).
xterm_resources=(
  -xrm 'XTerm*faceName: DejaVu Sans Mono:antialias=false' -xrm 'XTerm*faceSize: 12'
  -xrm 'XTerm*renderFont: true' -xrm 'XTerm*locale: true' -xrm 'XTerm*utf8: 1'
  -xrm 'XTerm*background: #1c1c1c' -xrm 'XTerm*foreground: #d3d7cf'
  -xrm 'XTerm*color0: #2e3436' -xrm 'XTerm*color1: #cc0000' -xrm 'XTerm*color2: #4e9a06' -xrm 'XTerm*color3: #c4a000'
  -xrm 'XTerm*color4: #3465a4' -xrm 'XTerm*color5: #75507b' -xrm 'XTerm*color6: #06989a' -xrm 'XTerm*color7: #d3d7cf'
  -xrm 'XTerm*color8: #555753' -xrm 'XTerm*color9: #ef2929' -xrm 'XTerm*color10: #8ae234' -xrm 'XTerm*color11: #fce94f'
  -xrm 'XTerm*color12: #729fcf' -xrm 'XTerm*color13: #ad7fa8' -xrm 'XTerm*color14: #34e2e2' -xrm 'XTerm*color15: #eeeeec'
  -xrm 'XTerm*boldColors: false' -xrm 'XTerm*internalBorder: 10' -xrm 'XTerm*borderWidth: 0'
  -xrm 'XTerm*scrollBar: false' -xrm 'XTerm*visualBell: false' -xrm 'XTerm*cursorBlink: false'
)

# --- Driving one terminal ----------------------------------------------------------------------------------

# start_terminal NAME COLS ROWS ARGS...: runs `session-guide ARGS...` in a COLS×ROWS tmux session of a new tmux
# server, shown in an xterm, and waits until the xterm window is on the display.
start_terminal() {
  sock="$work/tmux-$1.sock"
  local cols=$2 rows=$3; shift 3
  local command
  command="exec env TERM=tmux-256color ${shot_env:-} $(printf '%q ' "$binary" "$@") --content $(printf '%q' "$repo/Content")"
  tmux -S "$sock" -f "$work/tmux.conf" new-session -d -s shot -x "$cols" -y "$rows" "$command"
  xterm "${xterm_resources[@]}" -T render-pictures-shot -geometry "${cols}x${rows}+0+0" \
    -e tmux -S "$sock" attach-session -t shot >"$work/xterm.log" 2>&1 &
  xterm_pid=$!
  local until_ms; until_ms=$(deadline 10)
  until xwininfo -name render-pictures-shot >/dev/null 2>&1 && [ "$(tmux -S "$sock" list-clients -t shot 2>/dev/null | wc -l)" -gt 0 ]; do
    kill -0 "$xterm_pid" 2>/dev/null || fail "xterm did not start: $(cat "$work/xterm.log")"
    [ "$(now_ms)" -lt "$until_ms" ] || fail "the xterm window did not appear within 10 s"
    sleep 0.05
  done
  local size; size=$(tmux -S "$sock" display-message -p -t shot '#{pane_width}x#{pane_height}')
  [ "$size" = "${cols}x${rows}" ] || fail "the terminal is $size, not ${cols}x${rows}"
}

stop_terminal() {
  tmux -S "$sock" kill-server 2>/dev/null || true
  if [ -n "$xterm_pid" ]; then
    local until_ms; until_ms=$(deadline 5)
    while kill -0 "$xterm_pid" 2>/dev/null && [ "$(now_ms)" -lt "$until_ms" ]; do sleep 0.05; done
    kill "$xterm_pid" 2>/dev/null || true
    wait "$xterm_pid" 2>/dev/null || true
    xterm_pid=""
  fi
}

screen() { tmux -S "$sock" capture-pane -p -t shot; }
keys() { tmux -S "$sock" send-keys -t shot "$@"; }

# wait_for TEXT [SECONDS]: until TEXT (a fixed string) is on screen, or fails with the screen it saw.
wait_for() {
  local text=$1 until_ms; until_ms=$(deadline "${2:-15}")
  until screen | grep -qF -- "$text"; do
    [ "$(now_ms)" -lt "$until_ms" ] || { screen >&2; fail "'$text' did not appear on screen within ${2:-15} s"; }
    sleep 0.1
  done
}

# seconds_left: the first "M:SS left" on screen (a drill's or a routine's time left), in seconds.
seconds_left() {
  screen | grep -oE '[0-9]+:[0-9]{2} left' | head -1 | awk -F'[: ]' '{print $1 * 60 + $2}'
}

# wait_for_seconds N: until the time left on screen is N seconds less than now, so a running timer is caught
# at the same moment on every run.
wait_for_seconds() {
  local start target until_ms; start=$(seconds_left)
  [ -n "$start" ] || { screen >&2; fail "no time left ('M:SS left') on screen"; }
  target=$((start - $1)); until_ms=$(deadline $(($1 + 10)))
  until [ "$(seconds_left)" = "$target" ]; do
    [ "$(now_ms)" -lt "$until_ms" ] || { screen >&2; fail "the time left did not come down to $target s"; }
    sleep 0.05
  done
}

# snap NAME: screenshots the xterm into $out/NAME.png once the screen has held still for a moment (so xterm
# has drawn it), and again if it changed while the picture was taken (a timer's tick).
snap() {
  local name=$1 file="$out/$1.png" tries=0 before settled after
  while :; do
    tries=$((tries + 1))
    [ $tries -le 10 ] || fail "$name: the screen never held still long enough to take its picture"
    # The xterm repaints every cell, so nothing of an earlier frame is left in the picture.
    tmux -S "$sock" refresh-client -t "$(tmux -S "$sock" list-clients -t shot -F '#{client_name}' | head -1)"
    before=$(screen)
    sleep 0.3
    settled=$(screen)
    [ "$before" = "$settled" ] || continue
    import -silent -window "$(xwininfo -name render-pictures-shot | awk '/Window id:/ {print $4}')" \
      -depth 8 +repage "$work/shot.png"
    after=$(screen)
    [ "$settled" = "$after" ] && break
  done
  if [ $have_pngquant = yes ]; then
    pngquant --force --skip-if-larger --speed 1 --quality 80-100 --output "$work/small.png" "$work/shot.png" 2>/dev/null &&
      mv "$work/small.png" "$work/shot.png" || true
  fi
  [ $have_optipng = no ] || optipng -quiet -o2 -strip all "$work/shot.png"
  mv "$work/shot.png" "$file"
  printf 'render-pictures: %-42s %s KB\n' "${file#"$repo"/}" $(( ($(stat -c %s "$file") + 1023) / 1024 ))
}

# --- The pictures --------------------------------------------------------------------------------------------
# Every mode runs with --reduce-motion, so that no picture catches the screen in the middle of a flash.

shot_menu() {
  start_terminal menu 80 24 --reduce-motion
  wait_for "Waiting-room"
  wait_for "Daily hip and low-back mobility"
  snap menu
  stop_terminal
}

# The first step of Treatment 8: its recap and a labelled therapist script.
shot_session_script() {
  start_terminal session-script 80 24 session treatment-08 --reduce-motion
  wait_for "Suggested Therapist Script"
  snap session-script
  stop_terminal
}

# The Cat-cow drill step (step 5, through the table of contents), its timer started with Space and left to run
# into its second rep.
shot_session_timer() {
  start_terminal session-timer 80 24 session treatment-08 --reduce-motion
  wait_for "Simple Recap"
  keys t
  wait_for "Cat-cow for spinal motion"
  keys 5
  wait_for "Step 5/9"
  keys Space
  wait_for "RUNNING"
  wait_for "Rep 2 of 10"  # 4 seconds in: each rep of Cat-cow takes 4 s
  snap session-timer
  stop_terminal
}

# Patient mode: past the safety note and the pain question, the get-ready countdown skipped (→), a few seconds
# into the first drill.
shot_routine() {
  start_terminal routine 80 24 routine daily-hip-back --reduce-motion --quiet --no-log
  wait_for "Press Space when you are ready."
  keys Space
  wait_for "how much pain do you feel right now?"
  keys 2
  wait_for "Get ready"
  keys Right
  wait_for "Drill 1 of 8"
  wait_for_seconds 3
  snap routine
  stop_terminal
}

# The waiting-room kiosk, on a larger screen as a waiting room's would be, with its first slide.
shot_kiosk() {
  start_terminal kiosk 100 30 kiosk waiting-room --reduce-motion
  wait_for "Hip mobility and your low back"
  snap kiosk
  stop_terminal
}

# The follower screen: a session shared as room-1, run off screen in a tmux server of its own, at its Cat-cow
# step with the timer running, and `follow room-1` in the terminal that is photographed.
follow_name="room-1"
shot_follow() {
  local leader="$work/tmux-follow-leader.sock"
  tmux -S "$leader" -f "$work/tmux.conf" new-session -d -s leader -x 80 -y 24 \
    "exec env TERM=tmux-256color $(printf '%q ' "$binary" session treatment-08 --share "$follow_name" --no-log --reduce-motion --content "$repo/Content")"
  start_terminal follow 80 24 follow "$follow_name" --reduce-motion
  wait_for "Mobility is controlled movement."
  tmux -S "$leader" send-keys -t leader Right Right Right Right
  wait_for "Cat-cow"
  tmux -S "$leader" send-keys -t leader Space
  wait_for "Rep 2 of 10"
  snap follow
  stop_terminal
  tmux -S "$leader" kill-server 2>/dev/null || true
}
# <<< FOLLOWER SCREEN

# The routine on a treatment room's or waiting room's big screen: 200×60, 24 s into the first drill (on the
# test clock, as the phases below).
shot_routine_large() {
  start_routine_on_clock routine-large 200 60
  echo "advance 34000" >"$work/clock"
  wait_for "· 9:43 left"
  snap routine-large
  stop_terminal
}

shot_kiosk_large() {
  start_terminal kiosk-large 200 60 kiosk waiting-room --reduce-motion
  wait_for "Hip mobility and your low back"
  snap kiosk-large
  stop_terminal
}

# One picture of each phase of a routine (docs/phases.md), at 120×40, on the program's test clock (a FIFO the
# script writes "advance N" to), so each is caught at the same moment every time. The moments, in seconds
# after the pain question is answered, and the routine's time left then (617 s in all), to wait for:
phase_moments=(
  "get-ready 3.4 10:14"   # get ready, 7 s to go
  "work 34 9:43"          # Cat-cow, counted out: REP 7/12
  "rest 63 9:14"          # the rest before Hip rocks
  "switch 218 6:39"       # Hip circles: SWITCH SIDES → RIGHT
  "hold 290 5:27"         # Hip flexor stretch, left side: HOLD · LEFT
  "final 454.5 2:43"      # Core bracing, 2.5 s left of its first set: the digits in red
)
# start_routine_on_clock NAME COLS ROWS: the routine on the test clock ($work/clock), past its safety note
# and pain question, its get-ready countdown at 0 s.
start_routine_on_clock() {
  rm -f "$work/clock"
  mkfifo "$work/clock"
  shot_env="SESSION_GUIDE_TEST_CLOCK=$(printf '%q' "$work/clock")"
  start_terminal "$1" "$2" "$3" routine daily-hip-back --reduce-motion --quiet --no-log
  shot_env=""
  wait_for "Press Space when you are ready."
  keys Space
  wait_for "how much pain do you feel right now?"
  keys 2
  wait_for "Get ready"
}

shot_phases() {
  local clock="$work/clock" entry name at left previous=0
  start_routine_on_clock phases 120 40
  for entry in "${phase_moments[@]}"; do
    read -r name at left <<<"$entry"
    local ms; ms=$(awk -v a="$at" 'BEGIN { printf "%d", a * 1000 }')
    echo "advance $((ms - previous))" >"$clock"
    previous=$ms
    wait_for "· $left left"
    snap "phase-$name"
  done
  stop_terminal
}

started=$SECONDS
for shot in "${shots[@]}"; do
  "shot_${shot//-/_}"
done
echo "render-pictures: done in $((SECONDS - started)) s"
