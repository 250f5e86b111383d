"""A card whose answer another card just showed goes after the cards not so shown.

The feedback shows a question's answer, its explanation and the sentences around its passage.
In a short reading those often answer a later card ("support fell to 19 percent" explains one
card and is the next one's gap), whatever paragraph that card quotes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from studyapp import migrations
from studyapp.banks import load_bank
from studyapp.model import Bank
from studyapp.reveals import recalled, reveals, shown
from studyapp.store import Store, migrate

from .test_store import EXACT, shipped_until, sync_as_0001_did
from .test_store_paragraphs import review_easy, study_new

REPO = Path(__file__).resolve().parents[1]

DOCUMENT = """\
---
title: Four Paragraphs
---
THAAD was deployed in 2017. It hurt relations badly.

Public support for China fell to 19 percent. That was a record low.

A petition drew 760,000 signatures. It asked for a ban on Chinese visitors.

The band BTS was named in a dispute. Its members spoke of shared suffering.
"""

# File order: the first question's explanation holds the second's answer.
QUESTIONS = """\
- id: thaad-outcome
  type: answer
  prompt: What did THAAD do to relations?
  answer: hurt them badly
  quote: It hurt relations badly.
  explain: After it, public support for China fell to 19 percent.
- id: support-drop
  type: cloze
  text: Public support for China fell to {{c1::19 percent}}.
  quote: Public support for China fell to 19 percent.
- id: petition-size
  type: answer
  prompt: How many signed the petition?
  answer: "760,000"
  quote: A petition drew 760,000 signatures.
- id: bts-name
  type: choice
  prompt: Which band was named in a dispute?
  answer: BTS
  distractors: [EXO, Blackpink]
  quote: The band BTS was named in a dispute.
- id: bts-draft
  type: answer
  prompt: Which band spoke of suffering?
  answer: BTS
  quote: Its members spoke of shared suffering.
  draft: true
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


def test_a_card_reveals_what_its_feedback_shows(reading: Bank) -> None:
    pairs = set(reveals(reading))
    assert (("thaad-outcome", 1), ("support-drop", 1)) in pairs  # by its explanation
    # The draft reveals nothing and is never kept apart: it is never shown.
    assert not [p for p in pairs if "bts-draft" in (p[0][0], p[1][0])]
    assert (("bts-name", 1), ("thaad-outcome", 1)) not in pairs
    # A card never reveals itself: answering it is the point.
    assert all(a != b for a, b in pairs)


def test_an_answer_is_found_as_whole_words_ignoring_case_and_punctuation(reading: Bank) -> None:
    q = reading.question("support-drop")
    assert q is not None
    assert recalled(q, 1) == ("19 percent",)
    text = shown(reading, reading.question("thaad-outcome"))  # type: ignore[arg-type]
    assert "19 percent" in text
    bts = reading.question("bts-name")
    assert bts is not None and recalled(bts, 1) == ("BTS",)
    # "BTS" is in no other live question's text (the draft is left out), so nothing reveals it.
    assert not [a for a, b in reveals(reading) if b == ("bts-name", 1)]


def test_a_cloze_gap_reveals_its_siblings(make_bank) -> None:
    """The feedback fills every gap of a cloze, so its cards reveal each other."""
    bank = load_bank(
        make_bank(
            "- id: deployed\n  type: cloze\n"
            "  text: THAAD was deployed in {{c1::2017}}. It hurt relations {{c2::badly}}.\n"
            "  quote: THAAD was deployed in 2017.\n",
            name="cloze",
            document=DOCUMENT,
        )
    ).bank
    assert bank is not None
    assert set(reveals(bank)) == {
        (("deployed", 1), ("deployed", 2)),
        (("deployed", 2), ("deployed", 1)),
    }


def test_a_word_inside_another_word_is_no_reveal(make_bank) -> None:
    bank = load_bank(
        make_bank(
            "- id: a\n  type: answer\n  prompt: What was deployed?\n  answer: THAAD\n"
            "  quote: THAAD was deployed in 2017.\n"
            "- id: b\n  type: answer\n  prompt: How many years after 201?\n  answer: '7'\n"
            "  quote: It hurt relations badly.\n",
            name="words",
            document=DOCUMENT,
        )
    ).bank
    assert bank is not None
    # "7" is in "2017" only as part of a word: card a's feedback does not answer card b.
    assert (("a", 1), ("b", 1)) not in set(reveals(bank))


def test_the_revealed_card_goes_after_the_others(store: Store, clock: datetime) -> None:
    """Plain file order, and going round the paragraphs, would both show support-drop second,
    straight after the explanation that gives its gap away."""
    ana = store.create_user("ana", "h", now=clock).id
    assert study_new(store, ana, clock, 4) == [
        "thaad-outcome/1",
        "petition-size/1",
        "bts-name/1",
        "support-drop/1",
    ]


def test_a_reveal_lasts_the_study_day(store: Store, clock: datetime) -> None:
    """As with a paragraph: yesterday's feedback is no giveaway."""
    ana = store.create_user("ana", "h", now=clock).id
    assert study_new(store, ana, clock, 1) == ["thaad-outcome/1"]
    assert study_new(store, ana, clock + timedelta(days=1), 1) == ["support-drop/1"]


