"""A practice test's questions: which can be drawn, how they are shown, marked and kept.

Pure functions, no Flask and no store, so the marking rules can be read and tested on their own.

- Drawn: live questions of the chosen readings, except flashcards (``card``), which the student
  marks themself and the server could not score.
- Shown: choices in an order fixed per attempt (a reload shows the same order); a cloze question
  hides every gap at once, so it is one item of the test.
- Marked: ``choice`` and ``truefalse`` score 1 or 0; ``answer`` is graded forgivingly (small typos
  pass, numbers never); ``multi`` follows Moodle's multiple-answer rule (``grading.multi_score``):
  each right option picked earns 1/(number of right options), each wrong option picked costs
  1/(number of wrong options), and the sum is kept between 0 and 1; ``cloze`` scores the share of
  its gaps filled right, as Moodle's Cloze questions do, each gap taking the forms its number's
  ``accept`` lists. A question is *right* only with full marks.
- Kept: the store holds an answer as the text a person reads (the option texts or the typed
  words, joined by `` · ``, the review log's form), so instructors' answer counts read well;
  ``form_values`` turns it back into the form's values to resume a test or show its result.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from .. import cloze
from ..attempts import Attempt, Response
from ..grading import MAX_ANSWER_LENGTH, Grade, Segment, grade_options, grade_typed
from ..model import Bank, Question
from ..registry import Snapshot
from .inputs import small_int
from .options import NotAnOption, Shown, UnknownOption, indexes_of, shown_options

TESTABLE = ("choice", "multi", "truefalse", "cloze", "answer")
SEPARATOR = " · "


class BadAnswer(ValueError):
    """A posted answer that no form of ours sends (an option out of range, an overlong text)."""


@dataclass(frozen=True)
class Marked:
    """One answer marked: the text stored, the grade shown, the verdict per card for the schedule.

    ``cards`` maps each card number to (right, the part of the answer that card asked for).
    """

    text: str
    grade: Grade | None  # None when nothing was answered
    cards: dict[int, tuple[bool, str]]

    @property
    def answered(self) -> bool:
        return self.grade is not None


def testable(question: Question) -> bool:
    return question.type in TESTABLE and not question.draft


def draw(
    banks: Sequence[Bank], count: int, rng: random.Random | None = None
) -> list[tuple[str, str]]:
    """Up to ``count`` (bank id, question id) pairs drawn at random from the testable questions."""
    pool = [(b.id, q.id) for b in banks for q in b.live_questions if testable(q)]
    return (rng or random.SystemRandom()).sample(pool, min(count, len(pool)))


def gaps(question: Question) -> list[cloze.Piece]:
    """A cloze text cut into plain runs and gaps, every deletion hidden, each gap with what
    touches it (kept on its line) and its index among the question's gaps, which is the index
    of its value in the form."""
    return cloze.pieces(cloze.split(question.text, None))


def _deletions(question: Question) -> list[cloze.Deletion]:
    return cloze.parse(question.text)[0]


def _picked(question: Question, values: Sequence[str]) -> list[int]:
    picked: set[int] = set()
    for raw in values:
        index = small_int(raw, limit=len(question.options))
        if index is None:
            raise BadAnswer("That option is not one of this question's.")
        picked.add(index)
    if question.type != "multi" and len(picked) > 1:
        raise BadAnswer("Pick one option.")
    return sorted(picked)


def _typed(values: Sequence[str]) -> list[str]:
    if any(len(v) > MAX_ANSWER_LENGTH for v in values):
        raise BadAnswer(f"Answers are limited to {MAX_ANSWER_LENGTH} characters.")
    return [v.strip() for v in values]


def mark(question: Question, values: Sequence[str]) -> Marked:
    """Mark the form values posted for one question (option indexes, or typed texts in order).

    Raises BadAnswer for values no form of ours sends.
    """
    if question.type in ("choice", "multi", "truefalse"):
        picked = _picked(question, values)
        if not picked:
            return Marked("", None, {})
        grade = grade_options(question, picked)
        return Marked(grade.given, grade, {1: (grade.correct, grade.given)})
    typed = _typed(values)
    if question.type == "answer":
        given = typed[0] if typed else ""
        if not given:
            return Marked("", None, {})
        grade = grade_typed(question.answer, question.accept, given)
        return Marked(grade.given, grade, {1: (grade.correct, grade.given)})
    if question.type == "cloze":
        return _mark_cloze(question, typed)
    raise BadAnswer(f"{question.type} questions are not part of tests.")


def _mark_cloze(question: Question, typed: list[str]) -> Marked:
    deletions = _deletions(question)
    answers = (typed + [""] * len(deletions))[: len(deletions)]
    if not any(answers):
        return Marked("", None, {})
    grades = [
        grade_typed(d.answer, question.accepted(d.number), a)
        for d, a in zip(deletions, answers, strict=True)
    ]
    left: list[Segment] = []
    right: list[Segment] = []
    for i, g in enumerate(grades):
        if i:
            left.append(Segment("same", SEPARATOR))
            right.append(Segment("same", SEPARATOR))
        left += g.given_diff or (Segment("same", g.given),)
        right += g.expected_diff or (Segment("same", g.expected),)
    share = sum(g.correct for g in grades) / len(grades)
    grade = Grade(
        correct=share == 1,
        score=share,
        given=SEPARATOR.join(g.given for g in grades),
        expected=SEPARATOR.join(d.answer for d in deletions),
        exact=all(g.exact for g in grades),
        given_diff=tuple(left),
        expected_diff=tuple(right),
    )
    cards: dict[int, tuple[bool, str]] = {}
    for number in question.card_numbers:
        mine = [
            (g, a) for d, g, a in zip(deletions, grades, answers, strict=True) if d.number == number
        ]
        if not any(a.strip() for _, a in mine):
            continue  # every gap of this card left blank: unanswered, so no review
        cards[number] = (all(g.correct for g, _ in mine), SEPARATOR.join(a for _, a in mine))
    return Marked(grade.given, grade, cards)


def expected_text(question: Question) -> str:
    """The right answer as one line: the right options, the answer, or every gap's text."""
    if question.type == "cloze":
        return SEPARATOR.join(d.answer for d in _deletions(question))
    if question.type in ("choice", "multi", "truefalse"):
        return SEPARATOR.join(question.correct_options)
    return question.answer


