"""What the review forms carry: the card, the one-time token and the answer, read back from a
posted form (or a pending answer) and graded.

A bad field is a 400 with a message in the app's words, never a 500: a form is input from the
browser, and a forged value (an option that is not the question's, a token of odd characters)
must not reach the store.
"""

from __future__ import annotations

from datetime import datetime

from flask import abort, request
from werkzeug.datastructures import MultiDict

from .. import cloze
from ..cards import CardKey
from ..grading import MAX_ANSWER_LENGTH, Grade, grade_cloze, grade_options, grade_typed
from ..model import Question
from .inputs import small_int
from .options import NotAnOption, UnknownOption, indexes_of, shown_options


def picked_options(question: Question, token: str, fields: MultiDict[str, str]) -> list[int]:
    """The options picked, as indexes into ``question.options``, from the codes the card's
    front posts (``options``: the page's source does not say which option is right)."""
    try:
        return indexes_of(shown_options(question, token), fields.getlist("option"))
    except UnknownOption:
        abort(
            400,
            "That option is not one of this question's: it may have been edited since the card"
            " was shown. Open the card again.",
        )
    except NotAnOption as e:
        abort(400, str(e))


def cloze_parts(question: Question, number: int) -> list[cloze.Piece]:
    if question.type != "cloze":
        return []
    return cloze.pieces(cloze.split(question.text, number))


def form_key() -> CardKey:
    try:
        return CardKey.parse(request.form.get("card", ""))
    except ValueError:
        abort(400, "The form did not name a card.")


def form_token() -> str:
    token = request.form.get("token", "")
    if not 8 <= len(token) <= 64 or not token.replace("-", "").replace("_", "").isalnum():
        abort(400, "The form is missing its answer token. Reload the page.")
    return token


def typed(fields: MultiDict[str, str], name: str) -> list[str]:
    values = fields.getlist(name)
    if any(len(v) > MAX_ANSWER_LENGTH for v in values):
        abort(400, f"Answers are limited to {MAX_ANSWER_LENGTH} characters.")
    return values


def grade_form(
    question: Question, number: int, fields: MultiDict[str, str], token: str
) -> Grade | None:
    """Grade the answer in ``fields`` (the posted form, or a pending answer from the session)
    to the showing of ``token``; None for a flashcard (the student grades it)."""
    if question.type == "card":
        return None
    if question.type in ("choice", "multi", "truefalse"):
        return grade_options(question, picked_options(question, token, fields))
    if question.type == "cloze":
        return grade_cloze(question, number, typed(fields, "blank"))
    answers = typed(fields, "answer")
    return grade_typed(question.answer, question.accept, answers[0] if answers else "")


def answer_duration_ms(shown_at: str | None, now: datetime) -> int | None:
    shown = small_int(shown_at, limit=10**14)
    if shown is None:
        return None
    ms = int(now.timestamp() * 1000) - shown
    return ms if 0 <= ms <= 3_600_000 else None


def typed_something(fields: MultiDict[str, str]) -> bool:
    """Whether the student typed any answer: a blank one cannot be claimed right."""
    return any(v.strip() for v in fields.getlist("answer") + fields.getlist("blank"))


def posted_answers(fields: MultiDict[str, str]) -> list[tuple[str, str]]:
    """The answer fields to carry through the feedback page to the rating."""
    out = []
    for name in ("option", "blank", "answer"):
        out += [(name, v) for v in fields.getlist(name)]
    return out
