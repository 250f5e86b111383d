"""The study store: users, banks as loaded, and the study queue; ``Store`` gathers the rest.

One ``Store`` per connection (the web keeps one per request) and one ``WriteLock`` per process.
Opening is cheap: migrations run from ``migrate(path)`` at server start and from
``studyapp db migrate``, not on every open. Every function takes ``now`` (an aware datetime)
from the caller. The answer path is in ``answers``, the numbers for the study and instructor
pages in ``stats``, practice tests in ``attempts``, claims and problem reports in ``feedback``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlite_utils import Database

from . import migrations
from .answers import AnswersMixin
from .attempts import AttemptsMixin
from .cards import CardKey, StoredQuestion, plan_sync
from .database import (
    VISIBLE,
    UserExists,
    WriteLock,
    bank_filter,
    connect,
    dt,
    placeholders,
    ts,
)
from .feedback import FeedbackMixin
from .instructor_queries import InstructorQueriesMixin
from .model import Bank
from .renames import RenamesMixin
from .reveals import reveals
from .scheduler import State, StudyScheduler, day_end, day_start
from .stats import StatsMixin

ROLES = ("student", "instructor")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    password_hash: str
    timezone: str
    created: datetime
    last_seen: datetime | None = None


@dataclass(frozen=True)
class SyncReport:
    """What ``sync_bank`` changed; question ids and card keys, for the server log."""

    bank_id: str
    changed: bool
    added: tuple[str, ...] = ()
    edited: tuple[str, ...] = ()
    restored: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()
    cards_added: tuple[CardKey, ...] = ()
    cards_retired: tuple[CardKey, ...] = ()
    cards_restored: tuple[CardKey, ...] = ()


# How early a learning card may be shown when nothing else is left (Anki: 20 minutes).
LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True)
class CardRef:
    """The card to show next; ``kind`` is new, learning, relearning or review."""

    key: CardKey
    card_id: int
    kind: str
    due: datetime | None
    reps: int = 0  # reviews of the card so far: the answer form carries it (see record_answer)


@dataclass(frozen=True)
class QueueCounts:
    """The progress bar: new cards left today, learning and review cards due now, and cards
    that fall due later in the study day (a card missed a minute ago comes back in ten)."""

    new: int
    learning: int
    review: int
    next_due: datetime | None  # the next learning or review card, when nothing is due now
    later_today: int = 0

    @property
    def due(self) -> int:
        return self.learning + self.review

    @property
    def left_today(self) -> int:
        """What the session still holds today: due now, new within the limit, due later."""
        return self.due + self.new + self.later_today


def migrate(
    path: str | Path, *, busy_timeout: float = 30.0, lock: WriteLock | None = None
) -> list[str]:
    """Bring the database at ``path`` up to date (creating it); return the migrations applied."""
    store = Store.open(path, busy_timeout=busy_timeout, lock=lock)
    try:
        with store.lock:
            return migrations.apply(store.db)
    finally:
        store.close()


class Store(
    AnswersMixin,
    StatsMixin,
    AttemptsMixin,
    FeedbackMixin,
    InstructorQueriesMixin,
    RenamesMixin,
):
    """Everything the web and the CLI read from or write to the database."""

    def __init__(
        self, db: Database, *, lock: WriteLock, scheduler: StudyScheduler | None = None
    ) -> None:
        super().__init__(db, lock, scheduler or StudyScheduler())

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        synchronous: str = "FULL",
        busy_timeout: float = 30.0,
        lock: WriteLock | None = None,
        scheduler: StudyScheduler | None = None,
        migrate: bool = False,
    ) -> Store:
        """Open the store at ``path``; ``lock`` should be the process's one ``WriteLock`` for it."""
        store = cls(
            connect(path, synchronous=synchronous, busy_timeout=busy_timeout),
            lock=lock or WriteLock(path, busy_timeout),
            scheduler=scheduler,
        )
        if migrate:
            with store.lock:
                migrations.apply(store.db)
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- users -----------------------------------------------------------------------------

    def create_user(
        self,
        name: str,
        password_hash: str,
        role: str = "student",
        timezone: str = "UTC",
        *,
        now: datetime | None = None,
    ) -> User:
        """Add a user; raises UserExists when the name is taken in any case."""
        name = name.strip()
        if not name:
            raise ValueError("a user name cannot be empty")
        if role not in ROLES:
            raise ValueError(f"role must be student or instructor, got {role!r}")
        _check_timezone(timezone)
        created = ts(now or datetime.now(UTC))
        try:
            with self.write() as conn:
                cur = conn.execute(
                    "INSERT INTO users (name, role, password_hash, timezone, created)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (name, role, password_hash, timezone, created),
                )
        except sqlite3.IntegrityError as e:
            raise UserExists(name) from e
        user = self.user_by_id(int(cur.lastrowid or 0))
        assert user is not None
        return user

    def user_by_name(self, name: str) -> User | None:
        return _user(self._one("SELECT * FROM users WHERE name = ?", (name.strip(),)))

    def user_by_id(self, user_id: int) -> User | None:
        return _user(self._one("SELECT * FROM users WHERE id = ?", (user_id,)))

    def users(self, role: str | None = None) -> list[User]:
        rows = self._all(
            "SELECT * FROM users WHERE ? IS NULL OR role = ? ORDER BY name", (role, role)
        )
        return [u for u in map(_user, rows) if u]

    def update_user(
        self,
        user_id: int,
        *,
        password_hash: str | None = None,
        role: str | None = None,
        timezone: str | None = None,
    ) -> None:
        if role is not None and role not in ROLES:
            raise ValueError(f"role must be student or instructor, got {role!r}")
        if timezone is not None:
            _check_timezone(timezone)
        with self.write() as conn:
            conn.execute(
                "UPDATE users SET password_hash = coalesce(?, password_hash),"
                " role = coalesce(?, role), timezone = coalesce(?, timezone) WHERE id = ?",
                (password_hash, role, timezone, user_id),
            )

    def touch_user(self, user_id: int, now: datetime) -> None:
        """Note when the user was last seen (at most once a minute, to spare the write lock)."""
        row = self._one("SELECT last_seen FROM users WHERE id = ?", (user_id,))
        last = dt(row["last_seen"]) if row else None
        if row is None or (last and now - last < timedelta(minutes=1)):
            return
        with self.write() as conn:
            conn.execute("UPDATE users SET last_seen = ? WHERE id = ?", (ts(now), user_id))

    # --- sign-in attempts (the login throttle) ---------------------------------------------

    def count_login_attempt(
        self, keys: Sequence[str], now: float, window: float, attempts: int
    ) -> bool:
        """Count a sign-in attempt against each key, unless one of them has had ``attempts``
        already within ``window`` seconds; True if the attempt may go on.

        The attempt is counted before the password is checked, in one write transaction with
        the check, so that attempts racing through several workers cannot all pass it. A
        successful sign-in then clears its keys. Times are seconds since the epoch.
        """
        with self.write() as conn:
            conn.execute("DELETE FROM login_failures WHERE at < ?", (now - window,))
            row = conn.execute(
                f"SELECT max(n) FROM (SELECT count(*) AS n FROM login_failures"
                f" WHERE key IN ({placeholders(keys)}) GROUP BY key)",
                tuple(keys),
            ).fetchone()
            if row is not None and (row[0] or 0) >= attempts:
                return False
            conn.executemany(
                "INSERT INTO login_failures (key, at) VALUES (?, ?)", [(k, now) for k in keys]
            )
        return True

    def clear_login_attempts(self, keys: Sequence[str]) -> None:
        with self.write() as conn:
            conn.execute(f"DELETE FROM login_failures WHERE key IN ({placeholders(keys)})", keys)

    # --- banks -----------------------------------------------------------------------------

    def sync_bank(self, bank: Bank, now: datetime) -> SyncReport:
        """Record a loaded bank, its questions and cards, following the bank-change rules.

        Cheap when nothing changed (one read of the bank's digest), so the server can call it at
        start and after every reload. See ``cards.plan_sync`` for the rules.
        """
        row = self._one("SELECT digest, retired FROM banks WHERE id = ?", (bank.id,))
        if row and row["digest"] == bank.digest and not row["retired"]:
            return SyncReport(bank.id, changed=False)
        at = ts(now)
        shows = list(reveals(bank))  # the slow part, before the write lock
        with self.write() as conn:
            questions = {
                r["id"]: StoredQuestion(
                    r["position"],
                    r["type"],
                    r["content_hash"],
                    bool(r["draft"]),
                    bool(r["retired"]),
                    r["paragraph"],
                    r["quote_hash"],
                )
                for r in conn.execute("SELECT * FROM questions WHERE bank_id = ?", (bank.id,))
            }
            cards = {
                CardKey(bank.id, r["question_id"], r["number"]): bool(r["retired"])
                for r in conn.execute(
                    "SELECT question_id, number, retired FROM cards WHERE bank_id = ?", (bank.id,)
                )
            }
            plan = plan_sync(bank, questions, cards)
            conn.execute(
                "INSERT INTO banks (id, title, path, digest, first_loaded, loaded)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET title = excluded.title,"
                " path = excluded.path, digest = excluded.digest, loaded = excluded.loaded,"
                " retired = 0",
                (bank.id, bank.title, str(bank.path), bank.digest, at, at),
            )
            conn.executemany(
                "INSERT INTO questions (bank_id, id, position, type, content_hash, draft,"
                " first_loaded, loaded, changed, paragraph, quote_hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (bank_id, id) DO UPDATE SET position = excluded.position,"
                " type = excluded.type, content_hash = excluded.content_hash,"
                " draft = excluded.draft, retired = 0, loaded = excluded.loaded,"
                " changed = CASE WHEN questions.content_hash = excluded.content_hash"
                "  THEN questions.changed ELSE excluded.changed END,"
                " paragraph = excluded.paragraph, quote_hash = excluded.quote_hash",
                [
                    (bank.id, q.id, pos, q.type, q.content_hash, q.draft, at, at, at)
                    + (bank.paragraph_of(q), q.quote_hash)
                    for pos, q in plan.upsert
                ],
            )
            conn.executemany(
                "UPDATE questions SET retired = 1, loaded = ? WHERE bank_id = ? AND id = ?",
                [(at, bank.id, qid) for qid in plan.retired],
            )
            conn.executemany(
                "INSERT INTO cards (bank_id, question_id, number, created) VALUES (?, ?, ?, ?)",
                [(k.bank_id, k.question_id, k.number, at) for k in plan.new_cards],
            )
            for retired, keys in ((1, plan.retire_cards), (0, plan.restore_cards)):
                conn.executemany(
                    "UPDATE cards SET retired = ? WHERE bank_id = ? AND question_id = ? AND number = ?",
                    [(retired, k.bank_id, k.question_id, k.number) for k in keys],
                )
            ids = {
                (r["question_id"], r["number"]): r["id"]
                for r in conn.execute(
                    "SELECT id, question_id, number FROM cards WHERE bank_id = ?", (bank.id,)
                )
            }
            conn.execute(
                "DELETE FROM card_reveals WHERE card_id IN (SELECT id FROM cards WHERE bank_id = ?)",
                (bank.id,),
            )
            conn.executemany(
                "INSERT INTO card_reveals (card_id, reveals_card_id) VALUES (?, ?)",
                [(ids[a], ids[b]) for a, b in shows if a in ids and b in ids],
            )
        return SyncReport(
            bank.id,
            changed=True,
            added=tuple(plan.added),
            edited=tuple(plan.edited),
            restored=tuple(plan.restored),
            retired=tuple(plan.retired),
            cards_added=tuple(plan.new_cards),
            cards_retired=tuple(plan.retire_cards),
            cards_restored=tuple(plan.restore_cards),
        )

    def retire_bank(self, bank_id: str, now: datetime) -> None:
        """Retire a bank that is gone from the questions folder, with its questions and cards."""
        at = ts(now)
        with self.write() as conn:
            conn.execute("UPDATE banks SET retired = 1, loaded = ? WHERE id = ?", (at, bank_id))
            conn.execute(
                "UPDATE questions SET retired = 1, loaded = ? WHERE bank_id = ? AND retired = 0",
                (at, bank_id),
            )
            conn.execute("UPDATE cards SET retired = 1 WHERE bank_id = ?", (bank_id,))

    def recorded_banks(self) -> dict[str, str]:
        """The banks recorded and not retired, with the file each was last loaded from."""
        rows = self._all("SELECT id, path FROM banks WHERE retired = 0 ORDER BY id")
        return {r["id"]: r["path"] for r in rows}

    def bank_ids(self) -> list[str]:
        """The banks recorded and not retired."""
        return [r["id"] for r in self._all("SELECT id FROM banks WHERE retired = 0 ORDER BY id")]

    # --- the study queue -------------------------------------------------------------------

    def next_card(
        self,
        student_id: int,
        now: datetime,
        *,
        bank_ids: Sequence[str] | None = None,
        new_per_day: int = 20,
        day_starts_at_hour: int = 4,
        tz: str = "UTC",
        learn_ahead: timedelta = LEARN_AHEAD,
    ) -> CardRef | None:
        """The card to study now: the most overdue due card (``_next_due_card``), else the next
        new card while today's new-card limit lasts (banks in the order of ``bank_ids``, else
        by id; within a bank in file order, keeping apart cards on one paragraph and a card
        from one that shows its answer: ``_next_new_card``), else a learning card due within
        ``learn_ahead`` (as Anki does when nothing else is left)."""
        banks, params = bank_filter(bank_ids)
        row = self._next_due_card(student_id, now, day_starts_at_hour, tz, bank_ids)
        if row is None and self.new_left(
            student_id, now, new_per_day, day_starts_at_hour, tz, bank_ids=bank_ids
        ):
            row = self._next_new_card(student_id, now, day_starts_at_hour, tz, bank_ids)
        if row is None and learn_ahead:
            row = self._one(
                f"SELECT c.id, c.bank_id, c.question_id, c.number, s.state, s.due, s.reps"
                f" FROM card_state s JOIN cards c ON c.id = s.card_id"
                f" JOIN questions q ON q.bank_id = c.bank_id AND q.id = c.question_id"
                f" WHERE s.student_id = ? AND s.due <= ? AND s.state != ? AND {VISIBLE}{banks}"
                f" ORDER BY s.due LIMIT 1",
                (student_id, ts(now + learn_ahead), State.Review.value, *params),
            )
        if row is None:
            return None
        kind = "new" if row["state"] is None else State(row["state"]).name.lower()
        return CardRef(
            CardKey(row["bank_id"], row["question_id"], row["number"]),
            row["id"],
            kind,
            dt(row["due"]),
            row["reps"],
        )

    def _next_due_card(
        self,
        student_id: int,
        now: datetime,
        day_starts_at_hour: int,
        tz: str,
        bank_ids: Sequence[str] | None,
    ) -> sqlite3.Row | None:
        """The most overdue card due now, after those whose paragraph or answer no other card
        showed today.

        A cloze's second gap and the first are often due together, and the feedback of one
        shows the sentence that answers the other; so does any question's on the same
        paragraph, and any card whose explanation or passage holds the answer (``reveals``).
        Anki buries such siblings until the next day; here they only go after the other due
        cards (apart, not away), so every due card is still shown today, and a card on a
        paragraph of its own keeps the most-overdue-first order. A question without a
        paragraph counts its own cards as its paragraph.
        """
        banks, params = bank_filter(bank_ids)
        return self._one(
            f"WITH shown AS MATERIALIZED (SELECT DISTINCT r.card_id, c.bank_id, c.question_id,"
            f"  q.paragraph FROM review_log r JOIN cards c ON c.id = r.card_id"
            f"  JOIN questions q ON q.bank_id = c.bank_id AND q.id = c.question_id"
            f"  WHERE r.student_id = ? AND r.reviewed >= ?)"
            f" SELECT c.id, c.bank_id, c.question_id, c.number, s.state, s.due, s.reps"
            f" FROM card_state s JOIN cards c ON c.id = s.card_id"
            f" JOIN questions q ON q.bank_id = c.bank_id AND q.id = c.question_id"
            f" WHERE s.student_id = ? AND s.due <= ? AND {VISIBLE}{banks}"
            f" ORDER BY EXISTS (SELECT 1 FROM shown WHERE shown.bank_id = c.bank_id"
            f"  AND shown.card_id != c.id AND (shown.paragraph = q.paragraph"
            f"  OR shown.question_id = c.question_id)) OR EXISTS (SELECT 1 FROM shown"
            f"  JOIN card_reveals x ON x.card_id = shown.card_id AND x.reveals_card_id = c.id),"
            f" s.due LIMIT 1",
            (
                student_id,
                ts(day_start(now, tz, day_starts_at_hour)),
                student_id,
                ts(now),
                *params,
            ),
        )

    def _next_new_card(
        self,
        student_id: int,
        now: datetime,
        day_starts_at_hour: int,
        tz: str,
        bank_ids: Sequence[str] | None,
    ) -> sqlite3.Row | None:
        """The next card to start, in the course's order (the readings page lists readings by
        date), not the ids'.

        Within a reading, cards whose answer no card shown today showed come first (the
        ``card_reveals`` of ``reveals``); among them, cards on a paragraph whose passage the
        student has not been shown today, in file order, then those shown longest ago. A
        card's feedback shows its explanation and the sentences around its passage, and in a
        short reading those often answer a later card: in plain file order, the feedback of
        one would answer the next. Anki buries a note's siblings until the next day for the
        same reason; keeping such cards apart, rather than away, lets a short reading still
        be started in one sitting (the revealed ones last, those revealed longest ago first).
        Within that, every question's first card before any second one (Anki's "card type,
        then order gathered"), so a cloze's c2 does not follow its c1.
        """
        # A reading at a time, in order: the first with a card not started is found in a few
        # rows, and only its cards are ranked (a fifth of them with five readings).
        for bank_id in self.bank_ids() if bank_ids is None else bank_ids:
            if self._one(
                f"SELECT 1 FROM cards c JOIN questions q"
                f" ON q.bank_id = c.bank_id AND q.id = c.question_id"
                f" WHERE c.bank_id = ? AND {VISIBLE} AND NOT EXISTS (SELECT 1 FROM card_state s"
                f"  WHERE s.student_id = ? AND s.card_id = c.id) LIMIT 1",
                (bank_id, student_id),
            ):
                return self._rank_new_cards(student_id, bank_id, now, day_starts_at_hour, tz)
        return None

    def _rank_new_cards(
        self, student_id: int, bank_id: str, now: datetime, day_starts_at_hour: int, tz: str
    ) -> sqlite3.Row | None:
        """The first of ``_next_new_card``'s order among the reading's cards not started."""
        today = ts(day_start(now, tz, day_starts_at_hour))
        return self._one(
            f"WITH shown AS (SELECT q.paragraph, max(r.id) AS last"
            f"  FROM review_log r JOIN cards c ON c.id = r.card_id"
            f"  JOIN questions q ON q.bank_id = c.bank_id AND q.id = c.question_id"
            f"  WHERE r.student_id = ? AND r.reviewed >= ? AND c.bank_id = ?"
            f"  AND q.paragraph IS NOT NULL GROUP BY q.paragraph),"
            f" revealed AS (SELECT x.reveals_card_id AS card_id, max(r.id) AS last"
            f"  FROM review_log r JOIN card_reveals x ON x.card_id = r.card_id"
            f"  WHERE r.student_id = ? AND r.reviewed >= ? GROUP BY x.reveals_card_id)"
            f" SELECT c.id, c.bank_id, c.question_id, c.number, NULL AS state, NULL AS due,"
            f" 0 AS reps"
            f" FROM cards c JOIN questions q ON q.bank_id = c.bank_id AND q.id = c.question_id"
            f" LEFT JOIN shown ON shown.paragraph = q.paragraph"
            f" LEFT JOIN revealed ON revealed.card_id = c.id"
            f" WHERE c.bank_id = ? AND {VISIBLE} AND NOT EXISTS (SELECT 1 FROM card_state s"
            f"  WHERE s.student_id = ? AND s.card_id = c.id)"
            f" ORDER BY coalesce(revealed.last, 0), coalesce(shown.last, 0), c.number, q.position"
            f" LIMIT 1",
            (student_id, today, bank_id, student_id, today, bank_id, student_id),
        )

    def new_left(
        self,
        student_id: int,
        now: datetime,
        new_per_day: int,
        day_starts_at_hour: int,
        tz: str,
        *,
        bank_ids: Sequence[str] | None = None,
    ) -> int:
        """New cards the student may still start today (their day begins at the given hour)
        from the banks studied.

        The limit is of the readings being studied, as Anki's is of the deck selected: studying
        one reading counts the cards started today in that reading, studying all of them counts
        every card started today. So the twenty new cards done through "all readings" leave the
        next reading, opened on its own, its twenty as well.
        """
        start = day_start(now, tz, day_starts_at_hour)
        banks, params = bank_filter(bank_ids)
        row = self._one(
            f"SELECT count(*) FROM card_state s JOIN cards c ON c.id = s.card_id"
            f" WHERE s.student_id = ? AND s.first_review >= ?{banks}",
            (student_id, ts(start), *params),
        )
        return max(0, new_per_day - (row[0] if row else 0))

    def queue_counts(
        self,
        student_id: int,
        now: datetime,
        *,
        bank_ids: Sequence[str] | None = None,
        new_per_day: int = 20,
        day_starts_at_hour: int = 4,
        tz: str = "UTC",
    ) -> QueueCounts:
        """Numbers for the progress bar (new cards counted up to today's limit)."""
        banks, params = bank_filter(bank_ids)
        at = ts(now)
        end = ts(day_end(now, tz, day_starts_at_hour))
        row = self._one(
            f"SELECT sum(s.due <= ? AND s.state != ?) AS learning,"
            f" sum(s.due <= ? AND s.state = ?) AS review,"
            f" sum(s.due > ? AND s.due < ?) AS later_today,"
            f" min(CASE WHEN s.due > ? THEN s.due END) AS next_due"
            f" FROM card_state s JOIN cards c ON c.id = s.card_id"
            f" JOIN questions q ON q.bank_id = c.bank_id AND q.id = c.question_id"
            f" WHERE s.student_id = ? AND {VISIBLE}{banks}",
            (at, State.Review.value, at, State.Review.value, at, end, at, student_id, *params),
        )
        assert row is not None
        # Stop counting unseen cards at the day's limit: a bank of thousands need not be scanned.
        left = self.new_left(
            student_id, now, new_per_day, day_starts_at_hour, tz, bank_ids=bank_ids
        )
        unseen = self._one(
            f"SELECT count(*) FROM (SELECT 1 FROM cards c"
            f" JOIN questions q ON q.bank_id = c.bank_id AND q.id = c.question_id"
            f" WHERE {VISIBLE}{banks} AND NOT EXISTS (SELECT 1 FROM card_state s"
            f"  WHERE s.student_id = ? AND s.card_id = c.id) LIMIT ?)",
            (*params, student_id, left),
        )
        new = unseen[0] if unseen else 0
        return QueueCounts(
            new,
            row["learning"] or 0,
            row["review"] or 0,
            dt(row["next_due"]),
            row["later_today"] or 0,
        )

    def reviews_done_today(
        self,
        student_id: int,
        now: datetime,
        *,
        bank_ids: Sequence[str] | None = None,
        day_starts_at_hour: int = 4,
        tz: str = "UTC",
    ) -> int:
        """Review answers the student gave since their day began, in the banks studied: the
        "done" beside ``queue_counts``' "left today" on the session bar.

        Filtered by bank as "left" is, so a reading opened fresh starts at 0 done whatever was
        studied elsewhere today. Practice answers are left out: they move no schedule, so they
        take nothing from "left". A card failed and relearned counts each time it is answered.
        """
        banks, params = bank_filter(bank_ids)
        row = self._one(
            f"SELECT count(*) FROM review_log r JOIN cards c ON c.id = r.card_id"
            f" WHERE r.student_id = ? AND r.source = 'review' AND r.reviewed >= ?{banks}",
            (student_id, ts(day_start(now, tz, day_starts_at_hour)), *params),
        )
        return int(row[0]) if row else 0


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use a name such as Asia/Seoul)") from None


def _user(row: sqlite3.Row | None) -> User | None:
    if row is None:
        return None
    return User(
        row["id"],
        row["name"],
        row["role"],
        row["password_hash"],
        row["timezone"],
        datetime.fromisoformat(row["created"]),
        dt(row["last_seen"]),
    )
