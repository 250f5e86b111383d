"""`studyapp check` and the loader: one test per kind of problem, with exact positions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studyapp.banks import load_bank
from studyapp.cli import main
from studyapp.problems import Problem, summary

GOOD_CHOICE = """\
- id: coercion
  type: choice
  prompt: What did Beijing answer THAAD with?
  answer: Economic coercive measures
  distractors: [A naval blockade, A recall of its ambassador]
  quote: a barrage of economic coercive measures
"""


def problems_of(path: Path) -> list[tuple[int, int, str, str]]:
    result = load_bank(path, path.name)
    return [(p.line, p.col, p.code, p.message) for p in sorted(result.problems)]


def test_clean_bank_loads_typed_questions(make_bank):
    result = load_bank(make_bank(GOOD_CHOICE))
    assert result.problems == []
    assert result.bank is not None
    (q,) = result.bank.questions
    assert (q.bank_id, q.id, q.type, q.line) == ("sample", "coercion", "choice", 5)
    assert q.options == (
        "Economic coercive measures",
        "A naval blockade",
        "A recall of its ambassador",
    )
    assert len(q.content_hash) == 16


# Each case: the questions YAML (under a standard 4-line header, indented by 2), and the one
# problem it must produce as (line, column, code, message).
CASES = {
    "yaml-syntax": (
        "- id: a\n  type: card\n  prompt: Who: Xi\n",
        (7, 16, "yaml-syntax", "YAML syntax: mapping values are not allowed in this context"),
    ),
    "duplicate-key": (
        GOOD_CHOICE + "  quote: economic coercive measures\n",
        (
            11,
            5,
            "duplicate-key",
            "question 'coercion': key 'quote' appears twice (first on line 10)",
        ),
    ),
    "unknown-key": (
        GOOD_CHOICE + "  explian: Because.\n",
        (11, 5, "unknown-key", "question 'coercion': unknown key 'explian'"),
    ),
    "missing-key": (
        "- id: a\n  type: card\n  prompt: Who?\n  quote: THAAD\n",
        (5, 5, "missing-key", "question 'a': missing 'answer'"),
    ),
    "wrong-type-list": (
        GOOD_CHOICE.replace("[A naval blockade, A recall of its ambassador]", "A naval blockade"),
        (
            9,
            18,
            "wrong-type",
            "question 'coercion': 'distractors' should be a list, not a single value",
        ),
    ),
    "wrong-type-bool": (
        "- id: tf\n  type: truefalse\n  prompt: THAAD came in 2017.\n  answer: maybe\n"
        "  quote: in 2017\n",
        (8, 13, "wrong-type", "question 'tf': 'answer' should be true or false, not 'maybe'"),
    ),
    "empty-value": (
        "- id: a\n  type: card\n  prompt:\n  answer: x\n  quote: THAAD\n",
        (7, 12, "empty-value", "question 'a': 'prompt' is empty"),
    ),
    "unknown-type": (
        "- id: a\n  type: flashcard\n  prompt: Who?\n  answer: x\n  quote: THAAD\n",
        (
            6,
            11,
            "unknown-type",
            "question 'a': type 'flashcard' is not one of choice, multi, truefalse, cloze, answer, card",
        ),
    ),
    "invalid-id": (
        GOOD_CHOICE.replace("id: coercion", "id: Coercion 1"),
        (
            5,
            9,
            "invalid-id",
            "question 'Coercion 1': id 'Coercion 1' may hold only lowercase letters, digits and hyphens",
        ),
    ),
    "duplicate-id": (
        GOOD_CHOICE + GOOD_CHOICE,
        (
            11,
            9,
            "duplicate-id",
            "question 'coercion': id is already used by the question on line 5",
        ),
    ),
    "answer-in-distractors": (
        GOOD_CHOICE.replace("A naval blockade", "economic  coercive measures"),
        (
            9,
            19,
            "answer-in-distractors",
            "question 'coercion': distractor 'economic  coercive measures' is also the right answer",
        ),
    ),
    "duplicate-option": (
        GOOD_CHOICE.replace("A recall of its ambassador", "a naval blockade"),
        (
            9,
            37,
            "duplicate-option",
            "question 'coercion': distractor 'a naval blockade' appears twice",
        ),
    ),
    "duplicate-option-multi": (
        "- id: m\n  type: multi\n  prompt: Who met?\n  answers: [Wang Yi, Wang Yi]\n"
        "  distractors: [Suh Hoon]\n  quote: Chung Eui-yong met Wang Yi in Xiamen.\n",
        (8, 24, "duplicate-option", "question 'm': answer 'Wang Yi' appears twice"),
    ),
    "cloze-no-deletion": (
        "- id: c\n  type: cloze\n  text: THAAD was deployed in 2017.\n  quote: in 2017\n",
        (7, 11, "cloze-no-deletion", "question 'c': cloze text hides nothing"),
    ),
    "cloze-malformed": (
        "- id: c\n  type: cloze\n  text: THAAD came in {{c1:2017}}.\n  quote: in 2017\n",
        (
            7,
            25,
            "cloze-malformed",
            "question 'c': '{{c1:2017}}' needs two colons after the number, as in '{{c1::answer}}'",
        ),
    ),
    "cloze-unclosed": (
        "- id: c\n  type: cloze\n  text: THAAD came in {{c1::2017.\n  quote: in 2017\n",
        (7, 25, "cloze-malformed", "question 'c': '{{' is never closed with '}}'"),
    ),
    "cloze-gap": (
        "- id: c\n  type: cloze\n  text: '{{c1::THAAD}} came in {{c3::2017}}.'\n  quote: in 2017\n",
        (7, 11, "cloze-malformed", "question 'c': cloze numbers c1, c3 skip a number"),
    ),
    "accept-repeats-answer": (
        "- id: a\n  type: answer\n  prompt: By how much?\n  answer: 19 percent\n"
        "  accept: [19%, 19 Percent]\n  quote: fell by 19 percent\n",
        (
            9,
            19,
            "accept-repeats-answer",
            "question 'a': accept form '19 Percent' is the answer itself",
        ),
    ),
    "quote-not-found": (
        GOOD_CHOICE.replace("a barrage of economic", "a wave of economic"),
        (
            10,
            14,
            "quote-not-found",
            "question 'coercion': quote is not in sample.txt: it matches the document up to "
            "'a', then the document has 'barrage' where the quote has 'wave'",
        ),
    ),
    "quote-across-paragraphs": (
        GOOD_CHOICE.replace(
            "a barrage of", "in South Korea in 2017. Beijing answered with a barrage of"
        ),
        (
            10,
            12,
            "quote-across-paragraphs",
            "question 'coercion': quote runs across two paragraphs of sample.txt: quote from one "
            "paragraph only",
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_problem_is_located(make_bank, case):
    questions, expected = CASES[case]
    path = make_bank(questions)
    assert problems_of(path) == [expected]
    assert load_bank(path).bank is None


def test_quote_not_found_hints_the_closest_passage(make_bank):
    path = make_bank(GOOD_CHOICE.replace("a barrage of economic", "a barage of economic"))
    (problem,) = load_bank(path).problems
    assert problem.hint == 'closest passage: "a barrage of economic coercive measures,"'


def test_quote_matching_folds_whitespace_and_curly_quotes(make_bank):
    path = make_bank(
        GOOD_CHOICE.replace(
            "quote: a barrage of economic coercive measures",
            'quote: "Beijing   answered with a barrage of economic coercive measures, such as'
            ' business closures and travel bans"',
        )
    )
    assert load_bank(path).problems == []


def test_quote_across_paragraphs_says_where_the_next_one_starts(make_bank):
    # Verbatim, line break and blank line folded, yet the reading view cannot highlight it.
    quote = (
        "quote: >\n    deployed in South Korea in 2017.\n\n    Beijing answered with a barrage\n"
    )
    path = make_bank(GOOD_CHOICE.replace("quote: a barrage of economic coercive measures\n", quote))
    (problem,) = load_bank(path).problems
    assert (problem.line, problem.col, problem.code) == (10, 12, "quote-across-paragraphs")
    assert problem.hint == (
        'a new paragraph starts at "Beijing answered with a barrage of ..."; '
        "the reading view highlights a quote within one paragraph"
    )


def test_quote_across_bullets_names_the_bullet(make_bank):
    quote = "quote: in Xiamen. - Suh Hoon met\n"
    path = make_bank(GOOD_CHOICE.replace("quote: a barrage of economic coercive measures\n", quote))
    (problem,) = load_bank(path).problems
    assert problem.message == (
        "question 'coercion': quote runs across two paragraphs of sample.txt: quote from one "
        "paragraph only"
    )
    assert problem.hint == (
        'a new bullet starts at "Suh Hoon met Jake Sullivan in ..."; '
        "the reading view highlights a quote within one paragraph"
    )


def test_unknown_key_suggests_the_near_miss(make_bank):
    path = make_bank(GOOD_CHOICE.replace("distractors:", "distracters:"))
    hints = {p.code: p.hint for p in load_bank(path).problems}
    assert hints["unknown-key"] == "did you mean 'distractors'?"


def test_key_of_another_type_says_which_type_it_belongs_to(make_bank):
    path = make_bank(GOOD_CHOICE.replace("answer:", "answers:"))
    problems = {p.code: p for p in load_bank(path).problems}
    assert problems["unknown-key"].hint == (
        "'answers' belongs to multi questions; did you mean 'answer'?"
    )
    assert problems["missing-key"].message == "question 'coercion': missing 'answer'"


def test_missing_document_is_reported_at_the_document_key(make_bank, tmp_path):
    path = make_bank(GOOD_CHOICE)
    (tmp_path / "questions" / "sample.txt").unlink()
    result = load_bank(path, path.name)
    assert [(p.line, p.col, p.code) for p in result.problems] == [(3, 11, "document-missing")]


def test_every_problem_of_a_file_is_reported_not_just_the_first(make_bank):
    bad = GOOD_CHOICE.replace("A naval blockade", "Economic coercive measures")
    bad += "- id: c\n  type: cloze\n  text: no deletion\n  quote: in 2017\n  colour: red\n"
    codes = [p[2] for p in problems_of(make_bank(bad))]
    assert codes == [
        "answer-in-distractors",
        "cloze-no-deletion",
        "unknown-key",
    ]


def test_a_question_missing_a_key_still_has_its_other_problems_reported(make_bank):
    """A mistyped key makes a question incomplete, but its reused id and its stale quote are
    independent of that: one run reports all of them, as an unknown type does not hide them."""
    bad = (
        GOOD_CHOICE.replace("distractors:", "distractor:").replace("a barrage of", "a wave of")
        + "- id: coercion\n"
        "  type: true-false\n"
        "  prompt: Support for closer ties with China fell.\n"
        "  answer: true\n"
        "  quote: Support for ties with China rose.\n"
    )
    assert problems_of(make_bank(bad)) == [
        (5, 5, "missing-key", "question 'coercion': missing 'distractors'"),
        (9, 5, "unknown-key", "question 'coercion': unknown key 'distractor'"),
        (
            10,
            14,
            "quote-not-found",
            "question 'coercion': quote is not in sample.txt: it matches the document up to "
            "'a', then the document has 'barrage' where the quote has 'wave'",
        ),
        (
            11,
            9,
            "duplicate-id",
            "question 'coercion': id is already used by the question on line 5",
        ),
        (
            12,
            11,
            "unknown-type",
            "question 'coercion': type 'true-false' is not one of choice, multi, truefalse, "
            "cloze, answer, card",
        ),
        (
            15,
            24,
            "quote-not-found",
            "question 'coercion': quote is not in sample.txt: it matches the document up to "
            "'Support for', then the document has 'closer', which the quote leaves out",
        ),
    ]


def test_a_question_without_a_readable_id_still_has_its_other_problems_reported(make_bank):
    """Its missing or malformed id keeps it out of the bank, but its stale quote and its bad
    option are still reported in the same run, naming the question by its line; two such
    questions are no "reused id" of each other."""
    bad = GOOD_CHOICE.replace("- id: coercion\n  type", "- type").replace(
        "a barrage of", "a wave of"
    ).replace("A naval blockade", "Economic coercive measures") + GOOD_CHOICE.replace(
        "coercion", "Bad Id"
    ).replace("a barrage of", "a wave of")
    assert problems_of(make_bank(bad)) == [
        (5, 5, "missing-key", "the question on line 5: missing 'id'"),
        (
            8,
            19,
            "answer-in-distractors",
            "the question on line 5: distractor 'Economic coercive measures' is also the right "
            "answer",
        ),
        (
            9,
            14,
            "quote-not-found",
            "the question on line 5: quote is not in sample.txt: it matches the document up to "
            "'a', then the document has 'barrage' where the quote has 'wave'",
        ),
        (
            10,
            9,
            "invalid-id",
            "question 'Bad Id': id 'Bad Id' may hold only lowercase letters, digits and hyphens",
        ),
        (
            15,
            14,
            "quote-not-found",
            "the question on line 10: quote is not in sample.txt: it matches the document up "
            "to 'a', then the document has 'barrage' where the quote has 'wave'",
        ),
    ]


@pytest.mark.parametrize(
    "question, expected",
    [
        # Nothing to judge a cloze by without its text: no "hides nothing", no accept key
        # "names no deletion".
        (
            "- id: a\n  type: cloze\n  accept: {c1: [THAAD]}\n  quote: in 2017\n",
            [(5, 5, "missing-key", "question 'a': missing 'text'")],
        ),
        # An accept form is no repeat of an answer that is missing.
        (
            "- id: a\n  type: answer\n  prompt: When?\n  accept: ['?']\n  quote: in 2017\n",
            [(5, 5, "missing-key", "question 'a': missing 'answer'")],
        ),
        # Nor is a distractor the right answer of a choice that has none.
        (
            "- id: a\n  type: choice\n  prompt: When?\n  distractors: ['-']\n  quote: in 2017\n",
            [(5, 5, "missing-key", "question 'a': missing 'answer'")],
        ),
        # A missing or unreadable quote is one problem, not also a quote not found.
        (
            "- id: a\n  type: card\n  prompt: When?\n  answer: '2017'\n",
            [(5, 5, "missing-key", "question 'a': missing 'quote'")],
        ),
        (
            "- id: a\n  type: card\n  prompt: When?\n  answer: '2017'\n  quote: [in, 2017]\n",
            [(9, 12, "wrong-type", "question 'a': 'quote' should be text, not a list")],
        ),
        # Keys of the other types go unjudged under a type that is unknown.
        (
            "- id: a\n  type: clozee\n  text: '{{c1::THAAD'\n  quote: in 2017\n",
            [
                (
                    6,
                    11,
                    "unknown-type",
                    "question 'a': type 'clozee' is not one of choice, multi, truefalse, "
                    "cloze, answer, card",
                )
            ],
        ),
    ],
)
def test_an_incomplete_question_raises_no_false_alarms(make_bank, question, expected):
    assert problems_of(make_bank(question)) == expected


def test_an_incomplete_question_keeps_its_other_checks(make_bank):
    """Only the missing quote stops this cloze: its malformed deletion is reported with it."""
    path = make_bank("- id: a\n  type: cloze\n  text: 'The {{c1::THAAD} came.'\n")
    assert [p[2] for p in problems_of(path)] == ["missing-key", "cloze-malformed"]


def test_bad_file_encoding_is_located(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"id: x\ntitle: caf\xe9\n")
    assert problems_of(path) == [(2, 11, "not-utf8", "byte 0xe9 is not UTF-8 text")]


@pytest.mark.parametrize(
    "text, message",
    [
        ("- a\n- b\n", "a bank must be a mapping with 'id', 'title', 'document' and 'questions'"),
        ("id: x\n", "bank: missing 'title'"),
    ],
)
def test_not_a_bank(tmp_path, text, message):
    path = tmp_path / "x.yaml"
    path.write_text(text)
    assert message in [p.message for p in load_bank(path).problems]


EMPTY = "the file is empty: a bank needs 'id', 'title', 'document' and 'questions'"


@pytest.mark.parametrize(
    "text, message",
    [
        pytest.param("", EMPTY, id="no-bytes"),
        pytest.param("\n  \n\n", EMPTY, id="blank-lines"),
        pytest.param("---\n", EMPTY, id="document-start-only"),
        pytest.param(
            "# THAAD bank, to do\n\n  # questions go here\n",
            "the file is empty (it holds only comments): a bank needs 'id', 'title', "
            "'document' and 'questions'",
            id="comments-only",
        ),
    ],
)
def test_empty_bank_file_says_it_is_empty(tmp_path, text, message):
    path = tmp_path / "x.yaml"
    path.write_text(text)
    assert problems_of(path) == [(1, 1, "empty-value", message)]
    (problem,) = load_bank(path).problems
    assert problem.hint == "start from the example bank in questions/README.md"


# --- the command ---------------------------------------------------------------------------


def test_check_command_prints_like_a_compiler(make_bank, monkeypatch, tmp_path):
    path = make_bank(GOOD_CHOICE.replace("a barrage of economic", "a wave of economic"))
    monkeypatch.chdir(tmp_path)
    result = _run(["check", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        "questions/sample.yaml:10:14: error[quote-not-found] question 'coercion': "
        "quote is not in sample.txt: it matches the document up to 'a', then the document has "
        "'barrage' where the quote has 'wave'"
    )
    assert lines[2] == "10 |     quote: a wave of economic coercive measures"
    assert lines[3] == "   |              ^"
    assert lines[4].startswith("   = help: closest passage:")
    assert lines[-1] == "Found 1 problem in 1 file (1 question checked; the bank was not loaded)."


def test_check_command_concise_and_json(make_bank, monkeypatch, tmp_path):
    path = make_bank(GOOD_CHOICE + GOOD_CHOICE)
    monkeypatch.chdir(tmp_path)
    concise = _run(["check", "--format", "concise", str(path)])
    assert concise.output.splitlines()[0].startswith(
        "questions/sample.yaml:11:9: error[duplicate-id]"
    )
    as_json = json.loads(_run(["check", "--format", "json", str(path)]).output)
    assert as_json[0]["code"] == "duplicate-id" and as_json[0]["line"] == 11


def test_check_command_clean_exits_zero(make_bank):
    result = _run(["check", str(make_bank(GOOD_CHOICE))])
    assert result.exit_code == 0
    assert result.output.strip() == "All clean: 1 bank, 1 question checked."


def test_check_command_reads_questions_folder_from_environment(make_bank, monkeypatch, tmp_path):
    make_bank(GOOD_CHOICE, name="first")
    make_bank(GOOD_CHOICE, name="second")
    monkeypatch.setenv("STUDYAPP_QUESTIONS", str(tmp_path / "questions"))
    result = _run(["check"])
    assert result.output.strip() == "All clean: 2 banks, 2 questions checked."


def test_check_command_says_how_many_banks_loaded(make_bank, monkeypatch, tmp_path):
    make_bank(GOOD_CHOICE, name="first")
    make_bank(GOOD_CHOICE + GOOD_CHOICE, name="second")
    make_bank(GOOD_CHOICE, name="third")
    monkeypatch.setenv("STUDYAPP_QUESTIONS", str(tmp_path / "questions"))
    result = _run(["check", "--format", "concise"])
    assert result.output.splitlines()[-1] == (
        "Found 1 problem in 1 file (4 questions checked; 2 of 3 banks loaded)."
    )


@pytest.mark.parametrize(
    "banks, loaded, said",
    [
        (5, 4, "4 of 5 banks loaded"),
        (2, 0, "none of the 2 banks loaded"),
        (1, 0, "the bank was not loaded"),
    ],
)
def test_check_summary_counts_only_the_banks_that_loaded(banks, loaded, said):
    problem = Problem("b.yaml", 1, 1, "duplicate-id", "question 'a': id is already used")
    line = summary([problem], banks, 12, loaded)
    assert line == f"Found 1 problem in 1 file (12 questions checked; {said})."


def test_check_command_missing_path_is_a_usage_error(tmp_path):
    result = _run(["check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_check_command_never_shows_a_traceback(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xff\xfe{{{ ::: \t- [")
    result = _run(["check", str(path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def _run(args: list[str]):
    from click.testing import CliRunner

    return CliRunner().invoke(main, args, catch_exceptions=False)


@pytest.mark.parametrize(
    "distractor, same",
    [
        ("Economic coercive measures.", True),  # a full stop at the end
        ("economic  coercive measures", True),
        ("The economic coercive measures", True),  # a leading article
        ("Economic & coercive measures", False),  # "&" for "and", but no "and" here
        ("Economic coercive measures and threats", False),
        ("Economic measures", False),
    ],
)
def test_a_distractor_that_reads_as_the_answer_is_reported(make_bank, distractor, same):
    bank = GOOD_CHOICE.replace("[A naval blockade,", f'["{distractor}",')
    codes = [code for _, _, code, _ in problems_of(make_bank(bank))]
    assert codes == (["answer-in-distractors"] if same else [])


def test_and_written_as_an_ampersand_is_the_same_option(make_bank):
    bank = GOOD_CHOICE.replace(
        "answer: Economic coercive measures", "answer: Business closures and travel bans"
    ).replace("[A naval blockade,", "[Business closures & travel bans,")
    bank = bank.replace(
        "a barrage of economic coercive measures", "business closures and travel bans"
    )
    codes = [code for _, _, code, _ in problems_of(make_bank(bank))]
    assert "answer-in-distractors" in codes
