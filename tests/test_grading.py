"""Typed answers are forgiven what a reader would forgive, and nothing else."""

from __future__ import annotations

import pytest

from studyapp.banks import bank_paths, load_banks
from studyapp.grading import fold, grade_cloze, grade_options, grade_typed, multi_score
from studyapp.model import TYPED, Question


@pytest.mark.parametrize(
    "given",
    [
        "Xiamen",
        "xiamen",
        "  XIAMEN. ",
        "Xiamin",  # one typo
        "Xiàmen",  # accent
        "the Xiamen",  # leading article
    ],
)
def test_forgiven_forms_are_right(given):
    assert grade_typed("Xiamen", (), given).correct


@pytest.mark.parametrize(
    "given, expected",
    [
        ("500000", "500,000"),  # thousands separators
        ("more than 500000", "more than 500,000"),
        ("2,019", "2019"),
        ("90 %", "90%"),
        ("Belt and Raod Initative", "Belt and Road Initiative"),  # a swap, a lost letter
        ("Obma", "Obama"),  # a short word may lose a letter
        ("Obamma", "Obama"),  # or gain one
        ("Kimjong un", "Kim Jong-un"),  # a space too few
    ],
)
def test_typos_and_number_formats_are_forgiven(given, expected):
    assert grade_typed(expected, (), given).correct


@pytest.mark.parametrize(
    "given, expected",
    [
        ("2018", "2017"),  # numbers are never forgiven
        ("19 percent", "9 percent"),
        ("Beijing", "Xiamen"),
        ("", "Xiamen"),
        ("Xamn", "Xiamen"),  # two edits on a six-letter word
        ("UN", "US"),  # short answers must be exact
        ("Kim Jong-il", "Kim Jong-un"),  # a short word inside a longer answer too
        ("Wang Yu", "Wang Yi"),
        ("formal", "normal"),  # a typo never changes the first letter
        ("agency", "urgency"),
        ("Osama", "Obama"),  # nor replaces a letter of a word of five or fewer
        ("over 500,000", "more than 500,000"),
    ],
)
def test_wrong_answers_stay_wrong(given, expected):
    assert not grade_typed(expected, (), given).correct


@pytest.mark.parametrize(
    "given, expected",
    [
        ("500 000", "500,000"),
        ("500 000", "500000"),
        ("500\u00a0000", "500 000"),
        ("1 250 000", "1,250,000"),
        ("12 345", "12345"),
        ("more than 500 000 people", "more than 500,000 people"),
        ("2 500 000 in 2017", "2,500,000 in 2017"),
    ],
)
def test_a_plain_space_between_thousands_is_folded(given, expected):
    grade = grade_typed(expected, (), given)
    assert grade.correct and grade.exact


@pytest.mark.parametrize(
    "text, folded",
    [
        ("2 3 April", "april 2 3"),  # days of a month
        ("April 11 2017", "april 11 2017"),  # a day and a year
        ("in 2017 500 people", "in 2017 500 people"),  # a year, then a count
        ("1 2 3", "1 2 3"),
        ("1234 567", "1234 567"),  # a first group of 4 digits is no thousands group
        ("500 00", "500 00"),  # nor is a following group of 2
        ("500 0000", "500 0000"),  # or of 4
        ("500  000", "500 000"),  # two spaces: two numbers
    ],
)
def test_digits_a_space_apart_that_are_not_one_number_stay_apart(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    "given, expected",
    [
        ("in 2017 500 people", "in 2017500 people"),
        ("2 3 April", "23 April"),
        ("April 11 2017", "April 112017"),
        ("1 2 3", "123"),
    ],
)
def test_digits_a_space_apart_are_not_one_number_when_they_cannot_be(given, expected):
    assert not grade_typed(expected, (), given).correct


def test_accept_forms_count_as_right():
    grade = grade_typed("Moon", ["Moon Jae-in"], "Moon Jae-in")
    assert grade.correct and grade.exact
    # A typo of an accepted form: the feedback shows the form the student was nearest to.
    grade = grade_typed("Kookmin University", ["Kukmin University"], "Kukmin Univercity")
    assert grade.correct and not grade.exact
    assert grade.expected == "Kukmin University"
    assert grade.main == "Kookmin University"  # the answer to learn, said beside it


