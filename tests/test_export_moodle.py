"""Moodle XML export: the structure Moodle's importer reads, checked with an XML parser, and one
hand-checked file per question type (tests/data/moodle/)."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from studyapp.banks import bank_paths, load_bank, load_banks
from studyapp.cli import main
from studyapp.export import moodle

DATA = Path(__file__).parent / "data" / "moodle"
BANK = """\
- id: year
  type: choice
  prompt: In which year was <THAAD> deployed in South Korea?
  answer: "2017"
  distractors: ["2016", "2018 & later"]
  quote: was deployed in South Korea in 2017
  explain: It was deployed in 2017.
  tags: [thaad, dates]
- id: talks
  type: multi
  prompt: Who met in Xiamen?
  answers: [Chung Eui-yong, Wang Yi]
  distractors: [Jake Sullivan, Suh Hoon, Kim & Lee]
  quote: Chung Eui-yong met Wang Yi in Xiamen.
- id: coercion
  type: truefalse
  prompt: Beijing answered THAAD with economic coercive measures.
  answer: true
  quote: Beijing answered with a barrage of economic coercive measures
- id: fell
  type: answer
  prompt: By how much did support for closer ties with China fall?
  answer: 19 percent
  accept: ["19%", Nineteen percent, nineteen PERCENT*]
  quote: Support for closer ties with China fell by 19 percent.
  explain: "The article: \\"fell by 19 percent\\"."
- id: met
  type: cloze
  text: Chung Eui-yong met {{c1::Wang Yi}} in {{c2::Xiamen::a city}} (not {Seoul}).
  quote: Chung Eui-yong met Wang Yi in Xiamen.
- id: thaad
  type: card
  prompt: What does THAAD stand for?
  answer: Terminal High Altitude Area Defense
  quote: Terminal High Altitude Area Defense
"""
TYPES = {
    "year": "multichoice-single",
    "talks": "multichoice-multi",
    "coercion": "truefalse",
    "fell": "shortanswer",
    "met": "cloze",
}
# Moodle's grade list (question_bank::fraction_options_full), in percent.
MOODLE_GRADES = {round(100 / n, 5) for n in range(1, 11)} | {5.0, 0.0}
MOODLE_GRADES |= {-g for g in MOODLE_GRADES}
FORMATS = {"html", "moodle_auto_format", "plain_text", "markdown"}


@pytest.fixture
def bank(make_bank):
    loaded = load_bank(make_bank(BANK)).bank
    assert loaded is not None
    return loaded


def questions(root: ET.Element) -> dict[str, ET.Element]:
    return {q.findtext("name/text"): q for q in root if q.get("type") != "category"}


def fraction_ok(value: float) -> bool:
    return any(abs(value - g) < 1e-3 for g in MOODLE_GRADES)


def embedded_answers(text: str) -> list[str]:
    """The SHORTANSWER gaps of a cloze question text, unescaped as Moodle's importer does: the
    first answer of each gap, the deletion (``accept`` forms follow it as ``~=form``)."""
    out = []
    for m in re.finditer(r"\{1:SHORTANSWER:=(.*?)(?<!\\)\}", text):
        raw, *others = m.group(1).split("~")
        assert all(o.startswith("=") for o in others), m.group(0)
        # A ~ starts the next answer; an unescaped # would end the answer early in Moodle.
        assert not re.search(r"(?<![\\&])#", m.group(1)), m.group(0)
        answer = html.unescape(raw).replace("\\}", "}").replace("\\#", "#")
        out.append(answer.replace("\\*", "*"))
    return out


def check_structure(root: ET.Element) -> None:
    """What Moodle's XML format documents, element by element (docs.moodle.org: Moodle XML)."""
    assert root.tag == "quiz"
    for q in root:
        assert q.tag == "question"
        kind = q.get("type")
        assert kind in {"category", "multichoice", "truefalse", "shortanswer", "cloze"}
        if kind == "category":
            assert q.findtext("category/text").startswith("$course$/top/")
            continue
        assert q.findtext("name/text")
        for field in ("questiontext", "generalfeedback"):
            assert q.find(field).get("format") in FORMATS and q.find(f"{field}/text") is not None
        if kind != "cloze":  # a cloze question's mark is the sum of its gaps'
            assert float(q.findtext("defaultgrade")) > 0
        assert 0 <= float(q.findtext("penalty")) <= 1
        assert q.findtext("hidden") in ("0", "1")
        answers = [(float(a.get("fraction")), a.findtext("text")) for a in q.findall("answer")]
        assert all(fraction_ok(f) for f, _ in answers)
        if kind == "multichoice":
            assert q.findtext("single") in ("true", "false")
            assert q.findtext("answernumbering") in {"abc", "ABCD", "123", "iii", "IIII", "none"}
            assert len(answers) >= 2
            positive = [f for f, _ in answers if f > 0]
            if q.findtext("single") == "true":
                assert max(positive) == 100
            else:  # Moodle: the positive grades must add up to 100%
                assert round(sum(positive), 2) == 100
        elif kind == "truefalse":
            assert sorted(t for _, t in answers) == ["false", "true"]
            assert sorted(f for f, _ in answers) == [0, 100]
        elif kind == "shortanswer":
            assert q.findtext("usecase") in ("0", "1") and any(f == 100 for f, _ in answers)
        elif kind == "cloze":
            assert embedded_answers(q.findtext("questiontext/text"))


