"""Step 5, build questions: cloze cards, choice questions and true/false twins from a sentence.

Every question keeps the sentence's own words, so it says nothing the reading does not: a cloze
hides the best candidates, a choice blanks one and offers same-kind distractors, and a true/false
pair states the sentence once as it is and once with one fact swapped. A leading "But" or
"Moreover," is dropped, since the question stands alone. The quote is the sentence as it stands in
the document (or, when link or emphasis markup sits in it, the markup-free stretch that holds the
answer), so that ``studyapp check`` finds it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from .candidates import Candidate
from .distractors import SWAPPABLE, Pool, pick_distractors
from .score import INFORMATIVE, informative, key
from .segment import Sentence
from .words import zipf

# A connective that ties a sentence to the one before: "But" and the like on their own, longer
# ones only with their comma ("In addition, they met", not "In addition to the meeting").
_LEAD = re.compile(
    r"^(?:(?:But|And|So|Yet)\s+|(?:However|Moreover|Furthermore|Additionally|In addition|Also|"
    r"Nevertheless|Nonetheless|Meanwhile|Significantly|In particular|Similarly|Finally|"
    r"Naturally|Of course|Though|Still|Thus|Therefore|Indeed|In fact|Afterward|Afterwards|"
    r"Most recently|On the other hand|On the one hand|In other words|For example),\s+)"
    r"(?=[a-zA-Z“\"‘'])"
)
# A true/false statement longer than this is a paragraph to parse, not a claim to judge.
MAX_STATEMENT_WORDS = 40


@dataclass(frozen=True)
class Draft:
    """A question derived from one sentence, before it gets an id in a bank."""

    type: str
    sentence: int
    name: str  # what the id is made from: the (first) answer
    quote: str
    text: str = ""
    prompt: str = ""
    answer: str = ""
    distractors: tuple[str, ...] = ()
    explain: str = ""
    tags: tuple[str, ...] = ()
    suffix: str = ""  # added to the id: "choice", "true", "false"
    # What the question asks, in reading order: a cloze's gaps, or the fact a choice blanks or a
    # true/false pair swaps. Derive leaves out what a bank already asks by these (``asked``).
    asks: tuple[Candidate, ...] = ()


def stand_alone(text: str) -> tuple[str, int]:
    """Drop a leading connective ("But", "Moreover,"); return the text and how much was cut."""
    m = _LEAD.match(text)
    if m is None:
        return text, 0
    rest = text[m.end() :]
    return rest[:1].upper() + rest[1:], m.end()


def _replace(text: str, spans: Sequence[tuple[Candidate, str]]) -> tuple[str, bool]:
    """``text`` with each candidate's span replaced; False if a replacement fell in the cut."""
    cut = stand_alone(text)[1]
    out, pos = [], 0
    for c, new in sorted(spans, key=lambda p: p[0].start):
        if c.start < cut:
            return text, False
        out += [text[pos : c.start], new]
        pos = c.end
    out.append(text[pos:])
    joined = "".join(out)[cut:]
    return joined[:1].upper() + joined[1:], True


def quote_for(sentence: Sentence, c: Candidate | None, found: Callable[[str], bool]) -> str:
    """The passage that proves the question: the sentence, or the markup-free run holding the
    answer when the sentence carries link or emphasis markup."""
    if len(sentence.runs) == 1 and found(sentence.runs[0]):
        return sentence.runs[0]
    if c is not None:
        runs = [_trim(r) for r in sentence.runs if c.text in r]
        runs = [r for r in runs if c.text in r and len(r.split()) >= 5 and found(r)]
        if runs:
            return max(runs, key=len)
    return sentence.raw


def _trim(run: str) -> str:
    """A run cut short by markup ends on "in the": drop the dangling small words."""
    words = run.split(" ")
    while len(words) > 1 and zipf(words[-1]) >= 6.0:
        words.pop()
    return " ".join(words)


def build_cloze(
    sentence: Sentence, hidden: Sequence[Candidate], found: Callable[[str], bool]
) -> Draft | None:
    """A cloze hiding each candidate as its own card (c1, c2, ...)."""
    spans = [(c, f"{{{{c{i}::{c.text}}}}}") for i, c in enumerate(hidden, 1)]
    text, ok = _replace(sentence.text, spans)
    if not ok or "{{" in sentence.text:
        return None
    return Draft(
        type="cloze",
        sentence=sentence.index,
        name=hidden[0].text,
        quote=quote_for(sentence, hidden[0], found),
        text=text,
        tags=(hidden[0].kind,),
        asks=tuple(hidden),
    )


def build_choice(
    sentence: Sentence, c: Candidate, distractors: Sequence[str], found: Callable[[str], bool]
) -> Draft | None:
    """A choice question: the sentence with a blank, the answer and same-kind distractors."""
    prompt, ok = _replace(sentence.text, [(c, "_____")])
    if not ok or len(distractors) < 2:
        return None
    listed = ", ".join(distractors[:-1]) + f" or {distractors[-1]}"
    return Draft(
        type="choice",
        sentence=sentence.index,
        name=c.text,
        quote=quote_for(sentence, c, found),
        prompt=prompt,
        answer=c.text,
        distractors=tuple(distractors),
        explain=f"The reading says {c.text}, not {listed}.",
        tags=(c.kind,),
        suffix="choice",
        asks=(c,),
    )


