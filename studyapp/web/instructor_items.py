"""Instructor pages about questions: the overview, the item table of a reading, one question.

The figures come from ``item_analysis`` (definitions there and on the page); open problem
reports are shown beside them, since a question several students report is worth a look
whatever its numbers say.
"""

from __future__ import annotations

from collections import Counter

from flask import abort, render_template, request

from ..export import moodle
from ..instructor_queries import ItemAnswer
from ..item_analysis import (
    BASES,
    COUNTS,
    MIN_STUDENTS,
    REPORT_LABELS,
    TOO_EASY,
    TOO_HARD,
    UNPICKED_CHANCE,
    WEAK,
    analyse,
    wrong_answers_needed,
)
from ..item_analysis import select as select_answers
from ..model import Bank
from .db import get_store
from .instructor_banks import bank_or_404, file_label, locate, snapshot
from .instructor_feedback import claims_by_question
from .passages import passage_in_paragraph

THRESHOLDS = {
    "too_easy": TOO_EASY,
    "too_hard": TOO_HARD,
    "weak": WEAK,
    "min_students": MIN_STUDENTS,
    "unpicked_chance": UNPICKED_CHANCE,
    # wrong answers needed to call a distractor unpicked, by how many distractors there are
    "unpicked_needed": {k: wrong_answers_needed(k) for k in (2, 3, 4)},
}


def _moodle_counts(bank: Bank) -> tuple[int, int, int]:
    """What a Moodle export of the bank holds: the questions written, the self-graded card
    questions left out, and any other question left out (a ``multi`` whose marks Moodle's grade
    list cannot divide). Asked of the exporter itself, so the page says what the download holds."""
    made = [moodle.question_element(bank, q) for q in bank.live_questions]
    left_out = [m for m in made if isinstance(m, str)]
    cards = left_out.count(moodle.CARD_REASON)
    return len(made) - len(left_out), cards, len(left_out) - cards


def overview():
    """Each reading with its open reports and claims, and where to look next."""
    snap = snapshot()
    store = get_store()
    reports = Counter(r.bank_id for r in store.reports(status="open"))
    claims = Counter(c.bank_id for c in store.claims(status="open"))
    return render_template(
        "instructor/overview.html",
        banks=snap.ordered,
        reports=reports,
        claims=claims,
        moodle={b.id: _moodle_counts(b) for b in snap.ordered},
        failures=len(snap.failures),
    )


def _choice(name: str, choices: dict[str, str], default: str) -> str:
    """A query parameter that must be one of ``choices``: a bad one gets a 400 naming them."""
    value = request.args.get(name, default)
    if value not in choices:
        abort(400, f"Pick one of: {', '.join(choices)}.")
    return value


def _total(answers: list[ItemAnswer]) -> tuple[int, int]:
    """How many answers a basis holds, and how many of them are practice questions left blank
    (they count, scoring 0, as Moodle counts them; the progress page counts only answers given)."""
    return len(answers), sum(1 for a in answers if a.source == "practice" and not a.answer)


def item_table(bank_id: str):
    """Every question of a reading with its facility, discrimination, reports and flags."""
    bank = bank_or_404(bank_id)
    basis = _choice("basis", BASES, "both")
    count = _choice("count", COUNTS, "all")
    store = get_store()
    answers = store.item_answers(bank.id)
    open_reports = store.reports(status="open", bank_id=bank.id)
    changed = store.question_changes(bank.id)
    rows = analyse(bank, answers, basis, open_reports, count, changed)
    return render_template(
        "instructor/items.html",
        bank=bank,
        basis=basis,
        bases=BASES,
        count=count,
        counts=COUNTS,
        rows=rows,
        locations={q.id: locate(bank, q) for q in bank.live_questions},
        file_label=file_label,
        totals={b: _total(select_answers(answers, b, count)) for b in BASES},
        limits=THRESHOLDS,
    )


def item_detail(bank_id: str, question_id: str):
    """One question: its figures on each basis, option picks or wrong answers, its reports."""
    bank = bank_or_404(bank_id)
    question = bank.question(question_id)
    if question is None:
        abort(404, "There is no such question in this reading.")
    count = _choice("count", COUNTS, "all")
    store = get_store()
    answers = store.item_answers(bank.id)
    open_reports = store.reports(status="open", bank_id=bank.id)
    changed = store.question_changes(bank.id)
    figures = {}
    for basis in BASES:
        rows = analyse(bank, answers, basis, open_reports, count, changed)
        figures[basis] = next((r for r in rows if r.question.id == question_id), None)
    history = [
        r
        for r in store.reports(status=None, bank_id=bank.id)
        if r.question_id == question_id and r.status != "open"
    ]
    claims = claims_by_question(bank.id).get(question_id, [])
    names = {u.id: u.name for u in store.users()}
    _, passage_html = passage_in_paragraph(bank.document, question.quote)
    return render_template(
        "instructor/question.html",
        bank=bank,
        question=question,
        figures=figures,
        picks={
            basis: {o.text: o.picks for o in f.options} if f else {} for basis, f in figures.items()
        },
        bases=BASES,
        count=count,
        counts=COUNTS,
        history=history,
        claims=claims,
        names=names,
        location=locate(bank, question),
        passage_html=passage_html,
        labels=REPORT_LABELS,
        limits=THRESHOLDS,
    )
