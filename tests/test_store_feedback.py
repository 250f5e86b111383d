"""Practice-test attempts, claims and problem reports in a real store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from studyapp.banks import load_bank
from studyapp.database import (
    AttemptFinished,
    Conflict,
    NotFound,
    UnknownAttempt,
    UnknownQuestion,
)
from studyapp.store import Store, migrate
from tests.test_store import BANK, EXACT, FELL, MET

QUESTIONS = [("sample", "met"), ("sample", "fell")]


@pytest.fixture
def store(tmp_path: Path, make_bank, clock: datetime) -> Iterator[Store]:
    path = tmp_path / "study.sqlite3"
    migrate(path)
    with Store.open(path, scheduler=EXACT) as s:
        bank = load_bank(make_bank(BANK)).bank
        assert bank is not None
        s.sync_bank(bank, clock)
        yield s


@pytest.fixture
def ana(store: Store, clock: datetime) -> int:
    return store.create_user("ana", "h", now=clock).id


@pytest.fixture
def bo(store: Store, clock: datetime) -> int:
    return store.create_user("bo", "h", now=clock).id


def test_attempt_saves_each_response_once_and_scores_on_finish(
    store: Store, ana: int, clock: datetime
) -> None:
    attempt = store.create_attempt(ana, QUESTIONS, clock, {"time_limit": 600})
    assert attempt.settings == {"time_limit": 600} and attempt.finished is None
    assert [r.question_id for r in attempt.responses] == ["met", "fell"]
    store.save_response(attempt.id, ana, "sample", "met", "Wang", clock, correct=False)
    later = clock + timedelta(minutes=1)
    store.save_response(attempt.id, ana, "sample", "met", "Wang Yi", later, correct=True)
    store.save_response(attempt.id, ana, "sample", "fell", "5 percent", later, correct=False)
    done = store.finish_attempt(attempt.id, ana, later)
    assert (done.score, done.max_score, done.finished) == (1.0, 2.0, later)
    assert done.responses[0].answer == "Wang Yi" and done.responses[0].saved == later
    assert store.finish_attempt(attempt.id, ana, later + timedelta(hours=1)) == done
    with pytest.raises(AttemptFinished):
        store.save_response(attempt.id, ana, "sample", "met", "x", later)


def test_attempts_belong_to_their_student(store: Store, ana: int, bo: int, clock: datetime) -> None:
    first = store.create_attempt(ana, QUESTIONS, clock)
    second = store.create_attempt(ana, QUESTIONS[:1], clock + timedelta(days=1))
    assert [a.id for a in store.attempts_for(ana)] == [second.id, first.id]
    assert store.attempts_for(bo) == []
    with pytest.raises(UnknownAttempt):
        store.attempt(first.id, bo)
    with pytest.raises(UnknownAttempt):
        store.save_response(first.id, bo, "sample", "met", "x", clock)


def test_attempt_questions_must_exist_and_be_in_the_attempt(
    store: Store, ana: int, clock: datetime
) -> None:
    with pytest.raises(UnknownQuestion):
        store.create_attempt(ana, [("sample", "nope")], clock)
    with pytest.raises(ValueError, match="twice"):
        store.create_attempt(ana, QUESTIONS + QUESTIONS, clock)
    attempt = store.create_attempt(ana, QUESTIONS[:1], clock)
    with pytest.raises(UnknownQuestion):
        store.save_response(attempt.id, ana, "sample", "fell", "x", clock)


def record(store: Store, student: int, key, token: str, correct: bool, clock: datetime) -> int:
    return store.record_answer(
        student,
        key,
        token=token,
        answer="Wang Yee",
        correct=correct,
        rating=3 if correct else 1,
        duration_ms=None,
        now=clock,
    ).review_id


def test_claim_on_a_typed_answer_is_kept_for_instructors(
    store: Store, ana: int, bo: int, clock: datetime
) -> None:
    wrong = record(store, ana, MET, "wrong", False, clock)
    graded_by_self = store.record_answer(
        ana, FELL, token="self", answer="", correct=None, rating=3, duration_ms=None, now=clock
    ).review_id
    claim = store.record_claim(ana, clock, review_id=wrong, comment=" a typo ")
    assert (claim.question_id, claim.answer, claim.comment, claim.status) == (
        "met",
        "Wang Yee",
        "a typo",
        "open",
    )
    assert store.record_claim(ana, clock, review_id=wrong) == claim
    with pytest.raises(Conflict, match="only an auto-graded answer"):
        store.record_claim(ana, clock, review_id=graded_by_self)
    with pytest.raises(NotFound):
        store.record_claim(bo, clock, review_id=wrong)
    assert store.claims_by(bo) == [] and store.claims_by(ana) == [claim]
    resolved = store.resolve_claim(claim.id, "accepted", bo, clock)
    assert (resolved.status, resolved.resolved_by) == ("accepted", bo)
    assert store.claims() == [] and store.claims(status=None) == [resolved]


def test_claim_on_a_practice_response(store: Store, ana: int, clock: datetime) -> None:
    attempt = store.create_attempt(ana, QUESTIONS, clock)
    store.save_response(attempt.id, ana, "sample", "met", "Wang Yee", clock, correct=False)
    claim = store.record_claim(
        ana, clock, attempt_id=attempt.id, bank_id="sample", question_id="met"
    )
    assert (claim.attempt_id, claim.review_id, claim.answer) == (attempt.id, None, "Wang Yee")
    with pytest.raises(ValueError, match="names a logged answer"):
        store.record_claim(ana, clock, attempt_id=attempt.id)


def test_problem_reports(store: Store, ana: int, bo: int, clock: datetime) -> None:
    report = store.report_problem(ana, "sample", "fell", "unclear", " which poll? ", clock)
    assert (report.category, report.comment, report.status) == ("unclear", "which poll?", "open")
    with pytest.raises(ValueError, match="category must be one of"):
        store.report_problem(ana, "sample", "fell", "rude", "", clock)
    with pytest.raises(UnknownQuestion):
        store.report_problem(ana, "sample", "nope", "typo", "", clock)
    assert store.reports_by(bo) == [] and store.reports_by(ana) == [report]
    done = store.resolve_report(report.id, "resolved", bo, clock, "Reworded.")
    assert (done.status, done.response, done.resolved) == ("resolved", "Reworded.", clock)
    assert store.reports() == [] and store.reports(status="resolved", bank_id="sample") == [done]
    with pytest.raises(NotFound):
        store.resolve_report(999, "resolved", bo, clock)
