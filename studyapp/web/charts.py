"""The geometry of the statistics page's charts, drawn as SVG by ``templates/progress/_charts.html``.

Charts are server-rendered SVG rather than a JavaScript library: four small charts do not earn a
vendored library, they render before any script runs, and SVG attributes (``x``, ``width``) carry
the sizes, which the Content-Security-Policy allows where inline styles are not. Colours come from
CSS classes using the theme's variables, so both themes work. This module only computes numbers
(in the units of each chart's ``viewBox``); the template turns them into elements, escaped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_label(day: date) -> str:
    return f"{day.day} {day:%b}"


def nice_ceiling(value: int) -> int:
    """The axis maximum for ``value``: 1, 2 or 5 times a power of ten, at least ``value``."""
    if value <= 5:
        return max(value, 1)
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    day: date
    label: str  # the tooltip: "12 cards due on 4 Mar"


@dataclass(frozen=True)
class Tick:
    """An axis label at a position (``y`` for the value axis, ``x`` for the day axis)."""

    at: float
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    top: int
    bottom: int  # the y of the baseline
    left: int
    bars: tuple[Bar, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    total: int
    peak: Bar | None


def forecast_chart(
    forecast: Sequence[tuple[date, int]], *, width: int = 480, height: int = 190
) -> BarChart:
    """Bars of cards due per day; the first day (today) includes the overdue cards."""
    left, right, top, bottom = 34, 6, 10, height - 24
    days = max(len(forecast), 1)
    slot = (width - left - right) / days
    top_value = nice_ceiling(max((n for _, n in forecast), default=0))
    scale = (bottom - top) / top_value
    bars = []
    for i, (day, n) in enumerate(forecast):
        h = n * scale
        label = (
            f"{n} card{'' if n == 1 else 's'} due {'today' if i == 0 else 'on ' + day_label(day)}"
        )
        bars.append(
            Bar(
                round(left + i * slot + slot * 0.12, 2),
                round(bottom - h, 2),
                round(slot * 0.76, 2),
                round(h, 2),
                n,
                day,
                label,
            )
        )
    middle = {top_value // 2} if top_value % 2 == 0 else set()
    y_ticks = tuple(
        Tick(round(bottom - v * scale, 2), str(v)) for v in sorted({0, top_value} | middle)
    )
    x_ticks = tuple(
        Tick(round(left + i * slot + slot / 2, 2), "Today" if i == 0 else day_label(day))
        for i, (day, _) in enumerate(forecast)
        if i % 7 == 0
    )
    peak = max(bars, key=lambda b: b.value, default=None)
    return BarChart(
        width,
        height,
        top,
        bottom,
        left,
        tuple(bars),
        y_ticks,
        x_ticks,
        sum(n for _, n in forecast),
        peak if peak and peak.value else None,
    )


@dataclass(frozen=True)
class Cell:
    x: float
    y: float
    day: date
    count: int
    level: int  # 0 (none) to 4 (the busiest days)
    label: str


@dataclass(frozen=True)
class Heatmap:
    width: int
    height: int
    size: int
    cells: tuple[Cell, ...]
    months: tuple[Tick, ...]
    weekdays: tuple[Tick, ...]
    first: date
    last: date
    total: int
    active_days: int
    busiest: Cell | None


def level(count: int, most: int) -> int:
    """A count's shade: 0 for none, then 1 to 4 in equal steps up to the busiest day."""
    if count <= 0 or most <= 0:
        return 0
    return max(1, min(4, math.ceil(4 * count / most)))


def heatmap(counts: Mapping[date, int], today: date, *, weeks: int = 26) -> Heatmap:
    """A calendar of the last ``weeks`` weeks up to ``today``: a column per week (Monday on
    top), a cell per day shaded by its count, as GitHub and Anki draw theirs."""
    size, gap, left, top = 14, 3, 36, 18
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    days = (today - first).days + 1
    in_range = {d: n for d, n in counts.items() if first <= d <= today}
    most = max(in_range.values(), default=0)
    cells = []
    months = []
    for i in range(days):
        day = first + timedelta(days=i)
        column, row = divmod(i, 7)
        n = in_range.get(day, 0)
        x = left + column * (size + gap)
        if day.day == 1 or i == 0:
            months.append(Tick(x, f"{day:%b}"))
        noun = "answer" if n == 1 else "answers"
        cells.append(
            Cell(
                x,
                top + row * (size + gap),
                day,
                n,
                level(n, most),
                f"{n} {noun} on {day_label(day)} {day.year}",
            )
        )
    # A month label needs room: drop the first when the second follows within two columns.
    if len(months) > 1 and months[1].at - months[0].at < 2 * (size + gap):
        months.pop(0)
    weekdays = tuple(Tick(top + r * (size + gap) + size - 3, WEEKDAYS[r]) for r in (0, 2, 4))
    busiest = max(cells, key=lambda c: c.count, default=None)
    return Heatmap(
        left + weeks * (size + gap),
        top + 7 * (size + gap),
        size,
        tuple(cells),
        tuple(months),
        weekdays,
        first,
        today,
        sum(in_range.values()),
        sum(1 for n in in_range.values() if n),
        busiest if busiest and busiest.count else None,
    )


@dataclass(frozen=True)
class Segment:
    """A piece of a bar drawn in a ``viewBox`` 100 wide: ``x`` and ``width`` are percentages."""

    kind: str
    x: float
    width: float
    value: int


@dataclass(frozen=True)
class Row:
    """One reading's bar. The title and figures are HTML beside a small SVG, so long titles wrap
    on a phone instead of running off the drawing."""

    bank_id: str
    title: str
    segments: tuple[Segment, ...]
    note: str
    value: float | None = None  # the share a single-value bar shows (0..1)
    figures: dict[str, int] = field(default_factory=dict, compare=False)  # for the table


def retention_rows(
    rows: Sequence[tuple[str, str, float | None, int]],
) -> list[Row]:
    """A bar per reading for true retention (``rows``: bank id, title, rate, reviews counted).

    A reading without reviews of learned cards gets a note instead of a bar.
    """
    out = []
    for bank_id, title, rate, reviews in rows:
        if rate is None:
            out.append(
                Row(bank_id, title, (), "no reviews of learned cards yet", None, {"reviews": 0})
            )
            continue
        noun = "review" if reviews == 1 else "reviews"
        out.append(
            Row(
                bank_id,
                title,
                (Segment("retention", 0, round(100 * rate, 2), reviews),),
                f"{round(100 * rate)}% of {reviews} {noun} passed",
                rate,
                {"reviews": reviews},
            )
        )
    return out


CARD_KINDS = ("new", "learning", "young", "mature")


def counts_rows(rows: Sequence[tuple[str, str, Mapping[str, int]]]) -> list[Row]:
    """A stacked bar per reading of its cards by kind (``CARD_KINDS``), each bar full width."""
    out = []
    for bank_id, title, counts in rows:
        total = sum(counts.get(k, 0) for k in CARD_KINDS)
        x = 0.0
        segments = []
        for kind in CARD_KINDS:
            n = counts.get(kind, 0)
            w = 100 * n / total if total else 0
            if n:
                segments.append(Segment(kind, round(x, 3), round(w, 3), n))
            x += w
        note = ", ".join(f"{counts.get(k, 0)} {k}" for k in CARD_KINDS)
        figures = {k: counts.get(k, 0) for k in CARD_KINDS}
        out.append(Row(bank_id, title, tuple(segments), note, None, figures))
    return out
