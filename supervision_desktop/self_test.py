"""``supervision-desktop --self-test``: the smoke test for every build, run without a display.

In a temporary folder it does what a person does on the first day, through the same
services and widgets the application uses: checks the shipped templates, policies, fonts
and icons load, creates a vault with a passphrase (no keyring), adds a supervisee, fills
a form in the real form view (Qt offscreen), saves and finalises the record, opens the
main window on it, exports the signed PDF, verifies it with the app's own verifier, and
reopens the vault with the passphrase. One line per step with its time; exit 0 when all
pass, 1 naming the first step that failed. Nothing outside the temporary folder is
touched: not the user's vault, not the keyring, not their settings.

It is a composition root like ``__main__`` (it builds Qt widgets), so it sits beside it
rather than under ``cli``.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

EXIT_FAILED = 1
TEMPLATE_ID = "staff-supervision-social-worker"
PASSPHRASE = "self test: kettle, lantern, harbour, quince"
OWNER = "Robin Selftest"  # fictional
SUPERVISEE = {"name": "Jordan Example", "job_title": "Social worker",
              "staff_group": "social_worker", "start_date": "2026-09-01",
              "supervisor": OWNER}
SESSION_DATE = "2026-11-22"
# Welsh, Polish, Arabic (shaped), Chinese and emoji: every shipped font is exercised.
TEXT = "Dŵr ŷ Łódź مرحبا 你好 👍 & <b>not markup</b>"
# The platform's keyring backend (an entry point keyring finds through package metadata)
# and the library it talks through: both must be in the bundle.
KEYRING_BACKENDS = {
    "linux": ("SecretService", "secretstorage"),
    "win32": ("Windows", "win32ctypes.pywin32.win32cred"),
    "darwin": ("macOS", "keyring.backends.macOS.api"),
}


@dataclass
class _State:
    """What one step leaves for the next."""

    folder: Path
    vault: Any = None
    person_id: str = ""
    template: Any = None
    values: dict[str, Any] = field(default_factory=dict)
    record_id: str = ""
    pdf: Path | None = None
    app: Any = None


class StepFailed(Exception):
    """A check inside a step did not hold; the message says what."""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


# --- the values a person would type --------------------------------------------------


def _sample(kind: str, options: tuple[str, ...], text: str) -> Any:
    simple: dict[str, Any] = {"date": SESSION_DATE, "time": "14:30", "duration": 90,
                              "yesno": True}
    if kind in ("text", "longtext", "person"):
        return text
    if kind == "choice":
        return options[0]
    if kind == "multichoice":
        return list(options[:2])
    return simple[kind]


def sample_values(template: Any) -> dict[str, Any]:
    """A value for every field of the template, in the shapes validate_values accepts."""
    from supervision_desktop.domain.templates import FieldKind

    values: dict[str, Any] = {}
    for item in template.fields():
        if item.kind is FieldKind.TABLE:
            labels = item.preset_rows or ("",)
            rows = []
            for number, label in enumerate(labels, start=1):
                row = {c.id: _sample(c.kind.value, c.options, f"{TEXT} {number}")
                       for c in item.columns}
                if label:
                    row[item.columns[0].id] = label
                rows.append(row)
            values[item.id] = rows
        elif item.kind is FieldKind.SIGNATURE:
            values[item.id] = {"name": OWNER, "role": item.signer or "", "date": SESSION_DATE,
                               "strokes": [[[10, 10], [50, 40], [120, 20]]]}
        else:
            values[item.id] = _sample(item.kind.value, item.options, TEXT)
    return values


# --- the steps -----------------------------------------------------------------------


def step_resources(state: _State) -> str:
    from supervision_desktop import paths
    from supervision_desktop.services import agency, compliance, templates

    catalogue = templates.catalogue()
    count = len(catalogue.templates)
    _check(count > 0, f"no templates in {paths.templates_dir()}")
    if catalogue.errors:
        raise StepFailed(f"a shipped template does not load: {catalogue.errors[0]}")
    state.template = templates.get_template(TEMPLATE_ID)
    profiles = compliance.profile_ids()
    _check(compliance.DEFAULT_PROFILE in profiles, f"no policy profiles in {paths.policies_dir()}")
    icons = sorted(p.name for p in paths.icons_dir().glob("*.png"))
    _check(bool(icons), f"no icons in {paths.icons_dir()}")
    organisations = agency.shipped_organisations()
    for organisation in organisations:  # each example pack loads, with every form it names
        agency.load(paths.agencies_dir() / organisation)
    _check(bool(organisations), f"no example agency packs in {paths.agencies_dir()}")
    from supervision_desktop.services import help as help_service

    guide = help_service.user_guide()
    _check("## Unlocking, locking and recovery" in guide,
           f"the user guide is not in {paths.user_guide_file()}")
    from supervision_desktop.domain.spelling import Speller
    from supervision_desktop.services import spelling

    words = spelling.shipped_words()
    _check(Speller(words).misspelt("The carer's colleauges") == [(12, 10)],
           "the spelling dictionary does not read right")
    return (f"{count} templates, {len(profiles)} policy profiles, {len(icons)} icons, "
            f"{len(organisations)} agency packs, the user guide, {len(words):,} words")


def step_fonts(_state: _State) -> str:
    from supervision_desktop.export.pdf import fonts

    coverage = fonts.register_fonts()
    covered = set().union(*(c.codepoints for c in coverage))
    uncovered = sorted({char for char in TEXT if not char.isspace() and ord(char) not in covered})
    _check(not uncovered, f"no shipped font has the glyphs for {''.join(uncovered)!r}")
    used = {font for font, _text in fonts.split_runs(TEXT)}
    import uharfbuzz  # noqa: F401  (Arabic shaping: a compiled module the bundle must carry)

    return f"{len(coverage)} fonts, {len(used)} used for mixed scripts"


def step_keyring_backend(_state: _State) -> str:
    """keyring finds its backends by entry point: a bundle without the metadata has none."""
    import importlib
    from importlib.metadata import entry_points

    name, library = KEYRING_BACKENDS.get(sys.platform, KEYRING_BACKENDS["linux"])
    found = {point.name: point for point in entry_points(group="keyring.backends")}
    _check(name in found, f"keyring has no {name} backend (found: {sorted(found)})")
    found[name].load()
    importlib.import_module(library)
    return f"{name} via {library}"


def step_create_vault(state: _State) -> str:
    from supervision_desktop.services import vault_access
    from supervision_desktop.store.engine import is_plaintext
    from supervision_desktop.store.vault import database_path

    created = vault_access.create_vault(state.folder, owner_name=OWNER, role="supervisor",
                                        passphrase=PASSPHRASE)
    state.vault = created.vault
    _check(bool(created.recovery_key), "no recovery key was made")
    _check(not is_plaintext(database_path(state.folder)), "the database is not encrypted")
    return f"SQLCipher, schema {state.vault.schema_revision}"


def step_add_person(state: _State) -> str:
    from supervision_desktop.services import people

    person = people.add_person(state.vault, "supervisee", SUPERVISEE)
    state.person_id = person.id
    _check(people.get_person(state.vault, person.id).name == SUPERVISEE["name"],
           "the supervisee did not read back")
    return "a supervisee"


def _qt_message(_mode: Any, _context: Any, message: str) -> None:
    """Qt's own warnings go to stderr, less the offscreen platform's note on window hints."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def _qt_app(state: _State) -> Any:
    if state.app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtCore import qInstallMessageHandler
        from PySide6.QtWidgets import QApplication

        qInstallMessageHandler(_qt_message)

        state.app = QApplication.instance() or QApplication(sys.argv[:1])
    return state.app


