"""What students told the instructors: problem reports, and claims that a typed answer was right.

Claims are grouped by question and by what was typed (folded as the grader folds it), so one
decision settles every student who typed the same thing. Accepting writes what was typed into the
bank file through ``bankedit`` (which keeps the file's comments and layout and checks the result),
then says which line it wrote: an ``answer`` question's ``accept`` list gains the form, a cloze's
``accept`` mapping gains, under the card's number, each blank's answer the grader did not take.
A cloze group typed on several cards is only marked accepted, with the line to add by hand (a
form right for one deletion may be wrong for another, so that is the instructor's call), as is
one whose blanks the bank cannot take as typed (another blank's hidden text, say). A bank file
that has errors now (its last good version in service) is not edited at all: the page says so
rather than guess at the broken text, and the claims wait until the file loads again.

Deciding a group brings the instructor back to the claims list as they left it (its reading
filter), with a message saying what was done: the next decision is usually on the same page.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from .. import bankedit
from ..database import NotFound
from ..feedback import REPORT_STATUSES, Claim
from ..grading import fold
from ..item_analysis import OPTION_SEPARATOR, REPORT_LABELS
from ..model import Bank, Question
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
    """Problem reports grouped by question: the open ones, the oldest first, or with
    ``?show=answered`` the resolved and dismissed ones, the newest first (what was answered, by
    whom); ``?bank=`` keeps to one reading."""
    snap = snapshot()
    store = get_store()
    names = {u.id: u.name for u in store.users()}
    answered = request.args.get("show") == "answered"
    bank_id = request.args.get("bank") or None
    found = store.reports(status=None if answered else "open", bank_id=bank_id)
    if answered:
        found = [r for r in reversed(found) if r.status != "open"]
    groups: dict[tuple[str, str], list] = {}
    for r in found:
        key = (r.bank_id, r.question_id)
        if key not in groups:
            bank = snap.bank(r.bank_id)
            question = bank.question(r.question_id) if bank else None
            where = locate(bank, question) if bank and question else None
            groups[key] = [bank, question, where, []]
        groups[key][3].append(r)
    return render_template(
        "instructor/reports.html",
        groups=list(groups.values()),
        names=names,
        labels=REPORT_LABELS,
        answered=answered,
        reading=snap.bank(bank_id) if bank_id else None,
        bank_id=bank_id,
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
        report = get_store().resolve_report(
            report_id, status, current_user.id, datetime.now(UTC), response=response
        )
    except NotFound:
        abort(404, "There is no such report.")
    # Named by its question, as the reports page heads it: the report's id means nothing to anyone.
    bank = snapshot().bank(report.bank_id)
    reading = bank.title if bank else report.bank_id
    flash(f"The report on {report.question_id} in {reading} is marked {status}.", "success")
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
    line: str = ""  # the YAML line(s) accepting writes, or the line to add by hand
    manual: bool = False  # the line is to be added by hand (the page will not write it)
    writes: bool = True  # accepting tries to write the bank file (else it only marks claims)
    note: str = ""  # why accepting will not write the bank file, when it will not
    broken: bool = False  # the bank file has errors now: accepting would write it, and cannot

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
    for c in open_claims:
        key = (c.bank_id, c.question_id, claim_key(c.answer))
        group = groups.get(key)
        if group is None:
            bank = snap.bank(c.bank_id)
            question = bank.question(c.question_id) if bank else None
            group = groups[key] = ClaimGroup(*key, c.answer.strip(), bank, question)
        group.claims.append(c)
        if c.id in cards:
            group.cards.add(cards[c.id])
    sources: dict[str, str] = {}
    for group in groups.values():
        if group.bank and group.question:  # after the claims: a cloze's line needs its cards
            _point(group, group.bank, group.question, sources)
            # The bank in service is the last good version; the file itself fails the checker,
            # so its text cannot be edited, whatever its layout.
            group.broken = group.writes and group.bank.path in snap.failures
    return sorted(groups.values(), key=lambda g: (-g.students, g.bank_id, g.question_id, g.key))


def _point(group: ClaimGroup, bank: Bank, question: Question, sources: dict[str, str]) -> None:
    """Where the instructor would edit, and the line accepting will write there (or the line to
    add by hand, when the file's layout or the claims' cards keep the page from writing it)."""
    if bank.path.name not in sources:
        try:
            sources[bank.path.name] = bank.path.read_text(encoding="utf-8")
        except OSError:
            sources[bank.path.name] = ""
    source = sources[bank.path.name]
    try:
        line, text, field = _preview(group, question, source)
    except bankedit.EditError as exc:
        line, text, field = 0, exc.line or "", "accept" if "accept" in question.pos else "text"
        group.writes, group.note = False, str(exc)
    group.manual = not line
    group.line = textwrap.dedent(text).strip()
    group.location = locate(bank, question, field)
    if line:
        url = url_for("instructor.bank_file", name=bank.path.name, _anchor=f"L{line}")
        group.location = Location(f"{file_label(bank.path)}:{line}", url)


def _preview(group: ClaimGroup, question: Question, source: str) -> tuple[int, str, str]:
    """The 1-based line accepting writes (0: by hand), the line(s), and the field to point at
    when the page will not write them. Raises EditError, with the line to add by hand if there
    is one, when accepting should only mark the claims accepted."""
    if question.type == "answer":
        line, text = bankedit.preview_accept(source, question, group.text)
        return line, text, "accept" if question.accept else "answer"
    if len(group.cards) != 1:
        numbers = " and ".join(f"c{n}" for n in sorted(group.cards)) or "an unknown card"
        raise bankedit.EditError(
            f"it was typed on {numbers}, and a form right for one may not be for another",
            _cloze_line_by_hand(group, question),
        )
    (number,) = group.cards
    line, text = bankedit.preview_cloze_accept(source, question, number, blanks(group.text))
    field = next((f for f in (f"accept.c{number}", "accept") if f in question.pos), "text")
    return line, text, field


def blanks(answer: str) -> list[str]:
    """A cloze answer as typed, one part per blank of its card (the grader joins them so)."""
    return answer.split(OPTION_SEPARATOR)


def _cloze_line_by_hand(group: ClaimGroup, question: Question) -> str:
    """The ``accept:`` line with the group's text added under each card it was typed on."""
    added = {}
    for number in sorted(group.cards):
        try:
            forms = bankedit.cloze_forms(question, number, blanks(group.text))
        except bankedit.EditError:
            continue
        if forms:
            added[number] = forms
    if not added:
        return ""
    try:
        return bankedit.cloze_accept_line(question, added)
    except bankedit.EditError:
        return ""


