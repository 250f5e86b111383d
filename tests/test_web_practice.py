"""Practice tests through the real app and a real SQLite file, with CSRF on and a clock we move."""

from __future__ import annotations

import html as htmllib
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from studyapp.cards import CardKey
from studyapp.web import practice, practice_timing

from .conftest import csrf_from, sign_up

BANK = """\
- id: thaad-year
  type: choice
  prompt: When was THAAD deployed in South Korea?
  answer: "2017"
  distractors: ["2015", "2019"]
  quote: was deployed in South Korea in 2017
  explain: The reading says 2017.
- id: coercion-kinds
  type: multi
  prompt: Which measures did Beijing use?
  answers: [business closures, travel bans]
  distractors: [a naval blockade, an embargo on chips]
  quote: such as business closures and travel bans
- id: support-rose
  type: truefalse
  prompt: Support for closer ties with China rose.
  answer: false
  quote: Support for closer ties with China fell by 19 percent.
- id: thaad-name
  type: cloze
  text: "{{c1::Terminal High Altitude}} {{c1::Area Defense}} was deployed in {{c2::2017}}."
  quote: The Terminal High Altitude Area Defense (THAAD) system was deployed in South Korea in 2017.
- id: envoy-city
  type: answer
  prompt: Where did Chung Eui-yong meet Wang Yi?
  answer: Xiamen
  quote: Chung Eui-yong met Wang Yi in Xiamen.
  explain: They met in <b>Xiamen</b>.
- id: xiamen-card
  type: card
  prompt: Whom did Chung Eui-yong meet in Xiamen?
  answer: Wang Yi
  quote: Chung Eui-yong met Wang Yi in Xiamen.
- id: draft-one
  type: truefalse
  prompt: A draft question.
  answer: true
  quote: Suh Hoon met Jake Sullivan in Annapolis.
  draft: true
"""

TESTABLE = {"thaad-year", "coercion-kinds", "support-rose", "thaad-name", "envoy-city"}