def step_form(state: _State) -> str:
    from supervision_desktop.domain.templates import validate_values
    from supervision_desktop.ui.forms import FormView, load_choices

    app = _qt_app(state)
    template = state.template
    view = FormView(template, load_choices(state.vault, template.subject_kind))
    try:
        view.set_subject(state.person_id, SUPERVISEE["name"])
        view.set_session_date(SESSION_DATE)
        view.set_values(sample_values(template))
        view.show()
        app.processEvents()
        state.values = view.values()
        missing = [f.id for f in template.fields()
                   if f.id not in state.values and not f.asked_in_header]
        _check(not missing, f"the form gave back no value for {missing}")
        problems = validate_values(template, state.values)
        _check(not problems, "the form's values are not valid: " + "; ".join(problems))
        _check(view.subject_id() == state.person_id, "the form lost who the record is about")
        _check(view.session_date() == SESSION_DATE, "the form lost the session date")
    finally:
        view.close()
        view.deleteLater()
        app.processEvents()
    return f"{template.title}: {len(state.values)} fields filled"


def step_finalise(state: _State) -> str:
    from supervision_desktop.services import lifecycle, records

    state.record_id = records.create_record(state.vault, state.template,
                                            subject_id=state.person_id,
                                            session_date=SESSION_DATE)
    records.save_draft(state.vault, state.record_id, state.values)
    finalised = lifecycle.finalise(state.vault, state.record_id)
    _check(lifecycle.check_chain(state.vault, state.record_id).intact,
           "the record's hash chain does not check")
    from_header = {"session_date": SESSION_DATE, "subject": SUPERVISEE["name"]}
    saved = {**state.values, **{f.id: from_header[str(f.fills)]
                                for f in state.template.fields() if f.asked_in_header}}
    _check(records.get_record(state.vault, state.record_id).fields == saved,
           "the record did not read back as saved (with its date and subject from the "
           "header)")
    return f"version {finalised.version}, SHA-256 {finalised.content_hash[:12]}…"


