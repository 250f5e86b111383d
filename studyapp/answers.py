"""The answer path: a student's state of one card, previews, recording answers, replay.

The answer path reads the card, schedules it and only then takes the write lock for one short
transaction that writes the new state and its log row (read, grade and schedule outside the
lock: that is what keeps the lock's queue short). If another answer to the same card slipped in
meanwhile (two tabs), the state read is stale: the answer starts over from a fresh read.

A showing (a card on screen, with its one-time token) is *stale* when the card was reviewed
since it was shown: its count of reviews (``card_state.reps``, 0 for a card new to the student)
is no longer the one the page carries, and the showing's own token is not in the log. Another
tab or device answered it, or a practice test rescheduled it. A token already in the log is a
retry of that very showing, never stale. A new showing of the card carries the new count, so a
learning step shown again, or a card reviewed again days later, is fresh; an instructor's edit
of the question leaves the count alone. ``check_showing`` tells the web before the feedback, and
``record_answer`` checks the same again when the rating is recorded.

The review log is append-only (triggers refuse updates and deletes) and keeps the state before
and after each answer as ``fsrs.Card.to_dict()`` JSON, so every card state can be rebuilt.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from .cards import CardKey
from .database import (
    CardChanged,
    CardNotDue,
    CardRetired,
    StoreBase,
    StoreBusy,
    UnknownCard,
    dt,
    ts,
)
from .scheduler import Card, Rating, State, StudyScheduler, require_utc

SOURCES = ("review", "practice")


@dataclass(frozen=True)
class CardStatus:
    """A student's state of one card; ``card`` is None while the card is new to them."""

    key: CardKey
    card_id: int
    retired: bool
    card: Card | None
    reps: int = 0
    lapses: int = 0
    first_review: datetime | None = None


@dataclass(frozen=True)
class AnswerResult:
    """A recorded answer; ``duplicate`` when the token had been recorded before."""

    review_id: int
    token: str
    student_id: int
    key: CardKey
    source: str
    answer: str
    correct: bool | None
    rating: Rating
    reviewed: datetime
    before: Card | None
    after: Card | None  # None for a practice answer on a card the student has not studied
    duplicate: bool = False

    @property
    def due(self) -> datetime | None:
        return self.after.due if self.after else None

    @property
    def interval(self) -> timedelta | None:
        return self.after.due - self.reviewed if self.after else None


class _Stale(Exception):
    """The card state changed between reading and writing."""


