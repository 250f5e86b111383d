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


@pytest.mark.parametrize(
    "questions, expected",
    [
        pytest.param(
            CARD.replace("- id: a", "- id x"),
            (5, 5, "add the colon after the key: 'id: x'"),
            id="first-question",
        ),
        pytest.param(
            CARD + CARD.replace("- id: a", "- id b"),
            (10, 5, "add the colon after the key: 'id: b'"),
            id="second-question",
        ),
        pytest.param(
            CARD.replace("- id: a", "- type card\n  id: a").replace("  type: card\n", ""),
            (5, 5, "add the colon after the key: 'type: card'"),
            id="first-key-not-id",
        ),
    ],
)
def test_list_item_whose_first_key_has_no_colon_is_told_so_on_its_line(
    make_bank, questions, expected
):
    # libyaml reads '- id x' on into the keys below as one text, and stops at the next ': '.
    line, col, hint = expected
    message = "YAML syntax: this line has no ': ' after its key"
    assert located(make_bank(questions)) == [(line, col, "yaml-syntax", message, hint)]


# --- a quote never closed ------------------------------------------------------------------

UNCLOSED = (
    "YAML syntax: the {q} that opens this value is never closed, so YAML reads the rest of the "
    "file as part of it"
)


@pytest.mark.parametrize(
    "questions, expected",
    [
        pytest.param(
            CARD.replace("prompt: Who?", 'prompt: "Who signed the treaty?')
            + CARD.replace("id: a", "id: b"),
            (
                7,
                13,
                UNCLOSED.format(q='"'),
                'add the closing " at the end of the text: prompt: "Who signed the treaty?"',
            ),
            id="double-quote-with-questions-below",
        ),
        pytest.param(
            CARD.replace("quote: in 2017", "quote: 'in 2017"),
            (
                9,
                12,
                UNCLOSED.format(q="'"),
                "add the closing ' at the end of the text: quote: 'in 2017'",
            ),
            id="single-quote-on-the-last-line",
        ),
        pytest.param(
            CARD.replace("prompt: Who?", 'prompt: "Who signed\n    the treaty?'),
            (7, 13, UNCLOSED.format(q='"'), 'add the closing " where the text ends'),
            id="text-continued-on-the-next-line",
        ),
        pytest.param(
            CARD.replace("quote: in 2017", 'tags: ["treaty, signing]\n  quote: in 2017'),
            (
                9,
                12,
                UNCLOSED.format(q='"'),
                'add the closing " where the text ends, or delete this one if it is a slip',
            ),
            id="inside-a-flow-list",
        ),
        pytest.param(
            CARD.replace("  type: card", '  "type: card'),
            (
                6,
                5,
                UNCLOSED.format(q='"'),
                'add the closing " where the text ends, or delete this one if it is a slip',
            ),
            id="stray-quote-before-a-key",
        ),
    ],
)
def test_unclosed_quote_is_reported_where_it_opens(make_bank, questions, expected):
    # libyaml gives up at the end of the file, many lines below the quote.
    line, col, message, hint = expected
    assert located(make_bank(questions)) == [(line, col, "yaml-syntax", message, hint)]


def test_unclosed_quote_shows_the_caret_under_the_quote(make_bank):
    path = make_bank(CARD.replace("prompt: Who?", 'prompt: "Who signed the treaty?') + CARD)
    lines = check_output(path)
    never_closed = UNCLOSED.format(q='"')
    assert lines[0] == f"{path}:7:13: error[yaml-syntax] {never_closed}"
    assert lines[2] == '7 |     prompt: "Who signed the treaty?'
    assert lines[3] == "  |             ^"


def test_quote_closed_only_by_a_later_quote_is_reported_where_it_opens(make_bank):
    # The '"' before Xi closes the prompt's quote; libyaml stops at 'Xi"' on line 8.
    path = make_bank(
        CARD.replace("prompt: Who?", 'prompt: "Who signed the treaty?').replace(
            "answer: Xi", 'answer: "Xi"'
        )
    )
    assert located(path) == [
        (
            7,
            13,
            "yaml-syntax",
            'YAML syntax: the " that opens this value is never closed on its line, so YAML '
            'reads the lines below, up to the next " (line 8), as part of it',
            'add the closing " at the end of the text: prompt: "Who signed the treaty?"',
        )
    ]


