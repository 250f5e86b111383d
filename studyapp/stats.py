"""The numbers for the study and instructor pages, read from card states and the review log.

Every student-facing query takes the student's id and counts nothing else; instructor queries
that span students say so by taking ``student_id=None`` explicitly.

Definitions follow Anki, so the figures mean what students and instructors expect:

- true retention (Anki): of the first review of each card on each day, counting only cards that
  were in the review state, the share not rated Again;
- young and mature cards (Anki): review cards with a scheduled interval under 21 days, or more.

What one answer is, on the student's page and the instructor's alike (``AnswerCount``):

- a **review answer** is a card rated in the review loop: a review log row without an attempt. A
  cloze question is one card per cloze number, each rated on its own, so each is one answer.
- a **practice answer** is a question answered (not left blank) in a finished practice test,
  dated when it was saved: a two-gap cloze in a test is one answer, as the test marks it.

A finished test also writes its answers to the review log, one row per card with its
``attempt_id``, so that they count for the schedule (``web.practice_reviews``). Those rows are
never counted as answers again; they do count where the schedule is the subject: true retention
takes a due card answered in a test as that card's review.

How each question performs (Moodle's facility and discrimination, the answers given) is worked out
by ``item_analysis``, from the answers ``InstructorQueriesMixin.item_answers`` reads.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .database import VISIBLE, StoreBase, bank_filter, placeholders, ts
from .scheduler import State, day_start, student_day

MATURE_DAYS = 21
# Class figures count only readings in service: a retired bank is listed nowhere, so its answers
# must not swell "All readings". Queries using these name cards ``c`` and responses ``p``.
CARD_IN_SERVICE = " JOIN banks b ON b.id = c.bank_id AND b.retired = 0"
RESPONSE_IN_SERVICE = " JOIN banks b ON b.id = p.bank_id AND b.retired = 0"


@dataclass(frozen=True)
class AnswerCount:
    """Answers given, split by where (see the module docstring for what one answer is)."""

    reviews: int = 0  # cards rated in the review loop
    practice: int = 0  # questions answered in finished practice tests

    @property
    def answers(self) -> int:
        return self.reviews + self.practice

    def __add__(self, other: AnswerCount) -> AnswerCount:
        return AnswerCount(self.reviews + other.reviews, self.practice + other.practice)


@dataclass(frozen=True)
class RetentionFigure:
    passed: int = 0
    failed: int = 0

    @property
    def reviews(self) -> int:
        return self.passed + self.failed

    @property
    def rate(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None

    def __add__(self, other: RetentionFigure) -> RetentionFigure:
        return RetentionFigure(self.passed + other.passed, self.failed + other.failed)


@dataclass(frozen=True)
class Retention:
    desired: float
    overall: RetentionFigure
    banks: dict[str, RetentionFigure]


@dataclass(frozen=True)
class CardCounts:
    new: int = 0
    learning: int = 0
    young: int = 0
    mature: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.young + self.mature


class StatsMixin(StoreBase):
    def due_forecast(
        self,
        student_id: int,
        now: datetime,
        *,
        days: int = 30,
        tz: str = "UTC",
        day_starts_at_hour: int = 4,
        bank_ids: Sequence[str] | None = None,
    ) -> list[tuple[date, int]]:
        """Cards falling due on each of the next ``days`` study days; today's count includes
        every overdue card. Day 0 is the student's current day."""
        today = student_day(now, tz, day_starts_at_hour)
        zone = ZoneInfo(tz)
        horizon = datetime.combine(
            today + timedelta(days=days), time(day_starts_at_hour), tzinfo=zone
        )
        banks, params = bank_filter(bank_ids)
        rows = self._all(
            f"SELECT s.due FROM card_state s JOIN cards c ON c.id = s.card_id"
            f" JOIN questions q ON q.bank_id = c.bank_id AND q.id = c.question_id"
            f" WHERE s.student_id = ? AND s.due < ? AND {VISIBLE}{banks}",
            (student_id, ts(horizon), *params),
        )
        counts = Counter(
            max(today, student_day(datetime.fromisoformat(r["due"]), zone, day_starts_at_hour))
            for r in rows
        )
        return [(today + timedelta(days=i), counts[today + timedelta(days=i)]) for i in range(days)]

    def due_today(
        self,
        student_id: int,
        now: datetime,
        *,
        tz: str = "UTC",
        day_starts_at_hour: int = 4,
        bank_ids: Sequence[str] | None = None,
    ) -> int:
        """Cards due by the end of the student's day, overdue ones included."""
        forecast = self.due_forecast(
            student_id, now, days=1, tz=tz, day_starts_at_hour=day_starts_at_hour, bank_ids=bank_ids
        )
        return forecast[0][1]

    def reviews_per_day(
        self,
        student_id: int,
        *,
        since: datetime,
        tz: str = "UTC",
        day_starts_at_hour: int = 4,
    ) -> dict[date, int]:
        """Answers the student gave on each study day since ``since`` (for the heatmap): review
        and practice answers, each counted once (see ``AnswerCount``).

        Counted in SQL, each answer on the day ``student_day`` gives it: the shift to the
        student's day is the offset of ``tz`` at that answer, so a daylight-saving change inside
        the window moves no answer to another day.
        """
        span = self._one(
            "SELECT min(at), max(at) FROM (SELECT reviewed AS at FROM review_log"
            "  WHERE student_id = ? AND attempt_id IS NULL AND reviewed >= ?"
            " UNION ALL SELECT p.saved FROM attempt_responses p"
            "  JOIN attempts a ON a.id = p.attempt_id"
            "  WHERE a.student_id = ? AND a.finished IS NOT NULL AND p.answer <> ''"
            "  AND p.saved >= ?)",
            (student_id, ts(since), student_id, ts(since)),
        )
        if span is None or span[0] is None:
            return {}
        rows = self._answers_by_day(
            "= ?",
            [student_id],
            ZoneInfo(tz),
            day_starts_at_hour,
            since,
            datetime.fromisoformat(span[1]),
            in_service=False,  # the student's own record keeps answers to retired readings
        )
        out: Counter[date] = Counter()
        for r in rows:
            out[date.fromisoformat(r["day"])] += r["reviews"] + r["practice"]
        return dict(sorted(out.items()))

    def reviews_today(
        self, student_id: int, now: datetime, *, tz: str = "UTC", day_starts_at_hour: int = 4
    ) -> int:
        """Answers the student gave since their day began: today's cell of ``reviews_per_day``."""
        since = day_start(now, tz, day_starts_at_hour)
        per_day = self.reviews_per_day(
            student_id, since=since, tz=tz, day_starts_at_hour=day_starts_at_hour
        )
        return sum(per_day.values())

    def class_answers_per_day(
        self, now: datetime, *, days: int = 14, day_starts_at_hour: int = 4
    ) -> tuple[list[date], dict[str, list[AnswerCount]]]:
        """Every student's answers on each of the last ``days`` study days, per bank in service: the
        days, and per bank a count for each day (banks without an answer are left out).
        Instructors' own answers are left out, as in every class figure.

        Each answer is dated on its own student's study day (their time zone, the day starting
        at ``day_starts_at_hour``), as their statistics page dates it; so the last day is the
        latest any student is on now (the day already begun in Seoul while New York is still on
        the day before). One query per time zone the students have.
        """
        zones = [
            r["timezone"]
            for r in self._all("SELECT DISTINCT timezone FROM users WHERE role = 'student'")
        ]
        last = max(
            (student_day(now, z, day_starts_at_hour) for z in zones),
            default=student_day(now, "UTC", day_starts_at_hour),
        )
        span = [last - timedelta(days=days - 1 - i) for i in range(days)]
        counts: dict[str, dict[date, AnswerCount]] = {}
        for name in zones:
            zone = ZoneInfo(name)
            since = datetime.combine(span[0], time(day_starts_at_hour), tzinfo=zone)
            who = "IN (SELECT id FROM users WHERE timezone = ? AND role = 'student')"
            for r in self._answers_by_day(who, [name], zone, day_starts_at_hour, since, now):
                per = counts.setdefault(r["bank_id"], {})
                day = date.fromisoformat(r["day"])
                per[day] = per.get(day, AnswerCount()) + AnswerCount(r["reviews"], r["practice"])
        return span, {b: [per.get(d, AnswerCount()) for d in span] for b, per in counts.items()}

    def answer_counts(self, *, bank_ids: Sequence[str] | None = None) -> dict[int, AnswerCount]:
        """Every user's answers of all time, by user id, in the banks asked about that are in
        service (users with none are left out)."""
        cards, params = bank_filter(bank_ids)
        responses = f" AND p.bank_id IN ({placeholders(params)})" if bank_ids is not None else ""
        rows = self._all(
            f"SELECT student_id, sum(review) AS reviews, sum(practice) AS practice FROM ("
            f" SELECT r.student_id, 1 AS review, 0 AS practice FROM review_log r"
            f" JOIN cards c ON c.id = r.card_id{CARD_IN_SERVICE}"
            f" WHERE r.attempt_id IS NULL{cards}"
            f" UNION ALL SELECT a.student_id, 0, 1 FROM attempt_responses p"
            f" JOIN attempts a ON a.id = p.attempt_id{RESPONSE_IN_SERVICE}"
            f" WHERE a.finished IS NOT NULL AND p.answer <> ''{responses})"
            f" GROUP BY student_id",
            (*params, *params),
        )
        return {r["student_id"]: AnswerCount(r["reviews"], r["practice"]) for r in rows}

    def _answers_by_day(
        self,
        who: str,
        who_params: Sequence[object],
        zone: ZoneInfo,
        day_starts_at_hour: int,
        since: datetime,
        until: datetime,
        *,
        in_service: bool = True,
    ) -> list[sqlite3.Row]:
        """Review and practice answers since ``since`` of the users ``student_id {who}`` picks,
        grouped by bank and study day in ``zone`` (``until`` bounds the daylight-saving changes
        looked for): rows of bank_id, day, reviews, practice."""
        review_day, review_params = local_day_sql(
            "r.reviewed", zone, day_starts_at_hour, since, until
        )
        saved_day, saved_params = local_day_sql("p.saved", zone, day_starts_at_hour, since, until)
        cards = CARD_IN_SERVICE if in_service else ""
        responses = RESPONSE_IN_SERVICE if in_service else ""
        return self._all(
            f"SELECT bank_id, day, sum(review) AS reviews, sum(practice) AS practice FROM ("
            f" SELECT c.bank_id, {review_day} AS day, 1 AS review, 0 AS practice"
            f" FROM review_log r JOIN cards c ON c.id = r.card_id{cards}"
            f" WHERE r.attempt_id IS NULL AND r.reviewed >= ? AND r.student_id {who}"
            f" UNION ALL SELECT p.bank_id, {saved_day}, 0, 1 FROM attempt_responses p"
            f" JOIN attempts a ON a.id = p.attempt_id{responses}"
            f" WHERE a.finished IS NOT NULL AND p.answer <> '' AND p.saved >= ?"
            f" AND a.student_id {who})"
            f" GROUP BY bank_id, day",
            (
                *review_params,
                ts(since),
                *who_params,
                *saved_params,
                ts(since),
                *who_params,
            ),
        )

    def true_retention(
        self,
        student_id: int | None,
        now: datetime,
        *,
        days: int = 30,
        tz: str = "UTC",
        day_starts_at_hour: int = 4,
    ) -> Retention:
        """True retention over the last ``days`` days, per bank and overall, beside the desired
        retention of the scheduler.

        ``student_id=None`` counts every student (instructors). Days are cut at the given hour
        in ``tz`` with its offset of ``now`` (a daylight-saving change inside the window moves
        a cut by an hour).
        """
        offset = now.astimezone(ZoneInfo(tz)).utcoffset() or timedelta()
        shift = f"{int(offset.total_seconds() // 60) - day_starts_at_hour * 60:+d} minutes"
        rows = self._all(
            "WITH firsts AS (SELECT min(id) AS id FROM review_log"
            "  WHERE source = 'review' AND reviewed >= ? AND (? IS NULL OR student_id = ?)"
            "  GROUP BY student_id, card_id, date(reviewed, ?))"
            " SELECT c.bank_id, sum(r.rating > 1) AS passed, sum(r.rating = 1) AS failed"
            " FROM firsts f JOIN review_log r ON r.id = f.id JOIN cards c ON c.id = r.card_id"
            " JOIN banks b ON b.id = c.bank_id AND b.retired = 0"  # readings in service only
            " WHERE json_extract(r.state_before, '$.state') = ? GROUP BY c.bank_id",
            (ts(now - timedelta(days=days)), student_id, student_id, shift, State.Review.value),
        )
        banks = {r["bank_id"]: RetentionFigure(r["passed"], r["failed"]) for r in rows}
        overall = RetentionFigure(
            sum(b.passed for b in banks.values()), sum(b.failed for b in banks.values())
        )
        return Retention(self.scheduler.settings.desired_retention, overall, banks)

    def card_counts(
        self, student_id: int, *, bank_ids: Sequence[str] | None = None
    ) -> dict[str, CardCounts]:
        """The student's live cards per bank: new, learning (or relearning), young, mature."""
        banks, params = bank_filter(bank_ids)
        rows = self._all(
            f"SELECT c.bank_id, count(*) - count(s.card_id) AS new,"
            f" count(CASE WHEN s.state IN (?, ?) THEN 1 END) AS learning,"
            f" count(CASE WHEN s.state = ? AND julianday(s.due) - julianday(s.last_review) < ?"
            f"  THEN 1 END) AS young,"
            f" count(CASE WHEN s.state = ? AND julianday(s.due) - julianday(s.last_review) >= ?"
            f"  THEN 1 END) AS mature"
            f" FROM cards c JOIN questions q ON q.bank_id = c.bank_id AND q.id = c.question_id"
            f" LEFT JOIN card_state s ON s.card_id = c.id AND s.student_id = ?"
            f" WHERE {VISIBLE}{banks} GROUP BY c.bank_id ORDER BY c.bank_id",
            (
                State.Learning.value,
                State.Relearning.value,
                State.Review.value,
                MATURE_DAYS,
                State.Review.value,
                MATURE_DAYS,
                student_id,
                *params,
            ),
        )
        return {
            r["bank_id"]: CardCounts(r["new"], r["learning"], r["young"], r["mature"]) for r in rows
        }


