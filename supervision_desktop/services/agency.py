"""The agency pack this install follows: where it comes from, loading and checking it, and
making a new one from a shipped organisation's example.

Where the pack comes from, first found wins:

1. ``SUPERVISION_AGENCY=PATH`` (a folder or a ``.zip``), e.g. for IT trying a pack out;
2. the machine-wide folder IT fills (``paths.machine_agency_dir()``: Linux
   ``/etc/xdg/SupervisionDesktop/agency``, Windows ``%ProgramData%\\SupervisionDesktop\\
   agency``, macOS ``/Library/Application Support/SupervisionDesktop/agency``);
3. the per-user folder (``paths.user_agency_dir()``).

With no pack every shipped template and profile is offered, as before packs existed. A
pack that is there but broken is never half-used: every command and the GUI say what is
wrong (``agency check`` lists it line by line) instead of falling back to all templates.
"""

from __future__ import annotations

import atexit
import functools
import io
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from supervision_desktop import paths
from supervision_desktop.domain import safe_input
from supervision_desktop.domain.agency_pack import (
    FILE_NAME,
    PACK_FILE,
    AgencyPack,
    PackError,
    Problem,
    is_file_reference,
    parse_pack,
)
from supervision_desktop.domain.policy import PolicyError, PolicyProfile, load_profile
from supervision_desktop.domain.retention import RetentionError, RetentionRules, load_rules
from supervision_desktop.domain.templates import Template, TemplateCatalogue, load_directory
from supervision_desktop.domain.yaml_lines import line_of
from supervision_desktop.errors import InvalidInput, NotFound, UserError

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"  # as the Government Security Classifications name it
ENVIRONMENT = "SUPERVISION_AGENCY"
RECOVERY_PUBLIC_KEY = "recovery-public.pem"
TEMPLATES_FOLDER = "templates"
CA_FOLDER = "ca"
MAX_ARCHIVE_FILES = 500
MAX_ARCHIVE_BYTES = 50 * 1024 * 1024  # a pack is a few hundred kilobytes with its logo
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 4000

Where = Literal["environment", "machine", "user"]
WHERE_LABELS: dict[str, str] = {
    "environment": f"the {ENVIRONMENT} setting",
    "machine": "this computer's agency folder (installed by IT)",
    "user": "your own agency folder",
}


class PackUnusable(UserError):
    """The pack installed here cannot be used: nothing is offered until it is fixed."""


@dataclass(frozen=True)
class PackSource:
    path: Path  # a folder holding agency.yaml, or a .zip of one
    where: Where


@dataclass(frozen=True)
class LoadedPack:
    """A checked pack, with everything it names already loaded."""

    pack: AgencyPack
    source: PackSource
    templates: TemplateCatalogue  # what "New record" offers, in the pack's order
    policy: PolicyProfile
    retention: RetentionRules
    logo: bytes | None
    recovery_public_key: bytes | None  # PEM
    ca_files: tuple[Path, ...]

    def summary(self) -> PackSummary:
        pack = self.pack
        return PackSummary(
            name=pack.name, short_name=pack.short_name, version=pack.version,
            marking=pack.marking, source=self.source.path, where=self.source.where,
            templates=tuple(t.id for t in self.templates.templates), policy=self.policy.id,
            local_policy_choice=pack.local_policy_choice, retention=self.retention.id,
            logo=self.logo is not None,
            organisational_recovery_key=self.recovery_public_key is not None,
            ca_certificates=len(self.ca_files))


@dataclass(frozen=True)
class PackSummary:
    """What a loaded pack is, in plain values (``agency show --json``)."""

    name: str
    short_name: str
    version: str
    marking: str
    source: Path  # the folder or .zip it was loaded from
    where: Where
    templates: tuple[str, ...]  # the ids of the forms it offers, in its order
    policy: str  # the policy profile's id
    local_policy_choice: bool
    retention: str  # the retention rules' id
    logo: bool  # whether it has one
    organisational_recovery_key: bool  # whether it names one
    ca_certificates: int  # how many CA certificate files it holds


# --- where the pack comes from -----------------------------------------------------------


def find_source() -> PackSource | None:
    """The pack this install follows, or None (see the module docstring for the order)."""
    named = os.environ.get(ENVIRONMENT, "").strip()
    if named:
        return PackSource(Path(named).expanduser(), "environment")
    for where, folder in (("machine", paths.machine_agency_dir()),
                          ("user", paths.user_agency_dir())):
        found = _pack_in(folder)
        if found is not None:
            return PackSource(found, where)  # type: ignore[arg-type]
    return None


def _pack_in(folder: Path) -> Path | None:
    if (folder / PACK_FILE).is_file():
        return folder
    archives = sorted(folder.glob("*.zip")) if folder.is_dir() else []
    return archives[0] if len(archives) == 1 else (folder if archives else None)


