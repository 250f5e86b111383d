"""Step 3, find candidates: the spans of a sentence worth hiding, each with its kind.

Numbers, percentages, dates and years come from regular expressions; names and their kinds from
``names``. Key terms are short quoted phrases and words that are rare in English by wordfreq's counts
("denuclearization"). A candidate is always a whole name or phrase: never a stop word, never half
a name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import lexicon as lx
from .names import DIRECTIONS, find_names
from .segment import Sentence
from .words import zipf

KINDS = (
    "person",
    "organisation",
    "place",
    "acronym",
    "date",
    "year",
    "number",
    "percent",
    "term",
    "name",
)

_MONTHS = "|".join(lx.MONTHS)
_NUMWORD = "|".join(sorted(lx.NUMBER_WORDS, key=len, reverse=True))
_ORDWORD = "|".join(sorted(lx.ORDINAL_WORDS, key=len, reverse=True))
_NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{_NUMWORD}|half)"
_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    (
        "percent",
        "percent",
        re.compile(rf"\b{_NUMBER}(?:\s?%|\s(?:percent|per cent|percentage points?))", re.I),
    ),
    (
        "number",
        "money",
        re.compile(r"[$€£¥]\s?\d[\d,.]*(?:\s(?:million|billion|trillion))?\b", re.I),
    ),
    (
        "date",
        "day-year",
        re.compile(
            rf"\b(?:(?:{_MONTHS})\s\d{{1,2}}(?:[-–]\d{{1,2}})?,?\s\d{{4}}|"
            rf"\d{{1,2}}(?:[-–]\d{{1,2}})?\s(?:{_MONTHS}),?\s\d{{4}})\b"
        ),
    ),
    ("date", "month-year", re.compile(rf"\b(?:{_MONTHS}),?\s\d{{4}}\b")),
    (
        "date",
        "day",
        re.compile(rf"\b(?:(?:{_MONTHS})\s\d{{1,2}}(?:[-–]\d{{1,2}})?|\d{{1,2}}\s(?:{_MONTHS}))\b"),
    ),
    ("date", "month", re.compile(rf"\b(?:{_MONTHS})\b(?!\s(?:[A-Z]|\d))")),
    ("year", "decade", re.compile(r"\b(?:1[5-9]|20)\d0s\b")),
    ("year", "year", re.compile(r"(?<![\w$€£-])(?:1[5-9]\d\d|20\d\d)(?![\w%-]|\.\d)")),
    (
        "number",
        "count",
        re.compile(
            rf"(?<![+/\w-])(?:(?:more|less|fewer) than |nearly |almost |about |over |some )?"
            rf"(?:{_NUMBER}(?:\s(?:a\s)?(?:hundred|thousand|million|billion|trillion))?"
            rf"(?:[-\s](?:{'|'.join(lx.TIME_UNITS)})\b)?"
            rf"|\d+(?:st|nd|rd|th)|{_ORDWORD})\b(?![+/]\d)",
            re.I,
        ),
    ),
)
_QUALIFIERS = frozenset("more less fewer than nearly almost about over some".split())
_TERM_ENDINGS = tuple(
    "tion sion ism ity ment ness ance ence ship ive al ic ics ary ory ure cy ist logy".split()
)
_ADJECTIVE_ENDINGS = ("ic", "al", "ive", "ous", "ary", "ar", "ent", "ant", "ed", "ing")
_NEXT_WORD = re.compile(r" ([a-z]{3,})\b")
_QUOTED = re.compile(r"[“\"]([^“”\"]{2,60})[”\"]")


@dataclass(frozen=True)
class Candidate:
    """A span of ``Sentence.text`` that a question may hide or swap.

    ``sub`` refines the kind for picking distractors: the unit of a number ("months"), the shape
    of a date ("month-year"), the sort of place ("country", "city", "region").
    """

    text: str
    kind: str
    sub: str
    start: int
    end: int
    score: float = 0.0


def numeric_candidates(text: str) -> list[Candidate]:
    """Percentages, amounts, dates, years and counts in ``text``, longest first on overlap."""
    found: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for kind, sub, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            value, detail = m.group(0), sub
            if kind == "number" and sub == "count":
                value, start, detail = _count(value, start)
                if not value:
                    continue
            if kind == "date" and sub == "month" and value == "May" and not _month_context(text, m):
                continue
            taken.append((m.start(), m.end()))
            found.append(Candidate(value, kind, detail, start, start + len(value)))
    found.sort(key=lambda c: c.start)
    return found


def _month_context(text: str, m: re.Match[str]) -> bool:
    """ "May" is a month only after "in", "last", "this", "early"... ("In May", "last May")."""
    before = text[: m.start()].split()
    return bool(before) and before[-1].lower() in {"in", "last", "this", "next", "early", "late"}


def _count(value: str, start: int) -> tuple[str, int, str]:
    """Trim a count match to the number (and its time unit): "eight months", "30th"."""
    words = value.split()
    lead = 0
    while words and words[0].lower() in _QUALIFIERS:
        lead += len(words[0]) + 1
        words = words[1:]
    core = " ".join(words)
    low = core.lower()
    if low in {"one", "half", "first", "two", "three", "dozen", "hundred"}:
        return "", start, ""  # too common on their own ("two sides") to be worth hiding
    unit = ""
    last = re.split(r"[-\s]", low)[-1]
    if last in lx.TIME_UNITS:
        unit = last.rstrip("s")
    elif re.fullmatch(r"\d+(?:st|nd|rd|th)|" + _ORDWORD, low):
        unit = "ordinal"
    return core, start + lead, unit or "count"


def quoted_terms(text: str) -> list[Candidate]:
    """Short phrases in quotation marks ("high-level exchanges"): a key term of the text."""
    out = []
    for m in _QUOTED.finditer(text):
        inner = m.group(1).strip(" ,.")
        words = inner.split()
        if 1 <= len(words) <= 4 and not any(ch in inner for ch in ".!?;:"):
            if all(zipf(w) >= 5.0 for w in words):
                continue  # "the same", "as soon as": nothing to learn
            start = text.index(inner, m.start())
            out.append(Candidate(inner, "term", "quoted", start, start + len(inner)))
    return out


def rare_terms(text: str, taken: Sequence[tuple[int, int]]) -> list[Candidate]:
    """Lower-case words rare in English ("denuclearization"): key terms of the text."""
    out = []
    for m in re.finditer(r"(?<![\w’'-])[a-z]+(?:-[a-z]+)*(?![\w’'-])", text):
        word = m.group(0)
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        parts = word.split("-")
        if len(parts) > 1:
            if any(zipf(p) >= 5.8 or len(p) < 3 for p in parts) or len(word) < 9:
                continue
            rarity = min(zipf(p) for p in parts) + 1.0
        else:
            # Rare verbs and adverbs ("plummeted", "stabilizes") are not terms to learn: keep
            # words with the endings of abstract nouns and adjectives.
            if len(word) < 7 or not word.rstrip("s").endswith(_TERM_ENDINGS):
                continue
            rarity = zipf(word)
        if 0 < rarity < 3.3:
            out.append(Candidate(word, "term", "word", m.start(), m.end()))
    return out


def _noun_after(text: str, end: int) -> int | None:
    """The end of the noun a compound qualifies: the next word, or the next two or three when
    the first are adjectives ("short-range ballistic missiles")."""
    pos, stop = end, None
    for _ in range(3):
        m = _NEXT_WORD.match(text, pos)
        if m is None or zipf(m.group(1)) >= 6.0:
            break
        stop = pos = m.end()
        if not m.group(1).endswith(_ADJECTIVE_ENDINGS):
            return stop
    return stop


def compound_term(text: str, start: int, end: int) -> Candidate | None:
    """A compound of names with the noun it qualifies ("US-ROK alliance", "Sino-South Korean
    relations"): a term of the text, never the compound cut from its noun."""
    stop = _noun_after(text, end)
    if stop is None:
        return None
    return Candidate(text[start:stop], "term", "compound", start, stop)


def lowercase_compounds(text: str, taken: Sequence[tuple[int, int]]) -> list[Candidate]:
    """Hyphenated terms with their noun ("working-level dialogues", "anti-Japan sentiments",
    "2+2 meeting"), unless a part is a stop word ("face-to-face")."""
    out = []
    for m in re.finditer(r"(?<![\w-])(?:[a-z]+(?:-[A-Za-z]+)+|\d\+\d)(?![\w-])", text):
        parts = re.split(r"[-+]", m.group(0))
        if any(p.islower() and zipf(p) >= 6.0 for p in parts):
            continue
        stop = _noun_after(text, m.end())
        if stop is None or any(m.start() < e and s < stop for s, e in taken):
            continue
        out.append(Candidate(text[m.start() : stop], "term", "compound", m.start(), stop))
    return out


def find_candidates(sentences: Sequence[Sentence]) -> list[list[Candidate]]:
    """Every candidate of every sentence, typed with what the whole document says."""
    per_sentence: list[list[Candidate]] = []
    for s in sentences:
        found = numeric_candidates(s.text)
        found += [q for q in quoted_terms(s.text) if not _overlaps(q, found)]
        per_sentence.append(found)
    taken = [[(c.start, c.end) for c in found] for found in per_sentence]
    names = find_names([s.text for s in sentences], taken)
    for name in names:
        if name.sub == "compound":
            term = compound_term(sentences[name.sentence].text, name.start, name.end)
            if term is not None:
                per_sentence[name.sentence].append(term)
            continue
        if name.text in lx.ADJECTIVES | DIRECTIONS:
            continue
        if re.fullmatch(r"\S+-[a-z][\w-]*", name.text):
            continue  # "K-pop", "US-led", "English-language": compounds, not names
        if name.text.endswith("s") and name.text[:-1] in lx.ADJECTIVES | {"Korean"}:
            continue  # "Koreans", "Americans": the people, not a name to learn
        kind = name.kind or "name"
        per_sentence[name.sentence].append(
            Candidate(name.text, kind, name.sub or kind, name.start, name.end)
        )
    for s, found in zip(sentences, per_sentence, strict=True):
        taken = [(c.start, c.end) for c in found]
        found.extend(lowercase_compounds(s.text, taken))
        taken = [(c.start, c.end) for c in found]
        found.extend(rare_terms(s.text, taken))
        found.sort(key=lambda c: (c.start, -c.end))
    return per_sentence


def _overlaps(c: Candidate, others: Sequence[Candidate]) -> bool:
    return any(c.start < o.end and o.start < c.end for o in others)
