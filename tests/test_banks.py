"""The loader: each question type round-trips, and no input ever makes it raise."""

from __future__ import annotations

import re
import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.banks import load_bank, load_banks
from studyapp.problems import CODES, source_lines

from .conftest import REPO, SAMPLE_DOCUMENT

EVERY_TYPE = """\
- id: coercion
  type: choice
  prompt: What did Beijing answer THAAD with?
  answer: Economic coercive measures
  distractors: [A naval blockade, A recall of its ambassador]
  quote: a barrage of economic coercive measures
  explain: The reading says so.
  tags: [thaad, economy]
- id: meetings
  type: multi
  prompt: Who met whom?
  answers: [Chung Eui-yong and Wang Yi, Suh Hoon and Jake Sullivan]
  distractors: [Suh Hoon and Wang Yi]
  quote: Chung Eui-yong met Wang Yi in Xiamen.
- id: year
  type: truefalse
  prompt: THAAD was deployed in 2017.
  answer: true
  quote: was deployed in South Korea in 2017
- id: name
  type: cloze
  text: "{{c1::THAAD::acronym}} was deployed in {{c2::2017}}; {{c1::THAAD}} is a system."
  quote: The Terminal High Altitude Area Defense (THAAD) system
- id: drop
  type: answer
  prompt: By how much did support fall?
  answer: 19 percent
  accept: ["19%", nineteen percent]
  quote: fell by 19 percent
  draft: true
- id: why
  type: card
  prompt: Why did support fall?
  answer: Beijing's coercion after THAAD.
  quote: Beijing answered with a barrage
"""


def test_every_type_loads_with_its_fields(make_bank):
    result = load_bank(make_bank(EVERY_TYPE))
    assert result.problems == []
    bank = result.bank
    assert bank is not None
    by_id = {q.id: q for q in bank.questions}
    assert by_id["coercion"].tags == ("thaad", "economy")
    assert by_id["meetings"].correct_options == (
        "Chung Eui-yong and Wang Yi",
        "Suh Hoon and Jake Sullivan",
    )
    assert by_id["year"].answer == "true"
    assert by_id["name"].card_numbers == [1, 2]
    assert by_id["name"].expected(1) == ["THAAD", "THAAD"]
    assert by_id["drop"].accept == ("19%", "nineteen percent")
    assert by_id["drop"].draft and by_id["drop"] not in bank.live_questions
    assert by_id["why"].card_numbers == [1]


def test_every_type_round_trips_through_yaml(make_bank, tmp_path):
    bank = load_bank(make_bank(EVERY_TYPE)).bank
    assert bank is not None
    dumped = yaml.safe_dump(
        [q.to_dict() for q in bank.questions], allow_unicode=True, sort_keys=False
    )
    again = load_bank(make_bank(dumped, name="again")).bank
    assert again is not None
    assert [(q.id, q.content_hash, q.draft) for q in again.questions] == [
        (q.id, q.content_hash, q.draft) for q in bank.questions
    ]


def test_content_hash_changes_with_content_not_with_position(make_bank):
    first = load_bank(make_bank(EVERY_TYPE)).bank
    moved = load_bank(make_bank("\n" * 3 + EVERY_TYPE, name="moved")).bank
    edited = load_bank(
        make_bank(EVERY_TYPE.replace("19 percent", "19 per cent", 1), name="ed")
    ).bank
    assert first and moved and edited
    hashes = [q.content_hash for q in first.questions]
    assert [q.content_hash for q in moved.questions] == hashes
    assert [q.content_hash for q in edited.questions] != hashes


def test_two_files_with_one_bank_id_are_reported(make_bank, tmp_path):
    a = make_bank(EVERY_TYPE, name="a")
    b = make_bank(EVERY_TYPE, name="b")
    b.write_text(b.read_text().replace("id: b\n", "id: a\n", 1))
    first, second = load_banks([a, b])
    assert first.bank is not None and second.bank is None
    (problem,) = second.problems
    assert (problem.line, problem.col, problem.code) == (1, 5, "duplicate-bank-id")