@pytest.mark.parametrize(
    ("questions", "expected"),
    [
        pytest.param(
            CARD.replace("prompt: Who?", "prompt: 'What was Seoul's view?'"),
            (
                7,
                28,
                "YAML syntax: the ' in Seoul's closes the text that the ' at column 13 opened, "
                "so YAML cannot read what follows it",
                "inside single quotes write an apostrophe twice (Seoul''s), "
                "or put the whole text in double quotes",
            ),
            id="apostrophe-in-a-single-quoted-prompt",
        ),
        pytest.param(
            CARD.replace("answer: Xi", "answer: Xi\n  distractors:\n    - 'Moon's envoy'"),
            (
                10,
                14,
                "YAML syntax: the ' in Moon's closes the text that the ' at column 9 opened, "
                "so YAML cannot read what follows it",
                "inside single quotes write an apostrophe twice (Moon''s), "
                "or put the whole text in double quotes",
            ),
            id="apostrophe-in-a-list-item",
        ),
        pytest.param(
            CARD.replace("prompt: Who?", 'prompt: "Who named the "three noes"?"'),
            (
                7,
                28,
                'YAML syntax: the " in "three closes the text that the " at column 13 opened, '
                "so YAML cannot read what follows it",
                'inside double quotes write each quote mark of the text as \\" (\\"three), '
                "or put the whole text in single quotes",
            ),
            id="double-quotes-inside-double-quotes",
        ),
    ],
)
def test_quote_mark_inside_a_quoted_text_is_told_how_to_write_it(make_bank, questions, expected):
    # libyaml says only "did not find expected key", at the letter after the quote mark.
    line, col, message, hint = expected
    assert located(make_bank(questions)) == [(line, col, "yaml-syntax", message, hint)]


def test_a_quoted_text_followed_by_a_comment_is_not_told_about_quote_marks(make_bank):
    path = make_bank(CARD.replace("prompt: Who?", "prompt: 'Who?' # the envoy"))
    assert located(path) == []
    assert load_bank(path).bank is not None


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
            7,
            "yaml-syntax",
            "YAML syntax: 'prompt' is indented 6 spaces, but the keys above it ('id', 'type') "
            "are at 4",
            "line it up with 'type' (4 spaces)",
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


# --- indentation -------------------------------------------------------------------------
# libyaml words a key one space off as "did not find expected '-' indicator" (too few spaces),
# "mapping values are not allowed" or "did not find expected key" (too many): the checker names
# the indentation the key should have instead, taken from the keys YAML read above it.

CHOICE = (
    "- id: c\n  type: choice\n  prompt: Which?\n  answer: A wave\n  distractors:\n"
    "    - A naval blockade\n    - 'A recall'\n  quote: in 2017\n"
)
CLOZE = (
    "- id: z\n  type: cloze\n  text: In {{c1::2017}} and {{c2::2018}}.\n  accept:\n"
    "    c1: [twenty seventeen]\n    c2: [twenty eighteen]\n  quote: in 2017\n"
)
QUOTE_AT_4 = "the keys above it ('id', 'type', 'prompt', ...) are at 4"


