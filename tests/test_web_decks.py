"""Deck downloads of the shipped banks, read back (zip -> SQLite collection) against the banks
in service."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile

import genanki

from .conftest import sign_up


def read_notes(data: bytes) -> tuple[dict[str, dict], list[str]]:
    """The package's notes by guid, and its deck names."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        collection = z.read("collection.anki2")
    db = sqlite3.connect(":memory:")
    db.deserialize(collection)
    db.row_factory = sqlite3.Row
    notes = {r["guid"]: dict(r) for r in db.execute("SELECT guid, mod, flds FROM notes")}
    decks = json.loads(db.execute("SELECT decks FROM col").fetchone()[0])
    db.close()
    return notes, sorted(d["name"] for d in decks.values())


def live_guids(banks) -> set[str]:
    return {genanki.guid_for(b.id, q.id) for b in banks for q in b.live_questions}


def test_course_deck_holds_every_live_question_in_service(app, as_student):
    banks = list(app.extensions["studyapp"].registry.snapshot.banks.values())
    response = as_student.get("/decks/course.apkg")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=china-south-korea-relations.apkg"
    )
    notes, decks = read_notes(response.data)
    assert set(notes) == live_guids(banks)
    assert len(notes) == sum(len(b.live_questions) for b in banks)
    course = app.config["COURSE_TITLE"]
    assert decks == sorted(["Default", course, *(f"{course}::{b.title}" for b in banks)])
    # Each note names its question, as the exporter writes it.
    for b in banks:
        for q in b.live_questions:
            assert notes[genanki.guid_for(b.id, q.id)]["flds"].endswith(f"\x1f{b.id}/{q.id}")


def test_reading_deck_holds_that_reading_only(app, as_student):
    bank = app.extensions["studyapp"].registry.snapshot.bank("dance-with-both")
    response = as_student.get("/decks/reading/dance-with-both.apkg")
    assert response.status_code == 200
    assert "filename=dance-with-both.apkg" in response.headers["Content-Disposition"]
    notes, decks = read_notes(response.data)
    assert set(notes) == live_guids([bank])
    assert f"{app.config['COURSE_TITLE']}::{bank.title}" in decks


def test_unknown_reading_has_no_deck(as_student):
    assert as_student.get("/decks/reading/no-such.apkg").status_code == 404


def test_decks_need_sign_in(client):
    response = client.get("/decks/course.apkg")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_home_and_reading_pages_offer_the_decks(client):
    sign_up(client, "ann")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/decks/course.apkg"' in home
    assert 'href="/decks/reading/thaad-and-biden.apkg"' in home
    reading = client.get("/reading/thaad-and-biden").get_data(as_text=True)
    assert 'href="/decks/reading/thaad-and-biden.apkg"' in reading
