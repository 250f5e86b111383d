"""The numbers for students and instructors, computed from answers recorded in a real store.

Item analysis is tested here on answers recorded through the store's own calls (reviews and
practice attempts) and through the instructor pages in test_web_instructor_items.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from studyapp.banks import load_bank
from studyapp.cards import CardKey
from studyapp.item_analysis import analyse
from studyapp.model import Bank
from studyapp.scheduler import student_day
from studyapp.stats import CardCounts, RetentionFigure
from studyapp.store import Store, migrate
from tests.test_store import BANK, DEPLOYED_1, DEPLOYED_2, EXACT, FELL, MET


@pytest.fixture
def bank(make_bank) -> Bank:
    loaded = load_bank(make_bank(BANK)).bank
    assert loaded is not None
    return loaded


@pytest.fixture
def store(tmp_path: Path, bank: Bank, clock: datetime) -> Iterator[Store]:
    path = tmp_path / "study.sqlite3"
    migrate(path)
    with Store.open(path, scheduler=EXACT) as s:
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
    # A reading taken out of service leaves the figures.
    store.retire_bank("sample", day)
    assert store.true_retention(None, day + timedelta(hours=1)).overall == RetentionFigure(0, 0)


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


def test_reviews_per_day_follow_daylight_saving_changes_inside_the_window(
    store: Store, clock: datetime
) -> None:
    ana = store.create_user("ana", "h", now=clock).id
    # New York moves from UTC-5 to UTC-4 at 07:00 UTC on 8 March 2026 and back on 1 November.
    # With days starting at 3 am, 06:59:59 UTC (01:59:59 EST) is still 7 March and 07:00:00 UTC
    # (03:00 EDT) is 8 March; 07:30 UTC in July (03:30 EDT) is that day, though it would be the
    # day before at UTC-5; 07:00 UTC on 13 November (02:00 EST) is the day before.
    change = datetime(2026, 3, 8, 7, tzinfo=clock.tzinfo)
    moments = [
        change - timedelta(seconds=1),
        change,
        change + timedelta(days=121, minutes=30),
        change + timedelta(days=250),
    ]
    for key, moment in zip([FELL, MET, DEPLOYED_1, DEPLOYED_2], moments, strict=True):
        say(store, ana, key, moment, 3)
    new_york = {"tz": "America/New_York", "day_starts_at_hour": 3}
    per_day = store.reviews_per_day(ana, since=clock, **new_york)
    assert per_day == {
        date(2026, 3, 7): 1,
        date(2026, 3, 8): 1,
        date(2026, 7, 7): 1,
        date(2026, 11, 12): 1,
    }
    assert list(per_day) == [student_day(m, "America/New_York", 3) for m in moments]
    assert store.reviews_per_day(ana, since=moments[-1] + timedelta(seconds=1), **new_york) == {}


def hand_in(
    store: Store,
    student: int,
    answers: dict[str, str],
    now: datetime,
    schedule: list[tuple[CardKey, str]],
    *,
    finish: bool = True,
) -> int:
    """A practice test as the app records one: the responses (``answers``: question id -> the
    answer saved, "" left blank), then, once finished, a review log row per card for the
    schedule (``schedule``: card and source), with the attempt's id."""
    attempt = store.create_attempt(student, [("sample", q) for q in answers], now)
    for qid, answer in answers.items():
        if answer:
            store.save_response(attempt.id, student, "sample", qid, answer, now, correct=True)
    if not finish:
        return attempt.id
    store.finish_attempt(attempt.id, student, now)
    for key, source in schedule:
        store.record_answer(
            student,
            key,
            token=f"practice:{attempt.id}:{key}",
            answer="",
            correct=True,
            rating=3,
            duration_ms=None,
            now=now,
            source=source,
            attempt_id=attempt.id,
        )
    return attempt.id


def test_a_test_answer_counts_once_whatever_it_did_to_the_schedule(
    store: Store, clock: datetime
) -> None:
    """Two review-loop answers, then a test: the two-gap cloze is one answer though it logs two
    cards for the schedule; fell's schedule row is a review, met's (not due) is practice; the
    blank question and the test still open count nothing."""
    ana = store.create_user("ana", "h", now=clock).id
    say(store, ana, FELL, clock, 1)
    say(store, ana, MET, clock + timedelta(minutes=1), 3)
    later = clock + timedelta(minutes=30)
    answers = {"deployed": "South Korea · 2017", "fell": "19 percent", "met": "Wang Yi"}
    schedule = [(DEPLOYED_1, "review"), (DEPLOYED_2, "review"), (FELL, "review")]
    hand_in(store, ana, answers, later, [*schedule, (MET, "practice")])
    hand_in(store, ana, {"fell": ""}, later, [])
    hand_in(store, ana, {"met": "Wang Yi"}, later, [], finish=False)
    # The log holds six rows of ana's (two from the loop, four from the test, three of them
    # reviews); she gave five answers.
    day = clock.date()
    assert store.reviews_per_day(ana, since=clock - timedelta(days=1)) == {day: 5}
    assert store.reviews_today(ana, later) == 5
    (counts,) = store.answer_counts().values()
    assert (counts.reviews, counts.practice, counts.answers) == (2, 3, 5)
    assert store.answer_counts(bank_ids=["other"]) == {}
    span, per_bank = store.class_answers_per_day(later, days=3, day_starts_at_hour=4)
    assert span == [day - timedelta(days=2), day - timedelta(days=1), day]
    assert [(n.reviews, n.practice) for n in per_bank["sample"]] == [(0, 0), (0, 0), (2, 3)]
    # True retention is about the schedule: there, the test's due card is a review (none of
    # these cards was past learning, so no figure yet).
    assert store.true_retention(ana, later).overall.reviews == 0


