"""Which cards' answers another card shows: the study queue keeps such cards apart.

After an answer, the review shows the question's text, its answer, its explanation and the
sentences around its passage. In a short reading those often hold the answer to a card still to
come: "Support for China fell to 19 percent" explains one card and answers the next. Keeping the
questions of one paragraph apart is not enough for that (a reading of three paragraphs has few
places to go), so each card's answers are looked for in every other card's shown text, when a
bank is recorded, and the queue puts a card whose answer was just shown after the others
(``Store._next_new_card``).

The test is words, not meaning: an answer is found when its folded form (``grading.fold``:
case, accents, punctuation) appears in the folded shown text with a word boundary on each side.
That finds what a student would read and remember, and misses a paraphrase. A true/false card
asks no words (its statement is shown on its own front), so none is looked for.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

from . import cloze
from .grading import fold
from .model import Bank, Question
from .sentences import sentences_around

Card = tuple[str, int]  # (question id, card number)


def recalled(question: Question, card: int) -> tuple[str, ...]:
    """What ``card`` asks the student to recall or pick: the words that must not be shown
    just before it."""
    if question.type in ("cloze", "answer"):
        return (*question.expected(card), *question.accepted(card))
    if question.type in ("choice", "multi"):
        return question.correct_options
    if question.type == "card":
        return (question.answer,)
    return ()


def shown(bank: Bank, question: Question) -> str:
    """The text a card of ``question`` shows by the end of its feedback (every card of it shows
    the same: a cloze's feedback fills all its gaps)."""
    parts = [
        cloze.plain(question.text) if question.type == "cloze" else question.prompt,
        question.explain,
    ]
    if question.type in ("cloze", "answer", "card"):
        parts.append(question.answer)
    if question.type in ("choice", "multi"):
        parts.extend(question.correct_options)
    found = bank.document.locate(question.quote) if question.quote else None
    if found is not None:
        index, start, end = found
        text = bank.document.blocks[index].text
        first, last = sentences_around(text, start, end)
        parts.append(text[first:last])
    elif question.quote:
        parts.append(question.quote)
    return " \n ".join(p for p in parts if p)


def reveals(bank: Bank) -> Iterator[tuple[Card, Card]]:
    """Each (card, other card) where the first shows an answer of the second.

    A card is revealed by a text holding one of its answers (an accepted form counts), a multi
    card only by one holding all its right options. A folded answer of one or two letters ("us"
    from "U.S.") is no answer here: it is found in too many words. A cloze's own cards are
    pairs too (one gap's feedback fills the others). Drafts are left out: they are never
    shown, so they neither reveal nor need keeping apart.

    Every question's shown text is folded once and joined into one string, and each answer is
    found in it with ``str.find`` (a regular expression with look-arounds would scan every
    character: ten seconds for a bank of a thousand questions instead of a fraction of one).
    """
    questions = bank.live_questions
    joined = ""
    starts: list[int] = []
    for q in questions:
        starts.append(len(joined))
        joined += f"\0 {fold(shown(bank, q))} "
    for b in questions:
        for number in b.card_numbers:
            sets = [
                {bisect_right(starts, i) - 1 for i in _places(joined, folded)}
                for folded in (fold(text) for text in recalled(b, number))
                if len(folded) > 2 or folded.isdigit()
            ]
            if not sets:
                continue
            found = set.intersection(*sets) if b.type == "multi" else set.union(*sets)
            for i in sorted(found):
                a = questions[i]
                yield from (
                    ((a.id, n), (b.id, number)) for n in a.card_numbers if a is not b or n != number
                )


def _places(joined: str, folded: str) -> Iterator[int]:
    """Where ``folded`` stands as whole words in ``joined`` (folded words are separated by one
    space, texts by a NUL)."""
    end = len(folded)
    at = joined.find(folded)
    while at >= 0:
        if joined[at - 1] in " \0" and joined[at + end] in " \0":
            yield at
        at = joined.find(folded, at + 1)
