"""Step 6, pick distractors: same-kind alternatives that the document does not make true.

The pool holds every typed candidate of this document and of the other banks' documents and
choice options. A distractor must be of the answer's kind and sort (a person for a person, a
country for a country, a month and year for a month and year) and must not be right by the
document: it may not be the answer under another name ("Seoul" for "South Korea", "Xi" for "Xi
Jinping", "THAAD" for its spelled-out name), appear in the same sentence, or stand in the
document next to the words that surround the answer. Numbers, years and dates the pool lacks are
made by moving the answer's value, and checked the same way.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from . import lexicon as lx
from .candidates import Candidate
from .score import key
from .segment import Sentence

# Kinds a choice or a true/false swap may use: kinds whose alternatives are plainly wrong and
# alike. Acronyms are left out: "THAAD", "BTS" and "ASEAN" are all acronyms but not alike.
SWAPPABLE = ("person", "organisation", "place", "date", "year", "number", "percent")
_NUMBER_NAMES = {v: k for k, v in lx.NUMBER_WORDS.items() if k not in ("dozen", "hundred")}
_ORDINAL_NAMES = {v: k for k, v in lx.ORDINAL_WORDS.items()}


@dataclass(frozen=True)
class Alternative:
    """A same-kind value a distractor can be drawn from."""

    text: str
    kind: str
    sub: str
    sentence: int | None  # its sentence in this document; None when from another bank
    role: str = ""  # the title or role word next to it ("president", "ambassador"), if any


def role_of(text: str, c: Candidate) -> str:
    """The role word right before a name ("President Xi") or the government word right after
    it ("the Biden administration"): options that share it read alike."""
    before = re.findall(r"[\w-]+", text[: c.start])[-1:]
    after = re.findall(r"[\w-]+", text[c.end :])[:1]
    if before and before[0].casefold() in lx.ROLE_WORDS:
        return before[0].casefold().rstrip("s")
    if after and after[0].casefold() in lx.GOVERNMENT_WORDS:
        return "government"
    return ""


@dataclass
class Pool:
    """Every alternative by (kind, sort), in the order first met, plus the document's text."""

    document_text: str
    sentences: Sequence[Sentence]
    aliases: dict[str, set[str]] = field(default_factory=dict)
    share: dict[str, float] = field(default_factory=dict)  # of sentences naming a thing
    by_kind: dict[tuple[str, str], list[Alternative]] = field(default_factory=dict)

    def add(self, alt: Alternative) -> None:
        group = self.by_kind.setdefault(_group(alt.kind, alt.sub), [])
        if all(a.text.casefold() != alt.text.casefold() for a in group):
            group.append(alt)


def _group(kind: str, sub: str) -> tuple[str, str]:
    """Which alternatives can stand for each other: persons whatever their sort, places only of
    the same sort, numbers only with the same unit."""
    if kind in ("person", "year", "percent"):
        return kind, ""
    return kind, sub


def build_pool(
    sentences: Sequence[Sentence],
    per_sentence: Sequence[Sequence[Candidate]],
    others: Iterable[Alternative] = (),
) -> Pool:
    """The pool for one document, its own candidates first, then the other banks'."""
    text = " ".join(s.text for s in sentences)
    pool = Pool(text, sentences, aliases=document_aliases(sentences))
    counts: dict[str, int] = {}
    for found in per_sentence:
        for k in {key(c) for c in found}:
            counts[k] = counts.get(k, 0) + 1
    pool.share = {k: v / max(1, len(sentences)) for k, v in counts.items()}
    for s, found in zip(sentences, per_sentence, strict=True):
        for c in found:
            if c.kind in SWAPPABLE and c.sub != "person-weak":
                pool.add(Alternative(c.text, c.kind, c.sub, s.index, role_of(s.text, c)))
    for alt in others:
        if alt.kind in SWAPPABLE:
            pool.add(Alternative(alt.text, alt.kind, alt.sub, None, alt.role))
    return pool


def document_aliases(sentences: Sequence[Sentence]) -> dict[str, set[str]]:
    """Names the document gives as one: "Terminal High Altitude Area Defense (THAAD)",
    "the Quadrilateral Security Dialogue, or QUAD", "..., better known as the Quad"."""
    aliases: dict[str, set[str]] = {}
    pattern = re.compile(
        r"((?:[A-Z][\w-]*\s(?:(?:of|and|for|the)\s)?){1,7}[A-Z][\w-]*)"
        r"(?:\s\(([A-Z][\w-]{1,9})\)|,\s(?:or|better known as)\s(?:the\s)?([A-Z][\w-]{1,12}))"
    )
    for s in sentences:
        for m in pattern.finditer(s.text):
            long, short = m.group(1), m.group(2) or m.group(3)
            aliases.setdefault(long.casefold(), set()).add(short.casefold())
            aliases.setdefault(short.casefold(), set()).add(long.casefold())
    return aliases


