"""The study store on real SQLite files: users, bank changes, the queue, answers and replay."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils.migrations import Migrations

from studyapp import migrations
from studyapp.banks import load_bank
from studyapp.cards import CardKey, card_keys
from studyapp.database import (
    CardChanged,
    CardNotDue,
    CardRetired,
    StoreBusy,
    UnknownCard,
    UserExists,
    WriteLock,
    ts,
)
from studyapp.model import Bank
from studyapp.scheduler import Rating, SchedulerSettings, State, StudyScheduler
from studyapp.store import LEARN_AHEAD, Store, migrate

EXACT = StudyScheduler(SchedulerSettings(enable_fuzzing=False))

BANK = """\
- id: deployed
  type: cloze
  text: THAAD was deployed in {{c1::South Korea}} in {{c2::2017}}.
  quote: The Terminal High Altitude Area Defense (THAAD) system was deployed in South Korea in 2017.
- id: fell
  type: choice
  prompt: By how much did support for closer ties with China fall?
  answer: 19 percent
  distractors: [5 percent, 40 percent]
  quote: Support for closer ties with China fell by 19 percent.
- id: met
  type: answer
  prompt: Whom did Chung Eui-yong meet in Xiamen?
  answer: Wang Yi
  quote: Chung Eui-yong met Wang Yi in Xiamen.
