"""The review loop through the real app and a real SQLite file, with CSRF on."""

from __future__ import annotations

import html as htmllib
import random
import re

import pytest
from flask import abort
from markupsafe import escape
from werkzeug.datastructures import MultiDict

from studyapp import create_app
from studyapp.cards import CardKey
from studyapp.web.errors import PAGES, TITLES
from studyapp.web.inputs import small_int
from studyapp.web.options import shown_options

from .conftest import csrf_from, sign_up


def front(client, query: str = "") -> dict:
    """Open the next card; return its hidden fields and the page."""
    page = client.get("/review" + query)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    fields = dict(
        re.findall(
            r'<input type="hidden" name="(card|token|shown_at|seen|csrf_token)" value="([^"]*)"',
            html,
        )
    )
    fields["html"] = html
    return fields


def post_answer(client, data: dict, query: str = "") -> str:
    """Send an answer as the front does; return the feedback, which the answer post redirects
    to (303, so the browser fetches /review with GET and keeps the bank filter)."""
    sent = client.post("/review/answer", data=data)
    assert sent.status_code == 303, sent.get_data(as_text=True)
    assert sent.headers["Location"] == "/review" + query
    page = client.get(sent.headers["Location"])
    assert page.status_code == 200
    return page.get_data(as_text=True)


def question_for(app, card: str):
    key = CardKey.parse(card)
    bank = app.extensions["studyapp"].registry.snapshot.bank(key.bank_id)
    return key, bank.question(key.question_id)


def places(question, token: str, texts) -> list[str]:
    """The form values of the options ``texts`` on the front of the showing ``token``
    (``test_the_front_does_not_give_away_the_right_option`` reads them off the page)."""
    values = {o.text: o.value for o in shown_options(question, token)}
    return [values[t] for t in texts]


def right_answer(question, key, token: str) -> dict:
    if question.type in ("choice", "truefalse"):
        return {"option": places(question, token, question.correct_options[:1])}
    if question.type == "multi":
        return {"option": places(question, token, question.answers)}
    if question.type == "cloze":
        return {"blank": question.expected(key.number)}
    if question.type == "answer":
        return {"answer": question.answer}
    return {}


def wrong_answer(question, key, token: str) -> dict:
    if question.type in ("choice", "multi"):
        return {"option": places(question, token, question.distractors[:1])}
    if question.type == "truefalse":
        return {
            "option": places(question, token, ["false" if question.answer == "true" else "true"])
        }
    if question.type == "cloze":
        return {"blank": ["zzzz"] * len(question.expected(key.number))}
    if question.type == "answer":
        return {"answer": "zzzz"}
    return {}


def answer_and_rate(client, app, *, right: bool = True, rating: str | None = None) -> tuple:
    f = front(client)
    key, question = question_for(app, f["card"])
    data = {
        "csrf_token": f["csrf_token"],
        "card": f["card"],
        "token": f["token"],
        "shown_at": f["shown_at"],
    }
    data |= (
        right_answer(question, key, data["token"])
        if right
        else wrong_answer(question, key, data["token"])
    )
    html = post_answer(client, data)
    chosen = (
        rating
        or re.search(r'name="rating" value="(\d)"[^>]*data-default', html)
        or re.search(r'name="rating" value="(\d)"', html)
    )
    value = chosen if isinstance(chosen, str) else chosen.group(1)
    rated = client.post("/review/rate", data=data | {"rating": value})
    return key, question, html, rated, data | {"rating": value}


def study_until(client, app, types: tuple[str, ...]) -> tuple[dict, CardKey, object]:
    """Answer cards right until one of ``types`` is on screen; return its front."""
    for _ in range(40):
        f = front(client)
        key, question = question_for(app, f["card"])
        if question.type in types:
            return f, key, question
        data = {"csrf_token": f["csrf_token"], "card": f["card"], "token": f["token"]}
        client.post(
            "/review/rate", data=data | {"rating": "3"} | right_answer(question, key, data["token"])
        )
    pytest.fail(f"no {' or '.join(types)} card among the first 40")


def log_rows(app, student: str = "ann") -> list:
    with app.extensions["studyapp"].open_store() as store:
        user = store.user_by_name(student)
        return store.db.execute(
            "SELECT token, answer, correct, rating FROM review_log WHERE student_id = ?", [user.id]
        ).fetchall()


def test_a_rated_answer_keeps_how_long_it_took(app, as_student):
    """The front says when it was shown (milliseconds since 1970, 13 digits): the log keeps
    the time from then to the rating, which FSRS may use and the statistics show."""
    answer_and_rate(as_student, app)
    with app.extensions["studyapp"].open_store() as store:
        (duration,) = store.db.execute("SELECT duration_ms FROM review_log").fetchone()
    assert duration is not None and 0 <= duration < 60_000


def test_small_int_takes_a_millisecond_clock_but_not_a_forged_megabyte():
    assert small_int("1772443800000", limit=10**14) == 1772443800000
    assert small_int("9" * 15, limit=10**14) is None
    assert small_int("9" * 10**6, limit=10**14) is None
    assert small_int("12", limit=5) is None
    assert small_int("4", limit=5) == 4


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/review")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_home_lists_each_reading_with_progress(as_student, app):
    html = as_student.get("/").get_data(as_text=True)
    for bank in app.extensions["studyapp"].registry.snapshot.banks.values():
        assert str(escape(bank.title)) in html
    assert html.count('role="img"') == 5


def test_right_answer_is_recorded_once_with_its_rating(as_student, app):
    key, question, html, rated, data = answer_and_rate(as_student, app, right=True)
    assert rated.status_code == 302
    if question.type != "card":
        assert "✓ Right" in html
    rows = log_rows(app)
    assert len(rows) == 1 and rows[0][3] == int(data["rating"])
    # A double click or a retry posts the same token again: nothing more is written.
    again = as_student.post("/review/rate", data=data)
    assert again.status_code == 302
    assert len(log_rows(app)) == 1


