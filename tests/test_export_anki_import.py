"""Anki export proved with Anki itself: the ``anki`` package imports our packages into a fresh
collection, as a student's Anki does with File > Import (update notes: if newer)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import genanki
import pytest
from anki.collection import Collection
from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

from studyapp.banks import bank_paths, load_bank
from studyapp.export import anki

from .test_export_anki import ADDED, BANK, COURSE, LIVE, load

_STYLE = re.compile(r"<style>.*?</style>", re.DOTALL)
_INLINE = re.compile(r"</?(?:span|cite|b|i)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    """A student's fresh, empty collection."""
    folder = tmp_path / "student"
    folder.mkdir()
    collection = Collection(str(folder / "collection.anki2"))
    yield collection
    collection.close()


def import_package(col: Collection, path: Path):
    """Import as Anki's dialog does by default: notes and note types updated only if newer."""
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def visible(html: str) -> str:
    """The text a student sees: no CSS, no tags."""
    return " ".join(_TAG.sub(" ", _INLINE.sub("", _STYLE.sub("", html))).split())


def note_id(col: Collection, bank_id: str, qid: str) -> int:
    guid = genanki.guid_for(bank_id, qid)
    return col.db.scalar("SELECT id FROM notes WHERE guid = ?", guid)


def assert_every_card_renders(col: Collection) -> None:
    assert not col.get_empty_cards().notes, "Anki reports empty cards"
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        front, back = visible(card.question()), visible(card.answer())
        assert front, f"blank front: {card.note().fields}"
        if card.note_type()["type"] == 1:  # cloze: the front hides the card's own deletions
            assert 'class="cloze" data-cloze=' in card.question()
            assert "data-cloze=" not in card.answer() and len(back) > len(front)
        else:
            assert back.startswith(front[:20]) and len(back) > len(front)


def test_every_note_and_card_arrives_and_renders(make_bank, col, tmp_path):
    bank = load(make_bank(BANK))
    path = anki.write_decks([bank], tmp_path / "export", course_title=COURSE)[-1]
    log = import_package(col, path)
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (len(LIVE), 0, 0)
    assert col.note_count() == len(LIVE)
    assert col.card_count() == sum(len(q.card_numbers) for q in bank.live_questions)
    assert f"{COURSE}::A Sample Reading" in [d.name for d in col.decks.all_names_and_ids()]
    assert_every_card_renders(col)

    choice = col.get_note(note_id(col, "sample", "thaad-year"))
    assert choice.note_type()["name"] == "studyapp Choice v1"
    assert choice.tags == ["dates", "sample", "thaad"]
    card = choice.cards()[0]
    assert "<li>&lt;b&gt;never&lt;/b&gt;</li>" in card.question()
    assert "Choose one." in visible(card.question())
    back = card.answer()
    assert "A Sample Reading" in visible(back) and "2021-02-02" in visible(back)
    assert "was deployed in South Korea in 2017" in visible(back)

    cloze = col.get_note(note_id(col, "sample", "thaad-name")).cards()
    first, second = sorted(cloze, key=lambda c: c.ord)
    assert visible(first.question()) == "[...] [...] was deployed in 2017."
    assert (
        visible(second.question()) == "Terminal High Altitude Area Defense was deployed in [...]."
    )
    assert "THAAD is the Terminal" in visible(second.answer())

    typed = col.get_note(note_id(col, "sample", "support-drop")).cards()[0]
    assert "[[type:Answer]]" in typed.question()
    assert "Also accepted: 19%; nineteen percent" in visible(typed.answer())


def test_new_cards_are_studied_in_bank_order(make_bank, col, tmp_path):
    bank = load(make_bank(BANK))
    import_package(col, anki.write_decks([bank], tmp_path / "export", course_title=COURSE)[0])
    col.decks.select(col.decks.id_for_name(f"{COURSE}::A Sample Reading"))
    queued = col.sched.get_queued_cards(fetch_limit=20).cards
    firsts: list[int] = []
    for q in queued:
        if q.card.note_id not in firsts:
            firsts.append(q.card.note_id)
    assert firsts == [note_id(col, "sample", qid) for qid in LIVE]


