"""What students told the instructors: problem reports, and claims that a typed answer was right.

Claims are grouped by question and by what was typed (folded as the grader folds it), so one
decision settles every student who typed the same thing. Accepting a form on an ``answer``
question adds it to the bank file's ``accept`` list through ``bankedit`` (which keeps the file's
comments and layout and checks the result), then shows the line it wrote. A cloze deletion has
no accept list: the page points at the line to reword instead.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import bankedit
from ..database import NotFound
from ..feedback import REPORT_STATUSES, Claim
from ..grading import fold
from ..item_analysis import OPTION_SEPARATOR, REPORT_LABELS
from ..model import Bank, Question
from ..problems import source_lines
from .db import get_store
from .instructor_banks import Location, file_label, locate, snapshot

MAX_RESPONSE = 1000


def _local_next(default: str) -> str:
    target = request.form.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return default


def reports():
    """Open problem reports of every reading, grouped by question, the oldest report first."""
    snap = snapshot()
    store = get_store()
    names = {u.id: u.name for u in store.users()}
    groups: dict[tuple[str, str], list] = {}
    for r in store.reports(status="open"):
        key = (r.bank_id, r.question_id)
        if key not in groups:
            bank = snap.bank(r.bank_id)
            question = bank.question(r.question_id) if bank else None
            where = locate(bank, question) if bank and question else None
            groups[key] = [bank, question, where, []]
        groups[key][3].append(r)
    return render_template(
        "instructor/reports.html", groups=list(groups.values()), names=names, labels=REPORT_LABELS
    )


def resolve_report(report_id: int):
    """Mark a report resolved (or dismissed), with an optional answer the student will read."""
    status = request.form.get("status", "resolved")
    if status not in REPORT_STATUSES[1:]:
        abort(400, "A report is marked resolved or dismissed.")
    response = request.form.get("response", "")
    if len(response) > MAX_RESPONSE:
        abort(400, f"Keep the answer under {MAX_RESPONSE} characters.")
    try:
        get_store().resolve_report(
            report_id, status, current_user.id, datetime.now(UTC), response=response
        )
    except NotFound:
        abort(404, "There is no such report.")
    flash(f"Report {report_id} marked {status}.", "success")
    return redirect(_local_next(url_for("instructor.reports")))


@dataclass
class ClaimGroup:
    """Open claims on one question that typed the same thing."""

    bank_id: str
    question_id: str
    key: str  # the typed text folded as the grader folds it
    text: str  # as the first student typed it
    bank: Bank | None
    question: Question | None
    claims: list[Claim] = field(default_factory=list)
    cards: set[int] = field(default_factory=set)  # cloze card numbers claimed on
    location: Location | None = None
    line: str = ""  # the YAML line accepting writes (answer) or the one to reword (cloze)
    manual: bool = False  # the file's layout needs the line added by hand

    @property
    def students(self) -> int:
        return len({c.student_id for c in self.claims})


def claim_key(answer: str) -> str:
    return " ".join(fold(part) for part in answer.split(OPTION_SEPARATOR))


def claim_groups(bank_id: str | None = None) -> list[ClaimGroup]:
    snap = snapshot()
    store = get_store()
    open_claims = store.claims(status="open", bank_id=bank_id)
    cards = store.claim_cards([c.id for c in open_claims])
    groups: dict[tuple[str, str, str], ClaimGroup] = {}
    sources: dict[str, list[str]] = {}
    for c in open_claims:
        key = (c.bank_id, c.question_id, claim_key(c.answer))
        group = groups.get(key)
        if group is None:
            bank = snap.bank(c.bank_id)
            question = bank.question(c.question_id) if bank else None
            group = groups[key] = ClaimGroup(*key, c.answer.strip(), bank, question)
            if bank and question:
                _point(group, bank, question, sources)
        group.claims.append(c)
        if c.id in cards:
            group.cards.add(cards[c.id])
    return sorted(groups.values(), key=lambda g: (-g.students, g.bank_id, g.question_id, g.key))


def _point(group: ClaimGroup, bank: Bank, question: Question, sources: dict) -> None:
    """Where the instructor would edit: the accept line as accepting will write it, or the cloze
    text to reword."""
    if bank.path.name not in sources:
        try:
            sources[bank.path.name] = bank.path.read_text(encoding="utf-8")
        except OSError:
            sources[bank.path.name] = ""
    source = sources[bank.path.name]
    if question.type == "answer":
        line, group.line = bankedit.preview_accept(source, question, group.text)
        group.manual = not line
        where = locate(bank, question, "accept" if question.accept else "answer")
        if line:
            url = url_for("instructor.bank_file", name=bank.path.name, _anchor=f"L{line}")
            where = Location(f"{file_label(bank.path)}:{line}", url)
        group.location = where
        return
    group.location = locate(bank, question, "text")
    _, text = bankedit.field_line(question, "text", source_lines(source))
    group.line = text.strip()


def claims():
    """Open claims grouped by question and typed text, the most common first."""
    groups = claim_groups(request.args.get("bank") or None)
    names = {u.id: u.name for u in get_store().users()}
    return render_template("instructor/claims.html", groups=groups, names=names)


def _group_from_form() -> ClaimGroup:
    bank_id = request.form.get("bank", "")
    question_id = request.form.get("question", "")
    key = request.form.get("key", "")
    for group in claim_groups(bank_id or None):
        if (group.bank_id, group.question_id, group.key) == (bank_id, question_id, key):
            return group
    abort(404, "Those claims are no longer open.")


def _resolve(group: ClaimGroup, status: str) -> None:
    store = get_store()
    now = datetime.now(UTC)
    for c in group.claims:
        store.resolve_claim(c.id, status, current_user.id, now)


def accept_claims():
    """Accept what the students typed: add it to the bank's accept list, or (cloze) note it."""
    group = _group_from_form()
    back = url_for("instructor.claims")
    who = f"{group.students} student{'s' if group.students != 1 else ''}"
    if group.bank is None or group.question is None:
        abort(409, "The question is no longer in service; reject the claims instead.")
    if group.question.type != "answer":
        _resolve(group, "accepted")
        where = group.location.label if group.location else file_label(group.bank.path)
        flash(
            f"Accepted “{group.text}” for {who}. To take this answer from now on, add it to "
            f"the deletion's accepted forms (accept: {{c<N>: [...]}}) at {where}.",
            "success",
        )
        return redirect(back)
    try:
        edit = bankedit.add_accept(
            group.bank.path, group.question_id, group.text, display=file_label(group.bank.path)
        )
    except bankedit.EditError as exc:
        manual = f" Add it by hand: {exc.line}" if exc.line else ""
        flash(f"Could not add “{group.text}”: {exc}.{manual}", "error")
        return redirect(back)
    _resolve(group, "accepted")
    label = f"{file_label(edit.path)}:{edit.line}"
    if edit.changed:
        message = f"Accepted “{edit.form}” for {who}. {label} now reads: {edit.text.strip()}"
    else:
        message = f"“{edit.form}” was accepted already ({label}); {who} resolved."
    flash(message, "success")
    return redirect(url_for("instructor.bank_file", name=edit.path.name, _anchor=f"L{edit.line}"))


def reject_claims():
    group = _group_from_form()
    _resolve(group, "rejected")
    flash(
        f"Rejected “{group.text}” ({group.students} student{'s' if group.students != 1 else ''}).",
        "success",
    )
    return redirect(url_for("instructor.claims"))


def claims_by_question(bank_id: str) -> dict[str, list[ClaimGroup]]:
    out: dict[str, list[ClaimGroup]] = defaultdict(list)
    for g in claim_groups(bank_id):
        out[g.question_id].append(g)
    return out
