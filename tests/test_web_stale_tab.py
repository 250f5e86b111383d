"""A card left open in a second tab: its answer, sent after the card was rated in the first,
is refused before any feedback, while retries of one showing and new showings of the card
(a learning step, an edited question) are answered as usual."""

from __future__ import annotations

import pytest

from studyapp import create_app
from studyapp.cards import CardKey

from .conftest import sign_up
from .test_web_study import front, log_rows

BANK = """\
- id: fell
  type: answer
  prompt: By how much did support for closer ties with China fall?
  answer: 19 percent
  quote: Support for closer ties with China fell by 19 percent.
- id: met
  type: answer
  prompt: Whom did Chung Eui-yong meet in Xiamen?
  answer: Wang Yi
  quote: Chung Eui-yong met Wang Yi in Xiamen.
"""
FELL = CardKey("sample", "fell", 1)
MET = CardKey("sample", "met", 1)
RIGHT = {FELL: "19 percent", MET: "Wang Yi"}
REFUSED = "You already answered this card in another tab or window"


@pytest.fixture
def two_cards(app_config, make_bank, tmp_path):
    make_bank(BANK)
    return create_app(app_config | {"QUESTIONS": str(tmp_path / "questions")})


@pytest.fixture
def ann(two_cards):
    client = two_cards.test_client()
    sign_up(client, "ann")
    return client


def fields(f: dict, answer: str) -> dict:
    return {k: f[k] for k in ("csrf_token", "card", "token", "shown_at", "seen")} | {
        "answer": answer
    }


def answer_and_rate(client, f: dict, answer: str, rating: str) -> None:
    """Answer a front through the feedback page and rate it, as a student does."""
    sent = client.post("/review/answer", data=fields(f, answer))
    assert sent.status_code == 303
    feedback = client.get("/review").text
    assert 'id="verdict"' in feedback and REFUSED not in feedback
    assert (
        client.post("/review/rate", data=fields(f, answer) | {"rating": rating}).status_code == 302
    )


def state(app, key: CardKey):
    with app.extensions["studyapp"].open_store() as store:
        return store.card_state(store.user_by_name("ann").id, key)


def test_a_stale_tabs_answer_is_refused_up_front_and_the_next_card_shown(two_cards, ann):
    """The first answer of a new card, open in two tabs: the tab rated first records it; the
    other's answer gets no feedback, only the reason and the next card, and records nothing."""
    tab_1, tab_2 = front(ann), front(ann)
    assert tab_1["card"] == tab_2["card"] == str(FELL) and tab_1["seen"] == tab_2["seen"] == "0"
    answer_and_rate(ann, tab_1, "19 percent", "3")
    after_rating = state(two_cards, FELL)
    refused = ann.post("/review/answer", data=fields(tab_2, "19 percent"))
    assert refused.status_code == 302 and refused.headers["Location"] == "/review"
    page = ann.get("/review").text
    assert REFUSED in page and 'id="verdict"' not in page
    assert 'data-page="front"' in page and f'value="{MET}"' in page
    as_json = ann.post(
        "/review/answer",
        data=fields(tab_2, "19 percent"),
        headers={"Accept": "application/json"},
    )
    assert as_json.status_code == 409 and as_json.json["recorded"] is False
    assert state(two_cards, FELL) == after_rating
    assert [r[0] for r in log_rows(two_cards)] == [tab_1["token"]]
    with ann.session_transaction() as session:
        assert "pending_review" not in session


def test_a_learning_step_shown_again_is_answered_but_its_first_showing_is_stale(two_cards, ann):
    """Missed, the card comes back minutes later in the same session as a new showing (one
    review seen): that showing is answered and rated as usual; the first one, still open in
    another tab, is refused."""
    first, other_tab = front(ann), front(ann)
    assert first["card"] == other_tab["card"] == str(FELL)
    answer_and_rate(ann, first, "zzzz", "1")
    met = front(ann)
    assert met["card"] == str(MET)
    answer_and_rate(ann, met, "Wang Yi", "3")
    again = front(ann)  # the learning step, due in a minute, shown ahead of time
    assert again["card"] == str(FELL) and again["seen"] == "1" and again["token"] != first["token"]
    answer_and_rate(ann, again, "19 percent", "3")
    assert state(two_cards, FELL).reps == 2
    refused = ann.post("/review/answer", data=fields(other_tab, "19 percent"))
    assert refused.status_code == 302 and REFUSED in ann.get("/review").text
    assert [r[0] for r in log_rows(two_cards)] == [first["token"], met["token"], again["token"]]


def test_one_showing_sent_twice_is_never_called_stale(two_cards, ann):
    """A double click on Check, a double click on Good, then the same answer sent again from
    the cached front after its rating (Back): the showing's token is in the log, so it is a
    retry, shown its feedback and recorded once, not another tab's answer."""
    f = front(ann)
    for _ in range(2):
        assert ann.post("/review/answer", data=fields(f, "19 percent")).status_code == 303
    assert 'id="verdict"' in ann.get("/review").text
    for _ in range(2):
        rated = ann.post("/review/rate", data=fields(f, "19 percent") | {"rating": "3"})
        assert rated.status_code == 302
    resent = ann.post("/review/answer", data=fields(f, "19 percent"))
    assert resent.status_code == 200
    assert 'id="verdict"' in resent.text and REFUSED not in resent.text
    rated = ann.post("/review/rate", data=fields(f, "19 percent") | {"rating": "3"})
    assert rated.status_code == 302 and REFUSED not in ann.get(rated.headers["Location"]).text
    assert [r[0] for r in log_rows(two_cards)] == [f["token"]]
    assert state(two_cards, FELL).reps == 1


def test_an_instructor_edit_while_the_card_is_on_screen_does_not_make_it_stale(
    two_cards, ann, make_bank
):
    f = front(ann)
    make_bank(BANK.replace("By how much did", "By how many points did"))
    two_cards.extensions["studyapp"].registry.refresh(force=True)
    answer_and_rate(ann, f, "19 percent", "3")
    assert [r[0] for r in log_rows(two_cards)] == [f["token"]]
