"""Instructor pages say which time zone their times are in.

They show times in the instructor's own zone (their account's), which a student elsewhere
quoting the same moment in theirs cannot guess: each time carries its zone's abbreviation,
named in full on hover, and the moment in UTC for machines.
"""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from studyapp.cards import CardKey

from .conftest import csrf_from, sign_in
from .instructor_seed import build_app, review, student

# clock (tests/conftest.py) is 2026-03-02 09:30 UTC.
UTC_MOMENT = '<time datetime="2026-03-02T09:30:00+00:00">'
YOURS = "(your account&#39;s time zone)"


@pytest.fixture
def app(app_config, make_bank):
    return build_app(app_config, make_bank)


def instructor_in(app, client, timezone: str) -> None:
    with app.extensions["studyapp"].open_store() as store:
        store.create_user("iris", generate_password_hash("correct horse"), "instructor", timezone)
    assert sign_in(client, "iris").status_code == 302


@pytest.mark.parametrize(
    ("timezone", "shown"),
    [
        ("Asia/Seoul", f'2026-03-02 18:30 <abbr title="Asia/Seoul {YOURS}">KST</abbr>'),
        ("Asia/Dubai", f'2026-03-02 13:30 <abbr title="Asia/Dubai {YOURS}">UTC+04</abbr>'),
    ],
)
def test_report_times_name_the_instructors_zone(app, client, clock, timezone, shown):
    with app.extensions["studyapp"].open_store() as store:
        ann = student(store, "ann", clock)
        store.report_problem(ann, "sample", "year", "wrong-answer", "really?", clock)
        done = store.report_problem(ann, "sample", "fell", "typo", "", clock)
    instructor_in(app, client, timezone)
    page = client.get("/instructor/reports").get_data(as_text=True)
    assert f"{UTC_MOMENT}{shown}</time>" in page
    question = client.get("/instructor/items/sample/year").get_data(as_text=True)
    assert shown in question
    client.post(
        f"/instructor/reports/{done.id}",
        data={"csrf_token": csrf_from(page), "status": "resolved", "next": "/instructor/reports"},
    )
    answered = client.get("/instructor/reports?show=answered").get_data(as_text=True)
    assert answered.count(YOURS) == 2  # when it was sent and when it was resolved


def test_claim_times_name_the_instructors_zone(app, client, clock):
    with app.extensions["studyapp"].open_store() as store:
        ann = student(store, "ann", clock)
        review(store, ann, CardKey("sample", "fell", 1), "19 pc", False, clock, claim=True)
    instructor_in(app, client, "Asia/Seoul")
    page = client.get("/instructor/claims").get_data(as_text=True)
    shown = f'2026-03-02 18:30 <abbr title="Asia/Seoul {YOURS}">KST</abbr>'
    assert f"ann, {UTC_MOMENT}{shown}</time>" in page
