"""Adding accepted forms to a bank file, keeping the instructor's comments and layout.

Bank files are hand-written YAML with comments, which loading and dumping would lose, so the
edit is textual (planned by ``bank_text``): PyYAML's node marks find the question's ``accept``
(an answer question's list, a cloze's mapping of deletion numbers to lists) or, without one, the
end of its ``answer`` or ``text``, and the new text is inserted there in the file's own style. The result is loaded with
``banks.load_bank``, the loader the server uses, and must differ from the old bank in exactly
those forms; only then does it replace the file, through a temporary file in the same folder and
``os.replace``, so a reader never sees half a file and a failed check changes nothing.
Concurrent edits queue on ``flock`` of the bank file.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import yaml

from .bank_text import EditError, plan_accept, plan_cloze_accept, written_lines, yaml_scalar
from .banks import load_bank
from .grading import fold
from .model import Bank, Question
from .problems import source_lines

MAX_FORM_LENGTH = 200
T = TypeVar("T")


@dataclass(frozen=True)
class AcceptEdit:
    """Accepted forms and where they stand in the bank file."""

    path: Path
    question_id: str
    form: str  # the form added (a cloze: the forms added, joined by " · ")
    line: int  # 1-based line of the file that holds the form
    text: str  # the line(s) written, as they read in the file (two for a new cloze ``accept``)
    changed: bool  # False when the form was accepted already and nothing was written


def _flow_list(forms: Sequence[str]) -> str:
    return f"[{', '.join(yaml_scalar(f) for f in forms)}]"


def accept_line(question: Question, form: str) -> str:
    """The ``accept:`` line to write by hand: the question's forms with ``form`` added."""
    return f"accept: {_flow_list([*question.accept, form])}"


def cloze_accept_line(question: Question, added: Mapping[int, Sequence[str]]) -> str:
    """A cloze's ``accept:`` line to write by hand: its forms with ``added`` ({number: forms})."""
    for number, forms in added.items():
        question = with_cloze_forms(question, number, forms)
    items = ", ".join(f"c{n}: {_flow_list(forms)}" for n, forms in question.cloze_accept)
    return f"accept: {{{items}}}"


def already_accepted(question: Question, form: str) -> bool:
    """True when the grader already takes ``form`` exactly (the answer or an accepted form)."""
    folded = fold(form)
    return any(folded == fold(f) for f in (question.answer, *question.accept))


def with_cloze_forms(question: Question, number: int, forms: Sequence[str]) -> Question:
    """The cloze as it should load once ``forms`` are added after the other forms of ``number``."""
    table = dict(question.cloze_accept)
    table[number] = (*table.get(number, ()), *forms)
    return replace(question, cloze_accept=tuple(sorted(table.items())))


def cloze_forms(question: Question, number: int, blanks: Sequence[str]) -> list[str]:
    """The forms to add to deletion ``number`` so that ``blanks``, typed one per blank of card
    ``number``, are graded right: those the grader does not already take exactly, once each.

    A form counts for every deletion of that number, so a blank's answer that is the hidden text
    of another blank cannot be accepted (the checker refuses it, and rightly: the grader would
    take it in either blank). Raises EditError for that and for an empty blank, and, with the
    line to add by hand, when there are not as many ``blanks`` as the card has.
    """
    blanks = [_squeeze(b) for b in blanks]
    expected = question.expected(number)
    if len(blanks) != len(expected):
        line = cloze_accept_line(question, {number: [" · ".join(blanks)]})
        count = f"{len(expected)} blank{'s' if len(expected) != 1 else ''}"
        raise EditError(f"card {number} has {count} but the answer has {len(blanks)}", line)
    hidden = {fold(e) for e in expected}
    taken = {fold(f) for f in question.accepted(number)}
    forms: list[str] = []
    for i, (blank, answer) in enumerate(zip(blanks, expected, strict=True), 1):
        folded = fold(blank)
        if folded == fold(answer) or folded in taken:
            continue
        if not blank:
            raise EditError(f"blank {i} of card {number} is empty: there is nothing to accept")
        if folded in hidden:
            raise EditError(f"“{blank}” is the hidden text of another c{number} deletion")
        forms.append(_clean_form(blank))
        taken.add(folded)
    return forms


