"""The instructor pages through the real app: access, progress, reports, bank health, downloads."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from markupsafe import escape

from studyapp import create_app
from studyapp.cards import CardKey
from studyapp.cli import main

from .conftest import csrf_from, sign_in, sign_up
from .instructor_seed import build_app, review, seed_reviews, sign_in_instructor, student

SAMPLE_ARGS = {
    "bank_id": "sample",
    "question_id": "year",
    "report_id": 1,
    "name": "sample.yaml",
}


@pytest.fixture
def app(app_config, make_bank):
    return build_app(app_config, make_bank)


@pytest.fixture
def instructor(app, client):
    sign_in_instructor(app, client)
    return client


def instructor_urls(app) -> list[tuple[str, str]]:
    """Every URL of the instructor blueprint, with sample values for its arguments."""
    out = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("instructor."):
                continue
            url = rule.build({k: SAMPLE_ARGS[k] for k in rule.arguments})[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                out.append((method, url))
    return out


def test_every_instructor_url_is_refused_to_students_and_anonymous_visitors(app, client):
    urls = instructor_urls(app)
    assert len(urls) >= 14 and ("POST", "/instructor/claims/accept") in urls
    token = csrf_from(client.get("/login").get_data(as_text=True))
    for method, url in urls:
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 302, (method, url)
        assert "/login" in response.headers["Location"], (method, url)
    sign_up(client, "ann")
    token = csrf_from(client.get("/").get_data(as_text=True))
    for method, url in urls:
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code == 403, (method, url)
        assert "These pages are for instructors." in response.get_data(as_text=True)


def test_instructor_reaches_every_page_and_students_see_no_link(app, client, clock):
    sign_up(client, "ann")
    assert "/instructor/" not in client.get("/").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    sign_in_instructor(app, client)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/instructor/"' in home
    for method, url in instructor_urls(app):
        if method == "GET" and "report" not in url:
            assert client.get(url).status_code == 200, url


def test_overview_offers_moodle_downloads_and_says_what_is_left_out(instructor):
    html = instructor.get("/instructor/").get_data(as_text=True)
    assert "/instructor/export/readings/sample.xml" in html
    assert (
        "(5 questions; 1 card question left out: self-graded cards have no Moodle equivalent)"
        in html
    )
    # The course line counts the same questions, in the same words.
    assert (
        "5 questions, a category per reading; 1 card question left out: self-graded cards"
        " have no Moodle equivalent." in html
    )
    response = instructor.get("/instructor/export/readings/sample.xml")
    assert response.mimetype == "application/xml"
    assert 'filename="sample.xml"' in response.headers["Content-Disposition"]
    root = ET.fromstring(response.data)
    assert [q.get("type") for q in root] == [
        "category",
        "multichoice",
        "shortanswer",
        "truefalse",
        "cloze",
        "multichoice",
    ]
    course = ET.fromstring(instructor.get("/instructor/export/course.xml").data)
    assert len(course) == 6


def test_overview_counts_what_the_moodle_download_really_holds(app_config, make_bank):
    # Eleven distractors: -1/11 is not on Moodle's grade list, so the exporter leaves it out.
    path = make_bank(
        """\
        - id: many
          type: multi
          prompt: Who met in Xiamen?
          answers: [Chung Eui-yong, Wang Yi]
          distractors: [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11]
          quote: Chung Eui-yong met Wang Yi in Xiamen.
        - id: year
          type: choice
          prompt: In which year was THAAD deployed in South Korea?
          answer: "2017"
          distractors: ["2016", "2018"]
          quote: was deployed in South Korea in 2017
        """,
        name="many",
    )
    app = create_app(app_config | {"QUESTIONS": str(path.parent)})
    client = app.test_client()
    sign_in_instructor(app, client)
    html = client.get("/instructor/").get_data(as_text=True)
    assert "(1 question; 1 other question left out: their marks do not fit" in html
    assert "card question" not in html
    course = ET.fromstring(client.get("/instructor/export/course.xml").data)
    assert [q.get("type") for q in course] == ["category", "multichoice"]


def test_class_progress_counts_active_students_reviews_due_cards_and_lists_students(
    app, instructor
):
    now = datetime.now(UTC)
    with app.extensions["studyapp"].open_store() as store:
        ana = student(store, "ana", now)
        bo = student(store, "bo", now)
        student(store, "cy", now)  # never studied
        key = CardKey("sample", "year", 1)
        review(store, ana, key, "2017", True, now - timedelta(days=20))
        review(store, bo, CardKey("sample", "fell", 1), "5 percent", False, now - timedelta(days=1))
        review(store, ana, CardKey("sample", "coercion", 1), "true", True, now - timedelta(hours=1))
    html = instructor.get("/instructor/progress").get_data(as_text=True)
    figures = re.findall(r'<span class="big">([^<]+)</span>', html)
    # ana and bo answered within 7 days; 2 review answers in 14 days (the 20-day-old one is out);
    # due now: all three cards, each a new card answered once, so in a learning step of minutes.
    assert figures[:3] == ["2", "2", "3"]
    assert "ana" in html and "bo" in html and "cy" in html
    one = instructor.get("/instructor/progress?bank=sample").get_data(as_text=True)
    assert "Class progress: A Sample Reading" in one
    assert instructor.get("/instructor/progress?bank=nope").status_code == 404
    response = instructor.get("/instructor/progress.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["name"] for r in rows] == ["ana", "bo", "cy"]
    assert rows[0]["review_answers"] == "2" and rows[2]["last_active_utc"] == ""
    assert rows[0]["practice_answers"] == "0" and rows[0]["timezone"] == "UTC"
    assert rows[1]["retention_30d"] == ""  # bo's only review was of a new card


def test_csv_cells_never_start_a_formula(app, instructor, clock):
    from studyapp.web.instructor_progress import _cell

    assert _cell("=cmd()") == "'=cmd()" and _cell("ann") == "ann" and _cell(None) == ""


def test_student_reports_a_problem_and_sees_only_their_own(app, client, clock):
    sign_up(client, "ann")
    token = csrf_from(client.get("/").get_data(as_text=True))
    data = {"csrf_token": token, "bank": "sample", "question": "year", "category": "typo"}
    sent = client.post("/reports", data=data | {"comment": "<b>2017</b> is spelled oddly"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/reports")
    page = client.get("/reports").get_data(as_text=True)
    assert "There is a typo" in page and str(escape("<b>2017</b>")) in page
    as_json = client.post(
        "/reports",
        data=data | {"category": "unclear"},
        headers={"Accept": "application/json"},
    )
    assert as_json.get_json()["sent"] is True
    bad = client.post("/reports", data=data | {"category": "rude"})
    assert bad.status_code == 400
    missing = client.post("/reports", data=data | {"question": "nope"})
    assert missing.status_code == 404
    # Another student sees none of ann's reports.
    client.post("/logout", data={"csrf_token": token})
    sign_up(client, "bob")
    assert "There is a typo" not in client.get("/reports").get_data(as_text=True)


def test_instructor_resolves_a_report_and_the_student_reads_the_answer(app, client, clock):
    with app.extensions["studyapp"].open_store() as store:
        ann = student(store, "ann", clock)
        report = store.report_problem(ann, "sample", "year", "wrong-answer", "really?", clock)
    sign_in_instructor(app, client)
    page = client.get("/instructor/reports").get_data(as_text=True)
    # The category as the student picked it on the report form, not its stored name.
    assert "really?" in page and "<strong>The answer key is wrong</strong>" in page
    token = csrf_from(page)
    done = client.post(
        f"/instructor/reports/{report.id}",
        data={
            "csrf_token": token,
            "status": "resolved",
            "response": "Fixed the key.",
            "next": "/instructor/items/sample/year",
        },
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(
        "/instructor/items/sample/year"
    )
    after = client.get("/instructor/reports").get_data(as_text=True)
    assert "No open reports." in after
    assert "The report on year in A Sample Reading is marked resolved." in after
    assert f"Report {report.id}" not in after
    detail = client.get("/instructor/items/sample/year").get_data(as_text=True)
    assert "<strong>The answer key is wrong</strong> by ann" in detail
    with app.extensions["studyapp"].open_store() as store:
        (mine,) = store.reports_by(ann)
        other = store.report_problem(ann, "sample", "fell", "other", "", clock)
    assert (mine.status, mine.response) == ("resolved", "Fixed the key.")
    evil = client.post(
        f"/instructor/reports/{other.id}",
        data={"csrf_token": token, "status": "dismissed", "next": "//evil.example/"},
    )
    assert evil.headers["Location"].endswith("/instructor/reports")
    after = client.get("/instructor/reports").get_data(as_text=True)
    assert "The report on fell in A Sample Reading is marked dismissed." in after
    assert (
        client.post(
            "/instructor/reports/999", data={"csrf_token": token, "status": "resolved"}
        ).status_code
        == 404
    )


def test_answered_reports_stay_readable_and_reports_filter_by_reading(app, client, clock):
    """A resolved report used to vanish from the instructors' list: the answered ones are one
    link away, with who answered what; the overview's count opens that reading's reports."""
    with app.extensions["studyapp"].open_store() as store:
        ann = student(store, "ann", clock)
        done = store.report_problem(ann, "sample", "year", "wrong-answer", "really?", clock)
        store.report_problem(ann, "sample", "fell", "typo", "<i>spelling</i>", clock)
    sign_in_instructor(app, client)
    overview = client.get("/instructor/").get_data(as_text=True)
    assert 'href="/instructor/reports?bank=sample">2</a>' in overview
    token = csrf_from(client.get("/instructor/reports").get_data(as_text=True))
    client.post(
        f"/instructor/reports/{done.id}",
        data={"csrf_token": token, "status": "resolved", "response": "Fixed <b>the</b> key."},
    )
    open_page = client.get("/instructor/reports?bank=sample").get_data(as_text=True)
    assert "&lt;i&gt;spelling&lt;/i&gt;" in open_page and "really?" not in open_page
    answered = client.get("/instructor/reports?show=answered&bank=sample").get_data(as_text=True)
    assert "really?" in answered and "spelling" not in answered
    assert "by iris" in answered and "“Fixed &lt;b&gt;the&lt;/b&gt; key.”" in answered
    assert 'name="status"' not in answered  # nothing left to resolve there
    other = client.get("/instructor/reports?show=answered&bank=another").get_data(as_text=True)
    assert "No answered reports on this reading." in other


def test_reports_show_what_each_question_takes_as_right_escaped(app, client, clock, make_bank):
    """A report that the answer key is wrong is weighed against the key: the reports page shows
    it beside the question, as the claims page does, whatever the question's type."""
    from .instructor_seed import BANK

    make_bank(
        BANK.replace("answer: 19 percent", 'answer: "<b>19</b> percent"')
        .replace('accept: ["19%"]', 'accept: ["19%", "<i>nineteen</i>"]')
        .replace(
            "  quote: Support for closer ties with China fell by 19 percent.\n",
            "  quote: Support for closer ties with China fell by 19 percent.\n"
            "  explain: The poll's <em>drop</em> was 19 points.\n",
        )
    )
    app.extensions["studyapp"].registry.refresh(force=True)
    with app.extensions["studyapp"].open_store() as store:
        ann = student(store, "ann", clock)
        for question in ("fell", "met", "talks", "coercion"):
            store.report_problem(ann, "sample", question, "wrong-answer", "", clock)
    sign_in_instructor(app, client)
    page = client.get("/instructor/reports").get_data(as_text=True)
    groups = {
        re.search(r">(\w+)</a> in A Sample Reading", part).group(1): part
        for part in page.split('<section class="report-group"')[1:]
    }
    assert (
        "Expected: <strong>&lt;b&gt;19&lt;/b&gt; percent</strong>;"
        " accepted: 19% · &lt;i&gt;nineteen&lt;/i&gt;" in groups["fell"]
    )
    assert "<b>19</b>" not in page and "<i>nineteen</i>" not in page
    assert "Card 1 hides: <strong>Wang Yi</strong>" in groups["met"]
    assert "Card 2 hides: <strong>Xiamen</strong>" in groups["met"]
    assert (
        "Right: <strong>Chung Eui-yong</strong> · <strong>Wang Yi</strong>;"
        " other options: Jake Sullivan · Suh Hoon" in groups["talks"]
    )
    assert "Right: <strong>true</strong>" in groups["coercion"]
    # The explanation the student was shown is beside the key, escaped; none where there is none.
    assert "Explanation: The poll&#39;s &lt;em&gt;drop&lt;/em&gt; was 19 points." in groups["fell"]
    assert "Explanation:" not in groups["met"]
    question = client.get("/instructor/items/sample/fell").get_data(as_text=True)
    assert "Explanation: The poll&#39;s &lt;em&gt;drop&lt;/em&gt; was 19 points." in question
    # The answered list shows it too.
    token = csrf_from(page)
    with app.extensions["studyapp"].open_store() as store:
        first = store.reports(status="open")[0]
    client.post(f"/instructor/reports/{first.id}", data={"csrf_token": token, "status": "resolved"})
    answered = client.get("/instructor/reports?show=answered").get_data(as_text=True)
    assert "Expected: <strong>&lt;b&gt;19&lt;/b&gt; percent</strong>" in answered


