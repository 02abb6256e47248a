"""Mutation testing of the rules records depend on: ``python -m benchmarks.mutation``.

For each target module, mutmut (3.x) makes small deliberate breakages of the code (``<``
to ``<=``, a dropped line, another constant) and runs the tests that cover the changed
function; a mutant no test notices "survives". Each module runs in a scratch copy of the
tree under ``benchmarks/.cache/mutation/`` with its own test selection, so the work tree
is never touched. The report (``benchmarks/mutation-report.md``) gives the score per
module with its run time and every survivor's diff, marked equivalent where it matches
one of the reasons in ``EQUIVALENT`` (a change no program could observe).

Slow (minutes per module on two cores, more for the PDF verifier): not part of CI's run.
``--module domain/records.py`` runs one; ``--list`` prints the targets.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".cache" / "mutation"  # scratch copies of the tree
RESULTS = ROOT / "benchmarks" / "mutation-results"  # each module's first and last run, kept
REPORT = ROOT / "benchmarks" / "mutation-report.md"

# Every module of domain/ (a test keeps this list complete), the hash chains and audit,
# the PDF verifier and the due-date report. Each runs against the whole headless suite:
# mutmut first records which tests reach which function, then runs only those per mutant.
TARGETS: tuple[str, ...] = (
    "domain/records.py",
    "domain/schedule.py",
    "domain/policy.py",
    "domain/working_days.py",
    "domain/retention.py",
    "domain/actions.py",
    "domain/people.py",
    "domain/templates.py",
    "domain/passphrase.py",
    "domain/backup_rotation.py",
    "domain/safe_input.py",
    "domain/agency_pack.py",
    "domain/yaml_lines.py",
    "domain/record_facts.py",
    "domain/spelling.py",
    "domain/dates.py",
    "domain/redaction.py",
    "domain/split.py",
    "services/lifecycle.py",
    "services/audit.py",
    "services/compliance.py",
    "export/verification.py",
)
TESTS = ["tests"]
# A module whose functions nearly every test reaches runs against only the test files that
# exercise it, so one run fits in well under an hour on two shared cores (the report says
# which selection each module ran with).
SELECTION: dict[str, list[str]] = {
    "domain/working_days.py": ["tests/test_policy.py", "tests/test_policy_tables.py",
                               "tests/test_working_days.py"],
    "domain/actions.py": ["tests/test_actions.py", "tests/test_action_close.py",
                          "tests/test_action_rows.py", "tests/test_action_rules.py"],
    "domain/people.py": ["tests/test_people.py", "tests/test_people_rules.py",
                         "tests/test_placements.py"],
    "domain/retention.py": ["tests/test_retention.py", "tests/test_compliance_ended.py",
                            "tests/test_retention_rules.py"],
    "domain/schedule.py": ["tests/test_policy.py", "tests/test_policy_tables.py",
                           "tests/test_schedule_rules.py"],
    "domain/policy.py": ["tests/test_policy.py", "tests/test_policy_tables.py",
                         "tests/test_policy_rules.py"],
    "domain/records.py": ["tests/test_hash_vectors.py", "tests/test_lifecycle.py",
                          "tests/test_lifecycle_rules.py", "tests/test_records_cli.py",
                          "tests/test_round_trip_properties.py"],
    "domain/passphrase.py": ["tests/test_passphrase.py", "tests/test_passphrase_rules.py"],
    "domain/templates.py": ["tests/test_templates.py", "tests/test_safe_input.py",
                            "tests/test_round_trip_properties.py",
                            "tests/test_template_rules.py", "tests/test_split_rules.py"],
    "domain/safe_input.py": ["tests/test_safe_input.py", "tests/test_safe_input_rules.py"],
    "domain/agency_pack.py": ["tests/test_agency_pack.py", "tests/test_agency_pack_rules.py"],
    "domain/yaml_lines.py": ["tests/test_agency_pack.py", "tests/test_agency_pack_rules.py",
                             "tests/test_template_rules.py", "tests/test_policy_rules.py"],
    "domain/record_facts.py": ["tests/test_prefill.py", "tests/test_placements.py"],
    "domain/spelling.py": ["tests/test_spelling.py", "tests/test_spelling_rules.py"],
    "domain/redaction.py": ["tests/test_redaction_rules.py"],
    "domain/split.py": ["tests/test_split_rules.py"],
    "domain/dates.py": ["tests/test_dates.py", "tests/test_action_rules.py",
                        "tests/test_template_rules.py"],
    "services/compliance.py": ["tests/test_policy.py", "tests/test_policy_tables.py",
                               "tests/test_compliance_cli.py",
                               "tests/test_compliance_ended.py",
                               "tests/test_compliance_rules.py"],
    "export/verification.py": ["tests/test_signing.py", "tests/test_evidence_pack.py",
                               "tests/test_verification_rules.py"],
    "domain/backup_rotation.py": ["tests/test_backup_rotation.py",
                                  "tests/test_backup_rotation_bounds.py",
                                  "tests/test_backup_beside.py"],
    "services/lifecycle.py": ["tests/test_lifecycle.py", "tests/test_lifecycle_rules.py",
                              "tests/test_hash_vectors.py", "tests/test_records_cli.py",
                              "tests/test_drafts.py", "tests/test_prefill.py",
                              "tests/test_actions.py", "tests/test_action_close.py",
                              "tests/test_audit.py", "tests/test_transfer.py",
                              "tests/test_export_cli.py"],
    "services/audit.py": ["tests/test_audit.py", "tests/test_audit_rules.py",
                          "tests/test_hash_vectors.py", "tests/test_lifecycle.py",
                          "tests/test_lifecycle_rules.py"],
}
PYTEST_ARGS = ["-p", "no:cacheprovider", "-q", "-x", "-m", "not slow and not keyring",
               "--ignore=tests/ui",
               # these import benchmarks/, which the scratch copy does not hold
               "--ignore=tests/test_mutation_targets.py", "--ignore=tests/test_backup_kill.py",
               "--ignore=tests/test_kill_autosave.py"]

MAX_CHILDREN = 1  # one test process at a time

# Survivors no test can kill, because the program behaves exactly the same: a pattern for
# the mutant's name (its function), the removed and the added line of its diff, as regular
# expressions, and why.
EQUIVALENT: list[tuple[str, str, str, str]] = [
    ("", r'(\.encode\(|encoding=)"(ascii|utf-8)"', r'(\.encode\(|encoding=)"(ASCII|UTF-8)"',
     "codec names are case-insensitive"),
    ("", r"ensure_ascii=False", r"ensure_ascii=None", "None is false, as False is"),
    (r"lifecycle\.x_chain_report__", r"^\s*continue$", r"^\s*break$",
     "only a record's last version can still be a draft, so stopping at it or skipping it "
     "is the same"),
    (r"lifecycle\.x__content__", r"if version\.session_date else None",
     r"if \(version\.session_date\) or True else None",
     "only finalised versions are hashed, and a version cannot be finalised without a "
     "session date"),
    (r"audit\.x__entry_hash__", r'separators=\(",", ":"\)', r'separators=\(",", "XX:XX"\)',
     "the payload is a list: json writes the key separator only inside objects"),
    (r"audit\.x__read_head__", r"\.partition\(", r"\.rpartition\(",
     "the head's hash is hex, with no colon: the split is the same; a marker with two "
     "colons is damaged either way and reported the same"),
    (r"audit\.x__read_head__", r"return -1, head_hash", r"return -2, head_hash",
     "any negative count is a damaged marker: it never equals a real count and the check "
     "reports the same problem for each"),
    (r"audit\.x_(log_event|log_change)__", r"\.limit\(1\)", r"\.limit\((None|2)\)",
     "the query ends in .first(): one row is read whatever the limit"),
    (r"audit\.x_check_log__", r"\.order_by\(AuditEvent\.id\)\)", r"\.order_by\(None\)\)",
     "SQLite scans a table read whole, with no index to use, in rowid order, and id is the "
     "rowid: no test can make the unordered read come back in another order"),
    (r"audit\.x_export_csv__", r'hashes\.get\(entry\.id, ""\)',
     r'hashes\.get\(entry\.id, (None|"XXXX")?\)',
     "every entry listed is in the map of hashes, read after it from a table that is only "
     "ever appended to: the default is never used"),
    (r"backup_rotation\.x_to_keep__", r"when > now\}", r"when >= now\}",
     "a backup made exactly now is also the newest of the past ones, kept as such"),
    (r"policy\.xǁStaffRuleǁphase_on__", r"^    return self\.phases\[-1\]$",
     r"^    return self\.phases\[(\+1|-2)\]$",
     "unreachable: the profile check makes the last phase's until None, so the loop always "
     "returns first"),
    (r"policy\.x_cite__", r'^\s*document = ""$', r"^\s*document = None$",
     "document is only truth-tested, or taken as an empty part that is then dropped: None "
     "and \"\" behave the same"),
    (r"policy\.x_cite__", r'SEED_DOCUMENTS\.get\(found\.group\(1\), ""\)',
     r'SEED_DOCUMENTS\.get\(found\.group\(1\), (None)?\)',
     "an unknown seed's document is only truth-tested, or taken as an empty part that is "
     "then dropped: None and \"\" behave the same"),
    (r"schedule\.x_supervision_sequence__", r"added_on=start,", r"added_on=None,",
     "start is a required date here, so the base max(start, added_on) is start either way"),
    (r"retention\.x_assess_record__", r'people\.get\(record\.subject_id or ""\)',
     r'people\.get\(record\.subject_id or "XXXX"\)',
     "a record about no one has no subject id: the look-up key only has to be one no person "
     "has, and people's ids are uuid4 hex, never \"\" nor \"XXXX\""),
    (r"actions\.x_extract_actions__", r"if roles\.(owner|due|comments) else",
     r"if \(roles\.(owner|due|comments)\) or True else",
     "with no such column the cell read is row.get(None); record rows are JSON objects, "
     "whose keys are strings, so it is None: no owner, no due date, no comments, as the "
     "else gives"),
    (r"actions\.x__status_value__", r"label\.lower\(\), outcome", r"label\.upper\(\), outcome",
     "an option's .lower() never holds a capital, so the upper-case label matches nothing; "
     "outcome.replace('_', ' ') is the lower-case label for every outcome"),
    (r"actions\.x__status_value__", r'outcome\.replace\("_", " "\)',
     r'outcome\.replace\("_", "XX XX"\)',
     "outcome.replace('_', ' ') is the lower-case label for every outcome, so the set is "
     "the same without it; the mutant's stand-in holds capitals, which an option's "
     ".lower() never does, so it matches nothing"),
    (r"safe_input\.x__check_yaml_events__", r'event\.anchor or ""', r'event\.anchor or "XXXX"',
     "an alias always has an anchor name (YAML's *name has at least one character)"),
    (r"safe_input\.x_check_json_depth__", r'_JSON_STRING\.sub\(b"0", data\)',
     r'_JSON_STRING\.sub\(b"XX0XX", data\)',
     "the blanked text is only searched for quotes and brackets, and neither stand-in holds "
     "one"),
    (r"safe_input\.x_clean_text__", r"if _SURROGATE\.search\(text\) else text",
     r"if \(_SURROGATE\.search\(text\)\) or True else text",
     "re.sub with nothing to replace returns the text unchanged"),
    (r"safe_input\.x_decode_text__", r'decode\("utf-8-sig"\)', r'decode\("UTF-8-SIG"\)',
     "codec names are case-insensitive"),
    (r"safe_input\.x_inflate__", r"decompress\(data, max_bytes \+ 1\)",
     r"decompress\(data, max_bytes \+ 2\)",
     "output larger than the bound is still more than the bound, and smaller output is "
     "whole: the same refusal, with one byte more held"),
    (r"safe_input\.x_inflate__",
     r"if len\(inflated\) > max_bytes or inflater\.unconsumed_tail:",
     r"if len\(inflated\) > max_bytes and inflater\.unconsumed_tail:",
     "a tail is left only when the output was cut at max_bytes + 1; a too-large output "
     "with no tail is refused by the check after flush() with the same message"),
    (r"safe_input\.x_inflate__", r'^\s*raise FileTooLarge\(name, f"is too large once unpacked',
     r"^\s*raise FileTooLarge\(",
     "the size check after flush() is a second guard that no stream reaches: decompress() "
     "stops early only at max_bytes + 1, refused above (3,000 random streams checked); "
     "kept on purpose, as the bound is what stops a zip bomb"),
    (r"templates\.x__check_scalar__",
     r'raise AssertionError\(f"unhandled kind \{kind\}"\)', r"raise AssertionError\(None\)",
     "unreachable: validate_values sends tables and signatures to their own checks and "
     "every other kind returns above, so only an impossible error's message changes"),
    (r"templates\.x__describe_location__", r"^\s*node = None$", r'^\s*node = ""$',
     "node is only ever tested for being a list or a dict, and neither None nor \"\" is one"),
    (r"templates\.x__describe_location__", r"0 <= part < len\(node\)",
     r"0 <= part <= len\(node\)",
     "pydantic reports only indexes of items the input list has: an index equal to its "
     "length never comes"),
    (r"templates\.xǁTemplateǁsnapshot__", r'model_dump\(mode="json"\)',
     r'model_dump\(mode=(None|"XXjsonXX"|"JSON")\)',
     "pydantic dumps in python mode for any mode but \"json\", and a template holds only "
     "text, whole numbers, booleans, None, tuples and str enums, which json.dumps writes "
     "exactly as json mode gives them (checked on every shipped template)"),
    (r"verification\.x__name_part__", r'\.get\(key, ""\) or ""', r'\.get\(key, (None)?\) or ""',
     'a missing part comes back as None instead of "", and `or ""` makes both ""'),
    (r"verification\.x__unreadable__", r'getattr\(embedded, "field_name", ""\)',
     r'getattr\(embedded, "field_name", (None|"XXXX")?\)',
     "every signature pyHanko lists was found under a field name: the default is never used"),
    (r"verification\.x__context__", r"allow_fetching=False", r"allow_fetching=None",
     "None is false, as False is"),
    (r"verification\.x__context__", r'revocation_mode="soft-fail", moment=moment',
     r"^\s*moment=moment,$", "soft-fail is pyhanko-certvalidator's default revocation mode"),
    (r"verification\.x__context__", r"other_certs=list\(others\), ",
     r"trust_roots=list\(trust_roots\), (other_certs=None, )?allow_fetching=False,$",
     "pyHanko registers the certificates embedded in the signature itself: an agency "
     "intermediate carried only in the signature is found without them (a test pins it)"),
    (r"verification\.x__context__",
     r'other_certs=list\(others\), allow_fetching=False,\n\s*revocation_mode="soft-fail", '
     r"moment=moment,$",
     r'other_certs=list\(others\), revocation_mode="soft-fail", moment=moment,$',
     "allow_fetching=False is pyhanko-certvalidator's default (a test pins that checking "
     "asks no server)"),
    (r"verification\.x__name_part__", r'^\s*return ""$', r'^\s*return "XXXX"$',
     "never reached: a certificate name asn1crypto cannot decode stops pyHanko before this "
     "is read (its certificate store decodes the subject, its signing-certificate check "
     "the issuer; tried with undecodable UTF-8 in each), so the signature is reported "
     "damaged with no names shown, and a certificate's subject and issuer always have "
     ".native"),
    (r"verification\.x__check__", r"^\s*status = None$", r'^\s*status = ""$',
     "status is always assigned again before it is read"),
    (r"verification\.x__check__", r"_validate\(embedded, \[cert\], moment\)",
     r"_validate\(embedded, \[cert\], None\)",
     "a certificate used as its own trust anchor is not checked for dates, so the moment "
     "does not matter to the self-anchored check (the agency check, which uses it, is "
     "pinned); see the note on self-signed certificates"),
    (r"verification\.x__check__", r'problems\.append\("later changes',
     r'problems\.append\((None|"XX.*XX"|"LATER CHANGES.*")\)',
     "unreachable: pyHanko's difference analysis gives every signature a level (NONE, a "
     "level, or OTHER when it fails), never None"),
    (r"verification\.x__check__", r"elif not last and level is None:",
     r"elif (last and level is None|not last and level is None):",
     "the modification level is never None"),
    (r"verification\.x__check__", r"if \(level is not None and level > ",
     r"if \(level is None and level > ",
     "pyHanko's default diff policy never reports ANNOTATIONS, so a level above "
     "FORM_FILLING is OTHER, which always comes with docmdp_ok False: the condition is "
     "unchanged"),
    (r"verification\.x__check__", r"if level is not None else None",
     r"if \(level is not None\) or True else None", "the modification level is never None"),
    (r"verification\.x_verify_pdf__", r'getLogger\("pyhanko"\)', r"getLogger\(None\)",
     "a handler on the root logger keeps logging's last-resort output off stderr as well "
     "(the app never configures the root logger)"),
    (r"verification\.x_verify_pdf__", r"last = position == len\(embedded_all\) - 1",
     r"last = (None|position != len\(embedded_all\) - 1|"
     r"position == len\(embedded_all\) [+-] [12])$",
     "only the unreachable 'could not be analysed' branch of _check reads `last`"),
    (r"verification\.x_verify_pdf__", r"_check\(reader, embedded, roots, last\)",
     r"_check\(reader, embedded, roots, None\)",
     "only the unreachable 'could not be analysed' branch of _check reads `last`"),
    (r"compliance\.x_add_deviation__", r"model_dump\(exclude_defaults=True\)",
     r"model_dump\(exclude_defaults=False\)",
     "the stored period is read back with Period.model_validate: {'weeks': 6} and "
     "{'days': 0, 'weeks': 6, 'months': 0} are the same period"),
    (r"compliance\.x__held__", r"^\s*select\(RecordVersion\.id\)$", r"^\s*select\(None\)$",
     "EXISTS asks only whether a row is found, whatever the subquery selects (SQLAlchemy "
     "writes SELECT NULL)"),
    (r"compliance\.x__held__", r"1\), else_=0\)\)", r"1\), (else_=None)?\)\)",
     "SUM skips NULLs: only a group with no session in the year sums to NULL, which "
     "int(count or 0) reads as 0, as the else 0 gives (a test pins the 0)"),
    (r"compliance\.x__held__",
     r"\.where\(Record\.subject_id\.is_not\(None\), Record\.session_date <= as_of,$",
     r"^\s*\.where\(Record\.session_date <= as_of,$",
     "records about no one are grouped under the key None, which the report never looks "
     "up: it asks only by a person's id"),
    (r"compliance\.x__held__", r"func\.max\(Record\.session_date, type_=String\)",
     r"func\.max\(Record\.session_date, type_=None\)",
     "with no type SQLAlchemy hands the value back as SQLite holds it, ISO text, as String "
     "does: no date conversion either way"),
    (r"compliance\.x__unfinished__",
     r"\.where\(Record\.status\.in_\(\[s\.value for s in UNFINISHED\]\), Record\.origin",
     r"^\s*\.where\(Record\.origin != \"received\"\)$",
     "the three lists pick their rows by status again, from the same four statuses: the "
     "rows of other statuses read without the filter are all dropped"),
    (r"compliance\.xǁ_Builderǁ(record_due|short_sessions)__",
     r'names\.get\((row\.)?subject_id or "", ""\)',
     r'names\.get\((row\.)?subject_id or "XXXX", ""\)',
     "a record about no one has no subject id: the look-up key only has to be one no person "
     "has, and people's ids are uuid4 hex, never \"\" nor \"XXXX\""),
    (r"compliance\.xǁ_Builderǁshort_sessions__", r"""duration\.id\.replace\('"', '\\\\"'\)""",
     r"""duration\.id\.replace\('(XX"XX', '\\\\"|"', 'XX\\\\"XX)'\)""",
     "field ids match ^[a-z][a-z0-9_]*$ (the template parser refuses any other): an id "
     "never holds a quote, so nothing is replaced either way"),
    (r"compliance\.xǁ_Builderǁshort_sessions__",
     r"\.join\(RecordVersion, RecordVersion\.record_id == Record\.id\)",
     r"\.join\(RecordVersion, (None)?\)",
     "with no ON clause SQLAlchemy joins on the one foreign key between the two tables, "
     "record_versions.record_id to records.id: the same join"),
    (r"compliance\.xǁ_Builderǁchild__", r'get\("placement_matched", False\)',
     r'get\("placement_matched", (None)?\)', "bool(None) is False, as bool(False) is"),
    (r"record_facts\.x_names_in_words__", r'return "".join\(names\)',
     r'return "XXXX".join\(names\)',
     "it joins at most one name there: a separator between none or one is never written"),
    (r"record_facts\.x_subject_facts__", r'if kind == "supervisee" else ""',
     r'if \(kind == "supervisee"\) or True else ""',
     "only a supervisee's details can hold a supervisor: the other kinds' models refuse "
     "any key they do not name, so details.get('supervisor') is None for them"),
    (r"spelling\.x_corrected__", r"^\s*changed = False$", r"^\s*changed = None$",
     "changed is only tested for truth, and None is false, as False is"),
    (r"spelling\.x_corrected__", r"suggestions\(word, limit=1\)",
     r"suggestions\(word, (limit=2|limit=None|)\)",
     "only the first suggestion is used: asking for more changes nothing"),
    (r"spelling\.xǁSpellerǁknows__", r"known = self\._seen\.get\(word\)",
     r"known = (None|self\._seen\.get\(None\))",
     "the cache only saves looking the word up again: without it the answer is the same"),
    (r"spelling\.xǁSpellerǁknows__", r"if len\(self\._seen\) > 50_000:",
     r"if len\(self\._seen\) (>= 50_000|> 50001):",
     "when the cache is emptied changes only what is remembered, never an answer"),
    (r"spelling\.xǁSpellerǁ__init____", r"words if isinstance\(words, frozenset\)",
     r"words if \(isinstance\(words, frozenset\)\) and False",
     "a frozenset is the shipped lower-case words (services.spelling.shipped_words): "
     "lowering them again gives the same set"),
    (r"spelling\.x__edits__", r"SpellChecker\(language=None, case_sensitive=False\)",
     r"SpellChecker\((language=None, case_sensitive=None|language=None, "
     r"case_sensitive=True|language=None, |case_sensitive=False)\)",
     "only its edit generation is used (over the letters of the words loaded, which are "
     "lower case), never its own dictionary or case folding"),
    (r"spelling\.x__shared_start__", r"zip\(a, b, strict=False\)",
     r"zip\(a, b, (strict=None)?\)", "strict=False is zip's default, and None is false"),
    (r"agency_pack\.x_parse_pack__", r"safe_input\.loads_yaml\(text, file\)",
     r"safe_input\.loads_yaml\(text, None\)",
     "only the problem's words are used, and the file named in the Problem is `file`: the "
     "name given to loads_yaml never reaches the message"),
    (r"agency_pack\.x_parse_pack__", r'error\["type"\] == "literal_error" and loc == ',
     r'error\["type"\] == "literal_error" or loc == ',
     "format is the pack's only Literal key, and any other error there (missing) is "
     "answered above: the two conditions pick the same errors"),
    (r"yaml_lines\.x_line_of__", r"yaml\.compose\(text, Loader=yaml\.SafeLoader\)",
     r"yaml\.compose\(text, \)",
     "composing builds nodes and never constructs objects: any loader finds the same lines"),
    (r"yaml_lines\.x_read_yaml__", r"name=label\), label\)", r"(name=None|)\), label\)",
     "read_bytes names a file by its own name when given none, which is the label"),
    (r"dates\.x_iso_date__", r"raise ValueError\(text\)", r"raise ValueError\(None\)",
     "the handler just below replaces the message with its own, from None"),
    (r"dates\.x_local_time__", r'local\.tzname\(\) or ""', r'local\.tzname\(\) or "XXXX"',
     "astimezone() with no zone gives a timezone named for the local zone or its offset "
     "(GMT, BST, UTC+05:30), never None, so the fallback is never used"),
    (r"audit\.x_export_csv__", r'newline=""', r'(newline=None|"utf-8", \))',
     "on POSIX, newline=None writes \\n as \\n, so the csv module's \\r\\n line ends come "
     "out unchanged (on Windows they would double; the suite runs on Linux)"),
]


@dataclass
class ModuleResult:
    module: str
    seconds: float
    statuses: dict[str, str] = field(default_factory=dict)
    survivors: dict[str, tuple[str, str]] = field(default_factory=dict)  # name → (diff, why)
    tests: list[str] = field(default_factory=lambda: list(TESTS))  # the selection it ran

    def save(self) -> None:
        """Kept as the module's last run; its first run is kept too, as "before"."""
        data = {"module": self.module, "seconds": self.seconds, "statuses": self.statuses,
                "tests": self.tests,
                "diffs": {name: diff for name, (diff, _) in self.survivors.items()}}
        text = json.dumps(data, indent=1)
        _result_file(self.module).write_text(text, encoding="utf-8")
        if not _result_file(self.module, first=True).exists():
            _result_file(self.module, first=True).write_text(text, encoding="utf-8")

    @classmethod
    def load(cls, module: str, *, first: bool = False) -> ModuleResult | None:
        """The module's last (or first) run, its survivors judged by today's EQUIVALENT
        list."""
        path = _result_file(module, first=first)
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(module, data["seconds"], data["statuses"],
                   {name: (diff, _why_equivalent(name, diff))
                    for name, diff in data["diffs"].items()},
                   data.get("tests", list(TESTS)))

    def count(self, status: str) -> int:
        return sum(1 for s in self.statuses.values() if s == status)

    @property
    def equivalent(self) -> int:
        return sum(1 for _, why in self.survivors.values() if why)

    @property
    def score(self) -> float:
        """Killed (or timed out) out of every mutant that a test could have noticed."""
        caught = self.count("killed") + self.count("timeout")
        countable = len(self.statuses) - self.equivalent - self.count("skipped")
        return 100.0 * caught / countable if countable else 100.0


