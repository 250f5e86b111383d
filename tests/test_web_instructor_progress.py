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
from .instructor_seed import (
    BANK,
    build_app,
    hand_in_test,
    review,
    seed_attempt,
    sign_in_instructor,
    student,
)

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
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


def test_each_student_row_gives_finished_tests_scores_and_cards_due(app, instructor):
    """ana (Seoul) hands in two tests, 50% and then 2.5 of 3, and leaves a third open at 0%:
    only the two count, the latest being the one finished last (not the one made last). Her
    cards: one due for ten days, one due at 03:00 Seoul time on her day before (her day starts
    at 04:00), one due since later, one not due yet. The instructor's own test and due card
    are nobody's row."""
    card = {qid: CardKey("sample", qid, 1) for qid in ("year", "fell", "coercion", "thaad", "met")}
    with app.extensions["studyapp"].open_store() as store:
        ana = store.create_user("ana", "not a hash", timezone="Asia/Seoul", now=NOW).id
        student(store, "bo", NOW)  # no tests, no cards
        right, wrong, half = ("x", True, 1.0), ("x", False, 0.0), ("x", False, 0.5)
        seed_attempt(
            store, ana, "sample", {"year": right, "fell": right, "talks": half}, NOW - 24 * HOUR
        )
        seed_attempt(store, ana, "sample", {"year": right, "fell": wrong}, NOW - 48 * HOUR)
        seed_attempt(store, ana, "sample", {"year": wrong}, NOW - HOUR, finish=False)
        review(store, ana, card["year"], "2017", True, NOW - timedelta(days=10))
        seoul_3am = datetime(2026, 11, 22, 18, 0, tzinfo=UTC)  # her day began at 19:00 UTC
        review(store, ana, card["fell"], "5 percent", False, seoul_3am - MINUTE)  # Again: 1 min
        review(store, ana, card["coercion"], "false", False, seoul_3am + 2 * HOUR - MINUTE)
        review(store, ana, card["thaad"], "", True, NOW - MINUTE)  # Good: due in 10 minutes
        queue = store.queue_counts(ana, NOW, tz="Asia/Seoul")
        in_sample = store.queue_counts(ana, NOW, tz="Asia/Seoul", bank_ids=["sample"])
        iris = store.user_by_name("iris").id
        seed_attempt(store, iris, "sample", {"year": right}, NOW - HOUR)
        review(store, iris, card["met"], "Wang Yi", True, NOW - timedelta(days=3))
    assert queue.due == in_sample.due == 3
    for url in ("/instructor/progress.csv", "/instructor/progress.csv?bank=sample"):
        rows = {r["name"]: r for r in csv.DictReader(io.StringIO(instructor.get(url).text))}
        assert list(rows) == ["ana", "bo"], url
        figures = [
            "practice_tests",
            "practice_mean_pct",
            "practice_latest_pct",
            "cards_due_now",
            "cards_due_before_today",
        ]
        assert [rows["ana"][f] for f in figures] == ["2", "66.7", "83.3", str(queue.due), "2"]
        assert [rows["bo"][f] for f in figures] == ["0", "", "", "0", "0"]
    html = instructor.get("/instructor/progress").get_data(as_text=True)
    assert student_row(html, "ana")[5:] == ["2", "67% latest 83%", "3 (2 overdue)"]
    assert student_row(html, "bo")[5:] == ["0", "—", "0"]
    assert "iris" not in html.split('id="student-table"')[1].split("</table>")[0]


def test_one_readings_scores_count_only_that_readings_questions(
    app_config, make_bank, monkeypatch: pytest.MonkeyPatch
):
    """A test over two readings scores 2 of 3 for all readings, but 2 of 2 in the reading
    whose questions were right and 0 of 1 in the other; a reading it did not ask has none."""
    monkeypatch.setattr(instructor_progress, "now_utc", lambda: NOW)
    make_bank(BANK, name="other")
    make_bank(BANK, name="unasked")
    app = build_app(app_config, make_bank)
    with app.extensions["studyapp"].open_store() as store:
        ana = student(store, "ana", NOW)
        asked = [("sample", "year"), ("sample", "fell"), ("other", "year")]
        attempt = store.create_attempt(ana, asked, NOW - HOUR)
        for bank_id, qid in asked:
            right = bank_id == "sample"
            store.save_response(attempt.id, ana, bank_id, qid, "x", NOW - HOUR, correct=right)
        store.finish_attempt(attempt.id, ana, NOW - HOUR)
    client = app.test_client()
    sign_in_instructor(app, client)
    for bank, expected in [
        ("", ["1", "66.7", "66.7"]),
        ("sample", ["1", "100.0", "100.0"]),
        ("other", ["1", "0.0", "0.0"]),
        ("unasked", ["0", "", ""]),
    ]:
        text = client.get(f"/instructor/progress.csv?bank={bank}").text
        (row,) = csv.DictReader(io.StringIO(text))
        tests = [row["practice_tests"], row["practice_mean_pct"], row["practice_latest_pct"]]
        assert tests == expected, bank


def test_a_test_score_rounds_as_the_students_result_page_does(app, instructor):
    """12.5% is 13% on the class progress page, as on the student's own result page (1 of 8
    there): a half rounded up, not to the even number."""
    with app.extensions["studyapp"].open_store() as store:
        bo = student(store, "bo", NOW)
        seed_attempt(
            store, bo, "sample", {"year": ("x", False, 0.25), "fell": ("x", False, 0.0)}, NOW - HOUR
        )
    row = {
        r["name"]: r
        for r in csv.DictReader(io.StringIO(instructor.get("/instructor/progress.csv").text))
    }["bo"]
    assert row["practice_mean_pct"] == "12.5"
    html = instructor.get("/instructor/progress").get_data(as_text=True)
    assert student_row(html, "bo")[6] == "13% latest 13%"
