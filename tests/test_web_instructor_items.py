"""Item analysis through the real app: answers seeded in a real store, figures computed by hand."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from studyapp import item_analysis
from studyapp.cards import CardKey
from studyapp.item_analysis import UNPICKED_CHANCE, analyse, wrong_answers_needed

from .instructor_seed import (
    build_app,
    review,
    seed_attempt,
    seed_reviews,
    sign_in_instructor,
    student,
)

HOUR = timedelta(hours=1)

# Six students answer three questions in the review loop (1 = right):
#          year  fell  coercion
#   ana     0     1     1
#   bo      0     1     1
#   cy      1     0     1
#   di      1     0     1
#   ed      1     1     1
#   fay     0     1     1
TABLE = {
    "ana": {"year": ("2016", False), "fell": ("19 percent", True), "coercion": ("true", True)},
    "bo": {"year": ("2016", False), "fell": ("19%", True), "coercion": ("true", True)},
    "cy": {"year": ("2017", True), "fell": ("5 percent", False), "coercion": ("true", True)},
    "di": {"year": ("2017", True), "fell": ("5  Percent", False), "coercion": ("true", True)},
    "ed": {"year": ("2017", True), "fell": ("19 percent", True), "coercion": ("true", True)},
    "fay": {"year": ("2018", False), "fell": ("19 percent", True), "coercion": ("true", True)},
}
# year: x = 0,0,1,1,1,0 (mean 1/2); the rest (fell, coercion) per student:
#   y = 1/2(1+1)=1, 1, 1/2, 1/2, 1, 1 (mean 5/6).
#   Sxy = sum (x - 1/2)(y - 5/6) = -1/12 -1/12 -1/6 -1/6 +1/12 -1/12 = -1/2
#   Sxx = 6 * 1/4 = 3/2;  Syy = 4 * 1/36 + 2 * 1/9 = 1/3
#   r = -1/2 / sqrt(3/2 * 1/3) = -1/sqrt(2)
YEAR_R = -1 / math.sqrt(2)
# fell: x = 1,1,0,0,1,1 (mean 2/3); rest (year, coercion): y = 1/2, 1/2, 1, 1, 1, 1/2 (mean 3/4)
#   Sxy = -1/12 -1/12 -1/6 -1/6 +1/12 -1/12 = -1/2;  Sxx = 4/9 + 4/9 + 4/9 = 4/3;  Syy = 6/16
#   r = -1/2 / sqrt(4/3 * 3/8) = -1/sqrt(2)
FELL_R = -1 / math.sqrt(2)


@pytest.fixture
def app(app_config, make_bank):
    return build_app(app_config, make_bank)


@pytest.fixture
def seeded(app, clock: datetime):
    with app.extensions["studyapp"].open_store() as store:
        return seed_reviews(store, "sample", TABLE, clock)


@pytest.fixture
def instructor(app, client):
    sign_in_instructor(app, client)
    return client


def stats_of(app, basis: str = "both", reports=(), count: str = "all"):
    state = app.extensions["studyapp"]
    bank = state.registry.refresh().bank("sample")
    with state.open_store() as store:
        rows = analyse(bank, store.item_answers("sample"), basis, reports, count)
    return {r.question.id: r for r in rows}


def test_facility_discrimination_and_picks_match_the_hand_computation(app, seeded):
    stats = stats_of(app, "reviews")
    year, fell, coercion = stats["year"], stats["fell"], stats["coercion"]
    assert (year.answers, year.students, year.facility) == (6, 6, pytest.approx(3 / 6))
    assert year.discrimination == pytest.approx(YEAR_R) and year.compared == 6
    assert [(o.text, o.correct, o.picks) for o in year.options] == [
        ("2017", True, 3),
        ("2016", False, 2),
        ("2018", False, 1),
        ("2019", False, 0),
    ]
    assert fell.facility == pytest.approx(4 / 6)
    assert fell.discrimination == pytest.approx(FELL_R)
    # "5 percent" and "5  Percent" differ only in case and spacing: one wrong answer, twice.
    assert [(w.text, w.count, w.students) for w in fell.wrong_answers] == [("5 percent", 2, 2)]
    # Everyone right: too easy, and no discrimination (the score does not vary).
    assert coercion.facility == 1.0 and coercion.discrimination is None
    assert [o.picks for o in coercion.options] == [6, 0]


def test_flags_say_why_in_one_line(app, seeded):
    stats = stats_of(app, "reviews")
    # Nobody picked 2019, but three wrong answers are too few to say so (see below).
    assert [f.code for f in stats["year"].flags] == ["negative-discrimination"]
    # A hair below zero is noise: it is near zero, not "stronger students miss it more".
    hair = item_analysis._with_flags(replace(stats["year"], discrimination=-0.01, flags=()))
    assert [f.code for f in hair.flags] == ["weak-discrimination"]
    assert [f.code for f in stats["coercion"].flags] == ["too-easy"]
    assert stats["coercion"].flags[0].reason.startswith("Too easy: facility 1.00 from 6 answers")
    # An unanswered question has no figures and no flags.
    assert stats["met"].answers == 0 and stats["met"].facility is None and not stats["met"].flags


def test_few_students_are_not_judged(app, clock):
    with app.extensions["studyapp"].open_store() as store:
        seed_reviews(store, "sample", {n: TABLE[n] for n in ("ana", "bo", "cy")}, clock)
    stats = stats_of(app, "reviews")
    assert stats["coercion"].facility == 1.0 and not stats["coercion"].enough_data
    assert stats["coercion"].flags == () and stats["year"].flags == ()


def test_practice_tests_compare_attempts_and_count_partial_credit(app, seeded, clock):
    with app.extensions["studyapp"].open_store() as store:
        ana = student(store, "ana", clock)
        # Two finished attempts and one unfinished (not counted).
        seed_attempt(
            store,
            ana,
            "sample",
            {"talks": ("Chung Eui-yong", False, 0.5), "year": ("2017", True, 1.0)},
            clock,
        )
        seed_attempt(
            store,
            ana,
            "sample",
            {"talks": ("Chung Eui-yong · Wang Yi", True, 1.0), "year": ("", False, 0.0)},
            clock,
        )
        seed_attempt(store, ana, "sample", {"talks": ("Suh Hoon", False, 0.0)}, clock, finish=False)
    practice = stats_of(app, "practice")
    talks = practice["talks"]
    assert (talks.answers, talks.students, talks.unit) == (2, 1, "attempts")
    assert talks.facility == pytest.approx((0.5 + 1.0) / 2)  # Moodle: mean score, not share right
    # talks 0.5, 1.0 against year 1, 0: r = -1 with two attempts
    assert talks.discrimination == pytest.approx(-1.0) and talks.compared == 2
    assert {o.text: o.picks for o in talks.options} == {
        "Chung Eui-yong": 2,
        "Wang Yi": 1,
        "Jake Sullivan": 0,
        "Suh Hoon": 0,
    }
    # The unanswered response scores 0 and picks nothing.
    assert practice["year"].facility == 0.5 and [o.picks for o in practice["year"].options][0] == 1
    # Together: ana's reviews and both attempts are one student.
    both = stats_of(app, "both")
    assert both["year"].answers == 8 and both["year"].students == 6
    assert both["year"].facility == pytest.approx(4 / 8)


def test_item_table_shows_figures_flags_and_links(instructor, seeded):
    html = instructor.get("/instructor/items/sample?basis=reviews").get_data(as_text=True)
    row = re.search(r'<tr id="item-year">(.*?)</tr>', html, re.S).group(1)
    assert ">0.50<" in row and "-0.71" in row and "n=6" in row
    assert "Nobody picked" not in row  # three wrong answers, three distractors: too few
    assert 'href="/reading/sample#q-year"' in row
    assert 'href="/instructor/banks/sample.yaml#L5"' in row and "questions/sample.yaml:5" in row
    assert "How to read these figures" in html and "Moodle" in html
    assert (
        "which takes 5 wrong answers with 2 distractors, 8 wrong answers with 3 distractors,"
        " 11 wrong answers with 4 distractors." in html
    )
    assert "data-sortable" in html and "js/sort-table.js" in html
    assert instructor.get("/instructor/items/sample?basis=everything").status_code == 400
    assert instructor.get("/instructor/items/nope").status_code == 404


def test_question_page_shows_each_basis_picks_and_reports(instructor, app, seeded, clock):
    with app.extensions["studyapp"].open_store() as store:
        for name in ("ana", "bo"):
            store.report_problem(
                student(store, name, clock), "sample", "year", "wrong-answer", f"{name} says", clock
            )
    html = instructor.get("/instructor/items/sample/year").get_data(as_text=True)
    assert "Reviews and practice tests" in html and "Practice tests" in html
    assert "2 students reported a problem: wrong answer key (2)." in html
    assert "ana says" in html and "Mark resolved" in html
    assert '<mark class="passage">' in html
    table = instructor.get("/instructor/items/sample").get_data(as_text=True)
    assert '#reports">2<' in table


def test_first_answers_keep_each_students_first_answer_only(app, seeded, clock):
    """cy and di missed fell, then got it right at once when it came back: over all answers
    fell looks easier than it was the first time."""
    with app.extensions["studyapp"].open_store() as store:
        for name in ("cy", "di"):
            sid = student(store, name, clock)
            review(store, sid, CardKey("sample", "fell", 1), "19 percent", True, clock + HOUR)
        ana = student(store, "ana", clock)
        seed_attempt(store, ana, "sample", {"year": ("2017", True, 1.0)}, clock + HOUR)
    every = stats_of(app, "reviews")
    assert every["fell"].answers == 8 and every["fell"].facility == pytest.approx(6 / 8)
    first = stats_of(app, "reviews", count="first")
    assert (first["fell"].answers, first["fell"].students) == (6, 6)
    assert first["fell"].facility == pytest.approx(4 / 6)  # as before anyone saw it again
    assert first["fell"].discrimination == pytest.approx(FELL_R)
    # ana's later practice answer to year is not her first: her review (2016) stays.
    both = stats_of(app, "both", count="first")
    assert both["year"].answers == 6 and both["year"].facility == pytest.approx(3 / 6)
    # On practice alone, that practice answer is her first.
    assert stats_of(app, "practice", count="first")["year"].answers == 1


def test_item_pages_switch_to_first_answers_and_keep_the_basis(instructor, app, seeded, clock):
    with app.extensions["studyapp"].open_store() as store:
        sid = student(store, "cy", clock)
        review(store, sid, CardKey("sample", "fell", 1), "19 percent", True, clock + HOUR)
    html = instructor.get("/instructor/items/sample?basis=reviews").get_data(as_text=True)
    row = re.search(r'<tr id="item-fell">(.*?)</tr>', html, re.S).group(1)
    assert ">7<" in row and ">0.71<" in row  # 5 of 7
    link = 'href="/instructor/items/sample?basis=reviews&amp;count=first"'
    assert link in html
    html = instructor.get("/instructor/items/sample?basis=reviews&count=first").get_data(
        as_text=True
    )
    row = re.search(r'<tr id="item-fell">(.*?)</tr>', html, re.S).group(1)
    assert ">6<" in row and ">0.67<" in row  # 4 of 6
    assert 'href="/instructor/items/sample?basis=both&amp;count=first"' in html
    assert "(Reviews, each student&#39;s first answer)" in html
    detail = instructor.get("/instructor/items/sample/fell?count=first").get_data(as_text=True)
    assert 'aria-current="page">Each student&#39;s first answer' in detail
    assert instructor.get("/instructor/items/sample?count=last").status_code == 400
    assert instructor.get("/instructor/items/sample/fell?count=last").status_code == 400


def wrong_years(app, names, when: datetime, answer: str = "2016") -> None:
    """Each student named answers year wrong (``answer``) in the review loop at ``when``."""
    with app.extensions["studyapp"].open_store() as store:
        for i, name in enumerate(names):
            sid = student(store, name, when)
            review(store, sid, CardKey("sample", "year", 1), answer, False, when + i * SECOND)


SECOND = timedelta(seconds=1)
NAMES = ["gus", "hal", "ivy", "jo", "kim", "lee", "max", "ned", "oda", "pia", "quy"]


def test_wrong_answers_needed_follow_the_rule():
    for k, w in ((1, 1), (2, 5), (3, 8), (4, 11)):
        assert wrong_answers_needed(k) == w
        assert ((k - 1) / k) ** w < UNPICKED_CHANCE <= ((k - 1) / k) ** (w - 1)


def test_one_wrong_answer_never_calls_distractors_unpicked(app, clock):
    """The user test: facility 0.83 from 6 answers. The one wrong answer picked 2016; 2018 and
    2019 could not both have been picked by it, so neither is flagged."""
    table = {n: {"year": ("2017", True)} for n in NAMES[:5]} | {"zed": {"year": ("2016", False)}}
    with app.extensions["studyapp"].open_store() as store:
        seed_reviews(store, "sample", table, clock)
    year = stats_of(app)["year"]
    assert (year.answers, year.students, round(year.facility, 2)) == (6, 6, 0.83)
    assert year.unpicked == ("2018", "2019") and year.current_wrong == 1
    assert "unpicked" not in {f.code for f in year.flags}


def test_an_unpicked_distractor_is_flagged_once_wrong_answers_make_it_unlikely(app, clock):
    """year has three distractors: 8 wrong answers are needed (7 leave a 5.9% chance of missing
    one by luck). Blank test answers picked nothing and are not wrong answers that could."""
    wrong_years(app, NAMES[:4], clock, "2016")
    wrong_years(app, NAMES[4:7], clock + HOUR, "2018")
    with app.extensions["studyapp"].open_store() as store:
        for name in NAMES[7:10]:  # three tests with year left blank
            sid = student(store, name, clock)
            seed_attempt(store, sid, "sample", {"year": ("", False, 0.0)}, clock)
    year = stats_of(app)["year"]
    assert (year.current_wrong, year.answers) == (7, 10)
    assert year.unpicked == ("2019",) and [f.code for f in year.flags] == ["too-hard"]
    wrong_years(app, NAMES[10:], clock + 2 * HOUR, "2018")
    year = stats_of(app)["year"]
    (flag,) = [f for f in year.flags if f.code == "unpicked"]
    assert flag.reason == "Nobody picked the distractor “2019” in 8 wrong answers."
    # On practice tests alone there are no wrong answers to go on, only blanks.
    practice = stats_of(app, "practice")["year"]
    assert practice.current_wrong == 0 and practice.unpicked == ("2016", "2018", "2019")
    assert "unpicked" not in {f.code for f in practice.flags}


def test_a_new_distractor_is_not_called_unpicked_on_answers_given_before_it(
    instructor, app, seeded, clock
):
    """Nobody picked 2019 in eight wrong answers; the instructor swaps it for 2015. Those
    answers never offered 2015, so the page must not say nobody picked it until students have."""
    wrong_years(app, NAMES[:5], clock + HOUR)
    html = instructor.get("/instructor/items/sample").get_data(as_text=True)
    assert "Nobody picked the distractor “2019” in 8 wrong answers." in html
    path = app.extensions["studyapp"].registry.folder / "sample.yaml"
    path.write_text(path.read_text().replace('"2019"]', '"2015"]', 1))
    html = instructor.get("/instructor/items/sample").get_data(as_text=True)
    row = re.search(r'<tr id="item-year">(.*?)</tr>', html, re.S).group(1)
    assert "2015" not in row and "2019" not in row and ">11<" in row
    now = datetime.now(UTC)
    # Seven wrong answers since the change, all 2016: not yet enough to call 2015 unpicked.
    wrong_years(app, NAMES[:7], now + SECOND)
    html = instructor.get("/instructor/items/sample").get_data(as_text=True)
    row = re.search(r'<tr id="item-year">(.*?)</tr>', html, re.S).group(1)
    assert "Nobody picked" not in row
    wrong_years(app, NAMES[7:8], now + 10 * SECOND)
    html = instructor.get("/instructor/items/sample").get_data(as_text=True)
    row = re.search(r'<tr id="item-year">(.*?)</tr>', html, re.S).group(1)
    assert (
        "Nobody picked the distractor “2015” in the 8 wrong answers since it last changed." in row
    )
    assert "2016" not in row and "“2018”" in row  # 2016 was picked since; 2018 was not
    # Answers from before the change still count for facility and the picks table.
    assert ">19<" in row
