"""What `studyapp check` tells an instructor about mistakes YAML itself hides or words badly.

Each case is a small bank written to tmp_path, with the exact line, column, message and hint the
instructor should see.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from studyapp.banks import load_bank, load_banks
from studyapp.cli import main

CARD = "- id: a\n  type: card\n  prompt: Who?\n  answer: Xi\n  quote: in 2017\n"
TRUEFALSE = (
    "- id: tf\n  type: truefalse\n  prompt: THAAD came in 2017.\n  answer: true\n  quote: in 2017\n"
)


def located(path: Path) -> list[tuple[int, int, str, str, str | None]]:
    return [(p.line, p.col, p.code, p.message, p.hint) for p in sorted(load_bank(path).problems)]


def check_output(path: Path) -> list[str]:
    result = CliRunner().invoke(main, ["check", str(path)], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result.output.splitlines()


# --- a ' #' in an unquoted value -----------------------------------------------------------


def test_hash_in_a_prompt_is_reported_with_the_quoted_fix(make_bank):
    path = make_bank(CARD.replace("prompt: Who?", "prompt: Who was the #1 audience?"))
    assert located(path) == [
        (
            7,
            25,
            "comment-in-value",
            "question 'a': the text after ' #' is read as a YAML comment and dropped, "
            "so 'prompt' is only 'Who was the'",
            'put the whole value in quotes: prompt: "Who was the #1 audience?"',
        )
    ]
    assert load_bank(path).bank is None


def test_hash_right_after_the_colon_empties_the_value(make_bank):
    path = make_bank(CARD.replace("prompt: Who?", "prompt: #1 reason?"))
    assert located(path) == [
        (
            7,
            12,
            "empty-value",
            "question 'a': 'prompt' is empty",
            "everything after ' #' is a YAML comment: put the whole value in quotes",
        )
    ]


def test_comments_after_ids_types_true_false_and_list_items_are_allowed(make_bank):
    commented = (
        "- id: tf  # the year\n  type: truefalse  # easy\n  prompt: THAAD came in 2017.\n"
        "  answer: true  # see paragraph 1\n  quote: 'in 2017'  # quoted, so whole\n"
        "  tags: [thaad]  # one tag\n  draft: false  # reviewed\n"
        "- id: c\n  type: choice\n  prompt: Which?\n  answer: A wave\n"
        "  distractors:\n    - A naval blockade  # too easy?\n  quote: in 2017\n"
    )
    assert located(make_bank(commented)) == []


def test_hash_inside_a_flow_list_hints_at_quotes(make_bank):
    choice = (
        "- id: c\n  type: choice\n  prompt: Which?\n  answer: A wave\n"
        "  distractors: [A naval #blockade, A recall]\n  quote: in 2017\n"
    )
    ((_, _, code, _, hint),) = located(make_bank(choice))
    assert code == "yaml-syntax"
    assert hint == "a ' #' inside [...] starts a YAML comment: put that item in quotes"


# --- YAML syntax ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, hint",
    [
        ("type cloze", "add the colon after the key: 'type: cloze'"),
        ("type:cloze", "put a space after the colon: 'type: cloze'"),
    ],
)
def test_missing_colon_is_reported_on_the_line_of_the_key(make_bank, line, hint):
    cloze = "- id: c\n  type: cloze\n  text: THAAD came in {{c1::2017}}.\n  quote: in 2017\n"
    path = make_bank(cloze.replace("type: cloze", line))
    assert located(path) == [
        (6, 5, "yaml-syntax", "YAML syntax: this line has no ': ' after its key", hint)
    ]


def test_control_character_is_located_and_named(make_bank):
    path = make_bank(CARD)
    path.write_text(path.read_text().replace("answer: Xi", "answer: X\x0ci"))
    assert located(path) == [
        (
            8,
            14,
            "yaml-syntax",
            "a control character (form feed, U+000C) is on this line, and YAML does not allow it",
            "delete it (such characters often come with text pasted from a PDF or a word processor)",
        )
    ]
    lines = check_output(path)
    assert lines[2] == "8 |     answer: X\ufffdi"
    assert lines[3] == "  |              ^"


def test_question_missing_its_dash_hints_at_it(make_bank):
    two = CARD + CARD.replace("id: a", "id: b").replace("- ", "  ", 1)
    problems = located(make_bank(two))
    assert problems[0] == (
        10,
        5,
        "duplicate-key",
        "question 'a': key 'id' appears twice (first on line 5)",
        "did you forget the '- ' that starts the next question?",
    )
    assert {p[4] for p in problems[1:]} == {"did you forget the '- ' before 'id' on line 10?"}


def test_question_dash_missing_at_list_indent_hints_at_it(make_bank):
    path = make_bank(CARD + CARD.replace("id: a", "id: b").replace("- ", "", 1))
    ((line, col, _, _, hint),) = located(path)
    assert (line, col) == (10, 3)
    assert hint == "each item of a list (a question, a distractor) starts with '- ': add it here"


def test_key_indented_too_deep_hints_at_indentation_not_quotes(make_bank):
    path = make_bank(CARD.replace("  prompt:", "    prompt:"))
    assert located(path) == [
        (
            7,
            13,
            "yaml-syntax",
            "YAML syntax: mapping values are not allowed in this context",
            "'prompt:' is indented more than the key above it, so YAML reads it as part of "
            "that key's value: line it up with the other keys",
        )
    ]


def test_colon_inside_a_value_still_hints_at_quotes(make_bank):
    path = make_bank(CARD.replace("prompt: Who?", "prompt: Who: Xi?"))
    ((_, _, _, _, hint),) = located(path)
    assert hint == "a value containing ': ' must be put in quotes"


def test_keys_indented_under_an_empty_key_hint_at_indentation(make_bank):
    path = make_bank(CARD.replace("  answer: Xi", "    answer: Xi").replace(" Who?", ""))
    (problem,) = [p for p in load_bank(path).problems if p.code == "wrong-type"]
    assert problem.message == "question 'a': 'prompt' should be text, not a mapping"
    assert problem.hint == (
        "the lines under 'prompt:' are indented more than it, so YAML reads them as its value: "
        "line them up with 'prompt:'"
    )


# --- true/false and empty values -----------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (
            '"true"',
            (
                8,
                13,
                "wrong-type",
                "question 'tf': 'answer' is in quotes, which makes it text, not true or false",
                "remove the quotes: answer: true",
            ),
        ),
        (
            "'False'",
            (
                8,
                13,
                "wrong-type",
                "question 'tf': 'answer' is in quotes, which makes it text, not true or false",
                "remove the quotes: answer: false",
            ),
        ),
        (
            "",
            (8, 12, "empty-value", "question 'tf': 'answer' is empty", "write true or false"),
        ),
        (
            "maybe",
            (
                8,
                13,
                "wrong-type",
                "question 'tf': 'answer' should be true or false, not 'maybe'",
                None,
            ),
        ),
    ],
)
def test_truefalse_answer_messages(make_bank, value, expected):
    path = make_bank(TRUEFALSE.replace("answer: true", f"answer: {value}".rstrip()))
    assert located(path) == [expected]


def test_empty_distractors_is_an_empty_value(make_bank):
    choice = (
        "- id: c\n  type: choice\n  prompt: Which?\n  answer: A wave\n  distractors:\n"
        "  quote: in 2017\n"
    )
    assert located(make_bank(choice)) == [
        (
            9,
            17,
            "empty-value",
            "question 'c': 'distractors' is empty",
            "write 'distractors: [first, second]' or one '- item' per line",
        )
    ]


# --- cloze errors inside a long text -------------------------------------------------------


def test_cloze_error_in_a_folded_text_points_at_its_line(make_bank):
    cloze = (
        "- id: c\n  type: cloze\n  text: >\n    THAAD was deployed\n    in South Korea\n"
        "    in {{c1:2017}}.\n  quote: in 2017\n"
    )
    ((line, col, code, _, _),) = located(make_bank(cloze))
    assert (line, col, code) == (10, 10, "cloze-malformed")


def test_cloze_error_in_a_literal_text_points_at_its_line(make_bank):
    cloze = "- id: c\n  type: cloze\n  text: |\n    THAAD came\n      in {{c1::2017.\n"
    ((line, col, _, message, _),) = located(make_bank(cloze + "  quote: in 2017\n"))
    assert (line, col, message) == (9, 12, "question 'c': '{{' is never closed with '}}'")


def test_cloze_error_that_cannot_be_placed_quotes_the_text(make_bank):
    # The '' escape makes the value differ from its source: the text: line is kept.
    cloze = "- id: c\n  type: cloze\n  text: 'It''s THAAD\n    in {{c1::2017.'\n"
    ((line, col, _, message, _),) = located(make_bank(cloze + "  quote: in 2017\n"))
    assert (line, col) == (7, 11)
    assert message == (
        "question 'c': '{{' is never closed with '}}', in 'It's THAAD in {{c1::2017.'"
    )


# --- encodings -----------------------------------------------------------------------------


def test_not_utf8_column_counts_characters_and_shows_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes("id: x\ntitle: China’s caf".encode() + b"\xe9\n")
    assert located(path) == [
        (
            2,
            19,
            "not-utf8",
            "byte 0xe9 is not UTF-8 text",
            "save the file as UTF-8 (most editors offer it under 'Save with encoding')",
        )
    ]
    lines = check_output(path)
    assert lines[2] == "2 | title: China’s caf\ufffd"
    assert lines[3] == "  |                   ^"


def test_not_utf8_is_reported_on_every_line_it_occurs(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"id: x\ntitle: caf\xe9 \xe9\ndocument: \x92x\n")
    assert [(p[0], p[1]) for p in located(path)] == [(2, 11), (3, 11)]


def test_bank_saved_with_a_byte_order_mark_is_read_as_utf8(make_bank):
    first = make_bank(CARD, name="first")
    second = make_bank(CARD, name="second")
    text = second.read_text().replace("id: second", "id: first", 1)
    second.write_bytes(b"\xef\xbb\xbf" + text.encode())
    results = load_banks([first, second])
    assert results[0].bank is not None
    (problem,) = results[1].problems
    assert (problem.line, problem.col, problem.code) == (1, 5, "duplicate-bank-id")
