#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the test suite needs, if any are missing:
# poppler-utils (pdfsig, pdftotext: the independent PDF checks), gnome-keyring and dbus
# (a real Secret Service for the keyring tests), the libraries Qt needs offscreen and on
# X11 (the xcb ones are also what the Linux bundle carries), desktop-file-utils and
# appstream (validating the Linux menu entry and metadata), binutils (PyInstaller),
# at-spi2-core and python3-pyatspi (reading the forms as a screen reader does:
# tests/test_atspi_tree.py).
# Needs root (or sudo) and apt-get; elsewhere it names what to install and stops.
set -euo pipefail

packages=(poppler-utils gnome-keyring dbus-daemon dbus-x11 libsecret-tools
          libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libglib2.0-0
          libdbus-1-3 libxcb-cursor0 xvfb
          libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0
          libxcb-xinerama0 libxcb-xkb1 libxcb-randr0 desktop-file-utils appstream binutils
          at-spi2-core python3-pyatspi)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need these packages (or your system's equivalents): ${missing[*]}" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "Install as root: apt-get install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "Installing test packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
