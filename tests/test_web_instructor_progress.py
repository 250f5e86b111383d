"""Class progress through the real app: every page counts one answer once, on its student's day.

The scene is the user test's: mina, in Seoul, reviews in the review loop and then hands in a
practice test on Monday 23 November 2026 late in her morning (before 03:00 UTC, so still Sunday
in UTC days that start at 04:00). The test asks cards that are new or due, so handing it in logs
them in the review log as reviews, with the attempt's id: they must not count as review answers.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from studyapp.cards import CardKey
from studyapp.web import instructor_progress, progress

from .conftest import sign_in
from .instructor_seed import build_app, hand_in_test, review, sign_in_instructor

MINUTE = timedelta(minutes=1)
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # Mon 12:00 in Seoul, Sun 22:00 in New York
MONDAY, SUNDAY, SATURDAY = date(2026, 11, 23), date(2026, 11, 22), date(2026, 11, 21)
# mina's day: three answers in the review loop, then a test of five questions, one left blank.
# Its cloze (two gaps, two cards) is one answer of the test and two rows of the review log.
LOOP = [
    ("thaad", "Terminal High Altitude Area Defense", True),
    ("year", "2017", True),
    ("fell", "5 percent", False),
]
TEST = {
    "year": ["2017"],
    "fell": ["19 percent"],
    "coercion": ["true"],
    "met": ["Wang Yi", "Xiamen"],
    "talks": [],
}


@pytest.fixture
def app(app_config, make_bank, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(instructor_progress, "now_utc", lambda: NOW)
    monkeypatch.setattr(progress, "now_utc", lambda: NOW)
    return build_app(app_config, make_bank)


@pytest.fixture
def mina(app) -> int:
    """mina's morning, as the user test saw it; returns her id."""
    from werkzeug.security import generate_password_hash

    state = app.extensions["studyapp"]
    with state.open_store() as store:
        sid = store.create_user(
            "mina", generate_password_hash("correct horse"), timezone="Asia/Seoul", now=NOW
        ).id
        start = NOW - timedelta(minutes=10)
        for i, (qid, answer, right) in enumerate(LOOP):
            review(
                store, sid, CardKey("sample", qid, 1), answer, right, start + timedelta(minutes=i)
            )
        hand_in_test(
            store, state.registry.refresh(), sid, "sample", TEST, NOW - timedelta(minutes=4)
        )
        sources = store.db.execute(
            "SELECT source, attempt_id IS NOT NULL, count(*) FROM review_log"
            " GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
    # The scene holds what made the page count twice: test answers logged as reviews.
    assert [tuple(r) for r in sources] == [("practice", 1, 1), ("review", 0, 3), ("review", 1, 4)]
    return sid


@pytest.fixture
def instructor(app, client):
    sign_in_instructor(app, client)
    return client


def per_day(html: str) -> dict[str, tuple[int, int]]:
    """The answers-per-day table: day label -> (review answers, practice answers)."""
    table = re.search(r'<table class="per-day">.*?</table>', html, re.S).group(0)
    rows = re.findall(
        r'<th scope="row">([^<]+)</th><td class="num">(\d+)</td><td class="num">(\d+)</td>', table
    )
    return {day: (int(r), int(p)) for day, r, p in rows}


def student_row(html: str, name: str) -> list[str]:
    """The cells of one student's row in the Students table, as text."""
    table = html.split('id="student-table"')[1]
    row = re.search(rf'<tr>\s*<td data-sort-value="{name}">.*?</tr>', table, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def test_a_test_answer_that_moved_the_schedule_counts_once_on_every_page(
    app, client, instructor, mina
):
    html = instructor.get("/instructor/progress").get_data(as_text=True)
    # Students: 3 answers in the review loop; 4 questions answered in the test (blank not counted).
    assert student_row(html, "mina")[2:4] == ["3", "4"]
    assert "Review answers <span" in html and "Practice answers <span" in html
    figures = re.findall(r'<span class="big">([^<]+)</span>', html)
    assert figures[1] == "3" and "(and 4 practice-test answers)" in html
    # By reading: the same review answers as item analysis counts for the reading.
    reading = re.search(r'<tr><th scope="row"><a href="[^"]*bank=sample">.*?</tr>', html, re.S)
    cells = re.findall(r'<td class="num">(\d+)', reading.group(0))
    assert cells[1:3] == ["3", "4"]
    items = instructor.get("/instructor/items/sample").get_data(as_text=True)
    assert 'Reviews <span class="muted small">(3 answers)</span>' in items
    assert 'Practice tests <span class="muted small">(5 answers, 1 of them left blank)' in items
    # The download says the same.
    rows = list(csv.DictReader(io.StringIO(instructor.get("/instructor/progress.csv").text)))
    (row,) = [r for r in rows if r["name"] == "mina"]
    assert (row["review_answers"], row["practice_answers"], row["timezone"]) == (
        "3",
        "4",
        "Asia/Seoul",
    )
    # mina's own statistics: 7 answers that day (the two-gap cloze is one), as the instructor's
    # 3 + 4; the review session's "done" counts the same.
    with app.extensions["studyapp"].open_store() as store:
        seoul = {"tz": "Asia/Seoul", "day_starts_at_hour": 4}
        assert store.reviews_per_day(mina, since=NOW - timedelta(days=7), **seoul) == {MONDAY: 7}
        assert store.reviews_today(mina, NOW, **seoul) == 7
    client.post("/logout", data={"csrf_token": ""})
    student = app.test_client()
    assert sign_in(student, "mina").status_code == 302
    own = student.get("/progress").get_data(as_text=True)
    assert 'data-date="2026-11-23" data-count="7"' in own


def test_answers_per_day_fall_on_each_students_own_day(app, instructor, mina):
    """mina's Monday morning in Seoul is Monday; noah's Saturday evening in New York (Sunday
    04:30 UTC) is Saturday, though the instructor's own days (UTC) would put both on Sunday."""
    with app.extensions["studyapp"].open_store() as store:
        noah = store.create_user("noah", "not a hash", timezone="America/New_York", now=NOW).id
        saturday_evening = datetime(2026, 11, 22, 4, 30, tzinfo=UTC)  # 23:30 EST
        review(store, noah, CardKey("sample", "year", 1), "2016", False, saturday_evening)
        review(store, noah, CardKey("sample", "year", 1), "2017", True, saturday_evening + MINUTE)
    html = instructor.get("/instructor/progress").get_data(as_text=True)
    days = per_day(html)
    assert len(days) == 14 and list(days)[-1] == "Mon 23 Nov"  # Seoul's day has begun
    assert days["Mon 23 Nov"] == (3, 4) and days["Sat 21 Nov"] == (2, 0)
    assert days["Sun 22 Nov"] == (0, 0)
    assert sum(r + p for r, p in days.values()) == 9
    assert "in the student's time zone, the day starting at 04:00" in html
    # Last active, in each student's own time and zone: the same day as the chart.
    assert student_row(html, "mina")[1].startswith("2026-11-23 11:56 KST")
    assert student_row(html, "noah")[1].startswith("2026-11-21 23:31 EST")
    # One reading chosen: the same figures, that reading's only.
    one = per_day(instructor.get("/instructor/progress?bank=sample").get_data(as_text=True))
    assert one == days


def test_class_retention_is_the_sum_of_the_students_own_figures(app, instructor):
    """True retention counts each card's first review of the day on the student's own day,
    for the class as for each student, so the class figure is the sum of the rows. ana (Seoul)
    reviews a card at 18:30 and 19:30 UTC: 03:30 and 04:30 in Seoul, two of her days, so both
    count; in the instructor's days (UTC) they would be one day and only the first would."""
    start = NOW - timedelta(days=20)
    evening = datetime(2026, 11, 21, 18, 30, tzinfo=UTC)
    key = CardKey("sample", "year", 1)
    with app.extensions["studyapp"].open_store() as store:
        ids = {}
        for name, tz in (("ana", "Asia/Seoul"), ("bo", "America/New_York")):
            ids[name] = sid = store.create_user(name, "not a hash", timezone=tz, now=start).id
            store.record_answer(
                sid,
                key,
                token=f"{name}-easy",
                answer="2017",
                correct=True,
                rating=4,
                duration_ms=1,
                now=start,
            )  # Easy on a new card: straight to review
        review(store, ids["ana"], key, "2017", True, evening)
        review(store, ids["ana"], key, "2016", False, evening + timedelta(hours=1))
        review(store, ids["bo"], key, "2016", False, NOW - timedelta(hours=1))
    html = instructor.get("/instructor/progress").get_data(as_text=True)
    assert student_row(html, "ana")[4] == "0.50 n=2" and student_row(html, "bo")[4] == "0.00 n=1"
    assert "0.33</span> true retention over 30 days" in html
    assert "(3 reviews; the schedule aims at" in html
    reading = re.search(r'<tr><th scope="row"><a href="[^"]*bank=sample">.*?</tr>', html, re.S)
    assert '0.33 <span class="muted small">n=3</span>' in reading.group(0)