def active() -> LoadedPack | None:
    """The pack this install follows, loaded (once per pack file); None without one.
    Raises PackUnusable, saying what to do, if the pack is there but broken."""
    source = find_source()
    if source is None:
        return None
    try:
        fingerprint = _fingerprint(source.path)
    except OSError:
        raise PackUnusable(
            f"The agency pack named by {WHERE_LABELS[source.where]} ({source.path}) is not "
            "there. Ask your IT service desk, or remove the setting.") from None
    try:
        return _load_cached(source, fingerprint)
    except PackError as exc:
        listed = "\n".join(f"  {problem}" for problem in exc.problems[:10])
        raise PackUnusable(
            f"The agency pack in {source.path} cannot be used, so no forms are offered "
            f"until it is fixed:\n{listed}\nAsk your IT service desk ('agency check "
            f"{source.path}' lists every problem).") from None


def _fingerprint(path: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, time and size of every file of the pack: a change to any reloads it."""
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    return tuple((str(f), (s := f.stat()).st_mtime_ns, s.st_size) for f in files)


@functools.lru_cache(maxsize=4)
def _load_cached(source: PackSource, _fingerprint: tuple[tuple[str, int, int], ...]
                 ) -> LoadedPack:
    return load(source.path, source.where)


def sets_policy() -> bool:
    """Whether the agency pack sets the policy profile and retention rules for everyone."""
    pack = active()
    return pack is not None and not pack.pack.local_policy_choice


def refuse_local_choice(what: str) -> None:
    """InvalidInput if the agency pack sets ``what`` (the policy profile, the retention
    rules) for everyone, so a vault may not choose its own."""
    pack = active()
    if pack is not None and not pack.pack.local_policy_choice:
        raise InvalidInput(
            f"Your agency's pack ({pack.pack.label}) sets the {what} for everyone on this "
            "computer, so it cannot be changed here. Ask your IT service desk.")


def marking() -> str:
    """The protective marking printed on records: the pack's, else OFFICIAL-SENSITIVE."""
    pack = active()
    return pack.pack.marking if pack is not None else DEFAULT_MARKING


def logo() -> bytes | None:
    """The agency's logo for PDF headers (None without a pack or a logo)."""
    pack = active()
    return pack.logo if pack is not None else None


def active_label() -> str:
    """How the pack in use is named ("Kent (version 2026.1)"), or "" without one."""
    pack = active()
    return pack.pack.label if pack is not None else ""


# --- loading and checking -----------------------------------------------------------------


def load(path: Path, where: Where = "environment") -> LoadedPack:
    """Load a pack folder or archive; PackError lists every problem with file and line."""
    folder = _unpacked(path)
    pack_path = folder / PACK_FILE
    try:
        text = safe_input.decode_text(safe_input.read_bytes(pack_path), PACK_FILE)
    except safe_input.InputProblem as exc:
        raise PackError([Problem(PACK_FILE, 1, f"{PACK_FILE} {exc.problem}: a pack is a "
                                               f"folder with {PACK_FILE} in it")]) from None
    try:
        pack = parse_pack(text)
    except PackError as exc:  # still check the files it names, so one run lists them all
        raise PackError(exc.problems + _problems_of_files(folder, text)) from None
    problems: list[Problem] = []
    offered = _templates(folder, pack, text, problems)
    policy = _policy(folder, pack, text, problems)
    rules = _retention(folder, pack, text, problems)
    logo = _logo(_optional_file(folder, pack.logo, text, ("logo",), MAX_LOGO_BYTES,
                                problems), text, problems)
    recovery = _recovery_key(folder, problems)
    ca_files = tuple(sorted(p for p in (folder / CA_FOLDER).glob("*")
                            if p.suffix.lower() in (".pem", ".crt", ".cer", ".der")))
    if problems or policy is None or rules is None:
        raise PackError(problems)
    return LoadedPack(pack, PackSource(path, where), offered, policy, rules, logo, recovery,
                      ca_files)


def _problems_of_files(folder: Path, text: str) -> list[Problem]:
    """What is wrong with the pack's own forms, policy and rules files, read as far as an
    agency.yaml that has problems of its own allows."""
    problems: list[Problem] = []
    for error in load_directory(folder / TEMPLATES_FOLDER).errors:
        name = f"{TEMPLATES_FOLDER}/{error.path.name}"
        problems.extend(Problem(name, line, message) for line, message in error.located)
    try:
        data = safe_input.loads_yaml(text, PACK_FILE)
    except safe_input.InputProblem:
        return problems
    named = data if isinstance(data, dict) else {}
    for key, loader in (("policy", load_profile), ("retention", load_rules)):
        value = named.get(key)
        if isinstance(value, str) and is_file_reference(value) and \
                FILE_NAME.match(value) and (folder / value).is_file():
            try:
                loader(folder / value)
            except (PolicyError, RetentionError) as exc:
                problems.extend(Problem(value, line, message) for line, message in exc.located)
    return problems


def check(path: Path) -> list[Problem]:
    """Every problem of the pack at ``path`` ([] if it is fine to install)."""
    try:
        load(path)
    except PackError as exc:
        return exc.problems
    return []


def _templates(folder: Path, pack: AgencyPack, text: str,
               problems: list[Problem]) -> TemplateCatalogue:
    from supervision_desktop.services.templates import catalogue

    own = load_directory(folder / TEMPLATES_FOLDER)
    for error in own.errors:
        name = f"{TEMPLATES_FOLDER}/{error.path.name}"
        problems.extend(Problem(name, line, message) for line, message in error.located)
    shipped = {t.id: t for t in catalogue().templates}
    listed = set(pack.templates)
    chosen: list[Template] = []
    for index, template_id in enumerate(pack.templates):
        mine = next((t for t in own.templates if t.id == template_id), None)
        template = mine or shipped.get(template_id)
        if template is None:
            problems.append(Problem(PACK_FILE, line_of(text, ("templates", index)),
                                    f"templates: there is no template '{template_id}' in "
                                    f"{TEMPLATES_FOLDER}/ or among the shipped ones"))
            continue
        twin = shipped.get(template_id)
        if mine is not None and twin is not None and twin.version == mine.version \
                and twin.snapshot() != mine.snapshot():
            problems.append(Problem(
                f"{TEMPLATES_FOLDER}/{template_id}.yaml", 1,
                f"differs from the shipped '{template_id}' version {twin.version}: raise "
                f"its version (version: {twin.version + 1}) so records made with either "
                "stay told apart"))
        chosen.append(template)
    for template in own.templates:
        if template.id not in listed:
            problems.append(Problem(PACK_FILE, line_of(text, ("templates",)),
                                    f"templates: {TEMPLATES_FOLDER}/ holds '{template.id}', "
                                    "which is not listed, so it would never be offered"))
    return TemplateCatalogue(tuple(chosen), ())


def _policy(folder: Path, pack: AgencyPack, text: str,
            problems: list[Problem]) -> PolicyProfile | None:
    from supervision_desktop.services.compliance import profiles

    if is_file_reference(pack.policy):
        try:
            return load_profile(folder / pack.policy)
        except PolicyError as exc:
            problems.extend(Problem(pack.policy, line, message) for line, message in exc.located)
            return None
    try:
        return profiles().get(pack.policy)
    except KeyError:
        known = ", ".join(p.id for p in profiles().profiles)
        problems.append(Problem(PACK_FILE, line_of(text, ("policy",)),
                                f"policy: there is no shipped profile '{pack.policy}' "
                                f"(shipped: {known}; or name a .yaml file in the pack)"))
        return None


def _retention(folder: Path, pack: AgencyPack, text: str,
               problems: list[Problem]) -> RetentionRules | None:
    from supervision_desktop.services.retention import shipped_rules

    if is_file_reference(pack.retention):
        try:
            return load_rules(folder / pack.retention)
        except RetentionError as exc:
            problems.extend(Problem(pack.retention, line, message)
                            for line, message in exc.located)
            return None
    if pack.retention != shipped_rules().id:
        problems.append(Problem(PACK_FILE, line_of(text, ("retention",)),
                                f"retention: there are no shipped rules '{pack.retention}' "
                                f"(shipped: {shipped_rules().id}; or name a .yaml file in "
                                "the pack)"))
        return None
    return shipped_rules()


def _optional_file(folder: Path, name: str | None, text: str, key: tuple[str, ...],
                   max_bytes: int, problems: list[Problem]) -> bytes | None:
    if name is None:
        return None
    try:
        return safe_input.read_bytes(folder / name, max_bytes=max_bytes, name=name)
    except safe_input.InputProblem as exc:
        problems.append(Problem(PACK_FILE, line_of(text, key), f"{key[-1]}: {exc}"))
        return None


def _logo(data: bytes | None, text: str, problems: list[Problem]) -> bytes | None:
    """The logo if it is a PNG or JPEG image of a sensible size, as its name says."""
    if data is None:
        return None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, size = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError) as exc:
        problem = f"logo: is not a PNG or JPEG image ({exc})"
    else:
        if kind not in ("PNG", "JPEG"):
            problem = f"logo: is a {kind} image; use PNG or JPEG"
        elif max(size) > MAX_LOGO_PIXELS:
            problem = (f"logo: is {size[0]} × {size[1]} pixels; at most {MAX_LOGO_PIXELS} "
                       "a side is needed for a page header")
        else:
            return data
    problems.append(Problem(PACK_FILE, line_of(text, ("logo",)), problem))
    return None


