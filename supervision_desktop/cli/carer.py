"""A foster carer's commands: respond to a record they were sent, the evidence pack."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from supervision_desktop.cli.common import add_command, unlock
from supervision_desktop.domain.dates import typed_date
from supervision_desktop.errors import InvalidInput


def _date(text: str | None, what: str) -> dt.date | None:
    if not text:
        return None
    try:
        return typed_date(text)
    except ValueError as problem:
        raise InvalidInput(f"{what}: {problem}.") from None


def cmd_respond(args: argparse.Namespace) -> None:
    from supervision_desktop.services.responses import start_response

    with unlock(args) as vault:
        response_id = start_response(vault, args.record_id)
    print(response_id)


def cmd_countersign_received(args: argparse.Namespace) -> None:
    from supervision_desktop.services.responses import countersign_received

    with unlock(args) as vault:
        path = countersign_received(vault, args.record_id, args.out, reason=args.reason)
    print(f"Wrote {path} (countersigned).")


def cmd_evidence_pack(args: argparse.Namespace) -> None:
    from supervision_desktop.services.evidence_pack import export_evidence_pack

    date_from, date_to = _date(args.date_from, "--from"), _date(args.date_to, "--to")
    with unlock(args) as vault:
        pack = export_evidence_pack(vault, args.out, date_from=date_from, date_to=date_to)
    print(f"Wrote {pack.path} (signed): {pack.summary}")


def register(commands: Any) -> None:
    respond = add_command(commands, "respond", cmd_respond,
                          "start your response to a supervision record; prints the draft id")
    respond.add_argument("record_id", metavar="RECORD_ID")
    countersign = add_command(commands, "countersign-received", cmd_countersign_received,
                              "countersign the signed PDF you received for a record")
    countersign.add_argument("record_id", metavar="RECORD_ID")
    countersign.add_argument("--out", required=True, metavar="FILE.pdf")
    countersign.add_argument("--reason", default="")
    pack = add_command(commands, "evidence-pack", cmd_evidence_pack,
                       "one signed PDF: every supervision, response and action, in date order")
    pack.add_argument("--out", required=True, metavar="FILE.pdf")
    pack.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    pack.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
