"""Phone-sized screens: the review's rating bar stays in sight, a wrong pick says so in words,
and every link of the menu is on screen without a sideways scroll."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.security import generate_password_hash

from studyapp.database import WriteLock
from studyapp.store import Store

from .conftest import AccessibilityAudit, Console, expect_focused
from .test_review_in_browser import (
    answer_with_keyboard,
    current_question,
    sign_up,
    wrong_until_typed,
)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def in_sight(page: Page, selector: str) -> bool:
    """Whether each element ``selector`` finds lies wholly inside the viewport and is the
    topmost thing at its centre (not under the rating bar, nor under anything else)."""
    return page.eval_on_selector_all(
        selector,
        """(els) => els.length > 0 && els.every((el) => {
            const r = el.getBoundingClientRect();
            if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) return false;
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return hit !== null && (hit === el || el.contains(hit));
        })""",
    )


def test_the_rating_bar_stays_at_the_bottom_of_a_phone_screen(browser: Browser, live_server: str):
    """Anki keeps its rating buttons at the bottom: however long the explanation and passage,
    a card is rated without a scroll. The claim of a typed answer marked wrong is there too,
    and once scrolled to the end, the bar covers nothing after it."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    console = Console()
    console.watch(page)
    sign_up(page, live_server, "thumb")
    page.goto(f"{live_server}/review")
    seen: set[str] = set()
    for _ in range(40):
        key, q = current_question(page)
        answer_with_keyboard(page, right=False)
        expect(page.locator("#verdict")).to_be_visible()
        assert page.evaluate("scrollY") == 0
        assert in_sight(page, ".ratings button"), f"{q.type} {key}: the ratings are out of sight"
        below = page.evaluate(
            "document.querySelector('figure.source').getBoundingClientRect().bottom > innerHeight"
        )
        if below:
            seen.add("long")  # the passage runs past the screen: the bar would have been below
        if page.locator("form.claim").count():
            assert in_sight(page, "form.claim summary[data-claim]")
            seen.add("claim")
        if q.type in ("multi", "choice"):
            # A wrong pick is marked in a sign and in words, not by its red alone.
            wrong = page.locator(".option-list li.picked-wrong")
            expect(wrong).to_have_count(1)
            expect(wrong).to_contain_text(re.compile(r"✗\s*· your pick\s*wrong"))
            seen.add("wrong pick")
        if seen >= {"long", "claim", "wrong pick"}:
            break
        page.locator(".ratings button").first.click()
        expect(page.locator("#review-form")).to_be_visible()
    else:
        pytest.fail(f"saw only {seen} among the first 40 cards")
    # At the end of the page the bar is back in its place, above the report link.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    expect(page.locator("details.report summary")).to_be_in_viewport()
    page.wait_for_function(
        "Math.abs(scrollY + innerHeight - document.documentElement.scrollHeight) < 2"
    )
    assert in_sight(page, "details.report summary")
    assert in_sight(page, ".ratings button")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert console.errors == []
    context.close()


def test_a_wide_screen_keeps_the_ratings_in_the_page(page: Page, live_server: str):
    """On a desk the feedback fits the screen: the bar is not stuck, nor framed."""
    sign_up(page, live_server, "desk")
    page.goto(f"{live_server}/review")
    answer_with_keyboard(page, right=False)
    expect(page.locator("#verdict")).to_be_visible()
    assert page.locator(".rate-bar").evaluate("el => getComputedStyle(el).position") == "static"


def test_phone_pages_have_no_serious_accessibility_violations(
    browser: Browser, live_server: str, theme: str
):
    """The feedback with its bar stuck over the passage, in both themes, and the menu wrapped."""
    audit = AccessibilityAudit(browser, theme, **PHONE)
    page = audit.page
    sign_up(page, live_server, f"small-{theme}")
    audit.check("home")
    page.goto(f"{live_server}/review")
    wrong_until_typed(page)
    expect(page.locator("form.claim")).to_be_visible()
    audit.check("feedback with a claim")
    page.locator("form.claim summary").click()
    expect_focused(page.locator("form.claim button[data-default]"))
    audit.check("the claim's ratings open")
    page.goto(f"{live_server}/account")
    audit.check("account")
    audit.close()
    assert audit.found == {}
    assert audit.errors == []


def make_instructor(instance: Path, name: str) -> None:
    db = instance / "studyapp.sqlite3"
    with Store.open(db, lock=WriteLock(db)) as store:
        store.create_user(name, generate_password_hash("correct horse"), "instructor")


@pytest.mark.parametrize("width", [320, 360, 390, 430])
def test_every_menu_link_is_on_a_phone_screen(
    browser: Browser, live_server: str, tmp_path: Path, width: int
):
    """The menu wraps onto a second line: no link is cut off at the edge or hidden past it
    (an instructor has the most), and the page does not scroll sideways."""
    make_instructor(tmp_path / "instance", "iris")
    context = browser.new_context(**(PHONE | {"viewport": {"width": width, "height": 800}}))
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Name").fill("iris")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Sign in").click()
    for path in ("/", "/reports"):
        page.goto(f"{live_server}{path}")
        nav = page.get_by_role("navigation", name="Main")
        names = [
            "Readings",
            "Review",
            "Practice tests",
            "Statistics",
            "My reports",
            "Instructor",
        ]
        for name in names:
            expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
        assert in_sight(page, "nav.main a"), f"a menu link is off screen at {width}px"
        assert in_sight(page, "header.site .account a, header.site .account button")
        assert nav.evaluate("el => el.scrollWidth <= el.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    context.close()