def _recovery_key(folder: Path, problems: list[Problem]) -> bytes | None:
    path = folder / RECOVERY_PUBLIC_KEY
    if not path.exists():
        return None
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    try:
        data = safe_input.read_bytes(path, max_bytes=64 * 1024, name=RECOVERY_PUBLIC_KEY)
        key = load_pem_public_key(data)
    except (safe_input.InputProblem, ValueError) as exc:
        problems.append(Problem(RECOVERY_PUBLIC_KEY, 1, f"is not a PEM public key ({exc})"))
        return None
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size < 3072:
        problems.append(Problem(RECOVERY_PUBLIC_KEY, 1, "must be an RSA key of at least "
                                                        "3072 bits (openssl genpkey -algorithm RSA "
                                                        "-pkeyopt rsa_keygen_bits:3072)"))
        return None
    return data


# --- archives -------------------------------------------------------------------------------


def _unpacked(path: Path) -> Path:
    """The pack's folder: ``path`` itself, or a private copy of a .zip's files."""
    if path.is_dir():
        return path
    if not path.exists():
        raise PackError([Problem(str(path), 1, "is not there")])
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackError([Problem(path.name, 1, f"is neither a pack folder nor a .zip of one "
                                               f"({exc})")]) from None
    with archive:
        return _extract(archive, path.name)