def test_bank_health_shows_a_failed_edit_exactly_as_studyapp_check_prints_it(app, instructor):
    registry = app.extensions["studyapp"].registry
    broken = registry.folder / "sample.yaml"
    good = broken.read_text()
    broken.write_text(good.replace("  - id: fell", "  - id: fell\n    typo_key: 1", 1))
    registry.refresh(force=True)
    html = instructor.get("/instructor/banks").get_data(as_text=True)
    (failure,) = registry.snapshot.failures.values()
    assert str(escape(failure.rendered)) in html
    result = app.test_cli_runner().invoke(main, ["check", str(broken)])
    assert failure.rendered in result.output
    assert "error[unknown-key]" in html
    source = instructor.get("/instructor/banks/sample.yaml").get_data(as_text=True)
    assert 'class="problem"' in source and "This file does not load" in source


def test_bank_source_view_numbers_anchors_and_escapes_every_line(app, instructor, make_bank):
    from .instructor_seed import BANK

    make_bank(BANK.replace("the figure as the article gives it", "<script>alert(1)</script>"))
    app.extensions["studyapp"].registry.refresh(force=True)
    html = instructor.get("/instructor/banks/sample.yaml").get_data(as_text=True)
    assert '<tr id="L1">' in html and 'href="#L12"' in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert instructor.get("/instructor/banks/../conftest.py").status_code == 404
    assert instructor.get("/instructor/banks/sample.txt").status_code == 404


