"""Grading answers: options by index, typed answers forgivingly (as Quizlet does), multi with credit.

Typed answers are compared after folding case, accents, punctuation, the full stops of an
acronym ("U.S.", "B.T.S."), thousands separators (a comma, a no-break space, or a plain space
where digits can only be one grouped number) and a leading article, and after writing numbers,
percentages and dates one way ("eighth", "8th" and "8" alike; "19%", "19 pct" and "nineteen per
cent"; "11 April", "April 11th" and "Apr 11"), then word by word with RapidFuzz's distances so that
small typos pass ("Xiamin" for "Xiamen", "Raod" for "Road"). A typo is forgiven only where it
cannot make another word: short words must be exact ("Jong-il" is not "Jong-un"), the first letter
must be right ("formal" is not "normal"), a word of five letters or fewer may lose, gain or swap a
letter but not change one ("Osama" is not "Obama"), and numbers are never forgiven ("2018" is not
"2017"). One unit may be left out: the bare number of an answer that is only a percentage ("19" for
"19 percent") is right, though not exact. What differed is returned as aligned segments
(RapidFuzz's opcodes) so the page can show it character by character.

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
_NOT_WORD = re.compile(r"\W+")
_DIGITS = re.compile(r"\d+")
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f](?=\d{3}(?!\d))")  # 500,000 -> 500000
# A plain space also separates digits that are not one number ("2 3 April", "April 11 2017",
# "in 2017 500 people"), so it is folded only inside a run that can be nothing but a grouped
# number: 1 to 3 digits not after a digit, then groups of exactly 3 digits ("500 000").
_SPACED_THOUSANDS = re.compile(r"(?<!\d)\d{1,3}(?: \d{3})+(?!\d)")
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")  # 11th -> 11
_GLUED_PERCENT = re.compile(r"(\d+)(?:pct|percent)")  # 19pct -> 19 percent
# An answer that is a percentage and nothing else ("19 percent", "19.5%" folded to "19 5 percent").
# What a percentage's bare number may not be: an ordinal ("35th", "fifth") or a signed number.
_ORDINAL_OR_SIGNED = re.compile(
    r"^[-\u2212\u2013]|\d\s*(?:st|nd|rd|th)\b|(?:first|second|third|th)$", re.I
)
_PERCENTAGE = re.compile(r"(\d+(?: \d+)?) percent")
# Single letters joined by full stops, the last one optional: "U.S.", "B.T.S.", "U.S.-China". A
# letter after a space ("J. F.") or inside a word ("Inc.") is not one.
_ACRONYM = re.compile(r"(?<![\w.])[^\W\d_](?:\.[^\W\d_])+\.?(?!\w)")
_SYMBOLS = {"%": " percent ", "&": " and "}
_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    " fifteen sixteen seventeen eighteen nineteen"
).split()
_UNIT_ORDINALS = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
    " thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_TEN_ORDINALS = (
    "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"
).split()
# Number words as digits, cardinal or ordinal alike ("eighth" is 8 as "8th" is), with the
# common misspellings of the tens, so that "fourty" is 40 and never a typo of "fourth".
_NUMBER_WORDS = (
    {w: i for i, w in enumerate(_UNITS)}
    | {w: i for i, w in enumerate(_UNIT_ORDINALS)}
    | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
    | {w: 20 + 10 * i for i, w in enumerate(_TEN_ORDINALS)}
    | {"fourty": 40, "ninty": 90}
)
_TENS_VALUES = {w: 20 + 10 * i for i, w in enumerate(_TENS)} | {"fourty": 40, "ninty": 90}
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MONTH_SHORT = {m[:3]: m for m in _MONTHS} | {"sept": "september"}
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
    # The question's own answer when a misspelt accepted form passed: ``expected`` is then
    # that form (the typo is shown against what it was forgiven for), and this is the answer
    # a student should learn.
    main: str = ""


def fold(text: str) -> str:
    """Fold an answer for comparison: accents, case, punctuation, an acronym's full stops and a
    leading article go, and numbers, percentages and dates are written one way (see ``_words``).
    """
    return _fold(text, True)


@lru_cache(maxsize=8192)
def _fold(text: str, join_acronyms: bool) -> str:
    """``fold``, or with ``join_acronyms`` false the full stops of "U.S." read as spaces ("u s"),
    as every other full stop is.

    Cached: every grade folds the question's expected forms again, and answers repeat.
    """
    decomposed = unicodedata.normalize("NFKD", _join_thousands(text))
    bare = "".join(_SYMBOLS.get(c, c) for c in decomposed if not unicodedata.combining(c))
    if join_acronyms:
        bare = _ACRONYM.sub(lambda m: m[0].replace(".", ""), bare)  # "B.T.S." -> "BTS"
    words = _NOT_WORD.sub(" ", bare.casefold().replace("_", " ")).split()
    return _ARTICLE.sub("", " ".join(_words(words)))


def _join_thousands(text: str) -> str:
    """Digits grouped by thousands written as one number: "500,000" and "500 000" -> "500000"."""
    spaced = _SPACED_THOUSANDS.sub(lambda m: m[0].replace(" ", ""), text)
    return _THOUSANDS.sub("", spaced)


def _words(words: list[str]) -> list[str]:
    """One spelling for what students write several ways, applied to answer and key alike:
    number words and ordinals as digits ("eight", "eighth", "8th" -> 8; "thirty-five" -> 35),
    "per cent", "19percent" and a "pct" after a number as "percent" (and "%" before this), a
    month's short name beside a number as the month ("Nov 2017"), and a day before its month
    after it ("11 April", "2-3 April" -> "april 11", "april 2 3"). Digits are then compared
    exactly, so "seventy" is not "seventh"."""
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if w in _TENS_VALUES and 0 < _NUMBER_WORDS.get(nxt, 0) < 10:
            out.append(str(_TENS_VALUES[w] + _NUMBER_WORDS[nxt]))  # thirty five, thirty-fifth
            i += 2
            continue
        if w == "per" and nxt == "cent":
            out.append("percent")
            i += 2
            continue
        if match := _GLUED_PERCENT.fullmatch(w):
            out += [match[1], "percent"]
            i += 1
            continue
        if w in _NUMBER_WORDS:
            w = str(_NUMBER_WORDS[w])
        elif match := _ORDINAL.fullmatch(w):
            w = match[1]
        elif w == "pct" and out and out[-1].isdigit():
            w = "percent"
        out.append(w)
        i += 1
    for i, w in enumerate(out):  # "nov 2017", "2 nov": only beside a number is it a month
        near = out[i - 1 : i] + out[i + 1 : i + 2]
        if w in _MONTH_SHORT and any(n.isdigit() for n in near):
            out[i] = _MONTH_SHORT[w]
    return _month_first(out)


def _month_first(words: list[str]) -> list[str]:
    """Days written before their month ("11 april", "2 3 april", "11 of april") moved after it."""
    out: list[str] = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and words[j].isdigit() and 1 <= int(words[j]) <= 31:
            j += 1
        month = j + 1 if j < len(words) and words[j] == "of" else j
        if j > i and month < len(words) and words[month] in _MONTHS:
            out += [words[month], *words[i:j]]
            i = month + 1
        else:
            out.append(words[i])
            i += 1
    return out


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


def _bare_percentage(given: str, expected: str) -> bool:
    """Folded answers: ``given`` is the number of ``expected`` when that is a percentage and
    nothing else ("19" for "19 percent"), the unit being plain from the question. The number
    must be the same digits. Only percent: "8" for "8 months" may mean weeks or years."""
    match = _PERCENTAGE.fullmatch(expected)
    return match is not None and given == match[1]


# Below this similarity (1 - edit distance / longer length) a wrong answer is shown whole beside
# the right one: "banana" and "June 1" share an "n" and an "e" that a letter diff would mark.
UNRELATED = 0.5


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
    forms = (expected, *accept)
    # The answer and the forms read twice: with an acronym's full stops folded away ("U.S." as
    # "us"), and with them read as spaces ("u s"), so that "U S Nvay" still passes for "U.S.
    # Navy" and "U S" is still exact for "U.S.".
    readings = [(_fold(given, join), [_fold(f, join) for f in forms]) for join in (True, False)]
    if any(folded and folded in keys for folded, keys in readings):
        return Grade(True, 1.0, given, expected)
    folded, keys = readings[0]
    # Each form forgives typos on its own: the nearest form by distance may demand an exact
    # short word ("gun" in "Ahn Jung-gun") that a farther one forgives ("Jung-geun").
    passing = [
        i for i in range(len(forms)) if any(g and _close_enough(g, k[i]) for g, k in readings)
    ]
    if not passing and not _ORDINAL_OR_SIGNED.search(given):  # "19", not "19th" or "-19"
        passing = [i for i, key in enumerate(keys) if _bare_percentage(folded, key)]
    correct = bool(passing)
    # The nearest passing form is shown; the first one wins a tie.
    nearest = min(passing, key=lambda i: Levenshtein.distance(folded, keys[i]), default=0)
    shown = forms[nearest]
    if correct or Levenshtein.normalized_similarity(given.lower(), shown.lower()) >= UNRELATED:
        left, right = diff(given, shown)
    else:  # a different answer, not a misspelling: letters in common would only be noise
        left = (Segment("wrong", given),) if given else ()
        right = (Segment("missing", shown),)
    main = expected if shown != expected else ""
    return Grade(correct, float(correct), given, shown, False, left, right, main)


def grade_cloze(question: Question, card: int, given: Sequence[str]) -> Grade:
    """Grade the blanks of cloze card ``card``: one typed answer per hidden deletion."""
    expected = question.expected(card)
    answers = list(given) + [""] * (len(expected) - len(given))
    grades = [
        grade_typed(e, question.accepted(card), g) for e, g in zip(expected, answers, strict=False)
    ]
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
        " · ".join(expected) if any(g.main for g in grades) else "",
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
