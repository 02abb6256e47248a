"""What the installers ship: Linux menu entry and AppStream metadata, icons, Windows script.

Building the bundle itself is CI's job (``python packaging/build.py --self-test`` in
``.ci/run``); these checks are quick and run with the suite.
"""

from __future__ import annotations

import configparser
import re
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from supervision_desktop import __version__, paths

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
APP_ID = "org.supervisiondesktop.SupervisionDesktop"
DESKTOP = PACKAGING / "linux" / f"{APP_ID}.desktop"
METAINFO = PACKAGING / "linux" / f"{APP_ID}.metainfo.xml"
ISS = PACKAGING / "windows" / "supervision-desktop.iss"


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  (keys are case-sensitive)
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_menu_entry_is_valid() -> None:
    result = _run("desktop-file-validate", str(DESKTOP))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""  # not even a hint


def test_the_appstream_metadata_is_valid() -> None:
    result = _run("appstreamcli", "validate", "--no-net", str(METAINFO))
    assert result.returncode == 0, result.stdout + result.stderr


def test_menu_entry_metadata_and_app_agree_on_one_id_icon_and_version() -> None:
    entry = _desktop_entry()
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.find("launchable").text == DESKTOP.name  # type: ignore[union-attr]
    assert component.findtext("icon") == entry["Icon"] == APP_ID
    assert component.find("provides/binary").text == entry["Exec"]  # type: ignore[union-attr]
    releases = [r.get("version") for r in component.iterfind("releases/release")]
    assert releases[0] == __version__, "add this version to the metainfo's releases"
    assert entry["StartupWMClass"] == "supervision-desktop"  # Qt's class: the executable name
    from supervision_desktop.ui.shell import app

    assert app.APP_ID == APP_ID  # the running window is matched to the menu entry


def test_icons_are_shipped_at_the_sizes_desktops_ask_for() -> None:
    icons = paths.icons_dir()
    svg = ET.parse(icons / "supervision-desktop.svg").getroot()
    assert svg.get("viewBox") == "0 0 256 256"
    for size in (16, 32, 48, 64, 128, 256):
        assert _png_size(icons / f"supervision-desktop-{size}.png") == (size, size)
    ico = (icons / "supervision-desktop.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count >= 4  # an icon file with several sizes


@pytest.mark.gui
def test_the_window_icon_is_the_app_icon(qapp: object) -> None:
    from supervision_desktop.ui.shell.app import app_icon

    icon = app_icon()
    assert not icon.isNull()
    sizes = {(s.width(), s.height()) for s in icon.availableSizes()}
    assert {(48, 48), (128, 128), (256, 256)} <= sizes


def _iss_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in ISS.read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        if not line or line.startswith(";"):
            continue
        match = re.fullmatch(r"\[(\w+)\]", line)
        if match:
            current = match.group(1)
            sections.setdefault(current, [])
        elif current:
            sections[current].append(line)
    return sections


def test_windows_installer_never_deletes_the_vault() -> None:
    sections = _iss_sections()
    setup = "\n".join(sections["Setup"])
    assert "PrivilegesRequired=lowest" in setup  # per user unless /ALLUSERS
    assert "PrivilegesRequiredOverridesAllowed=commandline dialog" in setup
    assert any("{autoprograms}" in line for line in sections["Icons"])  # Start menu entry
    # The vault lives in %LOCALAPPDATA%\SupervisionDesktop: uninstalling removes program
    # files only, so nothing in the script may delete anything outside {app}.
    for name in ("UninstallDelete", "InstallDelete", "UninstallRun"):
        for line in sections.get(name, []):
            assert "{app}" in line and "appdata" not in line.lower(), line
    assert "Code" not in sections  # no script that could reach the vault either


def _fake_bundle(folder: Path) -> Path:
    """A stand-in for the built Linux bundle: the real icons, a program that says its version."""
    import shutil

    bundle = folder / "supervision-desktop"
    shutil.copytree(paths.icons_dir(), bundle / "_internal" / "resources" / "icons")
    program = bundle / "supervision-desktop"
    program.write_text(f"#!/bin/sh\necho supervision-desktop {__version__}\n")
    program.chmod(0o755)
    for path in (PACKAGING / "linux").iterdir():
        shutil.copy2(path, bundle / path.name)  # what build.py puts beside the program
    return bundle


def test_linux_install_adds_a_menu_entry_and_uninstall_leaves_the_vault(tmp_path: Path) -> None:
    home = tmp_path / "home"
    vault = home / ".local" / "share" / "SupervisionDesktop" / "vault"
    vault.mkdir(parents=True)
    (vault / "vault.key").write_text("the only copy")
    bundle = _fake_bundle(tmp_path)
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    installed = subprocess.run(["sh", str(bundle / "install.sh")], env=env, capture_output=True,
                               text=True, timeout=60, check=False)
    assert installed.returncode == 0, installed.stderr
    assert f"supervision-desktop {__version__}" in installed.stdout
    entry = home / ".local" / "share" / "applications" / DESKTOP.name
    assert _run("desktop-file-validate", str(entry)).returncode == 0
    program = home / ".local" / "opt" / "supervision-desktop" / "supervision-desktop"
    assert f"Exec={program}" in entry.read_text()
    assert (home / ".local" / "bin" / "supervision-desktop").resolve() == program
    icon = home / ".local" / "share" / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png"
    assert _png_size(icon) == (256, 256)

    removed = subprocess.run(["sh", str(bundle / "install.sh"), "--uninstall"], env=env,
                             capture_output=True, text=True, timeout=60, check=False)
    assert removed.returncode == 0, removed.stderr
    assert not program.exists() and not entry.exists() and not icon.exists()
    assert (vault / "vault.key").read_text() == "the only copy"
