"""New cards on one paragraph are kept apart: the feedback of one must not answer the next.

The feedback shows the whole paragraph around a question's passage. Questions are written in
the order of the reading, so neighbours in a bank often quote one paragraph; in plain file
order, the paragraph shown after question one would hold the answer to question two.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from studyapp import migrations
from studyapp.banks import load_bank
from studyapp.cards import CardKey
from studyapp.model import Bank
from studyapp.store import Store, migrate

from .test_store import EXACT, shipped_until, sync_as_0001_did

DOCUMENT = """\
---
title: Three Paragraphs
---
Seoul and Beijing signed a currency swap in 2017. The swap was worth 56 billion dollars.

THAAD was deployed in South Korea in 2017. China answered with an unofficial boycott.

Chung Eui-yong met Wang Yi in Xiamen. They spoke for five hours.
"""

# In file order: two questions on paragraph 0, one on 1, one on 2, then 0 and 1 again.
QUESTIONS = """\
- id: swap-year
  type: answer
  prompt: In which year was the swap signed?
  answer: "2017"
  quote: Seoul and Beijing signed a currency swap in 2017.
- id: swap-size
  type: answer
  prompt: How much was the swap worth?
  answer: 56 billion dollars
  quote: The swap was worth 56 billion dollars.
- id: boycott
  type: answer
  prompt: How did China answer THAAD?
  answer: an unofficial boycott
  quote: China answered with an unofficial boycott.
- id: xiamen
  type: answer
  prompt: Where did Chung meet Wang Yi?
  answer: Xiamen
  quote: Chung Eui-yong met Wang Yi in Xiamen.
- id: swap-partner
  type: answer
  prompt: With whom did Seoul sign the swap?
  answer: Beijing
  quote: Seoul and Beijing signed a currency swap
- id: deployed
  type: cloze
  text: THAAD was deployed in {{c1::South Korea}} in {{c2::2017}}.
  quote: THAAD was deployed in South Korea in 2017.