def test_each_form_forgives_its_own_typos():
    """The nearest form is not the only chance: "Jung-guen" is nearer "Jung-gun", where the
    short word must be exact, but it is a swap in "Jung-geun", which forgives it."""
    grade = grade_typed("Ahn Jung-geun", ["Ahn Jung-gun"], "Ahn Jung-guen")
    assert grade.correct and not grade.exact
    assert (grade.expected, grade.main) == ("Ahn Jung-geun", "")
    assert not grade_typed("Ahn Jung-geun", ["Ahn Jung-gun"], "Ahn Jung-gum").correct


def test_a_cloze_names_the_answer_when_a_misspelt_accepted_form_passed():
    q = Question(
        "b",
        "q",
        "cloze",
        text="Talks on {{c1::working-level dialogues}} began.",
        cloze_accept=((1, ("working-level dialogs",)),),
    )
    grade = grade_cloze(q, 1, ["working-level dialgs"])
    assert grade.correct and grade.main == "working-level dialogues"
    assert grade_cloze(q, 1, ["working-level dialogues"]).main == ""


@pytest.mark.parametrize(
    "given, expected",
    [
        ("Nineteen per cent", "19 percent"),
        ("19%", "19 percent"),
        ("19 %", "nineteen percent"),
        ("19 per cent", "19 percent"),
        ("19 pct", "19 percent"),
        ("19 pct.", "19%"),
        ("19pct", "19 percent"),
        ("19percent", "19 per cent"),
        ("19 percent", "19 pct"),
        ("19%", "19 per cent"),
        ("nineteen pct", "19%"),
        ("eight months", "8 months"),
        ("8 months", "eight months"),
        ("thirtieth", "30th"),
        ("1st half", "first half"),
        ("4th", "fourth"),
        ("5-year", "five-year"),
        ("thirty-five", "35"),
        ("seven", "7"),
        ("2-3 April", "April 2-3"),
        ("April 2nd-3rd", "April 2-3"),
        ("11 April", "April 11"),
        ("the 11th of April", "April 11"),
        ("June 1st", "June 1"),
        ("Nov 2017", "November 2017"),
        ("Dec. 2017", "December 2017"),
        ("Belt & Road Initiative", "Belt and Road Initiative"),
    ],
)
def test_numbers_percentages_and_dates_written_another_way_are_right(given, expected):
    """Folded alike on both sides: number words, ordinals, "%", day-month order, short months."""
    grade = grade_typed(expected, (), given)
    assert grade.correct and grade.exact


@pytest.mark.parametrize(
    "given, expected",
    [
        ("seventy", "seventh"),  # a number word is never a typo of another
        ("fourty", "fourth"),
        ("eighty months", "eight months"),
        ("sixth", "seventh"),
        ("April 3-4", "April 2-3"),
        ("11 June", "June 1"),
        ("1 June", "June 11"),
        ("Nov 2020", "November 2017"),
        ("90 percent", "19 percent"),
        ("19 percent", "91 percent"),
        ("May", "March"),
    ],
)
def test_other_numbers_and_dates_stay_wrong(given, expected):
    assert not grade_typed(expected, (), given).correct


@pytest.mark.parametrize(
    "given, expected",
    [
        ("19", "19 percent"),
        ("19", "19%"),
        ("19", "19 pct"),
        ("nineteen", "19 per cent"),
        ("19.5", "19.5%"),
        ("90", "90 percent"),
    ],
)
def test_the_bare_number_of_a_percentage_is_close_enough(given, expected):
    """The question says what the number counts: "19" for "19 percent" is right, not exact."""
    grade = grade_typed(expected, (), given)
    assert grade.correct and not grade.exact
    assert grade.expected == expected  # the unit is shown, marked as left out
    assert "missing" in [s.kind for s in grade.expected_diff]