def form_values(question: Question, text: str | None) -> list[str]:
    """The form values that produced a stored answer text (empty when there is none).

    Options are matched in index order, the order ``grade_options`` joins them in; a question
    edited since may no longer hold them, which gives no values rather than wrong ones. (An
    option whose own text holds `` · `` can make two readings possible; the first is taken. The
    stored score does not depend on this: it was marked when the answer was saved.)
    """
    if not text:
        return []
    if question.type in ("choice", "multi", "truefalse"):
        found = _match_options(question.options, text, 0)
        return [str(i) for i in found] if found is not None else []
    if question.type == "cloze":
        n = len(_deletions(question))
        parts = text.split(SEPARATOR, max(n - 1, 0))
        return parts + [""] * (n - len(parts))
    return [text]


def _match_options(options: Sequence[str], text: str, start: int) -> list[int] | None:
    """Indexes ``i >= start`` whose options, joined by the separator, make ``text`` exactly."""
    for i in range(start, len(options)):
        option = options[i]
        if text == option:
            return [i]
        if text.startswith(option + SEPARATOR):
            rest = _match_options(options, text[len(option) + len(SEPARATOR) :], i + 1)
            if rest is not None:
                return [i, *rest]
    return None


@dataclass(frozen=True)
class Item:
    """One question of an attempt as a page shows it; ``question`` is None once it is gone."""

    position: int
    response: Response
    bank: Bank | None
    question: Question | None
    options: list[Shown]  # in the order the test shows them (``options.shown_options``)
    values: list[str]

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def answered(self) -> bool:
        return bool(self.response.answer)

    def posted(self, values: Sequence[str]) -> list[str]:
        """The values posted for this item as ``mark`` reads them: an option's code on the
        page (``options``) becomes its index. Raises UnknownOption for a code the question
        does not have now (it was edited while the test was open), BadAnswer for a value that
        is no code at all.
        """
        if self.question is None or self.question.type not in ("choice", "multi", "truefalse"):
            return list(values)
        try:
            return [str(i) for i in indexes_of(self.options, values)]
        except UnknownOption:
            raise
        except NotAnOption as e:
            raise BadAnswer(str(e)) from None


def attempt_items(attempt: Attempt, snapshot: Snapshot) -> list[Item]:
    """An attempt's questions as its pages show them, from the banks in service."""
    seed = str(attempt.settings.get("seed", attempt.id))
    items = []
    for r in attempt.responses:
        bank = snapshot.bank(r.bank_id)
        q = bank.question(r.question_id) if bank else None
        if q is not None and q.draft:
            q = None
        items.append(
            Item(
                r.position,
                r,
                bank,
                q,
                shown_options(q, f"{seed}/{q.bank_id}/{q.id}") if q else [],
                form_values(q, r.answer) if q else [],
            )
        )
    return items
