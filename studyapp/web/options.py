"""How a choice question's options are shown and posted back.

A bank lists a question's right options first, so neither their order on the page nor an index
in a form may come from the bank. Each showing has a seed (a review card's token, a practice
test's seed with the question's id): an option's *code* is a hash of the seed and the option's
text, the page lists the options in the order of their codes and posts the codes back.

So the page's source says nothing of which option is right, a reload shows the same order,
and an option keeps its code when an instructor edits the question while the page is open
(adds a distractor, reorders the list): the pick still means the option the student read.
An option whose text was edited has no code any more, and its pick is refused
(``UnknownOption``) rather than read as another option.

True/false keeps its order (True, then False) and its values 0 and 1: shuffling two fixed
words only slows the reader down, and they give nothing away.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ..model import Question

SHUFFLED = ("choice", "multi")
CODE_LENGTH = 12  # 48 bits: two options of one question sharing a code is a 1 in 10^14 chance


class Shown(NamedTuple):
    """One option as a page shows it: its index in ``question.options``, its text, its value."""

    index: int
    text: str
    value: str


class NotAnOption(ValueError):
    """A posted value that no page of ours sent for this question."""


class UnknownOption(NotAnOption):
    """A posted code that names none of the question's options as it reads now: the option
    was edited away while the page was open."""


def shown_options(question: Question, seed: str) -> list[Shown]:
    """The question's options in the order this showing lists them, each with its form value."""
    if question.type not in SHUFFLED:
        return [Shown(i, text, str(i)) for i, text in enumerate(question.options)]
    coded = [Shown(i, text, _code(seed, text)) for i, text in enumerate(question.options)]
    return sorted(coded, key=lambda o: o.value)


def indexes_of(shown: Sequence[Shown], values: Iterable[str]) -> list[int]:
    """The indexes in ``question.options`` of the posted ``values``, read against the options
    as ``shown_options`` listed them. Raises UnknownOption for a code that names none of them,
    NotAnOption for a value that is no code at all."""
    by_value = {o.value: o.index for o in shown}
    out = []
    for value in values:
        if value in by_value:
            out.append(by_value[value])
        elif looks_like_code(value):
            raise UnknownOption("That option is not one of this question's now.")
        else:
            raise NotAnOption("That option is not one of this question's.")
    return out


def looks_like_code(value: str) -> bool:
    """Whether ``value`` has the form of an option's code: a pick of an option since edited
    away has, a value no page of ours sent does not."""
    return len(value) == CODE_LENGTH and all(c in "0123456789abcdef" for c in value)


def _code(seed: str, text: str) -> str:
    return hashlib.sha256(f"{seed}\x00{text}".encode()).hexdigest()[:CODE_LENGTH]
