#!/usr/bin/env bash
# The whole test suite, headless: Qt offscreen, and a throwaway D-Bus session with an
# unlocked GNOME Keyring so the keyring tests use a real Secret Service.
# Installs what it needs first (system packages via tests/system-packages.sh, then the
# project with its test extras), lints (import contracts, ruff, mypy), then runs pytest;
# extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/system-packages.sh
python3 -c "import supervision_desktop, pytestqt, importlinter, mypy, ruff, pypdfium2, spellchecker
from importlib.metadata import version; version('types-reportlab')" 2>/dev/null \
  || python3 -m pip install --quiet -e ".[test]"

lint-imports --no-cache
# STYLE §16: any new ruff finding or mypy error fails the run (config in pyproject.toml)
python3 -m ruff check --quiet .
python3 -m mypy

export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export HOME="$scratch/home" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"

exec dbus-run-session -- bash -c '
  # an unlocked "login" keyring, so Secret Service writes need no prompt
  printf "%s" "throwaway-test-keyring" \
    | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  # tests/test_keyring.py writes to a Secret Service only on this bus
  export SUPERVISION_TEST_KEYRING_BUS="$DBUS_SESSION_BUS_ADDRESS"
  exec python3 -m pytest "$@"
' bash "$@"