def test_wrong_answer_shows_answer_explanation_and_passage(as_student, app):
    f = front(as_student)
    key, question = question_for(app, f["card"])
    data = {"csrf_token": f["csrf_token"], "card": f["card"], "token": f["token"]}
    html = post_answer(as_student, data | wrong_answer(question, key, data["token"]))
    if question.type != "card":
        assert "Not quite" in html
    assert '<mark class="passage">' in html
    assert f"/reading/{key.bank_id}#q-{key.question_id}" in html
    # Wrong answers may only be rated Again.
    refused = as_student.post(
        "/review/rate", data=data | wrong_answer(question, key, data["token"]) | {"rating": "3"}
    )
    if question.type != "card":
        assert refused.status_code == 400
        assert log_rows(app) == []


def test_forged_right_verdict_changes_nothing(as_student, app):
    """The server grades the posted answer again: a wrong answer cannot be rated Good."""
    f, key, question = study_until(
        as_student, app, ("choice", "multi", "truefalse", "cloze", "answer")
    )
    data = {"csrf_token": f["csrf_token"], "card": f["card"], "token": f["token"], "rating": "4"}
    response = as_student.post(
        "/review/rate", data=data | wrong_answer(question, key, data["token"])
    )
    assert response.status_code == 400
    assert log_rows(app) == []


def test_the_answer_checked_is_the_one_rated_whatever_the_feedback_form_says(as_student, app):
    """The feedback shows the right answer: a student who then edits the form's hidden copy of
    their answer to it still rates the answer they gave, which was wrong."""
    f, key, question = study_until(
        as_student, app, ("choice", "multi", "truefalse", "cloze", "answer")
    )
    data = {"csrf_token": f["csrf_token"], "card": f["card"], "token": f["token"]}
    assert "Not quite" in post_answer(as_student, data | wrong_answer(question, key, data["token"]))
    edited = data | right_answer(question, key, data["token"])
    assert as_student.post("/review/rate", data=edited | {"rating": "3"}).status_code == 400
    assert [r for r in log_rows(app) if r[0] == f["token"]] == []
    assert as_student.post("/review/rate", data=edited | {"rating": "1"}).status_code == 302
    rows = [r for r in log_rows(app) if r[0] == f["token"]]
    assert [(r[2], r[3]) for r in rows] == [(0, 1)]


@pytest.mark.parametrize(
    "change, status",
    [
        ({"csrf_token": ""}, 400),
        ({"csrf_token": "forged"}, 400),
        ({"card": "no-such-bank/q/1"}, 404),
        ({"card": "not a card"}, 400),
        ({"token": ""}, 400),
        ({"rating": "9"}, 400),
        ({"option": ["99"]}, 400),
        ({"answer": "x" * 5000, "blank": "x" * 5000}, 400),
    ],
)
def test_bad_review_posts_get_a_clean_4xx_and_change_nothing(as_student, app, change, status):
    f = front(as_student)
    key, question = question_for(app, f["card"])
    data = {"csrf_token": f["csrf_token"], "card": f["card"], "token": f["token"], "rating": "3"}
    data |= right_answer(question, key, data["token"])
    if "option" in change and question.type not in ("choice", "multi", "truefalse"):
        change = {"rating": "0"}
    if "answer" in change and question.type not in ("cloze", "answer"):
        change = {"card": "x/y/0"}
        status = 404
    response = as_student.post("/review/rate", data=data | change)
    assert response.status_code == status
    assert log_rows(app) == []


def test_replaying_another_students_answer_changes_only_ones_own_schedule(app, client):
    """A token is an idempotency key, not a credential: Bob posting Ann's form (her card, her
    token) records an answer of Bob's, and Ann's log and schedule stay as they were."""
    sign_up(client, "ann")
    key, question, html, rated, data = answer_and_rate(client, app)
    ann_log = log_rows(app, "ann")
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    sign_up(client, "bob")
    page = client.get("/review").get_data(as_text=True)
    replay = dict(data, csrf_token=csrf_from(page))
    response = client.post("/review/rate", data=replay)
    assert response.status_code == 302
    assert log_rows(app, "ann") == ann_log and len(ann_log) == 1
    assert len(log_rows(app, "bob")) == 1


def test_typed_answer_claim_counts_as_right_and_is_kept(app, as_student):
    f, key, question = study_until(as_student, app, ("answer", "cloze"))
    data = {"csrf_token": f["csrf_token"], "card": f["card"], "token": f["token"]}
    data |= wrong_answer(question, key, data["token"])
    html = post_answer(as_student, data)
    assert "I was right" in html
    response = as_student.post("/review/rate", data=data | {"claim": "1", "rating": "3"})
    assert response.status_code == 302
    token_row = [r for r in log_rows(app) if r[0] == f["token"]][0]
    assert token_row[2] == 1 and token_row[3] == 3
    with app.extensions["studyapp"].open_store() as store:
        claims = store.claims()
    assert [(c.question_id, c.answer) for c in claims] == [(key.question_id, token_row[1])]
    # The next card says the claim was taken.
    page = as_student.get(response.headers["Location"]).get_data(as_text=True)
    assert "Counted as right. Your answer goes to the instructors to check." in page


def test_a_claim_is_rated_like_a_right_answer(app, as_student):
    """ "I was right" offers Hard, Good and Easy with their intervals (Good the default), as a
    right answer does; the rating picked is the one recorded, and Again is refused."""
    f, key, question = study_until(as_student, app, ("answer", "cloze"))
    data = {"csrf_token": f["csrf_token"], "card": f["card"], "token": f["token"]}
    data |= wrong_answer(question, key, data["token"])
    html = post_answer(as_student, data)
    form = html[html.index('class="claim"') :].split("</form>")[0]
    buttons = re.findall(r'<button type="submit" name="rating" value="(\d)"([^>]*)>', form)
    assert [value for value, _ in buttons] == ["2", "3", "4"]
    assert ["data-default" in attrs for _, attrs in buttons] == [False, True, False]
    assert len(re.findall(r'<span class="when">[^<]+</span>', form)) == 3
    refused = as_student.post("/review/rate", data=data | {"claim": "1", "rating": "1"})
    assert refused.status_code == 400
    assert [r for r in log_rows(app) if r[0] == f["token"]] == []
    easy = as_student.post("/review/rate", data=data | {"claim": "1", "rating": "4"})
    assert easy.status_code == 302
    assert [(r[2], r[3]) for r in log_rows(app) if r[0] == f["token"]] == [(1, 4)]


