"""Deck downloads are cached until a bank changes, and a rebuilt deck updates what changed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import genanki
import pytest

from .test_web_decks import read_notes

BANK = """\
- id: thaad-year
  type: choice
  prompt: When was THAAD deployed in South Korea?
  answer: "2017"
  distractors: ["2015", "2019"]
  quote: was deployed in South Korea in 2017
- id: support-rose
  type: truefalse
  prompt: Support for closer ties with China rose.
  answer: false
  quote: Support for closer ties with China fell by 19 percent.
- id: unfinished
  type: truefalse
  prompt: A draft.
  answer: true
  quote: Suh Hoon met Jake Sullivan in Annapolis.
  draft: true
"""


@pytest.fixture
def app_config(app_config: dict, make_bank, tmp_path: Path) -> dict:
    make_bank(BANK)
    return app_config | {"QUESTIONS": str(tmp_path / "questions")}


def deck_files(app) -> list[str]:
    return sorted(p.name for p in (Path(app.instance_path) / "decks").glob("*.apkg"))


def test_deck_is_built_once_and_served_until_a_bank_changes(app, as_student, make_bank):
    first = as_student.get("/decks/reading/sample.apkg")
    etag = first.headers["ETag"]
    files = deck_files(app)
    again = as_student.get("/decks/reading/sample.apkg")
    assert again.data == first.data and again.headers["ETag"] == etag
    assert deck_files(app) == files
    assert (
        as_student.get("/decks/reading/sample.apkg", headers={"If-None-Match": etag}).status_code
        == 304
    )
    before, _ = read_notes(first.data)
    assert set(before) == {genanki.guid_for("sample", q) for q in ("thaad-year", "support-rose")}

    # An instructor edits one question and adds another (the file is newer, as after an edit).
    time.sleep(0.01)
    path = make_bank(
        BANK.replace("Support for closer ties with China rose.", "Support for China rose.")
        + """\
- id: support-drop
  type: answer
  prompt: By how much did support fall?
  answer: 19 percent
  quote: fell by 19 percent
"""
    )
    later = time.time() + 5
    os.utime(path, (later, later))
    changed = as_student.get("/decks/reading/sample.apkg")
    assert changed.headers["ETag"] != etag
    after, _ = read_notes(changed.data)
    guid = {
        q: genanki.guid_for("sample", q) for q in ("thaad-year", "support-rose", "support-drop")
    }
    assert set(after) == set(guid.values())
    # Re-importing updates only what changed: the unchanged note keeps its time, the edited
    # one is newer (Anki updates a note only when the incoming one is newer).
    assert after[guid["thaad-year"]]["mod"] == before[guid["thaad-year"]]["mod"]
    assert after[guid["support-rose"]]["mod"] > before[guid["support-rose"]]["mod"]
    # The old package made way for the new one.
    assert len(deck_files(app)) == len(files)
    assert deck_files(app) != files


def test_course_deck_and_reading_deck_agree_on_note_times(app, as_student, make_bank):
    course_before, _ = read_notes(as_student.get("/decks/course.apkg").data)
    reading_before, _ = read_notes(as_student.get("/decks/reading/sample.apkg").data)
    assert course_before == reading_before
    path = make_bank(BANK.replace("When was THAAD", "In which year was THAAD"))
    later = time.time() + 5
    os.utime(path, (later, later))
    reading_after, _ = read_notes(as_student.get("/decks/reading/sample.apkg").data)
    course_after, _ = read_notes(as_student.get("/decks/course.apkg").data)
    assert {g: n["mod"] for g, n in course_after.items()} == {
        g: n["mod"] for g, n in reading_after.items()
    }


def test_drafts_stay_out_of_the_deck(as_student):
    notes, _ = read_notes(as_student.get("/decks/course.apkg").data)
    assert genanki.guid_for("sample", "unfinished") not in notes and len(notes) == 2
