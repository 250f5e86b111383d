"""`studyapp publish`: the drafts' `draft: true` lines go, and nothing else in the file moves."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from studyapp.banks import load_bank
from studyapp.cli import main

DRAFTS = """\
# Reviewed on Monday: year and fell are fine.
- id: year
  type: choice
  prompt: In which year was THAAD deployed in South Korea?
  answer: "2017"
  distractors: ["2016", "2018", "2019"]
  quote: was deployed in South Korea in 2017
  draft: true   # derived
- id: fell
  type: answer
  prompt: By how much did support for closer ties with China fall?
  answer: 19 percent
  draft: true
  quote: Support for closer ties with China fell by 19 percent.
- id: met
  type: cloze
  text: Chung Eui-yong met {{c1::Wang Yi}} in Xiamen.
  quote: Chung Eui-yong met Wang Yi in Xiamen.
  draft: true
- id: live
  type: truefalse
  prompt: THAAD was deployed in 2017.
  answer: true
  quote: was deployed in South Korea in 2017
"""


def publish(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["publish", *args], catch_exceptions=False)
    return result.exit_code, result.output


def drafts(path: Path) -> list[str]:
    bank = load_bank(path).bank
    assert bank is not None
    return [q.id for q in bank.questions if q.draft]


def test_named_drafts_lose_their_draft_line_and_nothing_else_changes(make_bank):
    path = make_bank(DRAFTS)
    before = path.read_text()
    code, out = publish(str(path), "year", "fell")
    assert code == 0
    assert out == f"Published 2 questions in {path}: year, fell.\n"
    assert drafts(path) == ["met"]
    # Exactly the two lines are gone: the comment, the order and the layout stay.
    expected = before.replace("    draft: true   # derived\n", "").replace(
        "    answer: 19 percent\n    draft: true\n", "    answer: 19 percent\n"
    )
    assert path.read_text() == expected


def test_every_draft_is_published_when_none_is_named_and_again_there_is_nothing_to_do(make_bank):
    path = make_bank(DRAFTS)
    assert publish(str(path)) == (0, f"Published 3 questions in {path}: year, fell, met.\n")
    assert drafts(path) == [] and "draft" not in path.read_text()
    assert publish(str(path)) == (0, f"{path} has no drafts to publish.\n")


def test_a_question_already_published_is_said_so(make_bank):
    path = make_bank(DRAFTS)
    code, out = publish(str(path), "live", "met")
    assert code == 0
    assert out == (
        f"'live' is not a draft: students already see it.\nPublished 1 question in {path}: met.\n"
    )
    assert drafts(path) == ["year", "fell"]


def test_an_unknown_id_publishes_nothing(make_bank):
    path = make_bank(DRAFTS)
    before = path.read_bytes()
    code, out = publish(str(path), "met", "nosuch")
    assert code == 1
    assert f"{path} has no question 'nosuch'. Nothing was published." in out
    assert path.read_bytes() == before


def test_an_unknown_id_is_shown_the_ids_it_may_mean(make_bank):
    path = make_bank(DRAFTS)
    before = path.read_bytes()
    code, out = publish(str(path), "yaer", "fel", "thaad")
    assert code == 1
    assert (
        f"{path} has no question 'yaer' (did you mean 'year'?), 'fel' (did you mean 'fell'?), "
        "'thaad'. Nothing was published."
    ) in out
    assert path.read_bytes() == before


def test_a_bank_with_problems_is_left_alone(make_bank):
    path = make_bank(DRAFTS.replace("  type: cloze", "  type: clozed"))
    before = path.read_bytes()
    code, out = publish(str(path))
    assert code == 1
    assert "has problems; run `studyapp check` and fix them first" in out
    assert path.read_bytes() == before


def test_a_draft_key_on_the_dash_line_is_left_to_the_instructor_with_its_line(make_bank):
    path = make_bank(
        DRAFTS.replace("- id: met\n", "- draft: true\n  id: met\n").replace(
            "  quote: Chung Eui-yong met Wang Yi in Xiamen.\n  draft: true\n",
            "  quote: Chung Eui-yong met Wang Yi in Xiamen.\n",
        )
    )
    before = path.read_bytes()
    line = path.read_text().splitlines().index("  - draft: true") + 1
    code, out = publish(str(path))
    assert code == 1
    assert f"{path}:{line}: question 'met' has its 'draft' key where it cannot be deleted" in out
    assert path.read_bytes() == before  # year and fell wait too: all or nothing


def test_windows_line_endings_are_kept(make_bank):
    path = make_bank(DRAFTS)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert publish(str(path), "met")[0] == 0
    data = path.read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert drafts(path) == ["year", "fell"]