"""


@pytest.fixture
def reading(make_bank) -> Bank:
    result = load_bank(make_bank(QUESTIONS, name="reading", document=DOCUMENT))
    assert result.bank is not None, result.problems
    return result.bank


@pytest.fixture
def store(tmp_path: Path, reading: Bank, clock: datetime) -> Iterator[Store]:
    path = tmp_path / "study.sqlite3"
    migrate(path)
    with Store.open(path, scheduler=EXACT) as s:
        s.sync_bank(reading, clock)
        yield s


def study_new(store: Store, student: int, now: datetime, count: int) -> list[str]:
    """Start ``count`` new cards in a row, answering each right and rating it Easy (due in
    days, so that no learning card comes back in between); return them in order."""
    shown = []
    for i in range(count):
        at = now + timedelta(seconds=i)
        ref = store.next_card(student, at, learn_ahead=timedelta(0))
        assert ref is not None and ref.kind == "new"
        shown.append(f"{ref.key.question_id}/{ref.key.number}")
        store.record_answer(
            student,
            ref.key,
            token=f"t{at.isoformat()}",
            answer="x",
            correct=True,
            rating=4,
            duration_ms=900,
            now=at,
        )
    return shown


def test_the_paragraph_each_question_quotes_is_recorded(store: Store, reading: Bank) -> None:
    rows = dict(store.conn.execute("SELECT id, paragraph FROM questions").fetchall())
    assert rows == {
        "swap-year": 0,
        "swap-size": 0,
        "boycott": 1,
        "xiamen": 2,
        "swap-partner": 0,
        "deployed": 1,
    }
    assert {q.id: reading.paragraph_of(q) for q in reading.questions} == rows


def test_new_cards_go_round_the_paragraphs_instead_of_down_the_file(
    store: Store, clock: datetime
) -> None:
    """File order would be swap-year, swap-size (same paragraph: its answer was just shown)."""
    ana = store.create_user("ana", "h", now=clock).id
    assert study_new(store, ana, clock, 7) == [
        "swap-year/1",  # paragraph 0
        "boycott/1",  # 1
        "xiamen/1",  # 2: every paragraph has been shown, so the one shown longest ago
        "swap-size/1",  # 0
        "deployed/1",  # 1, its first card before its second
        "swap-partner/1",  # 0
        "deployed/2",  # 1
    ]


def test_a_new_day_starts_again_in_file_order(store: Store, clock: datetime) -> None:
    """Spacing is within the study day (as Anki's burying is): yesterday's feedback is no
    giveaway, and the reading goes on in the order it was written."""
    ana = store.create_user("ana", "h", now=clock).id
    assert study_new(store, ana, clock, 1) == ["swap-year/1"]
    assert study_new(store, ana, clock + timedelta(days=1), 1) == ["swap-size/1"]


def test_a_review_shows_its_paragraph_too(store: Store, clock: datetime) -> None:
    """A review answered today showed its paragraph as much as a new card's feedback does."""
    ana = store.create_user("ana", "h", now=clock).id
    assert study_new(store, ana, clock, 1) == ["swap-year/1"]
    later = clock + timedelta(days=1)
    store.record_answer(
        ana,
        CardKey("reading", "swap-year", 1),
        token="review",
        answer="2017",
        correct=True,
        rating=3,
        duration_ms=900,
        now=later,
    )
    assert study_new(store, ana, later + timedelta(minutes=1), 1) == ["boycott/1"]


def test_spacing_is_per_student(store: Store, clock: datetime) -> None:
    ana = store.create_user("ana", "h", now=clock).id
    bo = store.create_user("bo", "h", now=clock).id
    assert study_new(store, ana, clock, 1) == ["swap-year/1"]
    assert study_new(store, bo, clock, 2) == ["swap-year/1", "boycott/1"]


def test_0006_records_the_paragraphs_of_an_existing_database_at_the_next_load(
    tmp_path: Path, reading: Bank, clock: datetime
) -> None:
    """A database from before 0006 has no paragraphs; its banks are unchanged, so without the
    cleared digest the next sync would skip them and the queue would never space anything."""
    path = tmp_path / "old.sqlite3"
    with Store.open(path, scheduler=EXACT) as old:
        migrations.apply(old.db, shipped_until("0005_report_seen"))
        sync_as_0001_did(old, reading, clock)
        old.conn.execute("UPDATE questions SET changed = first_loaded")  # as 0004 left them
        ana = old.create_user("ana", "h", now=clock).id
        before = [tuple(r) for r in old.conn.execute("SELECT * FROM questions ORDER BY id")]
    with Store.open(path, scheduler=EXACT) as new:
        assert migrations.apply(new.db)[0] == "0006_question_paragraph"
        after = [tuple(r) for r in new.conn.execute("SELECT * FROM questions ORDER BY id")]
        assert after == [row + (None, None) for row in before]  # paragraph, quote_hash
        report = new.sync_bank(reading, clock + timedelta(hours=1))
        assert report.changed and not (report.added or report.edited or report.retired)
        assert not report.cards_added
        paragraphs = dict(new.conn.execute("SELECT id, paragraph FROM questions").fetchall())
        assert paragraphs["swap-size"] == 0 and paragraphs["xiamen"] == 2
        hashes = dict(new.conn.execute("SELECT id, quote_hash FROM questions").fetchall())
        assert hashes == {q.id: q.quote_hash for q in reading.questions}
        assert len(set(hashes.values())) == len(hashes)  # six passages, six hashes
        # Nothing a student sees changed: the questions keep their edit dates.
        dates = dict(new.conn.execute("SELECT id, changed FROM questions").fetchall())
        assert set(dates.values()) == {before[0][-1]}
        assert study_new(new, ana, clock + timedelta(hours=1), 2) == ["swap-year/1", "boycott/1"]


def review_easy(store: Store, student: int, card: str, at: datetime) -> None:
    question_id, number = card.split("/")
    store.record_answer(
        student,
        CardKey("reading", question_id, int(number)),
        token=f"{card}@{at.isoformat()}",
        answer="x",
        correct=True,
        rating=4,
        duration_ms=900,
        now=at,
    )


def next_due(store: Store, student: int, at: datetime) -> str:
    ref = store.next_card(student, at, new_per_day=0, learn_ahead=timedelta(0))
    assert ref is not None and ref.kind == "review"
    return f"{ref.key.question_id}/{ref.key.number}"


def test_a_due_cloze_gap_waits_behind_other_due_cards_after_its_sibling(
    store: Store, clock: datetime
) -> None:
    """Both gaps of ``deployed`` fall due together; the feedback of the first shows the sentence
    that answers the second, so the second goes after the other due cards of the day (as Anki
    buries siblings), though it is more overdue than they are, and is still shown today."""
    ana = store.create_user("ana", "h", now=clock).id
    for i, card in enumerate(["deployed/1", "deployed/2", "xiamen/1"]):  # due in this order
        review_easy(store, ana, card, clock + timedelta(seconds=i))
    later = clock + timedelta(days=200)
    assert next_due(store, ana, later) == "deployed/1"
    review_easy(store, ana, "deployed/1", later)
    assert next_due(store, ana, later + timedelta(minutes=1)) == "xiamen/1"
    review_easy(store, ana, "xiamen/1", later + timedelta(minutes=1))
    assert next_due(store, ana, later + timedelta(minutes=2)) == "deployed/2"  # apart, not away


def test_a_due_card_waits_behind_others_when_its_paragraph_was_shown_today(
    store: Store, clock: datetime
) -> None:
    """``swap-size`` answered showed paragraph 0, which answers ``swap-year``; the most overdue
    card on another paragraph comes first. The next day, most overdue first again."""
    ana = store.create_user("ana", "h", now=clock).id
    for i, card in enumerate(["swap-year/1", "boycott/1", "swap-size/1"]):
        review_easy(store, ana, card, clock + timedelta(seconds=i))
    later = clock + timedelta(days=200)
    review_easy(store, ana, "swap-size/1", later)
    assert next_due(store, ana, later + timedelta(minutes=1)) == "boycott/1"
    assert next_due(store, ana, later + timedelta(days=1)) == "swap-year/1"
