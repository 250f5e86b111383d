"""The numbers for the study and instructor pages, read from card states and the review log.

Every student-facing query takes the student's id and counts nothing else; instructor queries
that span students say so by taking ``student_id=None`` explicitly.

Definitions follow Anki and Moodle, so the figures mean what students and instructors expect:

- true retention (Anki): of the first review of each card on each day, counting only cards that
  were in the review state, the share not rated Again;
- young and mature cards (Anki): review cards with a scheduled interval under 21 days, or more;
- facility (Moodle): the share of answers that were right;
- discrimination (Moodle): the correlation, across students (or practice attempts), of the score
  on the question with the score on the rest of the bank.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .database import VISIBLE, StoreBase, bank_filter, ts
from .scheduler import State, day_start, student_day

MATURE_DAYS = 21


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


@dataclass(frozen=True)
class AnswerCount:
    """How often an answer was given; typed answers are grouped ignoring case and spacing."""

    answer: str
    correct: bool
    count: int


@dataclass(frozen=True)
class QuestionStats:
    bank_id: str
    question_id: str
    attempts: int
    correct: int
    discrimination: float | None
    answers: tuple[AnswerCount, ...] = field(default=())

    @property
    def facility(self) -> float | None:
        return self.correct / self.attempts if self.attempts else None


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
        """Answers the student gave on each study day since ``since`` (for the heatmap)."""
        zone = ZoneInfo(tz)
        rows = self._all(
            "SELECT reviewed FROM review_log WHERE student_id = ? AND reviewed >= ?",
            (student_id, ts(since)),
        )
        return dict(
            sorted(
                Counter(
                    student_day(datetime.fromisoformat(r["reviewed"]), zone, day_starts_at_hour)
                    for r in rows
                ).items()
            )
        )

    def reviews_today(
        self, student_id: int, now: datetime, *, tz: str = "UTC", day_starts_at_hour: int = 4
    ) -> int:
        """Answers the student gave since their day began."""
        row = self._one(
            "SELECT count(*) FROM review_log WHERE student_id = ? AND reviewed >= ?",
            (student_id, ts(day_start(now, tz, day_starts_at_hour))),
        )
        return row[0] if row else 0

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

    def question_stats(
        self, bank_id: str, *, basis: str = "answers", since: datetime | None = None
    ) -> list[QuestionStats]:
        """Per question of a bank: attempts, facility, discrimination and the answers given.

        ``basis="answers"`` counts every answer in the review log (reviews and practice), and
        discrimination compares students; ``basis="attempts"`` counts the saved responses of
        finished practice tests, and compares attempts, exactly as Moodle does.
        """
        if basis == "answers":
            rows = self._all(
                "SELECT r.student_id AS unit, c.question_id, r.answer,"
                " coalesce(r.correct, r.rating > 1) AS correct, 1.0 AS score"
                " FROM review_log r JOIN cards c ON c.id = r.card_id"
                " WHERE c.bank_id = ? AND r.reviewed >= ?",
                (bank_id, ts(since) if since else ""),
            )
        elif basis == "attempts":
            rows = self._all(
                "SELECT p.attempt_id AS unit, p.question_id, p.answer,"
                " coalesce(p.correct, 0) AS correct, coalesce(p.score, 0) AS score"
                " FROM attempt_responses p JOIN attempts a ON a.id = p.attempt_id"
                " WHERE p.bank_id = ? AND a.finished IS NOT NULL AND a.started >= ?",
                (bank_id, ts(since) if since else ""),
            )
        else:
            raise ValueError(f"basis must be answers or attempts, got {basis!r}")
        # unit -> question -> [score sum, answers]
        scores: dict[object, dict[str, list[float]]] = defaultdict(dict)
        answers: dict[str, Counter[tuple[str, bool]]] = defaultdict(Counter)
        shown: dict[tuple[str, str, bool], str] = {}
        for r in rows:
            value = r["score"] if basis == "attempts" else float(r["correct"])
            cell = scores[r["unit"]].setdefault(r["question_id"], [0.0, 0])
            cell[0] += value
            cell[1] += 1
            if r["answer"] is not None:
                norm = " ".join(r["answer"].split()).casefold()
                answers[r["question_id"]][(norm, bool(r["correct"]))] += 1
                shown.setdefault((r["question_id"], norm, bool(r["correct"])), r["answer"].strip())
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in rows:
            totals[r["question_id"]][0] += 1
            totals[r["question_id"]][1] += bool(r["correct"])
        out = []
        for qid in sorted(totals):
            given = tuple(
                AnswerCount(shown[(qid, norm, ok)], ok, n)
                for (norm, ok), n in answers[qid].most_common()
            )
            attempts, correct = totals[qid]
            out.append(
                QuestionStats(bank_id, qid, attempts, correct, _discrimination(scores, qid), given)
            )
        return out


def _discrimination(scores: dict[object, dict[str, list[float]]], qid: str) -> float | None:
    """Pearson correlation of the mean score on ``qid`` with the mean score on the rest."""
    xs, ys = [], []
    for per_question in scores.values():
        if qid not in per_question or len(per_question) < 2:
            continue
        total, n = per_question[qid]
        rest = [v for q, v in per_question.items() if q != qid]
        xs.append(total / n)
        ys.append(sum(v[0] for v in rest) / sum(v[1] for v in rest))
    if len(xs) < 2:
        return None
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)