def step_main_window(state: _State) -> str:
    from PySide6.QtCore import QThreadPool

    from supervision_desktop.services import templates
    from supervision_desktop.store.keyring_cache import MemoryKeyring
    from supervision_desktop.ui.shell.app import app_icon
    from supervision_desktop.ui.shell.main_window import MainWindow

    app = _qt_app(state)
    icon = app_icon()
    _check(not icon.isNull() and len(icon.availableSizes()) >= 3, "the window icon is missing")
    window = MainWindow(state.vault, templates.catalogue(), MemoryKeyring(), owner_name=OWNER)
    try:
        window.setWindowIcon(icon)
        window.show()
        window.open_record(state.record_id)
        app.processEvents()
        QThreadPool.globalInstance().waitForDone(30_000)
        app.processEvents()
        _check(window.isVisible(), "the main window did not show")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
        QThreadPool.globalInstance().waitForDone(30_000)
    return f"opened on the finalised record, icon at {len(icon.availableSizes())} sizes"


def step_export(state: _State) -> str:
    from supervision_desktop.services.export import export_record

    written = export_record(state.vault, state.record_id, state.folder.parent / "export")
    _check(len(written) == 1, f"expected one PDF, got {len(written)}")
    state.pdf = written[0]
    data = state.pdf.read_bytes()
    _check(data.startswith(b"%PDF-"), "the export is not a PDF")
    return f"{len(data) // 1024} KiB, signed"


def step_print(state: _State) -> str:
    """The signed PDF through the print path (PDFium draws each page) to a PDF printer."""
    from PySide6.QtPrintSupport import QPrinter

    from supervision_desktop.ui.common.printing import print_pdf_pages

    _qt_app(state)
    assert state.pdf is not None
    out = state.folder.parent / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(96)
    pages = print_pdf_pages(printer, state.pdf.read_bytes())
    _check(pages > 0 and out.read_bytes().startswith(b"%PDF-"), "nothing was printed")
    return f"{pages} page{'s' if pages != 1 else ''} drawn by PDFium"