@pytest.mark.parametrize(
    "questions, expected",
    [
        pytest.param(
            CARD.replace("  quote", " quote"),
            (9, 4, f"'quote' is indented 3 spaces, but {QUOTE_AT_4}", "'answer' (4 spaces)"),
            id="too-few-after-a-value",
        ),
        pytest.param(
            CARD.replace("  quote", "   quote"),
            (9, 6, f"'quote' is indented 5 spaces, but {QUOTE_AT_4}", "'answer' (4 spaces)"),
            id="too-many-after-a-value",
        ),
        pytest.param(
            CHOICE.replace("  quote", " quote"),
            (12, 4, f"'quote' is indented 3 spaces, but {QUOTE_AT_4}", "'distractors' (4 spaces)"),
            id="too-few-after-a-list",
        ),
        pytest.param(
            CHOICE.replace("  quote", "   quote"),
            (12, 6, f"'quote' is indented 5 spaces, but {QUOTE_AT_4}", "'distractors' (4 spaces)"),
            id="too-many-after-a-list",
        ),
        pytest.param(
            CARD.replace("  type", " type"),
            (
                6,
                4,
                "'type' is indented 3 spaces, but the key above it ('id') is at 4",
                "'id' (4 spaces)",
            ),
            id="too-few-under-the-id",
        ),
        pytest.param(
            CLOZE.replace("    c2", "   c2"),
            (
                10,
                6,
                "'c2' is indented 5 spaces, but the key above it ('c1') is at 6",
                "'c1' (6 spaces)",
            ),
            id="cloze-deletion-too-few",
        ),
        pytest.param(
            CLOZE.replace("  quote", "   quote"),
            (
                11,
                6,
                "'quote' is indented 5 spaces, but the keys above it ('id', 'type', 'text', ...) "
                "are at 4",
                "'accept' (4 spaces)",
            ),
            id="question-key-after-the-accept-mapping",
        ),
    ],
)
def test_key_indented_unlike_the_keys_above_names_their_indentation(make_bank, questions, expected):
    line, col, message, line_up_with = expected
    assert located(make_bank(questions)) == [
        (line, col, "yaml-syntax", f"YAML syntax: {message}", f"line it up with {line_up_with}")
    ]


def test_misindented_quote_in_a_shipped_bank_is_not_told_to_add_a_dash(shipped_questions, tmp_path):
    # The user test: question 'xi-signals-audience' with its quote: at 3 spaces, after a list.
    for name in ("thaad-and-biden.yaml", "thaad-and-biden.txt"):
        (tmp_path / name).write_bytes((shipped_questions / name).read_bytes())
    path = tmp_path / "thaad-and-biden.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    quote: Chinese president", "   quote: Chinese president"))
    line = text[: text.index("    quote: Chinese president")].count("\n") + 1
    assert located(path) == [
        (
            line,
            4,
            "yaml-syntax",
            f"YAML syntax: 'quote' is indented 3 spaces, but {QUOTE_AT_4}",
            "line it up with 'distractors' (4 spaces)",
        )
    ]
    output = check_output(path)
    assert output[2].startswith(f"{line} |    quote: Chinese president")
    assert output[3] == f"{' ' * len(str(line))} |    ^"
    assert output[4] == f"{' ' * len(str(line))} = help: line it up with 'distractors' (4 spaces)"


def test_unknown_word_indented_too_deep_may_be_text_that_needs_quotes(make_bank):
    path = make_bank(CARD.replace("  answer: Xi", "    THAAD: yes"))
    assert located(path) == [
        (
            8,
            7,
            "yaml-syntax",
            "YAML syntax: 'THAAD' is indented 6 spaces, but the keys above it ('id', 'type', "
            "'prompt') are at 4",
            "line it up with 'prompt' (4 spaces); if this line continues the text above, put "
            "that whole text in quotes",
        )
    ]


def test_text_item_followed_by_a_key_too_deep_is_not_told_to_add_a_colon(make_bank):
    # libyaml reads '- A naval blockade' on into 'quote' too, but 'A' is no key: the fault is
    # the indentation of 'quote', as before.
    path = make_bank(CHOICE.replace("blockade\n", "blockade\n      quote: x\n"))
    assert located(path) == [
        (
            11,
            9,
            "yaml-syntax",
            f"YAML syntax: 'quote' is indented 8 spaces, but {QUOTE_AT_4}",
            "line it up with 'distractors' (4 spaces)",
        )
    ]


BANK_TOP = "id: sample\ntitle: A Sample Reading\ndocument: sample.txt\nquestions:\n"


@pytest.mark.parametrize(
    "body, expected",
    [
        pytest.param(
            BANK_TOP.replace("title", " title") + "  " + CARD.replace("\n  ", "\n    "),
            (
                2,
                2,
                "'title' is indented 1 space, but the key above it ('id') is at the left margin",
                "start 'title' at the left margin, like 'id'",
            ),
            id="under-the-id",
        ),
        pytest.param(
            # Nearer the question keys (at 4) than the bank's, but 'title' is a bank key.
            "id: sample\nquestions:\n  "
            + CARD.replace("\n  ", "\n    ")
            + "   title: A Sample Reading\ndocument: sample.txt\n",
            (
                8,
                4,
                "'title' is indented 3 spaces, but the keys above it ('id', 'questions') are at "
                "the left margin",
                "start 'title' at the left margin, like 'questions'",
            ),
            id="after-the-questions",
        ),
    ],
)
def test_bank_key_indented_is_told_to_start_at_the_margin(make_bank, body, expected):
    line, col, message, hint = expected
    assert located(make_bank(body, header=False)) == [
        (line, col, "yaml-syntax", f"YAML syntax: {message}", hint)
    ]


