"""Practice tests in a real browser: a timed test handed in by its timer, a reload mid-test,
the question asked before a test with unanswered questions is handed in."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from studyapp import cloze
from studyapp.banks import bank_paths, load_banks
from studyapp.config import packaged_questions

from .conftest import AccessibilityAudit, expect_focused
from .test_review_in_browser import sign_up

BANKS = {r.bank.id: r.bank for r in load_banks(bank_paths(packaged_questions())) if r.bank}


def question_of(box: Locator):
    bank_id, question_id = box.get_attribute("data-question").split("/")
    return BANKS[bank_id].question(question_id)


def answer_right(box: Locator) -> None:
    """Answer the question in ``box`` right, with the mouse and the keyboard as a student would."""
    q = question_of(box)
    if q.type in ("choice", "multi"):
        for text in q.correct_options:
            box.locator("label", has_text=text).first.click()
    elif q.type == "truefalse":
        box.locator("label", has_text="True" if q.answer == "true" else "False").click()
    elif q.type == "cloze":
        blanks = box.locator("input.blank")
        for i, deletion in enumerate(cloze.parse(q.text)[0]):
            blanks.nth(i).fill(deletion.answer)
    else:
        box.locator('input[type="text"]').fill(q.answer)


ONE = "One question per page"
ALL = "All questions on one page"


def start_test(page: Page, base: str, reading: str, count: int, layout: str, minutes: str = ""):
    """Set up a test of ``count`` questions on one reading and start it."""
    page.goto(f"{base}/practice/")
    boxes = page.locator('input[name="banks"]')
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if (box.get_attribute("value") == reading) != box.is_checked():
            box.click()
    page.get_by_label("Number of questions").fill(str(count))
    page.get_by_label("Time limit in minutes").fill(minutes)
    page.get_by_label(layout).check()
    page.get_by_role("button", name="Start the test").click()
    expect(page.get_by_role("heading", name="Practice test")).to_be_visible()


def test_a_timed_test_is_handed_in_by_its_timer(page: Page, live_server: str, console):
    sign_up(page, live_server)
    start_test(page, live_server, "thaad-and-biden", 3, ONE, minutes="0.25")
    timer = page.get_by_role("timer")
    expect(timer).to_have_text(re.compile(r"0:1\d"))
    for number in (1, 2):
        box = page.locator("fieldset.question")
        expect(box.locator("legend")).to_contain_text(f"Question {number} of 3")
        answer_right(box)
        expect(page.locator("#save-status")).to_have_attribute("data-state", "saved")
        page.get_by_role("button", name="Next question").click()
    expect(page.locator("fieldset.question legend")).to_contain_text("Question 3 of 3")
    visited: list[str] = []
    page.on("framenavigated", lambda frame: visited.append(frame.url))
    # Nobody presses Finish: the timer hands the test in at the limit, question 3 unanswered,
    # without stopping at "Finish anyway?".
    expect(page.get_by_role("heading", name="Test result")).to_be_visible(timeout=25_000)
    assert not [url for url in visited if url.endswith("/finish")]
    # The page turned into marks by itself: it says why, and the test took the whole limit.
    expect(page.locator("#time-up")).to_have_text(
        "Time is up: your test was handed in with the answers saved before the limit."
    )
    expect(page.locator(".score-panel")).to_contain_text("took 0:15 of 0:15")
    expect(page.locator("#score")).to_contain_text("2 out of 3")
    expect(page.locator(".result-item .mark")).to_have_text(["1 of 1 mark"] * 2 + ["Not answered"])
    # The passage is shown under the unanswered question, folded under the right ones.
    expect(page.locator(".result-item.unanswered blockquote.passage mark")).to_be_visible()
    expect(page.locator(".result-item.right blockquote.passage").first).to_be_hidden()
    page.get_by_role("link", name="All your tests").click()
    expect(page.locator("table.attempts")).to_contain_text("2 / 3")
    assert console.errors == []


def test_the_question_list_follows_each_saved_answer(page: Page, live_server: str, console):
    """The list of questions was drawn before any answer: once a question's answer is saved it
    reads "answered" (class and the words a screen reader says) without leaving the question,
    and "not answered" again once the answer is cleared."""
    sign_up(page, live_server, "listed")
    start_test(page, live_server, "beijing-calibrates", 100, ONE)
    nav = page.get_by_role("navigation", name="Questions")

    def listed(number: int, state: str) -> Locator:
        """Question ``number``'s button in the list, by the name a screen reader says."""
        return nav.get_by_role("button", name=re.compile(rf"^{number} ?, {state}$"))

    box = page.locator("fieldset.question")
    status = page.locator("#save-status")
    answered = re.compile(r"\banswered\b")
    expect(listed(1, "not answered")).not_to_have_class(answered)
    answer_right(box)
    expect(status).to_have_attribute("data-state", "saved")
    expect(listed(1, "answered")).to_have_class(answered)
    # On to a question whose answer can be taken back: text, gaps or several options.
    total = nav.get_by_role("button").count()
    for number in range(2, total + 1):
        page.get_by_role("button", name="Next question").click()
        expect(box.locator("legend")).to_contain_text(f"Question {number} of {total}")
        if question_of(box).type in ("answer", "cloze", "multi"):
            break
    else:
        raise AssertionError("the reading has no question whose answer can be cleared")
    answer_right(box)
    expect(listed(number, "answered")).to_have_class(answered)
    for option in box.locator("input[type=checkbox]").all():
        option.uncheck()
    for text in box.locator("input[type=text]").all():
        text.fill("")
    button = listed(number, "not answered")
    expect(button).to_be_visible()
    expect(button).not_to_have_class(answered)
    expect(status).to_have_attribute("data-state", "saved")
    # The server agrees: a reload draws the list the same way.
    page.reload()
    expect(listed(1, "answered")).to_be_visible()
    expect(listed(number, "not answered")).to_be_visible()
    assert console.errors == []


