"""Class progress, per reading and overall: who is active, how much is answered, what is due,
how well it is remembered (Anki's true retention), and each student, with their practice-test
scores and the cards they have due, and a CSV download.

Every count means what the student's own statistics page means by it (``stats.AnswerCount``):
review answers are cards rated in the review loop, practice answers are questions answered in
finished practice tests, and a test's answer that also moved a card's schedule is still one
practice answer, never a review too. Item analysis counts the same review answers.

Days are each user's own study days (their time zone, starting at the configured hour), for the
answers per day and for true retention alike: a student's Monday morning in Seoul is Monday here,
whatever the instructor's clock says. So the class's figures are sums of each user's figures.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import Response, current_app, render_template, request

from ..instructor_queries import CardsDue, PracticeScores, StudentActivity
from ..model import Bank
from ..stats import AnswerCount, RetentionFigure
from ..store import Store
from .db import get_store
from .instructor_banks import bank_or_404, snapshot

ACTIVE_DAYS = 7
CHART_DAYS = 14
RETENTION_DAYS = 30

# Retention per user id, then per bank id.
Retentions = dict[int, dict[str, RetentionFigure]]


def now_utc() -> datetime:
    """The clock, read through here so that tests can move it."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Summary:
    """The class's figures for one reading, or for all of them (``bank`` None)."""

    bank: Bank | None
    active: int
    per_day: list[tuple[date, AnswerCount]]
    due: int
    retention: RetentionFigure

    @property
    def total(self) -> AnswerCount:
        return sum((n for _, n in self.per_day), AnswerCount())

    @property
    def busiest(self) -> int:
        return max((n.answers for _, n in self.per_day), default=0)


@dataclass(frozen=True)
class StudentRow:
    activity: StudentActivity  # name, time zone, last answer (its answer counts are not used)
    answers: AnswerCount  # of all time
    retention: RetentionFigure
    active: bool  # answered within ACTIVE_DAYS
    tests: PracticeScores  # finished practice tests
    due: CardsDue


def _hour() -> int:
    return int(current_app.config["DAY_STARTS_AT_HOUR"])


def retentions(store: Store, now: datetime) -> Retentions:
    """Every user's true retention per bank, each counted in their own days, as their own
    statistics page counts it (one query per time zone)."""
    out: Retentions = {}
    for tz in sorted({user.timezone for user in store.users()}):
        out.update(
            store.retention_by_student(
                now, days=RETENTION_DAYS, tz=tz, day_starts_at_hour=_hour(), only_zone=True
            )
        )
    return out


def summaries(
    store: Store, now: datetime, banks: list[Bank], retention: Retentions
) -> tuple[Summary, list[Summary]]:
    """The class's figures overall and for each reading (a few grouped queries in all)."""
    active, active_in = store.active_students(now - timedelta(days=ACTIVE_DAYS))
    span, per_day = store.class_answers_per_day(now, days=CHART_DAYS, day_starts_at_hour=_hour())
    due = store.class_cards_due(now)
    by_bank: dict[str, RetentionFigure] = {}
    for figures in retention.values():
        for bank_id, figure in figures.items():
            by_bank[bank_id] = by_bank.get(bank_id, RetentionFigure()) + figure
    quiet = [AnswerCount()] * len(span)
    readings = [
        Summary(
            b,
            active_in.get(b.id, 0),
            list(zip(span, per_day.get(b.id, quiet), strict=True)),
            due.get(b.id, 0),
            by_bank.get(b.id, RetentionFigure()),
        )
        for b in banks
    ]
    totals = [sum((days[i] for days in per_day.values()), AnswerCount()) for i in range(len(span))]
    overall = Summary(
        None,
        active,
        list(zip(span, totals, strict=True)),
        sum(due.values()),
        sum(by_bank.values(), RetentionFigure()),
    )
    return overall, readings


def student_rows(
    store: Store, now: datetime, bank: Bank | None, retention: Retentions
) -> list[StudentRow]:
    """Every student with their answers, true retention, practice-test scores and cards due,
    in one reading or in all (one grouped query per figure, whatever the class's size)."""
    since = now - timedelta(days=ACTIVE_DAYS)
    bank_ids = [bank.id] if bank else None
    answers = store.answer_counts(bank_ids=bank_ids)
    tests = store.practice_scores(bank_ids=bank_ids)
    due = store.cards_due_by_student(now, bank_ids=bank_ids, day_starts_at_hour=_hour())
    rows = []
    for s in store.student_activity(bank_ids=bank_ids):
        mine = retention.get(s.student_id, {})
        if bank:
            figure = mine.get(bank.id, RetentionFigure())
        else:
            figure = sum(mine.values(), RetentionFigure())
        active = s.last_active is not None and s.last_active >= since
        rows.append(
            StudentRow(
                s,
                answers.get(s.student_id, AnswerCount()),
                figure,
                active,
                tests.get(s.student_id, PracticeScores()),
                due.get(s.student_id, CardsDue()),
            )
        )
    return rows


def _selected() -> Bank | None:
    bank_id = request.args.get("bank")
    return bank_or_404(bank_id) if bank_id else None


def class_progress():
    bank = _selected()
    store = get_store()
    now = now_utc()
    retention = retentions(store, now)
    overall, readings = summaries(store, now, snapshot().ordered, retention)
    chosen = next((r for r in readings if bank and r.bank and r.bank.id == bank.id), overall)
    return render_template(
        "instructor/progress.html",
        bank=bank,
        chosen=chosen,
        overall=overall,
        readings=readings,
        students=student_rows(store, now, bank, retention),
        desired=store.scheduler.settings.desired_retention,
        active_days=ACTIVE_DAYS,
        chart_days=CHART_DAYS,
        retention_days=RETENTION_DAYS,
        day_starts=_hour(),
    )


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _percent(value: float | None) -> str:
    """A score as a CSV cell: a percentage to one decimal, empty when there is none."""
    return "" if value is None else f"{value:.1f}"


def class_progress_csv():
    bank = _selected()
    store = get_store()
    now = now_utc()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "name",
            "timezone",
            "last_active_utc",
            "review_answers",
            "practice_answers",
            f"retention_{RETENTION_DAYS}d",
            "retention_reviews",
            "practice_tests",
            "practice_mean_pct",
            "practice_latest_pct",
            "cards_due_now",
            "cards_due_before_today",
        ]
    )
    for row in student_rows(store, now, bank, retentions(store, now)):
        s, r, t = row.activity, row.retention, row.tests
        writer.writerow(
            [
                _cell(s.name),
                s.timezone,
                s.last_active.astimezone(UTC).isoformat(timespec="seconds")
                if s.last_active
                else "",
                row.answers.reviews,
                row.answers.practice,
                "" if r.rate is None else f"{r.rate:.3f}",
                r.reviews,
                t.tests,
                _percent(t.mean_pct),
                _percent(t.latest_pct),
                row.due.now,
                row.due.overdue,
            ]
        )
    name = f"progress-{bank.id if bank else 'all'}-{now:%Y-%m-%d}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
