"""Spaced-repetition scheduling: one FSRS scheduler built from the configuration.

All scheduling is done by the ``fsrs`` package; this module only builds its ``Scheduler`` from
studyapp's settings, keeps clear of its traps and adds what the study pages need around it:

- ``fsrs`` wants aware UTC datetimes, so every function takes ``now`` and checks it.
- A bare ``fsrs.Card()`` reads the clock and sleeps 1 ms to make its id unique: cards are always
  created with the store's card id.
- ``fsrs`` counts elapsed time in whole 24-hour periods: a card seen again 23 hours after its last
  review counts as a same-day review. The store therefore shows a card when its due time has
  passed, not at the start of the student's day as Anki does.
- Fuzz (a random spread of review intervals) is on in production and off in tests; a replay of a
  card's log never fuzzes but takes the due date that was actually scheduled from the log.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import fsrs
from fsrs import Card, Rating, State

__all__ = [
    "Card",
    "Rating",
    "SchedulerSettings",
    "State",
    "StudyScheduler",
    "day_start",
    "describe_interval",
    "rating_for",
    "ratings_for",
    "require_utc",
    "student_day",
]


def require_utc(now: datetime) -> datetime:
    """Return ``now`` as UTC; raise ValueError for a naive datetime (fsrs would reject it later)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"expected an aware datetime, got naive {now!r}")
    return now.astimezone(UTC)


@dataclass(frozen=True)
class SchedulerSettings:
    """The FSRS settings studyapp exposes; steps in minutes, the maximum interval in days."""

    desired_retention: float = 0.9
    learning_steps: tuple[float, ...] = (1, 10)
    relearning_steps: tuple[float, ...] = (10,)
    maximum_interval: int = 36500
    enable_fuzzing: bool = True

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SchedulerSettings:
        """Read the ``DESIRED_RETENTION``... keys of a studyapp configuration mapping."""
        default = cls()
        return cls(
            desired_retention=float(config.get("DESIRED_RETENTION", default.desired_retention)),
            learning_steps=tuple(config.get("LEARNING_STEPS", default.learning_steps)),
            relearning_steps=tuple(config.get("RELEARNING_STEPS", default.relearning_steps)),
            maximum_interval=int(config.get("MAXIMUM_INTERVAL", default.maximum_interval)),
            enable_fuzzing=bool(config.get("ENABLE_FUZZING", default.enable_fuzzing)),
        )