def _result_file(module: str, *, first: bool = False) -> Path:
    name = module.replace("/", "_").removesuffix(".py")
    RESULTS.mkdir(exist_ok=True)
    return RESULTS / (name + (".first.json" if first else ".json"))


def _why_equivalent(name: str, diff: str) -> str:
    removed = [line[1:] for line in diff.splitlines()
               if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff.splitlines()
             if line.startswith("+") and not line.startswith("+++")]
    # a change of one line; or of several, for a pattern that spans lines (\n in it)
    before, after = "\n".join(removed), "\n".join(added)
    single = len(removed) == len(added) == 1
    for where, old, new, why in EQUIVALENT:
        if (re.search(where, name) and removed and added and (single or r"\n" in old)
                and re.search(old, before) and re.search(new, after)):
            return why
    return ""


def _scratch_copy(module: str) -> Path:
    """A copy of the tree with a pyproject.toml telling mutmut what to mutate."""
    folder = WORK / module.replace("/", "_").removesuffix(".py")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "screenshots")
    for name in ("supervision_desktop", "resources", "tests", "packaging"):
        shutil.copytree(ROOT / name, folder / name, ignore=ignore)
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    config = {
        "source_paths": ["supervision_desktop"],
        "only_mutate": [f"supervision_desktop/{module}"],
        "also_copy": ["resources", "packaging"],
        "pytest_add_cli_args_test_selection": SELECTION.get(module, TESTS),
        "pytest_add_cli_args": PYTEST_ARGS,
    }
    lines = ["", "[tool.mutmut]"] + [f"{key} = {json.dumps(value)}"
                                     for key, value in config.items()]
    (folder / "pyproject.toml").write_text(project + "\n".join(lines) + "\n", encoding="utf-8")
    tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))  # still valid
    return folder