def build_truefalse(
    sentence: Sentence, c: Candidate, swap: str, found: Callable[[str], bool]
) -> list[Draft]:
    """A true statement (the sentence) and its false twin (one fact swapped)."""
    true_text, ok = _replace(sentence.text, [])
    false_text, ok2 = _replace(sentence.text, [(c, swap)])
    if not (ok and ok2) or sentence.words > MAX_STATEMENT_WORDS:
        return []
    quote = quote_for(sentence, c, found)
    common = {
        "sentence": sentence.index,
        "name": c.text,
        "quote": quote,
        "tags": (c.kind,),
        "asks": (c,),
    }
    return [
        Draft(
            type="truefalse",
            prompt=true_text,
            answer="true",
            explain=f"True: the reading says {c.text} here.",
            suffix="true",
            **common,  # type: ignore[arg-type]
        ),
        Draft(
            type="truefalse",
            prompt=false_text,
            answer="false",
            explain=f"False: the reading says {c.text}, not {swap}.",
            suffix="false",
            **common,  # type: ignore[arg-type]
        ),
    ]


_PRONOUN_START = re.compile(
    r"^[“\"‘']?(?:It|This|That|These|Those|They|He|She|His|Her|Their|Its|There)\b"
)


def self_contained(text: str) -> bool:
    """Whether a sentence can be judged alone: it does not open on a pronoun ("He also noted",
    "There was no mention of this") and its quotation marks pair up (a garbled text leaves
    stray ones, as in 'has increased dramatically, “Lankov said.')."""
    opened = text.count("“")
    closed = text.count("”")
    if _PRONOUN_START.match(stand_alone(text)[0]) or opened != closed or text.count('"') % 2:
        return False
    return True


def _alias_shown(text: str, c: Candidate, aliases: dict[str, set[str]]) -> bool:
    """Whether the sentence also gives the answer's other name ("..., better known as the
    Quad"), which would make a swapped statement contradict itself."""
    return any(
        re.search(rf"(?<!\w){re.escape(alias)}(?!\w)", text, re.IGNORECASE)
        for alias in aliases.get(c.text.casefold(), set())
    )


def _hideable(scored: Sequence[Candidate]) -> list[Candidate]:
    """Candidates worth hiding, best first; on overlap the better one wins."""
    out: list[Candidate] = []
    for c in sorted(scored, key=lambda c: (-c.score, c.start)):
        if c.score <= 0 or any(c.start < o.end and o.start < c.end for o in out):
            continue
        out.append(c)
    return out


def questions_for_sentence(
    sentence: Sentence,
    scored: Sequence[Candidate],
    pool: Pool,
    found: Callable[[str], bool],
    asked: Counter[str] | None = None,
) -> list[Draft]:
    """The drafts of one sentence: a cloze, then a choice or a true/false pair.

    ``asked`` counts the answers of earlier sentences: an answer asked before scores less, so
    that the drafts cover the document's facts rather than its most frequent name.
    """
    if not informative(sentence, scored):
        return []
    asked = asked if asked is not None else Counter()
    scored = [replace(c, score=c.score * 0.7 ** asked[key(c)]) for c in scored]
    ranked = _hideable(scored)
    best = ranked[0]
    hidden = [best]
    for c in ranked[1:]:
        if c.score >= 2.4 and sentence.words >= 14 and c.kind != best.kind:
            hidden.append(c)
            break
    drafts: list[Draft] = []
    cloze = build_cloze(sentence, sorted(hidden, key=lambda c: c.start), found)
    if cloze is not None:
        drafts.append(cloze)
    swappable = [
        c
        for c in ranked
        if c.kind in SWAPPABLE
        and c.score >= INFORMATIVE
        and not _alias_shown(sentence.text, c, pool.aliases)
    ]
    if not self_contained(sentence.text):
        swappable = []
    # Ask about a second fact where there is one, so the pair does not repeat the cloze.
    swappable.sort(key=lambda c: (c is best, -c.score))
    prefer_truefalse = sentence.index % 2 == 1 and sentence.words <= MAX_STATEMENT_WORDS
    for c in swappable:
        if prefer_truefalse:
            swaps = pick_distractors(pool, sentence, c, n=1, strict=True)
            pair = build_truefalse(sentence, c, swaps[0], found) if swaps else []
            if pair:
                drafts.extend(pair)
                break
        choices = pick_distractors(pool, sentence, c, n=3)
        choice = build_choice(sentence, c, choices, found) if len(choices) == 3 else None
        if choice is not None:
            drafts.append(choice)
            break
    for c in hidden:
        asked[key(c)] += 1
    for d in drafts[1:]:
        asked[d.name.casefold()] += 1
    return drafts
