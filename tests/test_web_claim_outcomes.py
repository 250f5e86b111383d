"""A student is told what became of their "I was right" claims: the readings page says an
instructor decided some, and "My reports" lists the student's own claims with the outcome in
words, flagging the new ones until they have been shown once."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from markupsafe import escape

from .conftest import csrf_from, sign_in, sign_up
from .instructor_seed import build_app, sign_in_instructor
from .test_web_report_replies import answer as answer_report
from .test_web_report_replies import log_out, notice, report, store_of

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
NEW = '<strong class="small">New</strong>'
ONE_CLAIM = "Your instructor decided one of your “I was right” claims. See your reports"


@pytest.fixture
def app(app_config, make_bank):
    return build_app(app_config, make_bank)


@pytest.fixture
def instructor(app):
    """An instructor signed in on a client (a browser) of their own."""
    other = app.test_client()
    sign_in_instructor(app, other)
    return other


def feedback(client, card: str, typed: str, token: str) -> str:
    """Answer ``card`` in the review loop by typing ``typed``: the feedback page."""
    csrf = csrf_from(client.get("/").get_data(as_text=True))
    field = "blank" if "/met/" in card else "answer"
    data = {"csrf_token": csrf, "card": card, "token": token, field: typed}
    page = client.post("/review/answer", data=data, follow_redirects=True)
    assert page.status_code == 200
    return page.get_data(as_text=True)


def form_fields(page: str, marker: str) -> dict[str, str]:
    """The hidden fields of the feedback page's form that opens with ``marker``."""
    form = page[page.index(marker) :].split("</form>")[0]
    return {name: html.unescape(value) for name, value in HIDDEN.findall(form)}


def claim(client, card: str, typed: str, token: str) -> None:
    """Type an answer the grader marks wrong and press "I was right", as a student does."""
    page = feedback(client, card, typed, token)
    assert "Not quite" in page
    claimed = form_fields(page, '<form method="post" action="/review/rate" class="claim"')
    sent = client.post("/review/rate", data=claimed | {"rating": "3"})
    assert sent.status_code == 302


def decide(instructor, typed: str, verdict: str = "accept") -> None:
    """Accept or reject the open claims that typed ``typed``, on the instructor's claims page."""
    page = instructor.get("/instructor/claims").get_data(as_text=True)
    section = page[page.index(f"<q>{escape(typed)}</q>") :]
    fields = dict(re.findall(r'name="(bank|question|key)" value="([^"]*)"', section)[:3])
    done = instructor.post(
        f"/instructor/claims/{verdict}",
        data={k: html.unescape(v) for k, v in fields.items()} | {"csrf_token": csrf_from(page)},
    )
    assert done.status_code == 302


def claims_section(client) -> str:
    """The claims part of "My reports", as the student reads it (tags dropped)."""
    page = client.get("/reports").get_data(as_text=True)
    part = page[page.index("“I was right” claims</h2>") :]
    return " ".join(re.sub(r"<[^>]+>", " ", part).split())


def test_an_accepted_claim_is_announced_until_the_student_opens_my_reports(app, instructor, client):
    sign_up(client, "ann")
    claim(client, "sample/fell/1", "almost a fifth", "ann-token-1")
    assert notice(client) is None  # an open claim is no news
    waiting = client.get("/reports").get_data(as_text=True)
    assert "You typed <q>almost a fifth</q>" in waiting and ">waiting</span>" in waiting
    assert "Your instructor has not decided yet." in waiting and NEW not in waiting

    decide(instructor, "almost a fifth", "accept")
    assert notice(client) == ONE_CLAIM
    assert 'href="/reports">See your reports</a>' in client.get("/").get_data(as_text=True)

    # Another student sees neither ann's notice nor her claim, and reading their own page
    # marks none of hers seen.
    bob = app.test_client()
    sign_up(bob, "bob")
    assert notice(bob) is None
    bobs = bob.get("/reports").get_data(as_text=True)
    assert "almost a fifth" not in bobs and "You have not claimed any answer." in bobs
    assert notice(client) == ONE_CLAIM

    mine = client.get("/reports").get_data(as_text=True)
    assert mine.count(NEW) == 1
    assert ">accepted</span>" in mine
    assert "Your instructor accepted your answer: this question now takes it as right." in mine
    assert "Your review counted as right for your schedule (rated Good)." in mine
    assert "By how much did support for closer ties with China fall?" in mine
    assert notice(client) is None
    # Seen once: no longer flagged, and showing it again writes nothing.
    with store_of(client) as store:
        ann = store.user_by_name("ann").id
        (seen,) = [c.seen for c in store.claims_by(ann)]
        assert seen is not None and store.unseen_claim_decisions(ann) == 0
    assert NEW not in client.get("/reports").get_data(as_text=True)
    with store_of(client) as store:
        assert [c.seen for c in store.claims_by(ann)] == [seen]