class StudyScheduler:
    """One ``fsrs.Scheduler`` and the operations studyapp performs with it.

    The methods are pure apart from fuzz: they read no clock and no database. A fuzz-free twin of
    the same settings serves previews and replays, where randomness would mislead.
    """

    def __init__(self, settings: SchedulerSettings | None = None) -> None:
        self.settings = settings or SchedulerSettings()
        s = self.settings
        if not 0 < s.desired_retention < 1:
            raise ValueError(
                f"desired retention must be between 0 and 1, got {s.desired_retention}"
            )
        self.fsrs = fsrs.Scheduler(
            desired_retention=s.desired_retention,
            learning_steps=tuple(timedelta(minutes=m) for m in s.learning_steps),
            relearning_steps=tuple(timedelta(minutes=m) for m in s.relearning_steps),
            maximum_interval=s.maximum_interval,
            enable_fuzzing=s.enable_fuzzing,
        )
        self._exact = (
            self.fsrs if not s.enable_fuzzing else fsrs.Scheduler.from_dict(self._exact_dict())
        )

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> StudyScheduler:
        return cls(SchedulerSettings.from_config(config))

    @classmethod
    def from_json(cls, text: str) -> StudyScheduler:
        """Rebuild a fuzz-free scheduler from ``config_json()``, to replay a stored review."""
        d = json.loads(text)
        return cls(
            SchedulerSettings(
                desired_retention=d["desired_retention"],
                learning_steps=tuple(s / 60 for s in d["learning_steps"]),
                relearning_steps=tuple(s / 60 for s in d["relearning_steps"]),
                maximum_interval=d["maximum_interval"],
                enable_fuzzing=False,
            )
        )

    def _exact_dict(self) -> fsrs.scheduler.SchedulerDict:
        d = self.fsrs.to_dict()
        d["enable_fuzzing"] = False
        return d

    def config_json(self) -> str:
        """The settings that decide a review's outcome (fuzz aside), as stable JSON.

        Stored beside each review so that a replay uses the settings in force at the time, even
        after the configuration changed.
        """
        return json.dumps(self._exact_dict(), sort_keys=True)

    def new_card(self, card_id: int, now: datetime) -> Card:
        """The state of a card never reviewed, due ``now``."""
        return Card(card_id=card_id, due=require_utc(now))

    def review(
        self, card: Card, rating: Rating | int, now: datetime, duration_ms: int | None = None
    ) -> Card:
        """The card's state after a review with ``rating`` at ``now`` (fuzzed if configured)."""
        after, _ = self.fsrs.review_card(card, Rating(rating), require_utc(now), duration_ms)
        return after

    def replay_review(self, card: Card, rating: Rating | int, now: datetime) -> Card:
        """A review without fuzz: what ``review`` gives before its random spread."""
        after, _ = self._exact.review_card(card, Rating(rating), require_utc(now))
        return after

    def preview(self, card: Card, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give, for the rating buttons (Anki shows the same).

        Computed without fuzz: the interval finally scheduled may differ from this by the fuzz
        spread (a few percent, never for intervals under three days).
        """
        now = require_utc(now)
        return {r: self.replay_review(card, r, now).due - now for r in Rating}


def ratings_for(correct: bool | None) -> tuple[Rating, ...]:
    """The ratings a student may choose: all four when self-graded (``None``), Again when
    wrong, Hard, Good or Easy when right."""
    if correct is None:
        return tuple(Rating)
    if correct:
        return (Rating.Hard, Rating.Good, Rating.Easy)
    return (Rating.Again,)


def rating_for(correct: bool | None, chosen: Rating | int | None = None) -> Rating:
    """The rating an answer earns: ``chosen`` if the student may pick it, else the default
    (Again when wrong, Good when right). Raises ValueError for a rating the answer rules out."""
    allowed = ratings_for(correct)
    if chosen is None:
        if correct is None:
            raise ValueError("a self-graded card needs the student's rating")
        return Rating.Good if correct else Rating.Again
    try:
        rating = Rating(int(chosen))
    except ValueError:
        raise ValueError(f"rating must be 1 (Again) to 4 (Easy), got {chosen!r}") from None
    if rating not in allowed:
        names = ", ".join(r.name for r in allowed)
        raise ValueError(
            f"a {'right' if correct else 'wrong'} answer is rated {names}, not {rating.name}"
        )
    return rating


def day_start(now: datetime, tz: str | ZoneInfo, hour: int) -> datetime:
    """When the student's current study day began, in UTC: the last ``hour``:00 in ``tz``."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    local = require_utc(now).astimezone(zone)
    start = datetime.combine(local.date(), time(hour), tzinfo=zone)
    if local < start:
        start = datetime.combine(local.date() - timedelta(days=1), time(hour), tzinfo=zone)
    return start.astimezone(UTC)


def day_end(now: datetime, tz: str | ZoneInfo, hour: int) -> datetime:
    """When the student's current study day ends, in UTC: the next ``hour``:00 in ``tz`` (a
    calendar day after its start, so a day that changes clocks is 23 or 25 hours long)."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    start = day_start(now, zone, hour).astimezone(zone)
    return datetime.combine(start.date() + timedelta(days=1), time(hour), tzinfo=zone).astimezone(
        UTC
    )


def student_day(moment: datetime, tz: str | ZoneInfo, hour: int) -> date:
    """The study day a moment belongs to (a review at 2 am counts for the day before when the
    day starts at 4)."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return (require_utc(moment).astimezone(zone) - timedelta(hours=hour)).date()


def describe_interval(interval: timedelta) -> str:
    """A short label for a rating button, as Anki writes it: ``<1m``, ``10m``, ``3h``, ``4d``,
    ``2.5mo``, ``1.2y``."""
    seconds = interval.total_seconds()
    if seconds < 60:
        return "<1m"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}mo".replace(".0mo", "mo")
    return f"{days / 365:.1f}y".replace(".0y", "y")
