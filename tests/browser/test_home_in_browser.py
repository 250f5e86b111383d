"""The readings page on a phone: finger-sized download links and no key caps on a touch screen."""

from __future__ import annotations

from playwright.sync_api import Browser

from .conftest import Console
from .test_review_in_browser import sign_up


def test_phone_shows_no_key_caps_and_finger_sized_links(browser: Browser, live_server: str):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    console = Console()
    console.watch(page)
    sign_up(page, live_server, "thumbs")
    page.goto(f"{live_server}/")
    assert page.evaluate("matchMedia('(hover: none) and (pointer: coarse)').matches")
    # WCAG 2.2 asks 24 px at least; a deck link standing alone gets Apple's and Google's 44.
    for box in page.locator("p.download a").evaluate_all(
        "links => links.map(a => a.getBoundingClientRect().height)"
    ):
        assert box >= 44
    assert page.locator("a.button kbd").first.is_hidden()
    page.goto(f"{live_server}/review")
    assert page.locator("button[type=submit] kbd").first.is_hidden()
    assert page.locator("#key-hint").is_hidden()
    assert console.errors == []
    context.close()


def test_desktop_keeps_its_key_caps(browser: Browser, live_server: str):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    sign_up(page, live_server, "keys")
    page.goto(f"{live_server}/review")
    assert page.locator("button[type=submit] kbd").first.is_visible()
    assert page.locator("#key-hint").is_visible()
    context.close()
