"""What every check rule shares: how a problem is placed at a question's key and named.

A rule yields ``Problem``s located at the key of the question they concern (``problem_at``), or,
for a fault inside a long value, at the exact line and column the loader's ``Locate`` finds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from .documents import Document, normalize
from .model import Question
from .problems import Problem

# (question, key, character offset in the key's stripped value) -> 1-based (line, column) or None
Locate = Callable[[Question, str, int], "tuple[int, int] | None"]
Rule = Callable[[Sequence[Question], "Document | None", str, Locate], Iterator[Problem]]


def nowhere(question: Question, key: str, offset: int) -> tuple[int, int] | None:
    """A ``Locate`` for questions without a source file: every problem stays at its key."""
    return None


def fold_option(text: str) -> str:
    """How options compare: case, spacing, quote marks, a full stop at the end, "&" for "and"
    and a leading article do not make two options different (a student would see the same
    option twice, one of them marked wrong)."""
    folded = normalize(text).casefold().replace("&", " and ")
    folded = re.sub(r"^(?:the|an?)\s+", "", folded.strip(" .,;:!?"))
    return " ".join(folded.split())


def question_name(q: Question) -> str:
    """How a problem names its question: by id, or by line when the id could not be read."""
    return f"question '{q.id}'" if q.id else f"the question on line {q.line}"


def problem_at(
    path: str, q: Question, key: str, code: str, message: str, hint: str | None = None
) -> Problem:
    line, col = q.pos.get(key, (q.line, 1))
    return Problem(path, line, col, code, f"{question_name(q)}: {message}", hint)
