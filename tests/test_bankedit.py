"""Adding accepted forms to bank files: the file keeps its comments and layout, and is checked."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from studyapp import bankedit
from studyapp.bankedit import EditError, add_accept, plan_accept
from studyapp.banks import load_bank

QUOTE = "Support for closer ties with China fell by 19 percent."


def answer_question(extra: str = "", *, qid: str = "fell", answer: str = "19 percent") -> str:
    return (
        f"- id: {qid}\n  type: answer\n  prompt: How far did support fall?\n"
        f"  answer: {answer}\n{extra}  quote: {QUOTE}\n"
    )


def accept_of(path, qid: str = "fell") -> tuple[str, ...]:
    bank = load_bank(path).bank
    assert bank is not None
    return bank.question(qid).accept


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    import difflib

    return [
        (tag, line)
        for tag, line in (
            (d[0], d[2:]) for d in difflib.ndiff(before.splitlines(), after.splitlines())
        )
        if tag in "+-"
    ]


def test_flow_list_gets_the_form_before_its_bracket(make_bank):
    path = make_bank(answer_question('  accept: ["19%", nineteen percent]  # forms seen\n'))
    before = path.read_text()
    edit = add_accept(path, "fell", "about 19 percent")
    assert (
        edit.changed
        and edit.text == '    accept: ["19%", nineteen percent, about 19 percent]  # forms seen'
    )
    assert path.read_text().splitlines()[edit.line - 1] == edit.text
    assert changed_lines(before, path.read_text()) == [
        ("-", '    accept: ["19%", nineteen percent]  # forms seen'),
        ("+", edit.text),
    ]
    assert accept_of(path) == ("19%", "nineteen percent", "about 19 percent")


def test_flow_list_over_several_lines_gets_the_form_after_its_last_item(make_bank):
    path = make_bank(answer_question("  accept: [\n      19%,\n      nineteen percent\n    ]\n"))
    edit = add_accept(path, "fell", "about 19 percent")
    assert edit.text == "        nineteen percent, about 19 percent"
    assert accept_of(path) == ("19%", "nineteen percent", "about 19 percent")


def test_block_list_gets_a_new_item_in_the_same_style(make_bank):
    extra = "  accept:\n    -   19%   # with a percent sign\n    # spelled out:\n    -   nineteen percent\n"
    path = make_bank(answer_question(extra))
    before = path.read_text()
    edit = add_accept(path, "fell", "about 19 percent")
    assert edit.text == "      -   about 19 percent"
    assert changed_lines(before, path.read_text()) == [("+", "      -   about 19 percent")]
    assert accept_of(path) == ("19%", "nineteen percent", "about 19 percent")


def test_without_an_accept_list_one_is_added_after_the_answer(make_bank):
    path = make_bank(answer_question("  # explain comes next\n"))
    before = path.read_text()
    edit = add_accept(path, "fell", "about 19%")
    assert edit.text == "    accept: [about 19%]"
    lines = path.read_text().splitlines()
    assert lines[edit.line - 2] == "    answer: 19 percent"
    assert changed_lines(before, path.read_text()) == [("+", edit.text)]
    assert accept_of(path) == ("about 19%",)


@pytest.mark.parametrize(
    "answer",
    [
        "|\n    nineteen\n    percent\n\n",  # a block scalar swallows the blank line after it
        "nineteen\n    percent",  # a plain scalar over two lines
        '"nineteen percent"',
    ],
)
def test_the_accept_list_follows_answers_written_over_several_lines(make_bank, answer):
    path = make_bank(answer_question(answer=answer))
    old = load_bank(path).bank.question("fell")
    edit = add_accept(path, "fell", "about 19%")
    new = load_bank(path).bank.question("fell")
    assert new.accept == ("about 19%",) and new.answer == old.answer
    assert edit.text.strip().startswith("accept:")


@pytest.mark.parametrize(
    "form",
    ["a, b", "x: y", "#19", "it's 19", 'the "19"', "yes", "2019", "Xiàmén [sic]", "{19}", "- 19"],
)
def test_forms_with_yaml_syntax_in_them_read_back_unchanged(make_bank, form):
    path = make_bank(answer_question('  accept: ["19%"]\n'))
    add_accept(path, "fell", form)
    assert accept_of(path) == ("19%", form)
    block = make_bank(answer_question("  accept:\n    - 19%\n"), name="block")
    add_accept(block, "fell", form)
    assert accept_of(block) == ("19%", form)


def test_crlf_line_ends_and_a_missing_final_newline_are_kept(make_bank):
    path = make_bank(answer_question())
    text = path.read_text().rstrip("\n").replace("\n", "\r\n")
    # Put the answer last so the insertion happens at the end of the file.
    text = text.replace(f"\r\n    quote: {QUOTE}", "").replace(
        "    answer: 19 percent", f"    quote: {QUOTE}\r\n    answer: 19 percent"
    )
    path.write_bytes(text.encode())
    add_accept(path, "fell", "about 19%")
    raw = path.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"") and not raw.endswith(b"\r\n")
    assert raw.endswith(b"\r\n    accept: [about 19%]")
    assert accept_of(path) == ("about 19%",)


def test_a_form_already_taken_changes_nothing(make_bank):
    path = make_bank(answer_question('  accept: ["19%"]\n'))
    before = path.read_bytes()
    edit = add_accept(path, "fell", "  19 PERCENT ")
    assert not edit.changed and edit.text == '    accept: ["19%"]'
    assert path.read_bytes() == before


def test_questions_without_an_accept_list_are_refused(make_bank):
    path = make_bank(
        answer_question()
        + "- id: met\n  type: cloze\n  text: Chung met {{c1::Wang Yi}}.\n"
        + "  quote: Chung Eui-yong met Wang Yi in Xiamen.\n"
    )
    before = path.read_bytes()
    with pytest.raises(EditError, match="'met' is a cloze question: it has no accept list"):
        add_accept(path, "met", "Wang")
    with pytest.raises(EditError, match="no question 'nope'"):
        add_accept(path, "nope", "x")
    assert path.read_bytes() == before


def test_a_file_with_problems_is_left_alone(make_bank):
    path = make_bank(answer_question() + "- id: fell\n  type: card\n")
    before = path.read_bytes()
    with pytest.raises(EditError, match="has problems now"):
        add_accept(path, "fell", "19%")
    assert path.read_bytes() == before


def test_a_layout_it_cannot_edit_gives_the_line_to_add_by_hand(make_bank):
    path = make_bank(
        f"- {{id: fell, type: answer, prompt: How far?, answer: 19 percent, quote: {QUOTE}}}\n"
    )
    before = path.read_bytes()
    with pytest.raises(EditError, match="flow style") as caught:
        add_accept(path, "fell", "about 19%")
    assert caught.value.line == "accept: [about 19%]"
    assert path.read_bytes() == before


def test_the_check_refuses_an_edit_that_touched_another_question(make_bank):
    path = make_bank(answer_question() + answer_question(qid="rose", answer="20 percent"))
    old = load_bank(path).bank
    text, _ = plan_accept(path.read_text(), "fell", "19%")
    path.write_text(text.replace("answer: 20 percent", "answer: 21 percent"))
    with pytest.raises(EditError, match="changed question 'rose'"):
        bankedit._check(old, load_bank(path).bank, "fell", "19%")


def test_the_file_is_replaced_whole_keeping_its_mode_and_no_temporary_file(make_bank):
    path = make_bank(answer_question())
    os.chmod(path, 0o640)
    add_accept(path, "fell", "19%")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["sample.txt", "sample.yaml"]


def test_concurrent_edits_both_land(make_bank):
    path = make_bank(answer_question('  accept: ["19%"]\n'))
    forms = [f"form {i}" for i in range(6)]
    errors = []

    def add(form):
        try:
            add_accept(path, "fell", form)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(f,)) for f in forms]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(accept_of(path)) == sorted(["19%", *forms])