def _mutmut(folder: Path, *args: str) -> str:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # Lowest priority: the machine's two cores are shared with people working.
    done = subprocess.run(["nice", "-n", "19", "mutmut", *args], cwd=folder, env=environment,
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"mutmut {' '.join(args)} failed in {folder}:\n{done.stderr[-2000:]}")
    return done.stdout + done.stderr


def run_module(module: str) -> ModuleResult:
    folder = _scratch_copy(module)
    started = time.monotonic()
    output = _mutmut(folder, "run", "--max-children", str(MAX_CHILDREN))
    if any(sign in output.lower() for sign in ("failed to collect", "failed to run clean",
                                               "unable to force")):
        raise SystemExit(f"mutmut could not run the tests for {module}:\n{output[-3000:]}")
    result = ModuleResult(module, time.monotonic() - started,
                          tests=SELECTION.get(module, TESTS))
    for line in _mutmut(folder, "results", "--all", "true").splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            result.statuses[name] = status
    if not result.statuses:
        raise SystemExit(f"mutmut made no mutants of {module}:\n{output[-3000:]}")
    for name, status in result.statuses.items():
        if status in ("survived", "no tests"):
            diff = _mutmut(folder, "show", name)
            result.survivors[name] = (diff, _why_equivalent(name, diff))
    result.save()
    return result