class Clock:
    """The practice views' clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def app_config(app_config: dict, make_bank, tmp_path: Path) -> dict:
    make_bank(BANK)
    return app_config | {"QUESTIONS": str(tmp_path / "questions")}


@pytest.fixture
def moving(monkeypatch: pytest.MonkeyPatch, clock: datetime) -> Clock:
    c = Clock(clock)
    monkeypatch.setattr(practice, "now_utc", c)
    return c


def start(client, **fields) -> int:
    page = client.get("/practice/").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "banks": ["sample"], "count": "10", "layout": "all"}
    response = client.post("/practice/", data=data | fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def attempt(app, attempt_id: int, name: str = "ann"):
    with app.extensions["studyapp"].open_store() as store:
        return store.attempt(attempt_id, store.user_by_name(name).id)


def positions(app, attempt_id: int) -> dict[str, int]:
    return {r.question_id: r.position for r in attempt(app, attempt_id).responses}


class Option(str):
    """An option named by its text; ``save`` posts it as the page does, by its place on screen."""


def option(app, question_id: str, text: str) -> Option:
    bank = app.extensions["studyapp"].registry.snapshot.bank("sample")
    assert text in bank.question(question_id).options
    return Option(text)


def options_shown(html: str, p: int) -> dict[str, str]:
    """The options of question ``p`` (from 0) in the order the page shows them, each text with
    its form value (a code of the attempt's, which says nothing of which option is right)."""
    found = re.findall(rf'name="a{p}" value="([^"]+)"[^>]*>\s*<span>(.*?)</span>', html, re.S)
    return {htmllib.unescape(text): value for value, text in found}


def as_posted(client, attempt_id: int, p: int, values: list[str]) -> list[str]:
    """The form values for question ``p``: each ``Option`` as the test page posts it."""
    if not any(isinstance(v, Option) for v in values):
        return list(values)
    html = client.get(f"/practice/{attempt_id}?q={p + 1}").get_data(as_text=True)
    shown = {text.lower(): value for text, value in options_shown(html, p).items()}
    return [shown[v.lower()] if isinstance(v, Option) else v for v in values]


def save(
    client,
    app,
    attempt_id: int,
    answers: dict[str, list[str]],
    *,
    go="save",
    json=False,
    confirm=False,
    **fields: str,
):
    """Post answers (question id -> form values) as the test page's form does.

    ``confirm`` adds what the "Finish the test?" page and the timer's hand-in send.
    """
    page = client.get("/practice/").get_data(as_text=True)
    where = positions(app, attempt_id)
    data: dict[str, object] = {"csrf_token": csrf_from(page), "go": go, **fields}
    if confirm:
        data["confirm"] = "1"
    data["shown"] = [str(where[q]) for q in answers]
    for qid, values in answers.items():
        data[f"a{where[qid]}"] = as_posted(client, attempt_id, where[qid], values)
    headers = {"Accept": "application/json"} if json else {}
    return client.post(f"/practice/{attempt_id}", data=data, headers=headers)


def log_rows(app, name: str = "ann") -> list[tuple]:
    with app.extensions["studyapp"].open_store() as store:
        user = store.user_by_name(name)
        rows = store.db.execute(
            "SELECT c.question_id, c.number, r.source, r.correct, r.rating, r.attempt_id"
            " FROM review_log r JOIN cards c ON c.id = r.card_id WHERE r.student_id = ?"
            " ORDER BY c.question_id, c.number",
            [user.id],
        ).fetchall()
        return [tuple(r) for r in rows]


def some_answers(app) -> dict[str, list[str]]:
    """Right, half right (Moodle), wrong, two gaps of three, and a typo that passes."""
    return {
        "thaad-year": [option(app, "thaad-year", "2017")],
        "coercion-kinds": [option(app, "coercion-kinds", "travel bans")],
        "support-rose": [option(app, "support-rose", "true")],
        "thaad-name": ["Terminal High Altitude", "Area Defense", "2018"],
        "envoy-city": ["Xiamin"],
    }


def test_test_draws_live_gradable_questions_with_shuffled_choices(app, as_student, moving):
    attempt_id = start(as_student)
    drawn = attempt(app, attempt_id)
    assert {r.question_id for r in drawn.responses} == TESTABLE
    html = as_student.get(f"/practice/{attempt_id}").get_data(as_text=True)
    assert "A draft question" not in html and "Whom did Chung" not in html
    # The order of the choices stays put across reloads.
    assert html == as_student.get(f"/practice/{attempt_id}").get_data(as_text=True)


def test_scores_give_partial_credit_by_moodles_rule(app, as_student, moving):
    attempt_id = start(as_student)
    finished = save(as_student, app, attempt_id, some_answers(app), go="finish")
    # Every question answered: handed in at once, without asking.
    assert finished.status_code == 302 and finished.headers["Location"].endswith("/result")
    done = attempt(app, attempt_id)
    scores = {r.question_id: r.score for r in done.responses}
    assert scores == {
        "thaad-year": 1.0,
        "coercion-kinds": 0.5,  # one of two right options, no wrong one
        "support-rose": 0.0,
        "thaad-name": pytest.approx(2 / 3),  # two gaps of three
        "envoy-city": 1.0,  # a typo forgiven
    }
    assert done.score == pytest.approx(2.5 + 2 / 3) and done.max_score == 5
    html = as_student.get(f"/practice/{attempt_id}/result").get_data(as_text=True)
    assert "3.17</strong> out of 5" in html
    assert "Moodle" in html and "0.5 of 1 mark" in html


@pytest.mark.parametrize(
    "picked, score",
    [
        (["business closures", "travel bans"], 1.0),
        (["business closures", "a naval blockade"], 0.0),
        (["business closures", "travel bans", "a naval blockade"], 0.5),
        (["a naval blockade", "an embargo on chips"], 0.0),
    ],
)
def test_multi_answers_earn_right_share_minus_wrong_share(app, as_student, moving, picked, score):
    attempt_id = start(as_student)
    values = [option(app, "coercion-kinds", p) for p in picked]
    save(as_student, app, attempt_id, {"coercion-kinds": values}, go="finish", confirm=True)
    done = attempt(app, attempt_id)
    assert done.score == pytest.approx(score)


def test_answers_after_the_time_limit_do_not_count(app, as_student, moving):
    attempt_id = start(as_student, minutes="1")
    moving.advance(seconds=30)
    assert (
        save(
            as_student, app, attempt_id, {"thaad-year": [option(app, "thaad-year", "2017")]}
        ).status_code
        == 302
    )
    moving.advance(seconds=30 + practice_timing.GRACE.total_seconds() + 1)
    late = save(as_student, app, attempt_id, {"envoy-city": ["Xiamen"]}, json=True)
    assert late.status_code == 409 and late.json["error"] == "expired"
    assert late.json["result"] == f"/practice/{attempt_id}/result"
    done = attempt(app, attempt_id)
    assert done.finished is not None
    answers = {r.question_id: r.answer for r in done.responses}
    assert answers["thaad-year"] == "2017" and answers["envoy-city"] is None
    assert done.score == 1.0
    # A form post is sent to the marks with a word on why.
    again = save(as_student, app, attempt_id, {"envoy-city": ["Xiamen"]})
    assert again.status_code == 302 and again.headers["Location"].endswith("/result")


def test_the_pages_own_submit_at_the_limit_still_counts(app, as_student, moving):
    attempt_id = start(as_student, minutes="1")
    moving.advance(seconds=60 + practice_timing.GRACE.total_seconds() - 1)
    response = save(as_student, app, attempt_id, {"envoy-city": ["Xiamen"]}, go="finish")
    # Four questions unanswered, but the time is up: no "Finish anyway?" to stop it.
    assert response.status_code == 302 and response.headers["Location"].endswith("/result")
    assert attempt(app, attempt_id).score == 1.0


def test_opening_a_test_past_its_limit_hands_it_in(app, as_student, moving):
    attempt_id = start(as_student, minutes="2")
    page = as_student.get(f"/practice/{attempt_id}").get_data(as_text=True)
    assert 'data-remaining="120"' in page and 'role="timer"' in page
    save(as_student, app, attempt_id, {"thaad-year": [option(app, "thaad-year", "2017")]})
    moving.advance(minutes=5)
    opened = as_student.get(f"/practice/{attempt_id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/result")
    done = attempt(app, attempt_id)
    # It ends at its limit, not at the visit that found it open: time taken and reviews too.
    assert done.finished == done.started + timedelta(minutes=2)
    with app.extensions["studyapp"].open_store() as store:
        reviewed = store.db.execute(
            "SELECT DISTINCT reviewed FROM review_log WHERE attempt_id = ?", [attempt_id]
        ).fetchall()
    assert [r[0] for r in reviewed] == [done.finished.isoformat(timespec="microseconds")]
    result = as_student.get(f"/practice/{attempt_id}/result").get_data(as_text=True)
    assert "Time is up" in result and "1</strong> out of 5" in result


def test_a_reloaded_test_shows_every_saved_answer(app, as_student, moving):
    attempt_id = start(as_student)
    # Autosave posts one question at a time, as the page's script does.
    for qid, values in some_answers(app).items():
        response = save(as_student, app, attempt_id, {qid: values}, json=True)
        assert response.status_code == 200 and response.json["saved"] == 1
    html = as_student.get(f"/practice/{attempt_id}").get_data(as_text=True)
    where = positions(app, attempt_id)
    for qid in ("thaad-year", "coercion-kinds", "support-rose"):
        p = where[qid]
        checked = re.findall(rf'name="a{p}" value="([^"]+)" checked', html)
        assert checked == as_posted(as_student, attempt_id, p, some_answers(app)[qid])
    p = where["thaad-name"]
    blanks = re.findall(rf'name="a{p}"[^>]*value="([^"]*)"', html)
    assert blanks == ["Terminal High Altitude", "Area Defense", "2018"]
    assert re.search(rf'name="a{where["envoy-city"]}"[^>]*value="Xiamin"', html)
    assert "5 of 5 answered and saved" in html


def test_one_question_per_page_resumes_at_the_first_unanswered(app, as_student, moving):
    attempt_id = start(as_student, layout="one")
    where = positions(app, attempt_id)
    first = next(q for q, p in where.items() if p == 0)
    values = as_posted(as_student, attempt_id, 0, some_answers(app)[first])
    page = as_student.get(f"/practice/{attempt_id}").get_data(as_text=True)
    assert page.count('name="shown"') == 1 and "Question 1 of 5" in page
    data = {"csrf_token": csrf_from(page), "shown": "0", "a0": values, "go": "next", "q": "1"}
    moved = as_student.post(f"/practice/{attempt_id}", data=data)
    assert moved.status_code == 302 and moved.headers["Location"].endswith("q=2")
    # A tab closed and opened again: the test opens at question 2.
    again = as_student.get(f"/practice/{attempt_id}").get_data(as_text=True)
    assert "Question 2 of 5" in again
    # Jumping to a question, or to all questions on one page, saves the answer on screen too.
    second = next(q for q, p in where.items() if p == 1)
    values = as_posted(as_student, attempt_id, 1, some_answers(app)[second])
    data = {"csrf_token": csrf_from(again), "shown": "1", "a1": values}
    jumped = as_student.post(f"/practice/{attempt_id}", data=data | {"go": "4", "q": "2"})
    assert jumped.headers["Location"].endswith("q=4")
    switched = as_student.post(f"/practice/{attempt_id}", data=data | {"go": "layout-all"})
    assert switched.headers["Location"].endswith("layout=all")
    all_on_one = as_student.get(switched.headers["Location"]).get_data(as_text=True)
    assert all_on_one.count('name="shown"') == 5
    assert [r.answer is not None for r in attempt(app, attempt_id).responses][:2] == [True, True]


def test_another_students_test_is_not_found(app, client, moving):
    sign_up(client, "ann")
    attempt_id = start(client)
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    sign_up(client, "bob")
    assert client.get(f"/practice/{attempt_id}").status_code == 404
    assert client.get(f"/practice/{attempt_id}/result").status_code == 404
    page = client.get("/practice/").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "shown": "0", "a0": "0", "go": "finish"}
    assert client.post(f"/practice/{attempt_id}", data=data).status_code == 404
    assert f"/practice/{attempt_id}" not in page
    assert attempt(app, attempt_id).finished is None


