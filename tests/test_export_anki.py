"""Anki export: the packages read back (zip -> SQLite collection) and checked against the banks."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

import genanki
import pytest

from studyapp.banks import bank_paths, load_bank
from studyapp.cli import main
from studyapp.export import anki, anki_notetypes
from studyapp.model import Bank

COURSE = "Test Course"

BANK = """\
- id: thaad-year
  type: choice
  prompt: When was THAAD deployed in South Korea?
  answer: "2017"
  distractors: ["2015", "2019", "<b>never</b>"]
  quote: was deployed in South Korea in 2017
  explain: The reading says 2017 & not before.
  tags: [thaad, dates]
- id: coercion-kinds
  type: multi
  prompt: Which measures did Beijing use?
  answers: [business closures, travel bans]
  distractors: [a naval blockade, an embargo on chips]
  quote: such as business closures and travel bans
  tags: [economy]
- id: support-rose
  type: truefalse
  prompt: Support for closer ties with China rose.
  answer: false
  quote: Support for closer ties with China fell by 19 percent.
- id: thaad-name
  type: cloze
  text: "{{c1::Terminal High Altitude}} {{c1::Area Defense}} was deployed in {{c2::2017}}."
  quote: The Terminal High Altitude Area Defense (THAAD) system was deployed in South Korea in 2017.
  explain: THAAD is the Terminal High Altitude Area Defense system.
- id: support-drop
  type: answer
  prompt: By how much did support fall?
  answer: 19 percent
  accept: ["19%", nineteen percent]
  quote: fell by 19 percent
  tags: [public opinion]
- id: xiamen
  type: card
  prompt: Whom did Chung Eui-yong meet in Xiamen?
  answer: Wang Yi
  quote: Chung Eui-yong met Wang Yi in Xiamen.
- id: unfinished
  type: card
  prompt: A question still being written
  answer: Not yet
  quote: Suh Hoon met Jake Sullivan in Annapolis.
  draft: true
