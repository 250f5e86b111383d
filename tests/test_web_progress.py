"""The statistics page: its charts drawn from seeded reviews, with their text alternatives."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from studyapp.cards import bank_card_keys
from studyapp.web import charts, progress


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch, clock: datetime) -> datetime:
    monkeypatch.setattr(progress, "now_utc", lambda: clock)
    return clock


def seed(app, clock: datetime) -> dict[date, int]:
    """Answers on three days for ann; returns the answers per day."""
    snapshot = app.extensions["studyapp"].registry.snapshot
    keys = bank_card_keys(snapshot.bank("thaad-and-biden"))[:5]
    plan = [
        (-3, keys[0], 3),
        (-3, keys[1], 3),
        (-3, keys[2], 3),
        (-1, keys[0], 3),
        (-1, keys[3], 1),
        (0, keys[0], 3),
        (0, keys[4], 3),
    ]
    per_day: dict[date, int] = {}
    with app.extensions["studyapp"].open_store() as store:
        ann = store.user_by_name("ann").id
        for i, (days, key, rating) in enumerate(plan):
            when = clock + timedelta(days=days, minutes=-60 + i)
            store.record_answer(
                ann,
                key,
                token=f"seed-{i}",
                answer="",
                correct=rating > 1,
                rating=rating,
                duration_ms=None,
                now=when,
            )
            per_day[when.date()] = per_day.get(when.date(), 0) + 1
    return per_day


def counts(html: str, chart: str) -> dict[str, int]:
    """data-date -> data-count of one chart's SVG."""
    svg = re.search(rf'<svg class="chart {chart}".*?</svg>', html, re.S).group(0)
    return {d: int(n) for d, n in re.findall(r'data-date="([^"]+)" data-count="(\d+)"', svg)}


def test_charts_draw_the_seeded_reviews(app, as_student, fixed_now):
    per_day = seed(app, fixed_now)
    html = as_student.get("/progress").get_data(as_text=True)
    with app.extensions["studyapp"].open_store() as store:
        ann = store.user_by_name("ann").id
        forecast = store.due_forecast(ann, fixed_now, days=30)
        retention = store.true_retention(ann, fixed_now, days=progress.RETENTION_DAYS)
        by_bank = store.card_counts(ann)
    # Due forecast: one bar per day, the counts the store gives, five cards in all.
    bars = counts(html, "forecast")
    assert bars == {d.isoformat(): n for d, n in forecast}
    assert len(bars) == 30 and sum(bars.values()) == 5
    # Heatmap: the answers of each seeded day, nothing elsewhere.
    cells = counts(html, "heatmap")
    assert {d: n for d, n in cells.items() if n} == {d.isoformat(): n for d, n in per_day.items()}
    assert list(cells)[-1] == fixed_now.date().isoformat()
    # Retention beside the desired retention; card counts per reading.
    figure = retention.banks["thaad-and-biden"]
    assert figure.reviews >= 1
    note = f"{round(100 * figure.rate)}% of {figure.reviews} review"
    assert note in html and "desired retention 90%" in html
    stages = html.split('id="counts-title"')[1]
    row = re.search(r'<li data-bank="thaad-and-biden">.*?</li>', stages, re.S)
    segments = dict(re.findall(r'data-kind="(\w+)" data-count="(\d+)"', row.group(0)))
    c = by_bank["thaad-and-biden"]
    expected = {"new": c.new, "learning": c.learning, "young": c.young, "mature": c.mature}
    assert {k: int(v) for k, v in segments.items()} == {k: v for k, v in expected.items() if v}


def test_every_chart_has_a_text_alternative(app, as_student, fixed_now):
    seed(app, fixed_now)
    html = as_student.get("/progress").get_data(as_text=True)
    for chart in ("forecast", "heatmap"):
        svg = re.search(rf'<svg class="chart {chart}"[^>]*>', html).group(0)
        assert 'role="img"' in svg and "aria-labelledby" in svg
    assert '<desc id="forecast-svg-desc">5 cards due in the next 30 days' in html
    assert html.count("<table") == 4 and html.count("Show the numbers") == 4
    assert html.count('class="hbar"') == 10  # retention and counts, five readings each
    assert 'style="' not in html.split("<main")[1]  # the CSP forbids inline styles


def test_a_new_student_sees_empty_charts(as_student, fixed_now):
    html = as_student.get("/progress").get_data(as_text=True)
    assert set(counts(html, "forecast").values()) == {0}
    assert set(counts(html, "heatmap").values()) == {0}
    assert "no reviews of learned cards yet" in html and "No answers yet." in html
    # Busier days are darker in the light theme but brighter in the dark one.
    assert "A stronger color means more answers that day." in html and "Darker" not in html


def test_statistics_need_sign_in(client):
    response = client.get("/progress")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "value, ceiling", [(0, 1), (3, 3), (7, 10), (10, 10), (11, 20), (42, 50), (120, 200)]
)
def test_axis_ends_at_a_round_number(value, ceiling):
    assert charts.nice_ceiling(value) == ceiling


def test_heatmap_puts_mondays_on_top_and_today_last():
    today = date(2026, 3, 4)  # a Wednesday
    h = charts.heatmap({today: 4, date(2026, 3, 2): 1, date(2020, 1, 1): 9}, today, weeks=3)
    assert h.first == date(2026, 2, 16) and h.first.weekday() == 0
    assert len(h.cells) == 14 + 3 and h.cells[-1].day == today
    by_day = {c.day: c for c in h.cells}
    assert by_day[today].level == 4 and by_day[date(2026, 3, 2)].level == 1
    assert by_day[date(2026, 3, 2)].y == h.cells[0].y  # Monday's row
    assert h.total == 5 and h.active_days == 2  # the day out of range is left out
    assert h.busiest.day == today


def test_forecast_bars_grow_with_their_counts():
    days = [date(2026, 3, 2) + timedelta(days=i) for i in range(4)]
    c = charts.forecast_chart(list(zip(days, [4, 0, 2, 1], strict=True)))
    assert [b.height for b in c.bars][1] == 0
    assert c.bars[0].height == pytest.approx(2 * c.bars[2].height)
    assert c.bars[0].y + c.bars[0].height == pytest.approx(c.bottom)
    assert c.x_ticks[0].label == "Today" and c.total == 7 and c.peak.value == 4


def test_card_count_bars_fill_the_width_in_order():
    rows = charts.counts_rows([("b", "B", {"new": 2, "learning": 0, "young": 1, "mature": 1})])
    segments = rows[0].segments
    assert [s.kind for s in segments] == ["new", "young", "mature"]
    assert segments[0].width == 50 and segments[1].x == 50 and segments[2].x == 75
    assert rows[0].note == "2 new, 0 learning, 1 young, 1 mature"