def test_a_due_card_just_revealed_waits_for_the_other_due_cards(
    store: Store, clock: datetime
) -> None:
    ana = store.create_user("ana", "h", now=clock).id
    for i, card in enumerate(["support-drop/1", "bts-name/1", "thaad-outcome/1"]):
        review_easy(store, ana, card, clock + timedelta(seconds=i))  # due in this order
    later = clock + timedelta(days=30)  # all three due; support-drop the most overdue
    ref = store.next_card(ana, later, learn_ahead=timedelta(0))
    assert ref is not None and ref.key.question_id == "support-drop"
    # Reviewing thaad-outcome first shows "19 percent": support-drop now goes last.
    review_easy(store, ana, "thaad-outcome/1", later)
    ref = store.next_card(ana, later + timedelta(minutes=1), learn_ahead=timedelta(0))
    assert ref is not None and ref.key.question_id == "bts-name"


def test_an_edit_that_removes_the_reveal_removes_the_spacing(
    store: Store, reading: Bank, make_bank, clock: datetime
) -> None:
    edited = load_bank(
        make_bank(
            QUESTIONS.replace("fell to 19 percent.\n", "fell sharply.\n", 1),
            name="reading",
            document=DOCUMENT,
        )
    ).bank
    assert edited is not None
    assert store.sync_bank(edited, clock).changed
    ana = store.create_user("ana", "h", now=clock).id
    assert study_new(store, ana, clock, 2) == ["thaad-outcome/1", "support-drop/1"]


def test_0008_records_the_reveals_of_an_existing_database_at_the_next_load(
    tmp_path: Path, reading: Bank, clock: datetime
) -> None:
    """A database from before 0008 has no reveals and unchanged banks: without the cleared
    digest the next load would skip them and nothing would be kept apart."""
    path = tmp_path / "old.sqlite3"
    with Store.open(path, scheduler=EXACT) as old:
        migrations.apply(old.db, shipped_until("0007_claim_seen"))
        sync_as_0001_did(old, reading, clock)
        ana = old.create_user("ana", "h", now=clock).id
        review_easy(old, ana, "petition-size/1", clock)
        log = [tuple(r) for r in old.conn.execute("SELECT * FROM review_log")]
    with Store.open(path, scheduler=EXACT) as new:
        assert migrations.apply(new.db) == ["0008_card_reveals"]
        assert new.db["card_reveals"].count == 0
        report = new.sync_bank(reading, clock + timedelta(hours=1))
        assert report.changed and not (report.added or report.edited or report.cards_added)
        assert new.db["card_reveals"].count == len(set(reveals(reading)))
        assert [tuple(r) for r in new.conn.execute("SELECT * FROM review_log")] == log
        later = clock + timedelta(hours=1)
        assert study_new(new, ana, later, 2) == ["thaad-outcome/1", "bts-name/1"]


def test_the_shipped_short_reading_never_answers_the_next_new_card(tmp_path: Path) -> None:
    """What a student met in Bartlett's reading (three paragraphs): thaad-outcome's feedback
    gave the next card's "19 percent", petition-size's the next two cards' answers."""
    bank = load_bank(REPO / "questions" / "thaad-and-biden.yaml").bank
    assert bank is not None
    pairs = set(reveals(bank))
    assert (("thaad-outcome", 1), ("support-drop", 1)) in pairs
    assert (("petition-size", 1), ("petition-demand", 1)) in pairs
    clock = datetime.fromisoformat("2026-03-02T09:00:00+00:00")
    path = tmp_path / "study.sqlite3"
    migrate(path)
    with Store.open(path, scheduler=EXACT) as store:
        store.sync_bank(bank, clock)
        ana = store.create_user("ana", "h", now=clock).id
        cards = sum(len(q.card_numbers) for q in bank.live_questions)
        order = study_new(store, ana, clock, min(cards, 20))  # the day's new-card limit
    keys = [(q, int(n)) for q, n in (c.split("/") for c in order)]
    assert [(a, b) for a, b in pairwise(keys) if (a, b) in pairs] == []


def test_the_card_keys_of_reveals_exist(store: Store, reading: Bank) -> None:
    """Every row names two cards of the bank, by id."""
    rows = store.conn.execute(
        "SELECT a.question_id, a.number, b.question_id, b.number FROM card_reveals x"
        " JOIN cards a ON a.id = x.card_id JOIN cards b ON b.id = x.reveals_card_id"
    ).fetchall()
    assert {((r[0], r[1]), (r[2], r[3])) for r in rows} == set(reveals(reading))


def test_a_multi_card_is_revealed_only_by_all_its_right_options(make_bank) -> None:
    """One right option in another card's text leaves the rest to recall: no giveaway."""
    questions = (
        "- id: members\n  type: multi\n  prompt: Who signed?\n  answers: [THAAD, BTS]\n"
        "  distractors: [EXO]\n  quote: THAAD was deployed in 2017.\n"
        "- id: one\n  type: answer\n  prompt: Which band?\n  answer: The band\n"
        "  explain: BTS was named.\n  quote: The band BTS was named in a dispute.\n"
        "- id: both\n  type: answer\n  prompt: When?\n  answer: '2017'\n"
        "  explain: THAAD came to us, and BTS was named.\n  quote: THAAD was deployed in 2017.\n"
        "- id: us\n  type: answer\n  prompt: Who?\n  answer: U.S.\n"
        "  quote: It hurt relations badly.\n"
    )
    bank = load_bank(make_bank(questions, name="multi", document=DOCUMENT)).bank
    assert bank is not None
    revealing = {a for a, b in reveals(bank) if b == ("members", 1)}
    assert revealing == {("both", 1)}
    # "U.S." folds to "us", a word of many texts: too short to say anything was given away.
    assert not [a for a, b in reveals(bank) if b == ("us", 1)]
