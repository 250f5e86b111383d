"""A graded answer kept in the session until the student rates it.

The feedback page carries the answer to the rating; a student who follows its link to the
reading, or anywhere else, and comes back would otherwise find the answer gone and the card
shown as new. The session (a signed cookie) keeps it: small, tied to the student, dropped once
the showing is settled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import session
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..cards import CardKey

PENDING = "pending_review"
MAX_AGE = timedelta(hours=1)
MAX_CHARS = 1500


@dataclass(frozen=True)
class Pending:
    """A graded answer on its way to the rating: what the feedback form carries."""

    key: CardKey
    token: str
    answers: list[tuple[str, str]]
    shown_at: str
    seen: str
    bank_ids: list[str]

    @property
    def fields(self) -> MultiDict[str, str]:
        return MultiDict(self.answers)


def remember(p: Pending, now: datetime) -> None:
    """Keep the graded answer in the session until it is rated, unless it is too long for the
    cookie (then only the open feedback page has it, as before)."""
    if sum(len(v) for _, v in p.answers) > MAX_CHARS:
        session.pop(PENDING, None)
        return
    session[PENDING] = {
        # Signing out keeps the session: the id stops the next student on this browser from
        # seeing this one's answer.
        "student": current_user.id,
        "card": str(p.key),
        "token": p.token,
        "answers": [list(pair) for pair in p.answers],
        "shown_at": p.shown_at,
        "seen": p.seen,
        "bank": p.bank_ids,
        "at": int(now.timestamp()),
    }


def forget(token: str) -> None:
    """Drop the pending answer once its showing is settled (recorded, or refused for good); a
    rating from an older page leaves another card's pending answer alone."""
    stored = session.get(PENDING)
    if isinstance(stored, dict) and stored.get("token") == token:
        session.pop(PENDING)


def load() -> tuple[Pending, float] | None:
    """The pending answer in the session and when it was graded (epoch seconds), or None."""
    stored = session.get(PENDING)
    if not isinstance(stored, dict):
        return None
    if stored.get("student") != current_user.id:
        session.pop(PENDING)
        return None
    try:
        pending = Pending(
            key=CardKey.parse(stored["card"]),
            token=str(stored["token"]),
            answers=[(str(name), str(value)) for name, value in stored["answers"]],
            shown_at=str(stored["shown_at"]),
            seen=str(stored["seen"]),
            bank_ids=[str(b) for b in stored["bank"]],
        )
        at = float(stored["at"])
    except (KeyError, TypeError, ValueError):
        session.pop(PENDING)  # a shape from another version of the app
        return None
    return pending, at


def drop() -> None:
    """Forget the pending answer whatever its token (it can no longer be rated)."""
    session.pop(PENDING, None)