def test_a_finished_test_counts_for_the_schedule(app, as_student, moving):
    attempt_id = start(as_student)
    save(as_student, app, attempt_id, some_answers(app), go="finish")
    rows = log_rows(app)
    # Every card was new: each gets a review, Good when right and Again when wrong; the cloze
    # question is judged card by card (c1 right, c2 wrong).
    assert rows == [
        ("coercion-kinds", 1, "review", 0, 1, attempt_id),
        ("envoy-city", 1, "review", 1, 3, attempt_id),
        ("support-rose", 1, "review", 0, 1, attempt_id),
        ("thaad-name", 1, "review", 1, 3, attempt_id),
        ("thaad-name", 2, "review", 0, 1, attempt_id),
        ("thaad-year", 1, "review", 1, 3, attempt_id),
    ]
    # Finishing again (a double click) records nothing more.
    save(as_student, app, attempt_id, {}, go="finish")
    assert log_rows(app) == rows


def test_cards_not_due_keep_their_schedule_when_right_and_relearn_when_wrong(
    app, as_student, moving
):
    with app.extensions["studyapp"].open_store() as store:
        ann = store.user_by_name("ann").id
        for qid in ("thaad-year", "envoy-city"):
            store.record_answer(
                ann,
                CardKey("sample", qid, 1),
                token=f"earlier-{qid}",
                answer="",
                correct=True,
                rating=4,
                duration_ms=None,
                now=moving.now - timedelta(hours=1),
            )
        due_before = store.card_state(ann, CardKey("sample", "thaad-year", 1)).card.due
    attempt_id = start(as_student)
    answers = {"thaad-year": [option(app, "thaad-year", "2017")], "envoy-city": ["Seoul"]}
    save(as_student, app, attempt_id, answers, go="finish", confirm=True)
    from_test = [r for r in log_rows(app) if r[5] == attempt_id]
    assert from_test == [
        ("envoy-city", 1, "review", 0, 1, attempt_id),  # wrong: relearn it now
        ("thaad-year", 1, "practice", 1, 3, attempt_id),  # right: its schedule stays
    ]
    with app.extensions["studyapp"].open_store() as store:
        assert store.card_state(ann, CardKey("sample", "thaad-year", 1)).card.due == due_before
        relearn = store.card_state(ann, CardKey("sample", "envoy-city", 1)).card
        assert relearn.due - moving.now < timedelta(hours=1)