def test_claim_sent_again_after_rating_again_keeps_the_rating_and_tells_the_student(
    app, as_student
):
    """Back from the next card to the feedback, then "I was right": the answer was logged
    with Again and stays so (one log row), but the claim reaches the instructors and the
    student is told both."""
    f, key, question = study_until(as_student, app, ("answer", "cloze"))
    data = {"csrf_token": f["csrf_token"], "card": f["card"], "token": f["token"]}
    data |= wrong_answer(question, key, data["token"])
    assert as_student.post("/review/rate", data=data | {"rating": "1"}).status_code == 302
    again = as_student.post("/review/rate", data=data | {"claim": "1", "rating": "3"})
    assert again.status_code == 302
    page = as_student.get(again.headers["Location"]).get_data(as_text=True)
    assert "already rated this card Again" in page and "sent to your instructor" in page
    rows = [r for r in log_rows(app) if r[0] == f["token"]]
    assert len(rows) == 1 and rows[0][3] == 1
    with app.extensions["studyapp"].open_store() as store:
        assert [c.question_id for c in store.claims()] == [key.question_id]


def test_a_blank_answer_cannot_be_claimed_right(app, as_student):
    f, key, question = study_until(as_student, app, ("answer",))
    data = {"csrf_token": f["csrf_token"], "card": f["card"], "token": f["token"], "answer": " "}
    html = post_answer(as_student, data)
    assert "Not quite" in html and "I was right" not in html
    claim = as_student.post("/review/rate", data=data | {"claim": "1", "rating": "3"})
    assert claim.status_code == 400
    assert [r for r in log_rows(app) if r[0] == f["token"]] == []


def test_one_showing_rated_in_two_tabs_is_recorded_once(app, as_student):
    first, second = front(as_student), front(as_student)  # two tabs, one card
    assert first["card"] == second["card"] and first["token"] != second["token"]
    key, question = question_for(app, first["card"])
    for tab in (first, second):
        data = {k: tab[k] for k in ("csrf_token", "card", "token", "seen")}
        rated = as_student.post(
            "/review/rate", data=data | {"rating": "4"} | right_answer(question, key, data["token"])
        )
        assert rated.status_code == 302
    page = as_student.get(rated.headers["Location"]).get_data(as_text=True)
    assert "already answered in another tab" in page
    assert len(log_rows(app)) == 1


def test_a_card_that_is_not_due_is_not_rated(app, as_student):
    key, question, html, rated, data = answer_and_rate(as_student, app, right=True, rating="4")
    # Another token shuffles the options another way: the answer is posted in that order.
    forged = "forged-token-0001"
    again = as_student.post(
        "/review/rate", data=data | {"token": forged} | right_answer(question, key, forged)
    )
    assert again.status_code == 302
    page = as_student.get(again.headers["Location"]).get_data(as_text=True)
    assert "not due yet" in page
    assert len(log_rows(app)) == 1
    as_json = as_student.post(
        "/review/rate",
        data=data
        | {"token": "forged-token-0002"}
        | right_answer(question, key, "forged-token-0002"),
        headers={"Accept": "application/json"},
    )
    assert as_json.status_code == 409 and as_json.json["recorded"] is False


def test_script_in_an_answer_is_escaped(app, as_student):
    f, key, question = study_until(as_student, app, ("answer",))
    data = {"csrf_token": f["csrf_token"], "card": f["card"], "token": f["token"]}
    html = post_answer(as_student, data | {"answer": "<script>alert(1)</script>"})
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_pages_send_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    cookie = client.get_cookie("session")
    assert cookie is None or cookie.http_only


def test_unknown_page_is_a_friendly_404_or_json(client):
    page = client.get("/nope")
    assert page.status_code == 404 and "Nothing here" in page.get_data(as_text=True)
    as_json = client.get("/nope", headers={"Accept": "application/json"})
    assert as_json.status_code == 404 and as_json.json["error"] == "Nothing here"


@pytest.mark.parametrize("code", PAGES)
def test_every_error_status_gets_its_friendly_page(app_config, code):
    app = create_app(app_config)
    app.add_url_rule("/fail", "fail", lambda: abort(code, "Told you."))
    page = app.test_client().get("/fail")
    assert page.status_code == code
    html = page.get_data(as_text=True)
    assert TITLES[code] in html and f"Error {code}" in html


def session_line(html: str) -> tuple[str, list[str]]:
    """The review page's "N left today" and what it is made of, as the student reads them."""
    left = re.search(r"<span>(\d+) left today</span>", html).group(1)
    counts = re.search(r'<p class="legend session-counts"[^>]*>(.*?)</p>', html, re.S)
    parts = re.findall(r"</i>([^<]+)</span>", counts.group(1)) if counts else []
    return left, parts


def test_session_line_says_where_a_new_card_went(app, as_student):
    """A new card answered right is not done for the day: it comes back after its learning
    step, so "left today" stays put. The line under the bar says so, as Anki's counts do,
    instead of leaving the student to wonder why the number does not fall."""
    app.config["NEW_CARDS_PER_DAY"] = 3
    assert session_line(front(as_student)["html"]) == ("3", ["3 new"])
    answer_and_rate(as_student, app, right=True, rating="3")
    assert session_line(front(as_student)["html"]) == ("3", ["2 new", "1 back later today"])
    answer_and_rate(as_student, app, right=True, rating="4")  # Easy: graduates at once
    assert session_line(front(as_student)["html"]) == ("2", ["1 new", "1 back later today"])


