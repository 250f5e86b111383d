"""A signed-in user's account page: a new password (signing out other devices) and the time zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from studyapp import create_app

from .conftest import csrf_from, sign_in, sign_up


def _account_csrf(client) -> str:
    return csrf_from(client.get("/account").get_data(as_text=True))


def change_password(client, current: str, new: str, confirm: str | None = None):
    data = {
        "pw-csrf_token": _account_csrf(client),
        "pw-current": current,
        "pw-password": new,
        "pw-confirm": new if confirm is None else confirm,
    }
    return client.post("/account/password", data=data)


def test_the_account_page_needs_a_signed_in_user(client):
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_header_links_to_the_account_page(as_student):
    html = as_student.get("/").get_data(as_text=True)
    assert 'href="/account"' in html and ">ann</a>" in html


def test_a_new_password_replaces_the_old_one(app_config, as_student):
    response = change_password(as_student, "correct horse", "battery staple")
    assert response.status_code == 302
    page = as_student.get(response.headers["Location"]).get_data(as_text=True)
    assert "Password changed." in page  # and this session is still signed in
    other = create_app(app_config).test_client()
    assert sign_in(other, "ann", "correct horse").status_code == 400
    assert sign_in(other, "ann", "battery staple").status_code == 302


def test_a_new_password_signs_out_other_devices_but_not_this_one(app, as_student):
    phone = app.test_client()
    assert sign_in(phone, "ann").status_code == 302
    assert phone.get("/").status_code == 200
    assert change_password(as_student, "correct horse", "battery staple").status_code == 302
    assert phone.get("/").status_code == 302  # sent to sign in again
    assert as_student.get("/").status_code == 200


def test_a_remembered_device_is_forgotten_after_a_new_password(app, as_student):
    laptop = app.test_client()
    page = laptop.get("/login").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "name": "ann", "password": "correct horse"}
    assert laptop.post("/login", data=data | {"remember": "y"}).status_code == 302
    assert laptop.get_cookie("remember_token") is not None
    laptop.delete_cookie("session")  # the browser was closed: only "remember me" is left
    assert laptop.get("/").status_code == 200
    laptop.delete_cookie("session")
    assert change_password(as_student, "correct horse", "battery staple").status_code == 302
    assert laptop.get("/").status_code == 302


def test_a_remembered_session_stays_remembered_after_its_own_password_change(app):
    client = app.test_client()
    sign_up(client, "ann")
    page = client.get("/login").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    page = client.get("/login").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page), "name": "ann", "password": "correct horse"}
    assert client.post("/login", data=data | {"remember": "y"}).status_code == 302
    assert change_password(client, "correct horse", "battery staple").status_code == 302
    client.delete_cookie("session")
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "current, new, confirm, message",
    [
        ("wrong password", "battery staple", None, "That is not your current password."),
        ("correct horse", "short", None, "Use at least 8 characters."),
        ("correct horse", "battery staple", "battery stable", "The passwords differ."),
        ("correct horse", "x" * 257, None, "Use at most 256 characters."),
        ("", "battery staple", None, "Enter your current password."),
        ("correct horse", "", None, "Choose a password."),
    ],
)
def test_a_bad_password_change_gets_a_message_and_changes_nothing(
    app_config, as_student, current, new, confirm, message
):
    response = change_password(as_student, current, new, confirm)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    other = create_app(app_config).test_client()
    assert sign_in(other, "ann", "correct horse").status_code == 302


def test_a_password_change_without_csrf_is_refused(app_config, as_student):
    data = {"pw-current": "correct horse", "pw-password": "x" * 9, "pw-confirm": "x" * 9}
    assert as_student.post("/account/password", data=data).status_code == 400
    other = create_app(app_config).test_client()
    assert sign_in(other, "ann", "correct horse").status_code == 302


def _stored_zone(app, name: str = "ann") -> str:
    with app.extensions["studyapp"].open_store() as store:
        return store.user_by_name(name).timezone


def test_the_time_zone_can_be_changed(app, as_student):
    html = as_student.get("/account").get_data(as_text=True)
    assert '<option selected value="UTC">UTC (UTC+00:00)</option>' in html
    data = {"tz-csrf_token": csrf_from(html), "tz-timezone": "Asia/Seoul"}
    response = as_student.post("/account/timezone", data=data)
    assert response.status_code == 302
    assert _stored_zone(app) == "Asia/Seoul"
    html = as_student.get("/account").get_data(as_text=True)
    assert "Time zone set to Asia/Seoul." in html
    assert '<option selected value="Asia/Seoul">Asia/Seoul (UTC+09:00)</option>' in html


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "<script>"])
def test_an_unknown_time_zone_gets_a_message_and_changes_nothing(app, as_student, zone):
    data = {"tz-csrf_token": _account_csrf(as_student), "tz-timezone": zone}
    response = as_student.post("/account/timezone", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Pick a time zone from the list." in html
    assert "<script>" not in html.split('<main id="content"', 1)[1].split("</main>")[0]
    assert _stored_zone(app) == "UTC"


def test_the_account_page_tells_the_time_in_the_chosen_zone(as_student):
    data = {"tz-csrf_token": _account_csrf(as_student), "tz-timezone": "Pacific/Kiritimati"}
    assert as_student.post("/account/timezone", data=data).status_code == 302
    before = datetime.now(UTC).astimezone(ZoneInfo("Pacific/Kiritimati"))
    html = as_student.get("/account").get_data(as_text=True)
    after = datetime.now(UTC).astimezone(ZoneInfo("Pacific/Kiritimati"))
    assert "Your study day begins at 04:00 in this zone" in html
    # The page named as the navigation names it, and a link to it.
    assert 'on your <a href="/progress">Statistics</a> page rolls over' in html
    assert f"It is {before:%H:%M} there now" in html or f"It is {after:%H:%M} there now" in html
    assert f"It is {datetime.now(UTC):%H:%M} there now" not in html  # UTC+14, not UTC


def test_a_signed_in_request_notes_when_the_user_was_last_seen(app, as_student):
    with app.extensions["studyapp"].open_store() as store:
        store.conn.execute("UPDATE users SET last_seen = NULL")
    assert as_student.get("/").status_code == 200
    with app.extensions["studyapp"].open_store() as store:
        seen = store.user_by_name("ann").last_seen
    assert seen is not None and datetime.now(UTC) - seen < timedelta(minutes=1)


def test_the_zone_menu_lists_places_with_their_offsets(app, as_student):
    html = as_student.get("/account").get_data(as_text=True)
    offset = datetime.now(UTC).astimezone(ZoneInfo("Asia/Seoul")).strftime("%z")
    assert f'<option value="Asia/Seoul">Asia/Seoul (UTC{offset[:3]}:{offset[3:]})</option>' in html
    assert '<option selected value="UTC">' in html or '<option value="UTC" selected>' in html
    # Aliases, backwards Etc/GMT signs and the server's own zone stay out of the menu.
    for name in ("Asia/Calcutta", "Etc/GMT+5", "localtime", "Factory", "US/Pacific"):
        assert f'value="{name}"' not in html
    assert 'value="America/New_York">America/New York (' in html


def test_a_user_on_an_old_zone_name_keeps_it_in_the_menu(app, as_student):
    with app.extensions["studyapp"].open_store() as store:
        store.update_user(store.user_by_name("ann").id, timezone="Asia/Calcutta")
    html = as_student.get("/account").get_data(as_text=True)
    assert re.search(
        r'<option (selected )?value="Asia/Calcutta"( selected)?>Asia/Calcutta \(UTC\+05:30\)', html
    )
    # Saving it again is accepted: the server still knows the name.
    data = {"tz-csrf_token": _account_csrf(as_student), "tz-timezone": "Asia/Calcutta"}
    assert as_student.post("/account/timezone", data=data).status_code == 302


def test_each_form_posts_to_its_own_section_of_the_page(as_student):
    """On a phone the password form is a screen below the top: a form sent back with a mistake
    opens at its section (the fragment of its action), where its message is."""
    html = as_student.get("/account").get_data(as_text=True)
    assert 'id="password"' in html and 'action="/account/password#password"' in html
    assert 'id="time-zone"' in html and 'action="/account/timezone#time-zone"' in html
    wrong = change_password(as_student, "not my password", "battery staple")
    assert wrong.status_code == 400
    page = wrong.get_data(as_text=True)
    assert "That is not your current password." in page
    assert 'action="/account/password#password"' in page  # sent again, it lands there again


@pytest.mark.parametrize("form", ["password", "time zone"])
def test_a_saved_form_leads_to_the_top_where_its_message_is(as_student, form):
    """A redirect without a fragment keeps the one the form was posted to (#password), which
    would scroll the flashed message out of sight: the redirect names the top."""
    if form == "password":
        response = change_password(as_student, "correct horse", "battery staple")
    else:
        data = {"tz-csrf_token": _account_csrf(as_student), "tz-timezone": "Asia/Seoul"}
        response = as_student.post("/account/timezone", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account#top"
    assert 'id="top"' not in as_student.get("/account").get_data(as_text=True)
