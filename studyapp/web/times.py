"""How pages write a moment: in whose time zone, and saying which.

A student reads times in their own zone; an instructor reads a student's in the instructor's
zone, or in the student's with the zone named, so that both can quote the same moment. The
filters are registered app-wide (``init_app``): student and instructor pages share them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask
from flask_login import current_user
from markupsafe import Markup, escape


def _time_element(moment: datetime, tz: str, whose: str) -> Markup:
    """``moment`` in ``tz`` to the minute, followed by the zone's abbreviation, which names the
    zone in full on hover, in a ``<time>`` element that holds the moment in UTC for machines.

    A zone with no letters of its own (tzdata writes ``+04``) reads as ``UTC+04``.
    """
    local = moment.astimezone(ZoneInfo(tz))
    abbreviation = local.strftime("%Z")
    if abbreviation[:1] in ("+", "-"):
        abbreviation = f"UTC{abbreviation}"
    # Built with an f-string from escaped parts: Markup.format escapes twice as slowly, which
    # tells on a class list of hundreds of students.
    return Markup(
        f'<time datetime="{moment.astimezone(UTC).isoformat(timespec="seconds")}">'
        f'{local:%Y-%m-%d %H:%M} <abbr title="{escape(tz)} ({escape(whose)})">'
        f"{escape(abbreviation)}</abbr></time>"
    )


def local_time(moment: datetime | None) -> Markup | str:
    """A moment in the signed-in user's time zone, to the minute, saying which zone: on the
    instructor pages, a student elsewhere may quote the same moment in theirs. A student's
    "My reports" uses it too, so both sides write a time the same way."""
    if moment is None:
        return "never"
    tz = current_user.user.timezone if current_user.is_authenticated else "UTC"
    return _time_element(moment, tz, "your account's time zone")


def time_in(moment: datetime | None, tz: str) -> Markup | str:
    """A moment in another user's time zone (a student's), to the minute, with the zone's
    abbreviation so that it is not read as the instructor's own time."""
    if moment is None:
        return "never"
    return _time_element(moment, tz, "the student's time zone")


def student_time(moment: datetime | None, seconds: bool = False) -> str:
    """A moment in the signed-in student's time zone: ``2 Mar 2026, 09:30``."""
    if moment is None:
        return ""
    try:
        zone = ZoneInfo(current_user.user.timezone)
    except (ZoneInfoNotFoundError, ValueError, AttributeError):
        zone = ZoneInfo("UTC")
    local = moment.astimezone(zone)
    return f"{local.day} {local:%b %Y, %H:%M}" + (f":{local:%S}" if seconds else "")


def init_app(app: Flask) -> None:
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(time_in, "time_in")
    app.add_template_filter(student_time, "student_time")