def same_thing(a: str, b: str, aliases: dict[str, set[str]] | None = None) -> bool:
    """Whether two names may stand for the same thing, so one cannot be a distractor for the
    other: equal, one inside the other, sharing a name word, one country, or aliases."""
    fa, fb = _fold(a), _fold(b)
    if fa == fb or lx.same_place(a, b):
        return True
    if fuzz.ratio(fa, fb) >= 75 and not any(ch.isdigit() for ch in fa + fb):
        return True  # another spelling of the same name ("Ahan", "Ahn")
    if aliases and (fb in aliases.get(fa, set()) or fa in aliases.get(fb, set())):
        return True
    wa, wb = set(_name_words(a)), set(_name_words(b))
    if wa & wb:
        return True
    if re.search(rf"(?<!\w){re.escape(fa)}(?!\w)", fb) or re.search(
        rf"(?<!\w){re.escape(fb)}(?!\w)", fa
    ):
        return True
    return _initials(a) == fb.replace(".", "") or _initials(b) == fa.replace(".", "")


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().casefold()


def _name_words(text: str) -> list[str]:
    """The capitalised words of a name that identify it (not "The", not "Council")."""
    generic = lx.ORG_TAIL | lx.ORG_HEAD | {"The", "National", "Security", "Foreign", "New"}
    return [
        w.casefold()
        for w in re.findall(r"[A-Z][\w’'-]+", text)
        if w not in generic and len(w) > 2 and w not in lx.ADJECTIVES
    ]


def _initials(text: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z][\w-]*", text) if w[0].isupper()).casefold()


def _order(answer: str, text: str) -> str:
    """A stable, answer-dependent order, so that distractors vary from question to question."""
    return hashlib.blake2b(f"{answer}\x00{text}".encode(), digest_size=8).hexdigest()


def pick_distractors(
    pool: Pool, sentence: Sentence, c: Candidate, n: int = 3, strict: bool = False
) -> list[str]:
    """Up to ``n`` distractors for candidate ``c`` of ``sentence``, best first.

    ``strict`` (for a true/false swap, where the statement must be plainly false) also refuses
    alternatives named in the neighbouring sentences, which are often part of the same event, and
    the document's main subjects (named in more than a fifth of its sentences), which take part
    in so many of its facts that a swapped statement may well be true.
    """
    if c.kind not in SWAPPABLE or (c.kind, c.sub) in (
        ("place", "region"),
        ("person", "person-weak"),
    ):
        # Regions ("the Korean Peninsula", "Northeast Asia") are too unlike each other to swap,
        # and a name known only from "the X government" may be a garble ("the Yunnan government").
        return []
    group = pool.by_kind.get(_group(c.kind, c.sub), [])
    role = role_of(sentence.text, c)
    ranked = sorted(
        (a for a in group if a.text != c.text and _similar_shape(a.text, c.text)),
        key=lambda a: (
            0 if role and a.role == role else 1,
            0 if a.sentence is not None else 1,
            _order(c.text, a.text),
        ),
    )
    chosen: list[str] = []
    for alt in ranked:
        if len(chosen) == n:
            break
        if strict and alt.sentence is not None and abs(alt.sentence - sentence.index) <= 1:
            continue
        if strict and pool.share.get(key(Candidate(alt.text, alt.kind, alt.sub, 0, 0)), 0) > 0.2:
            continue
        if c.kind == "place" and _takes_the(alt.text) != _after_the(sentence.text, c):
            continue
        if _safe(pool, sentence, c, alt.text, chosen):
            chosen.append(alt.text)
    if len(chosen) < n:
        for made in made_up(c):
            if len(chosen) == n:
                break
            if _safe(pool, sentence, c, made, chosen):
                chosen.append(made)
    return chosen


_THE_PLACES = frozenset(
    "United States|United Kingdom|Philippines|Netherlands|Korean Peninsula|Middle East|Far East|"
    "Indo-Pacific|Balkans|Caucasus|Arctic|Pacific|Atlantic|Taiwan Strait|South China Sea|"
    "East China Sea|Yellow Sea|West Bank".split("|")
)


def _takes_the(name: str) -> bool:
    """Whether a place's name is said with "the" ("the United States", "the ROK")."""
    return (
        name in _THE_PLACES or name.replace(".", "").isupper() or name.endswith(("Sea", "Strait"))
    )


def _after_the(text: str, c: Candidate) -> bool:
    return text[: c.start].casefold().endswith("the ")