def test_end_of_session_says_when_the_next_card_is_due(app, as_student):
    app.config["NEW_CARDS_PER_DAY"] = 1
    key, question, html, rated, data = answer_and_rate(as_student, app, right=True, rating="4")
    done = as_student.get("/review").get_data(as_text=True)
    assert "All done for now" in done
    # The count is of answers (a relearned card counts each time), and says so.
    assert "You gave <strong>1</strong> answer today." in done
    assert re.search(r"Your next review is due <strong>in \d+ days</strong>\.", done)
    # The cards never seen are not forgotten: they come with the next study day.
    snapshot = app.extensions["studyapp"].registry.snapshot
    unseen = sum(len(q.card_numbers) for b in snapshot.banks.values() for q in b.live_questions) - 1
    assert "started today's 1 new card" in done
    assert f"<strong>{unseen}</strong> more are waiting" in done and "at 04:00" in done


def test_end_of_session_offers_a_practice_test_of_what_was_studied(app, as_student):
    """Nothing is due: besides the way back, the end screen offers a practice test, of the one
    reading studied (its start form comes with that reading ticked), or of every reading."""
    app.config["NEW_CARDS_PER_DAY"] = 0
    bank_id = next(iter(app.extensions["studyapp"].registry.snapshot.banks))
    one = as_student.get(f"/review?bank={bank_id}").get_data(as_text=True)
    assert "All done for now" in one
    link = f'<a class="button" href="/practice/?bank={bank_id}">Take a practice test on this reading</a>'
    assert link in one and 'href="/">Back to your readings</a>' in one
    start = as_student.get(f"/practice/?bank={bank_id}").get_data(as_text=True)
    boxes = re.findall(r'<input [^>]*name="banks"[^>]*>', start)
    ticked = [re.search(r'value="([^"]+)"', b).group(1) for b in boxes if " checked" in b]
    assert ticked == [bank_id]
    every = as_student.get("/review").get_data(as_text=True)
    assert '<a class="button" href="/practice/">Take a practice test</a>' in every


@pytest.mark.parametrize(
    "field, value",
    [("option", "²"), ("option", "9" * 5000), ("rating", "³"), ("shown_at", "9" * 5000)],
)
def test_odd_digits_get_a_400_not_a_500(as_student, app, field, value):
    f, key, question = study_until(as_student, app, ("choice", "truefalse"))
    data = {"csrf_token": f["csrf_token"], "card": f["card"], "token": f["token"], "rating": "3"}
    data |= right_answer(question, key, data["token"]) | {field: value}
    before = len(log_rows(app))
    response = as_student.post("/review/rate", data=data)
    expected = 302 if field == "shown_at" else 400  # a bad timing is ignored, not refused
    assert response.status_code == expected
    assert len(log_rows(app)) - before == (1 if expected == 302 else 0)


@pytest.mark.parametrize("url", ["/practice/99999999999999999999999", "/practice/1/result"])
def test_huge_or_foreign_attempt_ids_are_404(as_student, url):
    assert as_student.get(url).status_code == 404


def test_deleted_bank_leaves_every_queue(app_config, tmp_path, shipped_questions):
    import shutil

    from studyapp import create_app

    folder = tmp_path / "two"
    folder.mkdir()
    for stem in ("beijing-calibrates", "thaad-and-biden"):
        for ext in (".yaml", ".txt"):
            shutil.copy(shipped_questions / f"{stem}{ext}", folder / f"{stem}{ext}")
    config = app_config | {"QUESTIONS": str(folder)}
    app = create_app(config)
    client = app.test_client()
    sign_up(client, "ann")
    # New cards come in the course's order: the reading of February 2021 before April's.
    assert front(client)["card"].startswith("thaad-and-biden/")
    (folder / "thaad-and-biden.yaml").unlink()
    app.extensions["studyapp"].registry.refresh(force=True)
    assert front(client)["card"].startswith("beijing-calibrates/")
    with app.extensions["studyapp"].open_store() as store:
        assert "thaad-and-biden" not in store.recorded_banks()
    # A bank deleted while the server was down is retired at the next start.
    (folder / "beijing-calibrates.yaml").unlink()
    restarted = create_app(config)
    with restarted.extensions["studyapp"].open_store() as store:
        assert store.recorded_banks() == {}


def test_an_id_changed_while_the_server_was_down_retires_the_old_one(
    app_config, tmp_path, shipped_questions
):
    import shutil

    from studyapp import create_app

    folder = tmp_path / "one"
    folder.mkdir()
    for ext in (".yaml", ".txt"):
        shutil.copy(
            shipped_questions / f"beijing-calibrates{ext}", folder / f"beijing-calibrates{ext}"
        )
    config = app_config | {"QUESTIONS": str(folder)}
    create_app(config)
    bank = folder / "beijing-calibrates.yaml"
    bank.write_text(bank.read_text().replace("id: beijing-calibrates", "id: beijing-2021", 1))
    restarted = create_app(config)
    with restarted.extensions["studyapp"].open_store() as store:
        assert list(store.recorded_banks()) == ["beijing-2021"]
    # A file that fails to load at start keeps its bank recorded (fixing it brings it back).
    bank.write_text(bank.read_text().replace("type: choice", "type: choise", 1))
    again = create_app(config)
    with again.extensions["studyapp"].open_store() as store:
        assert list(store.recorded_banks()) == ["beijing-2021"]


def test_a_csrf_token_outlives_an_hour(as_student, app, monkeypatch):
    """A timed practice test may run for hours: its forms must still post."""
    import time

    f = front(as_student)
    key, question = question_for(app, f["card"])
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 5 * 3600)
    data = {"csrf_token": f["csrf_token"], "card": f["card"], "token": f["token"]}
    response = as_student.post(
        "/review/answer", data=data | right_answer(question, key, data["token"])
    )
    assert response.status_code == 303


