"""Adding an accepted form to a bank file, keeping the instructor's comments and layout.

Bank files are hand-written YAML with comments, which loading and dumping would lose, so the edit
is textual: PyYAML's node marks find the question's ``accept:`` list (or, without one, the end
of its ``answer:``), and one piece of text is inserted there in the file's own style. The result
is loaded with ``banks.load_bank``, the loader the server uses, and must differ from the old bank
in exactly that form; only then does it replace the file, through a temporary file in the same
folder and ``os.replace``, so a reader never sees half a file and a failed check changes nothing.
Concurrent edits queue on ``flock`` of the bank file.
"""

from __future__ import annotations

import fcntl
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .banks import load_bank
from .grading import fold
from .model import Bank, Question
from .problems import source_lines

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    _Loader = yaml.SafeLoader

_ITEM_PREFIX = re.compile(r"^[ \t]*-[ \t]+$")
MAX_FORM_LENGTH = 200


class EditError(Exception):
    """The edit could not be made safely; the file is unchanged.

    ``line`` is the YAML line an instructor can add by hand, when one can be given.
    """

    def __init__(self, message: str, line: str | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class AcceptEdit:
    """An accepted form and where it stands in the bank file."""

    path: Path
    question_id: str
    form: str
    line: int  # 1-based line of the file that holds the form
    text: str  # that line as it reads in the file
    changed: bool  # False when the form was accepted already and nothing was written


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar that reads back unchanged in a flow list and a block item."""
    dumped = yaml.safe_dump([text], default_flow_style=True, allow_unicode=True, width=1 << 30)
    rep = dumped.strip()[1:-1]
    if yaml.safe_load(f"[{rep}]") != [text] or yaml.safe_load(f"- {rep}") != [text]:
        raise EditError(f"cannot write {text!r} as YAML safely")
    return rep


def accept_line(question: Question, form: str) -> str:
    """The ``accept:`` line to write by hand: the question's forms with ``form`` added."""
    forms = [*question.accept, form]
    return f"accept: [{', '.join(yaml_scalar(f) for f in forms)}]"


def already_accepted(question: Question, form: str) -> bool:
    """True when the grader already takes ``form`` exactly (the answer or an accepted form)."""
    folded = fold(form)
    return any(folded == fold(f) for f in (question.answer, *question.accept))


def _question_node(root: yaml.Node | None, question_id: str) -> yaml.MappingNode:
    if not isinstance(root, yaml.MappingNode):
        raise EditError("the file is not a bank (a mapping with 'questions')")
    for key, value in root.value:
        if key.value == "questions" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if not isinstance(item, yaml.MappingNode):
                    continue
                for k, v in item.value:
                    if k.value == "id" and isinstance(v, yaml.ScalarNode):
                        if v.value.strip() == question_id:
                            return item
    raise EditError(f"there is no question '{question_id}' in the file")


def _last_line(node: yaml.Node, lines: list[str]) -> int:
    """The 0-based line holding the end of a node's text (block scalars end on the next line)."""
    end = node.end_mark.line if node.end_mark.column > 0 else node.end_mark.line - 1
    while end > node.start_mark.line and not lines[end].strip():
        end -= 1
    return end


def plan_accept(source: str, question_id: str, form: str) -> tuple[str, int]:
    """The file's text with ``form`` added to the question's ``accept`` list, and the 0-based
    line that holds it. Raises EditError when the question is not laid out as expected."""
    root = yaml.compose(source, Loader=_Loader)
    node = _question_node(root, question_id)
    if node.flow_style:
        raise EditError("the question is written in flow style ({...}); edit it by hand")
    entries = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    kind = entries.get("type", (None, None))[1]
    if not isinstance(kind, yaml.ScalarNode) or kind.value.strip() != "answer":
        raise EditError("only 'answer' questions have an accept list")
    rep = yaml_scalar(form)
    newline = "\r\n" if "\r\n" in source else "\n"
    lines = source_lines(source)
    if "accept" in entries:
        value = entries["accept"][1]
        if not isinstance(value, yaml.SequenceNode):
            raise EditError("'accept' is not a list; edit it by hand")
        if value.flow_style:
            if value.value:
                at = _offset(lines, value.value[-1].end_mark, newline)
                text = f", {rep}"
            else:
                at = _offset(lines, value.end_mark, newline) - 1  # before the ']'
                text = rep
            line = source.count("\n", 0, at)
            return source[:at] + text + source[at:], line
        last = value.value[-1]
        prefix = lines[last.start_mark.line][: last.start_mark.column]
        if not _ITEM_PREFIX.match(prefix):
            raise EditError("the accept list is laid out unusually; edit it by hand")
        return _insert_line(source, lines, _last_line(last, lines), prefix + rep, newline)
    if "answer" not in entries:
        raise EditError("the question has no 'answer'")
    key, value = entries["answer"]
    text = " " * key.start_mark.column + f"accept: [{rep}]"
    return _insert_line(source, lines, _last_line(value, lines), text, newline)


def _offset(lines: list[str], mark: yaml.Mark, newline: str) -> int:
    """A mark's character offset in the source (marks count characters, lines by line)."""
    return sum(len(line) + len(newline) for line in lines[: mark.line]) + mark.column


def _insert_line(
    source: str, lines: list[str], after: int, text: str, newline: str
) -> tuple[str, int]:
    """Insert ``text`` as a line of its own after 0-based line ``after``."""
    head = newline.join(lines[: after + 1])
    return head + newline + text + source[len(head) :], after + 1


def _check(old: Bank, new: Bank | None, question_id: str, form: str) -> None:
    """The edited bank must load and differ from the old one by exactly the added form."""
    if new is None:
        raise EditError("the edited file did not load")
    same = (new.id, new.title, new.document.path) == (old.id, old.title, old.document.path)
    if not same or [q.id for q in new.questions] != [q.id for q in old.questions]:
        raise EditError("the edit changed more than the accept list")
    for before, after in zip(old.questions, new.questions, strict=True):
        if before.id != question_id:
            if before.content_hash != after.content_hash or before.draft != after.draft:
                raise EditError(f"the edit changed question '{before.id}' too")
        elif after.accept != (*before.accept, form) or (
            replace(after, accept=before.accept).content_hash != before.content_hash
        ):
            raise EditError("the accept list did not come out as intended")


def add_accept(path: Path, question_id: str, form: str, display: str | None = None) -> AcceptEdit:
    """Add ``form`` to the ``accept`` list of question ``question_id`` in the bank at ``path``.

    A form the grader already takes exactly changes nothing (``changed`` is False). Raises
    EditError, with the line to add by hand where possible, when the file has problems now, the
    question is not an ``answer`` question, or the edited file would not load or would differ in
    more than that form; the file is then left as it was.
    """
    form = " ".join(form.split())
    if not form or len(form) > MAX_FORM_LENGTH:
        raise EditError(f"a form must be 1 to {MAX_FORM_LENGTH} characters")
    shown = display or str(path)
    while True:
        with open(path, "rb") as held:
            fcntl.flock(held.fileno(), fcntl.LOCK_EX)
            if os.fstat(held.fileno()).st_ino != os.stat(path).st_ino:
                continue  # replaced while we waited: lock the new file
            return _add_locked(path, question_id, form, shown)


def _add_locked(path: Path, question_id: str, form: str, shown: str) -> AcceptEdit:
    result = load_bank(path, shown)
    old = result.bank
    if old is None:
        raise EditError(f"{shown} has problems now; fix them first (see the bank health page)")
    question = old.question(question_id)
    if question is None:
        raise EditError(f"there is no question '{question_id}' in {shown}")
    if question.type != "answer":
        raise EditError(f"'{question_id}' is a {question.type} question: it has no accept list")
    manual = accept_line(question, form)
    lines = source_lines(result.source)
    if already_accepted(question, form):
        line = _form_line(question)
        return AcceptEdit(path, question_id, form, line + 1, lines[line], False)
    try:
        text, line = plan_accept(result.source, question_id, form)
    except EditError as exc:
        raise EditError(str(exc), manual) from None
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        _check(old, load_bank(tmp, shown).bank, question_id, form)
        os.replace(tmp, path)
    except EditError as exc:
        raise EditError(str(exc), manual) from None
    except OSError as exc:
        raise EditError(f"cannot write {shown}: {exc.strerror or exc}", manual) from None
    finally:
        tmp.unlink(missing_ok=True)
    return AcceptEdit(path, question_id, form, line + 1, text.splitlines()[line], True)


def preview_accept(source: str, question: Question, form: str) -> tuple[int, str]:
    """The 1-based line and its text as ``add_accept`` would write them into ``source``; for a
    layout it cannot edit, the line to add by hand (line 0)."""
    try:
        text, line = plan_accept(source, question.id, " ".join(form.split()))
    except (EditError, yaml.YAMLError):
        return 0, accept_line(question, form)
    return line + 1, text.splitlines()[line]


def _form_line(question: Question) -> int:
    """The 0-based line where the question's accept list (or its answer) stands."""
    for key in ("accept", "answer"):
        if key in question.pos:
            return question.pos[key][0] - 1
    return max(question.line - 1, 0)


def field_line(question: Question, key: str, lines: list[str]) -> tuple[int, str]:
    """A question's field as (1-based line, text of that line), for pointing an instructor at it."""
    number = question.pos.get(key, (question.line, 1))[0]
    return number, lines[number - 1] if 0 < number <= len(lines) else ""
