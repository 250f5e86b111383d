"""Adding accepted forms to bank files: the file keeps its comments and layout, and is checked."""

from __future__ import annotations

import os
import stat
import threading
from dataclasses import replace

import pytest

from studyapp import bankedit
from studyapp.bankedit import EditError, add_accept, add_cloze_accept, plan_accept
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
    wanted = replace(old.question("fell"), accept=("19%",))
    with pytest.raises(EditError, match="changed question 'rose'"):
        bankedit._check(old, load_bank(path).bank, wanted)


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


# --- cloze deletions: accept maps each deletion number to its forms ---------------------------

MET = "Chung Eui-yong met Wang Yi in Xiamen."


def cloze_question(
    accept: str = "", *, qid: str = "met", text: str = "{{c1::Wang Yi}} in {{c2::Xiamen}}"
) -> str:
    return (
        f"- id: {qid}\n  type: cloze\n  text: Chung Eui-yong met {text}.\n{accept}  quote: {MET}\n"
    )


def cloze_accept_of(path, qid: str = "met") -> tuple[tuple[int, tuple[str, ...]], ...]:
    bank = load_bank(path).bank
    assert bank is not None
    return bank.question(qid).cloze_accept


def test_a_cloze_without_accept_gets_a_mapping_after_its_text(make_bank):
    path = make_bank(cloze_question("  # the quote is the article's\n"))
    before = path.read_text()
    edit = add_cloze_accept(path, "met", 2, ["Xiamen city"])
    assert edit.changed and edit.form == "Xiamen city"
    assert edit.text == "    accept:\n      c2: [Xiamen city]"
    lines = path.read_text().splitlines()
    assert lines[edit.line - 2].startswith("    text: Chung Eui-yong met")
    assert changed_lines(before, path.read_text()) == [
        ("+", "    accept:"),
        ("+", "      c2: [Xiamen city]"),
    ]
    assert "  # the quote is the article's" in path.read_text()
    assert cloze_accept_of(path) == ((2, ("Xiamen city",)),)


def test_the_cloze_mapping_follows_a_text_written_over_several_lines(make_bank):
    question = cloze_question().replace(
        "text: Chung Eui-yong met", "text: >\n    Chung Eui-yong\n    met"
    )
    path = make_bank(question)
    old = load_bank(path).bank.question("met")
    edit = add_cloze_accept(path, "met", 1, ["Wang"])
    assert path.read_text().splitlines()[edit.line - 2].endswith("in {{c2::Xiamen}}.")
    new = load_bank(path).bank.question("met")
    assert new.cloze_accept == ((1, ("Wang",)),) and new.text == old.text


def test_a_deletions_flow_list_gets_the_form_before_its_bracket(make_bank):
    path = make_bank(cloze_question("  accept:\n    c2: [Amoy]  # its old name\n"))
    before = path.read_text()
    edit = add_cloze_accept(path, "met", 2, ["Xiamen city"])
    assert edit.text == "      c2: [Amoy, Xiamen city]  # its old name"
    assert changed_lines(before, path.read_text()) == [
        ("-", "      c2: [Amoy]  # its old name"),
        ("+", edit.text),
    ]
    assert cloze_accept_of(path) == ((2, ("Amoy", "Xiamen city")),)


def test_a_deletions_block_list_gets_a_new_item_line(make_bank):
    accept = "  accept:\n    c1: [Wang]\n    c2:\n      - Amoy   # its old name\n"
    path = make_bank(cloze_question(accept))
    before = path.read_text()
    edit = add_cloze_accept(path, "met", 2, ["Xiamen city"])
    assert edit.text == "        - Xiamen city"
    assert changed_lines(before, path.read_text()) == [("+", edit.text)]
    assert cloze_accept_of(path) == ((1, ("Wang",)), (2, ("Amoy", "Xiamen city")))


