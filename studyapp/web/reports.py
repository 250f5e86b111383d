"""Problem reports, the student's side: report a question from the feedback after any answer,
and see one's own reports with what the instructor answered, and one's own "I was right" claims
with what the instructor decided.

The report form sits on the feedback page, before the card is rated. With JavaScript it is sent
in the background (``static/js/report.js``) and the student rates the card as usual; without it,
the form posts here and the student lands on "My reports", where a link leads back to the card
(nothing was recorded for it yet, so it is shown again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import (
    Blueprint,
    Flask,
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

from ..database import UnknownQuestion
from ..feedback import REPORT_CATEGORIES, Claim, ClaimedReview
from ..grading import grade_cloze, grade_typed
from ..item_analysis import OPTION_SEPARATOR
from ..model import Bank, Question
from ..scheduler import Rating
from .db import get_store

bp = Blueprint("reports", __name__)
MAX_COMMENT = 1000
CATEGORY_LABELS = {
    "wrong-answer": "The answer key is wrong",
    "unclear": "The question is unclear",
    "typo": "There is a typo",
    "quote": "The quoted passage does not fit",
    "other": "Something else",
}
CLAIM_LABELS = {"open": "waiting", "accepted": "accepted", "rejected": "not accepted"}


@dataclass(frozen=True)
class ClaimRow:
    """One of the student's claims as "My reports" shows it."""

    claim: Claim
    bank: Bank | None
    question: Question | None  # None: no longer in the course
    outcome: str  # the decision, in a sentence
    schedule: str  # what the claimed review did to the schedule ("" for a practice answer)

    @property
    def new(self) -> bool:
        return self.claim.status != "open" and self.claim.seen is None


@bp.route("/reports", methods=["POST"])
@login_required
def create():
    bank_id = request.form.get("bank", "")
    question_id = request.form.get("question", "")
    category = request.form.get("category", "")
    comment = request.form.get("comment", "")
    if category not in REPORT_CATEGORIES:
        abort(400, "Pick what is wrong with the question.")
    if len(comment) > MAX_COMMENT:
        abort(400, f"Keep the comment under {MAX_COMMENT} characters.")
    bank = current_app.extensions["studyapp"].registry.refresh().bank(bank_id)
    if bank is None or bank.question(question_id) is None:
        abort(404, "There is no such question.")
    try:
        get_store().report_problem(
            current_user.id, bank_id, question_id, category, comment, datetime.now(UTC)
        )
    except UnknownQuestion:
        abort(404, "There is no such question.")
    message = "Thank you: your report was sent to your instructor."
    if request.accept_mimetypes.best == "application/json":
        return jsonify(sent=True, message=message)
    if request.form.get("context") != "practice":  # from a card's feedback, not a test's result
        message += " The card is still waiting for your answer."
    flash(message, "success")
    return redirect(url_for("reports.mine"))


@bp.route("/reports")
@login_required
def mine():
    """The signed-in student's own reports and claims, each newest first; nobody else's.

    Showing them marks their outcomes seen, which ends the notice on the readings page; the
    answers and decisions that were new are flagged on this one showing.
    """
    snap = current_app.extensions["studyapp"].registry.refresh()
    store = get_store()
    now = datetime.now(UTC)
    reports = store.reports_by(current_user.id)
    claims = store.claims_by(current_user.id)
    reviews = store.claimed_reviews(current_user.id)
    store.mark_reports_seen(current_user.id, reports, now)
    store.mark_claims_seen(current_user.id, claims, now)
    rows = []
    for r in reports:
        bank = snap.bank(r.bank_id)
        question = bank.question(r.question_id) if bank else None
        rows.append((r, bank, question))
    claim_rows = []
    for c in claims:
        bank = snap.bank(c.bank_id)
        question = bank.question(c.question_id) if bank else None
        review = reviews.get(c.id)
        outcome = claim_outcome(c, question, review)
        claim_rows.append(ClaimRow(c, bank, question, outcome, claim_schedule(c, review)))
    return render_template(
        "reports/mine.html",
        rows=rows,
        labels=CATEGORY_LABELS,
        claim_rows=claim_rows,
        claim_labels=CLAIM_LABELS,
    )


def claim_outcome(claim: Claim, question: Question | None, review: ClaimedReview | None) -> str:
    """The instructor's decision in words. An accepted answer is said to be taken from now on
    only when the question in service grades it right: accepting does not always edit the bank
    (a cloze form typed on several cards is left to the instructor to add by hand)."""
    if claim.status == "open":
        return "Your instructor has not decided yet."
    if claim.status == "rejected":
        return "Your instructor did not accept this answer for this question."
    if question is not None and _takes(question, claim.answer, review):
        return "Your instructor accepted your answer: this question now takes it as right."
    return "Your instructor accepted your answer as right."


def _takes(question: Question, answer: str, review: ClaimedReview | None) -> bool:
    """Whether ``question`` as it is now grades ``answer`` (as the claim stored it) right."""
    if question.type == "answer":
        return grade_typed(question.answer, question.accept, answer).correct
    if question.type == "cloze" and review and review.number in question.card_numbers:
        # The grader joins a cloze card's blanks as they were typed, one part per blank.
        return grade_cloze(question, review.number, answer.split(OPTION_SEPARATOR)).correct
    return False


def claim_schedule(claim: Claim, review: ClaimedReview | None) -> str:
    """What the claimed review did to the student's schedule. A claim made on the rating
    screen counts the answer right, with the student's rating, when it is made; a decision
    changes no past review (the log is append-only). A claim sent after the card was rated
    Again (the Back button) leaves that rating."""
    if review is None or review.source != "review":
        return ""
    name = Rating(review.rating).name
    if review.rating == Rating.Again:
        return (
            f"Your review counted as wrong for your schedule (rated {name});"
            " a decision on the claim does not change a past review."
        )
    still = " still" if claim.status == "rejected" else ""
    return f"Your review{still} counted as right for your schedule (rated {name})."


def init_app(app: Flask) -> None:
    app.extensions["studyapp"].nav.append(
        {"label": "My reports", "endpoint": "reports.mine", "prefix": "reports."}
    )
    app.jinja_env.globals["report_categories"] = CATEGORY_LABELS
