"""Template filters of the practice pages: durations, marks and the readings of a test.

Registered app-wide by the practice blueprint (``TEMPLATE_FILTERS``), as the pages' words for
these figures.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def clock(seconds: float | None) -> str:
    """Seconds as ``m:ss`` (or ``h:mm:ss``), for the timer and the time taken."""
    if seconds is None:
        return ""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def test_readings(settings: dict) -> str:
    """The readings a test was drawn from: their titles, or how many when that gets long."""
    titles = list(settings.get("titles", {}).values())
    return ", ".join(titles) if len(titles) <= 2 else f"{len(titles)} readings"


def score_points(value: float | None) -> str:
    """A mark as people write it: 7, 7.5, 0.33."""
    if value is None:
        return "0"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def percent(score: float | None, out_of: float | None) -> int:
    """A score as a whole percentage, a half rounded up as a teacher does: 5 of 8 is 63%
    (Python's ``round``, and Jinja's, take a half to the even number, 62)."""
    if not out_of:
        return 0
    return int(100 * (score or 0) / out_of + 0.5)


TEMPLATE_FILTERS: dict[str, Callable[..., Any]] = {
    "clock": clock,
    "test_readings": test_readings,
    "score_points": score_points,
    "percent": percent,
}
