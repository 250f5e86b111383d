"""Error pages: what they say, and where their button leads a signed-in or signed-out user."""

from __future__ import annotations

import re

from flask import abort

from .conftest import csrf_from, sign_in, sign_up


def sign_out(client) -> None:
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})


def buttons(html: str) -> list[tuple[str, str]]:
    """The (address, label) of each button-styled link of the page."""
    return re.findall(r'<a class="button primary" href="([^"]*)">([^<]*)</a>', html)


def test_the_sign_in_pause_says_to_wait_once_and_leads_back_to_sign_in(client):
    sign_up(client, "ann")
    sign_out(client)
    for _ in range(5):
        assert sign_in(client, "ann", "wrong password").status_code == 400
    paused = sign_in(client, "ann", "wrong password")
    html = paused.get_data(as_text=True)
    assert paused.status_code == 429 and "Slow down" in html
    assert html.count("Wait a few minutes") == 1
    assert "password guessing" in html
    # Signed out, "Back to your readings" would only lead to the paused sign-in by way of a
    # redirect: the button says where it goes.
    assert buttons(html) == [("/login", "Back to the sign-in page")]
    assert "Back to your readings" not in html


def test_a_pause_without_a_message_of_its_own_still_says_to_wait(app, client):
    @app.get("/test-too-many")
    def too_many():
        abort(429)

    html = client.get("/test-too-many").get_data(as_text=True)
    assert html.count("Wait a few minutes") == 1
    assert buttons(html) == [("/login", "Back to the sign-in page")]


def test_error_pages_lead_to_sign_in_when_signed_out_and_to_the_readings_when_signed_in(client):
    html = client.get("/no-such-page").get_data(as_text=True)
    assert buttons(html) == [("/login", "Go to the sign-in page")]
    sign_up(client, "ann")
    html = client.get("/no-such-page").get_data(as_text=True)
    assert buttons(html) == [("/", "Back to your readings")]