# --- leaving the feedback page and coming back ---------------------------------------------------


def rate_form_fields(html: str) -> list[tuple[str, str]]:
    """The hidden fields the feedback page's rating form sends, CSRF token left out."""
    form = html[html.index('id="rate-form"') :]
    form = form[: form.index("</form>")]
    pairs = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    return [(name, htmllib.unescape(value)) for name, value in pairs if name != "csrf_token"]


def answer_typed_card_wrong(client, app) -> tuple[dict, CardKey, str]:
    """Answer the first typed-answer card wrong ("zzzz"); return its front, key and feedback."""
    f, key, question = study_until(client, app, ("answer",))
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")}
    return f, key, post_answer(client, data | {"answer": "zzzz"})


def test_feedback_left_for_the_reading_is_shown_again_and_rated_once(app, as_student):
    f, key, feedback = answer_typed_card_wrong(as_student, app)
    # The student follows "Open the reading at this passage", then comes back to /review.
    assert as_student.get(f"/reading/{key.bank_id}").status_code == 200
    again = as_student.get("/review").get_data(as_text=True)
    assert "Not quite" in again and "zzzz" in again and 'data-page="front"' not in again
    assert rate_form_fields(again) == rate_form_fields(feedback)
    fields = MultiDict(rate_form_fields(again) + [("rating", "1")])
    fields["csrf_token"] = csrf_from(again)
    assert as_student.post("/review/rate", data=fields).status_code == 302
    rows = [tuple(r) for r in log_rows(app) if r[0] == f["token"]]
    assert rows == [(f["token"], "zzzz", 0, 1)]
    # Rated: the next visit is a new card, and sending the rating again adds nothing.
    after = front(as_student)
    assert 'data-page="front"' in after["html"] and after["token"] != f["token"]
    assert as_student.post("/review/rate", data=fields).status_code == 302
    assert len([r for r in log_rows(app) if r[0] == f["token"]]) == 1


def test_a_pending_answer_older_than_an_hour_is_dropped(app, as_student):
    f, key, feedback = answer_typed_card_wrong(as_student, app)
    with as_student.session_transaction() as session:
        pending = session["pending_review"]
        pending["at"] -= 2 * 3600
        session["pending_review"] = pending
    again = front(as_student)
    assert 'data-page="front"' in again["html"] and again["token"] != f["token"]
    with as_student.session_transaction() as session:
        assert "pending_review" not in session


def test_a_showing_rated_in_another_tab_is_not_shown_again(app, as_student):
    f, key, question = study_until(as_student, app, ("answer",))
    other = front(as_student)  # the same card open in a second tab
    assert other["card"] == f["card"] and other["token"] != f["token"]
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")}
    assert as_student.post("/review/answer", data=data | {"answer": "zzzz"}).status_code == 303
    # The second tab rates its own showing: the first tab's answer can no longer be rated.
    data = {k: other[k] for k in ("csrf_token", "card", "token", "seen")}
    assert as_student.post("/review/rate", data=data | {"rating": "1"}).status_code == 302
    again = front(as_student)
    assert 'data-page="front"' in again["html"] and again["token"] != f["token"]
    with as_student.session_transaction() as session:
        assert "pending_review" not in session


def test_a_pending_answer_is_not_shown_to_the_next_student_on_the_browser(app, as_student):
    answer_typed_card_wrong(as_student, app)
    csrf = csrf_from(as_student.get("/").get_data(as_text=True))
    as_student.post("/logout", data={"csrf_token": csrf})
    sign_up(as_student, "bob")
    page = front(as_student)["html"]
    assert 'data-page="front"' in page and "zzzz" not in page


def test_the_feedback_is_a_page_at_review_that_reloads_without_recording(app, as_student):
    """Post/Redirect/Get: the answer post only redirects; /review shows the feedback, as often
    as it is fetched (a reload, Back from the reading), and only the rating records."""
    f, key, question = study_until(as_student, app, ("answer",))
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")}
    sent = as_student.post("/review/answer", data=data | {"answer": "zzzz"})
    assert sent.status_code == 303 and sent.headers["Location"] == "/review"
    assert 'id="verdict"' not in sent.get_data(as_text=True)  # the feedback is /review's page
    first = as_student.get("/review").get_data(as_text=True)
    reload = as_student.get("/review").get_data(as_text=True)
    for page in (first, reload):
        assert "Not quite" in page and "zzzz" in page and 'data-page="front"' not in page
        assert ("token", f["token"]) in rate_form_fields(page)
    assert rate_form_fields(reload) == rate_form_fields(first)
    assert [r for r in log_rows(app) if r[0] == f["token"]] == []
    fields = MultiDict(rate_form_fields(reload) + [("rating", "1")])
    fields["csrf_token"] = csrf_from(reload)
    assert as_student.post("/review/rate", data=fields).status_code == 302
    assert [tuple(r) for r in log_rows(app) if r[0] == f["token"]] == [(f["token"], "zzzz", 0, 1)]
    assert 'data-page="front"' in as_student.get("/review").get_data(as_text=True)


def test_the_redirect_keeps_the_bank_filter(app, as_student):
    query = "?bank=beijing-calibrates"
    f = front(as_student, query)
    assert f["card"].startswith("beijing-calibrates/")
    key, question = question_for(app, f["card"])
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")}
    feedback = post_answer(
        as_student,
        data | {"bank": "beijing-calibrates"} | right_answer(question, key, data["token"]),
        query,
    )
    assert ("bank", "beijing-calibrates") in rate_form_fields(feedback)
    fields = MultiDict(rate_form_fields(feedback) + [("rating", "3")])
    fields["csrf_token"] = csrf_from(feedback)
    rated = as_student.post("/review/rate", data=fields)
    assert rated.status_code == 302 and rated.headers["Location"] == "/review" + query


