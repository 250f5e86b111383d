"""What the result page of a practice test shows for each question.

Answers are marked again against the banks in service to show the grade (the typed answer's
diff); the score shown beside them is the one saved when the answer was given. Options keep the
order the test showed them (``Item.options``, shuffled by the attempt's seed), so the result page
can mark them as the test listed them.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..grading import Grade
from .passages import passage_in_paragraph
from .practice_grading import BadAnswer, Item, expected_text, mark


@dataclass(frozen=True)
class ResultRow:
    """One question of a finished test; ``grade`` and ``passage`` are None once it is gone."""

    item: Item
    grade: Grade | None
    passage: Markup | None
    expected: str


def result_rows(items: list[Item]) -> list[ResultRow]:
    rows = []
    for item in items:
        grade = passage = None
        if item.question is not None and item.bank is not None:
            try:
                grade = mark(item.question, item.values).grade
            except BadAnswer:
                grade = None
            passage = passage_in_paragraph(item.bank.document, item.question.quote)[1]
        expected = expected_text(item.question) if item.question else ""
        rows.append(ResultRow(item, grade, passage, expected))
    return rows


def limit_minutes(seconds: object) -> float | None:
    """A stored time limit in minutes, as the start form takes it (``Another test like this``)."""
    if not seconds:
        return None
    minutes = float(seconds) / 60  # type: ignore[arg-type]
    return int(minutes) if minutes.is_integer() else round(minutes, 2)
