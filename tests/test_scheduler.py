"""The FSRS wrapper: settings, ratings, previews, the student's day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from studyapp.config import DEFAULTS
from studyapp.scheduler import (
    Card,
    Rating,
    SchedulerSettings,
    State,
    StudyScheduler,
    day_end,
    day_start,
    describe_interval,
    rating_for,
    ratings_for,
    student_day,
)

EXACT = SchedulerSettings(enable_fuzzing=False)


def test_settings_come_from_the_config_defaults() -> None:
    settings = SchedulerSettings.from_config(DEFAULTS)
    assert settings.desired_retention == DEFAULTS["DESIRED_RETENTION"]
    assert settings.learning_steps == tuple(DEFAULTS["LEARNING_STEPS"])
    assert settings.relearning_steps == tuple(DEFAULTS["RELEARNING_STEPS"])
    assert settings.maximum_interval == DEFAULTS["MAXIMUM_INTERVAL"]
    scheduler = StudyScheduler(settings)
    assert scheduler.fsrs.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))


def test_new_card_takes_the_given_id_and_time(clock: datetime) -> None:
    card = StudyScheduler(EXACT).new_card(42, clock)
    assert card.card_id == 42
    assert card.due == clock
    assert card.state == State.Learning


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        StudyScheduler(EXACT).new_card(1, datetime(2026, 3, 2, 9, 30))


def test_good_walks_the_learning_steps_then_graduates(clock: datetime) -> None:
    s = StudyScheduler(EXACT)
    card = s.review(s.new_card(1, clock), Rating.Good, clock)
    assert card.due - clock == timedelta(minutes=10)
    later = clock + timedelta(minutes=10)
    card = s.review(card, Rating.Good, later)
    assert card.state == State.Review
    assert card.due - later >= timedelta(days=1)


def test_preview_gives_each_ratings_interval_without_changing_the_card(clock: datetime) -> None:
    s = StudyScheduler(SchedulerSettings(enable_fuzzing=True))
    card = s.new_card(7, clock)
    preview = s.preview(card, clock)
    assert preview[Rating.Again] == timedelta(minutes=1)
    assert preview[Rating.Hard] == timedelta(minutes=5.5)
    assert preview[Rating.Good] == timedelta(minutes=10)
    assert preview[Rating.Easy] >= timedelta(days=1)
    assert card == s.new_card(7, clock)


def test_config_json_round_trips_without_fuzz() -> None:
    s = StudyScheduler(SchedulerSettings(desired_retention=0.85, learning_steps=(2, 15)))
    again = StudyScheduler.from_json(s.config_json())
    assert again.settings.enable_fuzzing is False
    assert again.config_json() == s.config_json()


@pytest.mark.parametrize(
    ("correct", "chosen", "expected"),
    [
        (False, None, Rating.Again),
        (True, None, Rating.Good),
        (True, Rating.Easy, Rating.Easy),
        (True, 2, Rating.Hard),
        (None, 1, Rating.Again),
    ],
)
def test_rating_for_answers(correct: bool | None, chosen: int | None, expected: Rating) -> None:
    assert rating_for(correct, chosen) == expected


@pytest.mark.parametrize(
    ("correct", "chosen", "message"),
    [
        (False, Rating.Good, "wrong answer is rated Again, not Good"),
        (True, Rating.Again, "right answer is rated Hard, Good, Easy, not Again"),
        (None, None, "needs the student's rating"),
        (True, 5, "rating must be 1"),
    ],
)
def test_rating_for_refuses_what_the_answer_rules_out(
    correct: bool | None, chosen: int | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        rating_for(correct, chosen)


def test_self_graded_cards_offer_all_four_ratings() -> None:
    assert ratings_for(None) == tuple(Rating)
    assert ratings_for(False) == (Rating.Again,)


def test_day_starts_at_the_configured_hour_in_the_students_zone() -> None:
    # 02:00 in Seoul on 3 March is still the study day of 2 March when days start at 4.
    now = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # 02:00 KST, 3 March
    assert day_start(now, "Asia/Seoul", 4) == datetime(2026, 3, 1, 19, 0, tzinfo=UTC)
    assert student_day(now, "Asia/Seoul", 4).isoformat() == "2026-03-02"
    later = datetime(2026, 3, 2, 19, 30, tzinfo=UTC)  # 04:30 KST
    assert student_day(later, "Asia/Seoul", 4).isoformat() == "2026-03-03"


def test_day_start_follows_daylight_saving() -> None:
    # New York moves to summer time on 8 March 2026: day start is 04:00 local either side.
    before = day_start(datetime(2026, 3, 7, 12, tzinfo=UTC), "America/New_York", 4)
    after = day_start(datetime(2026, 3, 9, 12, tzinfo=UTC), "America/New_York", 4)
    assert before.hour == 9 and after.hour == 8


def test_a_study_day_ends_when_the_next_begins_even_across_a_clock_change() -> None:
    # 12:00 UTC on 7 March is 07:00 in New York. The clocks go forward at 02:00 on 8 March,
    # so the next day starts at 04:00 summer time (08:00 UTC), 23 hours after this one began.
    now = datetime(2026, 3, 7, 12, tzinfo=UTC)
    end = day_end(now, "America/New_York", 4)
    assert end == datetime(2026, 3, 8, 8, tzinfo=UTC)
    assert end - day_start(now, "America/New_York", 4) == timedelta(hours=23)
    assert day_start(end, "America/New_York", 4) == end


@pytest.mark.parametrize(
    ("interval", "label"),
    [
        (timedelta(seconds=30), "<1m"),
        (timedelta(minutes=10), "10m"),
        (timedelta(hours=3), "3h"),
        (timedelta(days=4), "4d"),
        (timedelta(days=75), "2.5mo"),
        (timedelta(days=730), "2y"),
    ],
)
def test_describe_interval(interval: timedelta, label: str) -> None:
    assert describe_interval(interval) == label


def test_fuzz_only_moves_the_due_date(clock: datetime) -> None:
    fuzzed = StudyScheduler(SchedulerSettings(enable_fuzzing=True))
    exact = StudyScheduler(EXACT)
    card = Card(
        card_id=3,
        state=State.Review,
        stability=30.0,
        difficulty=5.0,
        due=clock,
        last_review=clock - timedelta(days=30),
    )
    a = fuzzed.review(card, Rating.Good, clock)
    b = exact.review(card, Rating.Good, clock)
    assert (a.stability, a.difficulty, a.state) == (b.stability, b.difficulty, b.state)