def test_an_answer_too_long_for_the_session_is_shown_at_once(app, as_student, monkeypatch):
    """The session cookie cannot carry it through a redirect: the answer post shows the
    feedback itself, as it did before, and the rating still records it."""
    from studyapp.web import pending

    monkeypatch.setattr(pending, "MAX_JSON_CHARS", 3)
    f, key, question = study_until(as_student, app, ("answer",))
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")}
    shown = as_student.post("/review/answer", data=data | {"answer": "zzzz"})
    assert shown.status_code == 200
    html = shown.get_data(as_text=True)
    assert "Not quite" in html and "zzzz" in html
    with as_student.session_transaction() as session:
        assert "pending_review" not in session
    fields = MultiDict(rate_form_fields(html) + [("rating", "1")])
    fields["csrf_token"] = csrf_from(html)
    assert as_student.post("/review/rate", data=fields).status_code == 302
    assert [tuple(r) for r in log_rows(app) if r[0] == f["token"]] == [(f["token"], "zzzz", 0, 1)]


def test_an_answer_to_a_showing_already_rated_elsewhere_is_refused_before_its_feedback(
    app, as_student
):
    """The card was rated in another tab before this answer was sent: its rating could never
    be recorded, so the answer is refused at once, with the reason, and nothing is kept."""
    f, key, question = study_until(as_student, app, ("answer",))
    other = front(as_student)
    assert other["card"] == f["card"]
    rated = {k: other[k] for k in ("csrf_token", "card", "token", "seen")} | {"rating": "1"}
    assert as_student.post("/review/rate", data=rated).status_code == 302
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")}
    refused = as_student.post("/review/answer", data=data | {"answer": "zzzz"})
    assert refused.status_code == 302 and refused.headers["Location"] == "/review"
    page = as_student.get("/review").text
    assert "You already answered this card in another tab or window" in page
    assert "Not quite" not in page and 'data-page="front"' in page
    with as_student.session_transaction() as session:
        assert "pending_review" not in session
    assert [r for r in log_rows(app) if r[0] == f["token"]] == []


# --- labels and key hints on a small bank --------------------------------------------------------

SMALL_BANK = """\
- id: met
  type: cloze
  text: Chung Eui-yong met {{c1::Wang Yi}} in Xiamen.
  quote: Chung Eui-yong met Wang Yi in Xiamen.
- id: both
  type: cloze
  text: "{{c1::Chung Eui-yong}} met Wang Yi in {{c1::Xiamen}}."
  quote: Chung Eui-yong met Wang Yi in Xiamen.
- id: thaad
  type: card
  prompt: What does THAAD stand for?
  answer: Terminal High Altitude Area Defense
  quote: Terminal High Altitude Area Defense
"""


@pytest.fixture
def small_fronts(app_config, make_bank, tmp_path) -> dict[str, str]:
    """The front page of each card of SMALL_BANK, by question id (each is rated Good in turn)."""
    make_bank(SMALL_BANK)
    app = create_app(app_config | {"QUESTIONS": str(tmp_path / "questions")})
    client = app.test_client()
    sign_up(client, "ann")
    pages: dict[str, str] = {}
    while len(pages) < 3:
        f = front(client)
        key, question = question_for(app, f["card"])
        assert key.question_id not in pages, "a card came back before every card was shown"
        pages[key.question_id] = f["html"]
        data = {k: f[k] for k in ("csrf_token", "card", "token")} | {"rating": "3"}
        client.post("/review/rate", data=data | right_answer(question, key, data["token"]))
    return pages


def key_hint(html: str) -> str:
    return re.search(r'<p [^>]*id="key-hint">(.*?)</p>', html, re.S).group(1)


def test_a_single_cloze_blank_is_not_numbered(small_fronts):
    page = small_fronts["met"]
    assert '<label class="visually-hidden" for="blank-1">Missing words</label>' in page
    assert 'id="blank-1"' in page and "Missing words 2" not in page and "blank-2" not in page


def test_several_cloze_blanks_are_numbered_from_one(small_fronts):
    page = small_fronts["both"]
    for n in (1, 2):
        assert f'<label class="visually-hidden" for="blank-{n}">Missing words {n}</label>' in page
        assert f'id="blank-{n}"' in page
    assert "blank-3" not in page


@pytest.mark.parametrize(
    "question_id, shown, hidden",
    [
        ("thaad", "<kbd>Space</kbd> show the answer", "Enter"),
        ("met", "<kbd>Enter</kbd> check", "Space"),
    ],
)
def test_key_hint_names_only_the_keys_of_the_card_type(small_fronts, question_id, shown, hidden):
    hint = key_hint(small_fronts[question_id])
    assert shown in hint and hidden not in hint


# --- the options on the feedback -----------------------------------------------------------------

OPTIONS_BANK = """\
- id: capitals
  type: multi
  prompt: A trilateral summit with which capitals?
  answers: [Beijing, Seoul, Tokyo]
  distractors: [Washington, Pyongyang, Moscow]
  quote: Beijing answered
- id: deployed
  type: choice
  prompt: When was THAAD deployed in South Korea?
  answer: "2017"
  distractors: ["2014", "2015", "2016", "2018", "2019"]
  quote: was deployed in South Korea in 2017
- id: met
  type: cloze
  text: "{{c1::Chung Eui-yong}} met {{c1::Wang Yi}} in {{c1::Xiamen}}."
  quote: Chung Eui-yong met Wang Yi in Xiamen.
"""


@pytest.fixture
def options_app(app_config, make_bank, tmp_path):
    make_bank(OPTIONS_BANK)
    return create_app(app_config | {"QUESTIONS": str(tmp_path / "questions")})


@pytest.fixture
def options_client(options_app):
    client = options_app.test_client()
    sign_up(client, "ann")
    return client


