"""The numbers for students and instructors, computed from answers recorded in a real store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from studyapp.banks import load_bank
from studyapp.cards import CardKey
from studyapp.stats import CardCounts, RetentionFigure
from studyapp.store import Store, migrate
from tests.test_store import BANK, DEPLOYED_1, DEPLOYED_2, EXACT, FELL, MET


@pytest.fixture
def store(tmp_path: Path, make_bank, clock: datetime) -> Iterator[Store]:
    path = tmp_path / "study.sqlite3"
    migrate(path)
    with Store.open(path, scheduler=EXACT) as s:
        bank = load_bank(make_bank(BANK)).bank
        assert bank is not None
        s.sync_bank(bank, clock)
        yield s


def say(
    store: Store,
    student: int,
    key: CardKey,
    now: datetime,
    rating: int,
    answer: str = "",
    correct: bool | None = None,
) -> None:
    store.record_answer(
        student,
        key,
        token=f"{student}:{key}:{now.isoformat()}",
        answer=answer,
        correct=(rating > 1) if correct is None else correct,
        rating=rating,
        duration_ms=900,
        now=now,
    )


def test_true_retention_counts_first_reviews_of_the_day_of_review_cards(
    store: Store, clock: datetime
) -> None:
    ana = store.create_user("ana", "h", now=clock).id
    bo = store.create_user("bo", "h", now=clock).id
    say(store, ana, DEPLOYED_1, clock, 4)  # graduates at once: review state
    say(store, ana, FELL, clock, 4)
    say(store, bo, FELL, clock, 4)
    day = clock + timedelta(days=20)
    say(store, ana, DEPLOYED_1, day, 3)  # passed
    say(store, ana, FELL, day, 1)  # failed
    say(store, ana, FELL, day + timedelta(minutes=10), 3)  # not the first of the day
    say(store, ana, MET, day, 3)  # a learning card: not counted
    say(store, bo, FELL, day, 3)  # another student
    retention = store.true_retention(ana, day + timedelta(hours=1))
    assert retention.overall == RetentionFigure(passed=1, failed=1)
    assert retention.overall.rate == 0.5
    assert retention.banks == {"sample": RetentionFigure(1, 1)}
    assert retention.desired == 0.9
    everyone = store.true_retention(None, day + timedelta(hours=1))
    assert everyone.overall == RetentionFigure(passed=2, failed=1)
    assert store.true_retention(ana, day + timedelta(days=60)).overall.rate is None


def test_card_counts_new_learning_young_mature(store: Store, clock: datetime) -> None:
    ana = store.create_user("ana", "h", now=clock).id
    assert store.card_counts(ana) == {"sample": CardCounts(new=4)}
    say(store, ana, MET, clock, 3)  # learning
    now = clock
    for _ in range(6):  # Easy again and again: the interval grows past 21 days
        say(store, ana, FELL, now, 4)
        now = store.card_state(ana, FELL).card.due
    say(store, ana, DEPLOYED_1, now, 4)
    counts = store.card_counts(ana)["sample"]
    assert counts == CardCounts(new=1, learning=1, young=1, mature=1)
    assert counts.total == 4
    assert store.card_counts(ana, bank_ids=["other"]) == {}


def test_due_forecast_counts_overdue_cards_today(store: Store, clock: datetime) -> None:
    ana = store.create_user("ana", "h", now=clock).id
    say(store, ana, FELL, clock, 4)
    say(store, ana, MET, clock, 3)  # due in 10 minutes: today
    due = store.card_state(ana, FELL).card.due
    forecast = store.due_forecast(ana, clock, days=30, day_starts_at_hour=0)
    assert len(forecast) == 30 and forecast[0] == (clock.date(), 1)
    assert dict(forecast)[due.date()] == 1
    assert sum(n for _, n in forecast) == 2
    later = due + timedelta(days=3)
    assert store.due_forecast(ana, later, days=2, day_starts_at_hour=0)[0] == (later.date(), 2)
    assert store.due_today(ana, later, day_starts_at_hour=0) == 2


def test_reviews_per_day_follow_the_students_day(store: Store, clock: datetime) -> None:
    ana = store.create_user("ana", "h", now=clock).id
    bo = store.create_user("bo", "h", now=clock).id
    # clock is 18:30 in Seoul on 2 March; 19:10 UTC is 04:10 on 3 March there.
    say(store, ana, FELL, clock, 3)
    say(store, ana, MET, clock + timedelta(hours=9), 3)
    say(store, ana, DEPLOYED_1, clock + timedelta(hours=9, minutes=40), 3)
    say(store, bo, DEPLOYED_2, clock, 3)
    seoul = {"tz": "Asia/Seoul", "day_starts_at_hour": 4}
    per_day = store.reviews_per_day(ana, since=clock - timedelta(days=365), **seoul)
    assert per_day == {date(2026, 3, 2): 2, date(2026, 3, 3): 1}
    assert store.reviews_today(ana, clock + timedelta(hours=10), **seoul) == 1


def test_question_stats_facility_discrimination_and_answers_given(
    store: Store, clock: datetime
) -> None:
    ana, bo, cy = (store.create_user(n, "h", now=clock).id for n in ("ana", "bo", "cy"))
    say(store, ana, FELL, clock, 3, "19 percent", True)
    say(store, bo, FELL, clock, 1, "5 percent", False)
    say(store, cy, FELL, clock, 3, "19 percent", True)
    say(store, ana, MET, clock, 3, "Wang Yi", True)
    say(store, bo, MET, clock, 1, "Wang Yee", False)
    say(store, cy, MET, clock, 1, " wang  yee", False)
    stats = {s.question_id: s for s in store.question_stats("sample")}
    fell, met = stats["fell"], stats["met"]
    assert (fell.attempts, fell.correct) == (3, 2)
    assert fell.facility == pytest.approx(2 / 3)
    assert fell.discrimination == pytest.approx(0.5)
    assert met.discrimination == pytest.approx(0.5)
    assert [(a.answer, a.correct, a.count) for a in met.answers] == [
        ("Wang Yee", False, 2),
        ("Wang Yi", True, 1),
    ]
    assert store.question_stats("sample", since=clock + timedelta(days=1)) == []


def test_question_stats_from_practice_attempts(store: Store, clock: datetime) -> None:
    ana = store.create_user("ana", "h", now=clock).id
    questions = [("sample", "fell"), ("sample", "met"), ("sample", "deployed")]
    results = [(True, True, True), (False, True, False), (True, True, False), (False, False, True)]
    for right in results:
        attempt = store.create_attempt(ana, questions, clock)
        for (bank, qid), ok in zip(questions, right, strict=True):
            store.save_response(attempt.id, ana, bank, qid, "x", clock, correct=ok)
        store.finish_attempt(attempt.id, ana, clock)
    store.create_attempt(ana, questions, clock)  # unfinished: not counted
    stats = {s.question_id: s for s in store.question_stats("sample", basis="attempts")}
    assert stats["fell"].attempts == 4 and stats["fell"].facility == 0.5
    # fell scores 1, 0, 1, 0 against means of the rest 1, .5, .5, .5: r = 1 / sqrt(3)
    assert stats["fell"].discrimination == pytest.approx(3**-0.5)
    with pytest.raises(ValueError, match="basis"):
        store.question_stats("sample", basis="everything")
