#!/usr/bin/env bash
# Inside a D-Bus session: Xvfb, the AT-SPI bus, the probe app (xcb, bridge on), then the
# system Python's pyatspi reading the tree. Prints the JSON; exit 1 if it could not.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
display=":$((90 + RANDOM % 800))"
Xvfb "$display" -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb ${app:-} 2>/dev/null || true' EXIT
export DISPLAY="$display" QT_QPA_PLATFORM=xcb QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1
/usr/libexec/at-spi-bus-launcher --launch-immediately >/dev/null 2>&1 &
for _ in $(seq 50); do [ -S "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done
"$PYTHON" "$here/show_forms.py" 120 2>/dev/null &
app=$!
/usr/bin/python3 "$here/read_tree.py" "$1" 60