def front_of(client, app, question_id: str, shuffled: bool = False) -> tuple[dict, dict]:
    """The front of ``question_id`` and its options (text: form value) in the order shown,
    rating other cards Good on the way; with ``shuffled``, a showing whose order is not the
    bank's."""
    for _ in range(30):
        f = front(client)
        key, question = question_for(app, f["card"])
        if key.question_id == question_id:
            shown = options_on_front(f["html"])
            if not shuffled or list(shown) != list(question.options):
                return f, shown
            continue  # the same card again, with a new token and so another order
        data = {k: f[k] for k in ("csrf_token", "card", "token")} | {"rating": "3"}
        client.post("/review/rate", data=data | right_answer(question, key, data["token"]))
    pytest.fail(f"no showing of {question_id}")


def options_on_front(html: str) -> dict[str, str]:
    """The options on a card's front in the order shown, each text with its form value."""
    found = re.findall(r'name="option" value="([^"]+)".*?<span>(.*?)</span>', html, re.S)
    return {htmllib.unescape(text): value for value, text in found}


def feedback_options(html: str) -> list[tuple[str, str]]:
    """Each option on the feedback as (its class, its text with the tags taken out)."""
    items = re.findall(
        r'<li class="([^"]*)">(.*?)</li>', html.split('class="option-list"')[1], re.S
    )
    return [(cls, " ".join(re.sub(r"<[^>]+>", " ", body).split())) for cls, body in items]


@pytest.mark.parametrize("question_id", ["capitals", "deployed"])
def test_feedback_lists_the_options_in_the_order_of_the_front(
    options_app, options_client, question_id
):
    f, shown = front_of(options_client, options_app, question_id, shuffled=True)
    key, question = question_for(options_app, f["card"])
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")}
    feedback = post_answer(options_client, data | right_answer(question, key, data["token"]))
    assert [
        text.split(" (right answer)")[0].split(" ·")[0] for _, text in feedback_options(feedback)
    ] == list(shown)


def test_the_front_does_not_give_away_the_right_option(options_app, options_client):
    """A bank lists the right option first; the front lists the options in an order of the
    showing's own and posts codes, so neither the place nor the value of the right option
    stays put from showing to showing, and the pick the student reads is what gets graded."""
    places, values = set(), set()
    for _ in range(12):  # the same card, shown again with a new token each time
        f, shown = front_of(options_client, options_app, "deployed")
        places.add(list(shown).index("2017"))
        values.add(shown["2017"])
        assert len(set(shown.values())) == len(shown) == 6
    assert len(places) > 1 and len(values) == 12
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")}
    feedback = post_answer(options_client, data | {"option": [shown["2017"]]})
    assert 'id="verdict">✓ Right' in feedback
    assert ("correct", "2017 (right answer) ✓ · your pick") in feedback_options(feedback)


def test_a_pick_survives_an_edit_of_the_other_options(options_app, options_client, make_bank):
    """An instructor adds a distractor while the card is on screen: the pick still means the
    option the student read. An option whose text changed is refused, not read as another."""
    f, shown = front_of(options_client, options_app, "deployed")
    make_bank(OPTIONS_BANK.replace('"2014", "2015"', '"2013", "2014", "2015"'))
    options_app.extensions["studyapp"].registry.refresh(force=True)
    key, question = question_for(options_app, f["card"])
    assert "2013" in question.options
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")}
    feedback = post_answer(options_client, data | {"option": [shown["2017"]]})
    assert 'id="verdict">✓ Right' in feedback
    make_bank(OPTIONS_BANK.replace('answer: "2017"', 'answer: "in 2017"'))
    options_app.extensions["studyapp"].registry.refresh(force=True)
    gone = options_client.post("/review/answer", data=data | {"option": [shown["2017"]]})
    assert gone.status_code == 400
    assert "may have been edited since the card was shown" in gone.get_data(as_text=True)


def test_a_right_option_left_unpicked_is_marked_missed_in_words(options_app, options_client):
    f, shown = front_of(options_client, options_app, "capitals")
    key, question = question_for(options_app, f["card"])
    picks = [shown[t] for t in ("Beijing", "Washington")]
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")}
    feedback = post_answer(options_client, data | {"option": picks})
    assert "Not quite" in feedback
    found = {text.split(" ")[0]: (cls, text) for cls, text in feedback_options(feedback)}
    assert found["Beijing"] == ("correct", "Beijing (right answer) ✓ · your pick")
    for missed in ("Seoul", "Tokyo"):
        assert found[missed] == (
            "correct missed",
            f"{missed} (right answer) ✓ missed : you did not pick it",
        )
    # A wrong pick is marked in a sign and in words too, not by its colour alone.
    assert found["Washington"] == (
        "picked-wrong",
        "Washington ✗ · your pick wrong : not a right answer",
    )
    assert found["Pyongyang"] == ("", "Pyongyang")
    assert '<span class="mark wrong">missed' in feedback  # seen, not only heard
    assert '<span class="mark wrong">wrong' in feedback


def test_a_choice_answered_wrong_does_not_call_the_right_option_missed(options_app, options_client):
    f, shown = front_of(options_client, options_app, "deployed")
    key, question = question_for(options_app, f["card"])
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")}
    feedback = post_answer(options_client, data | wrong_answer(question, key, data["token"]))
    assert "Not quite" in feedback and "missed" not in feedback
    wrong = question.distractors[0]
    marked = [(cls, text) for cls, text in feedback_options(feedback) if cls == "picked-wrong"]
    assert marked == [("picked-wrong", f"{wrong} ✗ · your pick wrong : not a right answer")]


def test_an_empty_answer_is_graded_wrong_through_the_redirect(options_app, options_client):
    f, shown = front_of(options_client, options_app, "capitals")
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")}
    feedback = post_answer(options_client, data)
    assert "Not quite" in feedback and "your pick" not in feedback
    assert [cls for cls, _ in feedback_options(feedback)].count("correct missed") == 3
    fields = MultiDict(rate_form_fields(feedback) + [("rating", "1")])
    fields["csrf_token"] = csrf_from(feedback)
    assert options_client.post("/review/rate", data=fields).status_code == 302
    assert [tuple(r) for r in log_rows(options_app)] == [(f["token"], "", 0, 1)]


