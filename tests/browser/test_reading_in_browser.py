"""The reading in a real browser: a link to a question frames exactly its own passage.

Quotes in the shipped banks overlap; the question chosen here starts inside another question's
passage, the case where one merged highlight sent the student to the other question's words.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from studyapp.documents import normalize
from studyapp.model import Bank, Question

from .conftest import Console
from .test_review_in_browser import BANKS, sign_up

SEGMENTS = """marks => marks.map(m => ({
  ids: m.dataset.q.split(" "),
  target: m.classList.contains("target"),
  text: m.textContent,
  shadow: getComputedStyle(m).boxShadow,
  background: getComputedStyle(m).backgroundColor,
  decoration: getComputedStyle(m).textDecorationLine,
}))"""


def nested_question() -> tuple[Bank, Question, Question]:
    """A question whose passage starts inside another's, with the most overlaps; and that other."""
    best: tuple[int, Bank, Question, Question] | None = None
    for bank in BANKS.values():
        spans = [(q, bank.document.locate(q.quote)) for q in bank.live_questions]
        found = [(q, loc) for q, loc in spans if loc is not None]
        for q, (b, s, e) in found:
            others = [
                o for o, (ob, os, oe) in found if o is not q and ob == b and os < e and s < oe
            ]
            hosts = [o for o, (ob, os, oe) in found if o is not q and ob == b and os < s < oe]
            if hosts and (best is None or len(others) > best[0]):
                best = (len(others), bank, q, hosts[0])
    assert best is not None, "no shipped question starts inside another's passage"
    return best[1], best[2], best[3]


def segments(page: Page) -> list[dict]:
    return page.locator("article.document mark.passage").evaluate_all(SEGMENTS)


def assert_framed(page: Page, question: Question) -> None:
    """Exactly the segments listing ``question`` are framed, and together they are its quote."""
    expect(page.locator("article.document")).to_have_attribute("data-target", question.id)
    segs = segments(page)
    mine = [s for s in segs if question.id in s["ids"]]
    assert mine and [s for s in segs if s["target"]] == mine
    assert normalize("".join(s["text"] for s in mine)) == normalize(question.quote)
    plain = {s["background"] for s in segs if not s["target"]}
    # The other quoted passages recede (most of a reading is quoted) to one faint, translucent
    # tint: no underline that would make the reading look like one long link.
    (faint,) = plain
    assert re.search(r"/ 0\.\d+\)$", faint), faint
    assert {s["decoration"] for s in segs if not s["target"]} == {"none"}
    for s in mine:
        assert s["shadow"] != "none" and s["background"] not in plain
    expect(page.locator("mark.passage.target").first).to_be_in_viewport()


def test_link_to_an_overlapping_passage_frames_exactly_that_passage(
    browser: Browser, live_server: str, theme: str
):
    bank, question, host = nested_question()
    context = browser.new_context(color_scheme=theme, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    console = Console()
    console.watch(page)
    sign_up(page, live_server, f"reader-{theme}")

    # Opened without a link to a question, the reading shows every quoted passage.
    page.goto(f"{live_server}/reading/{bank.id}")
    assert "rgba(0, 0, 0, 0)" not in {s["background"] for s in segments(page)}
    page.goto(f"{live_server}/reading/{bank.id}#q-{question.id}")
    assert_framed(page, question)
    # Following another link on the same page moves the frame (hashchange, no reload).
    page.evaluate("id => { window.location.hash = 'q-' + id; }", host.id)
    assert_framed(page, host)
    assert console.errors == []
    context.close()