def test_a_new_number_goes_in_order_above_the_comments_of_the_next(make_bank):
    accept = "  accept:\n    # the port's old name\n    c2: [Amoy]\n"
    path = make_bank(cloze_question(accept))
    edit = add_cloze_accept(path, "met", 1, ["Wang"])
    assert edit.text == "      c1: [Wang]"
    assert path.read_text().splitlines()[edit.line - 2 : edit.line + 2] == [
        "    accept:",
        "      c1: [Wang]",
        "      # the port's old name",
        "      c2: [Amoy]",
    ]
    assert cloze_accept_of(path) == ((1, ("Wang",)), (2, ("Amoy",)))


def test_a_new_number_after_the_others_goes_after_the_last_form(make_bank):
    accept = "  accept:\n    c1:\n      - Wang\n      # more to come\n"
    path = make_bank(cloze_question(accept))
    before = path.read_text()
    edit = add_cloze_accept(path, "met", 2, ["Xiamen city"])
    assert edit.text == "      c2: [Xiamen city]"
    assert path.read_text().splitlines()[edit.line - 2] == "        - Wang"
    assert changed_lines(before, path.read_text()) == [("+", edit.text)]
    assert cloze_accept_of(path) == ((1, ("Wang",)), (2, ("Xiamen city",)))


@pytest.mark.parametrize(
    ("accept", "number", "line", "forms"),
    [
        (
            "{c1: [Wang]}",
            2,
            "{c1: [Wang], c2: [Xiamen city]}",
            ((1, ("Wang",)), (2, ("Xiamen city",))),
        ),
        ("{c1: [Wang]}", 1, "{c1: [Wang, Xiamen city]}", ((1, ("Wang", "Xiamen city")),)),
        (
            "{c2: [Amoy]}",
            1,
            "{c1: [Xiamen city], c2: [Amoy]}",
            ((1, ("Xiamen city",)), (2, ("Amoy",))),
        ),
    ],
)
def test_a_flow_mapping_gets_the_form_inside_it(make_bank, accept, number, line, forms):
    path = make_bank(cloze_question(f"  accept: {accept}  # forms\n"))
    before = path.read_text()
    edit = add_cloze_accept(path, "met", number, ["Xiamen city"])
    assert edit.text == f"    accept: {line}  # forms"
    assert changed_lines(before, path.read_text()) == [
        ("-", f"    accept: {accept}  # forms"),
        ("+", edit.text),
    ]
    assert cloze_accept_of(path) == forms


def test_a_cloze_edit_keeps_crlf_line_ends(make_bank):
    path = make_bank(cloze_question() + answer_question())
    path.write_bytes(path.read_text().replace("\n", "\r\n").encode())
    edit = add_cloze_accept(path, "met", 2, ["Xiamen city"])
    raw = path.read_bytes()
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"}}.\r\n    accept:\r\n      c2: [Xiamen city]\r\n    quote: " in raw
    assert edit.text == "    accept:\n      c2: [Xiamen city]"
    assert cloze_accept_of(path) == ((2, ("Xiamen city",)),)


def test_a_card_with_several_blanks_adds_only_the_blanks_not_taken_yet(make_bank):
    two = "{{c1::Wang Yi}} in {{c1::Xiamen}}"
    path = make_bank(cloze_question("  accept:\n    c1: [Amoy]\n", text=two))
    # "wang yi" is the hidden text; "AMOY" is accepted already; the two new ones fold alike.
    edit = add_cloze_accept(path, "met", 1, ["wang yi", "AMOY"])
    assert not edit.changed
    edit = add_cloze_accept(path, "met", 1, ["Mr Wang", "Xiamen city"])
    assert edit.form == "Mr Wang · Xiamen city"
    assert edit.text == "      c1: [Amoy, Mr Wang, Xiamen city]"
    assert cloze_accept_of(path) == ((1, ("Amoy", "Mr Wang", "Xiamen city")),)
    assert bankedit.cloze_forms(load_bank(path).bank.question("met"), 1, ["Wang", "wang"]) == [
        "Wang"
    ]