def _squeeze(text: str) -> str:
    """Text on one line with single spaces, as a form is written (and as the grader reads it)."""
    return " ".join(text.split())


def _clean_form(form: str) -> str:
    form = _squeeze(form)
    if not 0 < len(form) <= MAX_FORM_LENGTH:
        raise EditError(f"a form must be 1 to {MAX_FORM_LENGTH} characters")
    return form


def _check(old: Bank, new: Bank | None, wanted: Question) -> None:
    """The edited bank must load and differ from the old one by exactly the forms added:
    ``wanted`` is the edited question as it should load."""
    if new is None:
        raise EditError("the edited file did not load")
    same = (new.id, new.title, new.document.path) == (old.id, old.title, old.document.path)
    if not same or [q.id for q in new.questions] != [q.id for q in old.questions]:
        raise EditError("the edit changed more than the accepted forms")
    for before, after in zip(old.questions, new.questions, strict=True):
        if before.id != wanted.id:
            if before.content_hash != after.content_hash or before.draft != after.draft:
                raise EditError(f"the edit changed question '{before.id}' too")
            continue
        restored = replace(after, accept=before.accept, cloze_accept=before.cloze_accept)
        if (
            (after.accept, after.cloze_accept) != (wanted.accept, wanted.cloze_accept)
            or restored.content_hash != before.content_hash
            or after.draft != before.draft
        ):
            raise EditError("the accepted forms did not come out as intended")


def locked(path: Path, edit: Callable[[], T]) -> T:
    """Run ``edit`` holding ``flock`` on the bank file, so concurrent edits queue (the
    accepted forms added from the claims page, ``studyapp publish``)."""
    while True:
        with open(path, "rb") as held:
            fcntl.flock(held.fileno(), fcntl.LOCK_EX)
            if os.fstat(held.fileno()).st_ino != os.stat(path).st_ino:
                continue  # replaced while we waited: lock the new file
            return edit()


def _current(path: Path, shown: str, question_id: str, kind: str) -> tuple[Bank, str, Question]:
    """The bank as the file holds it now, its text, and its ``kind`` question ``question_id``."""
    result = load_bank(path, shown)
    if result.bank is None:
        raise EditError(f"{shown} has problems now; fix them first (see the bank health page)")
    question = result.bank.question(question_id)
    if question is None:
        raise EditError(f"there is no question '{question_id}' in {shown}")
    if question.type != kind and kind == "answer":
        raise EditError(f"'{question_id}' is a {question.type} question: it has no accept list")
    if question.type != kind:
        raise EditError(f"'{question_id}' is not a {kind} question")
    return result.bank, result.source, question


@contextmanager
def _by_hand(line: str | None, shown: str) -> Iterator[None]:
    """Failures inside carry ``line``, the edit an instructor can make by hand instead."""
    try:
        yield
    except EditError as exc:
        raise EditError(str(exc), exc.line or line) from None
    except OSError as exc:
        raise EditError(f"cannot write {shown}: {exc.strerror or exc}", line) from None


def _replace(path: Path, shown: str, old: Bank, text: str, wanted: Question) -> None:
    """Write ``text`` over the file if it loads as ``old`` with only ``wanted`` changed."""
    write_checked(path, shown, text, lambda new: _check(old, new, wanted))