def test_result_shows_each_answer_the_right_one_explanation_and_passage(app, as_student, moving):
    attempt_id = start(as_student)
    answers = some_answers(app) | {"envoy-city": ["<script>alert(1)</script>"]}
    del answers["support-rose"]
    save(as_student, app, attempt_id, answers, go="finish", confirm=True)
    html = as_student.get(f"/practice/{attempt_id}/result").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;/script&gt;" in html
    assert "They met in &lt;b&gt;Xiamen&lt;/b&gt;." in html  # bank text stays text
    assert "Not answered" in html
    assert html.count('<mark class="passage">') == 5
    assert "/reading/sample#q-thaad-year" in html
    assert "your pick" in html and "(right answer)" in html
    assert "Terminal High Altitude · Area Defense · " in html


def test_past_tests_are_listed_with_scores_and_reopen(app, as_student, moving):
    finished = start(as_student)
    save(
        as_student,
        app,
        finished,
        {"thaad-year": [option(app, "thaad-year", "2017")]},
        go="finish",
        confirm=True,
    )
    moving.advance(minutes=1)
    open_one = start(as_student)
    page = as_student.get("/practice/").get_data(as_text=True)
    assert "1 / 5" in page and "(20%)" in page
    assert f'href="/practice/{finished}/result"' in page
    assert f'href="/practice/{open_one}"' in page and "Resume" in page
    assert as_student.get(f"/practice/{finished}").headers["Location"].endswith("/result")
    assert as_student.get(f"/practice/{finished}/result").status_code == 200


def test_a_finished_test_takes_no_more_answers(app, as_student, moving):
    attempt_id = start(as_student)
    p = positions(app, attempt_id)["thaad-year"]
    right = as_posted(as_student, attempt_id, p, [option(app, "thaad-year", "2017")])
    wrong = {"thaad-year": [option(app, "thaad-year", "2015")]}
    save(as_student, app, attempt_id, wrong, go="finish", confirm=True)
    late = save(as_student, app, attempt_id, {"thaad-year": right}, json=True)
    assert late.status_code == 409 and late.json["error"] == "finished"
    assert attempt(app, attempt_id).score == 0


