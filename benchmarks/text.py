"""Fictional, varied prose for generated records (deterministic for a given random source).

Sentences are put together from a social-care vocabulary with a long tail of rarer
words, so full-text search sees the mix of very common and rare terms real notes have;
a few sentences carry Welsh, Arabic or an emoji, as real records do.
"""

from __future__ import annotations

import random

FIRST_NAMES = (  # noqa: SIM905 - names read best as words
    "Amara Bethan Callum Delyth Eleri Farah Gethin Hamza Imogen Jamal Keira Lowri Mared "
    "Nasir Orla Priya Rhodri Saoirse Tariq Ulla Vikram Wenna Yusuf Zara Aled Bronwen "
    "Cerys Dafydd Esme Fatima Gwion Hana Idris Jasmine Kwame Leyla Mali Nia Osian Rania "
    "Siân Tomos Umar Yara Zaynab Ffion Iolo Malak Noor Tegan"
).split()
SURNAMES = (  # noqa: SIM905
    "Okafor Pritchard Haddad Llewellyn Mensah Rahman Thorne Vaughan Karim Ashdown Brennan "
    "Castell Dunmore Evershed Fairbairn Gwynedd Harrow Iqbal Jarvis Kettering Lister "
    "Moorcroft Nadeem Oakes Penhallow Quayle Rowntree Saleem Treharne Underwood Varley "
    "Wynne Yelland Zubair Abernethy Bellamy Cadwgan Dillane Emberton Foxley"
).split()

SUBJECTS = (
    "the placement", "contact with her mother", "his school attendance", "the care plan",
    "the carers' respite request", "the safety plan", "the family network meeting",
    "the strategy discussion", "the core group", "the review health assessment",
    "the pathway plan", "life story work", "the court timetable", "the allowance claim",
    "her friendships", "the CAMHS referral", "the dentist appointment", "bedtime routines",
    "the sibling contact", "the independent reviewing officer's view", "the caseload",
    "the training plan", "the appraisal objectives", "TOIL and leave", "wellbeing",
)
VERBS = (
    "was discussed", "remains a worry", "is going well", "needs follow-up", "was reviewed",
    "has improved since the last session", "was agreed with the family",
    "should be escalated to the team manager", "is on track", "was delayed again",
    "needs a clearer plan", "was reflected on together", "has been recorded on the file",
)
CONNECTORS = (
    "because", "although", "and", "so", "while", "after", "before", "since", "but",
)
DETAILS = (
    "the grandmother offered to help with the school run", "the worker felt stretched",
    "the child said she feels safe at home", "the carers asked for more training",
    "the police referral was closed with no further action",
    "the exclusion was overturned at the governors' meeting",
    "the housing officer has not replied", "the health visitor will visit on Thursday",
    "contact was moved to Saturday mornings", "the young person wants to stay put",
    "supervision was moved to fit the court hearing", "the manager approved the plan",
    "the allowance was paid late", "the therapist suggested weekly sessions",
    "an interpreter is needed for the next visit", "the sibling group will stay together",
)
EXTRAS = (
    "Mae hi'n hapus yn yr ysgol newydd.", "Diolch am y gefnogaeth.",
    "Dywedodd ei fod eisiau aros gyda'i nain.", "قالت إنها تشعر بالأمان.",
    "شكراً على الدعم", "Feeling much better now 🙂", "Great progress this month 👍",
    "Moved to Llanfair — Dŵr Cymru works delayed the visit.", "Meeting at the café on Rue Élise.",
)

_SYLLABLES = ("ba be bi bo da de di do fa fe fi ga go ka ke ki ko la le li lo ma me mi mo "  # noqa: SIM905
              "na ne ni no pa pe ra re ri ro sa se si so ta te ti to va ve wa we ya yo").split()


def _rare_words(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(3, 5)))
            for _ in range(count)]


RARE = _rare_words(7, 4000)  # a long tail: place names, surnames, jargon in real notes


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def sentence(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.04:
        return rng.choice(EXTRAS)
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)}"
    if roll < 0.7:
        text += f" {rng.choice(CONNECTORS)} {rng.choice(DETAILS)}"
    if roll < 0.35:
        text += f", noted by {person_name(rng)} at {rng.choice(RARE).capitalize()}"
    return text[0].upper() + text[1:] + "."


def prose(rng: random.Random, words: int) -> str:
    """About ``words`` words of paragraphs."""
    out: list[str] = []
    count = 0
    while count < words:
        paragraph = [sentence(rng) for _ in range(rng.randint(3, 6))]
        out.append(" ".join(paragraph))
        count += sum(len(s.split()) for s in paragraph)
    return "\n\n".join(out)


def phrase(rng: random.Random, most: int = 60) -> str:
    return sentence(rng)[:most].rstrip(" ,.") or "Noted"