"""

LIVE = ["thaad-year", "coercion-kinds", "support-rose", "thaad-name", "support-drop", "xiamen"]


@dataclass
class Apkg:
    """What a package holds, read back with plain SQLite."""

    decks: dict[str, dict]  # by name
    models: dict[int, dict]  # by id
    notes: dict[str, dict]  # by guid, in insertion order
    cards: list[dict]


def read_apkg(source: Path | bytes) -> Apkg:
    raw = source if isinstance(source, bytes) else source.read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        assert sorted(z.namelist()) == ["collection.anki2", "media"]
        assert json.loads(z.read("media")) == {}
        data = z.read("collection.anki2")
    db = sqlite3.connect(":memory:")
    db.deserialize(data)
    db.row_factory = sqlite3.Row
    col = db.execute("SELECT decks, models FROM col").fetchone()
    decks = {d["name"]: d for d in json.loads(col["decks"]).values()}
    models = {int(m["id"]): m for m in json.loads(col["models"]).values()}
    notes = {
        r["guid"]: dict(r)
        for r in db.execute("SELECT id, guid, mid, mod, flds, tags FROM notes ORDER BY id")
    }
    cards = [dict(r) for r in db.execute("SELECT nid, did, ord, due, queue FROM cards ORDER BY id")]
    db.close()
    return Apkg(decks, models, notes, cards)


def fields_of(pkg: Apkg, note: dict) -> dict[str, str]:
    names = [f["name"] for f in pkg.models[note["mid"]]["flds"]]
    return dict(zip(names, note["flds"].split("\x1f"), strict=True))


def note_for(pkg: Apkg, qid: str, bank_id: str = "sample") -> dict:
    return pkg.notes[genanki.guid_for(bank_id, qid)]


def load(path: Path) -> Bank:
    result = load_bank(path)
    assert result.bank is not None, result.problems
    return result.bank


@pytest.fixture
def bank(make_bank) -> Bank:
    return load(make_bank(BANK))


@pytest.fixture
def pkg(bank: Bank) -> Apkg:
    return read_apkg(anki.package_bytes(anki.build_package([bank], course_title=COURSE)))


def test_one_note_per_live_question_with_guids_from_bank_and_question_ids(pkg):
    assert list(pkg.notes) == [genanki.guid_for("sample", qid) for qid in LIVE]


def test_drafts_are_not_exported(pkg):
    assert genanki.guid_for("sample", "unfinished") not in pkg.notes
    assert not any("still being written" in n["flds"] for n in pkg.notes.values())


def test_each_question_type_has_its_own_note_type(pkg):
    for qid, qtype in zip(LIVE, anki.NOTE_TYPES, strict=True):
        note = note_for(pkg, qid)
        model = pkg.models[note["mid"]]
        expected = anki.NOTE_TYPES[qtype]
        assert note["mid"] == expected.id
        assert model["name"] == expected.name
        assert [f["name"] for f in model["flds"]] == list(expected.fields)
        assert model["type"] == (1 if qtype == "cloze" else 0)
        assert model["mod"] == anki.MODEL_STAMP
    names = {m["name"] for m in pkg.models.values()}
    assert not names & {"Basic", "Cloze", "Basic (type in the answer)"}


def test_note_type_ids_names_and_fields_never_change():
    # Students' collections hold these: a change here makes every later import conflict.
    # Never edit this table; add a new note type (new id, "v2" name) instead.
    tail = ("Explanation", "Passage", "Source", "Question ID")
    shipped = {
        k: (nt.id, nt.name, nt.fields, nt.model("").templates[0]["name"])
        for k, nt in anki_notetypes.NOTE_TYPES.items()
    }
    assert shipped == {
        "choice": (
            1852528701,
            "studyapp Choice v1",
            ("Question", "Choices", "Answer", *tail),
            "Card",
        ),
        "multi": (
            1663242645,
            "studyapp Multi v1",
            ("Question", "Choices", "Answer", *tail),
            "Card",
        ),
        "truefalse": (1700614828, "studyapp True/False v1", ("Question", "Answer", *tail), "Card"),
        "cloze": (1671015450, "studyapp Cloze v1", ("Text", *tail), "Cloze"),
        "answer": (
            1381865461,
            "studyapp Answer v1",
            ("Question", "Answer", "Accepted", *tail),
            "Card",
        ),
        "card": (1476174207, "studyapp Card v1", ("Question", "Answer", *tail), "Card"),
    }


def test_a_template_or_css_change_comes_with_a_new_model_stamp():
    # Anki updates a student's note type only when MODEL_STAMP grew. After changing a template
    # or anki.css: set MODEL_STAMP to the current time, then paste the new digest here.
    assert (anki_notetypes.MODEL_STAMP, anki_notetypes.model_digest()) == (
        1795382400,
        "4f0208ff8b8fed00",
    )


def test_fields_hold_escaped_bank_text(pkg):
    fields = fields_of(pkg, note_for(pkg, "thaad-year"))
    assert "<li>&lt;b&gt;never&lt;/b&gt;</li>" in fields["Choices"]
    assert fields["Explanation"] == "The reading says 2017 &amp; not before."
    assert fields["Passage"] == "was deployed in South Korea in 2017"
    assert fields["Source"] == (
        "<cite>A Sample Reading</cite>, Test Author, Test Outlet, 2021-02-02"
    )
    assert fields["Question ID"] == "sample/thaad-year"


def test_choice_back_marks_the_right_options_and_names_their_letters(pkg):
    fields = fields_of(pkg, note_for(pkg, "coercion-kinds"))
    items = fields["Choices"].removeprefix('<ol class="choices" type="A">').split("</li>")[:-1]
    assert len(items) == 4
    marked = [(chr(ord("A") + i), item.split(">", 1)[1]) for i, item in enumerate(items)]
    right = [
        (letter, text)
        for (letter, text), item in zip(marked, items, strict=True)
        if item.startswith('<li class="correct">')
    ]
    assert sorted(text for _, text in right) == ["business closures", "travel bans"]
    assert fields["Answer"] == "<br>".join(f"{letter}. {text}" for letter, text in right)


def test_right_option_is_not_always_first(shipped_questions):
    letters = []
    for path in bank_paths(shipped_questions):
        bank = load_bank(path).bank
        for q in bank.live_questions if bank else ():
            if q.type == "choice":
                letters.append(anki.note_fields(bank, q)[2][0])
    assert len(set(letters)) >= 3


def test_truefalse_answer_and_type_in_answer_fields(pkg):
    assert fields_of(pkg, note_for(pkg, "support-rose"))["Answer"] == "False"
    fields = fields_of(pkg, note_for(pkg, "support-drop"))
    assert fields["Answer"] == "19 percent"
    assert fields["Accepted"] == "19%; nineteen percent"
    assert "{{type:Answer}}" in anki.NOTE_TYPES["answer"].front


def test_cloze_numbers_are_card_ordinals(pkg):
    note = note_for(pkg, "thaad-name")
    assert sorted(c["ord"] for c in pkg.cards if c["nid"] == note["id"]) == [0, 1]
    assert fields_of(pkg, note)["Text"].startswith("{{c1::Terminal High Altitude}}")


def test_every_other_note_has_one_card(pkg):
    for qid in LIVE:
        if qid != "thaad-name":
            nid = note_for(pkg, qid)["id"]
            assert [c["ord"] for c in pkg.cards if c["nid"] == nid] == [0]


def test_tags_are_the_bank_id_and_the_question_tags(pkg):
    assert note_for(pkg, "thaad-year")["tags"].split() == ["sample", "thaad", "dates"]
    assert note_for(pkg, "support-drop")["tags"].split() == ["sample", "public_opinion"]
    assert note_for(pkg, "xiamen")["tags"].split() == ["sample"]


def test_decks_are_subdecks_of_the_course_with_ids_from_the_bank_id(bank, make_bank, pkg):
    deck = pkg.decks[f"{COURSE}::A Sample Reading"]
    assert COURSE in pkg.decks
    assert {c["did"] for c in pkg.cards} == {deck["id"]}
    renamed = load(make_bank(BANK.replace("A Sample", "x"), name="other"))
    other = read_apkg(anki.package_bytes(anki.build_package([renamed], course_title="Else")))
    assert {d["id"] for n, d in other.decks.items() if "::" in n} != {deck["id"]}
    again = read_apkg(anki.package_bytes(anki.build_package([bank], course_title="Renamed")))
    assert again.decks["Renamed::A Sample Reading"]["id"] == deck["id"]


def test_without_a_course_the_deck_is_the_reading_title(bank):
    pkg = read_apkg(anki.package_bytes(anki.build_package([bank])))
    assert [n for n in pkg.decks if n != "Default"] == ["A Sample Reading"]


def test_new_cards_come_in_bank_order(pkg):
    order = {n["id"]: i for i, n in enumerate(pkg.notes.values())}
    dues = [(order[c["nid"]], c["due"]) for c in pkg.cards]
    assert [d for _, d in sorted(dues)] == sorted(d for _, d in dues)
    assert all(c["queue"] == 0 for c in pkg.cards)


def test_same_banks_exported_twice_give_identical_packages(bank, tmp_path):
    first = anki.write_decks([bank], tmp_path / "a", course_title=COURSE)
    second = anki.write_decks([bank], tmp_path / "b", course_title=COURSE)
    again = anki.write_decks([bank], tmp_path / "a", course_title=COURSE)
    assert [p.name for p in first] == ["sample.apkg", "test-course.apkg"]
    for a, b, c in zip(first, second, again, strict=True):
        assert a.read_bytes() == b.read_bytes() == c.read_bytes()


def test_note_time_is_when_the_bank_or_its_document_last_changed(bank):
    os.utime(bank.path, (1_700_000_000, 1_700_000_000))
    os.utime(bank.document.path, (1_700_000_500, 1_700_000_500))
    pkg = read_apkg(anki.package_bytes(anki.build_package([bank])))
    assert {n["mod"] for n in pkg.notes.values()} == {1_700_000_500}


def _edit(path: Path, old: str, new: str, mtime: int) -> Bank:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return load(path)


ADDED = """\
- id: annapolis
  type: card
  prompt: Whom did Suh Hoon meet in Annapolis?
  answer: Jake Sullivan
  quote: Suh Hoon met Jake Sullivan in Annapolis.
