"""Instructor pages about the bank files: their health, their source, and Moodle downloads.

Also the helpers the other instructor views use to find a bank in service and to point at a
question's place in its file (``questions/x.yaml:42``), since those are about the files too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Response, abort, current_app, render_template, url_for

from ..banks import bank_paths
from ..export import moodle
from ..model import Bank, Question
from ..registry import Snapshot
from ..renames import Rename
from .db import get_store


@dataclass(frozen=True)
class Location:
    """Where a question stands: ``label`` as an editor names it, ``url`` of the source view."""

    label: str
    url: str


def snapshot() -> Snapshot:
    return current_app.extensions["studyapp"].registry.refresh()


def questions_folder() -> Path:
    return current_app.extensions["studyapp"].registry.folder


def bank_or_404(bank_id: str) -> Bank:
    bank = snapshot().bank(bank_id)
    if bank is None:
        abort(404, "There is no such reading.")
    return bank


def file_label(path: Path) -> str:
    """A bank file as instructors know it: ``questions/x.yaml``."""
    return f"{path.parent.name}/{path.name}"


def locate(bank: Bank, question: Question, field: str | None = None) -> Location:
    """The question's line (or one field's line) in its file, with the source view's URL."""
    line = question.pos.get(field, (question.line, 1))[0] if field else question.line
    url = url_for("instructor.bank_file", name=bank.path.name, _anchor=f"L{line}")
    return Location(f"{file_label(bank.path)}:{line}", url)


def health():
    """Banks in service, files whose last edit failed to load, readings that left service,
    questions that look renamed, and drafts awaiting review."""
    snap = snapshot()
    banks = snap.ordered
    loaded = {
        b.id: datetime.fromtimestamp(snap.loaded_at.get(b.id, 0), UTC).replace(microsecond=0)
        for b in banks
    }
    failures = sorted(snap.failures.values(), key=lambda f: f.path.name)
    drafts = [(b, q, locate(b, q)) for b in banks for q in b.questions if q.draft]
    return render_template(
        "instructor/health.html",
        renames=_renames(snap),
        retired=get_store().retired_banks(),
        banks=banks,
        loaded=loaded,
        failures=failures,
        failed_at={
            f.path: datetime.fromtimestamp(f.when, UTC).replace(microsecond=0) for f in failures
        },
        drafts=drafts,
        file_label=file_label,
    )


def _renames(snap: Snapshot) -> list[tuple[Rename, Bank, Location]]:
    """Questions that look renamed (``renames``), each with its bank and the new id's line."""
    out = []
    for r in get_store().likely_renames():
        bank = snap.bank(r.bank_id)
        question = bank.question(r.new_id) if bank else None
        if bank is not None and question is not None:
            out.append((r, bank, locate(bank, question, "id")))
    return out


def bank_file(name: str):
    """A bank file's source, every line numbered and anchored (``#L42``), escaped as text."""
    folder = questions_folder()
    files = {p.name: p for p in bank_paths(folder)} if folder.is_dir() else {}
    path = files.get(name)
    if path is None:
        abort(404, "There is no such bank file.")
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        abort(404, "The bank file cannot be read.")
    snap = snapshot()
    failure = snap.failures.get(path)
    problem_lines = {p.line for p in failure.problems} if failure else set()
    bank = next((b for b in snap.banks.values() if b.path == path), None)
    return render_template(
        "instructor/file.html",
        name=name,
        label=file_label(path),
        lines=lines,
        bank=bank,
        failure=failure,
        problem_lines=problem_lines,
    )


def moodle_bank(bank_id: str):
    """One reading's live questions as Moodle XML."""
    bank = bank_or_404(bank_id)
    return _xml_download(moodle.build_quiz([bank], course_title=_course()), f"{bank.id}.xml")


def moodle_course():
    """Every reading in service as Moodle XML, a category per reading."""
    banks = snapshot().ordered
    return _xml_download(moodle.build_quiz(banks, course_title=_course()), "course.xml")


def _course() -> str:
    return str(current_app.config["COURSE_TITLE"])


def _xml_download(quiz: moodle.MoodleQuiz, filename: str) -> Response:
    response = Response(quiz.xml, mimetype="application/xml")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