def test_reimport_updates_the_edited_note_adds_the_new_one_and_keeps_reviews(
    make_bank, col, tmp_path
):
    path = make_bank(BANK)
    os.utime(path, (1_700_000_000, 1_700_000_000))
    os.utime(path.with_suffix(".txt"), (1_600_000_000, 1_600_000_000))
    out = tmp_path / "export"
    import_package(col, anki.write_decks([load(path)], out, course_title=COURSE)[-1])

    edited_id = note_id(col, "sample", "xiamen")
    card = col.get_note(edited_id).cards()[0]
    card.start_timer()
    col.sched.answerCard(card, 3)
    card.load()
    reviewed = (card.id, card.type, card.queue, card.due, card.ivl)
    assert card.type != 0
    assert col.db.scalar("SELECT count() FROM revlog WHERE cid = ?", card.id) == 1

    text = path.read_text(encoding="utf-8").replace(
        "Wang Yi\n", "Wang Yi, China's foreign minister\n"
    )
    path.write_text(text + "  " + ADDED.replace("\n", "\n  ").rstrip() + "\n", encoding="utf-8")
    os.utime(path, (1_700_086_400, 1_700_086_400))
    log = import_package(col, anki.write_decks([load(path)], out, course_title=COURSE)[-1])

    assert [n.fields[0] for n in log.updated] == ["Whom did Chung Eui-yong meet in Xiamen?"]
    assert [n.fields[0] for n in log.new] == ["Whom did Suh Hoon meet in Annapolis?"]
    assert len(log.duplicate) == len(LIVE) - 1
    assert not log.conflicting
    assert col.note_count() == len(LIVE) + 1
    note = col.get_note(edited_id)
    assert note["Answer"] == "Wang Yi, China's foreign minister"
    card = note.cards()[0]
    assert (card.id, card.type, card.queue, card.due, card.ivl) == reviewed
    assert col.db.scalar("SELECT count() FROM revlog WHERE cid = ?", card.id) == 1
    assert col.find_notes("tag:sample") and len(col.find_notes("tag:sample")) == len(LIVE) + 1
    assert_every_card_renders(col)


def test_importing_the_same_export_again_changes_nothing(make_bank, col, tmp_path):
    bank = load(make_bank(BANK))
    out = tmp_path / "export"
    import_package(col, anki.write_decks([bank], out, course_title=COURSE)[-1])
    before = col.db.all("SELECT id, guid, mod, flds, tags FROM notes ORDER BY id")
    log = import_package(col, anki.write_decks([bank], out, course_title=COURSE)[-1])
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 0, len(LIVE))
    assert col.db.all("SELECT id, guid, mod, flds, tags FROM notes ORDER BY id") == before


def test_a_reading_package_then_the_course_package_share_notes_and_decks(make_bank, col, tmp_path):
    bank = load(make_bank(BANK))
    reading, course = anki.write_decks([bank], tmp_path / "export", course_title=COURSE)
    import_package(col, reading)
    decks = sorted(d.name for d in col.decks.all_names_and_ids())
    log = import_package(col, course)
    assert (len(log.new), len(log.updated)) == (0, 0)
    assert sorted(d.name for d in col.decks.all_names_and_ids()) == decks
    assert col.note_count() == len(LIVE)


def test_a_new_model_stamp_updates_the_students_card_styling(make_bank, col, tmp_path, monkeypatch):
    bank = load(make_bank(BANK))
    out = tmp_path / "export"
    stock = len(col.models.all_names_and_ids())
    import_package(col, anki.write_decks([bank], out, course_title=COURSE)[-1])
    restyled = anki.card_css() + "\n.prompt { letter-spacing: 0.01em; }\n"
    monkeypatch.setattr(anki, "card_css", lambda: restyled)
    monkeypatch.setattr(anki, "MODEL_STAMP", anki.MODEL_STAMP + 86_400)
    log = import_package(col, anki.write_decks([bank], out, course_title=COURSE)[-1])
    assert (len(log.new), len(log.updated), len(log.conflicting)) == (0, 0, 0)
    model = col.models.get(anki.NOTE_TYPES["card"].id)
    assert model is not None and model["css"] == restyled
    assert len(col.models.all_names_and_ids()) == stock + len(anki.NOTE_TYPES)


def test_shipped_banks_import_into_anki(shipped_questions, col, tmp_path):
    banks = [b for b in (load_bank(p).bank for p in bank_paths(shipped_questions)) if b]
    assert banks, "no shipped bank loads"
    path = anki.write_decks(banks, tmp_path / "export", course_title=COURSE)[-1]
    log = import_package(col, path)
    notes = sum(len(b.live_questions) for b in banks)
    assert (len(log.new), len(log.conflicting)) == (notes, 0)
    cards = sum(len(q.card_numbers) for b in banks for q in b.live_questions)
    assert col.card_count() == cards
    assert_every_card_renders(col)