class AnswersMixin(StoreBase):
    _scheduler_id: int | None = None  # this database's id of the scheduler's settings

    # --- one card --------------------------------------------------------------------------

    def card_state(self, student_id: int, key: CardKey) -> CardStatus:
        """The student's state of a card; raises UnknownCard for a card the store never had."""
        return self._read_card(student_id, key, None)[0]

    def _read_card(
        self, student_id: int, key: CardKey, token: str | None
    ) -> tuple[CardStatus, bool]:
        """The card's state, and whether the student's answer to it with ``token`` is already in
        the log (one query for both, as the answer path needs both before every answer)."""
        row = self._one(
            "SELECT c.id, (c.retired OR q.retired OR q.draft) AS retired, s.*,"
            " EXISTS (SELECT 1 FROM review_log r WHERE r.card_id = c.id AND r.student_id = ?"
            "  AND r.token = ?) AS token_used"
            " FROM cards c JOIN questions q ON q.bank_id = c.bank_id AND q.id = c.question_id"
            " LEFT JOIN card_state s ON s.card_id = c.id AND s.student_id = ?"
            " WHERE c.bank_id = ? AND c.question_id = ? AND c.number = ?",
            (student_id, token, student_id, key.bank_id, key.question_id, key.number),
        )
        if row is None:
            raise UnknownCard(f"no card {key}")
        used = bool(row["token_used"])
        if row["state"] is None:
            return CardStatus(key, row["id"], bool(row["retired"]), None), used
        card = Card(
            card_id=row["id"],
            state=State(row["state"]),
            step=row["step"],
            stability=row["stability"],
            difficulty=row["difficulty"],
            due=datetime.fromisoformat(row["due"]),
            last_review=datetime.fromisoformat(row["last_review"]),
        )
        status = CardStatus(
            key,
            row["id"],
            bool(row["retired"]),
            card,
            row["reps"],
            row["lapses"],
            dt(row["first_review"]),
        )
        return status, used

    def preview(self, student_id: int, key: CardKey, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give this card now (before fuzz)."""
        status = self.card_state(student_id, key)
        card = status.card or self.scheduler.new_card(status.card_id, now)
        return self.scheduler.preview(card, now)

    # --- answers ---------------------------------------------------------------------------

    def record_answer(
        self,
        student_id: int,
        key: CardKey,
        *,
        token: str,
        answer: str,
        correct: bool | None,
        rating: int,
        duration_ms: int | None,
        now: datetime,
        source: str = "review",
        attempt_id: int | None = None,
        claim: bool = False,
        seen_reps: int | None = None,
        due_by: datetime | None = None,
    ) -> AnswerResult:
        """Record one answer and, for a review, the card's next state, in one transaction.

        ``correct`` is None for a card the student graded themself. A wrong answer is rated
        Again, unless the student claims it was right (``claim``): then the student's rating
        stands, ``correct`` is stored as given (the web decides whether a claimed answer counts
        as right), and the claim is recorded for the instructors in the same transaction. A
        ``practice`` answer (outside the schedule) is logged but moves no schedule.

        Idempotent by ``token`` for the student and card: the same token returns the stored
        result, marked ``duplicate`` (a token is an idempotency key, not a credential, so the
        same string sent for another card is simply another answer).

        A review from a page can say what that page showed: ``seen_reps``, the card's reviews
        when it was shown, raises CardChanged if the card was answered since (two tabs rating
        one showing twice); ``due_by`` raises CardNotDue for a card due later than that. Both
        are checked after the token, so a retry still gets its answer back. Raises
        UnknownCard, CardRetired, CardChanged, CardNotDue, ValueError for a bad argument,
        StoreBusy.
        """
        if not isinstance(token, str) or not 0 < len(token) <= 200:
            raise ValueError("an answer needs a token of 1 to 200 characters")
        if source not in SOURCES:
            raise ValueError(f"source must be review or practice, got {source!r}")
        now = require_utc(now)
        rating = Rating(int(rating))
        if claim and correct is None:
            raise ValueError("only an auto-graded answer can be claimed right")
        if correct is False and rating != Rating.Again and not claim:
            raise ValueError(f"a wrong answer is rated Again, not {rating.name}")
        if correct is True and rating == Rating.Again:
            raise ValueError("a right answer is rated Hard, Good or Easy, not Again")
        for _ in range(20):
            status, used = self._read_card(student_id, key, token)
            if used:  # before the retired check: a retry still gets its answer back
                return self._recorded(token, student_id, status, key)
            _refuse_closed_showing(status, seen_reps, due_by)
            before = status.card
            after: Card | None = before
            state_write = None
            if source == "review":
                start = before or self.scheduler.new_card(status.card_id, now)
                after = self.scheduler.review(start, rating, now, duration_ms)
                state_write = _state_write(student_id, status, after, rating, now)
            at = ts(now)
            log = (
                token,
                student_id,
                status.card_id,
                at,
                source,
                attempt_id,
                answer,
                correct,
                int(rating),
                duration_ms,
                self._scheduler_config_id() if source == "review" else None,
                _card_json(before),
                _card_json(after),
            )
            # Everything is computed: the lock is held for the writes alone.
            try:
                with self.write() as conn:
                    if state_write:
                        _write_state(conn, *state_write)
                    review_id = _insert_log(conn, log)
                    if claim:
                        conn.execute(
                            "INSERT INTO claims (student_id, review_id, bank_id, question_id,"
                            " answer, created) VALUES (?, ?, ?, ?, ?, ?)",
                            (student_id, review_id, key.bank_id, key.question_id, answer, at),
                        )
            except _Stale:
                continue
            return AnswerResult(
                review_id,
                token,
                student_id,
                key,
                source,
                answer,
                correct,
                rating,
                now,
                before,
                after,
            )
        raise StoreBusy(f"card {key} kept changing while answering it")

    def check_showing(
        self,
        student_id: int,
        key: CardKey,
        *,
        token: str,
        seen_reps: int | None = None,
        due_by: datetime | None = None,
    ) -> AnswerResult | None:
        """Whether a review of the showing ``token`` could still be recorded, recording nothing.

        The checks are ``record_answer``'s, in its order, so the web can refuse a stale tab's
        answer before showing its feedback: the answer stored for ``token`` (a retry of a
        showing already rated, marked ``duplicate``), or None when a rating would be recorded
        now. Raises UnknownCard, CardRetired, CardChanged (the card was reviewed since it was
        shown: ``seen_reps`` is its count of reviews then), CardNotDue (due after ``due_by``).
        """
        status, used = self._read_card(student_id, key, token)
        if used:
            return self._recorded(token, student_id, status, key)
        _refuse_closed_showing(status, seen_reps, due_by)
        return None

    def _recorded(
        self, token: str, student_id: int, status: CardStatus, key: CardKey
    ) -> AnswerResult:
        done = self._answer_by_token(token, student_id, status.card_id, key)
        assert done is not None  # the token was seen in the log, which is append-only
        return done

    def _scheduler_config_id(self) -> int:
        if self._scheduler_id is None:
            config = self.scheduler.config_json()
            row = self._one("SELECT id FROM schedulers WHERE config = ?", (config,))
            if row is None:
                with self.write() as conn:
                    conn.execute("INSERT OR IGNORE INTO schedulers (config) VALUES (?)", (config,))
                row = self._one("SELECT id FROM schedulers WHERE config = ?", (config,))
            assert row is not None
            self._scheduler_id = int(row["id"])
        return self._scheduler_id

    def _answer_by_token(
        self, token: str, student_id: int, card_id: int, key: CardKey
    ) -> AnswerResult | None:
        row = self._one(
            "SELECT * FROM review_log WHERE card_id = ? AND student_id = ? AND token = ?"
            " ORDER BY id LIMIT 1",
            (card_id, student_id, token),
        )
        return None if row is None else _answer(row, key, duplicate=True)

    def answers(self, student_id: int, key: CardKey) -> list[AnswerResult]:
        """The student's answers to a card, oldest first."""
        rows = self._all(
            "SELECT r.* FROM review_log r"
            " JOIN cards c ON c.id = r.card_id WHERE r.student_id = ? AND c.bank_id = ?"
            " AND c.question_id = ? AND c.number = ? ORDER BY r.id",
            (student_id, key.bank_id, key.question_id, key.number),
        )
        return [_answer(r, key) for r in rows]

    def replay_card(self, student_id: int, key: CardKey) -> Card | None:
        """Rebuild the card's state from its review log alone (None if never reviewed).

        Each review is replayed with the settings stored beside it and without fuzz; the due
        date is then taken from the log, where the date actually scheduled (fuzz and all) is
        kept. Nothing else of the stored state is used, so equality proves the log complete.
        """
        rows = self._all(
            "SELECT r.card_id, r.reviewed, r.rating, r.state_after, s.config FROM review_log r"
            " JOIN cards c ON c.id = r.card_id JOIN schedulers s ON s.id = r.scheduler_id"
            " WHERE r.student_id = ? AND c.bank_id = ? AND c.question_id = ? AND c.number = ?"
            " AND r.source = 'review' ORDER BY r.id",
            (student_id, key.bank_id, key.question_id, key.number),
        )
        card: Card | None = None
        schedulers: dict[str, StudyScheduler] = {}
        for r in rows:
            sched = schedulers.get(r["config"]) or StudyScheduler.from_json(r["config"])
            schedulers[r["config"]] = sched
            at = datetime.fromisoformat(r["reviewed"])
            card = sched.replay_review(card or sched.new_card(r["card_id"], at), r["rating"], at)
            card.due = datetime.fromisoformat(json.loads(r["state_after"])["due"])
        return card


def _refuse_closed_showing(
    status: CardStatus, seen_reps: int | None, due_by: datetime | None
) -> None:
    """Raise if a review of a showing of this card, whose token is not in the log yet, cannot be
    recorded: the card is retired, was reviewed since the showing (its reviews are no longer
    ``seen_reps``), or is due after ``due_by``."""
    key = status.key
    if status.retired:
        raise CardRetired(f"card {key} is retired")
    if seen_reps is not None and status.reps != seen_reps:
        raise CardChanged(f"card {key} was answered since it was shown")
    card = status.card
    if due_by is not None and card is not None and card.due > due_by:
        raise CardNotDue(f"card {key} is not due until {ts(card.due)}", card.due)


def _state_write(
    student_id: int, status: CardStatus, after: Card, rating: Rating, now: datetime
) -> tuple[str, tuple[object, ...], bool]:
    """The statement that stores the card's new state: an insert for a card new to the
    student, else an update that only applies if the state is still the one read."""
    before = status.card
    at = ts(now)
    values = (after.state.value, after.step, after.stability, after.difficulty, ts(after.due), at)
    if before is None:
        return (
            "INSERT INTO card_state (state, step, stability, difficulty, due, last_review,"
            " student_id, card_id, first_review, reps, lapses)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0)",
            (*values, student_id, status.card_id, at),
            True,
        )
    lapse = int(before.state == State.Review and rating == Rating.Again)
    return (
        "UPDATE card_state SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?,"
        " last_review = ?, reps = reps + 1, lapses = lapses + ?"
        " WHERE student_id = ? AND card_id = ? AND reps = ?",
        (*values, lapse, student_id, status.card_id, status.reps),
        False,
    )


def _write_state(
    conn: sqlite3.Connection, sql: str, params: tuple[object, ...], insert: bool
) -> None:
    """Run ``_state_write``'s statement; raise _Stale if another answer changed the state."""
    try:
        cur = conn.execute(sql, params)
    except sqlite3.IntegrityError as e:
        if not insert or "UNIQUE" not in str(e):  # a foreign key: no such student
            raise
        raise _Stale from None
    if cur.rowcount != 1:
        raise _Stale


def _insert_log(conn: sqlite3.Connection, values: tuple[object, ...]) -> int:
    """Append one answer to the log. The same token for the same student and card (a racing
    double submit) breaks the log's unique index: the state read is stale then, and the answer
    path starts over and finds the answer that got there first."""
    try:
        cur = conn.execute(
            "INSERT INTO review_log (token, student_id, card_id, reviewed, source, attempt_id,"
            " answer, correct, rating, duration_ms, scheduler_id, state_before, state_after)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )
    except sqlite3.IntegrityError as e:
        if "review_log.token" in str(e):
            raise _Stale from None
        raise
    return int(cur.lastrowid or 0)


def _card_json(card: Card | None) -> str | None:
    return json.dumps(card.to_dict()) if card else None


def _card_from_json(text: str | None) -> Card | None:
    return Card.from_dict(json.loads(text)) if text else None


def _answer(row: sqlite3.Row, key: CardKey, duplicate: bool = False) -> AnswerResult:
    return AnswerResult(
        row["id"],
        row["token"],
        row["student_id"],
        key,
        row["source"],
        row["answer"],
        None if row["correct"] is None else bool(row["correct"]),
        Rating(row["rating"]),
        datetime.fromisoformat(row["reviewed"]),
        _card_from_json(row["state_before"]),
        _card_from_json(row["state_after"]),
        duplicate,
    )