def _extract(archive: zipfile.ZipFile, name: str) -> Path:
    entries = archive.infolist()
    if len(entries) > MAX_ARCHIVE_FILES or \
            sum(entry.file_size for entry in entries) > MAX_ARCHIVE_BYTES:
        raise PackError([Problem(name, 1, "holds far more than a pack does "
                                          f"(at most {MAX_ARCHIVE_FILES} files, 50 MB)")])
    names = [entry.filename for entry in entries]
    top = {n.split("/", 1)[0] for n in names}
    prefix = f"{top.pop()}/" if PACK_FILE not in names and len(top) == 1 else ""
    target = Path(tempfile.mkdtemp(prefix="sd-agency-"))
    atexit.register(shutil.rmtree, target, True)
    for entry in entries:
        relative = entry.filename.removeprefix(prefix)
        parts = Path(relative).parts
        if entry.is_dir() or not relative:
            continue
        if relative.startswith("/") or ".." in parts or \
                stat.S_ISLNK(entry.external_attr >> 16):
            raise PackError([Problem(name, 1, f"'{entry.filename}' points outside the pack")])
        destination = target.joinpath(*parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(entry) as source, destination.open("wb") as out:
            shutil.copyfileobj(source, out)
    return target


# --- a new pack from a shipped organisation --------------------------------------------------


def shipped_organisations() -> list[str]:
    return sorted(p.name for p in paths.agencies_dir().iterdir() if (p / PACK_FILE).is_file())


def new_pack(folder: Path, like: str) -> LoadedPack:
    """An editable pack in ``folder`` copied from the shipped organisation ``like``: its
    agency.yaml, and its own copies of the forms, the policy profile and the retention
    rules, so IT can change any wording; checked before it is returned."""
    from supervision_desktop.services.compliance import get_profile
    from supervision_desktop.services.retention import rules_dir

    example = paths.agencies_dir() / like / PACK_FILE
    if not example.is_file():
        raise NotFound(f"There is no shipped organisation '{like}'. Choose one of: "
                       f"{', '.join(shipped_organisations())}.")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InvalidInput(f"{folder} is not an empty folder: choose a new one for the pack.")
    shipped = parse_pack(example.read_text(encoding="utf-8"))
    (folder / TEMPLATES_FOLDER).mkdir(parents=True, exist_ok=True)
    for template_id in shipped.templates:
        shutil.copyfile(paths.templates_dir() / f"{template_id}.yaml",
                        folder / TEMPLATES_FOLDER / f"{template_id}.yaml")
    profile = get_profile(shipped.policy)
    shutil.copyfile(paths.policies_dir() / f"{profile.id}.yaml", folder / "policy.yaml")
    shutil.copyfile(rules_dir() / f"{shipped.retention}.yaml", folder / "retention.yaml")
    text = example.read_text(encoding="utf-8")
    text = text.replace(f"\npolicy: {shipped.policy}\n", "\npolicy: policy.yaml\n")
    text = text.replace(f"\nretention: {shipped.retention}\n", "\nretention: retention.yaml\n")
    (folder / PACK_FILE).write_text(text, encoding="utf-8")
    return load(folder)
