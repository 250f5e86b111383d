"""Seeding a real store with students' answers, for the instructor pages' tests and benchmark."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from studyapp.cards import CardKey
from studyapp.store import Store

# A bank on tests/conftest.py's SAMPLE_DOCUMENT with one question of each type.
BANK = """\
- id: year
  type: choice
  prompt: In which year was THAAD deployed in South Korea?
  answer: "2017"
  distractors: ["2016", "2018", "2019"]
  quote: was deployed in South Korea in 2017
- id: fell
  type: answer
  prompt: By how much did support for closer ties with China fall?
  # the figure as the article gives it
  answer: 19 percent
  accept: ["19%"]
  quote: Support for closer ties with China fell by 19 percent.
- id: coercion
  type: truefalse
  prompt: Beijing answered THAAD with economic coercive measures.
  answer: true
  quote: Beijing answered with a barrage of economic coercive measures
- id: met
  type: cloze
  text: Chung Eui-yong met {{c1::Wang Yi}} in {{c2::Xiamen}}.
  quote: Chung Eui-yong met Wang Yi in Xiamen.
- id: talks
  type: multi
  prompt: Who met in Xiamen?
  answers: [Chung Eui-yong, Wang Yi]
  distractors: [Jake Sullivan, Suh Hoon]
  quote: Chung Eui-yong met Wang Yi in Xiamen.
- id: thaad
  type: card
  prompt: What does THAAD stand for?
  answer: Terminal High Altitude Area Defense
  quote: Terminal High Altitude Area Defense
"""


def student(store: Store, name: str, now: datetime) -> int:
    found = store.user_by_name(name)
    return found.id if found else store.create_user(name, "not a hash", now=now).id


def review(
    store: Store,
    student_id: int,
    key: CardKey,
    answer: str,
    correct: bool,
    now: datetime,
    *,
    claim: bool = False,
) -> None:
    """One answer in the review loop, rated as the loop would (Good when right, else Again)."""
    store.record_answer(
        student_id,
        key,
        token=f"{student_id}:{key}:{now.isoformat()}",
        answer=answer,
        correct=correct,
        rating=3 if correct or claim else 1,
        duration_ms=1000,
        now=now,
        claim=claim,
    )


def seed_reviews(
    store: Store,
    bank_id: str,
    table: Mapping[str, Mapping[str, tuple[str, bool]]],
    now: datetime,
) -> dict[str, int]:
    """``table`` maps a student's name to {question id: (answer, right)}; card 1 of each."""
    ids = {}
    for i, (name, answers) in enumerate(table.items()):
        ids[name] = sid = student(store, name, now)
        for j, (qid, (answer, right)) in enumerate(answers.items()):
            at = now + timedelta(seconds=10 * i + j)
            review(store, sid, CardKey(bank_id, qid, 1), answer, right, at)
    return ids


def seed_attempt(
    store: Store,
    student_id: int,
    bank_id: str,
    responses: Mapping[str, tuple[str, bool, float]],
    now: datetime,
    *,
    finish: bool = True,
) -> int:
    """A practice attempt with ``responses`` ({question id: (answer, right, score)})."""
    attempt = store.create_attempt(student_id, [(bank_id, q) for q in responses], now)
    for qid, (answer, right, score) in responses.items():
        store.save_response(
            attempt.id, student_id, bank_id, qid, answer, now, correct=right, score=score
        )
    if finish:
        store.finish_attempt(attempt.id, student_id, now)
    return attempt.id


def hand_in_test(
    store: Store,
    snapshot,
    student_id: int,
    bank_id: str,
    answers: Mapping[str, Sequence[str]],
    now: datetime,
) -> int:
    """A practice test taken and handed in as the app does it: each answer marked as the test
    page marks it and saved (an empty one is never saved), then the attempt finished and its
    answers recorded for the schedule by ``practice_reviews.record_reviews``, which logs a card
    that was due or new as a review with the attempt's id.

    ``answers`` maps a question id to what the student gave: the options picked (by text) or
    the typed gaps, in order; an empty sequence leaves the question blank.
    """
    from studyapp.web.practice_grading import mark
    from studyapp.web.practice_reviews import record_reviews

    bank = snapshot.bank(bank_id)
    attempt = store.create_attempt(student_id, [(bank_id, q) for q in answers], now)
    for qid, given in answers.items():
        question = bank.question(qid)
        if question.type in ("choice", "multi", "truefalse"):
            given = [str(question.options.index(text)) for text in given]
        marked = mark(question, given)
        if marked.text:
            store.save_response(
                attempt.id,
                student_id,
                bank_id,
                qid,
                marked.text,
                now,
                correct=marked.grade.correct if marked.grade else None,
                score=marked.grade.score if marked.grade else None,
            )
    finished = store.finish_attempt(attempt.id, student_id, now)
    record_reviews(store, snapshot, finished, now)
    return attempt.id


def build_app(app_config: dict, make_bank) -> object:
    """The app serving BANK (bank id ``sample``) from a folder in tmp_path."""
    from studyapp import create_app

    path = make_bank(BANK)
    return create_app(app_config | {"QUESTIONS": str(path.parent)})


def sign_in_instructor(app, client, name: str = "iris") -> None:
    from werkzeug.security import generate_password_hash

    from .conftest import sign_in

    with app.extensions["studyapp"].open_store() as store:
        store.create_user(name, generate_password_hash("correct horse"), "instructor")
    assert sign_in(client, name).status_code == 302