def test_drafts_awaiting_review_are_listed_with_their_line(app, instructor, make_bank):
    """Bank health and the reading's item table list the drafts, each linked to its question
    page; a cloze shows its gaps, which are what the instructor has to judge."""
    from .instructor_seed import BANK

    make_bank(
        BANK + "- id: draft-one\n  type: card\n  prompt: Draft?\n  answer: Yes\n"
        "  quote: Terminal High Altitude Area Defense\n  draft: true\n"
        "- id: draft-gap\n  type: cloze\n  text: It was {{c1::Terminal}} High Altitude.\n"
        "  quote: Terminal High Altitude Area Defense\n  draft: true\n"
    )
    app.extensions["studyapp"].registry.refresh(force=True)
    html = instructor.get("/instructor/banks").get_data(as_text=True)
    lines = (app.extensions["studyapp"].registry.folder / "sample.yaml").read_text().splitlines()
    line = lines.index("  - id: draft-one") + 1
    link = '<a href="/instructor/items/sample/draft-one">draft-one</a>'
    assert f"{link} (card): Draft?" in html and f"questions/sample.yaml:{line}</code>" in html
    assert "(cloze): It was {{c1::Terminal}} High Altitude." in html
    table = instructor.get("/instructor/items/sample").get_data(as_text=True)
    drafts = table.split('<h2 id="drafts">Drafts</h2>')[1]
    assert f"<li>{link} (card): Draft?</li>" in drafts
    assert "(cloze): It was {{c1::Terminal}} High Altitude.</li>" in drafts
    assert "<code>studyapp publish questions/sample.yaml [id ...]</code>" in drafts
    overview = instructor.get("/instructor/").get_data(as_text=True)
    assert 'href="/instructor/items/sample#drafts">+ 2 drafts</a>' in overview