def test_a_late_save_that_changes_nothing_is_no_conflict(app, as_student, moving):
    """The autosave of the last answer can arrive just after the Finish post that carried it."""
    attempt_id = start(as_student)
    p = positions(app, attempt_id)["thaad-year"]
    # Posted as the page did: once the test is finished, the page shows no options.
    pick = {"thaad-year": as_posted(as_student, attempt_id, p, [option(app, "thaad-year", "2015")])}
    save(as_student, app, attempt_id, pick, go="finish", confirm=True)
    score = attempt(app, attempt_id).score
    echo = save(as_student, app, attempt_id, pick, json=True)
    assert echo.status_code == 200
    assert echo.json["finished"] is True and echo.json["result"].endswith("/result")
    # A second click on Finish lands on the marks without a warning.
    again = save(as_student, app, attempt_id, pick, go="finish", confirm=True)
    assert again.status_code == 302 and again.headers["Location"].endswith("/result")
    page = as_student.get(again.headers["Location"]).get_data(as_text=True)
    assert "nothing more was saved" not in page
    assert attempt(app, attempt_id).score == score


def first_of(app, attempt_id: int, position: int) -> str:
    return next(q for q, p in positions(app, attempt_id).items() if p == position)


def test_finishing_with_questions_unanswered_asks_first_and_records_nothing(
    app, as_student, moving
):
    attempt_id = start(as_student, layout="one")
    first = first_of(app, attempt_id, 0)
    tapped = save(as_student, app, attempt_id, {first: some_answers(app)[first]}, go="finish")
    assert tapped.status_code == 302
    assert tapped.headers["Location"] == f"/practice/{attempt_id}/finish"
    # The answer on screen is saved, but the test is not handed in and nothing is reviewed.
    held = attempt(app, attempt_id)
    assert held.finished is None and held.responses[0].answer
    assert log_rows(app) == []
    assert as_student.get(f"/practice/{attempt_id}/result").status_code == 302

    page = as_student.get(tapped.headers["Location"]).get_data(as_text=True)
    assert "You have answered 1 of 5 questions. Finish anyway?" in page
    assert "Not answered yet: questions 2, 3, 4, 5." in page
    # "Back to the test" opens the first question not answered.
    assert f'href="/practice/{attempt_id}?q=2">Back to the test</a>' in page
    back = as_student.get(f"/practice/{attempt_id}?q=2").get_data(as_text=True)
    assert "Question 2 of 5" in back
    form = re.search(
        rf'<form method="post" action="(/practice/{attempt_id})">(.*?)</form>', page, re.S
    )
    assert form
    assert 'name="csrf_token"' in form.group(2) and 'name="confirm" value="1"' in form.group(2)
    assert 'name="go" value="finish"' in form.group(2) and "Finish the test</button>" in form.group(
        2
    )

    data = {"csrf_token": csrf_from(page), "confirm": "1", "go": "finish"}
    done = as_student.post(form.group(1), data=data)
    assert done.status_code == 302 and done.headers["Location"].endswith("/result")
    assert attempt(app, attempt_id).finished is not None
    assert [r[0] for r in log_rows(app)] == [first] * (2 if first == "thaad-name" else 1)
    # Once finished, the question page only leads to the marks.
    again = as_student.get(f"/practice/{attempt_id}/finish")
    assert again.headers["Location"].endswith("/result")


def test_the_confirmation_keeps_csrf(app, as_student, moving):
    attempt_id = start(as_student)
    response = as_student.post(f"/practice/{attempt_id}", data={"go": "finish", "confirm": "1"})
    assert response.status_code == 400
    assert attempt(app, attempt_id).finished is None


def test_back_to_a_test_on_one_page_goes_to_the_unanswered_question(app, as_student, moving):
    attempt_id = start(as_student, layout="one")
    answers = {first_of(app, attempt_id, p): [] for p in range(5)}
    answers = {q: some_answers(app)[q] for q in list(answers)[:3]}
    asked = save(as_student, app, attempt_id, answers, go="finish", layout="all")
    assert asked.headers["Location"] == f"/practice/{attempt_id}/finish?layout=all"
    page = as_student.get(asked.headers["Location"]).get_data(as_text=True)
    assert "You have answered 3 of 5 questions." in page
    assert f'href="/practice/{attempt_id}?layout=all#q4">Back to the test</a>' in page


