"""A practice test's time limit, and handing a test in.

The time limit is the server's: ``static/js/timer.js`` shows the time left and submits the page at
the limit, but the server refuses any answer that arrives later than ``GRACE`` after it (time for
that last submit to travel), and closes an attempt found past its limit. Either way the test ends
at its limit, and its result says the time ran out (``time_up``): a page that turned into marks
by itself would otherwise leave the student guessing why.

No Flask here: the views read the clock (``practice.now_utc``, which tests move) and the request,
and pass in what these rules need.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ..attempts import Attempt
from ..registry import Snapshot
from ..store import Store
from .practice_grading import Item
from .practice_reviews import record_reviews

# How late the page's own submit at the limit may arrive and still count.
GRACE = timedelta(seconds=3)


def deadline(attempt: Attempt) -> datetime | None:
    limit = attempt.settings.get("limit")
    return attempt.started + timedelta(seconds=float(limit)) if limit else None


def expired(attempt: Attempt, now: datetime, grace: timedelta = GRACE) -> bool:
    end = deadline(attempt)
    return end is not None and now > end + grace


def seconds_left(attempt: Attempt, now: datetime) -> int | None:
    """Whole seconds to the limit, never below 0, for the timer (None for an untimed test)."""
    end = deadline(attempt)
    return max(0, int((end - now).total_seconds())) if end else None


def status(attempt: Attempt, now: datetime) -> str:
    """``finished``, ``time-up`` (past its limit, not handed in yet) or ``open``."""
    if attempt.finished:
        return "finished"
    return "time-up" if expired(attempt, now, timedelta()) else "open"


def timer_hand_in(attempt: Attempt, now: datetime, timeup: bool) -> bool:
    """Whether a finish is the page timer's hand-in (it sends ``timeup``) at the limit.

    The timer counts whole seconds from the page's load, so its post can reach the server a
    moment before the server's limit. Within ``GRACE`` of it, it counts as handed in at the
    limit; sooner, it cannot be the timer's, and is an ordinary finish.
    """
    end = deadline(attempt)
    return timeup and end is not None and now >= end - GRACE


def time_up(attempt: Attempt) -> bool:
    """Whether a finished test was handed in because its time ran out.

    Every hand-in for time (the timer's, the server's on finding the test past its limit, a
    finish that arrives after it) closes the test at its limit exactly, and a student's own
    finish closes it before: so the finish time tells, with nothing more to store.
    """
    end = deadline(attempt)
    return end is not None and attempt.finished is not None and attempt.finished >= end


def unanswered(items: list[Item]) -> list[Item]:
    """The questions still to answer (one taken out of the course cannot be, so it is not one)."""
    return [i for i in items if not i.answered and i.question is not None]


def must_confirm(attempt: Attempt, items: list[Item], now: datetime) -> bool:
    """Whether a finish should ask first: questions are unanswered and time is left.

    The caller skips this when the post carries ``confirm``, which the button of the ``finish``
    page and the timer's hand-in send: the timer counts from the page's load, so its submit can
    reach the server a moment before the server's limit, and it must never be stopped by a
    question nobody is there to answer.
    """
    end = deadline(attempt)
    if end is not None and now >= end:
        return False
    return bool(unanswered(items))


def hand_in(store: Store, snapshot: Snapshot, attempt: Attempt, now: datetime) -> Attempt:
    """Finish the attempt (which locks its answers) and record what it means for the schedule.

    A timed test closed after its limit (left open, found at the next visit) ends at the limit:
    no answer is saved after it, so the time taken and the reviews belong there, not days later.
    (The timer's hand-in passes the limit as ``now``: see ``timer_hand_in``.)
    """
    end = deadline(attempt)
    at = min(now, end) if end else now
    finished = store.finish_attempt(attempt.id, attempt.student_id, at)
    record_reviews(store, snapshot, finished, at)
    return finished
