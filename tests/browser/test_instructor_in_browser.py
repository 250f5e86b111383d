"""An instructor in a real browser: sorting the item table, following a flag to its passage, and
the instructor and report pages checked with axe in both themes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from werkzeug.security import generate_password_hash

from studyapp.banks import bank_paths, load_banks
from studyapp.cards import CardKey
from studyapp.config import packaged_questions
from studyapp.database import WriteLock
from studyapp.store import Store

from .conftest import AccessibilityAudit, settled

BANK_ID = "beijing-calibrates"


def seed(instance: Path) -> None:
    """Six students answer the reading's choice and true/false questions; the true/false ones
    right every time (so they are flagged too easy), the choices right for half of them."""
    bank = next(
        r.bank
        for r in load_banks(bank_paths(packaged_questions()))
        if r.bank and r.bank.id == BANK_ID
    )
    db = instance / "studyapp.sqlite3"
    now = datetime.now(UTC) - timedelta(hours=2)
    with Store.open(db, lock=WriteLock(db)) as store:
        store.create_user("iris", generate_password_hash("correct horse"), "instructor")
        for i in range(6):
            sid = store.create_user(f"student{i}", "not a hash", now=now).id
            for j, q in enumerate(bank.live_questions):
                if q.type not in ("choice", "truefalse"):
                    continue
                right = q.type == "truefalse" or i % 2 == 0
                answer = q.answer if right else (q.distractors[0] if q.distractors else "false")
                store.record_answer(
                    sid,
                    CardKey(BANK_ID, q.id, 1),
                    token=f"{sid}-{q.id}",
                    answer=answer,
                    correct=right,
                    rating=3 if right else 1,
                    duration_ms=2000,
                    now=now + timedelta(seconds=j),
                )
            if i < 2:
                store.report_problem(sid, BANK_ID, "joint-dialogue", "unclear", "Which FM?", now)
        two = CardKey(BANK_ID, "two-plus-two", 1)
        store.record_answer(
            sid,
            two,
            token="claim",
            answer="2 + 2 talks",
            correct=False,
            rating=3,
            duration_ms=1000,
            now=now,
            claim=True,
        )


def sign_in(page: Page, base: str, name: str = "iris") -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Instructor")).to_be_visible()


def facilities(page: Page) -> list[float | None]:
    values = page.locator("#item-table tbody tr td:nth-child(5)").evaluate_all(
        "cells => cells.map(c => c.dataset.sortValue)"
    )
    return [float(v) if v else None for v in values]


@pytest.fixture
def seeded(live_server: str, tmp_path: Path) -> str:
    seed(tmp_path / "instance")
    return live_server


def test_instructor_sorts_the_item_table_and_follows_a_flag_to_the_passage(
    page: Page, seeded: str, console
):
    sign_in(page, seeded)
    page.get_by_role("link", name="Instructor").click()
    row = page.get_by_role("row", name=re.compile("Beijing Calibrates"))
    row.get_by_role("link", name="Item analysis").click()
    expect(page).to_have_url(re.compile(rf"/instructor/items/{BANK_ID}$"))
    header = page.locator("#item-table th", has_text="Facility")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    shown = [f for f in facilities(page) if f is not None]
    assert shown == sorted(shown) and len(shown) >= 4
    assert facilities(page)[-1] is None  # questions nobody answered sort last
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    first = page.locator("#item-table tbody tr").first
    expect(first.locator("td").nth(4)).to_have_text("1.00")
    # The flag of the easiest question leads to its passage in the reading.
    flag = first.locator("a.flag.too-easy")
    expect(flag).to_contain_text("Too easy")
    question_id = first.get_attribute("id").removeprefix("item-")
    flag.click()
    expect(page).to_have_url(re.compile(rf"/reading/{BANK_ID}#q-{question_id}$"))
    expect(page.locator(f"#q-{question_id}")).to_be_attached()
    assert console.errors == []


def test_instructor_and_report_pages_have_no_serious_accessibility_violations(
    browser, seeded: str, theme: str
):
    audit = AccessibilityAudit(browser, theme, viewport={"width": 1280, "height": 900})
    page = audit.page

    sign_in(page, seeded)
    for name, url in [
        ("overview", "/instructor/"),
        ("items", f"/instructor/items/{BANK_ID}"),
        ("question", f"/instructor/items/{BANK_ID}/joint-dialogue"),
        ("progress", "/instructor/progress"),
        ("reading progress", f"/instructor/progress?bank={BANK_ID}"),
        ("reports", "/instructor/reports"),
        ("claims", "/instructor/claims"),
        ("health", "/instructor/banks"),
        ("file", f"/instructor/banks/{BANK_ID}.yaml#L30"),
    ]:
        page.goto(seeded + url)
        audit.check(name)
    page.goto(f"{seeded}/instructor/items/{BANK_ID}")
    page.locator("#item-table th", has_text="Facility").get_by_role("button").click()
    audit.check("items sorted")
    # A student's side: the report form on the feedback page, and My reports.
    page.goto(f"{seeded}/reports")
    audit.check("my reports")
    page.goto(f"{seeded}/review?bank={BANK_ID}")  # its first card is a choice
    settled(page)
    page.keyboard.press("1")
    expect(page.locator("#verdict")).to_be_visible()
    page.get_by_text("Report a problem with this question").click()
    audit.check("feedback with report form")
    audit.close()
    assert audit.found == {}
    assert audit.errors == []


def test_student_reports_a_problem_without_leaving_the_card(page: Page, seeded: str, console):
    page.goto(f"{seeded}/signup")
    page.get_by_label("Name").fill("ann")
    page.get_by_label("Password", exact=True).fill("correct horse")
    page.get_by_label("Repeat the password").fill("correct horse")
    page.get_by_role("button", name="Create account").click()
    page.goto(f"{seeded}/review?bank={BANK_ID}")  # its first card is a choice
    settled(page)
    page.keyboard.press("1")
    expect(page.locator("#verdict")).to_be_visible()
    page.get_by_text("Report a problem with this question").click()
    page.get_by_label("There is a typo").check()
    page.keyboard.press("2")  # typed in the report: must not rate the card
    page.get_by_label("Comment (optional)").fill("“Seoul” is misspelled")
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator("[data-report-status]")).to_have_text(re.compile("Thank you"))
    expect(page).to_have_url(
        re.compile(rf"/review\?bank={BANK_ID}$")
    )  # the report left the page be
    page.locator(".ratings button").first.click()
    expect(page.locator("#verdict")).to_have_count(0)  # rated: the next card
    page.goto(f"{seeded}/reports")
    expect(page.get_by_text("“Seoul” is misspelled")).to_be_visible()
    assert console.errors == []
