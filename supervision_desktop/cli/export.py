"""Signed PDFs: export, countersign, verify; the signing certificate; marking uploads."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
from pathlib import Path
from typing import Any

from supervision_desktop.cli import signers
from supervision_desktop.cli.common import (
    PASSPHRASE_VARIABLE,
    add_command,
    date_argument,
    interactive,
    json_data,
    print_json,
    print_table,
    system_keyring,
    unlock,
    vault_dir,
)
from supervision_desktop.domain.dates import local_time, uk_date
from supervision_desktop.errors import InvalidInput, UserError

CERTIFICATE_PASSWORD_VARIABLE = "SUPERVISION_CERTIFICATE_PASSWORD"


def cmd_export(args: argparse.Namespace) -> None:
    from supervision_desktop.services.export import export_record

    with unlock(args) as vault:
        written = export_record(vault, args.id, Path(args.out), include_names=args.names,
                                carer_copy=args.carer_copy)
    for path in written:
        print(path)


def cmd_split_export(args: argparse.Namespace) -> None:
    from supervision_desktop.services.split_export import split_export

    with unlock(args) as vault:
        result = split_export(vault, args.id, Path(args.out), include_names=args.names)
    if args.json:
        print_json(result)
        return
    print(f"Record {result.record_id}, version {result.version}, content hash "
          f"{result.content_hash}:")
    for written in result.files:
        what = "staff file" if written.child is None else f"case extract for {written.child}"
        print(f"{written.path} ({what})")


def cmd_countersign(args: argparse.Namespace) -> None:
    from supervision_desktop.services.export import countersign_file

    with unlock(args) as vault:
        written = countersign_file(vault, Path(args.file), Path(args.out), reason=args.reason)
    print(written)


# --- verify --------------------------------------------------------------------------


def _vault_if_it_opens(args: argparse.Namespace) -> tuple[Any, str]:
    """The vault, if one exists and opens without asking; else None and why not."""
    from supervision_desktop.services import vault_access
    from supervision_desktop.store.vault import vault_exists

    folder = vault_dir(args)
    if not vault_exists(folder):
        return None, ""
    try:
        passphrase = os.environ.get(PASSPHRASE_VARIABLE)
        if passphrase:
            return vault_access.unlock_with_passphrase(folder, passphrase).vault, ""
        vault = vault_access.unlock_from_keyring(folder, system_keyring())
    except UserError as exc:
        return None, f"not checked against your records ({exc})"
    if vault is None:
        return None, (f"not checked against your records (the vault is locked; set "
                      f"{PASSPHRASE_VARIABLE} to include it)")
    return vault, ""


def _local(moment: dt.datetime | None) -> str:
    return local_time(moment, zone=True, empty="unknown")


def _print_verification(result: Any, vault_note: str) -> None:
    from supervision_desktop.services.known_signers import fingerprint_words

    report = result.report
    print(f"{result.path.name}: {result.summary}")
    if result.summary != report.summary:
        print(f"Signatures: {report.summary}")
    standings = dict(enumerate(result.signers, start=1))
    for number, check in enumerate(report.signatures, start=1):
        verdict = "valid" if check.bottom_line else "NOT VALID"
        print(f"Signature {number}: {verdict}")
        print(f"   Signed by:  {check.signer_name or '(no name)'}"
              + (f", {check.signer_organisation}" if check.signer_organisation else ""))
        print(f"   Identity:   {check.identity}")
        signer = standings.get(number)
        if signer is not None:
            print(f"   Signer:     {signer.message}")
            print(f"   Fingerprint: {signer.words}")
            for other in signer.on_file if signer.standing.value == "mismatch" else ():
                print(f"   You have:   {fingerprint_words(other)}")
        print(f"   Signed at:  {_local(check.signing_time)} (as the signer's computer said)")
        print(f"   Unchanged:  {'yes' if check.intact else 'NO'}; signature "
              f"{'matches' if check.valid else 'does NOT match'}; covers the "
              f"{check.coverage}")
        for problem in check.problems:
            print(f"   Problem:    {problem}")
    if report.appended_after_last_signature:
        print("Something was added to the file after the last signature.")
    if report.empty_signature_fields:
        print(f"Free signature box: {', '.join(report.empty_signature_fields)} "
              "(for a countersignature)")
    if report.record is not None:
        record = report.record
        print(f"Record: {record.record_id}, version {record.version}, "
              f"content hash {record.content_hash}")
    if result.vault_match is not None:
        print(f"Your vault: {result.vault_match.message}")
    elif vault_note:
        print(f"Your vault: {vault_note}")


def cmd_verify(args: argparse.Namespace) -> int:
    from supervision_desktop.services.verify import verify_file

    vault, note = _vault_if_it_opens(args)
    try:
        result = verify_file(Path(args.file), vault)
    finally:
        if vault is not None:
            vault.close()
    if args.json:
        data = json_data(result)
        if vault is None and note:
            data["vault"] = {"found": None, "message": note}
        print_json(data)
    else:
        _print_verification(result, note)
    return result.exit_code


# --- certificate ---------------------------------------------------------------------


def _print_certificate(info: Any) -> None:
    from supervision_desktop.services.known_signers import fingerprint_words

    print(f"Signs as:     {info.common_name}" + (f", {info.organisation}" if info.organisation
                                                  else ""))
    kind = ("self-signed (made by this app; recipients see the name as self-asserted)"
            if info.self_signed else f"issued by {info.issuer}")
    print(f"Certificate:  {kind}, {info.source}")
    print(f"Valid:        {uk_date(info.not_before)} to {uk_date(info.not_after)}")
    print(f"SHA-256:      {info.fingerprint}")
    print(f"Fingerprint:  {fingerprint_words(info.fingerprint)}")
    print("              (read these digits to people you send signed records to)")


def cmd_certificate_show(args: argparse.Namespace) -> None:
    from supervision_desktop.services.certificates import certificate_info

    with unlock(args) as vault:
        info = certificate_info(vault)
    if args.json:
        print_json(info)
    else:
        _print_certificate(info)


def _certificate_password(path: str) -> str:
    from_environment = os.environ.get(CERTIFICATE_PASSWORD_VARIABLE)
    if from_environment is not None:
        return from_environment
    if not interactive():
        raise InvalidInput(
            f"No certificate password: set {CERTIFICATE_PASSWORD_VARIABLE} or run this in a "
            "terminal."
        )
    return getpass.getpass(f"Password for {Path(path).name}: ")


def cmd_certificate_import(args: argparse.Namespace) -> None:
    from supervision_desktop.services.certificates import import_pkcs12

    password = _certificate_password(args.file)
    with unlock(args) as vault:
        info = import_pkcs12(vault, Path(args.file), password)
    print("Imported. Exports are signed with this certificate from now on.")
    _print_certificate(info)


def cmd_certificate_request(args: argparse.Namespace) -> None:
    from supervision_desktop.services.certificates import certificate_request
    from supervision_desktop.services.export import write_atomically

    out = Path(args.out).expanduser()
    if not out.parent.is_dir():
        raise InvalidInput(f"The folder {out.parent} does not exist.")
    with unlock(args) as vault:
        request = certificate_request(vault)
    write_atomically(out, request)
    print(f"Wrote {out}. Send it to IT; import the certificate they issue with "
          "'certificate import-signed FILE'.")


def cmd_certificate_import_signed(args: argparse.Namespace) -> None:
    from supervision_desktop.services.certificates import import_signed

    with unlock(args) as vault:
        info = import_signed(vault, Path(args.file))
    print("Imported. Exports are signed with this certificate from now on.")
    _print_certificate(info)


def cmd_certificate_trust_ca(args: argparse.Namespace) -> None:
    from supervision_desktop.services.agency_trust import import_ca
    from supervision_desktop.services.known_signers import fingerprint_words

    with unlock(args) as vault:
        added = import_ca(vault, Path(args.file))
    if not added:
        print("This vault already trusts that CA. Nothing was changed.")
    for anchor in added:
        print(f"Trusted from now on: {anchor.name}")
        print(f"   Fingerprint: {fingerprint_words(anchor.fingerprint)}")


def cmd_certificate_anchors(args: argparse.Namespace) -> None:
    from supervision_desktop.services.agency_trust import Anchor, anchors
    from supervision_desktop.services.known_signers import fingerprint_words

    with unlock(args) as vault:
        found = anchors(vault)
    if args.json:
        print_json(found, list[Anchor])
        return
    print_table([(a.name, "this computer" if a.source == "machine" else "this vault",
                  fingerprint_words(a.fingerprint)) for a in found],
                ("AGENCY CA", "INSTALLED ON", "FINGERPRINT"))


# --- uploads -------------------------------------------------------------------------


def cmd_mark_uploaded(args: argparse.Namespace) -> None:
    from supervision_desktop.services.lifecycle import mark_uploaded

    if not args.reference.strip():
        raise InvalidInput("Give the reference the record has on the official file.")
    with unlock(args) as vault:
        mark_uploaded(vault, args.id, args.date, args.reference)
    print(f"Marked uploaded on {uk_date(args.date)}, reference {args.reference.strip()}.")


def register(commands: Any) -> None:
    export = add_command(commands, "export", cmd_export,
                         "write a finalised record as a signed PDF")
    export.add_argument("id")
    export.add_argument("--out", required=True, metavar="FILE.pdf|DIR")
    export.add_argument("--names", action="store_true",
                        help="put the names of the people in the file name")
    export.add_argument("--carer-copy", action="store_true",
                        help="leave out the sections the form marks as for staff only")
    split = add_command(commands, "split-export", cmd_split_export,
                        "a staff supervision record as signed PDFs: the personal part for "
                        "the staff file and one case extract per child discussed")
    split.add_argument("id")
    split.add_argument("--out", required=True, metavar="DIR",
                       help="folder to write the PDFs in (made if missing)")
    split.add_argument("--names", action="store_true",
                       help="put the supervisee's and children's names in the file names")
    split.add_argument("--json", action="store_true")
    countersign = add_command(commands, "countersign", cmd_countersign,
                              "add your signature to a signed PDF")
    countersign.add_argument("file", metavar="FILE.pdf")
    countersign.add_argument("--out", required=True, metavar="FILE.pdf")
    countersign.add_argument("--reason", default="", help="shown with your signature")
    verify = add_command(commands, "verify", cmd_verify,
                         "check a signed PDF: exit 0 genuine (unchanged, signer trusted or "
                         "known), 3 unchanged but signer not known, 1 changed or unsigned")
    verify.add_argument("file", metavar="FILE.pdf")
    verify.add_argument("--json", action="store_true")
    certificate = commands.add_parser("certificate", help="your signing certificate")
    actions = certificate.add_subparsers(dest="subcommand", metavar="ACTION", required=True)
    show = add_command(actions, "show", cmd_certificate_show, "show the signing certificate")
    show.add_argument("--json", action="store_true")
    add_command(actions, "import", cmd_certificate_import,
                "sign with an agency certificate (PKCS#12 .p12/.pfx; password from "
                f"{CERTIFICATE_PASSWORD_VARIABLE} or a prompt)").add_argument(
                    "file", metavar="FILE.p12")
    request = add_command(actions, "request", cmd_certificate_request,
                          "write a certificate request (CSR) for IT to sign, from your key")
    request.add_argument("--out", required=True, metavar="FILE.csr")
    add_command(actions, "import-signed", cmd_certificate_import_signed,
                "sign with the certificate IT issued for your request").add_argument(
                    "file", metavar="FILE.crt")
    add_command(actions, "trust-ca", cmd_certificate_trust_ca,
                "trust an agency CA certificate in this vault (audited)").add_argument(
                    "file", metavar="FILE.crt")
    trusted = add_command(actions, "trusted", cmd_certificate_anchors,
                          "the agency CAs trusted here (this computer's and this vault's)")
    trusted.add_argument("--json", action="store_true")
    signers.register(commands)  # the people's certificates sit beside your own
    uploaded = add_command(commands, "mark-uploaded", cmd_mark_uploaded,
                           "note that an exported record is on the official file")
    uploaded.add_argument("id")
    uploaded.add_argument("--date", type=date_argument, default=dt.date.today(),
                          metavar="22/11/2026",
                          help="when it was uploaded (default: today)")
    uploaded.add_argument("--reference", required=True, help="its reference there")
