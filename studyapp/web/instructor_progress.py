"""Class progress, per reading and overall: who is active, how much is reviewed, what is due,
how well it is remembered (Anki's true retention), and each student, with a CSV download.

Days are the instructor's (their time zone, the configured hour a day starts); each student's
retention is counted in their own days, as their own statistics count it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Response, current_app, render_template, request
from flask_login import current_user

from ..instructor_queries import StudentActivity
from ..model import Bank
from ..scheduler import student_day
from ..stats import RetentionFigure
from ..store import Store
from .db import get_store
from .instructor_banks import bank_or_404, snapshot

ACTIVE_DAYS = 7
CHART_DAYS = 14
RETENTION_DAYS = 30


@dataclass(frozen=True)
class Summary:
    """The class's figures for one reading, or for all of them (``bank`` None)."""

    bank: Bank | None
    active: int
    per_day: list[tuple]
    due: int
    retention: RetentionFigure

    @property
    def reviews(self) -> int:
        return sum(n for _, n in self.per_day)

    @property
    def busiest(self) -> int:
        return max((n for _, n in self.per_day), default=0)


@dataclass(frozen=True)
class StudentRow:
    activity: StudentActivity
    retention: RetentionFigure
    active: bool  # answered within ACTIVE_DAYS


def _day_args() -> dict:
    return {
        "tz": current_user.user.timezone,
        "day_starts_at_hour": int(current_app.config["DAY_STARTS_AT_HOUR"]),
    }


def summaries(store: Store, now: datetime, banks: list[Bank]) -> tuple[Summary, list[Summary]]:
    """The class's figures overall and for each reading (a few grouped queries in all)."""
    args = _day_args()
    active, active_in = store.active_students(now - timedelta(days=ACTIVE_DAYS))
    per_day = store.class_reviews_per_day(now, days=CHART_DAYS, **args)
    due = store.class_cards_due(now)
    retention = store.true_retention(None, now, days=RETENTION_DAYS, **args)
    first = student_day(now, args["tz"], args["day_starts_at_hour"])
    span = [first - timedelta(days=CHART_DAYS - 1 - i) for i in range(CHART_DAYS)]
    quiet = [(d, 0) for d in span]
    readings = [
        Summary(
            b,
            active_in.get(b.id, 0),
            per_day.get(b.id, quiet),
            due.get(b.id, 0),
            retention.banks.get(b.id, RetentionFigure()),
        )
        for b in banks
    ]
    totals = [(d, sum(days[i][1] for days in per_day.values())) for i, d in enumerate(span)]
    overall = Summary(None, active, totals, sum(due.values()), retention.overall)
    return overall, readings


def student_rows(store: Store, now: datetime, bank: Bank | None) -> list[StudentRow]:
    """Every student with their activity and true retention (in their own days)."""
    hour = int(current_app.config["DAY_STARTS_AT_HOUR"])
    since = now - timedelta(days=ACTIVE_DAYS)
    activity = store.student_activity(bank_ids=[bank.id] if bank else None)
    figures: dict[int, dict[str, RetentionFigure]] = {}
    for tz in sorted({s.timezone for s in activity}):
        found = store.retention_by_student(now, days=RETENTION_DAYS, tz=tz, day_starts_at_hour=hour)
        figures.update({sid: f for sid, f in found.items() if sid in _in_zone(activity, tz)})
    rows = []
    for s in activity:
        mine = figures.get(s.student_id, {})
        if bank:
            figure = mine.get(bank.id, RetentionFigure())
        else:
            figure = RetentionFigure(
                sum(f.passed for f in mine.values()), sum(f.failed for f in mine.values())
            )
        active = s.last_active is not None and s.last_active >= since
        rows.append(StudentRow(s, figure, active))
    return rows


def _in_zone(activity: list[StudentActivity], tz: str) -> set[int]:
    return {s.student_id for s in activity if s.timezone == tz}


def _selected() -> Bank | None:
    bank_id = request.args.get("bank")
    return bank_or_404(bank_id) if bank_id else None


def class_progress():
    bank = _selected()
    store = get_store()
    now = datetime.now(UTC)
    overall, readings = summaries(store, now, snapshot().ordered)
    chosen = next((r for r in readings if bank and r.bank and r.bank.id == bank.id), overall)
    return render_template(
        "instructor/progress.html",
        bank=bank,
        chosen=chosen,
        overall=overall,
        readings=readings,
        students=student_rows(store, now, bank),
        desired=store.scheduler.settings.desired_retention,
        active_days=ACTIVE_DAYS,
        chart_days=CHART_DAYS,
        retention_days=RETENTION_DAYS,
    )


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def class_progress_csv():
    bank = _selected()
    now = datetime.now(UTC)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "name",
            "last_active_utc",
            "reviews",
            "practice_answers",
            f"retention_{RETENTION_DAYS}d",
            "retention_reviews",
        ]
    )
    for row in student_rows(get_store(), now, bank):
        s, r = row.activity, row.retention
        writer.writerow(
            [
                _cell(s.name),
                s.last_active.astimezone(UTC).isoformat(timespec="seconds")
                if s.last_active
                else "",
                s.reviews,
                s.practice,
                "" if r.rate is None else f"{r.rate:.3f}",
                r.reviews,
            ]
        )
    name = f"progress-{bank.id if bank else 'all'}-{now:%Y-%m-%d}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
