"""Typed-answer claims: grouped by question and text, accepted into the bank file, or rejected."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from studyapp.cards import CardKey
from studyapp.grading import grade_typed

from .conftest import csrf_from
from .instructor_seed import build_app, review, sign_in_instructor, student


@pytest.fixture
def app(app_config, make_bank):
    return build_app(app_config, make_bank)


@pytest.fixture
def claimed(app, clock):
    """Three claims on fell (two of one form), one on a cloze deletion."""
    fell = CardKey("sample", "fell", 1)
    with app.extensions["studyapp"].open_store() as store:
        for i, (name, typed) in enumerate(
            [("ana", "Almost a fifth"), ("bo", "almost  a fifth"), ("cy", "about 20")]
        ):
            at = clock + timedelta(minutes=i)
            review(store, student(store, name, clock), fell, typed, False, at, claim=True)
        met2 = CardKey("sample", "met", 2)
        review(store, student(store, "di", clock), met2, "Xiamen city", False, clock, claim=True)
    return app


@pytest.fixture
def instructor(app, client):
    sign_in_instructor(app, client)
    return client


def form_for(html: str, text: str) -> dict:
    """The hidden fields of the claim group headed by ``text``."""
    section = html[html.index(f"<q>{text}</q>") :]
    fields = dict(re.findall(r'name="(bank|question|key)" value="([^"]*)"', section)[:3])
    return fields | {"csrf_token": csrf_from(html)}


def test_claims_are_grouped_by_question_and_folded_text(claimed, instructor):
    html = instructor.get("/instructor/claims").get_data(as_text=True)
    assert "<q>Almost a fifth</q> · 2 students" in html
    assert "<q>about 20</q> · 1 student" in html
    assert "<q>Xiamen city</q> · 1 student" in html and "card 2" in html
    # The exact line accepting would write, in the file's own style.
    assert "accept: [&#34;19%&#34;, Almost a fifth]" in html
    assert "add it by hand under the question" in html
    assert 'accept: {c2: ["Xiamen city"]}' in html


def test_accepting_adds_the_form_to_the_bank_file_keeping_its_comments(claimed, instructor):
    folder = claimed.extensions["studyapp"].registry.folder
    before = (folder / "sample.yaml").read_text()
    html = instructor.get("/instructor/claims").get_data(as_text=True)
    response = instructor.post("/instructor/claims/accept", data=form_for(html, "Almost a fifth"))
    assert response.status_code == 302
    after = (folder / "sample.yaml").read_text()
    line = after.splitlines().index('    accept: ["19%", Almost a fifth]') + 1
    assert response.headers["Location"].endswith(f"/instructor/banks/sample.yaml#L{line}")
    # One line changed; the comment above the answer is still there.
    assert [a for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b] == [
        '    accept: ["19%"]'
    ]
    assert "# the figure as the article gives it" in after
    page = instructor.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        f"questions/sample.yaml:{line} now reads: accept: [&#34;19%&#34;, Almost a fifth]" in page
    )
    assert "Accepted “Almost a fifth” for 2 students." in page
    # The server picks the edit up: the form is now graded right.
    question = (
        claimed.extensions["studyapp"].registry.refresh(force=True).bank("sample").question("fell")
    )
    assert grade_typed(question.answer, question.accept, "almost a fifth").correct
    with claimed.extensions["studyapp"].open_store() as store:
        statuses = sorted((c.answer, c.status) for c in store.claims(status=None))
    assert statuses == [
        ("Almost a fifth", "accepted"),
        ("Xiamen city", "open"),
        ("about 20", "open"),
        ("almost  a fifth", "accepted"),
    ]
    # The group is closed: accepting it again is refused.
    again = instructor.post("/instructor/claims/accept", data=form_for(html, "Almost a fifth"))
    assert again.status_code == 404


def test_accepting_a_cloze_claim_points_at_the_line_and_leaves_the_file(claimed, instructor):
    folder = claimed.extensions["studyapp"].registry.folder
    before = (folder / "sample.yaml").read_text()
    html = instructor.get("/instructor/claims").get_data(as_text=True)
    response = instructor.post(
        "/instructor/claims/accept", data=form_for(html, "Xiamen city"), follow_redirects=True
    )
    assert (folder / "sample.yaml").read_text() == before
    line = (
        before.splitlines().index("    text: Chung Eui-yong met {{c1::Wang Yi}} in {{c2::Xiamen}}.")
        + 1
    )
    page = response.get_data(as_text=True)
    assert f"(accept: {{c&lt;N&gt;: [...]}}) at questions/sample.yaml:{line}" in page
    assert "<q>Xiamen city</q>" not in page


def test_rejecting_closes_the_group(claimed, instructor):
    html = instructor.get("/instructor/claims").get_data(as_text=True)
    response = instructor.post("/instructor/claims/reject", data=form_for(html, "about 20"))
    assert response.status_code == 302
    with claimed.extensions["studyapp"].open_store() as store:
        (rejected,) = store.claims(status="rejected")
    assert rejected.answer == "about 20"


def test_a_bank_file_with_problems_is_not_edited_and_claims_stay_open(claimed, instructor):
    path = claimed.extensions["studyapp"].registry.folder / "sample.yaml"
    html = instructor.get("/instructor/claims").get_data(as_text=True)
    broken = path.read_text().replace("questions:", "questions:\n  - id: [", 1)
    path.write_text(broken)
    response = instructor.post(
        "/instructor/claims/accept", data=form_for(html, "about 20"), follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Could not add “about 20”: questions/sample.yaml has problems now" in page
    assert path.read_text() == broken
    with claimed.extensions["studyapp"].open_store() as store:
        assert len(store.claims(status="open")) == 4
