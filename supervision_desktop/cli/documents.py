"""Signed PDFs held in the vault: import one someone sent, list them, save a copy, check."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from supervision_desktop.cli.common import add_command, print_json, print_table, unlock
from supervision_desktop.domain.dates import local_time, uk_date

EXIT_NOT_IMPORTED = 1


def cmd_import(args: argparse.Namespace) -> int:
    from supervision_desktop.services.carer_import import ImportResult, import_signed_pdf

    with unlock(args) as vault:
        results = [import_signed_pdf(vault, Path(name), keep_flagged=args.keep_flagged)
                   for name in args.files]
    if args.json:
        print_json(results, list[ImportResult])
    else:
        for result in results:
            print(result.message)
            if result.record_id:
                print(f"   Linked to record {result.record_id}")
    return 0 if all(r.ok for r in results) else EXIT_NOT_IMPORTED


def _when(view: Any) -> str:
    moment = view.signed_on
    return local_time(moment)


def cmd_documents_list(args: argparse.Namespace) -> None:
    from supervision_desktop.services.documents import DocumentView, list_documents

    with unlock(args) as vault:
        documents = list_documents(vault, record_id=args.record)
    if args.json:
        print_json(documents, list[DocumentView])
        return
    print_table(
        [(d.id, d.direction, d.kind_label, d.title, d.person,
          uk_date(d.session_date),
          d.signed_by, _when(d), d.state_label)
         for d in documents],
        ("ID", "HOW", "KIND", "TITLE", "ABOUT", "DATE", "SIGNED BY", "SIGNED ON", "CHECK"),
    )


def cmd_documents_save(args: argparse.Namespace) -> None:
    from supervision_desktop.services.documents import save_document

    with unlock(args) as vault:
        written = save_document(vault, args.id, Path(args.out))
    print(written)


def cmd_documents_verify(args: argparse.Namespace) -> int:
    from supervision_desktop.services.documents import verify_document

    with unlock(args) as vault:
        check = verify_document(vault, args.id)
    print(check.message)
    return check.exit_code


def cmd_documents_responses(args: argparse.Namespace) -> None:
    from supervision_desktop.services.documents import ResponseView, responses_to

    with unlock(args) as vault:
        found = responses_to(vault, args.record)
    if args.json:
        print_json(found, list[ResponseView])
        return
    for response in found:
        print(response_line(response))
    if not found:
        print("(no responses)")


def response_line(response: Any) -> str:
    """'Response signed by NAME on 22/11/2026 14:30, unchanged: not a true reflection'."""
    when = local_time(response.signed_at, empty="an unknown time")
    state = "unchanged" if response.unchanged else "NOT GENUINE"
    says = {True: "a true reflection", False: "NOT a true reflection"}.get(
        response.true_reflection, "does not say whether it is a true reflection")
    return f"Response signed by {response.signed_by} on {when}, {state}: {says}"


def register(commands: Any) -> None:
    imported = add_command(commands, "import", cmd_import,
                           "keep signed PDFs someone sent you (verified; records added "
                           "read-only)")
    imported.add_argument("files", nargs="+", metavar="FILE.pdf")
    imported.add_argument("--keep-flagged", action="store_true",
                          help="keep a file that fails the checks, flagged as not genuine "
                               "(it never becomes a record)")
    imported.add_argument("--json", action="store_true")
    documents = commands.add_parser("documents", help="signed PDFs kept in the vault")
    actions = documents.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    listed = add_command(actions, "list", cmd_documents_list,
                         "signed PDFs exported and imported, newest first")
    listed.add_argument("--record", metavar="ID", help="only those linked to this record")
    listed.add_argument("--json", action="store_true")
    save = add_command(actions, "save", cmd_documents_save,
                       "write a kept signed PDF out, byte for byte")
    save.add_argument("id")
    save.add_argument("--out", required=True, metavar="FILE.pdf|DIR")
    verify = add_command(actions, "verify", cmd_documents_verify,
                         "check a kept signed PDF again (exit codes as for 'verify')")
    verify.add_argument("id")
    responses = add_command(actions, "responses", cmd_documents_responses,
                            "carers' signed responses to a record")
    responses.add_argument("record", metavar="RECORD_ID")
    responses.add_argument("--json", action="store_true")
