"""A new student studies in a real browser: keyboard, mouse, a wrong answer, the reading."""

from __future__ import annotations

import re
import sqlite3

from playwright.sync_api import Page, expect

from studyapp.banks import bank_paths, load_banks
from studyapp.cards import CardKey
from studyapp.config import packaged_questions

from .conftest import AccessibilityAudit, expect_focused, settled

BANKS = {r.bank.id: r.bank for r in load_banks(bank_paths(packaged_questions())) if r.bank}


def sign_up(page: Page, base: str, name: str = "ann") -> None:
    page.goto(f"{base}/signup")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password", exact=True).fill("correct horse")
    page.get_by_label("Repeat the password").fill("correct horse")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Your readings")).to_be_visible()


def current_question(page: Page):
    key = CardKey.parse(page.locator('input[name="card"]').get_attribute("value"))
    return key, BANKS[key.bank_id].question(key.question_id)


def answer_with_keyboard(page: Page, right: bool = True) -> None:
    """Answer the card on screen with keys only (right, or wrong when asked)."""
    settled(page)
    key, q = current_question(page)
    if q.type in ("choice", "multi"):
        wanted = set(q.correct_options) if right else {q.distractors[0]}
        labels = page.locator(".options label")
        for i in range(labels.count()):
            if labels.nth(i).locator("span").inner_text() in wanted:
                page.keyboard.press(str(i + 1))
                if q.type == "choice":
                    return
        page.keyboard.press("Enter")
    elif q.type == "truefalse":
        truth = q.answer == "true"
        page.keyboard.press("t" if truth == right else "f")
    elif q.type == "cloze":
        blanks = page.locator('input[name="blank"]')
        expected = q.expected(key.number)
        for i in range(blanks.count()):
            blanks.nth(i).fill(expected[i] if right else "zzzz")
        blanks.last.press("Enter")
    elif q.type == "answer":
        page.locator('input[name="answer"]').fill(q.answer if right else "zzzz")
        page.locator('input[name="answer"]').press("Enter")
    else:
        page.keyboard.press("Space")


def wrong_until_typed(page: Page) -> CardKey:
    """From a card front, answer wrong and rate Again until a typed answer (an answer or a
    cloze) is marked wrong: its feedback, which offers "I was right", stays on screen."""
    for _ in range(40):
        key, q = current_question(page)
        answer_with_keyboard(page, right=False)
        expect(page.locator("#verdict")).to_be_visible()
        if q.type in ("answer", "cloze"):
            return key
        page.locator("#rate-form button").first.click()
        expect(page.locator("#review-form")).to_be_visible()
    raise AssertionError("no typed answer among the first 40 cards")


def test_new_student_reviews_with_keyboard_and_mouse_and_opens_the_reading(
    page: Page, live_server: str, console
):
    sign_up(page, live_server)
    page.get_by_role("link", name=re.compile("Review all readings")).click()
    # Three cards by keyboard: answer, then Enter for the default rating.
    for _ in range(3):
        expect(page.locator("#review-form")).to_be_visible()
        answer_with_keyboard(page, right=True)
        expect(page.locator("#verdict")).to_be_visible()
        # review.js focuses the default rating; an Enter before it runs would go nowhere.
        expect_focused(page.locator(".ratings button[data-default]"))
        page.keyboard.press("Enter")
    # One card by mouse.
    expect(page.locator("#review-form")).to_be_visible()
    key, q = current_question(page)
    if q.type in ("choice", "truefalse"):
        label = (
            q.correct_options[0]
            if q.type == "choice"
            else ("True" if q.answer == "true" else "False")
        )
        page.locator(".options label", has_text=label).first.click()
    elif q.type == "multi":
        for a in q.answers:
            page.locator(".options label", has_text=a).first.click()
    elif q.type == "cloze":
        for i, text in enumerate(q.expected(key.number)):
            page.locator('input[name="blank"]').nth(i).fill(text)
    elif q.type == "answer":
        page.locator('input[name="answer"]').fill(q.answer)
    page.locator("#review-form button[type=submit]").click()
    page.locator(".ratings button").last.click()
    # One wrong answer: the feedback shows the passage and links to the reading at it.
    expect(page.locator("#review-form")).to_be_visible()
    key, q = current_question(page)
    answer_with_keyboard(page, right=False)
    if q.type != "card":
        expect(page.locator("#verdict")).to_have_text(re.compile("Not quite"))
    expect(page.locator("figure.source > blockquote.passage mark")).to_be_visible()
    # The rest of a long paragraph stays folded: it may answer the next cards.
    expect(page.locator("details.whole-paragraph blockquote.passage")).to_be_hidden()
    page.get_by_role("link", name="Open the reading at this passage").click()
    expect(page).to_have_url(re.compile(rf"/reading/{key.bank_id}#q-{key.question_id}$"))
    expect(page.locator(f"#q-{key.question_id}")).to_be_attached()
    assert console.errors == []


