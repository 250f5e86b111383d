"""Accounts, the reading view, and banks edited while the server runs."""

from __future__ import annotations

import logging
import re
import shutil

import pytest

from studyapp import create_app

from .conftest import csrf_from, sign_in, sign_up


def test_sign_up_then_sign_in(client):
    sign_up(client, "ann")
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    assert client.get("/").status_code == 302
    assert sign_in(client, "ANN").status_code == 302  # names are case-insensitive
    assert client.get("/").status_code == 200


def test_password_is_stored_hashed(app, client):
    sign_up(client, "ann", "correct horse")
    with app.extensions["studyapp"].open_store() as store:
        stored = store.user_by_name("ann").password_hash
    assert "correct horse" not in stored and stored.startswith("scrypt:")


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"name": "a"}, "A name is 2 to 64 characters."),
        ({"name": "a" * 65}, "A name is 2 to 64 characters."),
        ({"name": ""}, "Choose a name."),
        ({"name": "<b>x</b>"}, "Use letters, digits, dots, hyphens or underscores"),
        ({"password": "short", "confirm": "short"}, "Use at least 8 characters."),
        ({"password": "", "confirm": ""}, "Choose a password."),
        ({"confirm": ""}, "Type the password again."),
        ({"confirm": "different!"}, "The passwords differ."),
    ],
)
def test_bad_sign_up_fields_get_a_message_not_a_500(client, fields, message):
    page = client.get("/signup").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "name": "ann", "password": "correct horse"}
    data |= {"confirm": "correct horse", "timezone": "UTC"} | fields
    response = client.post("/signup", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_the_password_hint_and_its_error_say_the_same(client):
    page = client.get("/signup").get_data(as_text=True)
    assert "Use at least 8 characters." in page
    data = {"csrf_token": csrf_from(page), "name": "ann", "password": "short", "confirm": "short"}
    html = client.post("/signup", data=data).get_data(as_text=True)
    assert html.count("Use at least 8 characters.") == 1  # the error, in place of the hint


# WTForms' own wording ("This field is required.", "Field must be between ...",
# "Field cannot be longer than ...") must never reach a page: the forms say it in the app's words.
WTFORMS_DEFAULTS = re.compile(r"This field is required|Field must be|Field cannot be|Invalid ")


@pytest.mark.parametrize(
    "fields, messages",
    [
        ({"name": "", "password": ""}, ["Enter your name.", "Enter your password."]),
        ({"name": "a" * 65, "password": "x" * 257}, ["A name is at most 64 characters."]),
    ],
)
def test_sign_in_mistakes_are_told_in_the_apps_words(client, fields, messages):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"csrf_token": csrf_from(page)} | fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert all(m in html for m in messages)
    assert not WTFORMS_DEFAULTS.search(html)


def test_an_empty_sign_up_form_is_told_in_the_apps_words(client):
    page = client.get("/signup").get_data(as_text=True)
    response = client.post("/signup", data={"csrf_token": csrf_from(page)})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose a name." in html and "Choose a password." in html
    assert "Type the password again." in html
    assert not WTFORMS_DEFAULTS.search(html)


def test_unknown_time_zone_from_the_browser_falls_back_to_the_default(app, client):
    page = client.get("/signup").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "name": "ann", "password": "x" * 9, "confirm": "x" * 9}
    assert client.post("/signup", data=data | {"timezone": "Mars/Olympus"}).status_code == 302
    with app.extensions["studyapp"].open_store() as store:
        assert store.user_by_name("ann").timezone == "UTC"


def test_taken_name_is_refused(client):
    sign_up(client, "ann")
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    page = client.get("/signup").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "name": "Ann", "password": "x" * 9, "confirm": "x" * 9}
    response = client.post("/signup", data=data)
    assert response.status_code == 400 and "That name is taken." in response.get_data(as_text=True)


def test_sign_up_without_csrf_is_refused(client, app):
    response = client.post("/signup", data={"name": "ann", "password": "x" * 9, "confirm": "x" * 9})
    assert response.status_code == 400
    with app.extensions["studyapp"].open_store() as store:
        assert store.user_by_name("ann") is None