def write_checked(path: Path, shown: str, text: str, check: Callable[[Bank | None], None]) -> None:
    """Write ``text`` over the bank file if ``check`` passes on the bank it loads as (None when
    it does not load); ``check`` raises to refuse, and then the file is left as it was."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        check(load_bank(tmp, shown).bank)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _form_line(question: Question, *keys: str) -> int:
    """The 1-based line of the first of ``keys`` the question has (else the question's own)."""
    return next((question.pos[k][0] for k in keys if k in question.pos), max(question.line, 1))


def _unchanged(path: Path, question: Question, form: str, source: str, *keys: str) -> AcceptEdit:
    """The edit when nothing needs writing, pointing at the line that accepts ``form``."""
    line = _form_line(question, *keys)
    return AcceptEdit(path, question.id, form, line, source_lines(source)[line - 1], False)


def add_accept(path: Path, question_id: str, form: str, display: str | None = None) -> AcceptEdit:
    """Add ``form`` to the ``accept`` list of question ``question_id`` in the bank at ``path``.

    A form the grader already takes exactly changes nothing (``changed`` is False). Raises
    EditError, with the line to add by hand where possible, when the file has problems now, the
    question is not an ``answer`` question, or the edited file would not load or would differ in
    more than that form; the file is then left as it was.
    """
    form = _clean_form(form)
    shown = display or str(path)

    def edit() -> AcceptEdit:
        old, source, question = _current(path, shown, question_id, "answer")
        if already_accepted(question, form):
            return _unchanged(path, question, form, source, "accept", "answer")
        with _by_hand(accept_line(question, form), shown):
            text, line = plan_accept(source, question_id, form)
            _replace(path, shown, old, text, replace(question, accept=(*question.accept, form)))
        return AcceptEdit(
            path, question_id, form, line + 1, written_lines(source, text, line), True
        )

    return locked(path, edit)


def add_cloze_accept(
    path: Path, question_id: str, number: int, blanks: Sequence[str], display: str | None = None
) -> AcceptEdit:
    """Accept ``blanks``, typed one per blank of card ``number`` of cloze ``question_id``: add
    the forms the grader does not take yet (``cloze_forms``) under ``cN`` of its ``accept``.

    When every blank is taken already nothing changes (``changed`` is False). Raises EditError
    as ``add_accept`` does, and when the blanks cannot be accepted (``cloze_forms``).
    """
    shown = display or str(path)

    def edit() -> AcceptEdit:
        old, source, question = _current(path, shown, question_id, "cloze")
        if number not in question.card_numbers:
            raise EditError(f"'{question_id}' has no deletion c{number}")
        forms = cloze_forms(question, number, blanks)
        if not forms:
            typed = " · ".join(_squeeze(b) for b in blanks)
            return _unchanged(path, question, typed, source, f"accept.c{number}", "text")
        with _by_hand(cloze_accept_line(question, {number: forms}), shown):
            text, line = plan_cloze_accept(source, question_id, number, forms)
            _replace(path, shown, old, text, with_cloze_forms(question, number, forms))
        written = written_lines(source, text, line)
        return AcceptEdit(path, question_id, " · ".join(forms), line + 1, written, True)

    return locked(path, edit)


def preview_accept(source: str, question: Question, form: str) -> tuple[int, str]:
    """The 1-based line and its text as ``add_accept`` would write them into ``source``; for a
    layout it cannot edit, the line to add by hand (line 0)."""
    try:
        text, line = plan_accept(source, question.id, _squeeze(form))
    except (EditError, yaml.YAMLError):
        return 0, accept_line(question, form)
    return line + 1, written_lines(source, text, line)


def preview_cloze_accept(
    source: str, question: Question, number: int, blanks: Sequence[str]
) -> tuple[int, str]:
    """The 1-based line and the line(s) ``add_cloze_accept`` would write into ``source``; when
    nothing needs writing, the line that accepts the blanks already; for a layout it cannot
    edit, the line to add by hand (line 0). Raises EditError, as ``cloze_forms`` does, when the
    blanks cannot be accepted as typed."""
    forms = cloze_forms(question, number, blanks)
    if not forms:
        return field_line(question, f"accept.c{number}", source_lines(source))
    manual = cloze_accept_line(question, {number: forms})
    try:
        text, line = plan_cloze_accept(source, question.id, number, forms)
    except (EditError, yaml.YAMLError):
        return 0, manual
    return line + 1, written_lines(source, text, line)


def field_line(question: Question, key: str, lines: list[str]) -> tuple[int, str]:
    """A question's field as (1-based line, text of that line), for pointing an instructor at it."""
    number = question.pos.get(key, (question.line, 1))[0]
    return number, lines[number - 1] if 0 < number <= len(lines) else ""
