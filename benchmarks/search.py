"""Search speed on a realistic vault: a team's years of records (not run as a test).

Usage: python -m benchmarks.search [RECORDS]   (default 3000; from the project folder)
       python -m benchmarks.search --cached YEARS [RUNS]   (a copy of the generated vault)

``--cached`` times the search figure of ``python -m benchmarks`` alone, as
``benchmarks/gui.py`` does (its queries, one warm-up then RUNS runs each, default 5), on a
copy of the cached generated vault (never generating one): median, min-max and CPU
milliseconds, and per query how many records matched and in what order.
Builds a fresh vault in a temp folder: 12 supervisees and 60 children, RECORDS records
spread over 5 years across all 14 templates, every field filled with varied prose
(long fields 2-20 KB, one in 50 a 100 KB paste). Then times 40 searches of common,
rare and multi-word queries and prints the median and 95th percentile.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from supervision_desktop.domain.templates import FieldKind
from supervision_desktop.services import people, records, search, vault_access
from supervision_desktop.services.templates import catalogue

WORDS = ("family school placement contact review plan risk worried working well grandmother "  # noqa: SIM905
         "respite allowance health dentist therapy court hearing social worker visit "
         "education attendance bullying exclusion housing benefit police referral strategy "
         "meeting conference wishes feelings life story permanence adoption fostering carer "
         "training supervision caseload wellbeing sickness leave TOIL appraisal objectives "
         "Dŵr Łódź safeguarding allegation complaint incident approval household finance").split()


SYLLABLES = ("ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu la "  # noqa: SIM905
             "le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro ru sa se si so su ta te "
             "ti to tu").split()
_r = random.Random(1)
# Zipf-like: a realistic vocabulary where a few words are everywhere and most are rare.
VOCABULARY = ["the", "and", "to", "of", "a", "was", "is", "with", "for", "on"] + WORDS + [
    "".join(_r.choice(SYLLABLES) for _ in range(_r.randint(2, 4))) for _ in range(5000)]
WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
NARROW = "--narrow" in sys.argv  # worst case: every record uses the same 70 words


def prose(rng: random.Random, size: int) -> str:
    out, length = [], 0
    while length < size:
        if NARROW:
            words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
        else:
            words = rng.choices(VOCABULARY, WEIGHTS, k=rng.randint(6, 18))
        sentence = " ".join(words).capitalize() + ". "
        out.append(sentence)
        length += len(sentence)
    return "".join(out)


def fill(template, rng: random.Random) -> dict:
    values = {}
    for field in template.fields():
        kind = field.kind
        if kind is FieldKind.LONGTEXT:
            size = 100_000 if rng.random() < 0.02 else rng.randint(300, 4000)
            values[field.id] = prose(rng, size)
        elif kind in (FieldKind.TEXT, FieldKind.PERSON):
            values[field.id] = prose(rng, 30)[:60]
        elif kind is FieldKind.TABLE:
            values[field.id] = [
                {c.id: prose(rng, 80)[:120] for c in field.columns
                 if c.kind.value in ("text", "longtext", "person")}
                for _ in range(rng.randint(1, 4))
            ]
    return values


def cached(years: int, runs: int) -> None:
    from benchmarks import generate
    from benchmarks.gui import QUERIES, Timings, _time

    home = generate.cache_dir(years)
    if not (home / "generated.json").exists():
        sys.exit(f"No cached {years}-year vault: python -m benchmarks.generate --years {years}")
    folder = Path(tempfile.mkdtemp()) / "vault"
    shutil.copytree(home / "vault", folder)
    vault = vault_access.unlock_with_passphrase(folder, generate.PASSPHRASE).vault
    try:
        every = Timings()
        for query in QUERIES:
            timings = _time(lambda q=query: search.search(vault, q), runs)
            every += timings
            found = search.search(vault, query)
            matched = (f"more than {search.RANKED_AT_MOST}, newest first"
                       if found.matched is None else f"{found.matched}, best first")
            print(f"  {query!r:24} {statistics.median(timings):6.2f} ms "
                  f"(cpu {statistics.median(timings.cpu):6.2f})  matched: {matched}")
        print(f"{years} years, {len(every)} searches: median {statistics.median(every):.2f} ms "
              f"({min(every):.2f}-{max(every):.2f}), cpu {statistics.median(every.cpu):.2f} ms")
    finally:
        vault.close()
        shutil.rmtree(folder.parent)


def main() -> None:
    if "--cached" in sys.argv:
        numbers = [int(a) for a in sys.argv[1:] if a.isdigit()]
        cached(numbers[0] if numbers else 10, numbers[1] if len(numbers) > 1 else 5)
        return
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    count = int(args[0]) if args else 3000
    rng = random.Random(2026)
    folder = Path(tempfile.mkdtemp()) / "vault"
    created = vault_access.create_vault(folder, owner_name="Bench Mark", role="supervisor",
                                        passphrase="correct horse battery staple bench")
    vault = created.vault
    staff = [people.add_person(vault, "supervisee", {"name": f"Worker {n}"}).id for n in range(12)]
    children = [people.add_person(vault, "child", {"name": f"Child {n}"}).id for n in range(60)]
    carers = [people.add_person(vault, "carer", {"name": f"Household {n}"}).id for n in range(15)]
    subjects = {"supervisee": staff, "child": children, "carer": carers, "none": [None]}
    templates = catalogue().templates
    start = time.perf_counter()
    for n in range(count):
        template = templates[n % len(templates)]
        day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(0, 5 * 365))
        fields = fill(template, rng)
        if n == count // 3:
            fields[next(f.id for f in template.fields() if f.kind is FieldKind.LONGTEXT)] += \
                " Quetzalcoatlus appears once in the whole vault."
        subject = rng.choice(subjects[template.subject_kind])
        records.create_record(vault, template, subject_id=subject,
                              session_date=day, fields=fields)
    build = time.perf_counter() - start
    size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    queries = ["respite", "grandmother respite", "quetzalcoatlus", "court hearing", "dwr",
               "safeguarding allegation complaint", "wor", "Worker 3", "appraisal objectives",
               "exclusion"]
    timings, counts = [], {}
    search.search(vault, "warm up")
    for _ in range(4):
        for query in queries:
            t0 = time.perf_counter()
            hits = search.search(vault, query)
            timings.append((time.perf_counter() - t0) * 1000)
            counts[query] = "many" if hits.matched is None else hits.matched
    timings.sort()
    print(f"records: {count}, built in {build:.0f} s, vault folder {size:.0f} MB")
    print(f"searches: {len(timings)}, median {statistics.median(timings):.1f} ms, "
          f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, max {timings[-1]:.1f} ms")
    print("records matched (\"many\": newest 50 shown):", counts)
    vault.close()
    shutil.rmtree(folder.parent)


if __name__ == "__main__":
    main()