def claims():
    """Open claims grouped by question and typed text, the most common first; ``?bank=`` keeps
    to one reading."""
    groups = claim_groups(request.args.get("bank") or None)
    names = {u.id: u.name for u in get_store().users()}
    return render_template(
        "instructor/claims.html", groups=groups, names=names, file_label=file_label
    )


def _back() -> str:
    """The claims list as the form was sent from it (``next``: its path and filter)."""
    return _local_next(url_for("instructor.claims"))


def _file_link(url: str, label: str) -> Markup:
    """A link to a place in a bank file, for a flash message (flashed Markup stays Markup in the
    session, so the message can lead to the line it speaks of)."""
    return Markup('<a href="{}"><code>{}</code></a>').format(url, label)


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
    """Accept what the students typed: write it into the bank file's accepted forms, or (a cloze
    typed on several cards, or blanks the bank cannot accept) mark the claims accepted."""
    group = _group_from_form()
    back = _back()
    who = f"{group.students} student{'s' if group.students != 1 else ''}"
    if group.bank is None or group.question is None:
        abort(409, "The question is no longer in service; reject the claims instead.")
    path, label = group.bank.path, file_label(group.bank.path)
    if group.broken:
        health = Markup('<a href="{}">Bank health</a>').format(url_for("instructor.health"))
        flash(
            Markup(
                "Could not add “{}”: {} has errors now, and the page does not edit a bank file"
                " until it loads again. See its errors on {}; the claims stay open."
            ).format(group.text, label, health),
            "error",
        )
        return redirect(back)
    if not group.writes:
        _resolve(group, "accepted")
        message = Markup("Accepted “{}” for {}. The bank was not changed: {}.").format(
            group.text, who, group.note
        )
        if group.line and group.location:
            message += Markup(" To take it from now on, add it by hand at {}: {}").format(
                _file_link(group.location.url, group.location.label), group.line
            )
        flash(message, "success")
        return redirect(back)
    try:
        if group.question.type == "cloze":
            (number,) = group.cards
            edit = bankedit.add_cloze_accept(
                path, group.question_id, number, blanks(group.text), display=label
            )
        else:
            edit = bankedit.add_accept(path, group.question_id, group.text, display=label)
    except bankedit.EditError as exc:
        manual = f" Add it by hand: {exc.line}" if exc.line else ""
        flash(f"Could not add “{group.text}”: {exc}.{manual}", "error")
        return redirect(back)
    _resolve(group, "accepted")
    url = url_for("instructor.bank_file", name=edit.path.name, _anchor=f"L{edit.line}")
    where = _file_link(url, f"{file_label(edit.path)}:{edit.line}")
    if edit.changed:
        reads = " ".join(line.strip() for line in edit.text.splitlines())
        message = Markup("Accepted “{}” for {}. {} now reads: {}").format(
            edit.form, who, where, reads
        )
    else:
        message = Markup("“{}” was accepted already ({}); {} resolved.").format(
            edit.form, where, who
        )
    flash(message, "success")
    return redirect(back)


def reject_claims():
    """Close the group's claims as not accepted; the bank file is not touched."""
    group = _group_from_form()
    _resolve(group, "rejected")
    flash(
        f"Rejected “{group.text}” ({group.students} student{'s' if group.students != 1 else ''}).",
        "success",
    )
    return redirect(_back())


def claims_by_question(bank_id: str) -> dict[str, list[ClaimGroup]]:
    out: dict[str, list[ClaimGroup]] = defaultdict(list)
    for g in claim_groups(bank_id):
        out[g.question_id].append(g)
    return out