"""
DEPLOYED_1 = CardKey("sample", "deployed", 1)
DEPLOYED_2 = CardKey("sample", "deployed", 2)
FELL = CardKey("sample", "fell", 1)
MET = CardKey("sample", "met", 1)

LoadBank = Callable[..., Bank]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "study.sqlite3"
    migrate(path)
    return path


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store.open(db_path, scheduler=EXACT) as s:
        yield s


@pytest.fixture
def bank(make_bank) -> LoadBank:
    """Write and load a bank (the sample questions unless given others)."""

    def load(questions: str = BANK, name: str = "sample") -> Bank:
        result = load_bank(make_bank(questions, name=name))
        assert result.bank is not None, result.problems
        return result.bank

    return load


@pytest.fixture
def student(store: Store, clock: datetime) -> int:
    return store.create_user("ana", "hash", now=clock).id


def answer(
    store: Store,
    student: int,
    key: CardKey,
    now: datetime,
    rating: int = 3,
    token: str | None = None,
    **kwargs,
):
    kwargs.setdefault("correct", rating > 1)
    return store.record_answer(
        student,
        key,
        token=f"{student}-{key}-{now.isoformat()}" if token is None else token,
        answer="given",
        rating=rating,
        duration_ms=1200,
        now=now,
        **kwargs,
    )


# --- opening and migrating -------------------------------------------------------------------


def test_migrate_creates_the_schema_once(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    assert migrate(path) == [
        "0001_initial",
        "0002_answer_tokens_per_card",
        "0003_login_failures",
        "0004_question_changed",
        "0005_report_seen",
        "0006_question_paragraph",
        "0007_claim_seen",
        "0008_card_reveals",
    ]
    assert migrate(path) == []
    with Store.open(path) as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert {"users", "cards", "card_state", "review_log", "attempts", "claims"} <= set(
            s.db.table_names()
        )


def test_opening_a_store_runs_no_migration(tmp_path: Path) -> None:
    with Store.open(tmp_path / "bare.sqlite3", synchronous="normal") as s:
        assert s.db.table_names() == []
        assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 1
    with Store.open(tmp_path / "bare.sqlite3", migrate=True) as s:
        assert "users" in s.db.table_names()


def test_synchronous_setting_is_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="synchronous must be one of"):
        Store.open(tmp_path / "x.sqlite3", synchronous="FULL; DROP TABLE users")


def test_an_old_database_with_rows_upgrades_in_place(
    db_path: Path, store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    """A database holding answers goes through a later migration that rebuilds a table
    many others refer to (as sqlite-utils ``transform`` does) and keeps every row."""
    store.sync_bank(bank(), clock)
    for i, key in enumerate((DEPLOYED_1, FELL, MET)):
        answer(store, student, key, clock + timedelta(minutes=i), rating=1 + i)
    attempt = store.create_attempt(student, [("sample", "fell")], clock)
    store.save_response(attempt.id, student, "sample", "fell", "19 percent", clock, correct=True)
    store.report_problem(student, "sample", "met", "unclear", "which meeting?", clock)
    tables = [t for t in store.db.table_names() if not t.startswith("_")]
    before = {t: store.db[t].count for t in tables}
    state_before = store.card_state(student, FELL)
    store.close()

    later = Migrations("studyapp")
    later(name="0001_initial")(migrations.initial)
    later(name="0002_answer_tokens_per_card")(migrations.answer_tokens_per_card)
    later(name="0003_login_failures")(migrations.login_failures)
    later(name="0004_question_changed")(migrations.question_changed)
    later(name="0005_report_seen")(migrations.report_seen)
    later(name="0006_question_paragraph")(migrations.question_paragraph)
    later(name="0007_claim_seen")(migrations.claim_seen)
    later(name="0008_card_reveals")(migrations.card_reveals)

    @later(name="0009_user_email")
    def add_email(db) -> None:
        db["users"].add_column("email", str, not_null_default="")
        db["users"].transform(column_order=("id", "name", "email"))

    with Store.open(db_path, scheduler=EXACT) as upgraded:
        assert migrations.apply(upgraded.db, later) == ["0009_user_email"]
        assert migrations.applied(upgraded.db, later)[-1] == "0009_user_email"
        assert {t: upgraded.db[t].count for t in tables} == before
        assert upgraded.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert upgraded.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert upgraded.card_state(student, FELL) == state_before
        assert upgraded.replay_card(student, FELL) == state_before.card
        assert upgraded.user_by_id(student).name == "ana"


def test_a_token_raced_between_a_practice_and_a_review_answer_is_logged_once(
    store: Store, student: int, bank: LoadBank, clock: datetime, monkeypatch
) -> None:
    """Two submissions of one answer that straddle a card's due time: one is logged as
    practice (no card state to race on), the other as a review whose read came before the
    first one's commit. The log's unique (card, student, token) index refuses the second row,
    and the retry returns the first answer without moving the schedule."""
    store.sync_bank(bank(), clock)
    first = answer(store, student, FELL, clock, token="t", source="practice")
    read = store._read_card
    reads: list[bool] = []

    def read_before_the_first_commit(student_id, key, token):
        status, used = read(student_id, key, token)
        reads.append(used)
        return status, used and len(reads) > 1

    monkeypatch.setattr(store, "_read_card", read_before_the_first_commit)
    second = answer(store, student, FELL, clock + timedelta(seconds=1), token="t")
    assert reads == [True, True]
    assert second.duplicate and second.review_id == first.review_id
    assert [a.source for a in store.answers(student, FELL)] == ["practice"]
    assert store.card_state(student, FELL).card is None  # the review's state write rolled back


def sync_as_0001_did(store: Store, bank: Bank, now: datetime) -> None:
    """Record a bank with the columns the 0001 schema has (today's ``sync_bank`` writes
    columns that later migrations add)."""
    at = ts(now)
    with store.write() as conn:
        conn.execute(
            "INSERT INTO banks (id, title, path, digest, first_loaded, loaded)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (bank.id, bank.title, str(bank.path), bank.digest, at, at),
        )
        for pos, q in enumerate(bank.questions):
            conn.execute(
                "INSERT INTO questions (bank_id, id, position, type, content_hash, draft,"
                " first_loaded, loaded) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (bank.id, q.id, pos, q.type, q.content_hash, q.draft, at, at),
            )
            conn.executemany(
                "INSERT INTO cards (bank_id, question_id, number, created) VALUES (?, ?, ?, ?)",
                [(k.bank_id, k.question_id, k.number, at) for k in card_keys(q)],
            )


def test_0002_keeps_every_answer_and_claim_of_a_0001_database(
    tmp_path: Path, bank: LoadBank, clock: datetime
) -> None:
    """The real 0002 (the review log rebuilt without its global token index) on a database
    created at 0001 that holds answers and a claim pointing into the log."""
    path = tmp_path / "old.sqlite3"
    first = Migrations("studyapp")
    first(name="0001_initial")(migrations.initial)
    with Store.open(path, scheduler=EXACT) as old:
        assert migrations.apply(old.db, first) == ["0001_initial"]
        ana = old.create_user("ana", "h", now=clock).id
        sync_as_0001_did(old, bank(), clock)
        answer(old, ana, FELL, clock, token="a1")
        answer(old, ana, MET, clock, rating=3, correct=False, claim=True, token="a2")
        log_before = [tuple(r) for r in old.conn.execute("SELECT * FROM review_log ORDER BY id")]
        claims_before = [tuple(r) for r in old.conn.execute("SELECT * FROM claims")]
        state_before = old.card_state(ana, FELL)

    with Store.open(path, scheduler=EXACT) as new:
        assert migrations.apply(new.db)[0] == "0002_answer_tokens_per_card"
        assert [tuple(r) for r in new.conn.execute("SELECT * FROM review_log ORDER BY id")] == (
            log_before
        )
        # Later migrations add columns (0007: ``seen``); the rows themselves are unchanged.
        claims_after = [tuple(r) for r in new.conn.execute("SELECT * FROM claims")]
        assert [row[: len(claims_before[0])] for row in claims_after] == claims_before
        assert new.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert new.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        indexes = {
            r["name"]: bool(r["unique"])
            for r in new.conn.execute("PRAGMA index_list('review_log')")
        }
        assert indexes == {"review_log_card": True, "review_log_student_time": False}
        assert new.replay_card(ana, FELL) == state_before.card
        retry = answer(new, ana, FELL, clock + timedelta(minutes=1), token="a1")
        assert retry.duplicate and retry.review_id == log_before[0][0]
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            new.conn.execute("DELETE FROM review_log")


SHIPPED = (
    ("0001_initial", migrations.initial),
    ("0002_answer_tokens_per_card", migrations.answer_tokens_per_card),
    ("0003_login_failures", migrations.login_failures),
    ("0004_question_changed", migrations.question_changed),
    ("0005_report_seen", migrations.report_seen),
    ("0006_question_paragraph", migrations.question_paragraph),
    ("0007_claim_seen", migrations.claim_seen),
)


def shipped_until(last: str) -> Migrations:
    """The shipped migrations up to ``last``: a database as that release left it."""
    steps = Migrations("studyapp")
    for name, step in SHIPPED:
        steps(name=name)(step)
        if name == last:
            return steps
    raise ValueError(f"no migration {last}")


def test_0004_dates_each_question_from_its_first_load_and_sync_dates_new_wording(
    tmp_path: Path, bank: LoadBank, clock: datetime
) -> None:
    path = tmp_path / "old.sqlite3"
    first = shipped_until("0003_login_failures")
    with Store.open(path, scheduler=EXACT) as old:
        migrations.apply(old.db, first)
        sync_as_0001_did(old, bank(), clock)
        ana = old.create_user("ana", "h", now=clock).id
        answer(old, ana, FELL, clock, token="a1")
    with Store.open(path, scheduler=EXACT) as new:
        assert migrations.apply(new.db)[0] == "0004_question_changed"
        # The history before 0004 is unknown: every question counts as never edited.
        assert new.db["questions"].count == 3
        assert new.question_changes("sample") == {}
        # A new wording is dated by its load; loading the same wording again keeps the date.
        later = clock + timedelta(days=3)
        edited = bank(BANK.replace("Whom did Chung", "Whom did the adviser Chung"))
        new.sync_bank(edited, later)
        assert new.question_changes("sample") == {"met": ts(later)}
        new.sync_bank(edited, later + timedelta(days=1))  # nothing changed: not even synced
        new.sync_bank(bank(), later + timedelta(days=2))  # the old wording back: a change too
        assert new.question_changes("sample") == {"met": ts(later + timedelta(days=2))}
        assert [a.token for a in new.answers(ana, FELL)] == ["a1"]


def test_0005_keeps_every_report_and_counts_answered_ones_unseen(
    tmp_path: Path, bank: LoadBank, clock: datetime
) -> None:
    """The real 0005 (a ``seen`` column on reports) on a database at 0004 holding an open, a
    resolved and a dismissed report: every row stays, and both answers count as unseen."""
    path = tmp_path / "old.sqlite3"
    first = shipped_until("0004_question_changed")
    with Store.open(path, scheduler=EXACT) as old:
        migrations.apply(old.db, first)
        sync_as_0001_did(old, bank(), clock)  # today's sync writes 0006's ``paragraph``
        ana = old.create_user("ana", "h", now=clock).id
        bo = old.create_user("bo", "h", role="instructor", now=clock).id
        # Written as 0004 did: today's store reads and clears ``seen``, which 0004 lacks.
        with old.write() as conn:
            conn.executemany(
                "INSERT INTO reports (student_id, bank_id, question_id, category, created,"
                " status, resolved, resolved_by, response) VALUES (?, 'sample', ?, 'typo', ?,"
                " ?, ?, ?, ?)",
                [
                    (ana, "deployed", ts(clock), "open", None, None, ""),
                    (ana, "fell", ts(clock), "resolved", ts(clock), bo, "Reworded."),
                    (ana, "met", ts(clock), "dismissed", ts(clock), bo, ""),
                ],
            )
        before = [tuple(r) for r in old.conn.execute("SELECT * FROM reports ORDER BY id")]
    with Store.open(path, scheduler=EXACT) as new:
        assert migrations.apply(new.db)[0] == "0005_report_seen"
        after = [tuple(r) for r in new.conn.execute("SELECT * FROM reports ORDER BY id")]
        assert after == [row + (None,) for row in before]
        assert new.unseen_report_answers(ana) == 2
        assert new.mark_reports_seen(ana, new.reports_by(ana), clock) == 2
        assert new.unseen_report_answers(ana) == 0


def test_0007_keeps_every_claim_and_counts_decided_ones_unseen(
    tmp_path: Path, bank: LoadBank, clock: datetime
) -> None:
    """The real 0007 (a ``seen`` column on claims) on a database at 0006 holding an open, an
    accepted and a rejected claim: every row stays, and both decisions count as unseen."""
    path = tmp_path / "old.sqlite3"
    first = shipped_until("0006_question_paragraph")
    with Store.open(path, scheduler=EXACT) as old:
        migrations.apply(old.db, first)
        sync_as_0001_did(old, bank(), clock)  # today's sync writes 0008's ``card_reveals``
        ana = old.create_user("ana", "h", now=clock).id
        bo = old.create_user("bo", "h", role="instructor", now=clock).id
        for i, key in enumerate((MET, DEPLOYED_1, DEPLOYED_2)):
            at = clock + timedelta(minutes=i)
            answer(old, ana, key, at, rating=3, correct=False, claim=True, token=f"c{i}")
        accepted, rejected, _ = [
            r[0] for r in old.conn.execute("SELECT id FROM claims ORDER BY id")
        ]
        # Decided as 0006 did: today's ``resolve_claim`` clears ``seen``, which 0006 lacks.
        with old.write() as conn:
            conn.executemany(
                "UPDATE claims SET status = ?, resolved = ?, resolved_by = ? WHERE id = ?",
                [("accepted", ts(clock), bo, accepted), ("rejected", ts(clock), bo, rejected)],
            )
        before = [tuple(r) for r in old.conn.execute("SELECT * FROM claims ORDER BY id")]
        assert [r[-3] for r in before] == ["accepted", "rejected", "open"]
    with Store.open(path, scheduler=EXACT) as new:
        assert migrations.apply(new.db) == ["0007_claim_seen", "0008_card_reveals"]
        after = [tuple(r) for r in new.conn.execute("SELECT * FROM claims ORDER BY id")]
        assert after == [row + (None,) for row in before]
        assert new.unseen_claim_decisions(ana) == 2
        assert new.mark_claims_seen(ana, new.claims_by(ana), clock) == 2
        assert new.unseen_claim_decisions(ana) == 0


# --- users ----------------------------------------------------------------------------------


def test_user_names_are_unique_ignoring_case(store: Store, clock: datetime) -> None:
    ana = store.create_user("Ana", "h1", timezone="Asia/Seoul", now=clock)
    assert ana.role == "student" and ana.timezone == "Asia/Seoul" and ana.created == clock
    with pytest.raises(UserExists, match="already exists"):
        store.create_user("ANA", "h2", now=clock)
    assert store.user_by_name("ana") == ana
    assert store.user_by_id(ana.id) == ana
    assert store.user_by_name("bo") is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": " "}, "cannot be empty"),
        ({"role": "admin"}, "role must be student or instructor"),
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
    ],
)
def test_create_user_refuses_bad_values(store: Store, kwargs: dict, message: str) -> None:
    args = {"name": "ana", "password_hash": "h"} | kwargs
    with pytest.raises(ValueError, match=message):
        store.create_user(**args)


def test_update_and_touch_user(store: Store, student: int, clock: datetime) -> None:
    store.update_user(student, role="instructor", timezone="Europe/Paris")
    store.touch_user(student, clock)
    user = store.user_by_id(student)
    assert (user.role, user.timezone, user.last_seen) == ("instructor", "Europe/Paris", clock)
    assert store.users(role="instructor") == [user]


# --- bank changes ---------------------------------------------------------------------------


def test_sync_records_questions_and_cards_and_is_cheap_when_unchanged(
    store: Store, bank: LoadBank, clock: datetime
) -> None:
    b = bank()
    report = store.sync_bank(b, clock)
    assert report.added == ("deployed", "fell", "met")
    assert [str(k) for k in report.cards_added] == [
        "sample/deployed/1",
        "sample/deployed/2",
        "sample/fell/1",
        "sample/met/1",
    ]
    changes = store.conn.total_changes
    again = store.sync_bank(b, clock + timedelta(hours=1))
    assert not again.changed
    assert store.conn.total_changes == changes


def test_edited_question_keeps_its_schedule(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    answer(store, student, FELL, clock)
    state = store.card_state(student, FELL)
    edited = BANK.replace("By how much did", "By what share did")
    report = store.sync_bank(bank(edited), clock + timedelta(hours=1))
    assert report.edited == ("fell",)
    assert report.cards_added == () and report.cards_retired == ()
    assert store.card_state(student, FELL) == state
    assert store.next_card(student, state.card.due) is not None


def test_removed_question_retires_its_cards_and_keeps_their_history(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    answer(store, student, FELL, clock, rating=1)
    without = BANK.replace(BANK[BANK.index("- id: fell") : BANK.index("- id: met")], "")
    report = store.sync_bank(bank(without), clock)
    assert report.retired == ("fell",)
    assert report.cards_retired == (FELL,)
    assert store.card_state(student, FELL).retired
    assert len(store.answers(student, FELL)) == 1
    week = clock + timedelta(days=7)
    seen = set()
    while (ref := store.next_card(student, week, new_per_day=99)) is not None:
        seen.add(ref.key)
        answer(store, student, ref.key, week, rating=4)
    assert seen == {DEPLOYED_1, DEPLOYED_2, MET}
    with pytest.raises(CardRetired):
        answer(store, student, FELL, week)


def test_removed_question_that_returns_resumes_its_schedule(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    answer(store, student, MET, clock)
    state = store.card_state(student, MET)
    store.sync_bank(bank(BANK[: BANK.index("- id: met")]), clock)
    report = store.sync_bank(bank(), clock)
    assert report.restored == ("met",) and report.cards_restored == (MET,)
    assert store.card_state(student, MET) == state


def test_cloze_gaining_a_deletion_gains_a_card(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    answer(store, student, DEPLOYED_1, clock)
    state = store.card_state(student, DEPLOYED_1)
    grown = BANK.replace("{{c1::South Korea}}", "{{c1::South Korea}} ({{c3::Seongju}})")
    grown = grown.replace("South Korea in 2017.\n", "South Korea in 2017.\n", 1)
    report = store.sync_bank(bank(grown), clock)
    assert report.cards_added == (CardKey("sample", "deployed", 3),)
    assert store.card_state(student, DEPLOYED_1) == state
    assert store.card_state(student, CardKey("sample", "deployed", 3)).card is None


def test_cloze_losing_a_deletion_retires_that_card(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    answer(store, student, DEPLOYED_2, clock)
    shrunk = BANK.replace("{{c2::2017}}", "2017")
    report = store.sync_bank(bank(shrunk), clock)
    assert report.edited == ("deployed",)
    assert report.cards_retired == (DEPLOYED_2,)
    assert store.card_state(student, DEPLOYED_2).retired
    assert not store.card_state(student, DEPLOYED_1).retired
    assert len(store.answers(student, DEPLOYED_2)) == 1


def test_drafts_get_no_cards_until_published(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    drafted = BANK.replace("  answer: Wang Yi\n", "  answer: Wang Yi\n  draft: true\n")
    report = store.sync_bank(bank(drafted), clock)
    assert MET not in report.cards_added
    with pytest.raises(UnknownCard):
        store.card_state(student, MET)
    report = store.sync_bank(bank(), clock)
    assert report.cards_added == (MET,)


def test_question_turned_draft_hides_its_cards_and_keeps_their_schedule(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    answer(store, student, MET, clock)
    state = store.card_state(student, MET)
    drafted = BANK.replace("  answer: Wang Yi\n", "  answer: Wang Yi\n  draft: true\n")
    store.sync_bank(bank(drafted), clock)
    assert store.card_state(student, MET).retired
    due = clock + timedelta(days=30)
    while (ref := store.next_card(student, due, new_per_day=99)) is not None:
        assert ref.key != MET
        answer(store, student, ref.key, due, rating=4)
    store.sync_bank(bank(), clock)
    assert store.card_state(student, MET) == state


def test_retired_bank_shows_nothing(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    store.retire_bank("sample", clock)
    assert store.next_card(student, clock) is None
    assert store.bank_ids() == []
    assert store.sync_bank(bank(), clock).restored == ("deployed", "fell", "met")
    assert store.next_card(student, clock) is not None


# --- the study queue ------------------------------------------------------------------------


def test_new_cards_come_in_bank_order_up_to_the_daily_limit(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    """Each question's first card in file order, then the second cards: the cloze's c2 does
    not follow its c1, whose answer its text shows."""
    store.sync_bank(bank(), clock)
    order = []
    for i in range(3):
        ref = store.next_card(student, clock, new_per_day=3, learn_ahead=timedelta(0))
        assert ref.kind == "new"
        order.append(ref.key)
        answer(store, student, ref.key, clock + timedelta(seconds=i))
    assert order == [DEPLOYED_1, FELL, MET]
    assert store.next_card(student, clock, new_per_day=4).key == DEPLOYED_2
    assert store.next_card(student, clock, new_per_day=3, learn_ahead=timedelta(0)) is None
    assert store.queue_counts(student, clock, new_per_day=3).new == 0
    assert store.queue_counts(student, clock, new_per_day=10).new == 1


def test_new_card_limit_rolls_over_at_the_hour_in_the_students_zone(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    seoul = {"new_per_day": 1, "tz": "Asia/Seoul", "day_starts_at_hour": 4}
    # clock is 18:30 in Seoul; the next study day starts at 04:00 there (19:00 UTC).
    answer(store, student, store.next_card(student, clock, **seoul).key, clock, rating=4)
    before, after = clock + timedelta(hours=9, minutes=29), clock + timedelta(hours=9, minutes=31)
    far = clock + timedelta(days=30)
    assert store.queue_counts(student, before, **seoul).new == 0
    assert store.queue_counts(student, after, **seoul).new == 1
    assert store.next_card(student, after, learn_ahead=timedelta(0), **seoul).kind == "new"
    assert store.new_left(student, far, 5, 4, "Asia/Seoul") == 5


def test_reviews_done_today_counts_the_banks_studied_and_not_practice(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    """The session bar's "done" is of the readings whose "left" it shows."""
    store.sync_bank(bank(), clock)
    store.sync_bank(bank(name="other"), clock)
    other = CardKey("other", FELL.question_id, FELL.number)
    answer(store, student, FELL, clock - timedelta(hours=6))  # 03:30: the day before
    answer(store, student, FELL, clock, rating=1, correct=False)
    answer(store, student, MET, clock)
    answer(store, student, other, clock)
    answer(store, student, other, clock, token="practice", source="practice")
    assert store.reviews_done_today(student, clock, bank_ids=["sample"]) == 2
    assert store.reviews_done_today(student, clock, bank_ids=["other"]) == 1
    assert store.reviews_done_today(student, clock) == 3