def test_class_counts_leave_out_retired_readings_the_students_own_page_keeps_them(
    store: Store, clock: datetime
) -> None:
    ana = store.create_user("ana", "h", now=clock).id
    say(store, ana, FELL, clock, 3)
    hand_in(store, ana, {"met": "Wang Yi"}, clock, [(MET, "review")])
    assert store.answer_counts()[ana].answers == 2
    store.retire_bank("sample", clock)
    assert store.answer_counts() == {}
    assert store.class_answers_per_day(clock, days=1)[1] == {}
    assert store.reviews_per_day(ana, since=clock - timedelta(days=1)) == {clock.date(): 2}


def test_class_answers_fall_on_each_students_own_day(store: Store, clock: datetime) -> None:
    """Three students answer at the same UTC moment, 02:50 on 23 November (Seoul: 11:50 that
    Monday; UTC and New York: before the 04:00 day start, so Sunday). Then DST: 08:30 UTC on
    31 October is 04:30 EDT, that Saturday in New York, though at today's offset (EST) it would
    fall before the day start, on the Friday."""
    moment = datetime(2026, 11, 23, 2, 50, tzinfo=clock.tzinfo)
    ids = {}
    for name, tz in (("ana", "Asia/Seoul"), ("bo", "UTC"), ("cy", "America/New_York")):
        ids[name] = store.create_user(name, "h", timezone=tz, now=clock).id
        say(store, ids[name], FELL, moment, 3)
    say(store, ids["cy"], MET, datetime(2026, 10, 31, 8, 30, tzinfo=clock.tzinfo), 3)
    span, per_bank = store.class_answers_per_day(
        moment + timedelta(minutes=5), days=30, day_starts_at_hour=4
    )
    assert span[-1] == date(2026, 11, 23)  # Seoul's Monday has begun
    per_day = {d: n.reviews for d, n in zip(span, per_bank["sample"], strict=True) if n.answers}
    assert per_day == {date(2026, 10, 31): 1, date(2026, 11, 22): 2, date(2026, 11, 23): 1}
    # Each student's own page puts their answers on the same days.
    own = {"since": clock, "day_starts_at_hour": 4}
    assert store.reviews_per_day(ids["ana"], tz="Asia/Seoul", **own) == {date(2026, 11, 23): 1}
    assert store.reviews_per_day(ids["cy"], tz="America/New_York", **own) == {
        date(2026, 10, 31): 1,
        date(2026, 11, 22): 1,
    }


def test_item_analysis_of_reviews_facility_discrimination_and_wrong_answers(
    store: Store, bank: Bank, clock: datetime
) -> None:
    ana, bo, cy = (store.create_user(n, "h", now=clock).id for n in ("ana", "bo", "cy"))
    say(store, ana, FELL, clock, 3, "19 percent", True)
    say(store, bo, FELL, clock, 1, "5 percent", False)
    say(store, cy, FELL, clock, 3, "19 percent", True)
    say(store, ana, MET, clock, 3, "Wang Yi", True)
    say(store, bo, MET, clock, 1, "Wang Yee", False)
    say(store, cy, MET, clock, 1, " wang  yee", False)
    answers = store.item_answers("sample")
    assert {(a.source, a.attempt_id) for a in answers} == {("review", None)}
    stats = {s.question.id: s for s in analyse(bank, answers, "reviews")}
    fell, met = stats["fell"], stats["met"]
    assert (fell.answers, fell.students) == (3, 3)
    assert fell.facility == pytest.approx(2 / 3)
    # fell 1, 0, 1 against met 1, 0, 0 (and the reverse): r = (1/3) / (2/3) = 0.5
    assert fell.discrimination == pytest.approx(0.5) and fell.compared == 3
    assert met.discrimination == pytest.approx(0.5)
    assert [(o.text, o.correct, o.picks) for o in fell.options] == [
        ("19 percent", True, 2),
        ("5 percent", False, 1),
        ("40 percent", False, 0),
    ]
    # Typed answers differing only in case and spacing are one wrong answer, shown as first typed.
    assert [(w.text, w.count, w.students) for w in met.wrong_answers] == [("Wang Yee", 2, 2)]
    assert stats["deployed"].answers == 0 and stats["deployed"].facility is None
    assert store.item_answers("sample", since=clock + timedelta(days=1)) == []


