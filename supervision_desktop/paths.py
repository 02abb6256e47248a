"""Every folder the application uses, resolved in one place.

Resources are found in a PyInstaller bundle, inside the installed package (a wheel
carries resources/ as supervision_desktop/resources: pyproject.toml), or in a source
checkout's top-level resources/; the vault folder defaults to the platform's user data
folder and is overridden by ``--vault DIR``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "SupervisionDesktop"


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    package = Path(__file__).resolve().parent
    installed = package / "resources"
    return installed if installed.is_dir() else package.parent / "resources"


def templates_dir() -> Path:
    return resources_dir() / "templates"


def policies_dir() -> Path:
    return resources_dir() / "policies"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def icons_dir() -> Path:
    return resources_dir() / "icons"


def default_vault_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "vault"


def machine_ca_dir() -> Path:
    """The machine-wide folder of agency CA certificates, installed by IT (admin rights).

    Deliberately not from an environment variable or a per-user folder (nor from
    platformdirs' site folders on Linux, which follow ``$XDG_CONFIG_DIRS``): whoever can
    set those could make any certificate "trusted".
    """
    return _machine_dir() / "ca"


def _machine_dir() -> Path:
    """The machine-wide folder IT fills (administrator rights needed to write it)."""
    if sys.platform == "win32":
        return Path(platformdirs.site_data_dir(APP_NAME, appauthor=False))
    if sys.platform == "darwin":
        return Path("/Library/Application Support") / APP_NAME
    return Path("/etc/xdg") / APP_NAME


def machine_agency_dir() -> Path:
    """Where IT installs the agency pack for everyone on this computer (a folder holding
    agency.yaml, or one .zip of it)."""
    return _machine_dir() / "agency"


def user_agency_dir() -> Path:
    """A pack for this user only (used when the machine-wide folder holds none)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "agency"


def user_guide_file() -> Path:
    """The README, whose user sections are the in-app guide: a wheel and the bundle carry
    it in resources/ (pyproject.toml, the .spec); a checkout reads its own."""
    shipped = resources_dir() / "README.md"
    return shipped if shipped.is_file() else Path(__file__).resolve().parent.parent / "README.md"


def agencies_dir() -> Path:
    """The example packs shipped with the app, one per organisation."""
    return resources_dir() / "agencies"


def logs_dir() -> Path:
    """Crash reports (no record content; see crash.py), beside the vault's folder."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "logs"


def crash_log_file() -> Path:
    return logs_dir() / "crash.log"