@pytest.mark.parametrize(
    ("blanks", "message", "line"),
    [
        (["Wang"], "card 1 has 2 blank", "accept: {c1: [Amoy, Wang]}"),
        (["Wang · Amoy", "x", "y"], "card 1 has 2 blank", None),
        (["Xiamen", "Wang Yi"], "“Xiamen” is the hidden text of another c1 deletion", None),
        (["", "Xiamen"], "blank 1 of card 1 is empty", None),
    ],
)
def test_blanks_that_do_not_fit_the_card_are_refused(make_bank, blanks, message, line):
    two = "{{c1::Wang Yi}} in {{c1::Xiamen}}"
    path = make_bank(cloze_question("  accept:\n    c1: [Amoy]\n", text=two))
    before = path.read_bytes()
    with pytest.raises(EditError, match=message) as caught:
        add_cloze_accept(path, "met", 1, blanks)
    if line is not None:
        assert caught.value.line == line
    assert path.read_bytes() == before


def test_a_cloze_form_already_taken_changes_nothing(make_bank):
    path = make_bank(cloze_question("  accept:\n    c2: [Amoy]\n"))
    before = path.read_bytes()
    edit = add_cloze_accept(path, "met", 2, ["  amoy "])
    assert not edit.changed and edit.text == "      c2: [Amoy]"
    assert path.read_text().splitlines()[edit.line - 1] == edit.text
    edit = add_cloze_accept(path, "met", 2, ["XIAMEN"])
    assert not edit.changed
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("questions", "message", "line"),
    [
        (
            f"- {{id: met, type: cloze, text: 'Met {{{{c1::Wang Yi}}}} in {{{{c2::Xiamen}}}}.', quote: {MET}}}\n",
            "flow style",
            "accept: {c2: [Xiamen city]}",
        ),
        (
            cloze_question("  accept:\n    c2:\n      -\n        Amoy\n"),
            "laid out unusually",
            "accept: {c2: [Amoy, Xiamen city]}",
        ),
        (
            # The alias shares the first question's forms: writing them would change both.
            cloze_question("  accept: &forms\n    c1: [Wang]\n", qid="first")
            + cloze_question("  accept: *forms\n"),
            "changed question 'first' too",
            "accept: {c1: [Wang], c2: [Xiamen city]}",
        ),
        (answer_question(qid="met"), "'met' is not a cloze question", None),
        (cloze_question(), "'met' has no deletion c3", None),
    ],
)
def test_a_cloze_layout_it_refuses_leaves_the_file_byte_identical(
    make_bank, questions, message, line
):
    path = make_bank(questions)
    assert load_bank(path).bank is not None
    before = path.read_bytes()
    number = 3 if "c3" in message else 2
    with pytest.raises(EditError, match=message) as caught:
        add_cloze_accept(path, "met", number, ["Xiamen city"])
    assert caught.value.line == line
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["sample.txt", "sample.yaml"]


def test_the_check_refuses_a_cloze_edit_that_changed_another_number(make_bank):
    path = make_bank(cloze_question("  accept:\n    c1: [Wang]\n"))
    old = load_bank(path).bank
    question = old.question("met")
    text, _ = bankedit.plan_cloze_accept(path.read_text(), "met", 2, ["Xiamen city"])
    path.write_text(text.replace("c1: [Wang]", "c1: [Wang, Mr Wang]"))
    wanted = bankedit.with_cloze_forms(question, 2, ["Xiamen city"])
    with pytest.raises(EditError, match="did not come out as intended"):
        bankedit._check(old, load_bank(path).bank, wanted)


def test_the_preview_shows_what_accepting_a_cloze_claim_writes(make_bank):
    path = make_bank(cloze_question("  accept:\n    c2: [Amoy]\n"))
    question = load_bank(path).bank.question("met")
    source = path.read_text()
    line, text = bankedit.preview_cloze_accept(source, question, 2, ["Xiamen city"])
    assert text == "      c2: [Amoy, Xiamen city]"
    assert source.splitlines()[line - 1] == "      c2: [Amoy]"
    assert (
        bankedit.preview_cloze_accept(source, question, 1, ["Mr Wang"])[1] == "      c1: [Mr Wang]"
    )
    assert path.read_text() == source