def test_sign_up_can_be_closed(app, client):
    app.config["SIGNUP_OPEN"] = False
    assert client.get("/signup").status_code == 403
    assert "Create an account" not in client.get("/login").get_data(as_text=True)


def test_repeated_failed_sign_ins_are_rate_limited(client):
    sign_up(client, "ann")
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    codes = [sign_in(client, "ann", "wrong password").status_code for _ in range(6)]
    assert codes == [400] * 5 + [429]
    assert sign_in(client, "ann").status_code == 429  # even the right password, for a while


def test_failed_sign_ins_count_across_server_workers(app, app_config, client):
    """Each server worker builds its own app on the same instance: failures spent on one worker
    block sign-in on the other."""
    sign_up(client, "ann")
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    second = create_app(app_config).test_client()
    codes = [sign_in(client, "ann", "wrong password").status_code for _ in range(3)]
    codes += [sign_in(second, "ann", "wrong password").status_code for _ in range(2)]
    assert codes == [400] * 5
    assert sign_in(client, "ann").status_code == 429
    assert sign_in(second, "ann").status_code == 429


def test_behind_a_proxy_the_sign_in_limit_counts_per_client_address(app_config):
    """With PROXIES=1 the address is the one the proxy forwards: one client's failures pause
    sign-in from that address only (names differ, so only the address key can block)."""
    client = create_app(app_config | {"PROXIES": 1}).test_client()
    sign_up(client, "ann")
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
    codes = [sign_in(client, f"guess{i}", "wrong password").status_code for i in range(6)]
    assert codes == [400] * 5 + [429]
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.2"
    assert sign_in(client, "ann").status_code == 302


def test_next_parameter_never_leaves_the_site(client):
    sign_up(client, "ann")
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    page = client.get("/login?next=https://evil.example/").get_data(as_text=True)
    response = client.post(
        "/login?next=https://evil.example/",
        data={"csrf_token": csrf_from(page), "name": "ann", "password": "correct horse"},
    )
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "target, landing",
    [("/review/rate", "/"), ("/review?bank=thaad-and-biden", "/review?bank=thaad-and-biden")],
)
def test_after_sign_in_next_leads_to_a_page_never_to_a_form_post(client, target, landing):
    """Signed out in another tab, a rating post sends the student to sign in with a next of
    /review/rate, which only takes posts: after signing in they land home, not on a 405."""
    sign_up(client, "ann")
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    page = client.get(f"/login?next={target}").get_data(as_text=True)
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"csrf_token": csrf_from(page), "name": "ann", "password": "correct horse"},
    )
    assert response.headers["Location"] == landing
    assert client.get(landing).status_code == 200


