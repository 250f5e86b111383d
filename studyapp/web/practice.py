"""Practice tests: pick readings, answer a random draw of questions, see the marks.

A test is an attempt in the store (``studyapp.attempts``). Answers are saved as the student goes:
``static/js/autosave.js`` posts a question's answer as soon as it changes, and every button of the
page is a plain form post that saves too, so a reload, a closed tab or a lost connection loses
at most the answer being typed, and a test works without JavaScript. The attempt's page opens at
the first question not yet answered.

The time limit is the server's, and a test whose time is up is handed in at its limit: the rules
are in ``practice_timing``. The clock is read through ``now_utc`` so tests can move it.

Finishing early with questions left unanswered asks first (``finish``): the finish button sits
beside "Next question", and one stray tap used to hand a test in. The question is a page of its
own, so it works without JavaScript; a test whose time is up, or with every question answered,
finishes at once, and so does the timer's hand-in, which sends ``confirm`` itself.

The start form is in ``practice_forms``; marks are in ``practice_grading`` (Moodle's rule for
``multi``); what a finished test means for the schedule is in ``practice_reviews``; the result
page's rows are built in ``practice_results``, and the pages' template filters are in
``practice_filters``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
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
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from ..attempts import Attempt
from ..database import AttemptFinished, UnknownAttempt, UnknownQuestion
from .db import get_store
from .inputs import MAX_ID, small_int
from .options import UnknownOption
from .practice_filters import TEMPLATE_FILTERS
from .practice_forms import LAYOUTS, StartForm
from .practice_grading import BadAnswer, Item, Marked, attempt_items, draw, gaps, mark
from .practice_results import limit_minutes, result_rows
from .practice_timing import (
    deadline,
    expired,
    hand_in,
    must_confirm,
    seconds_left,
    status,
    time_up,
    timer_hand_in,
    unanswered,
)

bp = Blueprint("practice", __name__, url_prefix="/practice")
for _name, _filter in TEMPLATE_FILTERS.items():
    bp.add_app_template_filter(_filter, _name)


def now_utc() -> datetime:
    return datetime.now(UTC)


def _snapshot():
    return current_app.extensions["studyapp"].registry.refresh()


def _attempt(attempt_id: int) -> Attempt:
    """The signed-in student's attempt; anyone else's is a 404, as if it did not exist."""
    try:
        return get_store().attempt(attempt_id, current_user.id)
    except UnknownAttempt:
        abort(404, "There is no such test.")


def _items(attempt: Attempt) -> list[Item]:
    return attempt_items(attempt, _snapshot())


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


# --- starting and listing ----------------------------------------------------------------


def _start_form() -> StartForm:
    form = StartForm()
    form.banks.choices = [SelectChoice(b.id, b.title) for b in _snapshot().for_students]
    return form


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    form = _start_form()
    if form.validate_on_submit():
        attempt = _start(form)
        if attempt is not None:
            return redirect(url_for(".take", attempt_id=attempt.id))
    elif request.method == "GET":
        form.banks.data = request.args.getlist("bank") or [c.value for c in form.banks.choices]
    now = now_utc()
    attempts = get_store().attempts_for(current_user.id)
    statuses = {a.id: status(a, now) for a in attempts}
    return render_template(
        "practice/index.html", form=form, attempts=attempts, status=statuses
    ), 400 if form.errors else 200


def _start(form: StartForm) -> Attempt | None:
    snapshot = _snapshot()
    banks = [b for b in (snapshot.bank(i) for i in form.banks.data) if b is not None]
    drawn = draw(banks, form.count.data)
    if not drawn:
        form.banks.errors = [*form.banks.errors, "These readings have no questions for a test."]
        return None
    limit = round(form.minutes.data * 60) if form.minutes.data else None
    settings = {
        "banks": [b.id for b in banks],
        "titles": {b.id: b.title for b in banks},
        "count": len(drawn),
        "limit": limit,
        "layout": form.layout.data if form.layout.data in LAYOUTS else "one",
        "seed": secrets.token_hex(8),
    }
    try:
        return get_store().create_attempt(current_user.id, drawn, now_utc(), settings)
    except UnknownQuestion:
        # A bank edited a moment ago, not yet recorded in the store: drawing again will do.
        abort(409, "The readings changed as the test was drawn. Start it again.")


# --- taking the test -----------------------------------------------------------------------


def _layout(attempt: Attempt) -> str:
    asked = request.values.get("layout", "")
    return asked if asked in LAYOUTS else str(attempt.settings.get("layout", "one"))


def _open_attempt(attempt_id: int, now: datetime) -> tuple[Attempt, Response | None]:
    """The student's attempt, and where to go instead of a page of it: the result of a test
    already handed in, or the hand-in of one whose time ran out."""
    attempt = _attempt(attempt_id)
    if attempt.finished:
        return attempt, redirect(url_for(".result", attempt_id=attempt.id))
    if expired(attempt, now):
        return attempt, _hand_in_late(attempt, now)
    return attempt, None


@bp.route(f"/<int(max={MAX_ID}):attempt_id>")
@login_required
def take(attempt_id: int):
    now = now_utc()
    attempt, closed = _open_attempt(attempt_id, now)
    if closed is not None:
        return closed
    items = _items(attempt)
    layout = _layout(attempt)
    current = None
    shown = items
    if layout == "one" and items:
        first_open = next((i.number for i in items if not i.answered), 1)
        number = min(max(request.args.get("q", first_open, type=int) or 1, 1), len(items))
        current = items[number - 1]
        shown = [current]
    return render_template(
        "practice/take.html",
        attempt=attempt,
        items=items,
        shown=shown,
        current=current,
        layout=layout,
        remaining=seconds_left(attempt, now),
        deadline=deadline(attempt),
        gaps=gaps,
    )


def _positions(count: int) -> list[int]:
    out = []
    for raw in request.form.getlist("shown"):
        position = small_int(raw, limit=count)
        if position is None:
            abort(400, "The form named a question that is not in this test.")
        out.append(position)
    return sorted(set(out))


@bp.route(f"/<int(max={MAX_ID}):attempt_id>", methods=["POST"])
@login_required
def save(attempt_id: int):
    store = get_store()
    attempt = _attempt(attempt_id)
    result_url = url_for(".result", attempt_id=attempt.id)
    items = _items(attempt)
    marked, edited = _marked(items)
    changed = [(item, m) for item, m in marked if m.text != (item.response.answer or "")]
    if attempt.finished:
        if not changed:
            # A save that changes nothing is no conflict: the autosave of the last answer
            # arriving just after the Finish post that carried it, or a double click on Finish.
            if _wants_json():
                return jsonify(saved=0, finished=True, result=result_url)
            return redirect(result_url)
        return _refused(result_url, "This test is finished: nothing more was saved.", "finished")
    now = now_utc()
    if expired(attempt, now):
        _close(attempt, now)
        return _refused(
            result_url,
            "Time was up: answers sent after the limit were not counted.",
            "expired",
        )
    saved = 0
    for item, m in changed:
        try:
            store.save_response(
                attempt.id,
                current_user.id,
                item.response.bank_id,
                item.response.question_id,
                m.text,
                now,
                correct=m.grade.correct if m.grade else None,
                score=m.grade.score if m.grade else None,
            )
        except AttemptFinished:  # finished in another tab meanwhile
            return _refused(
                result_url, "This test is finished: nothing more was saved.", "finished"
            )
        saved += 1
    go = request.form.get("go", "save")
    if edited and not _wants_json():
        numbers = ", ".join(str(item.number) for item in edited)
        flash(
            f"Question {numbers} was changed by an instructor while your test was open, so the"
            " option you picked is no longer there. Your other answers are saved: answer it"
            " again as it reads now.",
            "warning",
        )
        go = str(edited[0].number)
    if go == "finish":
        attempt = store.attempt(attempt.id, current_user.id)
        # ``confirm`` comes from the "Finish the test?" page and from the timer's hand-in.
        if request.form.get("confirm") != "1" and must_confirm(attempt, _items(attempt), now):
            return redirect(url_for(".finish", attempt_id=attempt.id, **_layout_arg(request.form)))
        timeup = request.form.get("timeup") == "1"
        limit = deadline(attempt) if timer_hand_in(attempt, now, timeup) else None
        _close(attempt, limit or now)
        return redirect(result_url)
    if _wants_json():
        # How many questions now have an answer, for the page's "2 of 4 answered and saved.".
        now_answered = {item.position: bool(m.text) for item, m in changed}
        answered = sum(now_answered.get(i.position, i.answered) for i in items)
        return jsonify(
            saved=saved,
            edited=[item.number for item in edited],
            answered=answered,
            total=len(items),
            remaining=seconds_left(attempt, now),
        )
    return redirect(_next_url(attempt, go, len(items)))


def _marked(items: list[Item]) -> tuple[list[tuple[Item, Marked]], list[Item]]:
    """Mark the answers the form carries; an answer the question cannot take is a 400.

    Also return the items whose question was edited while the test was open so that a picked
    option is gone: their answers are left as they were (a pick of an option that no longer
    exists cannot be read as another one), and the student is asked to answer them again.
    """
    marked: list[tuple[Item, Marked]] = []
    edited: list[Item] = []
    for p in _positions(len(items)):
        item = items[p]
        if item.question is None:
            continue
        try:
            marked.append((item, mark(item.question, item.posted(request.form.getlist(f"a{p}")))))
        except UnknownOption:
            edited.append(item)
        except BadAnswer as e:
            abort(400, str(e))
    return marked, edited


def _hand_in_late(attempt: Attempt, now: datetime) -> Response:
    """Close a test found open past its limit and send the student to its marks (which say
    why: see ``time_up``)."""
    _close(attempt, now)
    return redirect(url_for(".result", attempt_id=attempt.id))


def _close(attempt: Attempt, now: datetime) -> Attempt:
    """Hand the test in (``practice_timing.hand_in``) against the banks in service."""
    return hand_in(get_store(), _snapshot(), attempt, now)


def _refused(result_url: str, message: str, reason: str):
    if _wants_json():
        return jsonify(error=reason, message=message, result=result_url), 409
    flash(message, "warning")
    return redirect(result_url)


def _next_url(attempt: Attempt, go: str, count: int) -> str:
    """Where a button of the test page leads once its answers are saved."""
    layout = _layout(attempt)
    args: dict[str, object] = {"attempt_id": attempt.id}
    if go.startswith("layout-") and go[7:] in LAYOUTS:
        return url_for(".take", attempt_id=attempt.id, layout=go[7:])
    if request.form.get("layout") in LAYOUTS:
        args["layout"] = layout
    here = request.form.get("q", type=int) or 1
    if go == "next":
        args["q"] = min(here + 1, count)
    elif go == "prev":
        args["q"] = max(here - 1, 1)
    elif small_int(go) is not None:
        args["q"] = min(max(small_int(go) or 1, 1), count)
    elif layout == "one":
        args["q"] = here
    return url_for(".take", **args)


# --- finishing and the result ----------------------------------------------------------------


def _layout_arg(values: Mapping[str, str]) -> dict[str, str]:
    """The layout a page was asked for, to carry on to the next page (none for the default)."""
    asked = values.get("layout", "")
    return {"layout": asked} if asked in LAYOUTS else {}


@bp.route(f"/<int(max={MAX_ID}):attempt_id>/finish")
@login_required
def finish(attempt_id: int):
    """Ask before handing in a test with questions left unanswered.

    A page rather than a browser dialog, so it works without JavaScript; "Finish the test"
    posts ``confirm`` to the test's own form handler, the one place a test is finished.
    """
    now = now_utc()
    attempt, closed = _open_attempt(attempt_id, now)
    if closed is not None:
        return closed
    items = _items(attempt)
    left = unanswered(items)
    kept = _layout_arg(request.args)
    back: dict[str, object] = {"attempt_id": attempt.id, **kept}
    if left:
        if _layout(attempt) == "one":
            back["q"] = left[0].number
        else:
            back["_anchor"] = f"q{left[0].number}"
    return render_template(
        "practice/finish.html",
        attempt=attempt,
        answered=sum(i.answered for i in items),
        total=len(items),
        left=left,
        back_url=url_for(".take", **back),
        remaining=seconds_left(attempt, now),
        deadline=deadline(attempt),
    )


@bp.route(f"/<int(max={MAX_ID}):attempt_id>/result")
@login_required
def result(attempt_id: int):
    attempt = _attempt(attempt_id)
    if not attempt.finished:
        now = now_utc()
        if not expired(attempt, now):
            return redirect(url_for(".take", attempt_id=attempt.id))
        attempt = _close(attempt, now)
    return render_template(
        "practice/result.html",
        attempt=attempt,
        time_up=time_up(attempt),
        rows=result_rows(_items(attempt)),
        limit=attempt.settings.get("limit"),
        limit_minutes=limit_minutes(attempt.settings.get("limit")),
        gaps=gaps,
    )


def init_app(app: Flask) -> None:
    app.extensions["studyapp"].nav.append(
        {"label": "Practice tests", "endpoint": "practice.index", "prefix": "practice."}
    )
