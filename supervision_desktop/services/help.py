"""What Help shows: the user guide (the README's user part) and About (version, the
libraries and fonts the application carries, with their licences). No Qt: the GUI
renders it, tests read it."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from importlib import metadata

from supervision_desktop import __version__, paths

# The README's sections written for the person using the app, in the guide's order.
USER_SECTIONS = (
    "Keyboard",
    "Where your data lives",
    "Unlocking, locking and recovery",
    "What is due",
    "Foster carers",
    "Backups, transfer, retention and the audit log",
    "Signed PDF records",
    "Templates",
)
# What the app is built on, as About lists it (the distribution names on PyPI).
LIBRARIES = (
    "PySide6-Essentials", "SQLAlchemy", "sqlcipher3", "alembic", "pydantic", "PyYAML",
    "keyring", "argon2-cffi", "cryptography", "platformdirs", "reportlab", "pyHanko",
    "uharfbuzz", "python-bidi", "holidays", "python-dateutil", "zxcvbn", "icalendar",
    "pypdfium2", "pyspellchecker",
)
# Licences a distribution's metadata does not state (read from its own licence file).
STATED_ELSEWHERE = {"sqlcipher3": "zlib licence; SQLCipher itself: BSD-style (Zetetic)"}
FONT_LICENCES = (
    ("DejaVu Sans (regular, bold, oblique) 2.37", "Bitstream Vera and Arev licence"),
    ("Droid Sans Fallback", "Apache License 2.0"),
    ("Symbola 2.60", "free for any use"),
)


def _sections(markdown: str) -> dict[str, str]:
    """The README's ``## `` sections by heading, each with its heading line."""
    parts = re.split(r"(?m)^(?=## )", markdown)
    return {part.splitlines()[0][3:].strip(): part.rstrip() + "\n"
            for part in parts if part.startswith("## ")}


def user_guide() -> str:
    """The user guide as Markdown: the README's user sections. Says where it went if the
    README is missing (a damaged install), rather than failing."""
    path = paths.user_guide_file()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ("# Supervision Desktop\n\nThe user guide could not be read from "
                f"{path}. Reinstall the application, or ask your IT service desk.\n")
    found = _sections(text)
    chosen = [found[name] for name in USER_SECTIONS if name in found]
    return f"# Supervision Desktop {__version__}: user guide\n\n" + "\n".join(chosen)


@dataclass(frozen=True)
class Library:
    name: str
    version: str
    licence: str


def _licence(meta: metadata.PackageMetadata) -> str:
    """The licence a distribution declares: its SPDX expression, else its classifiers,
    else the first line of its free-text licence."""
    data = meta.json
    expression = data.get("license_expression")
    if isinstance(expression, str) and expression:
        return expression
    classifiers = data.get("classifier", [])
    named = [c.rsplit(" :: ", 1)[-1] for c in classifiers if c.startswith("License :: ")]
    if named:
        return ", ".join(named)
    text = data.get("license")
    if isinstance(text, str) and text.strip():
        return text.strip().splitlines()[0][:60]
    return "see the library's own files"


def libraries() -> list[Library]:
    """Each library About names, its installed version and licence."""
    found = []
    for name in LIBRARIES:
        try:
            meta = metadata.metadata(name)
        except metadata.PackageNotFoundError:  # a bundle keeps few packages' metadata
            found.append(Library(name, "bundled", "see the library's own files"))
            continue
        found.append(Library(name, meta["Version"],
                             STATED_ELSEWHERE.get(name) or _licence(meta)))
    return found


def about_text(qt_version: str) -> str:
    """About, as plain text lines (the GUI shows them in a dialog)."""
    python = ".".join(str(n) for n in sys.version_info[:3])
    lines = [f"Supervision Desktop {__version__}",
             "Offline, encrypted supervision records for UK children's social care.",
             "", f"Python {python}, Qt {qt_version}", "", "Libraries:"]
    lines += [f"  {lib.name} {lib.version} — {lib.licence}" for lib in libraries()]
    lines += ["", "Fonts in exported PDFs (their licence files are in resources/fonts):"]
    lines += [f"  {font} — {licence}" for font, licence in FONT_LICENCES]
    lines += ["", "Spelling: SCOWL's British English word list (Kevin Atkinson and others) — "
                  "permissive licence, in resources/dictionaries/LICENCE-SCOWL.txt"]
    return "\n".join(lines)
