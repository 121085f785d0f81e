#!/usr/bin/env bash
# Tries the .deb on a clean, minimal Debian, as a clinic's IT person would: makes the system with debootstrap
# (from this machine's own Debian package source), installs the package with apt-get (which brings its
# dependencies), runs list, check, print, a full-screen session in tmux for a few keys and `man session-guide`,
# removes the package and shows that a user's history stays; then deletes the system. Takes a few minutes and
# needs root. Not part of `swift test`.
#
#   sudo scripts/try-deb-on-clean-system.sh .build-deb/session-guide_*.deb
set -euo pipefail
deb=$(realpath "${1:?usage: scripts/try-deb-on-clean-system.sh PATH/TO/session-guide_VERSION_ARCH.deb}")
[ "$(id -u)" -eq 0 ] || { echo "needs root (debootstrap and chroot)" >&2; exit 77; }
command -v debootstrap >/dev/null || { echo "needs debootstrap: apt-get install debootstrap" >&2; exit 69; }

suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
mirror=${mirror:-$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)}
mirror=${mirror:-http://deb.debian.org/debian}
system=$(mktemp -d /tmp/clean-debian.XXXXXX)
chmod 755 "$system"  # apt's _apt user downloads into it
cleanup() {
  for mount in dev/pts dev proc sys; do umount -l "$system/$mount" 2>/dev/null || true; done
  rm -rf "$system"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
inside() { chroot "$system" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=xterm-256color PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }

step "debootstrap --variant=minbase $suite from $mirror"
debootstrap --variant=minbase "$suite" "$system" "$mirror" > "$system.debootstrap.log" 2>&1 \
  || { tail -20 "$system.debootstrap.log"; exit 1; }
rm -f "$system.debootstrap.log"
mount -t proc proc "$system/proc"
mount -t sysfs sys "$system/sys"
mount --bind /dev "$system/dev"
mount --bind /dev/pts "$system/dev/pts"
cp /etc/resolv.conf "$system/etc/resolv.conf"
cp "$deb" "$system/tmp/"

step "apt-get install ./$(basename "$deb") (and tmux and man-db, to try it)"
inside apt-get update -qq
inside env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "/tmp/$(basename "$deb")" tmux man-db > /dev/null
inside dpkg -s session-guide | grep -E '^(Version|Depends|Installed-Size):'

step "session-guide list"
inside session-guide list
step "session-guide check"
inside session-guide check
step "session-guide print treatment-08 (first lines)"
inside session-guide print treatment-08 | head -12
step "a full-screen session in tmux: step 1, → to step 2, q"
inside tmux new-session -d -s try -x 80 -y 24 "session-guide session treatment-08 --patient AB; echo EXIT=\$?; sleep 30"
sleep 2
inside tmux capture-pane -p -t try | sed -n '1,6p'
inside tmux send-keys -t try Right
sleep 1
inside tmux capture-pane -p -t try | grep -m1 "Step 2/" || { echo "step 2 was not shown"; exit 1; }
inside tmux send-keys -t try q
sleep 2
inside tmux capture-pane -p -t try | grep -E "EXIT=0" || { inside tmux capture-pane -p -t try; exit 1; }
inside tmux kill-server || true
step "a history on a server without libpq5 (a Recommends, left out here): a clear message, exit 74"
set +e
said=$(inside session-guide history --history "postgres://clinic@127.0.0.1:9/records" 2>&1)
status=$?
set -e
echo "$said (exit $status)"
[ "$status" -eq 74 ] && grep -q "libpq5" <<<"$said" || { echo "expected exit 74 and a word about libpq5"; exit 1; }
step "man session-guide (first lines)"
inside env MANWIDTH=80 man --warnings session-guide 2>&1 | head -12
step "the kiosk's unit is installed, not enabled, and systemd-analyze verify passes on it"
ls -l "$system/lib/systemd/system/session-guide-kiosk.service"
if command -v systemd-analyze >/dev/null; then
  verify=$(systemd-analyze verify --root="$system" --recursive-errors=no --man=no \
    /lib/systemd/system/session-guide-kiosk.service 2>&1) || { echo "$verify"; exit 1; }
  [ -z "$verify" ] && echo "systemd-analyze verify: no findings" || { echo "$verify"; exit 1; }
fi
enabled=$(find "$system/etc/systemd/system" -name 'session-guide*' 2>/dev/null)
[ -z "$enabled" ] && echo "not enabled (no link to it under /etc/systemd/system)" || { echo "enabled: $enabled"; exit 1; }

step "apt-get remove session-guide: the user's history stays"
ls -l "$system/root/.local/state/session-guide/history.sqlite"
inside env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq session-guide > /dev/null
test ! -e "$system/usr/bin/session-guide" && echo "/usr/bin/session-guide removed"
ls -l "$system/root/.local/state/session-guide/history.sqlite"
step "passed"
