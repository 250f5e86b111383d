"""Layout faults a student user test found on a phone: the list of practice tests ran past its
panel, the focus ring of a cloze gap hid the "(" beside it, and the statistics charts stopped
short of their panels' width on a wide screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import Console
from .test_practice_in_browser import ALL, ONE, answer_right, start_test
from .test_review_in_browser import answer_with_keyboard, current_question, sign_up

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# The right edge of a box's content (inside its border and padding), less its right edge.
CONTENT_RIGHT = """(el) => {
    const cs = getComputedStyle(el);
    return el.getBoundingClientRect().right - parseFloat(cs.borderRightWidth)
        - parseFloat(cs.paddingRight);
}"""


def page_overflow(page: Page) -> float:
    return page.evaluate("document.documentElement.scrollWidth - innerWidth")


def test_the_list_of_tests_fits_its_panel_on_a_phone(browser: Browser, live_server: str):
    """At 390 px the table of past tests sat 4 px past its panel's edge (18 px past the
    panel's padding), scrolling inside it: it now fits, as it does on a 360 px screen."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    console = Console()
    console.watch(page)
    sign_up(page, live_server, "pocket")
    start_test(page, live_server, "thaad-and-biden", 3, ALL)
    for box in page.locator("[data-question]").all():
        answer_right(box)
    page.get_by_role("button", name="Finish and see the marks").click()
    expect(page.get_by_role("heading", name="Test result")).to_be_visible()
    start_test(page, live_server, "dance-with-both", 4, ONE)  # left in progress
    for width in (390, 360):
        page.set_viewport_size({"width": width, "height": 844})
        page.goto(f"{live_server}/practice/")
        expect(page.locator("table.attempts tbody tr")).to_have_count(2)
        assert page_overflow(page) <= 0
        frame = page.locator(".table-wrap")
        table = frame.locator("table").bounding_box()
        assert table["x"] + table["width"] <= frame.evaluate(CONTENT_RIGHT) + 0.5, width
        assert frame.evaluate("el => el.scrollWidth - el.clientWidth") == 0, width
    context.close()
    assert console.errors == []


def test_a_gaps_focus_ring_leaves_the_characters_beside_it_in_sight(
    browser: Browser, live_server: str, theme: str
):
    """THAAD (…) is the …: the ring around the focused gap covered 5 px of the "(" and ")"
    touching it. It lies in the gap's margin now, and stays a solid ring in both themes."""
    context = browser.new_context(color_scheme=theme, **PHONE)
    page = context.new_page()
    console = Console()
    console.watch(page)
    sign_up(page, live_server, f"ring-{theme}")
    # New cards follow the reading: answered right and rated Easy, each one leaves for today.
    for _ in range(30):
        page.goto(f"{live_server}/review?bank=thaad-and-biden")
        key, q = current_question(page)
        if q.id == "thaad-name" and key.number == 1:
            break
        answer_with_keyboard(page, right=True)
        expect(page.locator("#verdict")).to_be_visible()
        page.locator(".ratings button.easy").click()
        expect(page.locator("#review-form")).to_be_visible()
    else:
        pytest.fail("the THAAD card did not come among the first 30")
    gap = page.locator("input.blank")
    # review.js focuses the gap as the card opens: its border unfocused is read after a blur.
    unfocused = gap.evaluate("el => { el.blur(); return getComputedStyle(el).borderColor; }")
    gap.focus()
    found = gap.evaluate(
        """(input) => {
        const cs = getComputedStyle(input);
        const reach = parseFloat(cs.outlineWidth) + parseFloat(cs.outlineOffset);
        const box = input.getBoundingClientRect();
        const beside = [...input.parentElement.childNodes].filter((n) => n.nodeType === 3).map((n) => {
            const before = n.compareDocumentPosition(input) & Node.DOCUMENT_POSITION_FOLLOWING;
            const at = before ? n.data.length - 1 : 0;
            const range = document.createRange();
            range.setStart(n, at);
            range.setEnd(n, at + 1);
            const r = range.getBoundingClientRect();
            // how far the ring reaches over the character: more than 0 covers it
            const over = before ? r.right - (box.left - reach) : box.right + reach - r.left;
            return [n.data[at], over];
        });
        return {focused: input.matches(":focus-visible"), style: cs.outlineStyle,
                width: parseFloat(cs.outlineWidth), border: cs.borderColor, beside};
    }"""
    )
    assert found["focused"]
    assert found["style"] == "solid" and found["width"] >= 2
    assert [ch for ch, _ in found["beside"]] == ["(", ")"]
    for ch, over in found["beside"]:
        assert over <= 0, f"the focus ring covers {over:.1f} px of {ch!r}"
    assert found["border"] != unfocused  # the border changes too, not the ring's colour alone
    assert page_overflow(page) <= 0
    context.close()
    assert console.errors == []


@pytest.mark.parametrize("width", [390, 1100])
def test_the_statistics_charts_fill_their_panels(browser: Browser, live_server: str, width: int):
    """The charts stopped at 40rem (680 px) in a 936 px panel; they fill it now, keep their
    viewBox's shape, and their labels stay a readable size on screen."""
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": 900}, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    console = Console()
    console.watch(page)
    sign_up(page, live_server, f"charts-{width}")
    page.goto(f"{live_server}/progress")
    assert page_overflow(page) <= 0
    for selector in ("svg.forecast", "svg.heatmap"):
        chart = page.locator(selector)
        panel = page.locator(".chart-panel", has=chart)
        box = chart.bounding_box()
        inner = panel.evaluate(
            """(el) => { const cs = getComputedStyle(el);
               return el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight); }"""
        )
        assert abs(box["width"] - inner) <= 1, (selector, box["width"], inner)
        view = chart.evaluate("el => [el.viewBox.baseVal.width, el.viewBox.baseVal.height]")
        assert abs(box["height"] - box["width"] * view[1] / view[0]) <= 1, selector
        label = chart.evaluate(
            """(svg) => parseFloat(getComputedStyle(svg.querySelector('text')).fontSize)
                        * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width"""
        )
        assert 9.5 <= label <= 17, (selector, label)
    context.close()
    assert console.errors == []
