"""The reading view: a document with the passages its questions quote, highlighted and linkable."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template
from flask_login import current_user, login_required

from .passages import render_document

bp = Blueprint("reading", __name__)


@bp.route("/reading/<bank_id>")
@login_required
def view(bank_id: str):
    bank = current_app.extensions["studyapp"].registry.refresh().bank(bank_id)
    # A bank of drafts alone is not a reading of the course yet, except to its instructors.
    if bank is None or not (bank.live_questions or current_user.is_instructor):
        abort(404, "There is no such reading.")
    return render_template("reading/view.html", bank=bank, blocks=render_document(bank))
