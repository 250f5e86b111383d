"""The practice test's result page marks options as the review loop's feedback does: a right
option of a ``multi`` question left unpicked is "missed", in words and with the dashed ``missed``
class, and the options come in the order the test showed them."""

from __future__ import annotations

import re

import pytest

from .conftest import csrf_from

# The practice tests' bank (app_config) and moved clock (moving) serve these tests too.
from .test_web_practice import (  # noqa: F401
    app_config,
    moving,
    option,
    options_shown,
    positions,
    save,
    start,
)

pytestmark = pytest.mark.usefixtures("moving")


def question_html(html: str, number: int) -> str:
    """The part of a result (or test) page that shows question ``number``."""
    found = re.search(rf'id="q{number}">(.*?)(?=id="q{number + 1}"|</ol>|</fieldset>)', html, re.S)
    assert found, f"no question {number}"
    return found.group(1)


def shown_options(html: str) -> list[tuple[str, str]]:
    """Each option of one question on the result page as (its class, its text without tags)."""
    items = re.findall(
        r'<li class="([^"]*)">(.*?)</li>', html.split('class="option-list"')[1], re.S
    )
    return [(cls, " ".join(re.sub(r"<[^>]+>", " ", body).split())) for cls, body in items]


def label_of(text: str) -> str:
    """An option's own words, without the marks after them ("(right answer) ✓", "✗", "· your pick")."""
    return re.split(r" \(| ·| ✗", text)[0]


def finish_with(client, app, attempt_id: int, answers: dict[str, list[str]]) -> str:
    """Hand the test in with ``answers`` and return the multi question's part of the result."""
    save(client, app, attempt_id, answers, go="finish", confirm=True)
    html = client.get(f"/practice/{attempt_id}/result").get_data(as_text=True)
    return question_html(html, positions(app, attempt_id)["coercion-kinds"] + 1)


def test_a_right_option_left_unpicked_is_marked_missed_on_the_result(app, as_student):
    attempt_id = start(as_student)
    picked = [option(app, "coercion-kinds", "travel bans")]
    multi = finish_with(as_student, app, attempt_id, {"coercion-kinds": picked})
    found = {text.split(" (")[0]: (cls, text) for cls, text in shown_options(multi)}
    assert found["travel bans"] == ("correct", "travel bans (right answer) ✓ · your pick")
    assert found["business closures"] == (
        "correct missed",
        "business closures (right answer) ✓ missed : you did not pick it",
    )
    assert found["a naval blockade"] == ("", "a naval blockade")
    assert found["an embargo on chips"] == ("", "an embargo on chips")
    assert '<span class="mark wrong">missed' in multi  # seen, not only heard


def test_a_wrong_pick_beside_a_right_one_still_shows_the_right_one_missed(app, as_student):
    attempt_id = start(as_student)
    picked = [option(app, "coercion-kinds", t) for t in ("business closures", "a naval blockade")]
    multi = finish_with(as_student, app, attempt_id, {"coercion-kinds": picked})
    classes = {label_of(text): cls for cls, text in shown_options(multi)}
    assert classes == {
        "business closures": "correct",
        "travel bans": "correct missed",
        "a naval blockade": "picked-wrong",
        "an embargo on chips": "",
    }
    # The wrong pick says so in a sign and in words, as "missed" does, not by its colour alone.
    texts = {label_of(text): text for _, text in shown_options(multi)}
    assert texts["a naval blockade"] == "a naval blockade ✗ · your pick wrong : not a right answer"
    assert '<span aria-hidden="true">✗</span>' in multi
    assert '<span class="mark wrong">wrong' in multi  # seen, not only heard


def test_a_fully_right_multi_answer_shows_nothing_missed(app, as_student):
    attempt_id = start(as_student)
    picked = [option(app, "coercion-kinds", t) for t in ("business closures", "travel bans")]
    save(as_student, app, attempt_id, {"coercion-kinds": picked}, go="finish", confirm=True)
    html = as_student.get(f"/practice/{attempt_id}/result").get_data(as_text=True)
    multi = question_html(html, positions(app, attempt_id)["coercion-kinds"] + 1)
    assert [cls for cls, _ in shown_options(multi)].count("correct") == 2
    assert "missed" not in html


def test_a_wrong_choice_on_the_result_is_marked_in_words_and_a_sign(app, as_student):
    """One right answer (choice, true or false): the wrong pick is marked as a multi's is."""
    attempt_id = start(as_student)
    where = positions(app, attempt_id)
    save(
        as_student,
        app,
        attempt_id,
        {"thaad-year": [option(app, "thaad-year", "2015")]},
        go="finish",
        confirm=True,
    )
    html = as_student.get(f"/practice/{attempt_id}/result").get_data(as_text=True)
    found = {
        label_of(t): (cls, t)
        for cls, t in shown_options(question_html(html, where["thaad-year"] + 1))
    }
    assert found["2015"] == ("picked-wrong", "2015 ✗ · your pick wrong : not a right answer")
    assert found["2017"] == ("correct", "2017 (right answer) ✓")
    assert found["2019"] == ("", "2019")


def test_an_unanswered_multi_says_picked_nothing_not_missed(app, as_student):
    attempt_id = start(as_student)
    multi = finish_with(
        as_student, app, attempt_id, {"thaad-year": [option(app, "thaad-year", "2017")]}
    )
    assert "You picked nothing." in multi and "missed" not in multi


def test_the_result_lists_options_in_the_order_the_test_showed_them(app, as_student):
    attempt_id = start(as_student)
    number = positions(app, attempt_id)["coercion-kinds"] + 1
    test_page = as_student.get(f"/practice/{attempt_id}").get_data(as_text=True)
    shown = list(options_shown(test_page, number - 1))
    multi = finish_with(
        as_student,
        app,
        attempt_id,
        {"coercion-kinds": [option(app, "coercion-kinds", "travel bans")]},
    )
    assert [label_of(text) for _, text in shown_options(multi)] == shown


def test_each_result_question_can_be_reported_and_lands_on_my_reports(app, as_student):
    """A question found wrong while reading the result is reported from there: one form per
    question (ids unique on the page), sent for the question it sits under."""
    attempt_id = start(as_student)
    save(as_student, app, attempt_id, {}, go="finish", confirm=True)
    html = as_student.get(f"/practice/{attempt_id}/result").get_data(as_text=True)
    where = positions(app, attempt_id)
    forms = re.findall(r'<details class="report" id="(report-q\d+)">', html)
    assert len(forms) == len(where) and len(set(forms)) == len(forms)
    assert len(re.findall(r'id="(report-q\d+-comment)"', html)) == len(where)
    assert html.count("js/report.js") == 1  # once, or every form would be sent twice
    multi = question_html(html, where["coercion-kinds"] + 1)
    assert 'name="question" value="coercion-kinds"' in multi
    assert 'name="context" value="practice"' in multi

    sent = as_student.post(
        "/reports",
        data={
            "csrf_token": csrf_from(html),
            "bank": "sample",
            "question": "coercion-kinds",
            "context": "practice",
            "category": "unclear",
            "comment": "Was the blockade ever threatened?",
        },
        follow_redirects=True,
    )
    page = sent.get_data(as_text=True)
    assert sent.status_code == 200 and "your report was sent" in page
    assert "The card is still waiting" not in page  # there is no card: it was a test
    assert "Was the blockade ever threatened?" in page
