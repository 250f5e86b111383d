"""The statistics page: a student's due cards ahead, answers per day, retention and card counts.

The numbers come from the store (``studyapp.stats``), the drawing from ``charts`` (server-rendered
SVG). Days are the student's study days (their time zone, rolling over at ``DAY_STARTS_AT_HOUR``),
as on the review pages. Each chart has a table of the same numbers beside it, for screen readers
and for anyone who wants the figures.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, current_app, render_template
from flask_login import current_user, login_required

from ..scheduler import student_day
from ..stats import MATURE_DAYS, CardCounts
from . import charts
from .db import get_store

bp = Blueprint("progress", __name__)
FORECAST_DAYS = 30
HEATMAP_WEEKS = 26
RETENTION_DAYS = 90


def now_utc() -> datetime:
    return datetime.now(UTC)


@bp.route("/progress")
@login_required
def index():
    store = get_store()
    now = now_utc()
    tz = current_user.user.timezone
    hour = int(current_app.config["DAY_STARTS_AT_HOUR"])
    banks = current_app.extensions["studyapp"].registry.refresh().for_students
    bank_ids = [b.id for b in banks]
    student = current_user.id

    forecast = store.due_forecast(
        student, now, days=FORECAST_DAYS, tz=tz, day_starts_at_hour=hour, bank_ids=bank_ids
    )
    today = student_day(now, tz, hour)
    first = today - timedelta(days=today.weekday() + 7 * (HEATMAP_WEEKS - 1))
    since = datetime.combine(first, time(hour), tzinfo=ZoneInfo(tz))
    per_day = store.reviews_per_day(student, since=since, tz=tz, day_starts_at_hour=hour)
    retention = store.true_retention(
        student, now, days=RETENTION_DAYS, tz=tz, day_starts_at_hour=hour
    )
    counts = store.card_counts(student, bank_ids=bank_ids)

    retention_rows = []
    count_rows = []
    for bank in banks:
        figure = retention.banks.get(bank.id)
        rate = figure.rate if figure else None
        retention_rows.append((bank.id, bank.title, rate, figure.reviews if figure else 0))
        c = counts.get(bank.id) or CardCounts()
        count_rows.append(
            (
                bank.id,
                bank.title,
                {"new": c.new, "learning": c.learning, "young": c.young, "mature": c.mature},
            )
        )
    return render_template(
        "progress/index.html",
        forecast=charts.forecast_chart(forecast),
        heatmap=charts.heatmap(per_day, today, weeks=HEATMAP_WEEKS),
        retention=charts.retention_rows(retention_rows),
        overall=retention.overall,
        desired=retention.desired,
        counts=charts.counts_rows(count_rows),
        kinds=charts.CARD_KINDS,
        retention_days=RETENTION_DAYS,
        mature_days=MATURE_DAYS,
    )


def init_app(app: Flask) -> None:
    app.extensions["studyapp"].nav.append(
        {"label": "Statistics", "endpoint": "progress.index", "prefix": "progress."}
    )