@pytest.mark.parametrize(
    "given, expected",
    [
        ("18", "19 percent"),  # another number is never forgiven
        ("91", "19 percent"),
        ("9", "19 percent"),
        ("190", "19 percent"),
        ("1", "19 percent"),
        ("19", "19.5%"),
        ("19 5", "19 percent"),
        ("19", "more than 19 percent"),  # the number alone is not the whole answer
        ("19 percent", "19"),  # a unit the answer did not have
        ("19", "19 percentage points"),
        ("8", "8 months"),  # other units may be weeks or years: they must be typed
        ("2017", "December 2017"),
        ("percent", "19 percent"),
        ("pct", "percent"),  # "pct" is "percent" only after a number
        ("35th", "35%"),  # an ordinal is not the percentage's number
        ("-5", "5%"),  # nor is a negative one
    ],
)
def test_a_bare_number_is_right_only_for_a_percentage(given, expected):
    assert not grade_typed(expected, (), given).correct


def test_an_accepted_percentage_takes_its_bare_number():
    grade = grade_typed("more than 90 percent", ["over 90 percent", "90 percent"], "90")
    assert grade.correct and not grade.exact
    assert (grade.expected, grade.main) == ("90 percent", "more than 90 percent")
    assert not grade_typed("more than 90 percent", ["over 90 percent"], "90").correct


@pytest.mark.parametrize(
    "given, expected",
    [
        ("B.T.S.", "BTS"),
        ("b.t.s", "BTS"),
        ("BTS", "B.T.S."),
        ("U.S.", "US"),
        ("US", "U.S."),
        ("U.S", "US"),
        ("U.S.-China", "US-China"),
        ("US-China relations", "U.S.-China relations"),
        ("the U.S.", "US"),
        ("a U.S. ally", "US ally"),
        ("U.S.A.", "USA"),
        ("U.N. Security Council", "UN Security Council"),
        ("Washington, D.C.", "Washington DC"),
        # Read as spaces, the full stops still match letters a space apart, as they did.
        ("U S", "U.S."),
        ("J. F. Kennedy", "J.F. Kennedy"),
        ("u. s.", "U.S."),
    ],
)
def test_the_full_stops_of_an_acronym_fold_away(given, expected):
    grade = grade_typed(expected, (), given)
    assert grade.correct and grade.exact


@pytest.mark.parametrize(
    "given, expected",
    [
        ("U S Nvay", "U.S. Navy"),  # a typo beside an acronym, however it is spelt
        ("U. S. Nvay", "U.S. Navy"),
        ("US Nvay", "U.S. Navy"),
        ("by a u s curt", "by a U.S. court"),
        ("U.S. Nvay", "US Navy"),
    ],
)
def test_a_typo_beside_an_acronym_is_still_forgiven(given, expected):
    grade = grade_typed(expected, (), given)
    assert grade.correct and not grade.exact


@pytest.mark.parametrize(
    "given, expected",
    [
        ("U.N.", "US"),
        ("UN", "U.S."),
        ("U.S.", "USA"),
        ("U.K.", "U.S."),
        ("B.T.", "BTS"),
    ],
)
def test_another_acronym_stays_wrong(given, expected):
    assert not grade_typed(expected, (), given).correct


@pytest.mark.parametrize(
    "text, folded",
    [
        ("B.T.S.", "bts"),
        ("U.S.-China", "us china"),
        ("J. F. Kennedy", "j f kennedy"),  # a letter after a space is an initial
        ("Inc.A", "inc a"),  # a full stop inside a word is no acronym's
        ("Dec. 2017", "december 2017"),
        ("19.5%", "19 5 percent"),
    ],
)
def test_fold_joins_only_the_letters_of_an_acronym(text, folded):
    assert fold(text) == folded


def test_the_shipped_percentage_card_takes_the_bare_number(shipped_questions):
    (result,) = load_banks([shipped_questions / "thaad-and-biden.yaml"])
    q = result.bank.question("support-drop")
    assert q.expected(1) == ["19 percent"]
    for exact in ("19 percent", "19%", "19 per cent", "nineteen percent", "19 pct"):
        grade = grade_cloze(q, 1, [exact])
        assert grade.correct and grade.exact, exact
    grade = grade_cloze(q, 1, ["19"])
    assert grade.correct and not grade.exact
    for wrong in ("18", "91", "9", "19 points"):
        assert not grade_cloze(q, 1, [wrong]).correct, wrong