def test_finishing_early_asks_first(page: Page, live_server: str, console):
    sign_up(page, live_server, "early")
    start_test(page, live_server, "thaad-and-biden", 3, ONE)
    box = page.locator("fieldset.question")
    answer_right(box)
    page.get_by_role("button", name="Next question").click()
    expect(box.locator("legend")).to_contain_text("Question 2 of 3")
    # A stray tap on Finish from question 2 asks before handing the test in.
    page.get_by_role("button", name="Finish and see the marks").click()
    expect(page.get_by_role("heading", name="Finish the test?")).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        "You have answered 1 of 3 questions. Finish anyway?"
    )
    page.get_by_role("link", name="Back to the test").click()
    expect(box.locator("legend")).to_contain_text("Question 2 of 3")
    answer_right(box)
    page.get_by_role("button", name="Next question").click()
    expect(box.locator("legend")).to_contain_text("Question 3 of 3")
    answer_right(box)
    # Every question answered: Finish hands the test in at once.
    page.get_by_role("button", name="Finish and see the marks").click()
    expect(page.get_by_role("heading", name="Test result")).to_be_visible()
    expect(page.locator("#score")).to_contain_text("3 out of 3")
    passages = page.locator(".result-item details.source-passage")
    expect(passages).to_have_count(3)
    first = passages.first
    expect(first.locator("blockquote.passage")).to_be_hidden()
    first.locator("summary", has_text="Source passage").click()
    expect(first.locator("blockquote.passage mark")).to_be_visible()
    assert console.errors == []


def test_the_start_form_is_sent_once(page: Page, live_server: str, console):
    """A double click on "Start the test" would start two tests: the page lets the first
    submission through and stops the second (checked before either leaves the page)."""
    sign_up(page, live_server, "quick")
    page.goto(f"{live_server}/practice/")
    page.get_by_label("Number of questions").fill("3")
    stopped = page.locator("form[data-once]").evaluate(
        """(form) => {
            const seen = [];
            form.addEventListener("submit", (e) => { seen.push(e.defaultPrevented); e.preventDefault(); });
            form.requestSubmit();
            form.requestSubmit();
            return seen;
        }"""
    )
    assert stopped == [False, True]
    assert console.errors == []


def test_a_reload_in_the_middle_keeps_every_answer(page: Page, live_server: str, console):
    sign_up(page, live_server)
    start_test(page, live_server, "dance-with-both", 8, ALL)
    boxes = page.locator("fieldset.question")
    expect(boxes).to_have_count(8)
    status = page.locator("#save-status")
    for i in range(6):  # six of eight answered, then the page goes away
        answer_right(boxes.nth(i))
        expect(status).to_have_attribute("data-state", "saved")

    def snapshot() -> list:
        return page.eval_on_selector_all(
            "fieldset.question input:not([type=hidden])",
            "els => els.map(e => e.type === 'text' ? e.value : e.checked)",
        )

    before = snapshot()
    assert any(v is True for v in before) or any(isinstance(v, str) and v for v in before)
    page.reload()
    expect(boxes).to_have_count(8)
    assert snapshot() == before
    expect(status).to_contain_text("6 of 8 answered")
    # A closed tab is no different: a fresh page of the same test finds the answers too.
    url = page.url
    other = page.context.new_page()
    other.goto(url)
    assert (
        other.eval_on_selector_all(
            "fieldset.question input:not([type=hidden])",
            "els => els.map(e => e.type === 'text' ? e.value : e.checked)",
        )
        == before
    )
    other.close()
    page.get_by_role("button", name="Finish and see the marks").click()
    expect(page.locator("main")).to_contain_text("You have answered 6 of 8 questions.")
    page.get_by_role("button", name="Finish the test").click()
    expect(page.locator(".result-item .mark.unanswered")).to_have_count(2)
    assert console.errors == []


