#!/usr/bin/env bash
# Cold start of a built Linux bundle, as a person sees it: seconds from launching the
# program to its main window on screen (vault key remembered in the keyring, so no
# passphrase is typed), on a real X server (Xvfb) with a throwaway D-Bus session and an
# unlocked GNOME Keyring. Also times `--self-test` and `--version`.
#
#   bash packaging/measure_startup.sh [dist/supervision-desktop/supervision-desktop]
# Needs xvfb-run, xwininfo (x11-utils), dbus-run-session and gnome-keyring-daemon.
set -euo pipefail
exe=$(realpath "${1:-dist/supervision-desktop/supervision-desktop}")
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset QT_QPA_PLATFORM

exec dbus-run-session -- xvfb-run -a bash -c '
  set -euo pipefail
  exe=$1 scratch=$2
  printf "%s" throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  now() { date +%s.%N; }
  since() { printf "%.2f" "$(echo "$(now) - $1" | bc)"; }

  start=$(now); "$exe" --version >/dev/null
  echo "--version:               $(since "$start") s"
  start=$(now); QT_QPA_PLATFORM=offscreen "$exe" --self-test >/dev/null
  echo "--self-test (offscreen): $(since "$start") s"

  SUPERVISION_PASSPHRASE="measure: copper, orchard, lantern, fjord" \
    "$exe" --vault "$scratch/vault" init --name "Sam Measure" --remember >/dev/null
  start=$(now)
  "$exe" --vault "$scratch/vault" & pid=$!
  until xwininfo -root -tree 2>/dev/null | grep -q "Supervision Desktop — Sam Measure"; do
    kill -0 $pid 2>/dev/null || { echo "the program exited" >&2; exit 1; }
    sleep 0.02
  done
  echo "to the main window:      $(since "$start") s (key from the keyring, on X11)"
  kill $pid; wait $pid 2>/dev/null || true
' bash "$exe" "$scratch"