def test_first_bank_key_indented_is_the_one_reported(make_bank):
    # YAML stops at 'title' (line 2), but the odd one out is ' id' above it.
    body = " " + BANK_TOP + "  " + CARD.replace("\n  ", "\n    ")
    assert located(make_bank(body, header=False)) == [
        (
            1,
            2,
            "yaml-syntax",
            "YAML syntax: 'id' is indented 1 space, but the keys below it ('title', 'document', "
            "'questions') are at the left margin",
            "start 'id' at the left margin, like 'title'",
        )
    ]


@pytest.mark.parametrize(
    "questions, line, col, hint",
    [
        pytest.param(
            CARD.replace("  quote", "\tquote"),
            9,
            3,
            "indent 'quote' with 4 spaces, like 'answer' above it",
            id="tab-alone",
        ),
        pytest.param(
            CARD.replace("  quote", "  \tquote"),
            9,
            5,
            "indent 'quote' with 4 spaces, like 'answer' above it",
            id="tab-after-spaces",
        ),
    ],
)
def test_key_indented_with_a_tab_is_told_how_many_spaces(make_bank, questions, line, col, hint):
    message = "YAML syntax: this line is indented with a tab, and YAML allows only spaces"
    assert located(make_bank(questions)) == [(line, col, "yaml-syntax", message, hint)]


TAB_AFTER_DASH = "YAML syntax: this list item has a tab after its '-', and YAML allows only spaces"


@pytest.mark.parametrize(
    "questions, line, col, hint",
    [
        pytest.param(
            CARD.replace("- id", "-\tid"),
            5,
            4,
            "put one space after the '-', not a tab: '- id: a'",
            id="tab-for-the-space",
        ),
        pytest.param(
            CARD.replace("- id", "- \tid"),
            5,
            5,
            "put one space after the '-', not a tab: '- id: a'",
            id="tab-after-the-space",
        ),
        pytest.param(
            CARD + CARD.replace("- id: a", "-\tid: b"),
            10,
            4,
            "put one space after the '-', not a tab: '- id: b'",
            id="second-question",
        ),
        pytest.param(
            CHOICE.replace("- A naval", "-\tA naval"),
            10,
            8,
            "put one space after the '-', not a tab: '- A naval blockade'",
            id="distractor",
        ),
    ],
)
def test_tab_after_a_list_dash_is_told_to_use_a_space(make_bank, questions, line, col, hint):
    assert located(make_bank(questions)) == [(line, col, "yaml-syntax", TAB_AFTER_DASH, hint)]


def test_question_dash_indented_with_a_tab_is_told_how_many_spaces(make_bank):
    path = make_bank(CARD + CARD.replace("- id: a", "\t- id: b"))
    assert located(path) == [
        (
            10,
            3,
            "yaml-syntax",
            "YAML syntax: this line is indented with a tab, and YAML allows only spaces",
            "indent the '- ' with 2 spaces, like the '- ' on line 5",
        )
    ]


def test_text_line_indented_with_a_tab_is_told_to_use_spaces(make_bank):
    path = make_bank(CARD.replace("prompt: Who?", "prompt: Who\n\tsigned?"))
    assert located(path) == [
        (
            8,
            3,
            "yaml-syntax",
            "YAML syntax: this line is indented with a tab, and YAML allows only spaces",
            "indent with spaces, not a tab",
        )
    ]


def test_bank_key_indented_with_a_tab_is_told_to_remove_it(make_bank):
    body = BANK_TOP.replace("title", "\ttitle") + "  " + CARD.replace("\n  ", "\n    ")
    ((line, col, _, _, hint),) = located(make_bank(body, header=False))
    assert (line, col) == (2, 1)
    assert hint == "remove the tab: 'title' starts at the left margin, like 'id' above it"


