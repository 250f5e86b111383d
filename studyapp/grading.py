"""Grading answers: options by index, typed answers forgivingly (as Quizlet does), multi with credit.

Typed answers are compared after folding case, accents, punctuation, thousands separators and a
leading article, then word by word with RapidFuzz's distances so that small typos pass ("Xiamin"
for "Xiamen", "Raod" for "Road"). A typo is forgiven only where it cannot make another word: short
words must be exact ("Jong-il" is not "Jong-un"), the first letter must be right ("formal" is not
"normal"), a word of five letters or fewer may lose, gain or swap a letter but not change one
("Osama" is not "Obama"), and numbers are never forgiven ("2018" is not "2017"). What differed is
returned as aligned segments (RapidFuzz's opcodes) so the page can show it character by character.

Partial credit for ``multi`` (practice tests) follows Moodle's multiple-answer rule: each right
option picked is worth 1/|right|, each wrong option picked costs 1/|wrong|, and the sum is clamped
to 0..1. For the schedule a multi answer is right only when exactly the right options are picked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from .model import Question

_ARTICLE = re.compile(r"^(the|a|an) ")
_NOT_WORD = re.compile(r"[^\w%]+")
_DIGITS = re.compile(r"\d+")
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f](?=\d{3}(?!\d))")  # 500,000 -> 500000
_PERCENT = re.compile(r"\s+%")  # 90 % -> 90%
MAX_ANSWER_LENGTH = 500


@dataclass(frozen=True)
class Segment:
    """A run of characters in a diff: ``same``, ``wrong`` (typed differently), ``extra`` (typed
    but not expected) or ``missing`` (expected but not typed)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer."""

    correct: bool
    score: float  # 0..1; partial for multi
    given: str  # the answer as the student gave it (option texts joined for choices)
    expected: str  # the right answer to show
    exact: bool = True  # right without forgiveness (no typo allowed for)
    given_diff: tuple[Segment, ...] = field(default=())
    expected_diff: tuple[Segment, ...] = field(default=())


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Fold an answer for comparison: accents, case, punctuation and a leading article go.

    Cached: every grade folds the question's expected forms again, and answers repeat.
    """
    decomposed = unicodedata.normalize("NFKD", _PERCENT.sub("%", _THOUSANDS.sub("", text)))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = _NOT_WORD.sub(" ", bare.casefold()).strip()
    return _ARTICLE.sub("", words)


def _word_close(given: str, expected: str) -> bool:
    """Whether one typed word is the expected word with a forgivable typo (see the module)."""
    if given == expected:
        return True
    n = len(expected)
    if n <= 3 or given[:1] != expected[:1]:
        return False
    if n <= 5:  # one letter lost, added or swapped with its neighbour; none replaced
        return OSA.distance(given, expected) == 1 and (
            len(given) != n or Levenshtein.distance(given, expected) == 2
        )
    limit = 1 if n <= 8 else 2
    return OSA.distance(given, expected, score_cutoff=limit) <= limit


def _close_enough(given: str, expected: str) -> bool:
    """Folded answers: the same numbers, and each word the expected one or a typo of it. When
    the words do not pair up, only a space too many or too few is forgiven ("kimjong un")."""
    if _DIGITS.findall(given) != _DIGITS.findall(expected):
        return False
    words, wanted = given.split(), expected.split()
    if len(words) != len(wanted):
        return "".join(words) == "".join(wanted)
    return all(_word_close(g, e) for g, e in zip(words, wanted, strict=True))


def diff(given: str, expected: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Align ``given`` with ``expected`` character by character (case-insensitively)."""
    a, b = given.lower(), expected.lower()
    if len(a) != len(given) or len(b) != len(expected):
        a, b = given, expected
    left: list[Segment] = []
    right: list[Segment] = []
    for op in Levenshtein.opcodes(a, b):
        g = given[op.src_start : op.src_end]
        e = expected[op.dest_start : op.dest_end]
        if op.tag == "equal":
            left.append(Segment("same", g))
            right.append(Segment("same", e))
        elif op.tag == "replace":
            left.append(Segment("wrong", g))
            right.append(Segment("missing", e))
        elif op.tag == "delete":
            left.append(Segment("extra", g))
        else:
            right.append(Segment("missing", e))
    return tuple(left), tuple(right)


def grade_typed(expected: str, accept: Sequence[str], given: str) -> Grade:
    """Grade one typed answer against the expected text and its accepted forms."""
    given = given.strip()[:MAX_ANSWER_LENGTH]
    folded = fold(given)
    forms: dict[str, str] = {}  # folded form -> form; the first one wins a tie
    for form in (expected, *accept):
        forms.setdefault(fold(form), form)
    if folded and folded in forms:
        return Grade(True, 1.0, given, expected)
    best = min(forms, key=lambda f: Levenshtein.distance(folded, f))
    correct = bool(folded) and _close_enough(folded, best)
    shown = forms[best] if correct else expected
    left, right = diff(given, shown)
    return Grade(correct, float(correct), given, shown, False, left, right)


def grade_cloze(question: Question, card: int, given: Sequence[str]) -> Grade:
    """Grade the blanks of cloze card ``card``: one typed answer per hidden deletion."""
    expected = question.expected(card)
    answers = list(given) + [""] * (len(expected) - len(given))
    grades = [grade_typed(e, (), g) for e, g in zip(expected, answers, strict=False)]
    correct = all(g.correct for g in grades)
    left: list[Segment] = []
    right: list[Segment] = []
    for i, g in enumerate(grades):
        if i:
            left.append(Segment("same", " · "))
            right.append(Segment("same", " · "))
        left += g.given_diff or (Segment("same", g.given),)
        right += g.expected_diff or (Segment("same", g.expected),)
    return Grade(
        correct,
        float(correct),
        " · ".join(g.given for g in grades),
        " · ".join(expected),
        all(g.exact for g in grades),
        tuple(left),
        tuple(right),
    )


def multi_score(question: Question, picked: set[str]) -> float:
    """Moodle's multiple-answer credit: +1/|right| per right pick, -1/|wrong| per wrong pick."""
    right = set(question.answers)
    wrong = set(question.distractors)
    score = len(picked & right) / len(right) - len(picked & wrong) / max(len(wrong), 1)
    return min(1.0, max(0.0, score))


def grade_options(question: Question, picked: Sequence[int]) -> Grade:
    """Grade choice, multi and truefalse answers, given as indexes into ``question.options``."""
    options = question.options
    chosen = [options[i] for i in sorted(set(picked)) if 0 <= i < len(options)]
    right = set(question.correct_options)
    expected = " · ".join(question.correct_options)
    if question.type == "multi":
        score = multi_score(question, set(chosen))
        return Grade(set(chosen) == right, score, " · ".join(chosen), expected)
    correct = len(chosen) == 1 and chosen[0] in right
    return Grade(correct, float(correct), " · ".join(chosen), expected)