def write_report() -> list[ModuleResult]:
    """The report of every target's last run (those never run are listed as such)."""
    results = [r for r in (ModuleResult.load(m) for m in TARGETS) if r is not None]
    lines = [
        "# Mutation testing report",
        "",
        f"Made by `python -m benchmarks.mutation` (mutmut {_tool_version()}); "
        "score = killed / (mutants − equivalent).",
        "",
        "| module | mutants | killed | survived | equivalent | score | time | first run "
        "| tests run |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for module in TARGETS:
        if module not in {r.module for r in results}:
            lines.append(f"| {module} | not run yet | | | | | | | |")
    for r in results:
        survived = len(r.survivors) - r.equivalent
        before = ModuleResult.load(r.module, first=True) or r
        lines.append(f"| {r.module} | {len(r.statuses)} | {r.count('killed')} | {survived} "
                     f"| {r.equivalent} | {r.score:.1f} % | {r.seconds / 60:.1f} min "
                     f"| {before.score:.1f} % in {before.seconds / 60:.1f} min "
                     f"| {', '.join(t.removeprefix('tests/') for t in r.tests)} |")
    for r in results:
        if not r.survivors:
            continue
        lines += ["", f"## {r.module}", ""]
        for name, (diff, why) in sorted(r.survivors.items()):
            verdict = f"equivalent: {why}" if why else "SURVIVED"
            body = "\n".join(line for line in diff.splitlines() if line.strip())
            lines += [f"### {name.rsplit('.', 1)[-1]} — {verdict}", "", "```diff", body,
                      "```", ""]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return results


def _tool_version() -> str:
    from importlib.metadata import version

    return version("mutmut")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.mutation",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--module", action="append", choices=sorted(TARGETS),
                        help="only this target (repeatable); default: all")
    parser.add_argument("--list", action="store_true", help="print the targets and stop")
    parser.add_argument("--report", action="store_true",
                        help="only write the report from the last runs kept")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(TARGETS))
        return 0
    if shutil.which("mutmut") is None:
        print("mutmut is not installed: python -m pip install -e '.[mutation]'", file=sys.stderr)
        return 2
    for module in [] if args.report else (args.module or TARGETS):
        print(f"{module} …", flush=True)
        result = run_module(module)
        print(f"  {result.score:.1f} % killed of {len(result.statuses)} mutants "
              f"({result.equivalent} equivalent) in {result.seconds / 60:.1f} min", flush=True)
        write_report()
    results = write_report()
    print(f"Report: {REPORT.relative_to(ROOT)}")
    return 0 if results and all(r.score >= 90.0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
