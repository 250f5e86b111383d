"""The instructor's class progress page in a real browser: it fits a laptop's window and stays
usable on a phone.

An instructor at 1280 px should read the whole student table without scrolling sideways. On a
phone the table may scroll, but inside its own frame: the page itself never scrolls sideways,
or the menu and the headings would slide out of sight with it.

The page's own width does not tell the whole story: each table sits in a frame that scrolls
(``.table-wrap``), so a table too wide for a laptop scrolls in its frame while the page keeps its
width. The tests check the frames as well.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.security import generate_password_hash

from studyapp.banks import bank_paths, load_banks
from studyapp.cards import CardKey
from studyapp.config import packaged_questions
from studyapp.database import WriteLock
from studyapp.store import Store

from ..instructor_seed import seed_attempt

BANK_ID = "beijing-calibrates"
# Long names and zones with long abbreviations are what widen the table's columns.
STUDENTS = [
    ("Maximiliana Oyelaran-Whitfield", "America/Argentina/Buenos_Aires"),
    ("Nguyễn Thị Minh Khai", "Asia/Ho_Chi_Minh"),
    ("Kim Min-jun", "Asia/Seoul"),
    ("Aleksandra Wiśniewska-Kowalczyk", "Europe/Warsaw"),
    ("Oluwaseun Adebayo-Okonkwo", "Africa/Lagos"),
    ("Priyanka Raghunathan", "Asia/Kolkata"),
    ("Jean-Baptiste Delacroix-Fontaine", "Pacific/Chatham"),
    ("Tom", "UTC"),
]


def seed(instance: Path) -> None:
    """Each student answers the reading's questions, some wrong, and hands in practice tests,
    a week to an hour ago: every column of the table has a figure, with its notes (n=, latest,
    overdue, active) that make a cell wide."""
    bank = next(
        r.bank
        for r in load_banks(bank_paths(packaged_questions()))
        if r.bank and r.bank.id == BANK_ID
    )
    db = instance / "studyapp.sqlite3"
    now = datetime.now(UTC)
    with Store.open(db, lock=WriteLock(db)) as store:
        store.create_user("iris", generate_password_hash("correct horse"), "instructor")
        for i, (name, tz) in enumerate(STUDENTS):
            sid = store.create_user(name, "not a hash", timezone=tz, now=now).id
            for day in (8, 6, 1):
                at = now - timedelta(days=day, hours=i)
                for j, q in enumerate(bank.live_questions[:12]):
                    right = (i + j + day) % 4 != 0
                    store.record_answer(
                        sid,
                        CardKey(BANK_ID, q.id, 1),
                        token=f"{sid}-{day}-{q.id}",
                        answer="an answer",
                        correct=right,
                        rating=3 if right else 1,
                        duration_ms=2000,
                        now=at + timedelta(minutes=j),
                    )
            questions = [q.id for q in bank.live_questions[:4]]
            for k in range(1 + i % 3):
                responses = {
                    q: ("an answer", right, 1.0 if right else 0.0)
                    for n, q in enumerate(questions)
                    for right in [(k + n + i) % 3 != 0]
                }
                seed_attempt(store, sid, BANK_ID, responses, now - timedelta(days=2, minutes=k))


def sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Name").fill("iris")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Instructor")).to_be_visible()


def sideways(page: Page, selector: str) -> tuple[int, int]:
    """(scrollWidth, clientWidth) of the element ``selector`` finds."""
    return page.eval_on_selector(selector, "e => [e.scrollWidth, e.clientWidth]")


def scrolling_frames(page: Page) -> list[str]:
    """The tables' frames (which scroll on a phone) that scroll sideways, by their labels."""
    return page.eval_on_selector_all(
        ".table-wrap",
        "frames => frames.filter(f => f.scrollWidth > f.clientWidth)"
        ".map(f => `${f.getAttribute('aria-label')}: ${f.scrollWidth} px in ${f.clientWidth}`)",
    )


@pytest.fixture
def seeded(live_server: str, tmp_path: Path) -> str:
    seed(tmp_path / "instance")
    return live_server


@pytest.mark.parametrize("url", ["/instructor/progress", f"/instructor/progress?bank={BANK_ID}"])
def test_class_progress_fits_a_1280_pixel_window(browser: Browser, seeded: str, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, seeded)
    page.goto(seeded + url)
    rows = page.locator("#student-table tbody tr")
    expect(rows).to_have_count(len(STUDENTS))
    expect(rows.first.locator("td").nth(6)).to_contain_text("latest")  # tests: both scores
    scroll, client = sideways(page, "html")
    assert scroll <= client, f"the page scrolls sideways: {scroll} px in a {client} px window"
    # The tables themselves fit: their frames, which scroll on a phone, do not scroll here.
    assert scrolling_frames(page) == []
    # Nothing was dropped to make it fit: every column is there, in the window.
    headings = page.locator("#student-table thead th")
    expect(headings).to_have_count(8)
    for i in range(8):
        box = headings.nth(i).bounding_box()
        assert box and box["width"] > 0 and box["x"] + box["width"] <= client
    context.close()
    assert errors == []


def test_on_a_phone_the_student_table_scrolls_in_its_own_frame(browser: Browser, seeded: str):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    sign_in(page, seeded)
    page.goto(f"{seeded}/instructor/progress")
    expect(page.locator("#student-table tbody tr")).to_have_count(len(STUDENTS))
    scroll, client = sideways(page, "html")
    assert scroll <= client, f"the page scrolls sideways: {scroll} px in a {client} px window"
    # The student table is wider than a phone: its frame scrolls, not the page.
    assert "Students" in [f.split(":")[0] for f in scrolling_frames(page)]
    context.close()
