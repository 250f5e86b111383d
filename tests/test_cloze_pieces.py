"""A cloze card's text as the page shows it: each gap keeps the characters that touch it."""

from __future__ import annotations

from studyapp import cloze


def shown(text: str, number: int = 1) -> str:
    """The pieces joined up, each gap as [answer], what touches it outside the brackets."""
    return "".join(
        p.text if p.deletion is None else f"{p.before}[{p.deletion.answer}]{p.after}"
        for p in cloze.pieces(cloze.split(text, number))
    )


def test_a_gap_takes_the_punctuation_that_touches_it_and_nothing_is_lost() -> None:
    parts = cloze.pieces(cloze.split("The “{{c1::THAAD}}” system, in {{c1::2017}}.", 1))
    gaps = [(p.before, p.deletion.answer, p.after) for p in parts if p.deletion]
    assert gaps == [("“", "THAAD", "”"), ("", "2017", ".")]
    assert [p.text for p in parts if p.deletion is None] == ["The ", " system, in "]
    assert (
        shown("The “{{c1::THAAD}}” system, in {{c1::2017}}.") == "The “[THAAD]” system, in [2017]."
    )


def test_text_between_two_touching_gaps_goes_to_the_first_only() -> None:
    assert shown("{{c1::Seoul}}/{{c1::Beijing}} ties") == "[Seoul]/[Beijing] ties"
    parts = cloze.pieces(cloze.split("{{c1::Seoul}}/{{c1::Beijing}} ties", 1))
    assert [(p.before, p.after) for p in parts if p.deletion] == [("", "/"), ("", "")]


def test_spaces_keep_their_break_and_other_cards_gaps_read_as_text() -> None:
    assert shown("a {{c1::b}} c") == "a [b] c"
    assert shown("{{c2::Xi}}'s visit to {{c1::Seoul}}.") == "Xi's visit to [Seoul]."
    assert shown("{{c1::alone}}") == "[alone]"


def test_gaps_are_numbered_in_reading_order_for_the_form() -> None:
    parts = cloze.pieces(cloze.split("{{c1::a}}, {{c2::b}} and {{c1::c}}.", 1))
    assert [(p.deletion.answer, p.gap) for p in parts if p.deletion] == [("a", 0), ("c", 1)]
    assert {p.gap for p in parts if p.deletion is None} == {-1}
