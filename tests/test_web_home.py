"""The readings page: each reading's button leads somewhere that has something to show."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from studyapp.scheduler import Rating


def start_one_new_card(app) -> str:
    """Answer the first new card as the signed-in student "ann" would; return its bank id."""
    with app.extensions["studyapp"].open_store() as store:
        user = store.user_by_name("ann")
        now = datetime.now(UTC)
        ref = store.next_card(user.id, now, new_per_day=1, day_starts_at_hour=4, tz="UTC")
        store.record_answer(
            user.id,
            ref.key,
            token="first-new-card",
            answer="",
            correct=None,
            rating=Rating.Easy,
            duration_ms=None,
            now=now,
        )
        return ref.key.bank_id


def reading_buttons(html: str) -> dict[str, str]:
    """Each reading's main button: the bank id it names (review) or the practice link."""
    buttons = {}
    for item in re.findall(r'<li class="panel reading">(.*?)</li>', html, re.S):
        bank = re.search(r'href="/reading/([^"]+)"', item).group(1)
        button = re.search(r'<a class="button" href="([^"]+)"', item).group(1)
        buttons[bank] = button
    return buttons


def test_every_reading_offers_review_while_new_cards_are_left(app, as_student):
    app.config["NEW_CARDS_PER_DAY"] = 20
    html = as_student.get("/").get_data(as_text=True)
    buttons = reading_buttons(html)
    assert len(buttons) == 5
    assert all(href == f"/review?bank={bank}" for bank, href in buttons.items())
    assert 'id="new-limit"' not in html


def test_a_reading_with_nothing_to_show_today_offers_a_practice_test(app, as_student):
    app.config["NEW_CARDS_PER_DAY"] = 1
    started = start_one_new_card(app)
    html = as_student.get("/").get_data(as_text=True)
    buttons = reading_buttons(html)
    # The other readings have only new cards, and today's one is used: no dead-end Review.
    others = {bank: href for bank, href in buttons.items() if bank != started}
    assert len(others) == 4
    assert all(href == f"/practice/?bank={bank}" for bank, href in others.items())
    assert "Today's new cards are all started (1 a day)" in html and "at 04:00" in html
    # The practice link preselects that reading.
    bank = next(iter(others))
    page = as_student.get(buttons[bank]).get_data(as_text=True)
    assert re.search(rf'value="{bank}"[^>]*checked|checked[^>]*value="{bank}"', page)
    for other in others:
        if other != bank:
            assert not re.search(rf'value="{other}"[^>]*checked|checked[^>]*value="{other}"', page)
    # Every button leads to a page with something on it, never to "All done for now".
    for href in buttons.values():
        assert "All done for now" not in as_student.get(href).get_data(as_text=True)