def _similar_shape(a: str, b: str) -> bool:
    """Options must look alike, or the odd one out gives the answer away: a surname with a
    surname ("Wang", "Suh"), a full name with a full name, an acronym with an acronym."""
    if (len(a.split()) == 1) != (len(b.split()) == 1):
        return False
    if any(ch.isdigit() for ch in a) != any(ch.isdigit() for ch in b):
        return False  # "seventh" with "fifth", "30th" with "20th"
    return a.replace(".", "").isupper() == b.replace(".", "").isupper()


def _safe(pool: Pool, sentence: Sentence, c: Candidate, alt: str, chosen: list[str]) -> bool:
    if any(same_thing(alt, other, pool.aliases) for other in [c.text, *chosen]):
        return False
    if _mentions(sentence.text, alt, pool.aliases):
        return False
    return not _fits_frame(pool.document_text, sentence.text, c, alt)


def _mentions(text: str, name: str, aliases: dict[str, set[str]]) -> bool:
    """Whether ``text`` names ``name`` (or the same country, or an alias of it)."""
    names = {name}
    country = lx.COUNTRY_BY_NAME.get(name.casefold())
    if country is not None:
        names |= set(country.names)
    names |= aliases.get(name.casefold(), set())
    return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.IGNORECASE) for n in names)


def _fits_frame(document: str, text: str, c: Candidate, alt: str) -> bool:
    """Whether the document puts ``alt`` where the answer stands: after the two words before
    it, or before the two words after it ("Chinese President Xi" / "Chinese President Hu")."""
    before = re.findall(r"[\w’'-]+", text[: c.start])[-2:]
    after = re.findall(r"[\w’'-]+", text[c.end :])[:2]
    doc = document.casefold()
    frames = []
    if len(before) == 2:
        frames.append(f"{' '.join(before)} {alt}")
    if len(after) == 2:
        frames.append(f"{alt} {' '.join(after)}")
    return any(re.search(rf"(?<!\w){re.escape(f.casefold())}(?!\w)", doc) for f in frames)


def made_up(c: Candidate) -> list[str]:
    """Alternatives made by moving a number, year or date (when the pool has too few)."""
    text = c.text
    if c.kind == "year" and re.fullmatch(r"\d{4}", text):
        y = int(text)
        return [str(y + d) for d in (-2, 1, -1, 2, -3, 3)]
    if c.kind == "percent":
        m = re.match(r"(\d+(?:\.\d+)?)(.*)", text)
        if m:
            v, rest = float(m.group(1)), m.group(2)
            values = [v - 10, v + 10, v / 2, v * 1.5, v + 20, v - 20]
            return [f"{_num(x)}{rest}" for x in values if 0 < x < 100 and _num(x) != m.group(1)]
    if c.kind == "date" and c.sub in ("month-year", "month"):
        m = re.match(rf"({'|'.join(lx.MONTHS)}),?(\s\d{{4}})?$", text)
        if m:
            month = lx.MONTHS.index(m.group(1))
            year = m.group(2) or ""
            out = [f"{lx.MONTHS[(month + d) % 12]}{year}" for d in (3, -2, 5, -4)]
            if year:
                y = int(year)
                out[1:1] = [f"{m.group(1)} {y - 1}", f"{m.group(1)} {y + 1}"]
            return out
    if c.kind == "number":
        return _moved_count(text)
    return []


def _moved_count(text: str) -> list[str]:
    m = re.match(r"(\d+)(st|nd|rd|th)?(.*)$", text)
    if m:
        v, suffix, rest = int(m.group(1)), m.group(2), m.group(3)
        values = [v + d for d in (-2, 2, -1, 1, 4)] if v < 12 else [v - 10, v + 10, v * 2]
        out = []
        for x in values:
            if x > 0 and x != v:
                out.append(f"{x}{_ordinal_suffix(x) if suffix else ''}{rest}")
        return out
    head, _, rest = text.partition(" ")
    low = head.casefold()
    rest = f" {rest}" if rest else ""
    if "-" in head:
        low, _, unit = low.partition("-")
        rest = f"-{unit}{rest}"
    if low in lx.NUMBER_WORDS and lx.NUMBER_WORDS[low] <= 20:
        v = lx.NUMBER_WORDS[low]
        picks = [v + d for d in (-2, 2, 4, -1, 1)]
        return [_cap(head, _NUMBER_NAMES[x]) + rest for x in picks if x in _NUMBER_NAMES]
    if low in lx.ORDINAL_WORDS:
        v = lx.ORDINAL_WORDS[low]
        picks = [v + d for d in (-2, 1, -1, 2, 3)]
        return [_cap(head, _ORDINAL_NAMES[x]) + rest for x in picks if x in _ORDINAL_NAMES]
    return []


def _cap(model: str, word: str) -> str:
    return word.capitalize() if model[:1].isupper() else word


def _ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


__all__ = ["SWAPPABLE", "Alternative", "Pool", "build_pool", "key", "pick_distractors"]