def test_question_dash_out_of_line_is_told_to_line_it_up(make_bank):
    path = make_bank(CARD + CARD.replace("id: a", "id: b").replace("- ", " - ", 1))
    assert located(path) == [
        (
            10,
            4,
            "yaml-syntax",
            "YAML syntax: this question's '- ' is indented 3 spaces, but the '- ' of the "
            "question above (line 5) is at 2",
            "line the '- ' up with the one above (2 spaces)",
        )
    ]


def test_two_spaces_after_a_question_dash_are_named(make_bank):
    path = make_bank(CARD.replace("- ", "-  ", 1))
    assert located(path) == [
        (
            5,
            6,
            "yaml-syntax",
            "YAML syntax: there are 2 spaces between '-' and 'id', so 'id' does not line up with "
            "the keys below it ('type', 'prompt', 'answer', ...)",
            "write '- id:', with one space after the '-'",
        )
    ]


@pytest.mark.parametrize("above", [CARD, CHOICE, CLOZE], ids=["card", "choice", "cloze"])
def test_question_missing_its_dash_is_still_told_to_add_it(make_bank, above):
    # 'id' out at the '- ' of the question above is a new question, not a key one space off.
    path = make_bank(above + CARD.replace("id: a", "id: b").replace("- ", "", 1))
    ((line, col, code, _, hint),) = located(path)
    assert (line, col, code) == (5 + above.count("\n"), 3, "yaml-syntax")
    assert hint == "each item of a list (a question, a distractor) starts with '- ': add it here"


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


# --- list items written without '- ' ---------------------------------------------------------

# Under the bank header, indented by two: '- id' on line 5, the distractors on lines 10 and 11.
ITEMS = (
    "- id: c\n  type: choice\n  prompt: Which?\n  answer: A wave\n  distractors:\n"
    "    - A naval blockade\n    - A recall\n  quote: in 2017\n"
)


@pytest.mark.parametrize(
    "written, expected",
    [
        pytest.param(
            "    -A recall",
            (
                11,
                7,
                "yaml-syntax",
                "YAML syntax: this list item has no space after its '-', so YAML does not read "
                "it as an item",
                "put a space after the '-': '- A recall'",
            ),
            id="dash-without-space",
        ),
        pytest.param(
            "    * A recall",
            (
                11,
                7,
                "yaml-syntax",
                "YAML syntax: this line starts with '*', but YAML lists use '- ' for each item",
                "start each item with '- ' instead: '- A recall'",
            ),
            id="star-bullet",
        ),
        pytest.param(
            "    •A recall",
            (
                11,
                7,
                "yaml-syntax",
                "YAML syntax: this line starts with '•', but YAML lists use '- ' for each item",
                "start each item with '- ' instead: '- A recall'",
            ),
            id="bullet-character",
        ),
    ],
)
def test_item_below_others_without_its_dash_and_space_is_told_how_to_write_it(
    make_bank, written, expected
):
    # libyaml reads the line as a key without its colon, or '*' as an alias: neither helps.
    path = make_bank(ITEMS.replace("    - A recall", written))
    assert located(path) == [expected]


def test_first_question_dash_without_space_is_told_to_add_the_space(make_bank):
    path = make_bank(CARD + CARD.replace("- id: a", "-id: b"))
    assert located(path) == [
        (
            10,
            3,
            "yaml-syntax",
            "YAML syntax: this list item has no space after its '-', so YAML does not read it "
            "as an item",
            "put a space after the '-': '- id: b'",
        )
    ]


@pytest.mark.parametrize(
    "written, why, hint",
    [
        (
            "    -A naval blockade\n    -A recall",
            "'-A naval blockade -A recall', not a list: a list item needs a space after its '-'",
            "put a space after each '-': '- A naval blockade'",
        ),
        (
            "    • A naval blockade\n    • A recall",
            "'• A naval blockade • A recall', not a list: YAML lists use '- ' for each item, "
            "not '•'",
            "start each item with '- ' instead: '- A naval blockade'",
        ),
    ],
    ids=["dash-without-space", "bullet-character"],
)
def test_whole_list_without_dashes_is_told_it_reads_as_one_text(make_bank, written, why, hint):
    path = make_bank(ITEMS.replace("    - A naval blockade\n    - A recall", written))
    assert located(path) == [
        (10, 7, "wrong-type", f"question 'c': 'distractors' is read as one text, {why}", hint)
    ]


