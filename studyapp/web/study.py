"""Studying: the readings page and the review loop (front, feedback, rating).

The loop works without JavaScript: the front posts the answer, the server grades it, keeps it
and redirects to /review, which shows the feedback with the rating buttons; the rating posts the
review, which is recorded in one transaction before the redirect to the next card. Nothing is
stored until that rating: like Anki, a review is acknowledged when it is rated. The answer
travels through the feedback form and is graded again on the server, so a forged "right"
changes nothing. Each front carries a one-time token, so a double click or a retried request
records the review once.

Each front also carries the card's count of reviews when it was shown (``seen``). An answer
from a front left open in another tab, whose card was rated since (the count moved on and the
token is not in the log: ``AnswersMixin.check_showing``), is refused before its feedback, with
a word to the student and the next card: its rating could never be recorded.

Because nothing is stored before the rating, the graded answer waiting for its rating is kept
in the session (a signed cookie, so only the answer's fields, not the page: see ``pending``).
The answer post follows Post/Redirect/Get through it: the feedback lives at /review, so the
Back button from the reading, or a reload, shows the same feedback again instead of asking to
send the form again or showing the card anew.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException

from ..cards import CardKey
from ..database import CardChanged, CardNotDue, CardRetired, Conflict, NotFound
from ..grading import Grade
from ..model import Bank, Question
from ..scheduler import Rating, describe_interval
from ..stats import CardCounts
from ..store import LEARN_AHEAD
from . import pending as pending_answers
from .db import get_store
from .inputs import small_int
from .options import shown_options
from .passages import passage_in_sentences
from .review_forms import (
    answer_duration_ms,
    cloze_parts,
    form_key,
    form_token,
    grade_form,
    picked_options,
    posted_answers,
    typed_something,
)

bp = Blueprint("study", __name__)
RATING_NAMES = {
    Rating.Again: "Again",
    Rating.Hard: "Hard",
    Rating.Good: "Good",
    Rating.Easy: "Easy",
}
CLAIM_COUNTED = "Counted as right. Your answer goes to the instructors to check."


@dataclass(frozen=True)
class Counts:
    """What the progress bars show for one reading."""

    new: int
    learning: int
    due: int
    known: int
    total: int
    new_today: int = 0  # new cards this reading, studied on its own, may still start today


def now_utc() -> datetime:
    return datetime.now(UTC)


def snapshot():
    return current_app.extensions["studyapp"].registry.refresh()


def _queue_args() -> dict:
    cfg = current_app.config
    return {
        "new_per_day": int(cfg["NEW_CARDS_PER_DAY"]),
        "day_starts_at_hour": int(cfg["DAY_STARTS_AT_HOUR"]),
        "tz": current_user.user.timezone,
    }


def _bank_filter() -> list[str]:
    """The banks asked for, or every reading students see, in course order (never a bank that
    failed, was removed or holds only drafts): new cards come in this order."""
    banks = {b.id: b for b in snapshot().for_students}
    wanted = [b for b in request.values.getlist("bank") if b]
    if not wanted:
        return list(banks)
    unknown = [b for b in wanted if b not in banks]
    if unknown:
        abort(404, "There is no such reading.")
    return wanted


def _requested() -> list[str]:
    """The banks the student chose to study, carried through the review forms."""
    return [b for b in request.values.getlist("bank") if b]


def _live(key: CardKey) -> tuple[Bank, Question] | None:
    """The card's bank and question while the card is in the course, else None."""
    bank = snapshot().bank(key.bank_id)
    question = bank.question(key.question_id) if bank else None
    if bank is None or question is None or question.draft:
        return None
    if key.number not in question.card_numbers:
        return None
    return bank, question


def _find(key: CardKey) -> tuple[Bank, Question]:
    found = _live(key)
    if found is None:
        abort(404, "This card is no longer in the course.")
    return found


