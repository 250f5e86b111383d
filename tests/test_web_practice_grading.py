"""Marking a practice test's answers, and reading stored answers back into the form."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyapp.model import Question
from studyapp.web.options import NotAnOption, UnknownOption, indexes_of, shown_options
from studyapp.web.practice_grading import (
    BadAnswer,
    draw,
    expected_text,
    form_values,
    gaps,
    mark,
)

MULTI = Question(
    "b",
    "m",
    "multi",
    prompt="Which?",
    answers=("one", "two", "three"),
    distractors=("four", "five"),
)
CLOZE = Question("b", "c", "cloze", text="{{c1::Seoul}} and {{c2::Beijing}} met in {{c1::2021}}.")
CHOICE = Question("b", "ch", "choice", prompt="When?", answer="2017", distractors=("2015", "2019"))
TYPED = Question("b", "t", "answer", prompt="Where?", answer="Xiamen", accept=("Amoy",))


def picks(question: Question, *texts: str) -> list[str]:
    return [str(question.options.index(t)) for t in texts]


@pytest.mark.parametrize(
    "picked, score",
    [
        (("one", "two", "three"), 1.0),
        (("one",), 1 / 3),
        (("one", "two"), 2 / 3),
        (("one", "two", "three", "four"), 0.5),  # 1 - 1/2
        (("one", "four"), 0.0),  # 1/3 - 1/2, clamped
        (("four", "five"), 0.0),
    ],
)
def test_multi_scores_right_share_minus_wrong_share(picked, score):
    marked = mark(MULTI, picks(MULTI, *picked))
    assert marked.grade.score == pytest.approx(score)
    assert marked.grade.correct is (score == 1.0)
    assert marked.cards == {1: (score == 1.0, " · ".join(picked))}


def test_cloze_scores_its_share_of_gaps_and_judges_each_card():
    marked = mark(CLOZE, ["seoul", "Beijing", "2020"])
    assert marked.grade.score == pytest.approx(2 / 3) and not marked.grade.correct
    # Card 1 hides Seoul and 2021 (one wrong), card 2 hides Beijing.
    assert marked.cards == {1: (False, "seoul · 2020"), 2: (True, "Beijing")}
    assert marked.text == "seoul · Beijing · 2020"


def test_typed_answers_forgive_typos_and_accept_alternatives():
    assert mark(TYPED, ["Xiamin"]).grade.correct
    assert mark(TYPED, ["amoy"]).grade.correct
    assert not mark(TYPED, ["Seoul"]).grade.correct


@pytest.mark.parametrize("question", [MULTI, CLOZE, CHOICE, TYPED])
def test_nothing_picked_or_typed_is_unanswered(question):
    values = ["", "  "] if question.type in ("cloze", "answer") else []
    marked = mark(question, values)
    assert not marked.answered and marked.text == "" and marked.cards == {}


@pytest.mark.parametrize(
    "question, values",
    [
        (CHOICE, ["7"]),
        (CHOICE, ["x"]),
        (CHOICE, ["0", "1"]),
        (TYPED, ["x" * 501]),
    ],
)
def test_values_no_form_sends_are_refused(question, values):
    with pytest.raises(BadAnswer):
        mark(question, values)


def test_flashcards_are_never_drawn_nor_marked():
    card = Question("b", "f", "card", prompt="Who?", answer="Wang Yi")
    with pytest.raises(BadAnswer):
        mark(card, ["Wang Yi"])


@given(st.sets(st.sampled_from(MULTI.options)))
def test_stored_options_read_back_as_the_same_picks(chosen):
    values = picks(MULTI, *chosen)
    marked = mark(MULTI, values)
    assert sorted(form_values(MULTI, marked.text), key=int) == sorted(values, key=int)


def test_stored_gaps_and_typed_answers_read_back():
    assert form_values(CLOZE, mark(CLOZE, ["a", "", "c"]).text) == ["a", "", "c"]
    assert form_values(TYPED, "Xiamen") == ["Xiamen"]
    assert form_values(CHOICE, None) == []
    # An option edited away since the answer was saved gives no picks rather than wrong ones.
    assert form_values(CHOICE, "2016") == []


def test_choices_are_shuffled_the_same_way_for_one_showing():
    first = shown_options(MULTI, "seed-1")
    assert shown_options(MULTI, "seed-1") == first
    assert sorted((o.index, o.text) for o in first) == list(enumerate(MULTI.options))
    orders = {tuple(o.text for o in shown_options(MULTI, f"seed-{i}")) for i in range(20)}
    assert len(orders) > 1
    tf = Question("b", "tf", "truefalse", prompt="?", answer="true")
    assert shown_options(tf, "seed-1") == [(0, "true", "0"), (1, "false", "1")]


def test_an_option_keeps_its_value_and_place_when_others_are_added():
    """An instructor adds a distractor while a test is open: the options already shown keep
    their codes and their order among themselves, so a pick still means what the student read;
    an option whose text changed has no code any more."""
    before = shown_options(CHOICE, "seed-1")
    edited = replace(CHOICE, distractors=("2014", "2015", "2019"))
    after = shown_options(edited, "seed-1")
    assert [o for o in after if o.text != "2014"] == [
        o._replace(index=edited.options.index(o.text)) for o in before
    ]
    right = next(o.value for o in before if o.text == "2017")
    assert indexes_of(after, [right]) == [edited.options.index("2017")]
    renamed = replace(CHOICE, answer="in 2017")
    with pytest.raises(UnknownOption):
        indexes_of(shown_options(renamed, "seed-1"), [right])
    with pytest.raises(NotAnOption):  # no code at all: a value no page sent
        indexes_of(before, ["0"])
    assert right not in {o.value for o in shown_options(CHOICE, "seed-2")}


def test_cloze_gaps_hide_every_deletion_in_reading_order():
    parts = gaps(CLOZE)
    assert [(p.text, p.deletion.answer if p.deletion else None, p.after, p.gap) for p in parts] == [
        ("", "Seoul", "", 0),
        (" and ", None, "", -1),
        ("", "Beijing", "", 1),
        (" met in ", None, "", -1),
        ("", "2021", ".", 2),  # the full stop stays on the gap's line
    ]
    assert expected_text(CLOZE) == "Seoul · Beijing · 2021"
    assert expected_text(MULTI) == "one · two · three"


def test_draw_takes_at_most_the_testable_questions(make_bank):
    from studyapp.banks import load_bank

    path = make_bank(
        """\
        - id: a
          type: truefalse
          prompt: A?
          answer: true
          quote: was deployed in South Korea in 2017
        - id: b
          type: card
          prompt: B?
          answer: b
          quote: was deployed in South Korea in 2017
        - id: c
          type: truefalse
          prompt: C?
          answer: true
          quote: was deployed in South Korea in 2017
          draft: true
        """
    )
    bank = load_bank(path).bank
    assert draw([bank], 10, random.Random(1)) == [("sample", "a")]
    assert draw([bank], 0, random.Random(1)) == []