"""


def test_re_export_keeps_unchanged_notes_time_and_moves_edited_ones_forward(make_bank, tmp_path):
    path = make_bank(BANK)
    doc = path.with_suffix(".txt")
    os.utime(doc, (1_600_000_000, 1_600_000_000))
    os.utime(path, (1_700_000_000, 1_700_000_000))
    out = tmp_path / "export"
    before = read_apkg(anki.write_decks([load(path)], out, course_title=COURSE)[0])
    bank = _edit(path, "Wang Yi\n", "Wang Yi, China's foreign minister\n", 1_700_086_400)
    with_new = path.read_text(encoding="utf-8") + "  " + ADDED.replace("\n", "\n  ").rstrip()
    path.write_text(with_new + "\n", encoding="utf-8")
    os.utime(path, (1_700_086_400, 1_700_086_400))
    bank = load(path)
    paths = anki.write_decks([bank], out, course_title=COURSE)
    after, course = read_apkg(paths[0]), read_apkg(paths[1])
    for qid in LIVE:
        old, new = note_for(before, qid)["mod"], note_for(after, qid)["mod"]
        assert new == (1_700_086_400 if qid == "xiamen" else old), qid
    assert note_for(after, "annapolis")["mod"] == 1_700_086_400
    assert {g: n["mod"] for g, n in course.notes.items()} == {
        g: n["mod"] for g, n in after.notes.items()
    }


def test_an_edit_in_the_same_second_still_gets_a_newer_time(bank, tmp_path):
    os.utime(bank.path, (1_700_000_000, 1_700_000_000))
    os.utime(bank.document.path, (1_600_000_000, 1_600_000_000))
    out = tmp_path / "export"
    anki.write_decks([bank], out, course_title=COURSE)
    edited = _edit(bank.path, "Wang Yi\n", "Wang Yi, the minister\n", 1_700_000_000)
    pkg = read_apkg(anki.write_decks([edited], out, course_title=COURSE)[0])
    assert note_for(pkg, "xiamen")["mod"] == 1_700_000_001
    assert note_for(pkg, "thaad-year")["mod"] == 1_700_000_000


def test_a_reverted_edit_is_newer_again(bank, tmp_path):
    os.utime(bank.path, (1_700_000_000, 1_700_000_000))
    os.utime(bank.document.path, (1_600_000_000, 1_600_000_000))
    out = tmp_path / "export"
    anki.write_decks([bank], out, course_title=COURSE)
    edited = _edit(bank.path, "Wang Yi\n", "Wang Yi, the minister\n", 1_700_000_100)
    anki.write_decks([edited], out, course_title=COURSE)
    reverted = _edit(bank.path, "Wang Yi, the minister\n", "Wang Yi\n", 1_700_000_050)
    pkg = read_apkg(anki.write_decks([reverted], out, course_title=COURSE)[0])
    assert note_for(pkg, "xiamen")["mod"] == 1_700_000_101


def test_unreadable_earlier_packages_are_replaced(bank, tmp_path):
    out = tmp_path / "export"
    out.mkdir()
    (out / "sample.apkg").write_text("not a package")
    (out / "test-course.apkg").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    paths = anki.write_decks([bank], out, course_title=COURSE)
    assert len(read_apkg(paths[0]).notes) == len(LIVE)
    assert not list(out.glob(".*.tmp"))


def test_write_package_writes_the_same_bytes_to_a_file_object(bank, tmp_path):
    buffer = io.BytesIO()
    anki.write_package([bank], buffer, course_title=COURSE)
    anki.write_package([bank], tmp_path / "one.apkg", course_title=COURSE)
    assert buffer.getvalue() == (tmp_path / "one.apkg").read_bytes()


def test_a_bank_of_drafts_gets_no_package(make_bank, tmp_path):
    drafts = load(make_bank(ADDED.replace("  quote:", "  draft: true\n  quote:"), name="drafts"))
    assert not drafts.live_questions
    assert anki.write_decks([drafts], tmp_path / "out", course_title=COURSE) == []


def test_course_file_name_stays_clear_of_bank_files(bank):
    assert anki.course_filename("China-South Korea Relations", [bank]) == (
        "china-south-korea-relations.apkg"
    )
    assert anki.course_filename("Sample", [bank]) == "sample-course.apkg"


def test_shipped_banks_export_with_every_live_question(shipped_questions, tmp_path):
    banks = [b for b in (load_bank(p).bank for p in bank_paths(shipped_questions)) if b]
    assert banks, "no shipped bank loads"
    paths = anki.write_decks(banks, tmp_path, course_title=COURSE)
    course = read_apkg(paths[-1])
    expected = {genanki.guid_for(b.id, q.id) for b in banks for q in b.live_questions}
    assert set(course.notes) == expected
    for bank, path in zip(banks, paths, strict=False):
        pkg = read_apkg(path)
        assert len(pkg.notes) == len(bank.live_questions)
        assert f"{COURSE}::{bank.title}" in pkg.decks
        for note in pkg.notes.values():
            assert note["tags"].split()[0] == bank.id
            assert all(fields_of(pkg, note)[name] for name in ("Passage", "Source"))


# The command line.


def _run(args: list[str]):
    from click.testing import CliRunner

    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_export_command_writes_each_reading_and_the_course(make_bank, tmp_path, monkeypatch):
    make_bank(BANK)
    make_bank(ADDED, name="second")
    monkeypatch.chdir(tmp_path)
    result = _run(["export", "--questions", "questions"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Wrote 2 reading packages and the course package china-south-korea-relations.apkg "
        "(7 notes, 8 cards) to export/.\n"
    )
    assert sorted(p.name for p in (tmp_path / "export").iterdir()) == [
        "china-south-korea-relations.apkg",
        "sample.apkg",
        "second.apkg",
    ]
    course = read_apkg(tmp_path / "export" / "china-south-korea-relations.apkg")
    assert "China-South Korea Relations::A Sample Reading" in course.decks


def test_export_command_writes_only_the_banks_asked_for(make_bank, tmp_path):
    make_bank(BANK)
    make_bank(ADDED, name="second")
    out = tmp_path / "decks"
    result = _run(
        [
            "export",
            "--questions",
            str(tmp_path / "questions"),
            "--bank",
            "second",
            "--out",
            str(out),
            "--course",
            "Korea",
        ]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Wrote second.apkg (1 notes, 1 cards) to ")
    assert [p.name for p in out.iterdir()] == ["second.apkg"]
    assert "Korea::A Sample Reading" in read_apkg(out / "second.apkg").decks


def test_export_command_names_the_banks_when_an_id_is_unknown(make_bank, tmp_path):
    make_bank(BANK)
    result = _run(
        [
            "export",
            "--questions",
            str(tmp_path / "questions"),
            "--bank",
            "nope",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert result.exit_code == 1
    assert "no bank with id 'nope'" in result.output
    assert "the banks are: sample" in result.output
    assert not (tmp_path / "out").exists()


def test_export_command_prints_problems_and_writes_nothing(make_bank, tmp_path):
    make_bank(BANK)
    make_bank(ADDED.replace("type: card", "type: cards"), name="broken")
    result = _run(
        ["export", "--questions", str(tmp_path / "questions"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert "broken.yaml:6:11: error[unknown-type] question 'annapolis': type 'cards'" in (
        result.output
    )
    assert "help: did you mean 'card'?" in result.output
    assert "nothing was written" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_export_command_still_exports_a_clean_bank_asked_for_by_id(make_bank, tmp_path):
    make_bank(BANK)
    make_bank(ADDED.replace("type: card", "type: cards"), name="broken")
    out = tmp_path / "out"
    result = _run(
        [
            "export",
            "--questions",
            str(tmp_path / "questions"),
            "--bank",
            "sample",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["sample.apkg"]


def test_export_command_has_help_for_every_option():
    result = _run(["export", "--help"])
    assert result.exit_code == 0
    for option in ("--questions", "--bank", "--out", "--course"):
        assert option in result.output
    command = main.commands["export"]
    assert command.help
    assert all(p.help for p in command.params if p.name != "help")


def test_export_command_says_which_banks_it_skipped_for_having_only_drafts(make_bank, tmp_path):
    make_bank(BANK)
    make_bank(ADDED.replace("  quote:", "  draft: true\n  quote:"), name="drafts")
    out = tmp_path / "out"
    result = _run(["export", "--questions", str(tmp_path / "questions"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("; skipped drafts (only drafts).\n")
    assert sorted(p.name for p in out.iterdir()) == [
        "china-south-korea-relations.apkg",
        "sample.apkg",
    ]