@pytest.mark.parametrize(
    "questions, key, line, col, hint",
    [
        pytest.param(
            CARD.replace("answer: Xi", "answer: - BTS"),
            "answer",
            8,
            13,
            "write the text without the dash, 'answer: BTS', or put the item on a line of "
            "its own below 'answer:'",
            id="text-key",
        ),
        pytest.param(
            ITEMS.replace(
                "distractors:\n    - A naval blockade", "distractors: - A naval blockade"
            ),
            "distractors",
            9,
            18,
            "put the item on a line of its own below 'distractors:', indented more than it: "
            "'- A naval blockade' (or write 'distractors: [A naval blockade]')",
            id="list-key",
        ),
    ],
)
def test_list_item_on_the_line_of_its_key_is_told_where_it_goes(
    make_bank, questions, key, line, col, hint
):
    # libyaml: "block sequence entries are not allowed in this context".
    assert located(make_bank(questions)) == [
        (
            line,
            col,
            "yaml-syntax",
            f"YAML syntax: a '- ' list item cannot start on the same line as '{key}:'",
            hint,
        )
    ]


# --- a key missing, or written under the other type's name ---------------------------------


def test_cloze_written_with_prompt_is_told_to_rename_it_to_text(make_bank):
    cloze = "- id: c\n  type: cloze\n  prompt: THAAD came in {{c1::2017}}.\n  quote: in 2017\n"
    rename = (
        "a cloze's text, with {{c1::...}} around what to hide, goes under 'text:', not "
        "'prompt:': rename"
    )
    assert located(make_bank(cloze)) == [
        (
            5,
            5,
            "missing-key",
            "question 'c': missing 'text'",
            f"{rename} 'prompt:' on line 7 to 'text:'",
        ),
        (7, 5, "unknown-key", "question 'c': unknown key 'prompt'", f"{rename} it to 'text:'"),
    ]


def test_card_written_with_text_is_told_to_rename_it_to_prompt(make_bank):
    card = CARD.replace("prompt: Who?", "text: Who?")
    rename = "a card question's question goes under 'prompt:' ('text:' is for cloze questions)"
    assert located(make_bank(card)) == [
        (
            5,
            5,
            "missing-key",
            "question 'a': missing 'prompt'",
            f"{rename}: rename 'text:' on line 7 to 'prompt:'",
        ),
        (
            7,
            5,
            "unknown-key",
            "question 'a': unknown key 'text'",
            f"{rename}: rename it to 'prompt:'",
        ),
    ]


@pytest.mark.parametrize(
    "questions, key, hint",
    [
        (CARD.replace("  answer: Xi\n", ""), "answer", "add a line such as 'answer: 2017'"),
        (
            TRUEFALSE.replace("  answer: true\n", ""),
            "answer",
            "add a line such as 'answer: true (or false)'",
        ),
        (
            CARD.replace("  quote: in 2017\n", ""),
            "quote",
            "add a line such as 'quote: the passage that proves the answer, copied word for "
            "word from the document'",
        ),
        (
            ITEMS.replace("  distractors:\n    - A naval blockade\n    - A recall\n", ""),
            "distractors",
            "add a line such as 'distractors: [2016, 2018]'",
        ),
    ],
    ids=["answer", "truefalse-answer", "quote", "distractors"],
)
def test_missing_key_is_named_with_a_line_to_add(make_bank, questions, key, hint):
    ((line, col, code, message, got),) = located(make_bank(questions))
    assert (line, col, code, message.split(": ", 1)[1], got) == (
        5,
        5,
        "missing-key",
        f"missing '{key}'",
        hint,
    )


def test_bank_missing_its_document_key_is_shown_the_line(make_bank):
    path = make_bank("id: sample\ntitle: A Sample Reading\nquestions:\n" + CARD, header=False)
    problems = [p for p in load_bank(path).problems if p.code == "missing-key"]
    assert [(p.line, p.col, p.message, p.hint) for p in problems] == [
        (
            1,
            1,
            "bank: missing 'document'",
            "add a line such as 'document: sample.txt (the reading, next to this file)'",
        )
    ]