def _offset_changes(
    zone: ZoneInfo, start: datetime, end: datetime
) -> tuple[timedelta, list[tuple[datetime, timedelta]]]:
    """The UTC offset of ``zone`` at ``start``, and each moment up to ``end`` at which it changes,
    with the offset from then on.

    Steps a day at a time and bisects to the second (the tz database changes offsets on whole
    seconds), so a change undone within the same day would go unseen; no zone does that.
    """
    first, end_seconds = int(start.timestamp()), int(end.timestamp()) + 1

    def offset(seconds: int) -> timedelta:
        return datetime.fromtimestamp(seconds, zone).utcoffset() or timedelta()

    initial = current = offset(first)
    changes: list[tuple[datetime, timedelta]] = []
    low = first
    while low < end_seconds:
        high = min(low + 86_400, end_seconds)
        if offset(high) == current:
            low = high
            continue
        while high - low > 1:  # offset(low) is current, offset(high) is not
            middle = (low + high) // 2
            if offset(middle) == current:
                low = middle
            else:
                high = middle
        current = offset(high)
        changes.append((datetime.fromtimestamp(high, UTC), current))
        low = high
    return initial, changes


def local_day_sql(
    column: str, zone: ZoneInfo, day_starts_at_hour: int, start: datetime, end: datetime
) -> tuple[str, list[str]]:
    """An SQL expression for the study day (``YYYY-MM-DD``) of the moments in ``column`` between
    ``start`` and ``end``, with its parameters: ``student_day`` in SQL.

    The moment is shifted by the zone's offset at that moment (one ``CASE`` branch per offset
    change in the span) less the day's start hour.
    """

    def shift(offset: timedelta) -> str:
        return f"{int(offset.total_seconds()) - day_starts_at_hour * 3600:+d} seconds"

    initial, changes = _offset_changes(zone, start, end)
    if not changes:
        return f"date({column}, ?)", [shift(initial)]
    branches, params = [], []
    before = initial
    for moment, after in changes:
        branches.append(f"WHEN {column} < ? THEN ?")
        params += [ts(moment), shift(before)]
        before = after
    params.append(shift(before))
    return f"date({column}, CASE {' '.join(branches)} ELSE ? END)", params
