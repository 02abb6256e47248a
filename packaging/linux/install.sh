#!/usr/bin/env sh
# Install (or remove) the Linux bundle for this user, or for everyone with --system.
#
#   sh install.sh [--system] [BUNDLE_DIR]        # BUNDLE_DIR: the unpacked supervision-desktop/
#   sh install.sh [--system] --uninstall
#
# Per user: program in ~/.local/opt/supervision-desktop, command in ~/.local/bin, menu
# entry and icons under ~/.local/share. With --system (as root): /opt, /usr/local/bin,
# /usr/local/share. Uninstalling removes the program files only: the vault
# (~/.local/share/SupervisionDesktop/vault) is never touched.
set -eu

APP_ID=org.supervisiondesktop.SupervisionDesktop
here=$(cd "$(dirname "$0")" && pwd)
scope=user
action=install
bundle=""
for arg in "$@"; do
  case "$arg" in
    --system) scope=system ;;
    --uninstall) action=uninstall ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) bundle=$arg ;;
  esac
done

if [ "$scope" = system ]; then
  opt=/opt/supervision-desktop; bin=/usr/local/bin; share=/usr/local/share
else
  opt="$HOME/.local/opt/supervision-desktop"; bin="$HOME/.local/bin"
  share="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
icons="$share/icons/hicolor"

if [ "$action" = uninstall ]; then
  rm -rf "$opt"
  rm -f "$bin/supervision-desktop" "$share/applications/$APP_ID.desktop" \
        "$share/metainfo/$APP_ID.metainfo.xml" "$icons/scalable/apps/$APP_ID.svg"
  for size in 16 32 48 64 128 256; do rm -f "$icons/${size}x${size}/apps/$APP_ID.png"; done
  echo "Removed Supervision Desktop. Your vault and records were not touched."
  exit 0
fi

# The bundle: given, or this script's folder (a release archive), or the build output.
for candidate in "$bundle" "$here" "$here/../../dist/supervision-desktop"; do
  if [ -n "$candidate" ] && [ -x "$candidate/supervision-desktop" ]; then
    bundle=$(cd "$candidate" && pwd); break
  fi
done
[ -x "$bundle/supervision-desktop" ] || { echo "No bundle found; give its folder." >&2; exit 1; }
resources="$bundle/_internal/resources/icons"
meta="$here"
[ -f "$meta/$APP_ID.desktop" ] || meta="$bundle"

mkdir -p "$opt" "$bin" "$share/applications" "$share/metainfo" "$icons/scalable/apps"
if [ "$bundle" != "$(cd "$opt" && pwd)" ]; then
  rm -rf "$opt" && cp -a "$bundle" "$opt"
fi
ln -sf "$opt/supervision-desktop" "$bin/supervision-desktop"
sed "s|^Exec=.*|Exec=$opt/supervision-desktop|; s|^TryExec=.*|TryExec=$opt/supervision-desktop|" \
  "$meta/$APP_ID.desktop" > "$share/applications/$APP_ID.desktop"
cp "$meta/$APP_ID.metainfo.xml" "$share/metainfo/"
cp "$resources/supervision-desktop.svg" "$icons/scalable/apps/$APP_ID.svg"
for size in 16 32 48 64 128 256; do
  mkdir -p "$icons/${size}x${size}/apps"
  cp "$resources/supervision-desktop-$size.png" "$icons/${size}x${size}/apps/$APP_ID.png"
done
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$share/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" || true
"$opt/supervision-desktop" --version
echo "Installed in $opt. Start it from the menu (Supervision Desktop) or run supervision-desktop."
