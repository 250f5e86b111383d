"""The readings page tells a student that an instructor answered their problem reports, until
the student opens "My reports"."""

from __future__ import annotations

import re

import pytest

from .conftest import csrf_from, sign_in, sign_up
from .instructor_seed import build_app, sign_in_instructor, student

NOTICE = re.compile(r'<div class="flash" role="status" id="report-answers">(.*?)</div>', re.S)


@pytest.fixture
def app(app_config, make_bank):
    return build_app(app_config, make_bank)


def notice(client) -> str | None:
    """The notice on the readings page as the student reads it, or None."""
    page = client.get("/")
    assert page.status_code == 200
    found = NOTICE.search(page.get_data(as_text=True))
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split()) if found else None


def report(client, question: str, comment: str = "") -> int:
    """File a report through the real form (as the signed-in student); return its id."""
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post(
        "/reports",
        data={
            "csrf_token": token,
            "bank": "sample",
            "question": question,
            "category": "unclear",
            "comment": comment,
        },
    )
    assert response.status_code == 302
    with store_of(client) as store:
        return max(r.id for r in store.reports(status=None))


def store_of(client):
    return client.application.extensions["studyapp"].open_store()


@pytest.fixture
def instructor(app):
    """An instructor signed in on a client (a browser) of their own."""
    other = app.test_client()
    sign_in_instructor(app, other)
    return other


def answer(instructor, report_id: int, status: str = "resolved", response: str = "") -> None:
    """Resolve or dismiss a report through the instructor's real form."""
    token = csrf_from(instructor.get("/instructor/reports").get_data(as_text=True))
    done = instructor.post(
        f"/instructor/reports/{report_id}",
        data={"csrf_token": token, "status": status, "response": response},
    )
    assert done.status_code == 302


def log_out(client) -> None:
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})


def test_answered_reports_are_announced_until_the_student_opens_them(instructor, client):
    sign_up(client, "ann")
    first = report(client, "year")
    second = report(client, "fell")
    report(client, "met")  # left open
    assert notice(client) is None
    answer(instructor, first, "resolved", "Fixed the key.")
    answer(instructor, second, "dismissed")
    assert notice(client) == (
        "Your instructor answered 2 of your problem reports. See your reports"
    )
    assert 'href="/reports">See your reports</a>' in client.get("/").get_data(as_text=True)

    mine = client.get("/reports").get_data(as_text=True)
    assert "Your instructor: Fixed the key." in mine
    assert mine.count('<strong class="small">New</strong>') == 2
    assert notice(client) is None
    # Seen once: the page no longer flags them, and opening it again writes nothing new.
    with store_of(client) as store:
        seen = {r.id: r.seen for r in store.reports_by(store.user_by_name("ann").id)}
    again = client.get("/reports").get_data(as_text=True)
    assert "New</strong>" not in again
    with store_of(client) as store:
        assert {r.id: r.seen for r in store.reports_by(store.user_by_name("ann").id)} == seen
    assert seen[first] and seen[second]


def test_a_new_answer_to_a_seen_report_is_announced_again(instructor, client):
    sign_up(client, "ann")
    first = report(client, "year")
    answer(instructor, first, "resolved", "Fixed the key.")
    assert (
        notice(client) == "Your instructor answered one of your problem reports. See your reports"
    )
    client.get("/reports")
    answer(instructor, first, "resolved", "Fixed the key, and the distractors too.")
    assert notice(client) is not None
    assert "the distractors too" in client.get("/reports").get_data(as_text=True)
    assert notice(client) is None


def test_an_open_report_gives_no_notice(client):
    sign_up(client, "ann")
    report(client, "year", "which year?")
    assert notice(client) is None
    assert "which year?" in client.get("/reports").get_data(as_text=True)
    assert notice(client) is None


def test_another_students_answered_report_is_not_announced(instructor, client, clock):
    sign_up(client, "ann")
    report(client, "year")  # ann's stays open
    log_out(client)
    sign_up(client, "bob")
    bobs = report(client, "fell")
    answer(instructor, bobs, "resolved", "Thanks, bob.")
    log_out(client)
    assert sign_in(client, "ann").status_code == 302
    assert notice(client) is None
    mine = client.get("/reports").get_data(as_text=True)
    assert "Thanks, bob." not in mine
    # Ann opening her page marked none of bob's reports seen.
    log_out(client)
    assert sign_in(client, "bob").status_code == 302
    assert (
        notice(client) == "Your instructor answered one of your problem reports. See your reports"
    )
    with store_of(client) as store:
        assert store.unseen_report_answers(store.user_by_name("bob").id) == 1
        assert (
            store.mark_reports_seen(
                student(store, "ann", clock), store.reports_by(store.user_by_name("bob").id), clock
            )
            == 0
        )


def test_the_answer_is_escaped_on_the_reports_page(instructor, client):
    sign_up(client, "ann")
    first = report(client, "year", "<b>bold</b> comment")
    answer(instructor, first, "resolved", '<script>alert("x")</script> & fixed')
    mine = client.get("/reports").get_data(as_text=True)
    assert "<script>alert" not in mine
    assert "Your instructor: &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; fixed" in mine
    assert "You wrote: &lt;b&gt;bold&lt;/b&gt; comment" in mine


def test_my_reports_show_times_in_the_students_zone_saying_which(app, client, clock):
    """The student's times carry their zone, as the instructor pages' do: a student quoting
    "18:30" to an instructor in another zone says which 18:30."""
    from datetime import timedelta

    from werkzeug.security import generate_password_hash

    with store_of(client) as store:
        ann = store.create_user(
            "ann", generate_password_hash("correct horse"), timezone="Asia/Seoul", now=clock
        ).id
        sent = store.report_problem(ann, "sample", "year", "unclear", "which year?", clock)
        store.resolve_report(sent.id, "resolved", ann, clock + timedelta(hours=1), response="2017")
    assert sign_in(client, "ann").status_code == 302
    mine = client.get("/reports").get_data(as_text=True)
    zone = '<abbr title="Asia/Seoul (your account&#39;s time zone)">KST</abbr>'
    assert f'<time datetime="2026-03-02T09:30:00+00:00">2026-03-02 18:30 {zone}</time>' in mine
    assert (
        f'Marked resolved on <time datetime="2026-03-02T10:30:00+00:00">2026-03-02 19:30 {zone}'
        in mine
    )
