"""The readings page: each reading's button leads somewhere that has something to show."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime

from werkzeug.security import generate_password_hash

from studyapp import create_app
from studyapp.config import packaged_questions
from studyapp.scheduler import Rating

from .conftest import SAMPLE_DOCUMENT, sign_in, sign_up


def start_one_new_card(app, bank_id: str | None = None) -> str:
    """Answer the first new card (of one reading, or of all) as the signed-in student "ann"
    would, rated Easy so that it is not due again today; return its bank id."""
    with app.extensions["studyapp"].open_store() as store:
        user = store.user_by_name("ann")
        now = datetime.now(UTC)
        ref = store.next_card(
            user.id,
            now,
            bank_ids=[bank_id] if bank_id else None,
            new_per_day=1,
            day_starts_at_hour=4,
            tz="UTC",
        )
        store.record_answer(
            user.id,
            ref.key,
            token=f"first-new-card-{ref.key}",
            answer="",
            correct=None,
            rating=Rating.Easy,
            duration_ms=None,
            now=now,
        )
        return ref.key.bank_id


def reading_buttons(html: str) -> dict[str, str]:
    """Each reading's main button: the bank id it names (review) or the practice link."""
    buttons = {}
    for item in re.findall(r'<li class="panel reading">(.*?)</li>', html, re.S):
        bank = re.search(r'href="/reading/([^"]+)"', item).group(1)
        button = re.search(r'<a class="button" href="([^"]+)"', item).group(1)
        buttons[bank] = button
    return buttons


def test_every_reading_offers_review_while_new_cards_are_left(app, as_student):
    app.config["NEW_CARDS_PER_DAY"] = 20
    html = as_student.get("/").get_data(as_text=True)
    buttons = reading_buttons(html)
    assert len(buttons) == 5
    assert all(href == f"/review?bank={bank}" for bank, href in buttons.items())
    assert 'id="new-limit"' not in html


def test_a_reading_with_nothing_to_show_today_offers_a_practice_test(app, as_student):
    app.config["NEW_CARDS_PER_DAY"] = 1
    started = start_one_new_card(app)
    html = as_student.get("/").get_data(as_text=True)
    buttons = reading_buttons(html)
    # Its one new card for today is used and nothing is due: no dead-end Review.
    assert buttons[started] == f"/practice/?bank={started}"
    # The others keep their own limit, as Anki's decks do: each can start one new card today.
    others = {bank: href for bank, href in buttons.items() if bank != started}
    assert len(others) == 4
    assert all(href == f"/review?bank={bank}" for bank, href in others.items())
    assert "for all readings together are started (1 a day)" in html
    assert "has 1 a day of its own" in html
    # The practice link preselects that reading.
    page = as_student.get(buttons[started]).get_data(as_text=True)
    assert re.search(rf'value="{started}"[^>]*checked|checked[^>]*value="{started}"', page)
    for other in others:
        assert not re.search(rf'value="{other}"[^>]*checked|checked[^>]*value="{other}"', page)
    # Every button leads to a page with something on it, never to "All done for now".
    for href in buttons.values():
        assert "All done for now" not in as_student.get(href).get_data(as_text=True)

    for bank in others:
        start_one_new_card(app, bank)
    html = as_student.get("/").get_data(as_text=True)
    assert all(href.startswith("/practice/") for href in reading_buttons(html).values())
    assert "Today's new cards are all started (1 a day" in html and "at 04:00" in html


def test_a_new_reading_can_be_started_after_the_days_new_cards_of_the_others(app, as_student):
    """Twenty new cards studied through "all readings" used to close every reading for the day:
    a student could not start next week's reading. Opened on its own, a reading now has its
    own limit (the all-readings queue keeps its own)."""
    app.config["NEW_CARDS_PER_DAY"] = 1
    first = start_one_new_card(app)
    done = as_student.get("/review").get_data(as_text=True)
    assert "All done for now" in done
    # The end screen names the readings that can still start new cards on their own.
    startable = re.findall(r'<li><a href="/review\?bank=([^"]+)">', done)
    assert len(startable) == 4 and first not in startable
    other = next(
        b for b in reading_buttons(as_student.get("/").get_data(as_text=True)) if b != first
    )
    page = as_student.get(f"/review?bank={other}").get_data(as_text=True)
    assert 'id="review-form"' in page and "· new" in page


def test_a_reading_of_drafts_alone_stays_with_the_instructors(app_config, make_bank, tmp_path):
    """A bank fresh from ``studyapp derive`` holds drafts only: students find it nowhere (not
    on the readings page, statistics, practice tests or its reading), instructors still can."""
    folder = tmp_path / "questions"
    shutil.copytree(packaged_questions(), folder)
    make_bank(
        """\
        - id: drafted
          type: answer
          draft: true
          prompt: When did the brief appear?
          answer: 2021
          quote: The brief appeared in 2021.
        """,
        name="drafts-only",
        document=SAMPLE_DOCUMENT + "\nThe brief appeared in 2021.\n",
    )
    app = create_app(app_config | {"QUESTIONS": str(folder)})
    assert "drafts-only" in app.extensions["studyapp"].registry.refresh().banks
    student = app.test_client()
    sign_up(student, "ann")
    for page in ("/", "/progress", "/practice/"):
        html = student.get(page).get_data(as_text=True)
        assert "drafts-only" not in html, page
        assert "three-anti-sentiments" in html, page  # the shipped readings are there
    assert student.get("/review?bank=drafts-only").status_code == 404
    assert student.get("/reading/drafts-only").status_code == 404
    assert student.get("/review?bank=three-anti-sentiments").status_code == 200
    with app.extensions["studyapp"].open_store() as store:
        store.create_user("iris", generate_password_hash("correct horse"), "instructor")
    instructor = app.test_client()
    assert sign_in(instructor, "iris").status_code == 302
    reading = instructor.get("/reading/drafts-only").get_data(as_text=True)
    # No way into a review the instructor would find empty (a 404): the page says why instead.
    assert "Review this reading" not in reading and "/review?bank=drafts-only" not in reading
    assert "Students do not see this reading yet: its questions are all drafts." in reading
    assert 'href="/instructor/items/drafts-only">item analysis</a>' in reading
    table = instructor.get("/instructor/items/drafts-only").get_data(as_text=True)
    assert 'Its drafts are <a href="#drafts">listed below</a>.' in table
    assert '<a href="/instructor/items/drafts-only/drafted">drafted</a> (answer)' in table
