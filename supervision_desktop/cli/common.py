"""What every command shares: output, reading files, passphrases, unlocking, sub-parsers."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from supervision_desktop.domain.dates import typed_date
from supervision_desktop.errors import InvalidInput, UserError

if TYPE_CHECKING:  # imported when needed, to keep `--help` fast
    from supervision_desktop.store.keyring_cache import SystemKeyring
    from supervision_desktop.store.vault import Vault

PASSPHRASE_VARIABLE = "SUPERVISION_PASSPHRASE"
AGENCY_KEY_PASSPHRASE_VARIABLE = "SUPERVISION_AGENCY_KEY_PASSPHRASE"
EXIT_USER_ERROR = 1

Handler = Callable[[argparse.Namespace], "int | None"]


def common_options() -> argparse.ArgumentParser:
    """Options every command takes (so --vault works before or after the command)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--vault", metavar="DIR", default=argparse.SUPPRESS,
        help="vault folder (default: your user data folder)",
    )
    common.add_argument(
        "--read-only", action="store_true", default=argparse.SUPPRESS,
        help="open the vault read-only: nothing is written (to look at a vault refused as "
             "older than the one last opened here)",
    )
    common.add_argument(
        "--keep-vault-state", action="store_true", default=argparse.SUPPRESS,
        help="open a vault refused as older or unknown anyway and keep it as it is "
             "(recorded in the audit log); only if you are sure it is the newest copy",
    )
    return common


def add_command(under: Any, name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
    """A sub-command whose handler is called with the parsed arguments."""
    sub: argparse.ArgumentParser = under.add_parser(
        name, help=help_text, parents=[common_options()]
    )
    sub.set_defaults(handler=handler)
    return sub


# --- output helpers ------------------------------------------------------------------


def print_json(data: Any, shape: Any = None) -> None:
    """``data`` as JSON, in the shape its types declare (see ``json_data``)."""
    print(json_text(data, shape))


def json_text(data: Any, shape: Any = None) -> str:
    """The JSON text ``print_json`` prints for ``data``: what scripts reading ``--json``
    get, and what tests read back to check a result's JSON form."""
    return json.dumps(json_data(data, shape), indent=2, ensure_ascii=False,
                      default=_json_value)


def json_data(data: Any, shape: Any = None) -> Any:
    """``data`` as pydantic writes it: a service's result dataclasses field by field,
    following their aliases, excluded fields and computed fields. ``shape`` is the type
    to read ``data`` as when ``type(data)`` does not say enough (``list[RecordSummary]``).
    Dates, enumerations and paths are left for ``json_text`` to write."""
    from pydantic import TypeAdapter

    return TypeAdapter(type(data) if shape is None else shape).dump_python(
        data, by_alias=True)


def _json_value(value: object) -> object:
    """What the json module cannot write itself: dates and times in ISO 8601 as
    ``isoformat()`` writes them (pydantic would write UTC as "Z", not "+00:00"),
    enumerations as their value, paths as text."""
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, PurePath):
        return str(value)
    raise TypeError(f"{type(value).__name__} has no JSON form")


def print_table(rows: Sequence[Sequence[str]], headings: Sequence[str]) -> None:
    if not rows:
        print("(none)")
        return
    widths = [max(len(str(r[i])) for r in [headings, *rows]) for i in range(len(headings))]
    for row in [headings, *rows]:
        cells = zip(row, widths, strict=False)  # a row's extra cells have no heading: dropped
        print("  ".join(str(cell).ljust(width) for cell, width in cells).rstrip())



def date_argument(text: str) -> dt.date:
    """argparse type: a date as people write it, 22/11/2026 (or 2026-11-22)."""
    try:
        return typed_date(text)
    except ValueError as problem:
        raise argparse.ArgumentTypeError(str(problem)) from None


def read_json_file(path: str) -> Any:
    """A JSON file (or ``-`` for standard input), bounded: see domain/safe_input."""
    from supervision_desktop.domain import safe_input

    if path == "-":
        return safe_input.loads_json(sys.stdin.buffer.read(safe_input.DEFAULT_MAX_BYTES + 1),
                                     "The JSON on standard input")
    return safe_input.load_json_file(path, name=path)


# --- passphrases and unlocking -------------------------------------------------------


def interactive() -> bool:
    return sys.stdin.isatty()


def ask_secret(variable: str, prompt: str, what: str, *, confirm: bool = False) -> str:
    """A secret from the environment ``variable``, else typed (twice if ``confirm``)."""
    from_environment = os.environ.get(variable)
    if from_environment:
        return from_environment
    if not interactive():
        raise InvalidInput(f"No {what}: set {variable} or run this in a terminal.")
    secret = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat it: ") != secret:
        raise InvalidInput("The two passphrases differ. Nothing was changed.")
    return secret


def ask_passphrase(prompt: str, *, confirm: bool = False) -> str:
    return ask_secret(PASSPHRASE_VARIABLE, prompt, "passphrase", confirm=confirm)


def vault_dir(args: argparse.Namespace) -> Path:
    from supervision_desktop.paths import default_vault_dir

    return Path(args.vault).expanduser() if args.vault else default_vault_dir()


def system_keyring() -> SystemKeyring:
    from supervision_desktop.store.keyring_cache import SystemKeyring

    return SystemKeyring()


CLI_WAYS_OUT = (
    " On the command line: 'restore BACKUP --replace' puts your newest backup back; "
    "--read-only opens it to look without writing; --keep-vault-state opens it anyway "
    "and keeps it as it is."
)


def unlock(args: argparse.Namespace) -> Vault:
    """The vault, unlocked with the remembered key or the passphrase. --read-only and
    --keep-vault-state are the ways past a vault refused as older than last seen here."""
    from supervision_desktop.errors import VaultNotAsLastSeen
    from supervision_desktop.services import vault_access
    from supervision_desktop.store.vault import vault_exists

    folder = vault_dir(args)
    if not vault_exists(folder):
        raise UserError(f"There is no vault in {folder}. Create one with 'init'.")
    remembered = None if os.environ.get(PASSPHRASE_VARIABLE) else system_keyring()
    try:
        if getattr(args, "read_only", False):
            if remembered is not None:
                try:
                    return vault_access.unlock_read_only(folder, cache=remembered).vault
                except UserError:
                    pass  # the passphrase path gives the diagnosis
            return vault_access.unlock_read_only(
                folder, ask_passphrase("Passphrase: ")).vault
        if getattr(args, "keep_vault_state", False):
            return vault_access.unlock_keeping_state(
                folder, ask_passphrase("Passphrase: ")).vault
        if remembered is not None:
            vault = vault_access.unlock_from_keyring(folder, remembered)
            if vault is not None:
                return vault
        return vault_access.unlock_with_passphrase(folder, ask_passphrase("Passphrase: ")).vault
    except VaultNotAsLastSeen as exc:
        raise type(exc)(f"{exc}{CLI_WAYS_OUT}") from None