def test_item_analysis_of_practice_attempts_compares_attempts(
    store: Store, bank: Bank, clock: datetime
) -> None:
    ana = store.create_user("ana", "h", now=clock).id
    questions = [("sample", "fell"), ("sample", "met"), ("sample", "deployed")]
    given = {"fell": ("19 percent", "5 percent"), "met": ("Wang Yi", "Wang Yee")}
    results = [(True, True, True), (False, True, False), (True, True, False), (False, False, True)]
    for right in results:
        attempt = store.create_attempt(ana, questions, clock)
        for (bank_id, qid), ok in zip(questions, right, strict=True):
            answer = given.get(qid, ("South Korea · 2017", "x · y"))[0 if ok else 1]
            store.save_response(attempt.id, ana, bank_id, qid, answer, clock, correct=ok)
        store.finish_attempt(attempt.id, ana, clock)
        for key, ok in zip([FELL, MET, DEPLOYED_1], right, strict=True):
            # As a finished test does, its answers go to the review log too.
            store.record_answer(
                ana,
                key,
                token=f"{attempt.id}:{key}",
                answer="",
                correct=ok,
                rating=3 if ok else 1,
                duration_ms=None,
                now=clock,
                source="practice",
                attempt_id=attempt.id,
            )
    store.create_attempt(ana, questions, clock)  # unfinished: not counted
    answers = store.item_answers("sample")
    # Each response once: the review log's rows of a test are not read again.
    assert len(answers) == 12 and {a.source for a in answers} == {"practice"}
    stats = {s.question.id: s for s in analyse(bank, answers, "practice")}
    fell = stats["fell"]
    assert (fell.answers, fell.students, fell.unit) == (4, 1, "attempts")
    assert fell.facility == 0.5
    # fell scores 1, 0, 1, 0 against means of the rest 1, .5, .5, .5: r = 1 / sqrt(3)
    assert fell.discrimination == pytest.approx(3**-0.5) and fell.compared == 4
    assert {o.text: o.picks for o in fell.options} == {
        "19 percent": 2,
        "5 percent": 2,
        "40 percent": 0,
    }
    # By student, one student's attempts are one unit: nothing to compare.
    both = {s.question.id: s for s in analyse(bank, answers, "both")}
    assert both["fell"].discrimination is None and both["fell"].compared == 1
    with pytest.raises(ValueError, match="basis"):
        analyse(bank, answers, "everything")


def test_a_claimed_answer_counts_as_right_until_the_claim_is_rejected(
    store: Store, clock: datetime
) -> None:
    ana, bo, iris = (store.create_user(n, "h", now=clock).id for n in ("ana", "bo", "iris"))
    for student, token in ((ana, "t-ana"), (bo, "t-bo")):
        store.record_answer(
            student,
            FELL,
            token=token,
            answer="nineteen per cent",
            correct=True,
            rating=3,
            duration_ms=None,
            now=clock,
            claim=True,
        )
    claim_of_bo = next(c for c in store.claims() if c.student_id == bo)
    store.resolve_claim(claim_of_bo.id, "rejected", iris, clock)
    verdicts = {a.student_id: a.correct for a in store.item_answers("sample")}
    assert verdicts == {ana: True, bo: False}


def test_class_figures_leave_out_an_instructor_who_studies(store: Store, clock: datetime) -> None:
    """An instructor trying a bank answers everything right: counted as a student, they would
    raise the facility and the class's retention, and their zone would move the chart's days."""
    ana = store.create_user("ana", "h", now=clock).id
    teacher = store.create_user(
        "teach", "h", role="instructor", timezone="Pacific/Kiritimati", now=clock
    ).id
    for who in (ana, teacher):
        say(store, who, DEPLOYED_1, clock, 4)  # graduates: a review card
    say(store, ana, FELL, clock, 1, "5 percent", False)
    say(store, teacher, FELL, clock, 3, "19 percent", True)
    hand_in(store, teacher, {"met": "Wang Yi"}, clock, [])
    day = clock + timedelta(days=20)
    say(store, ana, DEPLOYED_1, day, 1)
    say(store, teacher, DEPLOYED_1, day, 3)
    now = day + timedelta(hours=1)

    answers = store.item_answers("sample")
    assert {a.student_id for a in answers} == {ana}
    assert store.active_students(clock - timedelta(days=1)) == (1, {"sample": 1})
    by_student = store.retention_by_student(now)
    assert set(by_student) == {ana}
    assert by_student[ana]["sample"] == RetentionFigure(passed=0, failed=1)
    due_now = sum(
        1
        for who in (ana, teacher)
        for k in (DEPLOYED_1, FELL)
        if (c := store.card_state(who, k).card) and c.due <= now
    )
    assert due_now > store.class_cards_due(now).get("sample", 0) >= 1
    span, per_bank = store.class_answers_per_day(now, days=30, day_starts_at_hour=4)
    assert span[-1] == student_day(now, "UTC", 4)  # not Kiritimati's day, 14 hours ahead
    assert sum(n.answers for n in per_bank["sample"]) == 3  # ana's three review answers