def test_sign_in_then_student_gets_403_not_the_page(app, client):
    from werkzeug.security import generate_password_hash

    with app.extensions["studyapp"].open_store() as store:
        store.create_user("sam", generate_password_hash("correct horse"))
    sign_in(client, "sam")
    assert client.get("/instructor/items/sample").status_code == 403


def test_answers_per_day_span_fourteen_days_ending_today(app, clock):
    now = datetime.now(UTC)
    with app.extensions["studyapp"].open_store() as store:
        seed_reviews(store, "sample", {"ana": {"year": ("2017", True)}}, now - timedelta(days=3))
        span, days = store.class_answers_per_day(now, days=14, day_starts_at_hour=0)
    assert list(days) == ["sample"]
    assert len(span) == len(days["sample"]) == 14 and span[-1] == now.date()
    by_day = dict(zip(span, days["sample"], strict=True))
    assert by_day[(now - timedelta(days=3)).date()].reviews == 1
    assert sum(n.answers for n in days["sample"]) == 1


def test_class_retention_counts_each_student_as_their_own_figure_does(app, clock):
    """One query for the class must agree with the store's per-student true retention."""
    later = clock + timedelta(days=20)
    with app.extensions["studyapp"].open_store() as store:
        ids = []
        for i, name in enumerate(("ana", "bo", "cy")):
            sid = student(store, name, clock)
            ids.append(sid)
            for qid, answer in (("year", "2017"), ("fell", "19 percent")):
                key = CardKey("sample", qid, 1)
                store.record_answer(
                    sid,
                    key,
                    token=f"{sid}{qid}0",
                    answer=answer,
                    correct=True,
                    rating=4,
                    duration_ms=1,
                    now=clock,
                )  # Easy on a new card: straight to review
                right = (i + len(qid)) % 2 == 0
                review(store, sid, key, answer if right else "no", right, later)
                review(store, sid, key, answer, True, later + timedelta(minutes=5))
        class_figures = store.retention_by_student(later + timedelta(hours=1), tz="Asia/Seoul")
        for sid in ids:
            mine = store.true_retention(sid, later + timedelta(hours=1), tz="Asia/Seoul")
            assert class_figures[sid] == mine.banks
            assert sum(f.reviews for f in class_figures[sid].values()) == 2