def step_verify(state: _State) -> str:
    from supervision_desktop.services.verify import verify_file

    assert state.pdf is not None
    result = verify_file(state.pdf, state.vault)
    _check(result.ok, f"the signature does not verify: {result.report.summary}")
    match = result.vault_match
    _check(match is not None and match.found and match.signed_here
           and match.record_id == state.record_id,
           "the PDF does not match the record in the vault")
    tampered = bytearray(state.pdf.read_bytes())
    tampered[len(tampered) // 3] ^= 0x01  # one bit, inside the signed bytes
    changed = state.pdf.with_name("changed.pdf")
    changed.write_bytes(bytes(tampered))
    _check(not verify_file(changed).ok, "a changed copy still verifies")
    return "signature intact, matches the vault; a changed copy fails"


def step_reopen(state: _State) -> str:
    from supervision_desktop.services import records, vault_access

    state.vault.close()
    state.vault = None
    state.vault = vault_access.unlock_with_passphrase(state.folder, PASSPHRASE).vault
    summaries = records.list_records(state.vault)
    _check([s.id for s in summaries] == [state.record_id], "the record is not in the vault")
    return "passphrase unlock, record present"


STEPS: tuple[tuple[str, Callable[[_State], str]], ...] = (
    ("shipped templates, policies and icons", step_resources),
    ("fonts for every script", step_fonts),
    ("keyring backend present", step_keyring_backend),
    ("create an encrypted vault", step_create_vault),
    ("add a person", step_add_person),
    ("fill a form (Qt widgets)", step_form),
    ("save and finalise the record", step_finalise),
    ("main window", step_main_window),
    ("export a signed PDF", step_export),
    ("print it (to a PDF printer)", step_print),
    ("verify the PDF", step_verify),
    ("reopen the vault with the passphrase", step_reopen),
)


# --- running -------------------------------------------------------------------------


def _marks(stream: TextIO) -> tuple[str, str]:
    """✓ and ✗ where the console can show them (a Windows code page may not)."""
    try:
        "✓✗…".encode(stream.encoding or "ascii")
    except (LookupError, UnicodeEncodeError):
        return "OK", "FAILED"
    return "✓", "✗"


@contextmanager
def _scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="supervision-self-test-",
                                     ignore_cleanup_errors=True) as folder:
        yield Path(folder)


def run(out: TextIO | None = None) -> int:
    """Run every step; returns 0 if all passed, else 1 after naming the failed step."""
    out = out or sys.stdout or sys.stderr  # a windowed Windows build has neither
    if out is None:
        out = open(os.devnull, "w")  # noqa: SIM115  (the exit status still tells)
    if hasattr(out, "reconfigure"):
        out.reconfigure(errors="replace")
    ok, failed = _marks(out)
    from supervision_desktop import __version__

    frozen = "bundle" if getattr(sys, "frozen", False) else "source"
    print(f"Supervision Desktop {__version__} self-test ({frozen}, Python "
          f"{platform.python_version()}, {sys.platform})", file=out, flush=True)
    started = time.perf_counter()
    with _scratch() as scratch:
        state = _State(folder=scratch / "vault")
        try:
            for number, (name, step) in enumerate(STEPS, start=1):
                began = time.perf_counter()
                try:
                    detail = step(state)
                except Exception as exc:
                    print(f"{failed} {number:2}. {name}: {type(exc).__name__}: {exc}",
                          file=out, flush=True)
                    if os.environ.get("SUPERVISION_DEBUG"):
                        traceback.print_exc(file=out)
                    print(f"Self-test FAILED at step {number} ({name}).", file=out, flush=True)
                    return EXIT_FAILED
                took = time.perf_counter() - began
                print(f"{ok} {number:2}. {name} — {detail} ({took:.2f} s)", file=out,
                      flush=True)
        finally:
            if state.vault is not None:
                state.vault.close()
    print(f"Self-test passed ({len(STEPS)} of {len(STEPS)} steps, "
          f"{time.perf_counter() - started:.1f} s).", file=out, flush=True)
    return 0


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return run()


if __name__ == "__main__":
    sys.exit(main())