def test_practice_pages_have_no_serious_accessibility_violations(
    browser, live_server: str, theme: str
):
    audit = AccessibilityAudit(browser, theme)
    page = audit.page

    sign_up(page, live_server, f"ally-{theme}")
    page.goto(f"{live_server}/practice/")
    audit.check("practice start")
    start_test(page, live_server, "three-anti-sentiments", 4, ALL, minutes="30")
    audit.check("test, all on one page")
    answer_right(page.locator("fieldset.question").first)
    page.get_by_role("button", name="Show one question per page").click()
    audit.check("test, one per page")
    page.get_by_role("button", name="Finish and see the marks").click()
    expect(page.get_by_role("heading", name="Finish the test?")).to_be_visible()
    audit.check("finish the test?")
    page.get_by_role("button", name="Finish the test").click()
    expect(page.get_by_role("heading", name="Test result")).to_be_visible()
    page.locator("details.rules summary").click()
    audit.check("result")
    page.goto(f"{live_server}/practice/")
    audit.check("practice list")
    audit.close()
    assert audit.found == {}
    assert audit.errors == []


def test_the_save_line_counts_the_answers_on_one_page(page: Page, live_server: str, console):
    """All questions on one page: one answer of four saved reads "1 of 4 answered and saved.",
    not "All your answers are saved." as if the test were done."""
    sign_up(page, live_server, "counted")
    start_test(page, live_server, "three-anti-sentiments", 4, ALL)
    status = page.locator("#save-status")
    expect(status).to_have_text("0 of 4 answered and saved.")
    boxes = page.locator("fieldset.question")
    answer_right(boxes.nth(0))
    expect(status).to_have_text("1 of 4 answered and saved.")
    answer_right(boxes.nth(2))
    expect(status).to_have_text("2 of 4 answered and saved.")
    assert console.errors == []


def test_previous_is_left_of_next_and_enter_moves_on(page: Page, live_server: str, console):
    """One question per page: Previous on the left, Next on its right, and Tab reaches them in
    that order; Enter in an answer field still goes on to the next question, not back."""
    sign_up(page, live_server, "pager")
    start_test(page, live_server, "beijing-calibrates", 100, ONE)
    box = page.locator("fieldset.question")
    total = page.get_by_role("navigation", name="Questions").get_by_role("button").count()
    previous = page.get_by_role("button", name="Previous question")
    following = page.get_by_role("button", name="Next question")
    expect(previous).to_have_count(0)  # nothing before question 1
    for number in range(2, total):
        following.click()
        expect(box.locator("legend")).to_contain_text(f"Question {number} of {total}")
        if box.locator('input[type="text"]').count():
            break
    else:
        raise AssertionError("the reading has no typed question after the first")
    before, after = previous.bounding_box(), following.bounding_box()
    assert before and after and before["x"] + before["width"] <= after["x"]
    assert abs(before["y"] - after["y"]) < 2  # side by side
    previous.focus()
    page.keyboard.press("Tab")
    expect_focused(following)
    field = box.locator('input[type="text"]').first
    field.fill("something")
    field.press("Enter")
    expect(box.locator("legend")).to_contain_text(f"Question {number + 1} of {total}")
    assert console.errors == []


def test_a_result_question_is_reported_in_the_background(page: Page, live_server: str, console):
    """Each question of the result has its own report form: sending one says so under that
    question, leaves the others ready, and the page stays where the student was reading."""
    sign_up(page, live_server, "reporter")
    start_test(page, live_server, "three-anti-sentiments", 3, ALL)
    page.get_by_role("button", name="Finish and see the marks").click()
    page.get_by_role("button", name="Finish the test").click()
    expect(page.get_by_role("heading", name="Test result")).to_be_visible()
    reports = page.locator("details.report")
    expect(reports).to_have_count(3)
    second = reports.nth(1)
    second.locator("summary").click()
    second.get_by_label("The answer key is wrong").check()
    second.get_by_label("Comment (optional)").fill("The reading says otherwise.")
    second.get_by_role("button", name="Send the report").click()
    expect(second.locator("[data-report-status]")).to_have_text(re.compile("Thank you"))
    expect(second.get_by_role("button", name="Send the report")).to_be_disabled()
    assert "/result" in page.url  # not sent away to My reports
    first = reports.nth(0)
    first.locator("summary").click()
    expect(first.get_by_role("button", name="Send the report")).to_be_enabled()
    page.goto(f"{live_server}/reports")
    expect(page.locator("main")).to_contain_text("The reading says otherwise.")
    assert console.errors == []


def test_one_question_a_page_starts_with_the_answer_focused(page: Page, live_server: str, console):
    """Each page's first answer field has the focus, as a review card's has: typing or the
    arrow keys answer at once, without tabbing past the page's header and question list."""
    sign_up(page, live_server, "focused")
    start_test(page, live_server, "beijing-calibrates", 100, ONE)
    box = page.locator("fieldset.question")
    following = page.get_by_role("button", name="Next question")
    kinds = set()
    for _ in range(8):
        expect_focused(box.locator("input:not([type=hidden])").first)
        kinds.add(page.evaluate("document.activeElement.type"))
        following.click()
    assert {"radio", "text"} <= kinds  # an option and a typed answer (or gap) among them
    assert console.errors == []