def test_an_overlong_password_is_told_its_limit(client):
    page = client.get("/signup").get_data(as_text=True)
    long = "x" * 257
    response = client.post(
        "/signup",
        data={"csrf_token": csrf_from(page), "name": "ann", "password": long, "confirm": long},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "at most 256 characters" in html
    assert "at least 8" not in html


def test_reading_view_highlights_and_anchors_every_quoted_passage(as_student, app):
    bank = app.extensions["studyapp"].registry.snapshot.bank("thaad-and-biden")
    html = as_student.get("/reading/thaad-and-biden").get_data(as_text=True)
    for q in bank.live_questions:
        assert f'id="q-{q.id}"' in html
    assert as_student.get("/reading/nope").status_code == 404


@pytest.fixture
def live_folder(tmp_path, shipped_questions):
    folder = tmp_path / "banks"
    folder.mkdir()
    for name in ("thaad-and-biden.yaml", "thaad-and-biden.txt"):
        shutil.copy(shipped_questions / name, folder / name)
    return folder


def test_edited_bank_is_picked_up_and_a_broken_edit_keeps_the_last_good(
    app_config, live_folder, caplog
):
    from studyapp import create_app

    app = create_app(app_config | {"QUESTIONS": str(live_folder)})
    registry = app.extensions["studyapp"].registry
    bank_file = live_folder / "thaad-and-biden.yaml"
    good = bank_file.read_text()
    assert registry.refresh().bank("thaad-and-biden").title.startswith("What South Korea")

    bank_file.write_text(good.replace("title: What South Korea", "title: Edited South Korea", 1))
    assert registry.refresh(force=True).bank("thaad-and-biden").title.startswith("Edited")

    with caplog.at_level(logging.ERROR, logger="studyapp.banks"):
        bank_file.write_text(good.replace("questions:", "questions:\n  - id: [broken", 1))
        snapshot = registry.refresh(force=True)
    assert snapshot.bank("thaad-and-biden").title.startswith("Edited")  # last good stays
    (failure,) = snapshot.failures.values()
    assert failure.problems[0].code == "yaml-syntax"
    assert "error[yaml-syntax]" in caplog.text and "thaad-and-biden.yaml:" in caplog.text


def test_removed_question_leaves_review_and_new_one_arrives(app_config, live_folder):
    from studyapp import create_app

    app = create_app(app_config | {"QUESTIONS": str(live_folder)})
    client = app.test_client()
    sign_up(client, "ann")
    registry = app.extensions["studyapp"].registry
    bank_file = live_folder / "thaad-and-biden.yaml"
    first = registry.snapshot.bank("thaad-and-biden").questions[0]
    text = bank_file.read_text()
    start = text.index(f"  - id: {first.id}\n")
    end = text.index("  - id: ", start + 5)
    bank_file.write_text(text[:start] + text[end:])
    registry.refresh(force=True)
    page = client.get("/review").get_data(as_text=True)
    assert f"thaad-and-biden/{first.id}/" not in page
    with app.extensions["studyapp"].open_store() as store:
        retired = store.db.execute(
            "SELECT retired FROM questions WHERE bank_id = ? AND id = ?",
            ["thaad-and-biden", first.id],
        ).fetchone()
    assert retired[0] == 1


SCRIPTED = """\
- id: xss
  type: choice
  prompt: "Who said <script>alert('prompt')</script>?"
  answer: "<b>Beijing</b>"
  distractors: ["<img src=x onerror=alert(1)>", Seoul]
  quote: Beijing answered with a barrage
  explain: "<script>alert('explain')</script>"
"""


def test_html_in_bank_text_and_documents_is_shown_as_text(app_config, make_bank, tmp_path):
    from studyapp import create_app
    from tests.conftest import SAMPLE_DOCUMENT

    document = SAMPLE_DOCUMENT.replace(
        "Beijing answered", "<script>alert('doc')</script> Beijing answered"
    )
    path = make_bank(SCRIPTED, document=document)
    app = create_app(app_config | {"QUESTIONS": str(path.parent)})
    client = app.test_client()
    sign_up(client, "ann")
    front = client.get("/review").get_data(as_text=True)
    reading = client.get("/reading/sample").get_data(as_text=True)
    for html in (front, reading):
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;prompt&#39;)&lt;/script&gt;" in front
    assert "&lt;img src=x onerror=alert(1)&gt;" in front
    assert "&lt;script&gt;alert(&#39;doc&#39;)&lt;/script&gt;" in reading
    fields = dict(re.findall(r'name="(csrf_token|card|token|option)" value="([^"]*)"', front))
    feedback = client.post("/review/answer", data=fields, follow_redirects=True).get_data(
        as_text=True
    )
    assert "<script>alert" not in feedback and "<img src=x" not in feedback
    assert "&lt;script&gt;alert(&#39;explain&#39;)&lt;/script&gt;" in feedback
    assert "&lt;script&gt;alert(&#39;doc&#39;)&lt;/script&gt;" in feedback  # the passage


def test_an_unknown_address_gets_only_the_apps_own_words(as_student):
    response = as_student.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Nothing here" in html and "The address may be mistyped" in html
    assert "requested URL" not in html and "on the server" not in html


def test_a_page_that_names_what_is_missing_still_says_so(as_student):
    html = as_student.get("/reading/nope").get_data(as_text=True)
    assert "There is no such reading." in html and "requested URL" not in html


def test_a_wrong_method_is_told_in_the_apps_words(as_student):
    response = as_student.get("/logout")
    html = response.get_data(as_text=True)
    assert response.status_code == 405
    assert "own links and buttons." in html
    assert "not allowed for the requested URL" not in html
    as_json = as_student.get("/logout", headers={"Accept": "application/json"})
    assert as_json.json["message"].startswith("This address does not take")