def test_a_pending_answer_to_a_question_made_draft_is_dropped(
    options_app, options_client, tmp_path
):
    """The instructor marks the question a draft while its feedback waits: /review moves on,
    and the answer can no longer be sent or rated."""
    f, shown = front_of(options_client, options_app, "capitals")
    key, question = question_for(options_app, f["card"])
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")}
    data |= right_answer(question, key, data["token"])
    assert "✓ Right" in post_answer(options_client, data)
    bank = tmp_path / "questions" / "sample.yaml"
    bank.write_text(bank.read_text().replace("type: multi", "type: multi\n    draft: true"))
    options_app.extensions["studyapp"].registry.refresh(force=True)
    after = front(options_client)
    assert after["card"] != f["card"] and 'data-page="front"' in after["html"]
    with options_client.session_transaction() as session:
        assert "pending_review" not in session
    assert options_client.post("/review/answer", data=data).status_code == 404
    assert options_client.post("/review/rate", data=data | {"rating": "3"}).status_code == 404
    assert log_rows(options_app) == []


def test_an_answer_too_big_for_the_cookie_in_any_alphabet_is_shown_at_once(
    options_app, options_client
):
    """Three blanks of Hangul fit the length limits but not a 4 KB cookie (each letter is six
    characters of JSON): a browser would drop the cookie and the redirect would lose the
    answer, so it is shown at once (the test client's cookie-size warning fails the test)."""
    f, shown = front_of(options_client, options_app, "met")
    letters = random.Random(0)  # random text: the cookie's compression cannot shrink it
    blanks = ["".join(chr(letters.randrange(0xAC00, 0xD7A4)) for _ in range(450)) for _ in "123"]
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")}
    shown_at_once = options_client.post("/review/answer", data=data | {"blank": blanks})
    assert shown_at_once.status_code == 200 and "Not quite" in shown_at_once.text
    with options_client.session_transaction() as session:
        assert "pending_review" not in session


# --- the passage on the feedback: the quote's own sentences ---------------------------------------

PARAGRAPH_DOCUMENT = """\
---
title: A Sample Reading
---

The U.S. deployed THAAD in South Korea in 2017. Beijing answered with a barrage of economic
coercive measures. Support for closer ties with China fell by 19 percent.

Chung Eui-yong met Wang Yi in Xiamen.
"""

PARAGRAPH_BANK = """\
- id: answered
  type: choice
  prompt: How did Beijing answer?
  answer: economic coercive measures
  distractors: [a summit, silence]
  quote: economic coercive measures
- id: met
  type: card
  prompt: Who met Wang Yi in Xiamen?
  answer: Chung Eui-yong
  quote: Chung Eui-yong met Wang Yi
"""


@pytest.fixture
def paragraph_app(app_config, make_bank, tmp_path):
    make_bank(PARAGRAPH_BANK, document=PARAGRAPH_DOCUMENT)
    return create_app(app_config | {"QUESTIONS": str(tmp_path / "questions")})


def feedback_of(app, question_id: str) -> str:
    client = app.test_client()
    sign_up(client, "ann")
    f, _ = front_of(client, app, question_id)
    key, question = question_for(app, f["card"])
    data = {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")}
    return post_answer(client, data | wrong_answer(question, key, data["token"]))


def passage_parts(html: str) -> tuple[str, str | None]:
    """The feedback's visible passage block and its folded whole paragraph (None if none)."""
    figure = re.search(r'<figure class="source">(.*?)</figure>', html, re.S).group(1)
    shown = re.search(r'<blockquote class="passage">(.*?)</blockquote>', figure, re.S).group(1)
    fold = re.search(r'<details class="whole-paragraph">(.*?)</details>', figure, re.S)
    return shown, fold.group(1) if fold else None


def test_feedback_shows_the_quote_in_its_own_sentence_and_folds_the_paragraph(paragraph_app):
    """The other sentences of the paragraph may answer the next cards: they are only in the
    folded "Whole paragraph", not in the passage shown."""
    shown, fold = passage_parts(feedback_of(paragraph_app, "answered"))
    assert shown == (
        '… Beijing answered with a barrage of <mark class="passage">economic\n'
        "coercive measures</mark>. …"
    )
    assert "THAAD" not in shown and "19 percent" not in shown
    assert fold is not None and "<summary>Whole paragraph</summary>" in fold
    assert "The U.S. deployed THAAD in South Korea in 2017." in fold
    assert "19 percent" in fold and '<mark class="passage">economic' in fold


def test_feedback_on_a_one_sentence_paragraph_shows_it_whole_without_a_fold(paragraph_app):
    html = feedback_of(paragraph_app, "met")
    shown, fold = passage_parts(html)
    assert shown == '<mark class="passage">Chung Eui-yong met Wang Yi</mark> in Xiamen.'
    assert fold is None and "Whole paragraph" not in html
    assert "/reading/sample#q-met" in html


# --- the session bar: "done" and "left" count the same readings ----------------------------------


def session_done(html: str) -> int:
    return int(re.search(r"<span>(\d+) done</span>", html).group(1))


def test_done_on_the_session_bar_counts_the_readings_reviewed(app, as_student):
    """An answer in one reading is not "done" on the bar of another opened fresh, whose "left
    today" is its own."""
    key, *_ = answer_and_rate(as_student, app, right=True, rating="3")
    other = next(b for b in app.extensions["studyapp"].registry.snapshot.banks if b != key.bank_id)
    assert session_done(front(as_student, f"?bank={other}")["html"]) == 0
    assert session_done(front(as_student, f"?bank={key.bank_id}")["html"]) == 1
    assert session_done(front(as_student)["html"]) == 1