def test_each_question_type_matches_its_hand_checked_file(bank):
    quiz = moodle.build_quiz([bank], course_title="Course")
    found = questions(ET.fromstring(quiz.xml))
    for qid, name in TYPES.items():
        expected = ET.parse(DATA / f"{name}.xml").getroot()
        (wanted,) = [q for q in expected if q.get("type") != "category"]
        assert ET.canonicalize(ET.tostring(found[qid]), strip_text=True) == ET.canonicalize(
            ET.tostring(wanted), strip_text=True
        ), name


def test_export_has_the_structure_moodle_documents(bank):
    quiz = moodle.build_quiz([bank], course_title="China/Korea")
    assert quiz.xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    root = ET.fromstring(quiz.xml)
    check_structure(root)
    assert root[0].findtext("category/text") == "$course$/top/China//Korea/A Sample Reading"
    assert [q.get("type") for q in root] == [
        "category",
        "multichoice",
        "multichoice",
        "truefalse",
        "shortanswer",
        "cloze",
    ]
    assert quiz.questions == 5 and quiz.cards_skipped == 1


def test_multiple_answers_get_moodles_partial_credit(bank):
    talks = questions(ET.fromstring(moodle.build_quiz([bank]).xml))["talks"]
    fractions = {a.findtext("text"): a.get("fraction") for a in talks.findall("answer")}
    # Two right options: +50% each; three distractors: -33.33333% each (grading.multi_score).
    assert fractions == {
        "Chung Eui-yong": "50",
        "Wang Yi": "50",
        "Jake Sullivan": "-33.33333",
        "Suh Hoon": "-33.33333",
        "Kim &amp; Lee": "-33.33333",
    }
    assert talks.findtext("single") == "false"


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "100"), (2, "50"), (3, "33.33333"), (6, "16.66667"), (7, "14.28571"), (8, "12.5")],
)
def test_fractions_are_written_as_moodle_writes_them(n, text):
    assert moodle.percent(moodle.moodle_fraction(n)) == text
    assert moodle.percent(-moodle.moodle_fraction(n)) == "-" + text


def test_a_multi_question_moodle_cannot_grade_is_left_out_and_said(make_bank):
    wrong = ", ".join(f"wrong {i}" for i in range(11))
    path = make_bank(
        "- id: many\n  type: multi\n  prompt: Pick\n  answers: [right]\n"
        f"  distractors: [{wrong}]\n  quote: Xiamen\n"
    )
    quiz = moodle.build_quiz([load_bank(path).bank])
    assert quiz.questions == 0 and "grade list" in quiz.skipped[0].reason


def test_gap_answers_and_shortanswer_forms_are_escaped_for_moodle(make_bank):
    path = make_bank(
        "- id: odd\n  type: cloze\n  text: 'Odd {{c1::a}b#c~d*e & <f>}} here.'\n  quote: Xiamen\n"
        "- id: star\n  type: answer\n  prompt: Star?\n  answer: 5*3\n  quote: Xiamen\n"
    )
    found = questions(ET.fromstring(moodle.build_quiz([load_bank(path).bank]).xml))
    text = found["odd"].findtext("questiontext/text")
    assert embedded_answers(text) == ["a}b#c~d*e & <f>"]
    assert found["star"].findtext("answer/text") == "5\\*3"


def test_the_shipped_banks_export_cleanly(shipped_questions):
    banks = [r.bank for r in load_banks(bank_paths(shipped_questions)) if r.bank]
    quiz = moodle.build_quiz(banks, course_title="China-South Korea Relations")
    root = ET.fromstring(quiz.xml)
    check_structure(root)
    live = sum(len(b.live_questions) for b in banks)
    cards = sum(1 for b in banks for q in b.live_questions if q.type == "card")
    assert quiz.questions == live - cards and quiz.cards_skipped == cards
    assert sum(1 for q in root if q.get("type") == "category") == len(banks)
    for bank in banks:
        found = questions(ET.fromstring(moodle.build_quiz([bank]).xml))
        for q in bank.live_questions:
            if q.type == "cloze":
                element = found[q.id]
                deletions = re.findall(r"\{\{c\d+::(.*?)(?:::.*?)?\}\}", q.text)
                assert embedded_answers(element.findtext("questiontext/text")) == deletions


def test_cli_writes_moodle_xml_and_says_how_many_cards_were_left_out(make_bank, tmp_path):
    path = make_bank(BANK)
    runner = CliRunner()
    out = tmp_path / "out"
    args = ["export", "--questions", str(path.parent), "--out", str(out), "--format", "moodle-xml"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "china-south-korea-relations.xml",
        "sample.xml",
    ]
    assert result.output.strip().endswith(
        "(5 questions) to "
        f"{out}/; left out 1 card question (self-graded flashcards have no Moodle equivalent)."
    )
    check_structure(ET.parse(out / "sample.xml").getroot())
    one = runner.invoke(main, [*args, "--bank", "sample", "--out", str(tmp_path / "one")])
    assert "Wrote sample.xml (5 questions)" in one.output
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == ["sample.xml"]
