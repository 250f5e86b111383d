"""Typed-answer claims: grouped by question and text, accepted into the bank file, or rejected."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from studyapp.cards import CardKey
from studyapp.grading import grade_typed

from .conftest import csrf_from, sign_up
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
    # The exact lines accepting would write, in the file's own style.
    assert "accept: [&#34;19%&#34;, Almost a fifth]" in html
    assert "Accepting writes these lines at" in html
    assert "<code>accept:\n  c2: [Xiamen city]</code>" in html
    assert "Card 2 hides: <strong>Xiamen</strong>" in html
    assert html.count("Accept and add to the bank") == 3 and "Mark accepted" not in html


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


def _review_card_two(app, name: str, typed: str) -> str:
    """A student's answer to card 2 of ``met`` in the review loop: the feedback page."""
    client = app.test_client()
    sign_up(client, name)
    csrf = csrf_from(client.get("/review").get_data(as_text=True))
    data = {"csrf_token": csrf, "card": "sample/met/2", "token": f"{name}-token-1"}
    # The answer post may redirect to /review, which shows the feedback (Post/Redirect/Get).
    response = client.post("/review/answer", data=data | {"blank": typed}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_accepting_a_cloze_claim_writes_the_form_under_its_number(claimed, instructor):
    folder = claimed.extensions["studyapp"].registry.folder
    before = (folder / "sample.yaml").read_text()
    assert "Not quite" in _review_card_two(claimed, "eve", "xiamen city")
    html = instructor.get("/instructor/claims").get_data(as_text=True)
    response = instructor.post("/instructor/claims/accept", data=form_for(html, "Xiamen city"))
    assert response.status_code == 302
    after = (folder / "sample.yaml").read_text()
    text = "    text: Chung Eui-yong met {{c1::Wang Yi}} in {{c2::Xiamen}}."
    line = after.splitlines().index(text) + 2
    assert after.splitlines()[line - 1 : line + 1] == ["    accept:", "      c2: [Xiamen city]"]
    assert after.replace("    accept:\n      c2: [Xiamen city]\n", "") == before
    assert response.headers["Location"].endswith(f"/instructor/banks/sample.yaml#L{line}")
    page = instructor.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        f"Accepted “Xiamen city” for 1 student. questions/sample.yaml:{line} now reads: "
        "accept: c2: [Xiamen city]" in page
    )
    # The bank reloads with the form, and a later review typing it is graded right.
    registry = claimed.extensions["studyapp"].registry
    question = registry.refresh(force=True).bank("sample").question("met")
    assert question.cloze_accept == ((2, ("Xiamen city",)),)
    assert "✓ Right" in _review_card_two(claimed, "flo", "Xiamen  City")
    with claimed.extensions["studyapp"].open_store() as store:
        (accepted,) = store.claims(status="accepted")
    assert accepted.answer == "Xiamen city"
    assert "<q>Xiamen city</q>" not in instructor.get("/instructor/claims").get_data(as_text=True)


def test_a_second_form_for_the_same_number_goes_into_its_list(claimed, instructor, clock):
    with claimed.extensions["studyapp"].open_store() as store:
        met2 = CardKey("sample", "met", 2)
        at = clock + timedelta(hours=1)
        review(store, student(store, "gus", clock), met2, "<i>Amoy</i>", False, at, claim=True)
    html = instructor.get("/instructor/claims").get_data(as_text=True)
    instructor.post("/instructor/claims/accept", data=form_for(html, "Xiamen city"))
    html = instructor.get("/instructor/claims").get_data(as_text=True)
    # The student's text is shown escaped, in the line accepting writes.
    assert "<code>c2: [Xiamen city, &lt;i&gt;Amoy&lt;/i&gt;]</code>" in html
    assert "<i>Amoy</i>" not in html
    response = instructor.post(
        "/instructor/claims/accept", data=form_for(html, "&lt;i&gt;Amoy&lt;/i&gt;")
    )
    assert response.status_code == 302
    question = (
        claimed.extensions["studyapp"].registry.refresh(force=True).bank("sample").question("met")
    )
    assert question.cloze_accept == ((2, ("Xiamen city", "<i>Amoy</i>")),)


def test_a_cloze_claim_typed_on_several_cards_is_marked_accepted_with_the_line_by_hand(
    claimed, instructor, clock
):
    path = claimed.extensions["studyapp"].registry.folder / "sample.yaml"
    with claimed.extensions["studyapp"].open_store() as store:
        met1 = CardKey("sample", "met", 1)
        at = clock + timedelta(hours=1)
        review(store, student(store, "hal", clock), met1, "Xiamen City", False, at, claim=True)
    before = path.read_bytes()
    html = instructor.get("/instructor/claims").get_data(as_text=True)
    section = html[html.index("<q>Xiamen city</q>") :].split("</section>")[0]
    assert "cards 1, 2" in section and "Mark accepted" in section
    assert "typed on c1 and c2" in section
    assert "<code>accept: {c1: [Xiamen city], c2: [Xiamen city]}</code>" in section
    response = instructor.post(
        "/instructor/claims/accept", data=form_for(html, "Xiamen city"), follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert path.read_bytes() == before
    assert "Accepted “Xiamen city” for 2 students. The bank was not changed" in page
    assert "add it by hand at questions/sample.yaml:" in page
    with claimed.extensions["studyapp"].open_store() as store:
        assert sorted(c.answer for c in store.claims(status="accepted")) == [
            "Xiamen City",
            "Xiamen city",
        ]


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