def last_rating(tmp_path) -> int | None:
    """The rating of the newest review the live server logged (its instance is in tmp_path)."""
    with sqlite3.connect(tmp_path / "instance" / "studyapp.sqlite3") as db:
        row = db.execute("SELECT rating FROM review_log ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else None


def test_enter_and_space_act_on_what_has_focus(page: Page, live_server: str, tmp_path, console):
    """The page's default for Enter (check, rate Good) never overrides a focused control: a
    student who tabs to Easy and presses Enter rates Easy; Enter on a link follows it."""
    sign_up(page, live_server, "tab")
    page.goto(f"{live_server}/review")
    # On the front, Enter on a focused menu link follows the link; no answer is sent.
    page.get_by_role("link", name="Readings").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your readings")).to_be_visible()
    assert last_rating(tmp_path) is None
    page.goto(f"{live_server}/review")
    answer_with_keyboard(page, right=True)
    expect(page.locator("#verdict")).to_be_visible()
    ratings = page.locator(".ratings button")
    last = ratings.last
    assert last.get_attribute("data-default") is None  # Easy (or Easy of four): not the default
    last.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#review-form")).to_be_visible()
    assert last_rating(tmp_path) == 4
    # On the feedback, Enter on the reading link opens the reading and rates nothing.
    answer_with_keyboard(page, right=True)
    expect(page.locator("#verdict")).to_be_visible()
    page.get_by_role("link", name="Open the reading at this passage").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/reading/"))
    with sqlite3.connect(tmp_path / "instance" / "studyapp.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM review_log").fetchone()[0] == 1
    assert console.errors == []


def test_pages_have_no_serious_accessibility_violations(browser, live_server: str, theme: str):
    audit = AccessibilityAudit(browser, theme)
    page = audit.page

    page.goto(f"{live_server}/login")
    audit.check("login")
    sign_up(page, live_server, f"ally-{theme}")
    audit.check("home")
    page.goto(f"{live_server}/review")
    audit.check("review")
    answer_with_keyboard(page, right=False)
    expect(page.locator("#verdict")).to_be_visible()
    audit.check("feedback")
    page.goto(f"{live_server}/reading/dance-with-both")
    audit.check("reading")
    page.goto(f"{live_server}/no-such-page")
    audit.check("404")
    audit.close()
    assert audit.found == {}
    assert [e for e in audit.errors if "404" not in e] == []


def press_twice_onto(page: Page, live_server: str, name: str, key: str, wanted) -> list[str]:
    """Sign up as ``name`` and rate cards with ``key`` until the next card is one ``wanted``
    takes, pressing ``key`` again the moment it appears; return the answers sent so far,
    a list that keeps growing. The card is then settled and on screen."""
    sign_up(page, live_server, name)
    answers_sent: list[str] = []
    page.on(
        "request",
        lambda r: answers_sent.append(r.url) if r.url.endswith("/review/answer") else None,
    )
    page.goto(f"{live_server}/review")
    for _ in range(12):
        answer_with_keyboard(page, right=True)
        expect_focused(page.locator(".ratings button[data-default]"))  # review.js ran
        page.keyboard.press(key)  # rates the card
        expect(page.locator("#review-form")).to_be_attached()
        page.wait_for_load_state("domcontentloaded")  # review.js is running
        _, q = current_question(page)
        sent = len(answers_sent)
        page.keyboard.press(key)  # the quick second press, on the next card
        if wanted(q):
            break
    else:
        raise AssertionError("no such card among the first 12")
    settled(page)
    expect(page.locator("#review-form")).to_be_visible()
    assert len(answers_sent) == sent  # nothing was sent
    return answers_sent


def test_a_quick_second_enter_does_not_send_the_next_cards_empty_answer(
    page: Page, live_server: str, console
):
    """Enter rates the feedback; a second Enter right after lands on the next card and is
    ignored. Later, an Enter on an empty answer only says so; a second one sends it."""
    sent = press_twice_onto(
        page, live_server, "quick", "Enter", lambda q: q.type in ("cloze", "answer")
    )
    count = len(sent)
    page.keyboard.press("Enter")
    expect(page.locator("[data-review-status]")).to_have_text(
        "Nothing typed. Press Enter again to see the answer."
    )
    expect(page.locator("#review-form")).to_be_visible()
    assert len(sent) == count
    page.keyboard.press("Enter")  # deliberate: the empty answer is sent and graded
    expect(page.locator("#verdict")).to_have_text(re.compile("Not quite"))
    expect(page.locator(".answers")).to_contain_text("(nothing)")
    assert console.errors == []


def test_feedback_comes_back_after_a_visit_to_the_reading(
    page: Page, live_server: str, tmp_path, console
):
    """Answer, open the reading at the passage, come back to Review: the same graded answer
    waits for its rating, and rating it records it once."""
    sign_up(page, live_server, "back")
    page.goto(f"{live_server}/review")
    key, q = current_question(page)
    answer_with_keyboard(page, right=False)
    expect(page.locator("#verdict")).to_be_visible()
    verdict = page.locator("#verdict").inner_text()
    token = page.locator('#rate-form input[name="token"]').get_attribute("value")
    page.get_by_role("link", name="Open the reading at this passage").click()
    expect(page).to_have_url(re.compile(rf"/reading/{key.bank_id}#q-{key.question_id}$"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
    expect(page.locator("#verdict")).to_have_text(verdict)
    assert page.locator('#rate-form input[name="token"]').get_attribute("value") == token
    expect_focused(page.locator(".ratings button[data-default]"))
    page.keyboard.press("Enter")  # the default rating
    expect(page.locator("#review-form")).to_be_visible()
    with sqlite3.connect(tmp_path / "instance" / "studyapp.sqlite3") as db:
        rows = db.execute("SELECT token, rating FROM review_log").fetchall()
    expected = 1 if q.type != "card" else 3
    assert rows == [(token, expected)]
    # Rated: Review now shows the next card, not the feedback again.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
    expect(page.locator("#review-form")).to_be_visible()
    assert console.errors == []


def test_back_from_the_reading_and_reload_show_the_same_feedback(
    page: Page, live_server: str, tmp_path, console
):
    """The answer post redirects to /review (Post/Redirect/Get): Back from the reading and a
    reload fetch the same feedback, without "Confirm Form Resubmission" and without sending
    the answer again; its rating is recorded once."""
    sign_up(page, live_server, "prg")
    page.goto(f"{live_server}/review")
    key, q = current_question(page)
    answer_with_keyboard(page, right=False)
    expect(page.locator("#verdict")).to_be_visible()
    expect(page).to_have_url(f"{live_server}/review")
    verdict = page.locator("#verdict").inner_text()
    token = page.locator('#rate-form input[name="token"]').get_attribute("value")
    answers_sent: list[str] = []
    page.on("request", lambda r: answers_sent.append(r.url) if r.method == "POST" else None)
    page.get_by_role("link", name="Open the reading at this passage").click()
    expect(page).to_have_url(re.compile(rf"/reading/{key.bank_id}#q-{key.question_id}$"))
    page.go_back()
    expect(page).to_have_url(f"{live_server}/review")
    expect(page.locator("#verdict")).to_have_text(verdict)
    assert page.locator('#rate-form input[name="token"]').get_attribute("value") == token
    page.reload()
    expect(page.locator("#verdict")).to_have_text(verdict)
    assert page.locator('#rate-form input[name="token"]').get_attribute("value") == token
    assert answers_sent == []  # neither Back nor the reload posted anything
    expect_focused(page.locator(".ratings button[data-default]"))
    page.keyboard.press("Enter")
    expect(page.locator("#review-form")).to_be_visible()
    with sqlite3.connect(tmp_path / "instance" / "studyapp.sqlite3") as db:
        rows = db.execute("SELECT token FROM review_log").fetchall()
    assert rows == [(token,)]
    assert console.errors == []


def in_viewport(page: Page, selector: str) -> bool:
    """Whether the element is wholly inside the window as it is scrolled now."""
    return page.locator(selector).evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )


def test_on_a_phone_the_feedback_opens_at_the_verdict_and_keys_still_rate(
    browser, live_server: str, tmp_path, console
):
    """At 390x844 the feedback runs past the fold, and the rating bar sticks to the bottom of
    the screen: focusing the default rating must not scroll the verdict and the answer out of
    sight. Enter and the number keys still rate."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    console.watch(page)
    page.set_default_timeout(10_000)
    sign_up(page, live_server, "phone")
    page.goto(f"{live_server}/review")
    # (right, key pressed, rating expected): Enter takes the default, a digit its rating.
    for right, press, rated in ((False, "Enter", 1), (True, "4", 4), (True, "Enter", 3)):
        _, q = current_question(page)
        answer_with_keyboard(page, right=right)
        expect(page.locator("#verdict")).to_be_visible()
        expect_focused(page.locator(".ratings button[data-default]"))
        # Let a scroll run its course (html has scroll-behavior: smooth) before looking.
        page.evaluate("() => new Promise(r => setTimeout(r, 600))")
        passage_bottom = page.locator("figure.source").evaluate(
            "el => el.getBoundingClientRect().bottom + window.scrollY"
        )
        assert passage_bottom > 844, "the test needs the feedback longer than the screen"
        assert page.evaluate("window.scrollY") == 0
        assert in_viewport(page, "#verdict")
        assert in_viewport(page, ".ratings button[data-default]")  # stuck to the bottom
        if q.type in ("cloze", "answer"):
            assert in_viewport(page, ".answers")  # You typed / Answer
        page.keyboard.press(press)
        expect(page.locator("#review-form")).to_be_visible()
        assert last_rating(tmp_path) == (3 if q.type == "card" and press == "Enter" else rated)
    with sqlite3.connect(tmp_path / "instance" / "studyapp.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM review_log").fetchone()[0] == 3
    assert console.errors == []
    context.close()


FIRST_CHAR_AFTER_GAP_ON_ITS_LINE = """
() => [...document.querySelectorAll('input.blank')].every(input => {
  const next = input.nextSibling;
  if (!next || next.nodeType !== Node.TEXT_NODE || !next.textContent) return true;
  const range = document.createRange();
  range.setStart(next, 0);
  range.setEnd(next, 1);
  const c = range.getBoundingClientRect(), box = input.getBoundingClientRect();
  return c.top < box.bottom && c.bottom > box.top;
})
"""


def test_on_a_phone_a_gap_keeps_its_punctuation_on_its_line(browser, live_server: str, console):
    """A text box is a line-break opportunity on both sides: the comma after a gap must not
    start the next line, at any phone width."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    console.watch(page)
    sign_up(page, live_server, "narrow")
    page.goto(f"{live_server}/review?bank=dance-with-both")
    key, q = current_question(page)
    assert q.type == "cloze" and q.id == "visits-date", "the test needs this reading's first card"
    text_after = page.locator("input.blank").first.evaluate("el => el.nextSibling.textContent")
    assert text_after.startswith(",")
    broken = []
    for width in range(280, 481, 4):
        page.set_viewport_size({"width": width, "height": 844})
        if not page.evaluate(FIRST_CHAR_AFTER_GAP_ON_ITS_LINE):
            broken.append(width)
        # ... and kept there without pushing the page wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert broken == []
    assert console.errors == []
    context.close()


def test_i_was_right_opens_the_ratings_of_a_right_answer(
    page: Page, live_server: str, tmp_path, console
):
    """A typed answer marked wrong: C opens Hard, Good and Easy under "I was right" with Good
    focused, Escape closes them (the digits rate the answer as marked again), and 4 claims it
    with Easy, which is what the log keeps beside the claim."""
    sign_up(page, live_server, "claimer")
    page.goto(f"{live_server}/review")
    key = wrong_until_typed(page)
    choices = page.locator("form.claim .claim-ratings button")
    expect(choices.first).to_be_hidden()
    expect_focused(page.locator("#rate-form button[data-default]"))  # review.js ran
    page.keyboard.press("c")
    expect(choices).to_have_count(3)
    for i, name in enumerate(("Hard", "Good", "Easy")):
        expect(choices.nth(i)).to_contain_text(name)
    expect_focused(page.locator("form.claim button[data-default]"))
    page.keyboard.press("Escape")
    expect(choices.first).to_be_hidden()
    expect_focused(page.locator("#rate-form button[data-default]"))
    page.keyboard.press("c")
    page.keyboard.press("4")
    expect(page.locator("#review-form")).to_be_visible()
    expect(page.get_by_text("Counted as right.")).to_be_visible()
    assert last_rating(tmp_path) == 4
    with sqlite3.connect(tmp_path / "instance" / "studyapp.sqlite3") as db:
        assert db.execute("SELECT question_id FROM claims").fetchall() == [(key.question_id,)]
    assert console.errors == []


def test_a_quick_second_digit_does_not_pick_an_option_of_the_next_card(
    page: Page, live_server: str, console
):
    """3 rates the feedback Good; a second 3 right after lands on the next card, where it
    would pick the third option and send it unread. It is ignored; a later 3 picks."""
    sent = press_twice_onto(
        page, live_server, "digits", "3", lambda q: q.type == "choice" and len(q.options) >= 3
    )
    count = len(sent)
    assert page.locator('input[name="option"]:checked').count() == 0
    page.keyboard.press("3")  # deliberate: picks the third option and checks it
    expect(page.locator("#verdict")).to_be_visible()
    assert len(sent) == count + 1
    assert console.errors == []
