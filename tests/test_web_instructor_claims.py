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
    """The hidden fields of the (first) form of the claim group headed by ``text``."""
    section = html[html.index(f"<q>{text}</q>") :]
    fields = dict(re.findall(r'name="(next|bank|question|key)" value="([^"]*)"', section)[:4])
    return fields | {"csrf_token": csrf_from(html)}


def flash_of(page: str) -> str:
    """The flash messages of a page, as HTML."""
    return " ".join(re.findall(r'<div class="flash [a-z]+" role="status">(.*?)</div>', page, re.S))


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
    # Back to the claims list, which says what was done and links to the line written.
    assert response.headers["Location"].endswith("/instructor/claims")
    # One line changed; the comment above the answer is still there.
    assert [a for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b] == [
        '    accept: ["19%"]'
    ]
    assert "# the figure as the article gives it" in after
    page = instructor.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        f'<a href="/instructor/banks/sample.yaml#L{line}"><code>questions/sample.yaml:{line}'
        "</code></a> now reads: accept: [&#34;19%&#34;, Almost a fifth]" in flash_of(page)
    )
    assert "Accepted “Almost a fifth” for 2 students." in flash_of(page)
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
    assert response.headers["Location"].endswith("/instructor/claims")
    page = instructor.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        f'Accepted “Xiamen city” for 1 student. <a href="/instructor/banks/sample.yaml#L{line}">'
        f"<code>questions/sample.yaml:{line}</code></a> now reads: accept: c2: [Xiamen city]"
        in flash_of(page)
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
    # The message saying so is HTML (it links to the line), built from escaped parts.
    message = flash_of(instructor.get(response.headers["Location"]).get_data(as_text=True))
    assert "Accepted “&lt;i&gt;Amoy&lt;/i&gt;” for 1 student." in message
    assert "now reads: c2: [Xiamen city, &lt;i&gt;Amoy&lt;/i&gt;]" in message
    assert "<i>" not in message
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
    message = flash_of(page)
    assert "Accepted “Xiamen city” for 2 students. The bank was not changed" in message
    assert re.search(
        r'add it by hand at <a href="/instructor/banks/sample.yaml#L\d+">'
        r"<code>questions/sample.yaml:\d+</code></a>: accept: \{c1: \[Xiamen city\]",
        message,
    )
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
    assert "Could not add “about 20”: questions/sample.yaml has errors now" in flash_of(page)
    assert path.read_text() == broken
    with claimed.extensions["studyapp"].open_store() as store:
        assert len(store.claims(status="open")) == 4


@pytest.mark.parametrize(
    ("breakage", "old", "new"),
    [
        ("YAML that does not parse", "questions:", "questions:\n  - id: ["),
        ("a question the checker refuses", "type: truefalse", "type: trueish"),
    ],
)
def test_a_bank_file_with_errors_is_named_as_such_not_blamed_on_its_layout(
    claimed, instructor, breakage, old, new
):
    """A broken file keeps its last good bank in service, and used to be shown as a layout the
    page does not edit (or, broken for the checker only, as a line accepting would write)."""
    path = claimed.extensions["studyapp"].registry.folder / "sample.yaml"
    assert "Accepting writes" in instructor.get("/instructor/claims").get_data(as_text=True)
    path.write_text(path.read_text().replace(old, new, 1))
    html = instructor.get("/instructor/claims").get_data(as_text=True)
    section = html[html.index("<q>about 20</q>") :].split("</section>")[0]
    assert (
        '<a href="/instructor/banks/sample.yaml"><code>questions/sample.yaml</code></a> has'
        " errors now, so this answer cannot be added to it" in section
    )
    assert 'Its errors are listed on <a href="/instructor/banks">Bank health</a>' in section
    assert "laid out" not in html and "Accepting writes" not in html
    # Accepting cannot succeed, so it is not offered; rejecting still is.
    assert "Accept and add to the bank" not in html
    assert html.count(">Reject</button>") == 3
    bank = instructor.get("/instructor/banks").get_data(as_text=True)
    assert "questions/sample.yaml" in bank and "Every bank file loads cleanly." not in bank


@pytest.mark.parametrize("decision", ["accept", "reject"])
def test_deciding_claims_comes_back_to_the_claims_list_as_it_was_filtered(
    claimed, instructor, decision
):
    html = instructor.get("/instructor/claims?bank=sample").get_data(as_text=True)
    fields = form_for(html, "about 20")
    assert fields["next"] == "/instructor/claims?bank=sample"
    response = instructor.post(f"/instructor/claims/{decision}", data=fields)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/instructor/claims?bank=sample")
    page = instructor.get(response.headers["Location"]).get_data(as_text=True)
    done = "Accepted “about 20” for 1 student." if decision == "accept" else "Rejected “about 20”"
    assert done in flash_of(page)
    assert "<q>about 20</q>" not in page and "<q>Almost a fifth</q>" in page
    # Unfiltered, the list comes back unfiltered; a link elsewhere is not followed.
    html = instructor.get("/instructor/claims").get_data(as_text=True)
    fields = form_for(html, "Xiamen city") | {"next": "//evil.example/instructor/claims"}
    response = instructor.post(f"/instructor/claims/{decision}", data=fields)
    assert response.headers["Location"] == "/instructor/claims"