@bp.route("/healthz")
def healthz():
    """A bare route for load balancers and the web benchmark's baseline."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/")
@login_required
def home():
    store = get_store()
    now = now_utc()
    banks = snapshot().for_students
    counts = store.card_counts(current_user.id, bank_ids=[b.id for b in banks])
    progress = {}
    for bank in banks:
        c = counts.get(bank.id) or CardCounts()
        due = store.queue_counts(current_user.id, now, bank_ids=[bank.id], **_queue_args())
        # Segments partition the cards: due ones are taken out of learning and known.
        progress[bank.id] = Counts(
            new=c.new,
            learning=max(0, c.learning - due.learning),
            due=due.due,
            known=max(0, c.young + c.mature - due.review),
            total=c.total,
            new_today=due.new,
        )
    queue = store.queue_counts(current_user.id, now, bank_ids=list(progress), **_queue_args())
    return render_template(
        "study/home.html",
        banks=banks,
        progress=progress,
        queue=queue,
        report_answers=store.unseen_report_answers(current_user.id),
        claim_decisions=store.unseen_claim_decisions(current_user.id),
    )


@bp.route("/review")
@login_required
def review():
    store = get_store()
    now = now_utc()
    bank_ids = _bank_filter()
    resumed = _resume_pending(bank_ids, now)
    if resumed is not None:
        return resumed
    ref = store.next_card(current_user.id, now, bank_ids=bank_ids, **_queue_args())
    queue = store.queue_counts(current_user.id, now, bank_ids=bank_ids, **_queue_args())
    if ref is None:
        # The end screen tells the day's answers of every reading (and practice tests): it has
        # no bar to match, unlike the session bar below.
        done = store.reviews_today(current_user.id, now, **_day_args())
        # Cards never seen, beyond today's limit: the end screen says they come tomorrow.
        waiting = store.queue_counts(
            current_user.id, now, bank_ids=bank_ids, **(_queue_args() | {"new_per_day": 10**6})
        ).new
        # Studied together, the readings share one limit; each studied alone has its own.
        startable = [
            snapshot().banks[b]
            for b in (bank_ids if waiting and len(bank_ids) > 1 else ())
            if store.queue_counts(current_user.id, now, bank_ids=[b], **_queue_args()).new
        ]
        return render_template(
            "study/done.html",
            queue=queue,
            done=done,
            waiting=waiting,
            startable=startable,
            new_per_day=int(current_app.config["NEW_CARDS_PER_DAY"]),
            day_starts=int(current_app.config["DAY_STARTS_AT_HOUR"]),
            bank_ids=_requested(),
        )
    bank, question = _find(ref.key)
    token = secrets.token_urlsafe(16)
    # "done" beside "left today" counts the same readings, so the bar adds up.
    done = store.reviews_done_today(current_user.id, now, bank_ids=bank_ids, **_day_args())
    return render_template(
        "study/review.html",
        bank=bank,
        question=question,
        key=ref.key,
        kind=ref.kind,
        token=token,
        seen=ref.reps,
        shown_at=int(now.timestamp() * 1000),
        options=shown_options(question, token),
        blanks=cloze_parts(question, ref.key.number),
        queue=queue,
        done=done,
        bank_ids=_requested(),
    )


def _day_args() -> dict:
    args = _queue_args()
    return {"day_starts_at_hour": args["day_starts_at_hour"], "tz": args["tz"]}


@bp.route("/review/answer", methods=["POST"])
@login_required
def answer():
    """Grade the answer, keep it for its rating and redirect to /review, which shows the
    feedback (303: the browser fetches it with GET)."""
    key = form_key()
    token = form_token()
    bank, question = _find(key)
    now = now_utc()
    try:
        recorded = get_store().check_showing(
            current_user.id,
            key,
            token=token,
            seen_reps=small_int(request.form.get("seen"), limit=10**6),
            due_by=now + LEARN_AHEAD,
        )
    except (CardRetired, NotFound):
        abort(404, "This card is no longer in the course.")
    except (CardChanged, CardNotDue) as exc:
        pending_answers.forget(token)
        return _not_recorded(exc, "answer")
    # Graded here as well as on /review: a bad field is refused with the form's own 400.
    grade = grade_form(question, key.number, request.form, token)
    known = snapshot().banks
    pending = pending_answers.Pending(
        key=key,
        token=token,
        answers=posted_answers(request.form),
        # Only digits are used from these two: the cap keeps a forged value out of the cookie.
        shown_at=request.form.get("shown_at", "")[:20],
        seen=request.form.get("seen", "")[:20],
        bank_ids=[b for b in request.form.getlist("bank") if b in known],
    )
    kept = recorded is None and pending_answers.remember(pending, now)
    if kept:
        return redirect(url_for("study.review", bank=pending.bank_ids), code=303)
    # /review could not show it: the answer is too long for the session cookie, or this
    # showing was rated already (the form sent again), so /review would drop it. This response
    # is then the feedback, and its rating records nothing new.
    return _feedback_page(bank, question, grade, pending, now)


def _feedback_page(
    bank: Bank, question: Question, grade: Grade | None, p: pending_answers.Pending, now: datetime
) -> str:
    """The verdict, the answer, the passage and the rating buttons for a graded answer."""
    try:
        previews = get_store().preview(current_user.id, p.key, now)
    except NotFound:
        abort(404, "This card is no longer in the course.")
    fields = p.fields
    correct = None if grade is None else grade.correct
    claimable = (
        question.type in ("cloze", "answer") and correct is False and typed_something(fields)
    )
    return render_template(
        "study/feedback.html",
        bank=bank,
        question=question,
        key=p.key,
        token=p.token,
        grade=grade,
        correct=correct,
        ratings=_ratings(correct, previews),
        claim_ratings=_ratings(True, previews) if claimable else [],
        # The quote's own sentences: its paragraph may hold the answers to the next cards.
        excerpt=passage_in_sentences(bank.document, question.quote),
        # In the order the front showed them, so "the second one" is the same option.
        options=shown_options(question, p.token),
        picked=set(picked_options(question, p.token, fields)),
        blanks=cloze_parts(question, p.key.number),
        shown_at=p.shown_at,
        seen=p.seen,
        bank_ids=p.bank_ids,
        answers_posted=p.answers,
    )


def _resume_pending(bank_ids: list[str], now: datetime) -> str | None:
    """The feedback page of the answer graded but not rated yet, graded again from its fields,
    or None to show the next card.

    The pending answer is dropped when it is over an hour old, its card left the course, or the
    card was answered since (its token is in the log, or another tab rated the showing). An
    answer to a card outside the readings asked for now is kept for a later /review.
    """
    found = pending_answers.load()
    if found is None:
        return None
    p, at = found
    if p.key.bank_id not in bank_ids:
        return None
    live = _live(p.key)
    if not 0 <= now.timestamp() - at <= pending_answers.MAX_AGE.total_seconds() or live is None:
        pending_answers.drop()
        return None
    bank, question = live
    if pending_answers.settled(get_store(), current_user.id, p):
        pending_answers.drop()
        return None
    try:
        # The bank may have changed since (an option removed): such an answer is not resumed.
        grade = grade_form(question, p.key.number, p.fields, p.token)
    except HTTPException:
        pending_answers.drop()
        return None
    return _feedback_page(bank, question, grade, p, now)


def _ratings(correct: bool | None, previews: dict) -> list[dict]:
    if correct is None:
        allowed = list(Rating)
    elif correct:
        allowed = [Rating.Hard, Rating.Good, Rating.Easy]
    else:
        allowed = [Rating.Again]
    default = Rating.Again if correct is False else Rating.Good
    return [
        {
            "value": int(r),
            "name": RATING_NAMES[r],
            "when": describe_interval(previews[r]),
            "default": r == default,
            "key": int(r),
        }
        for r in allowed
    ]


@bp.route("/review/rate", methods=["POST"])
@login_required
def rate():
    key = form_key()
    token = form_token()
    bank, question = _find(key)
    # The answer as it was checked, not the feedback form's copy of it: a student who saw the
    # right answer could otherwise edit the hidden field and rate that instead.
    kept = pending_answers.answers_for(token, key)
    fields = request.form if kept is None else kept
    grade = grade_form(question, key.number, fields, token)
    claimed = request.form.get("claim") == "1"
    rating = small_int(request.form.get("rating"), limit=5)
    if rating is None or rating < 1:
        abort(400, "Pick a rating: Again, Hard, Good or Easy.")
    correct = None if grade is None else grade.correct
    if claimed:
        if question.type not in ("cloze", "answer") or correct is not False:
            abort(400, "Only a typed answer marked wrong can be claimed right.")
        if not typed_something(fields):
            abort(400, "Type an answer before saying it was right.")
        correct = True
    if correct is False and rating != Rating.Again:
        abort(400, "A wrong answer is rated Again.")
    if correct is True and rating == Rating.Again:
        abort(400, "A right answer is rated Hard, Good or Easy.")
    now = now_utc()
    store = get_store()
    given = grade.given if grade else ""
    try:
        result = store.record_answer(
            current_user.id,
            key,
            token=token,
            answer=given,
            correct=correct,
            rating=rating,
            duration_ms=answer_duration_ms(request.form.get("shown_at"), now),
            now=now,
            claim=claimed,
            seen_reps=small_int(request.form.get("seen"), limit=10**6),
            due_by=now + LEARN_AHEAD,
        )
    except CardRetired:
        pending_answers.forget(token)
        abort(404, "This card is no longer in the course.")
    except (CardChanged, CardNotDue) as exc:
        pending_answers.forget(token)
        return _not_recorded(exc, "rating")
    pending_answers.forget(token)
    if result.duplicate and (result.rating != rating or claimed):
        _explain_duplicate(result.review_id, result.rating, claimed, now)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(
            recorded=True,
            duplicate=result.duplicate,
            due=result.due.isoformat() if result.due else None,
        )
    if claimed and not result.duplicate:
        flash(CLAIM_COUNTED, "info")
    return redirect(url_for("study.review", bank=_requested()))


def _not_recorded(exc: CardChanged | CardNotDue, what: str):
    """An answer or a rating (``what``) for a showing whose card was answered since (another
    tab) or is not due: nothing is recorded, and the student is told why before the next card."""
    if isinstance(exc, CardNotDue):
        message = (
            f"This card is not due yet (next {when_filter(exc.due)}), so nothing was recorded."
        )
    elif what == "answer":
        message = (
            "You already answered this card in another tab or window,"
            " so this answer was not recorded."
        )
    else:
        message = (
            "This card was already answered in another tab or window since this page was shown,"
            " so this rating was not recorded."
        )
    if request.accept_mimetypes.best == "application/json":
        return jsonify(recorded=False, message=message), 409
    flash(message, "info")
    return redirect(url_for("study.review", bank=_requested()))


def _explain_duplicate(review_id: int, rated: Rating, claimed: bool, now: datetime) -> None:
    """A form sent again (the Back button) with another choice: the first rating stands. A claim
    made this way still reaches the instructors, who may accept the answer for everyone."""
    stands = f"You had already rated this card {RATING_NAMES[rated]}; that rating stands."
    if claimed:
        try:
            get_store().record_claim(current_user.id, now, review_id=review_id)
        except (NotFound, Conflict):
            flash(stands, "info")
            return
        flash(f"{stands} Your claim that the answer was right was sent to your instructor.", "info")
        return
    flash(stands, "info")


@bp.app_template_filter("interval")
def interval_filter(delta: timedelta) -> str:
    return describe_interval(delta)


@bp.app_template_filter("when")
def when_filter(moment: datetime | None) -> str:
    """How long from now until ``moment``, in words for a sentence ("in 8 days")."""
    if moment is None:
        return "no cards scheduled"
    seconds = (moment - now_utc()).total_seconds()
    if seconds <= 0:
        return "now"
    if seconds < 60:
        return "in less than a minute"
    for unit, size in (
        ("year", 365 * 86400),
        ("month", 30 * 86400),
        ("day", 86400),
        ("hour", 3600),
    ):
        if seconds >= size:
            n = round(seconds / size)
            return f"in {n} {unit}{'' if n == 1 else 's'}"
    n = round(seconds / 60)
    return f"in {n} minute{'' if n == 1 else 's'}"