def test_a_timed_tests_question_page_keeps_the_timer(app, as_student, moving):
    attempt_id = start(as_student, minutes="2")
    save(
        as_student,
        app,
        attempt_id,
        {"thaad-year": [option(app, "thaad-year", "2017")]},
        go="finish",
    )
    moving.advance(seconds=30)
    page = as_student.get(f"/practice/{attempt_id}/finish").get_data(as_text=True)
    assert 'data-remaining="90"' in page and "/static/js/timer" in page
    assert 'id="finish"' in page
    # Left there past the limit, the test is handed in with the answers saved before it.
    moving.advance(minutes=2)
    late = as_student.get(f"/practice/{attempt_id}/finish")
    assert late.headers["Location"].endswith("/result")
    assert attempt(app, attempt_id).score == 1.0


def test_a_test_whose_time_is_up_finishes_without_asking(app, as_student, moving):
    attempt_id = start(as_student, minutes="1")
    save(as_student, app, attempt_id, {"thaad-year": [option(app, "thaad-year", "2017")]})
    moving.advance(seconds=60)
    response = save(as_student, app, attempt_id, {}, go="finish")
    assert response.headers["Location"].endswith("/result")
    done = attempt(app, attempt_id)
    assert done.finished is not None and done.score == 1.0
    assert [r[0] for r in log_rows(app)] == ["thaad-year"]


def test_the_timers_hand_in_finishes_without_asking(app, as_student, moving):
    """The timer counts from the page's load, so it can hand in a moment before the limit:
    it sends ``confirm`` as the question page does, and nobody is asked anything."""
    attempt_id = start(as_student, minutes="1")
    moving.advance(seconds=59)
    response = save(
        as_student, app, attempt_id, {"envoy-city": ["Xiamen"]}, go="finish", confirm=True
    )
    assert response.headers["Location"].endswith("/result")
    assert attempt(app, attempt_id).score == 1.0


TIME_UP = "Time is up: your test was handed in with the answers saved before the limit."


def test_the_timers_hand_in_says_time_is_up_and_ends_at_the_limit(app, as_student, moving):
    """The timer's post, a moment early by the server's clock, is a hand-in at the limit: the
    result says why the page turned into marks, and the time taken is the whole limit."""
    attempt_id = start(as_student, minutes="0.25")
    moving.advance(seconds=14.4)
    response = save(
        as_student,
        app,
        attempt_id,
        {"envoy-city": ["Xiamen"]},
        go="finish",
        confirm=True,
        timeup="1",
    )
    assert response.headers["Location"].endswith("/result")
    done = attempt(app, attempt_id)
    assert done.finished == done.started + timedelta(seconds=15) and done.score == 1.0
    html = as_student.get(f"/practice/{attempt_id}/result").get_data(as_text=True)
    assert TIME_UP in html and "took 0:15 of 0:15" in html


def test_a_test_found_past_its_limit_says_time_is_up_on_every_way_in(app, as_student, moving):
    """However the server finds the time ran out (the test page, its result page, an autosave
    refused as late), the result says so, and says it again when opened later."""
    ways = []
    for _ in range(3):
        attempt_id = start(as_student, minutes="1")
        save(as_student, app, attempt_id, {"thaad-year": [option(app, "thaad-year", "2017")]})
        ways.append(attempt_id)
    moving.advance(minutes=5)
    assert as_student.get(f"/practice/{ways[0]}").headers["Location"].endswith("/result")
    late = save(as_student, app, ways[2], {"envoy-city": ["Xiamen"]}, json=True)
    assert late.status_code == 409
    for attempt_id in ways:
        html = as_student.get(f"/practice/{attempt_id}/result").get_data(as_text=True)
        assert html.count(TIME_UP) == 1, attempt_id
        assert "took 1:00 of 1:00" in html
    again = as_student.get(f"/practice/{ways[0]}/result").get_data(as_text=True)
    assert TIME_UP in again


def test_a_test_finished_in_time_says_nothing_of_time(app, as_student, moving):
    untimed = start(as_student)
    save(as_student, app, untimed, some_answers(app), go="finish")
    timed = start(as_student, minutes="1")
    moving.advance(seconds=30)
    # Nothing the timer would send this early: an ordinary finish, when it was posted.
    save(as_student, app, timed, some_answers(app), go="finish", confirm=True, timeup="1")
    assert attempt(app, timed).finished == attempt(app, timed).started + timedelta(seconds=30)
    for attempt_id in (untimed, timed):
        html = as_student.get(f"/practice/{attempt_id}/result").get_data(as_text=True)
        assert "Time is up" not in html, attempt_id


def test_another_students_question_page_is_not_found(app, client, moving):
    sign_up(client, "ann")
    attempt_id = start(client)
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    sign_up(client, "bob")
    assert client.get(f"/practice/{attempt_id}/finish").status_code == 404