def test_every_shipped_answer_and_accepted_form_grades_exact_against_itself(shipped_questions):
    """A bank's own words are never "close enough": the folding must take them whole."""
    checked = 0
    for result in load_banks(bank_paths(shipped_questions)):
        assert result.bank is not None
        for q in result.bank.questions:
            if q.type not in TYPED:
                continue
            for card in q.card_numbers:
                accepted = q.accepted(card)
                expected = q.expected(card)
                for answer in expected:
                    for form in (answer, *accepted):
                        grade = grade_typed(answer, accepted, form)
                        assert grade.correct and grade.exact, (q.id, card, form)
                        checked += 1
                grade = grade_cloze(q, card, expected) if q.type == "cloze" else None
                assert grade is None or (grade.correct and grade.exact), (q.id, card)
    assert checked > 100


def test_diff_shows_what_differed_character_by_character():
    grade = grade_typed("Xiamen", (), "Xiamin")
    assert [(s.kind, s.text) for s in grade.given_diff] == [
        ("same", "Xiam"),
        ("wrong", "i"),
        ("same", "n"),
    ]
    assert [(s.kind, s.text) for s in grade.expected_diff] == [
        ("same", "Xiam"),
        ("missing", "e"),
        ("same", "n"),
    ]


def test_a_near_miss_that_is_wrong_still_shows_where_it_differs():
    grade = grade_typed("19 percent", (), "91 percent")
    assert not grade.correct
    assert ("same", " percent") in [(s.kind, s.text) for s in grade.given_diff]


def test_an_unrelated_answer_is_shown_whole_not_letter_by_letter():
    grade = grade_typed("June 1", (), "banana")
    assert not grade.correct
    assert [(s.kind, s.text) for s in grade.given_diff] == [("wrong", "banana")]
    assert [(s.kind, s.text) for s in grade.expected_diff] == [("missing", "June 1")]
    blank = grade_typed("June 1", (), "  ")
    assert blank.given_diff == () and [s.kind for s in blank.expected_diff] == ["missing"]


def test_overlong_answers_are_cut_not_crashed():
    grade = grade_typed("Xiamen", (), "x" * 100_000)
    assert not grade.correct and len(grade.given) == 500


def test_fold():
    assert fold("  The Terminal-High  Altitude, Área!") == "terminal high altitude area"


def _q(**kw) -> Question:
    return Question(bank_id="b", id="q", quote="q", **kw)


def test_cloze_card_needs_every_blank_of_its_number():
    q = _q(type="cloze", text="{{c1::THAAD}} came in {{c2::2017}}; {{c1::THAAD}} stayed.")
    assert grade_cloze(q, 1, ["thaad", "THAAD"]).correct
    assert not grade_cloze(q, 1, ["thaad", ""]).correct
    assert grade_cloze(q, 2, ["2017"]).correct


def test_choice_by_index():
    q = _q(type="choice", prompt="p", answer="Seoul", distractors=("Tokyo", "Beijing"))
    assert grade_options(q, [0]).correct
    assert not grade_options(q, [1]).correct
    assert not grade_options(q, [0, 1]).correct
    assert not grade_options(q, [99]).correct


def test_multi_partial_credit_follows_moodle():
    q = _q(type="multi", prompt="p", answers=("US", "Japan"), distractors=("China", "Russia"))
    assert multi_score(q, {"US", "Japan"}) == 1.0
    assert multi_score(q, {"US"}) == 0.5
    assert multi_score(q, {"US", "China"}) == 0.0
    assert multi_score(q, {"US", "Japan", "China"}) == 0.5
    assert multi_score(q, {"US", "Japan", "China", "Russia"}) == 0.0
    grade = grade_options(q, [0])
    assert not grade.correct and grade.score == 0.5


def test_truefalse_options():
    q = _q(type="truefalse", prompt="p", answer="false")
    assert grade_options(q, [1]).correct
    assert not grade_options(q, [0]).correct