def test_a_rejected_claim_is_not_accepted_and_the_review_still_counted_right(instructor, client):
    sign_up(client, "ann")
    claim(client, "sample/fell/1", "about 20", "ann-token-1")
    decide(instructor, "about 20", "reject")
    assert notice(client) == ONE_CLAIM
    text = claims_section(client)
    assert "You typed about 20 not accepted New" in text
    assert "Your instructor did not accept this answer for this question." in text
    assert "Your review still counted as right for your schedule (rated Good)." in text
    assert notice(client) is None


def test_deciding_a_claim_again_is_news_again(instructor, client, clock):
    sign_up(client, "ann")
    claim(client, "sample/fell/1", "almost a fifth", "ann-token-1")
    decide(instructor, "almost a fifth", "accept")
    client.get("/reports")
    assert notice(client) is None
    # The claims page offers only open claims; the store decides a decided one again.
    with store_of(client) as store:
        (mine,) = store.claims_by(store.user_by_name("ann").id)
        iris = store.user_by_name("iris").id
        store.resolve_claim(mine.id, "rejected", iris, mine.resolved + timedelta(minutes=5))
    assert notice(client) == ONE_CLAIM
    text = claims_section(client)
    assert "not accepted New" in text and "did not accept this answer" in text
    assert notice(client) is None


def test_the_notice_counts_report_answers_and_claim_decisions_together(instructor, client):
    sign_up(client, "ann")
    claim(client, "sample/fell/1", "about 20", "ann-token-1")
    claim(client, "sample/met/2", "Xiamen city", "ann-token-2")
    first = report(client, "year")
    decide(instructor, "about 20", "reject")
    assert notice(client) == ONE_CLAIM
    decide(instructor, "Xiamen city", "accept")
    assert notice(client) == (
        "Your instructor decided 2 of your “I was right” claims. See your reports"
    )
    answer_report(instructor, first, "resolved", "Fixed.")
    assert notice(client) == (
        "Your instructor answered one of your problem reports and decided 2 of your"
        " “I was right” claims. See your reports"
    )
    mine = client.get("/reports").get_data(as_text=True)
    assert mine.count(NEW) == 3
    # Newest first: the cloze claim, its answer now taken on the card it was typed on.
    assert mine.index("<q>Xiamen city</q>") < mine.index("<q>about 20</q>")
    assert "this question now takes it as right" in mine
    assert notice(client) is None


def test_a_claim_sent_after_rating_again_says_the_review_counted_wrong(instructor, client):
    """The Back button: the card was rated Again, then "I was right" was pressed on the same
    feedback. The claim reaches the instructor, but the rating that moved the schedule stays."""
    sign_up(client, "ann")
    page = feedback(client, "sample/fell/1", "about 20", "ann-token-1")
    rate = form_fields(page, '<form method="post" action="/review/rate" id="rate-form"')
    assert client.post("/review/rate", data=rate | {"rating": "1"}).status_code == 302
    claimed = form_fields(page, '<form method="post" action="/review/rate" class="claim"')
    assert client.post("/review/rate", data=claimed | {"rating": "3"}).status_code == 302
    decide(instructor, "about 20", "accept")
    text = claims_section(client)
    assert "accepted New" in text
    assert (
        "Your review counted as wrong for your schedule (rated Again); a decision on the claim"
        " does not change a past review." in text
    )
    assert "counted as right" not in text


def test_a_claim_is_escaped_on_my_reports(instructor, client):
    sign_up(client, "ann")
    claim(client, "sample/fell/1", '<script>alert("x")</script>', "ann-token-1")
    decide(instructor, '<script>alert("x")</script>', "reject")
    mine = client.get("/reports").get_data(as_text=True)
    assert "<script>alert" not in mine
    assert "<q>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</q>" in mine


def test_signing_in_again_shows_only_ones_own_decisions(app, instructor, client):
    sign_up(client, "ann")
    claim(client, "sample/fell/1", "about 20", "ann-token-1")
    log_out(client)
    sign_up(client, "bob")
    claim(client, "sample/fell/1", "almost a fifth", "bob-token-1")
    decide(instructor, "almost a fifth", "accept")
    log_out(client)
    assert sign_in(client, "ann").status_code == 302
    assert notice(client) is None
    text = claims_section(client)
    assert "about 20" in text and "almost a fifth" not in text and "New" not in text
    with store_of(client) as store:
        bob = store.user_by_name("bob").id
        ann = store.user_by_name("ann").id
        assert store.unseen_claim_decisions(bob) == 1
        # Ann's id cannot mark bob's claim seen.
        assert (
            store.mark_claims_seen(ann, store.claims_by(bob), store.claims_by(bob)[0].resolved) == 0
        )
        assert store.unseen_claim_decisions(bob) == 1
