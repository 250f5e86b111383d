"""The statistics page in a real browser: charts drawn from reviews seeded into the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from studyapp.cards import bank_card_keys
from studyapp.config import DEFAULTS
from studyapp.database import WriteLock
from studyapp.scheduler import SchedulerSettings, StudyScheduler
from studyapp.store import Store

from .test_practice_in_browser import BANKS
from .test_review_in_browser import sign_up

HOUR = DEFAULTS["DAY_STARTS_AT_HOUR"]


def seed(database: Path, name: str) -> dict:
    """Answers over the last days for ``name``, written beside the running server (it and this
    process queue on the database's lock file); returns what the charts should show."""
    now = datetime.now(UTC)
    keys = (
        bank_card_keys(BANKS["beijing-calibrates"])[:4]
        + bank_card_keys(BANKS["dance-with-both"])[:3]
    )
    plan = [(-9, k, 3) for k in keys] + [(-5, keys[0], 3), (-5, keys[1], 1), (-2, keys[4], 3)]
    scheduler = StudyScheduler(SchedulerSettings(enable_fuzzing=False))
    with Store.open(database, lock=WriteLock(database), scheduler=scheduler) as store:
        user = store.user_by_name(name)
        for i, (days, key, rating) in enumerate(plan):
            store.record_answer(
                user.id,
                key,
                token=f"seed-{name}-{i}",
                answer="",
                correct=rating > 1,
                rating=rating,
                duration_ms=None,
                now=now + timedelta(days=days, minutes=i),
            )
        tz = user.timezone
        return {
            "forecast": store.due_forecast(user.id, now, days=30, tz=tz, day_starts_at_hour=HOUR),
            "per_day": store.reviews_per_day(
                user.id, since=now - timedelta(days=30), tz=tz, day_starts_at_hour=HOUR
            ),
            "counts": store.card_counts(user.id),
        }


def chart_counts(page: Page, selector: str) -> dict[str, int]:
    return page.eval_on_selector_all(
        selector,
        "els => Object.fromEntries(els.map(e => [e.dataset.date, Number(e.dataset.count)]))",
    )


def test_statistics_charts_render_and_match_the_seeded_reviews(
    page: Page, live_server: str, tmp_path: Path, console
):
    sign_up(page, live_server)
    expected = seed(tmp_path / "instance" / "studyapp.sqlite3", "ann")
    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", name="Statistics", exact=True)).to_be_visible()

    bars = chart_counts(page, "svg.forecast rect.bar")
    assert bars == {d.isoformat(): n for d, n in expected["forecast"]}
    assert sum(bars.values()) == 7
    # Drawn, not just present: a bar's height on screen follows its count.
    tallest = max(bars, key=bars.get)
    box = page.locator(f'svg.forecast rect[data-date="{tallest}"]').bounding_box()
    assert box and box["height"] > 20

    cells = chart_counts(page, "svg.heatmap rect.day")
    assert {d: n for d, n in cells.items() if n} == {
        d.isoformat(): n for d, n in expected["per_day"].items()
    }
    assert sum(cells.values()) == 10
    darkest = page.locator("svg.heatmap rect.l4")
    expect(darkest).to_have_count(1)

    for bank_id, c in expected["counts"].items():
        row = page.locator(f'#counts-title ~ ul li[data-bank="{bank_id}"]')
        for kind, n in (("new", c.new), ("learning", c.learning), ("young", c.young)):
            seg = row.locator(f'rect[data-kind="{kind}"]')
            if n:
                expect(seg).to_have_attribute("data-count", str(n))
            else:
                expect(seg).to_have_count(0)
    # The numbers are there as tables too.
    page.get_by_text("Show the numbers").first.click()
    expect(page.locator("table.figures").first).to_be_visible()
    assert console.errors == []


def test_statistics_fit_a_phone_and_pass_axe_in_both_themes(
    browser, live_server: str, tmp_path: Path, theme: str
):
    context = browser.new_context(color_scheme=theme, viewport={"width": 375, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    name = f"phone-{theme}"
    sign_up(page, live_server, name)
    seed(tmp_path / "instance" / "studyapp.sqlite3", name)
    page.goto(f"{live_server}/progress")
    # Nothing runs off the side of a phone's screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    width = page.locator("svg.heatmap").bounding_box()["width"]
    assert 250 < width <= 375
    result = Axe().run(page)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    context.close()
    assert bad == []
    assert errors == []
