"""Practice tests: pick readings, answer a random draw of questions, see the marks.

A test is an attempt in the store (``studyapp.attempts``). Answers are saved as the student goes:
``static/js/autosave.js`` posts a question's answer as soon as it changes, and every button of the
page is a plain form post that saves too, so a reload, a closed tab or a lost connection loses
at most the answer being typed, and a test works without JavaScript. The attempt's page opens at
the first question not yet answered.

The time limit is the server's: ``static/js/timer.js`` shows the time left and submits the page at
the limit, but the server refuses any answer that arrives later than ``GRACE`` after it (time for
that last submit to travel), and closes an attempt found past its limit. Either way the test ends
at its limit, and its result says the time ran out (``time_up``): a page that turned into marks
by itself would otherwise leave the student guessing why. The clock is read through ``now_utc``
so tests can move it.

Finishing early with questions left unanswered asks first (``finish``): the finish button sits
beside "Next question", and one stray tap used to hand a test in. The question is a page of its
own, so it works without JavaScript; a test whose time is up, or with every question answered,
finishes at once, and so does the timer's hand-in, which sends ``confirm`` itself.

The start form is in ``practice_forms``; marks are in ``practice_grading`` (Moodle's rule for
``multi``); what a finished test means for the schedule is in ``practice_reviews``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
from ..store import Store
from .db import get_store
from .inputs import MAX_ID, small_int
from .passages import passage_in_paragraph
from .practice_forms import LAYOUTS, StartForm
from .practice_grading import (
    BadAnswer,
    Item,
    Marked,
    attempt_items,
    draw,
    expected_text,
    gaps,
    mark,
)
from .practice_reviews import record_reviews

bp = Blueprint("practice", __name__, url_prefix="/practice")
# How late the page's own submit at the limit may arrive and still count.
GRACE = timedelta(seconds=3)


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


def deadline(attempt: Attempt) -> datetime | None:
    limit = attempt.settings.get("limit")
    return attempt.started + timedelta(seconds=float(limit)) if limit else None


def _expired(attempt: Attempt, now: datetime, grace: timedelta = GRACE) -> bool:
    end = deadline(attempt)
    return end is not None and now > end + grace


def _items(attempt: Attempt) -> list[Item]:
    return attempt_items(attempt, _snapshot())


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


# --- starting and listing ----------------------------------------------------------------


def _start_form() -> StartForm:
    form = StartForm()
    form.banks.choices = [
        SelectChoice(b.id, b.title) for b in _snapshot().ordered if b.live_questions
    ]
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
    status = {a.id: _status(a, now) for a in attempts}
    return render_template(
        "practice/index.html", form=form, attempts=attempts, status=status
    ), 400 if form.errors else 200


def _status(attempt: Attempt, now: datetime) -> str:
    if attempt.finished:
        return "finished"
    return "time-up" if _expired(attempt, now, timedelta()) else "open"


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
    if _expired(attempt, now):
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
    end = deadline(attempt)
    return render_template(
        "practice/take.html",
        attempt=attempt,
        items=items,
        shown=shown,
        current=current,
        layout=layout,
        remaining=max(0, int((end - now).total_seconds())) if end else None,
        deadline=end,
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
    changed = [(item, m) for item, m in _marked(items) if m.text != (item.response.answer or "")]
    if attempt.finished:
        if not changed:
            # A save that changes nothing is no conflict: the autosave of the last answer
            # arriving just after the Finish post that carried it, or a double click on Finish.
            if _wants_json():
                return jsonify(saved=0, finished=True, result=result_url)
            return redirect(result_url)
        return _refused(result_url, "This test is finished: nothing more was saved.", "finished")
    now = now_utc()
    if _expired(attempt, now):
        _close(store, attempt, now)
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
    if go == "finish":
        attempt = store.attempt(attempt.id, current_user.id)
        if _must_confirm(attempt, now):
            return redirect(url_for(".finish", attempt_id=attempt.id, **_layout_arg(request.form)))
        limit = deadline(attempt) if _timer_hand_in(attempt, now) else None
        _close(store, attempt, limit or now)
        return redirect(result_url)
    if _wants_json():
        end = deadline(attempt)
        remaining = max(0, int((end - now).total_seconds())) if end else None
        return jsonify(saved=saved, remaining=remaining)
    return redirect(_next_url(attempt, go, len(items)))


def _marked(items: list[Item]) -> list[tuple[Item, Marked]]:
    """Mark the answers the form carries; an answer the question cannot take is a 400."""
    marked: list[tuple[Item, Marked]] = []
    for p in _positions(len(items)):
        item = items[p]
        if item.question is None:
            continue
        try:
            marked.append((item, mark(item.question, request.form.getlist(f"a{p}"))))
        except BadAnswer as e:
            abort(400, str(e))
    return marked


def _hand_in_late(attempt: Attempt, now: datetime) -> Response:
    """Close a test found open past its limit and send the student to its marks (which say
    why: see ``time_up``)."""
    _close(get_store(), attempt, now)
    return redirect(url_for(".result", attempt_id=attempt.id))


def _timer_hand_in(attempt: Attempt, now: datetime) -> bool:
    """Whether a finish is the page timer's hand-in (it sends ``timeup``) at the limit.

    The timer counts whole seconds from the page's load, so its post can reach the server a
    moment before the server's limit. Within ``GRACE`` of it, it counts as handed in at the
    limit; sooner, it cannot be the timer's, and is an ordinary finish.
    """
    end = deadline(attempt)
    return request.form.get("timeup") == "1" and end is not None and now >= end - GRACE


def time_up(attempt: Attempt) -> bool:
    """Whether a finished test was handed in because its time ran out.

    Every hand-in for time (the timer's, the server's on finding the test past its limit, a
    finish that arrives after it) closes the test at its limit exactly, and a student's own
    finish closes it before: so the finish time tells, with nothing more to store.
    """
    end = deadline(attempt)
    return end is not None and attempt.finished is not None and attempt.finished >= end


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


def _unanswered(items: list[Item]) -> list[Item]:
    """The questions still to answer (one taken out of the course cannot be, so it is not one)."""
    return [i for i in items if not i.answered and i.question is not None]


def _must_confirm(attempt: Attempt, now: datetime) -> bool:
    """Whether a finish should ask first: questions are unanswered and time is left.

    ``confirm`` is sent by the button of the ``finish`` page and by the timer's hand-in: the
    timer counts from the page's load, so its submit can reach the server a moment before the
    server's limit, and it must never be stopped by a question nobody is there to answer.
    """
    if request.form.get("confirm") == "1":
        return False
    end = deadline(attempt)
    if end is not None and now >= end:
        return False
    return bool(_unanswered(_items(attempt)))


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
    left = _unanswered(items)
    kept = _layout_arg(request.args)
    back: dict[str, object] = {"attempt_id": attempt.id, **kept}
    if left:
        if _layout(attempt) == "one":
            back["q"] = left[0].number
        else:
            back["_anchor"] = f"q{left[0].number}"
    end = deadline(attempt)
    return render_template(
        "practice/finish.html",
        attempt=attempt,
        answered=sum(i.answered for i in items),
        total=len(items),
        left=left,
        back_url=url_for(".take", **back),
        remaining=max(0, int((end - now).total_seconds())) if end else None,
        deadline=end,
    )


def _close(store: Store, attempt: Attempt, now: datetime) -> Attempt:
    """Finish the attempt (which locks its answers) and record what it means for the schedule.

    A timed test closed after its limit (left open, found at the next visit) ends at the limit:
    no answer is saved after it, so the time taken and the reviews belong there, not days later.
    (The timer's hand-in passes the limit as ``now``: see ``_timer_hand_in``.)
    """
    end = deadline(attempt)
    at = min(now, end) if end else now
    finished = store.finish_attempt(attempt.id, current_user.id, at)
    record_reviews(store, _snapshot(), finished, at)
    return finished


@bp.route(f"/<int(max={MAX_ID}):attempt_id>/result")
@login_required
def result(attempt_id: int):
    attempt = _attempt(attempt_id)
    if not attempt.finished:
        now = now_utc()
        if not _expired(attempt, now):
            return redirect(url_for(".take", attempt_id=attempt.id))
        attempt = _close(get_store(), attempt, now)
    rows = []
    for item in _items(attempt):
        grade = passage = None
        if item.question is not None and item.bank is not None:
            try:
                grade = mark(item.question, item.values).grade
            except BadAnswer:
                grade = None
            passage = passage_in_paragraph(item.bank.document, item.question.quote)[1]
        expected = expected_text(item.question) if item.question else ""
        rows.append({"item": item, "grade": grade, "passage": passage, "expected": expected})
    return render_template(
        "practice/result.html",
        attempt=attempt,
        time_up=time_up(attempt),
        rows=rows,
        limit=attempt.settings.get("limit"),
        limit_minutes=_minutes(attempt.settings.get("limit")),
        gaps=gaps,
    )


def _minutes(seconds: object) -> float | None:
    if not seconds:
        return None
    minutes = float(seconds) / 60  # type: ignore[arg-type]
    return int(minutes) if minutes.is_integer() else round(minutes, 2)


@bp.app_template_filter("clock")
def clock_filter(seconds: float | None) -> str:
    """Seconds as ``m:ss`` (or ``h:mm:ss``), for the timer and the time taken."""
    if seconds is None:
        return ""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


@bp.app_template_filter("test_readings")
def test_readings_filter(settings: dict) -> str:
    """The readings a test was drawn from: their titles, or how many when that gets long."""
    titles = list(settings.get("titles", {}).values())
    return ", ".join(titles) if len(titles) <= 2 else f"{len(titles)} readings"


@bp.app_template_filter("score_points")
def score_points_filter(value: float | None) -> str:
    """A mark as people write it: 7, 7.5, 0.33."""
    if value is None:
        return "0"
    return f"{value:.2f}".rstrip("0").rstrip(".")


@bp.app_template_filter("student_time")
def student_time_filter(moment: datetime | None, seconds: bool = False) -> str:
    """A moment in the signed-in student's time zone: ``2 Mar 2026, 09:30``."""
    if moment is None:
        return ""
    try:
        zone = ZoneInfo(current_user.user.timezone)
    except (ZoneInfoNotFoundError, ValueError, AttributeError):
        zone = ZoneInfo("UTC")
    local = moment.astimezone(zone)
    return f"{local.day} {local:%b %Y, %H:%M}" + (f":{local:%S}" if seconds else "")


def init_app(app: Flask) -> None:
    app.extensions["studyapp"].nav.append(
        {"label": "Practice tests", "endpoint": "practice.index", "prefix": "practice."}
    )