def test_a_copy_beside_a_bank_file_does_not_take_its_reading_over(make_bank):
    """A backup copy sorts before its original ("a copy.yaml" < "a.yaml"): the file named
    after the id keeps the reading, and the copy gets the problem and the hint to move it."""
    original = make_bank(EVERY_TYPE, name="a")
    copy = original.with_name("a copy.yaml")
    copy.write_text(original.read_text())
    with_copy, with_original = load_banks(sorted([original, copy]))
    assert with_copy.path == copy and with_copy.bank is None
    assert with_original.bank is not None and with_original.bank.path == original
    (problem,) = with_copy.problems
    assert problem.code == "duplicate-bank-id" and str(original) in problem.message
    assert "move a copy out of the questions folder" in problem.hint


def test_every_problem_code_is_documented():
    readme = (REPO / "questions" / "README.md").read_text()
    documented = set(re.findall(r"^### `([a-z0-9-]+)`", readme, re.MULTILINE))
    assert documented == set(CODES)


# --- property: any input ends in a clean bank or located problems, never an exception ------

VALID = "id: sample\ntitle: A Sample Reading\ndocument: sample.txt\nquestions:\n" + "".join(
    "  " + line + "\n" if line else "\n" for line in EVERY_TYPE.splitlines()
)
YAML_CHARS = list(":-[]{}#&*!|>'\"%@`, \t\n") + list(string.ascii_letters[:6]) + ["\u2028", "é"]

edits = st.lists(
    st.tuples(
        st.sampled_from(["insert", "delete", "swap-lines", "duplicate-line"]),
        st.integers(min_value=0, max_value=len(VALID)),
        st.sampled_from(YAML_CHARS),
    ),
    min_size=1,
    max_size=6,
)

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20))
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _mutate(text: str, ops: list[tuple[str, int, str]]) -> str:
    for op, at, ch in ops:
        at = min(at, len(text))
        if op == "insert":
            text = text[:at] + ch + text[at:]
        elif op == "delete" and text:
            text = text[:at] + text[at + 1 :]
        else:
            lines = text.split("\n")
            i = at % len(lines)
            if op == "swap-lines" and i + 1 < len(lines):
                lines[i], lines[i + 1] = lines[i + 1], lines[i]
            elif op == "duplicate-line":
                lines.insert(i, lines[i])
            text = "\n".join(lines)
    return text


def _assert_clean_or_located(path: Path) -> None:
    result = load_bank(path)
    if result.bank is not None:
        assert result.problems == []
        return
    assert result.problems, "a bank that failed to load must say why"
    lines = len(source_lines(result.source))
    for p in result.problems:
        assert p.code in CODES
        assert 1 <= p.line <= lines + 1 and p.col >= 1
        assert p.message


SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(ops=edits)
def test_mutated_banks_load_or_report_located_problems(tmp_path, ops):
    folder = tmp_path / "mut"
    folder.mkdir(exist_ok=True)
    (folder / "sample.txt").write_text(SAMPLE_DOCUMENT)
    path = folder / "sample.yaml"
    path.write_text(_mutate(VALID, ops), encoding="utf-8")
    _assert_clean_or_located(path)


@SETTINGS
@given(tree=trees)
def test_random_yaml_loads_or_reports_located_problems(tmp_path, tree):
    path = tmp_path / "random.yaml"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    _assert_clean_or_located(path)


@SETTINGS
@given(questions=st.lists(trees, max_size=4))
def test_random_questions_load_or_report_located_problems(tmp_path, questions):
    folder = tmp_path / "rq"
    folder.mkdir(exist_ok=True)
    (folder / "sample.txt").write_text(SAMPLE_DOCUMENT)
    path = folder / "sample.yaml"
    bank = {"id": "sample", "title": "T", "document": "sample.txt", "questions": questions}
    path.write_text(yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")
    _assert_clean_or_located(path)
