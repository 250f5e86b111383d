"""A graded answer kept in the session until the student rates it.

The answer post stores it here and redirects to /review, which shows the feedback from it
(Post/Redirect/Get): Back or Reload on the feedback fetches /review again instead of posting the
answer a second time. A student who follows a link from the feedback (the passage in the
reading) and comes back finds the same answer waiting for its rating rather than the card shown
as new. The session (a signed cookie) keeps it: small, tied to the student, dropped once the
showing is settled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import session
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..cards import CardKey
from ..database import CardChanged, CardRetired, UnknownCard
from ..store import Store
from .inputs import small_int

# The session key, how long an answer waits for its rating, and the most answer text it may
# hold, measured as the cookie carries it (JSON, where a letter outside ASCII takes six
# characters): browsers drop a cookie over 4 KB, and the redirect would then lose the answer.
PENDING = "pending_review"
MAX_AGE = timedelta(hours=1)
MAX_JSON_CHARS = 2400


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


def remember(p: Pending, now: datetime) -> bool:
    """Keep the graded answer in the session until it is rated; False when it is too long for
    the cookie (then nothing is kept, and only a page rendered at once can show it)."""
    if len(json.dumps(p.answers)) > MAX_JSON_CHARS:
        session.pop(PENDING, None)
        return False
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
    return True


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


def answers_for(token: str, key: CardKey) -> MultiDict[str, str] | None:
    """The answer graded for this showing, as kept when it was checked, or None when the
    session holds none for it (then only the rating form's copy is left)."""
    found = load()
    if found is None or found[0].token != token or found[0].key != key:
        return None
    return found[0].fields


def drop() -> None:
    """Forget the pending answer whatever its token (it can no longer be rated)."""
    session.pop(PENDING, None)


def settled(store: Store, student_id: int, p: Pending) -> bool:
    """Whether the showing ``p`` answers can no longer be rated: the store does not have its
    card or has retired it, another showing of it was rated (the card's reviews moved past the
    count shown), or this one was (its token is in the log): ``check_showing``'s verdict."""
    try:
        recorded = store.check_showing(
            student_id, p.key, token=p.token, seen_reps=small_int(p.seen, limit=10**6)
        )
    except (UnknownCard, CardRetired, CardChanged):
        return True
    return recorded is not None