def result_items(html: str) -> dict[str, str]:
    """Each question of a result page by its verdict class: ``right``, ``wrong``, ..."""
    found = re.findall(
        r'<li class="panel result-item (\w+)" id="q\d+">(.*?)</li>\s*(?=<li class="panel|</ol>)',
        html,
        re.S,
    )
    return dict(found)


def test_result_folds_the_passage_under_right_answers_only(app, as_student, moving):
    attempt_id = start(as_student)
    answers = {
        "thaad-year": [option(app, "thaad-year", "2017")],
        "support-rose": [option(app, "support-rose", "true")],
        "coercion-kinds": [option(app, "coercion-kinds", "travel bans")],
    }
    save(as_student, app, attempt_id, answers, go="finish", confirm=True)
    html = as_student.get(f"/practice/{attempt_id}/result").get_data(as_text=True)
    items = result_items(html)
    assert set(items) == {"right", "wrong", "partial", "unanswered"}
    assert '<details class="source-passage">' in items["right"]
    for verdict in ("wrong", "partial", "unanswered"):
        assert '<details class="source-passage" open>' in items[verdict], verdict
    assert html.count("<summary>Source passage</summary>") == 5
    # The explanation stays outside the fold.
    right = items["right"]
    assert right.index('<p class="explain">The reading says 2017.</p>') < right.index("<details")


