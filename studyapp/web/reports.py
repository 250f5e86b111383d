"""Problem reports, the student's side: report a question from the feedback after any answer,
and see one's own reports with what the instructor answered.

The report form sits on the feedback page, before the card is rated. With JavaScript it is sent
in the background (``static/js/report.js``) and the student rates the card as usual; without it,
the form posts here and the student lands on "My reports", where a link leads back to the card
(nothing was recorded for it yet, so it is shown again).
"""

from __future__ import annotations

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
from ..feedback import REPORT_CATEGORIES
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
    flash(message + " The card is still waiting for your answer.", "success")
    return redirect(url_for("reports.mine"))


@bp.route("/reports")
@login_required
def mine():
    """The signed-in student's own reports, newest first; nobody else's.

    Showing them marks their outcomes seen, which ends the notice on the readings page; the
    answers that were new are flagged on this one showing.
    """
    snap = current_app.extensions["studyapp"].registry.refresh()
    store = get_store()
    reports = store.reports_by(current_user.id)
    store.mark_reports_seen(current_user.id, reports, datetime.now(UTC))
    rows = []
    for r in reports:
        bank = snap.bank(r.bank_id)
        question = bank.question(r.question_id) if bank else None
        rows.append((r, bank, question))
    return render_template("reports/mine.html", rows=rows, labels=CATEGORY_LABELS)


def init_app(app: Flask) -> None:
    app.extensions["studyapp"].nav.append(
        {"label": "My reports", "endpoint": "reports.mine", "prefix": "reports."}
    )
    app.jinja_env.globals["report_categories"] = CATEGORY_LABELS
