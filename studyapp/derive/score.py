"""Step 4, score: how worth remembering each candidate is, and which sentences are informative.

A score starts from the candidate's kind (a person, a date or a percentage is a fact to learn; a
country named in every other sentence of an article about it is not) and drops for what makes a
question trivial: a name the article repeats everywhere, or one that the same sentence shows again
elsewhere, so that hiding it hides nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from . import lexicon as lx
from .candidates import Candidate
from .segment import Sentence

BASE: dict[tuple[str, str], float] = {
    ("person", "person"): 3.0,
    ("person", "person-weak"): 2.6,
    ("organisation", "organisation"): 3.0,
    ("organisation", "academic"): 3.0,
    ("organisation", "media"): 3.0,
    ("organisation", "government"): 3.0,
    ("organisation", "arrangement"): 3.0,
    ("percent", "percent"): 3.2,
    ("number", "money"): 3.2,
    ("date", "day-year"): 3.0,
    ("date", "month-year"): 3.0,
    ("date", "day"): 2.8,
    ("date", "month"): 2.4,
    ("year", "year"): 2.8,
    ("year", "decade"): 2.6,
    ("number", "ordinal"): 2.6,
    ("acronym", "acronym"): 2.4,
    ("place", "city"): 2.5,
    ("place", "capital"): 2.3,
    ("place", "region"): 2.3,
    ("place", "country"): 2.1,
    ("term", "quoted"): 2.5,
    ("term", "expansion"): 3.0,
    ("term", "word"): 2.2,
    ("term", "compound"): 2.0,
    ("name", "event"): 2.4,
}
# A number's sort is its unit ("month", "count"): they all score alike.
KIND_BASE = {"number": 2.6, "name": 1.0}
# Kinds a document mentions over and over, so that the answer is no longer worth asking.
_REPEATABLE = ("place", "organisation", "person", "acronym")
# A sentence must hold a candidate at least this good to be called informative.
INFORMATIVE = 1.25
MIN_WORDS = 8


def key(c: Candidate) -> str:
    """What two mentions share when they name the same thing ("US" and "the United States")."""
    if c.kind == "place":
        country = lx.COUNTRY_BY_NAME.get(c.text.casefold())
        if country is not None and c.text not in lx.CAPITALS:
            return "country:" + country.name
    return c.text.casefold()


def score_candidates(
    sentences: Sequence[Sentence], per_sentence: Sequence[Sequence[Candidate]]
) -> list[list[Candidate]]:
    """The candidates with their scores; a candidate not worth hiding scores 0."""
    mentions: Counter[str] = Counter()
    for found in per_sentence:
        mentions.update({key(c) for c in found})
    n = max(1, len(sentences))
    out: list[list[Candidate]] = []
    for s, found in zip(sentences, per_sentence, strict=True):
        scored = []
        keys = Counter(key(c) for c in found)
        for c in found:
            value = BASE.get((c.kind, c.sub), KIND_BASE.get(c.kind, 1.0))
            share = mentions[key(c)] / n
            if c.kind in _REPEATABLE and n >= 8:
                if share > 0.35:
                    value *= 0.4
                elif share > 0.2:
                    value *= 0.6
            if c.kind in ("person", "organisation", "place") and " " in c.text:
                value += 0.2
            if keys[key(c)] > 1 or _shown_elsewhere(s.text, c):
                value = 0.0
            scored.append(replace(c, score=round(value, 3)))
        out.append(scored)
    return out


def _shown_elsewhere(text: str, c: Candidate) -> bool:
    """Whether the sentence shows the answer outside the span (so hiding it hides nothing)."""
    rest = text[: c.start] + " " + text[c.end :]
    return re.search(rf"(?<!\w){re.escape(c.text)}(?!\w)", rest, re.IGNORECASE) is not None


# Two sentences run together without a stop ("has been blamed The United States has called"):
# a garbled text, which a question would only repeat.
_RUN_ON = re.compile(r"\b[a-z]{2,} (?:The|This|It|They|We|He|She) (?=[A-Za-z])")


def informative(sentence: Sentence, scored: Sequence[Candidate]) -> bool:
    """A sentence worth a question: long enough, and holding a fact worth remembering."""
    if sentence.words < MIN_WORDS or sentence.text.rstrip("”’\"' ").endswith("?"):
        return False
    if _RUN_ON.search(sentence.text):
        return False
    return any(c.score >= INFORMATIVE for c in scored)