def test_due_cards_come_first_most_overdue_first(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    answer(store, student, FELL, clock, rating=4)  # due in days
    answer(store, student, DEPLOYED_1, clock + timedelta(hours=1), rating=4)
    later = store.card_state(student, DEPLOYED_1).card.due + timedelta(days=1)
    refs = store.next_card(student, later)
    assert refs.key == FELL and refs.kind == "review"
    counts = store.queue_counts(student, later)
    assert (counts.review, counts.learning, counts.due) == (2, 0, 2)
    assert counts.new == 2


def test_learning_cards_wait_for_their_step_unless_nothing_else_is_left(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    answer(store, student, DEPLOYED_1, clock, rating=1)  # again: due in 1 minute
    assert store.next_card(student, clock).key == FELL
    only_learning = store.next_card(student, clock, new_per_day=1)
    assert only_learning.key == DEPLOYED_1 and only_learning.kind == "learning"
    assert store.next_card(student, clock, new_per_day=1, learn_ahead=timedelta(0)) is None
    counts = store.queue_counts(student, clock, new_per_day=1)
    assert counts.next_due == clock + timedelta(minutes=1)
    # Not due yet, but it comes back today: the session is not over.
    assert (counts.learning, counts.later_today, counts.left_today) == (0, 1, 1)
    assert store.queue_counts(student, clock + timedelta(minutes=1)).learning == 1


def test_cards_due_after_the_study_day_ends_are_not_left_today(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    """A card due tomorrow is not part of today's session; one due tonight is, in the
    student's own day (clock is 09:30 UTC: 18:30 in Seoul, where the day ends at 04:00)."""
    store.sync_bank(bank(), clock)
    answer(store, student, FELL, clock, rating=3)  # a new card rated Good: 10 minutes
    seoul = {"tz": "Asia/Seoul", "day_starts_at_hour": 4, "new_per_day": 0}
    assert store.queue_counts(student, clock, **seoul).later_today == 1
    due = store.card_state(student, FELL).card.due
    answer(store, student, FELL, due, rating=4)  # Easy: days away
    after = store.queue_counts(student, due, **seoul)
    assert after.later_today == 0 and after.left_today == 0 and after.next_due is not None


def test_queue_can_be_limited_to_some_banks(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    store.sync_bank(bank(BANK, name="another"), clock)
    ref = store.next_card(student, clock, bank_ids=["another"])
    assert ref.key == CardKey("another", "deployed", 1)
    assert store.queue_counts(student, clock, bank_ids=["another"], new_per_day=99).new == 4
    assert store.queue_counts(student, clock, new_per_day=99).new == 8
    assert store.next_card(student, clock, bank_ids=[]) is None


# --- answers --------------------------------------------------------------------------------


def test_answer_writes_state_and_log_in_one_go(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    preview = store.preview(student, FELL, clock)
    result = answer(store, student, FELL, clock, rating=3, token="tok-1")
    assert result.before is None and not result.duplicate
    assert result.interval == preview[Rating.Good] == timedelta(minutes=10)
    status = store.card_state(student, FELL)
    assert status.card == result.after and status.reps == 1 and status.first_review == clock
    (logged,) = store.answers(student, FELL)
    assert logged.token == "tok-1" and logged.after == result.after and logged.answer == "given"


def test_the_same_token_records_an_answer_once(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    first = answer(store, student, FELL, clock, token="double-click")
    again = answer(
        store, student, FELL, clock + timedelta(seconds=2), rating=4, token="double-click"
    )
    assert again.duplicate
    assert (again.review_id, again.rating, again.after) == (
        first.review_id,
        first.rating,
        first.after,
    )
    assert len(store.answers(student, FELL)) == 1
    assert store.card_state(student, FELL).reps == 1


def test_a_token_is_an_idempotency_key_per_student_and_card(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    """The same string sent for another student or card is another answer, and the first
    answer's retry still finds its own result."""
    store.sync_bank(bank(), clock)
    other = store.create_user("bo", "h", now=clock).id
    first = answer(store, student, FELL, clock, token="t")
    theirs = answer(store, other, FELL, clock, token="t")
    mine_elsewhere = answer(store, student, MET, clock, token="t")
    assert not theirs.duplicate and not mine_elsewhere.duplicate
    assert len({first.review_id, theirs.review_id, mine_elsewhere.review_id}) == 3
    retry = answer(store, student, FELL, clock + timedelta(seconds=1), rating=4, token="t")
    assert retry.duplicate and retry.review_id == first.review_id and retry.rating == first.rating
    assert store.card_state(other, FELL).reps == 1 and store.card_state(student, MET).reps == 1


def test_a_showing_is_stale_once_its_card_was_reviewed_under_another_token(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    """``check_showing`` records nothing and says what ``record_answer`` would: a new card's
    showing (0 reviews seen) is open, its own token once rated returns that answer, another
    showing of the same count is stale, and the next showing (1 review seen) is open again."""
    store.sync_bank(bank(), clock)
    soon = clock + LEARN_AHEAD
    assert store.check_showing(student, FELL, token="tab-1", seen_reps=0, due_by=soon) is None
    first = answer(store, student, FELL, clock, rating=1, token="tab-1", seen_reps=0)
    retry = store.check_showing(student, FELL, token="tab-1", seen_reps=0, due_by=soon)
    assert retry is not None and retry.duplicate and retry.review_id == first.review_id
    with pytest.raises(CardChanged):
        store.check_showing(student, FELL, token="tab-2", seen_reps=0, due_by=soon)
    # Rated Again, the card is a learning step due in a minute: shown again, it is open.
    later = clock + timedelta(minutes=2)
    assert store.check_showing(student, FELL, token="tab-3", seen_reps=1, due_by=later) is None
    with pytest.raises(CardNotDue):
        store.check_showing(student, FELL, token="tab-3", seen_reps=1, due_by=clock)
    assert [a.token for a in store.answers(student, FELL)] == ["tab-1"]
    assert store.card_state(student, FELL).reps == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"correct": False, "rating": 3}, ValueError, "wrong answer is rated Again"),
        ({"correct": True, "rating": 1}, ValueError, "right answer is rated Hard"),
        ({"rating": 5}, ValueError, "is not a valid Rating"),
        ({"token": ""}, ValueError, "token"),
        ({"source": "cram"}, ValueError, "source must be"),
        ({"correct": None, "claim": True}, ValueError, "only an auto-graded answer"),
    ],
)
def test_bad_answers_are_refused(
    store: Store, student: int, bank: LoadBank, clock: datetime, kwargs, error, message
) -> None:
    store.sync_bank(bank(), clock)
    args = {"rating": 3, "correct": True, "token": "t"} | kwargs
    with pytest.raises(error, match=message):
        answer(store, student, FELL, clock, **args)
    assert store.answers(student, FELL) == []


def test_unknown_card_is_refused(store: Store, student: int, clock: datetime) -> None:
    with pytest.raises(UnknownCard):
        answer(store, student, CardKey("nope", "nope", 1), clock)


def test_practice_answers_are_logged_but_move_no_schedule(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    result = answer(store, student, FELL, clock, rating=1, source="practice", token="p1")
    assert result.after is None
    assert store.card_state(student, FELL).card is None
    answer(store, student, FELL, clock, rating=3, token="r1")
    state = store.card_state(student, FELL)
    answer(store, student, FELL, clock, rating=1, source="practice", token="p2")
    assert store.card_state(student, FELL) == state
    assert [a.source for a in store.answers(student, FELL)] == ["practice", "review", "practice"]
    assert store.replay_card(student, FELL) == state.card


def test_claimed_answer_takes_the_students_rating_and_files_a_claim(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    result = answer(store, student, MET, clock, rating=3, correct=False, claim=True, token="c")
    assert result.rating == Rating.Good and result.correct is False
    (claim,) = store.claims()
    assert (claim.student_id, claim.review_id, claim.question_id) == (
        student,
        result.review_id,
        "met",
    )
    answer(store, student, MET, clock, rating=3, correct=False, claim=True, token="c")
    assert len(store.claims()) == 1


def test_review_log_is_append_only(
    store: Store, student: int, bank: LoadBank, clock: datetime
) -> None:
    store.sync_bank(bank(), clock)
    answer(store, student, FELL, clock)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE review_log SET rating = 4")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM review_log")


# --- replay ---------------------------------------------------------------------------------


def study(
    store: Store, student: int, start: datetime, days: int, pattern: list[int], prefix: str = "r"
) -> None:
    """Answer whatever is due, day after day, with ratings cycling through ``pattern``."""
    now, i = start, 0
    for _ in range(days):
        end = now + timedelta(days=1)
        while (ref := store.next_card(student, now, new_per_day=2)) is not None and now < end:
            rating = pattern[i % len(pattern)]
            answer(store, student, ref.key, now, rating=rating, token=f"{prefix}{i}")
            i += 1
            now += timedelta(minutes=3)
        now = end


@pytest.mark.parametrize("fuzz", [False, True])
def test_card_state_replays_from_its_log(
    db_path: Path, bank: LoadBank, clock: datetime, fuzz: bool
) -> None:
    scheduler = StudyScheduler(SchedulerSettings(enable_fuzzing=fuzz))
    with Store.open(db_path, scheduler=scheduler) as store:
        store.sync_bank(bank(), clock)
        student = store.create_user("ana", "h", now=clock).id
        study(store, student, clock, 40, [3, 3, 1, 4, 2, 3, 3, 3])
        replayed = 0
        for key in (DEPLOYED_1, DEPLOYED_2, FELL, MET):
            status = store.card_state(student, key)
            assert store.replay_card(student, key) == status.card
            replayed += status.card is not None and status.card.state == State.Review
        assert replayed >= 2


def test_replay_uses_the_settings_in_force_at_each_review(
    db_path: Path, bank: LoadBank, clock: datetime
) -> None:
    with Store.open(db_path, scheduler=EXACT) as store:
        store.sync_bank(bank(), clock)
        student = store.create_user("ana", "h", now=clock).id
        study(store, student, clock, 10, [3, 4, 1])
    changed = StudyScheduler(
        SchedulerSettings(desired_retention=0.8, learning_steps=(5,), enable_fuzzing=False)
    )
    with Store.open(db_path, scheduler=changed) as store:
        study(store, student, clock + timedelta(days=10), 20, [3, 1, 3, 2], prefix="s")
        for key in (DEPLOYED_1, DEPLOYED_2, FELL, MET):
            assert store.replay_card(student, key) == store.card_state(student, key).card


# --- the write lock -------------------------------------------------------------------------


def test_write_lock_queues_writers_and_times_out(db_path: Path) -> None:
    lock = WriteLock(db_path, timeout=0.05)
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with lock:
            held.set()
            release.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(5)
    with Store.open(db_path, lock=lock) as s, pytest.raises(StoreBusy):
        with s.write():
            pass
    release.set()
    t.join()
    assert Path(f"{db_path}.lock").exists()


def test_nested_writes_share_one_transaction(store: Store, clock: datetime) -> None:
    with pytest.raises(RuntimeError), store.write():
        with store.write() as conn:
            conn.execute(
                "INSERT INTO users (name, password_hash, created) VALUES ('x', 'h', ?)",
                (clock.isoformat(),),
            )
        raise RuntimeError
    assert store.user_by_name("x") is None
