"""The instructor pages: item analysis, class progress, problem reports, claims, bank health.

Every route of this blueprint needs the instructor role, checked once in ``before_request``, so a
new route cannot forget it: an anonymous visitor is sent to the sign-in page, a student gets 403.
The views live in ``instructor_*`` modules by subject; this module holds the blueprint, the role
check and the URL table, which is the one list of instructor URLs.
"""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app
from flask_login import current_user

from . import instructor_banks as banks
from . import instructor_feedback as feedback
from . import instructor_items as items
from . import instructor_progress as progress
from .inputs import MAX_ID

bp = Blueprint("instructor", __name__, url_prefix="/instructor")


@bp.before_request
def require_instructor():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not current_user.is_instructor:
        abort(403, "These pages are for instructors.")
    return None


URLS = [
    ("/", items.overview, ["GET"]),
    ("/items/<bank_id>", items.item_table, ["GET"]),
    ("/items/<bank_id>/<question_id>", items.item_detail, ["GET"]),
    ("/progress", progress.class_progress, ["GET"]),
    ("/progress.csv", progress.class_progress_csv, ["GET"]),
    ("/reports", feedback.reports, ["GET"]),
    (f"/reports/<int(max={MAX_ID}):report_id>", feedback.resolve_report, ["POST"]),
    ("/claims", feedback.claims, ["GET"]),
    ("/claims/accept", feedback.accept_claims, ["POST"]),
    ("/claims/reject", feedback.reject_claims, ["POST"]),
    ("/banks", banks.health, ["GET"]),
    ("/banks/<name>", banks.bank_file, ["GET"]),
    ("/export/course.xml", banks.moodle_course, ["GET"]),
    ("/export/readings/<bank_id>.xml", banks.moodle_bank, ["GET"]),
]
for rule, view, methods in URLS:
    bp.add_url_rule(rule, view_func=view, methods=methods)


@bp.app_template_filter("figure")
def figure(value: float | None, digits: int = 2) -> str:
    """A statistic for a table cell; a dash when there is none."""
    return "—" if value is None else f"{value:.{digits}f}"


def init_app(app: Flask) -> None:
    app.extensions["studyapp"].nav.append(
        {
            "label": "Instructor",
            "endpoint": "instructor.overview",
            "prefix": "instructor.",
            "role": "instructor",
        }
    )