def test_result_gives_time_taken_and_limit_the_same_way(app, as_student, moving):
    attempt_id = start(as_student, minutes="0.2")
    moving.advance(seconds=11)
    save(as_student, app, attempt_id, some_answers(app), go="finish")
    html = as_student.get(f"/practice/{attempt_id}/result").get_data(as_text=True)
    assert "took 0:11 of 0:12" in html and "minute" not in html.split("took", 1)[1][:40]
    # "Another test like this one" still asks for the same limit, in minutes.
    assert 'name="minutes" value="0.2"' in html


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"banks": []}, "Pick at least one reading."),
        ({"count": "0"}, "Number of questions: give a whole number from 1 to 100."),
        ({"count": ""}, "Number of questions: give a whole number from 1 to 100."),
        ({"count": "2.5"}, "Number of questions: give a whole number from 1 to 100."),
        ({"minutes": "-3"}, "Time limit: give a number of minutes from 0.1 to 240."),
        ({"minutes": "ten"}, "Time limit: give a number of minutes from 0.1 to 240."),
        ({"minutes": "nan"}, "Time limit: give a number of minutes from 0.1 to 240."),
        ({"banks": ["no-such"]}, "A reading you picked is no longer offered: pick again."),
        ({"layout": "sideways"}, "Show: pick one question per page or all questions on one page."),
    ],
)
def test_bad_start_forms_say_what_to_fix(as_student, fields, message):
    page = as_student.get("/practice/").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "banks": ["sample"], "count": "5"} | fields
    response = as_student.post("/practice/", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    # One message per field, in the app's words: none of WTForms' own.
    for default in ("Number must be", "Not a valid", "valid choice", "This field is required"):
        assert default not in html


@pytest.mark.parametrize(
    "qid, values, message",
    [
        ("thaad-year", ["9"], "not one of this question"),
        ("thaad-year", ("2015", "2017"), "Pick one option."),  # options named by their text
        ("envoy-city", ["x" * 600], "limited to 500 characters"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(app, as_student, moving, qid, values, message):
    attempt_id = start(as_student)
    if isinstance(values, tuple):
        values = [option(app, qid, v) for v in values]
    response = save(as_student, app, attempt_id, {"support-rose": ["0"], qid: values}, json=True)
    assert response.status_code == 400 and message in response.json["message"]
    assert all(r.answer is None for r in attempt(app, attempt_id).responses)


def test_a_form_naming_a_question_outside_the_test_is_refused(app, as_student, moving):
    attempt_id = start(as_student)
    page = as_student.get(f"/practice/{attempt_id}").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "shown": "99", "a99": "0"}
    assert as_student.post(f"/practice/{attempt_id}", data=data).status_code == 400


def test_practice_needs_sign_in(client):
    response = client.get("/practice/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_autosave_tells_how_many_questions_are_answered(app, as_student, moving):
    """The page's status line says "1 of 5 answered and saved.", not "All your answers are
    saved." after one answer of five: each save answers with the test's count."""
    attempt_id = start(as_student)
    answers = some_answers(app)
    first = save(as_student, app, attempt_id, {"thaad-year": answers["thaad-year"]}, json=True)
    assert (first.json["answered"], first.json["total"]) == (1, 5)
    again = save(as_student, app, attempt_id, {"thaad-year": answers["thaad-year"]}, json=True)
    assert (again.json["saved"], again.json["answered"]) == (0, 1)  # nothing new: still one
    two = save(as_student, app, attempt_id, {"envoy-city": answers["envoy-city"]}, json=True)
    assert (two.json["answered"], two.json["total"]) == (2, 5)
    cleared = save(as_student, app, attempt_id, {"thaad-name": ["", "", ""]}, json=True)
    assert cleared.json["answered"] == 2  # blank gaps are no answer
    taken_back = save(as_student, app, attempt_id, {"envoy-city": [""]}, json=True)
    assert taken_back.json["answered"] == 1
    page = as_student.get(f"/practice/{attempt_id}").get_data(as_text=True)
    assert "1 of 5 answered and saved." in page  # the page, drawn again, says the same


def action_buttons(html: str) -> list[tuple[str, str]]:
    """The test form's buttons below the questions, in page order, as (value, attributes)."""
    actions = html.split('<div class="actions">', 1)[1].split("</div>", 1)[0]
    tags = re.findall(r"<button([^>]*)>", actions)
    return [(tag, re.search(r'name="go" value="([^"]+)"', tag).group(1)) for tag in tags]


def test_previous_comes_before_next_and_enter_still_moves_on(app, as_student, moving):
    """Previous on the left, Next (the primary button) on its right, in page and tab order. The
    first submit button of a form is the one Enter in a field presses: a hidden copy of Next,
    kept out of the tab order and out of what a screen reader reads."""
    attempt_id = start(as_student, layout="one")
    first = as_student.get(f"/practice/{attempt_id}?q=1").get_data(as_text=True)
    assert [v for _, v in action_buttons(first)] == ["next", "finish"]  # no Previous on 1
    middle = as_student.get(f"/practice/{attempt_id}?q=2").get_data(as_text=True)
    buttons = action_buttons(middle)
    assert [v for _, v in buttons] == ["next", "prev", "next", "finish"]
    default, previous, following, _ = (attrs for attrs, _ in buttons)
    assert 'tabindex="-1"' in default and 'aria-hidden="true"' in default
    assert "visually-hidden" in default
    assert "tabindex" not in previous and 'class="primary"' in following
    last = as_student.get(f"/practice/{attempt_id}?q=5").get_data(as_text=True)
    assert [v for _, v in action_buttons(last)] == ["save", "prev", "save", "finish"]


@pytest.mark.parametrize(
    ("score", "out_of", "shown"),
    [(5, 8, 63), (2.5, 8, 31), (1, 5, 20), (3.1666, 5, 63), (0, 5, 0), (None, 5, 0), (1, 0, 0)],
)
def test_a_score_in_percent_takes_a_half_up(score, out_of, shown):
    """5 of 8 is 62.5%: a student, like a teacher, reads that as 63, not round()'s 62."""
    from studyapp.web.practice_filters import percent

    assert percent(score, out_of) == shown


def test_a_question_edited_during_the_test(app, as_student, moving, make_bank):
    """An instructor edits a question while a test is open. A distractor added leaves the
    student's pick meaning the option they read; an option reworded cannot be read as another
    one: that answer is not saved, the others are, and the student is told which question to
    answer again instead of the test being handed in."""
    attempt_id = start(as_student)
    where = positions(app, attempt_id)
    p = where["thaad-year"]
    right = as_posted(as_student, attempt_id, p, [option(app, "thaad-year", "2017")])
    registry = app.extensions["studyapp"].registry
    make_bank(
        BANK.replace('distractors: ["2015", "2019"]', 'distractors: ["2014", "2015", "2019"]')
    )
    registry.refresh(force=True)
    assert save(as_student, app, attempt_id, {"thaad-year": right}).status_code == 302
    assert {r.question_id: r.score for r in attempt(app, attempt_id).responses}["thaad-year"] == 1

    make_bank(BANK.replace('answer: "2017"', 'answer: "in 2017"'))
    registry.refresh(force=True)
    envoy = {"envoy-city": ["Xiamen"]}
    as_json = save(as_student, app, attempt_id, {"thaad-year": right} | envoy, json=True)
    assert as_json.status_code == 200 and as_json.json["edited"] == [p + 1]
    answers = {r.question_id: r.answer for r in attempt(app, attempt_id).responses}
    assert answers["thaad-year"] == "2017" and answers["envoy-city"] == "Xiamen"
    handed = save(as_student, app, attempt_id, {"thaad-year": right}, go="finish", confirm=True)
    assert handed.status_code == 302 and f"q={p + 1}" in handed.headers["Location"]
    assert attempt(app, attempt_id).finished is None
    page = as_student.get(handed.headers["Location"]).get_data(as_text=True)
    assert f"Question {p + 1} was changed by an instructor while your test was open" in page
    assert "in 2017" in options_shown(page, p)
