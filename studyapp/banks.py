"""Load question banks from YAML into typed objects, reporting every problem with its position.

This is the one loader: ``studyapp check``, the server and the exporters all call ``load_bank``.
It parses with PyYAML's libyaml composer (``yaml.compose`` with ``CSafeLoader``), which keeps a
line and column on every node and, unlike ``yaml.load``, keeps both copies of a duplicated key so
that we can report it. We build questions from the nodes ourselves instead of constructing plain
Python values first: that keeps positions and costs less than PyYAML's own constructor.
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import check
from .documents import Document, load_document
from .model import QUESTION_TYPES, Bank, Question
from .problems import Problem, source_lines

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml: slower, same results
    _Loader = yaml.SafeLoader

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
BANK_KEYS = {"id": "id", "title": "text", "document": "text", "questions": "questions"}
COMMON_KEYS = {
    "id": "id",
    "type": "type",
    "quote": "text",
    "explain": "text",
    "tags": "list",
    "draft": "bool",
}
TYPE_KEYS: dict[str, dict[str, str]] = {
    "choice": {"prompt": "text", "answer": "text", "distractors": "list"},
    "multi": {"prompt": "text", "answers": "list", "distractors": "list"},
    "truefalse": {"prompt": "text", "answer": "bool"},
    "cloze": {"text": "text"},
    "answer": {"prompt": "text", "answer": "text", "accept": "list"},
    "card": {"prompt": "text", "answer": "text"},
}
REQUIRED_COMMON = ("id", "type", "quote")
OPTIONAL_BY_TYPE = {"answer": {"accept"}}

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
# Keys whose values are sentences a student reads: a ' #' in them is more likely text than a
# comment. List items (distractors, accept forms) are left out: they are short, and a note after
# one (``- 19%  # with a percent sign``) is a comment the bank's authors do write.
PROSE_KEYS = frozenset(("title", "prompt", "answer", "text", "quote", "explain"))
_TRAILING_COMMENT = re.compile(r"[ \t]+#")
_BOOL_WORD = re.compile(r"(?i)^(true|false|yes|no|on|off)$")
# What YAML accepts as text (YAML 1.1 section 5.1, as PyYAML's reader checks it).
# Where YAML breaks lines (see problems.source_lines), in UTF-8 bytes.
_BYTE_BREAK = re.compile(rb"\r\n|[\r\n]|\xc2\x85|\xe2\x80[\xa8\xa9]")
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTROL_NAMES = {
    "\x00": "null",
    "\x07": "bell",
    "\x08": "backspace",
    "\x0b": "vertical tab",
    "\x0c": "form feed",
    "\x1b": "escape",
    "\x7f": "delete",
}
_KINDS = {
    yaml.ScalarNode: "a single value",
    yaml.SequenceNode: "a list",
    yaml.MappingNode: "a mapping",
}


@dataclass
class LoadResult:
    """What loading one bank file gave: the bank if it is clean, and every problem found."""

    path: Path
    bank: Bank | None
    problems: list[Problem] = field(default_factory=list)
    questions: int = 0
    source: str = ""


class _Walker:
    """Turns YAML nodes into values, collecting located problems on the way.

    ``lines`` is the source split as YAML splits it: some mistakes (a ' #' that cut a value
    short, a cloze error deep in a folded text) show only in the text around a node.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.lines: list[str] = []
        # The scalar value nodes of each question read, by id() of the Question: check rules
        # ask for positions inside a value through ``locate``.
        self.values: dict[int, dict[str, yaml.ScalarNode]] = {}

    def problem(self, node: Any, code: str, message: str, hint: str | None = None) -> None:
        """Record a problem at a node or at a mark (libyaml's marks are their own class)."""
        mark = getattr(node, "start_mark", node)
        self.problems.append(
            Problem(self.path, mark.line + 1, mark.column + 1, code, message, hint)
        )

    def items(
        self, node: yaml.MappingNode, where: str, merged_at: int | None = None
    ) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
        """Yield (key, key node, value node), reporting non-text and duplicate keys.

        ``merged_at`` is the line of a second ``id`` in a question (see ``_merged_at``): the
        duplicates it brings get a hint about the forgotten '- ' instead of a generic one.
        """
        seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "wrong-type", f"{where}: a key must be a plain word")
                continue
            key = key_node.value
            if key in seen:
                first = seen[key].start_mark.line + 1
                hint = _forgot_dash(key_node, merged_at) or (
                    "YAML would silently keep only the last one: remove or rename one of them"
                )
                self.problem(
                    key_node,
                    "duplicate-key",
                    f"{where}: key '{key}' appears twice (first on line {first})",
                    hint,
                )
                continue
            seen[key] = key_node
            yield key, key_node, value_node

    def text(self, node: yaml.Node, where: str, key: str) -> str | None:
        """The stripped text of a scalar; prose keys are also checked for a ' #' that cut them."""
        prose = key in PROSE_KEYS
        if not isinstance(node, yaml.ScalarNode):
            hint = None
            if isinstance(node, yaml.MappingNode):
                hint = (
                    f"the lines under '{key}:' are indented more than it, so YAML reads them as "
                    f"its value: line them up with '{key}:'"
                )
            self.problem(
                node,
                "wrong-type",
                f"{where}: '{key}' should be text, not {_KINDS[type(node)]}",
                hint,
            )
            return None
        if node.tag == _NULL or not node.value.strip():
            hint = None
            if prose and self._comment_after(node):
                hint = "everything after ' #' is a YAML comment: put the whole value in quotes"
            self.problem(node, "empty-value", f"{where}: '{key}' is empty", hint)
            return None
        if prose and self._comment_after(node):
            self._comment_in_value(node, where, key)
        return node.value.strip()

    def _comment_after(self, node: yaml.ScalarNode) -> bool:
        """Whether a plain (unquoted) scalar is followed on its last line by a ' #' comment.

        Only plain scalars: in quotes or in a ``|``/``>`` block a '#' is text.
        """
        if node.style or node.end_mark.line >= len(self.lines):
            return False
        rest = self.lines[node.end_mark.line][node.end_mark.column :]
        return _TRAILING_COMMENT.match(rest) is not None

    def _comment_in_value(self, node: yaml.ScalarNode, where: str, key: str) -> None:
        """Report a prose value cut short by a comment, with the quoted line that fixes it.

        A ' #' after a value is a legitimate YAML comment, but in text a student reads it is far
        more often part of the text ("the #1 reason"), silently dropped. We flag it only for
        prose keys (see PROSE_KEYS), never after ids, types, true/false or list items, where a
        note such as ``answer: true  # see paragraph 3`` is what the author meant.
        """
        end = node.end_mark
        line = self.lines[end.line]
        whole = node.value + line[end.column :].rstrip()
        hash_col = line.index("#", end.column)
        hint = "put the whole value in quotes, or move the comment to a line of its own"
        if node.start_mark.line == node.end_mark.line:
            hint = f"put the whole value in quotes: {key}: {_double_quoted(whole)}"
        self.problem(
            yaml.Mark(self.path, end.index, end.line, hash_col, None, None),
            "comment-in-value",
            f"{where}: the text after ' #' is read as a YAML comment and dropped, "
            f"so '{key}' is only '{node.value}'",
            hint,
        )

    def boolean(self, node: yaml.Node, where: str, key: str) -> bool | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
            return node.value.lower() in ("true", "yes", "on")
        if not isinstance(node, yaml.ScalarNode):
            message = f"{where}: '{key}' should be true or false, not {_KINDS[type(node)]}"
            self.problem(node, "wrong-type", message)
        elif node.tag == _NULL or not node.value.strip():
            self.problem(node, "empty-value", f"{where}: '{key}' is empty", "write true or false")
        elif node.style and _BOOL_WORD.match(node.value.strip()):
            meant = "true" if node.value.strip().lower() in ("true", "yes", "on") else "false"
            self.problem(
                node,
                "wrong-type",
                f"{where}: '{key}' is in quotes, which makes it text, not true or false",
                f"remove the quotes: {key}: {meant}",
            )
        else:
            message = f"{where}: '{key}' should be true or false, not '{node.value}'"
            self.problem(node, "wrong-type", message)
        return None

    def strings(self, node: yaml.Node, where: str, key: str) -> list[str] | None:
        example = f"write '{key}: [first, second]' or one '- item' per line"
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL:
            self.problem(node, "empty-value", f"{where}: '{key}' is empty", example)
            return None
        if isinstance(node, yaml.ScalarNode) and key == "tags":
            return [node.value.strip()]
        if not isinstance(node, yaml.SequenceNode):
            self.problem(
                node,
                "wrong-type",
                f"{where}: '{key}' should be a list, not {_KINDS[type(node)]}",
                example,
            )
            return None
        out: list[str] = []
        for i, item in enumerate(node.value):
            value = self.text(item, where, f"{key}[{i + 1}]")
            if value is not None:
                out.append(value)
        if not out and not node.value and key != "tags":
            self.problem(node, "empty-value", f"{where}: '{key}' is an empty list")
        return out

    def locate(self, question: Question, key: str, offset: int) -> tuple[int, int] | None:
        """The 1-based (line, column) of character ``offset`` of a question's text value."""
        node = self.values.get(id(question), {}).get(key)
        return _value_position(self.lines, node, offset) if node is not None else None


def _merged_at(node: yaml.MappingNode) -> int | None:
    """The 1-based line of a question's second ``id`` key, if it has one.

    A second ``id`` in one question almost always means the '- ' that starts the next question
    was left out, so YAML merged two questions into one mapping.
    """
    ids = [k for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.value == "id"]
    return ids[1].start_mark.line + 1 if len(ids) > 1 else None


def _forgot_dash(key_node: yaml.Node, merged_at: int | None) -> str | None:
    """The hint for a key that came from a question merged into the one above (see _merged_at)."""
    line = key_node.start_mark.line + 1
    if merged_at is None or line < merged_at:
        return None
    if line == merged_at:
        return "did you forget the '- ' that starts the next question?"
    return f"did you forget the '- ' before 'id' on line {merged_at}?"


def _double_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _value_position(
    lines: Sequence[str], node: yaml.ScalarNode, offset: int
) -> tuple[int, int] | None:
    """Where character ``offset`` of a scalar's stripped value stands in the source, or None.

    Indentation, line breaks and folding (plain, quoted, ``>`` and ``|`` values alike) change
    only whitespace, so the n-th non-blank character of the value is the n-th non-blank
    character of its source. Escapes (``''``, ``\\"``) break that; the walk then meets a
    character that differs and gives up rather than point at the wrong place.
    """
    value = node.value.strip()
    if not 0 <= offset < len(value) or value[offset].isspace():
        return None
    wanted = [ch for ch in value[: offset + 1] if not ch.isspace()]
    line, col = node.start_mark.line, node.start_mark.column
    if node.style in ("|", ">"):
        line, col = line + 1, 0  # the header line holds only the indicator (and a comment)
    elif node.style in ("'", '"'):
        col += 1
    found = 0
    while line <= min(node.end_mark.line, len(lines) - 1):
        text = lines[line]
        for at in range(col, len(text)):
            if text[at].isspace():
                continue
            if text[at] != wanted[found]:
                return None
            found += 1
            if found == len(wanted):
                return line + 1, at + 1
        line, col = line + 1, 0
    return None


def _did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _read_question(w: _Walker, bank_id: str, node: yaml.Node, index: int) -> Question | None:
    label = f"question #{index + 1}"
    if not isinstance(node, yaml.MappingNode):
        w.problem(
            node, "wrong-type", f"{label} should be a mapping of keys such as 'id' and 'type'"
        )
        return None
    for key_node, value_node in node.value:
        if key_node.value == "id" and isinstance(value_node, yaml.ScalarNode):
            if value_node.value.strip():
                label = f"question '{value_node.value.strip()}'"
            break
    merged_at = _merged_at(node)
    entries = {key: (key_node, value) for key, key_node, value in w.items(node, label, merged_at)}
    qtype = None
    if "type" in entries:
        type_node = entries["type"][1]
        raw = w.text(type_node, label, "type")
        if raw is not None and raw not in QUESTION_TYPES:
            w.problem(
                type_node,
                "unknown-type",
                f"{label}: type '{raw}' is not one of {', '.join(QUESTION_TYPES)}",
                _did_you_mean(raw, QUESTION_TYPES),
            )
        elif raw is not None:
            qtype = raw
    allowed = dict(COMMON_KEYS) | (TYPE_KEYS[qtype] if qtype else {})
    values: dict[str, object] = {}
    pos: dict[str, tuple[int, int]] = {}
    for key, (key_node, value) in entries.items():
        if key not in allowed:
            if qtype is None and any(key in keys for keys in TYPE_KEYS.values()):
                continue  # cannot judge type-specific keys without a valid type
            owners = [t for t, keys in TYPE_KEYS.items() if key in keys]
            hint = _did_you_mean(key, allowed)
            if owners:
                belongs = f"'{key}' belongs to {' and '.join(owners)} questions"
                hint = f"{belongs}; {hint}" if hint else belongs
            hint = _forgot_dash(key_node, merged_at) or hint
            w.problem(key_node, "unknown-key", f"{label}: unknown key '{key}'", hint)
            continue
        kind = allowed[key]
        pos[key] = _pos(value)
        if kind in ("text", "type"):
            values[key] = w.text(value, label, key)
        elif kind == "id":
            raw = w.text(value, label, key)
            if raw is not None and not ID_PATTERN.match(raw):
                w.problem(
                    value,
                    "invalid-id",
                    f"{label}: id '{raw}' may hold only lowercase letters, digits and hyphens",
                    f"try '{_slug(raw)}'",
                )
                raw = None
            values[key] = raw
        elif kind == "bool":
            values[key] = w.boolean(value, label, key)
        elif kind == "list":
            if isinstance(value, yaml.SequenceNode):
                for i, item in enumerate(value.value):
                    pos[f"{key}[{i}]"] = _pos(item)
            values[key] = w.strings(value, label, key)
    required = list(REQUIRED_COMMON)
    if qtype:
        optional = OPTIONAL_BY_TYPE.get(qtype, set())
        required += [k for k in TYPE_KEYS[qtype] if k not in optional]
    missing = [k for k in required if k not in entries]
    for key in missing:
        w.problem(node, "missing-key", f"{label}: missing '{key}'")
    if missing or qtype is None or any(values.get(k) is None for k in required):
        return None
    answer = values.get("answer")
    if isinstance(answer, bool):
        answer = "true" if answer else "false"
    question = Question(
        bank_id=bank_id,
        id=str(values["id"]),
        type=qtype,
        prompt=str(values.get("prompt") or ""),
        answer=str(answer or ""),
        answers=tuple(values.get("answers") or ()),  # type: ignore[arg-type]
        distractors=tuple(values.get("distractors") or ()),  # type: ignore[arg-type]
        accept=tuple(values.get("accept") or ()),  # type: ignore[arg-type]
        text=str(values.get("text") or ""),
        quote=str(values["quote"]),
        explain=str(values.get("explain") or ""),
        tags=tuple(values.get("tags") or ()),  # type: ignore[arg-type]
        draft=bool(values.get("draft") or False),
        line=node.start_mark.line + 1,
        pos=pos,
    )
    w.values[id(question)] = {
        key: value for key, (_, value) in entries.items() if isinstance(value, yaml.ScalarNode)
    }
    return question


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "question"


def load_bank(path: Path, display: str | None = None) -> LoadResult:
    """Load and check one bank file. The bank is None unless the file is free of problems.

    ``display`` is the path as problems should name it (relative to where the user stands).
    Never raises for a bad file: every failure becomes a located problem.
    """
    shown = display or str(path)
    w = _Walker(shown)
    result = LoadResult(path=path, bank=None)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        w.problem(
            yaml.Mark(shown, 0, 0, 0, None, None), "unreadable", f"cannot read: {exc.strerror}"
        )
        result.problems = w.problems
        return result
    result.source = text = _decode(w, raw)
    w.lines = source_lines(text)
    if w.problems or _control_characters(w):
        result.problems = w.problems
        return result
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        _syntax_problem(w, exc)
        result.problems = w.problems
        return result
    except yaml.YAMLError as exc:
        w.problem(yaml.Mark(shown, 0, 0, 0, None, None), "yaml-syntax", f"YAML syntax: {exc}")
        result.problems = w.problems
        return result
    bank = _read_bank(w, path, root, result)
    result.problems = w.problems
    if bank is not None and not w.problems:
        result.bank = bank
    return result


def _decode(w: _Walker, raw: bytes) -> str:
    """Decode a bank as UTF-8, reporting the first byte that is not UTF-8 on each line.

    ``utf-8-sig`` drops the byte-order mark some Windows editors write. Bad bytes become U+FFFD
    in the text returned, so the report can still show the line; columns count characters.
    The bytes are split where YAML breaks lines, so line numbers match the decoded text's.
    """
    text = raw.decode("utf-8-sig", errors="replace")
    for number, line in enumerate(_BYTE_BREAK.split(raw.removeprefix(codecs.BOM_UTF8))):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            col = len(line[: exc.start].decode("utf-8", errors="replace"))
            w.problem(
                yaml.Mark(w.path, 0, number, col, None, None),
                "not-utf8",
                f"byte 0x{line[exc.start]:02x} is not UTF-8 text",
                "save the file as UTF-8 (most editors offer it under 'Save with encoding')",
            )
    return text


def _control_characters(w: _Walker) -> bool:
    """Report each line's first character that YAML refuses (a form feed pasted from a PDF...).

    PyYAML would stop at the first with its own wording and a byte position; an instructor needs
    the line and column and the name of something they cannot see. Returns whether any was found.
    """
    found = False
    for number, line in enumerate(w.lines):
        m = _NOT_PRINTABLE.search(line)
        if m is None:
            continue
        found = True
        ch = m.group()
        name = _CONTROL_NAMES.get(ch, "control character" if ord(ch) < 0xA0 else "noncharacter")
        what = f"a control character ({name}, U+{ord(ch):04X})"
        if name in ("control character", "noncharacter"):
            what = f"an invisible {name} (U+{ord(ch):04X})"
        w.problem(
            yaml.Mark(w.path, 0, number, m.start(), None, None),
            "yaml-syntax",
            f"{what} is on this line, and YAML does not allow it",
            "delete it (such characters often come with text pasted from a PDF or a word processor)",
        )
    return found


def _syntax_problem(w: _Walker, exc: yaml.MarkedYAMLError) -> None:
    """Report a YAML syntax error where the instructor has to fix it, in plain words."""
    problem = exc.problem or ""
    if "could not find expected ':'" in problem and exc.context_mark is not None:
        # libyaml notices the missing ':' only on the next line; the key started on this one.
        mark = exc.context_mark
        line = w.lines[mark.line] if mark.line < len(w.lines) else ""
        w.problem(
            mark,
            "yaml-syntax",
            "YAML syntax: this line has no ': ' after its key",
            _colon_hint(line),
        )
        return
    mark = exc.problem_mark or exc.context_mark
    assert mark is not None
    message = f"YAML syntax: {problem}"
    if exc.context:
        message += f" ({exc.context}"
        if exc.context_mark is not None and exc.context_mark.line != mark.line:
            message += f" on line {exc.context_mark.line + 1}"
        message += ")"
    w.problem(mark, "yaml-syntax", message, _syntax_hint(exc, w.lines))


def _colon_hint(line: str) -> str:
    """How to mend a line that YAML could not split into key and value."""
    glued = re.match(r"\s*(?:-\s+)?([A-Za-z_][\w-]*):(\S.*)", line)
    if glued:
        return f"put a space after the colon: '{glued[1]}: {glued[2].rstrip()}'"
    known = set(COMMON_KEYS) | {k for keys in TYPE_KEYS.values() for k in keys} | set(BANK_KEYS)
    spaced = re.match(r"\s*(?:-\s+)?([A-Za-z_][\w-]*)\s+(\S.*)", line)
    if spaced and spaced[1] in known:
        return f"add the colon after the key: '{spaced[1]}: {spaced[2].rstrip()}'"
    return (
        "write 'key: value'; if this line continues the value above, indent it more than that "
        "value's key, or put the whole value in quotes on one line"
    )


def _syntax_hint(exc: yaml.MarkedYAMLError, lines: Sequence[str]) -> str | None:
    """A plain-words hint for the YAML errors instructors meet most."""
    problem = exc.problem or ""
    mark = exc.problem_mark or exc.context_mark
    assert mark is not None
    if "expected ',' or" in problem and exc.context_mark is not None:
        span = lines[exc.context_mark.line : mark.line + 1]
        if any(_TRAILING_COMMENT.search(line) for line in span):
            return "a ' #' inside [...] starts a YAML comment: put that item in quotes"
    if "mapping values are not allowed" in problem:
        before = lines[mark.line][: mark.column] if mark.line < len(lines) else ""
        key = re.fullmatch(r"\s+([A-Za-z_][\w-]*)", before)
        if key:
            # A 'key' that starts its own line yet belongs to a value: it is indented too deep.
            return (
                f"'{key[1]}:' is indented more than the key above it, so YAML reads it as part "
                "of that key's value: line it up with the other keys"
            )
        return "a value containing ': ' must be put in quotes"
    if "tab" in problem:
        return "indent with spaces, not tabs"
    if "expected '-' indicator" in problem:
        return "each item of a list (a question, a distractor) starts with '- ': add it here"
    return None


def _read_bank(w: _Walker, path: Path, root: yaml.Node | None, result: LoadResult) -> Bank | None:
    start = yaml.Mark(w.path, 0, 0, 0, None, None)
    if not isinstance(root, yaml.MappingNode):
        w.problem(
            root.start_mark if root is not None else start,
            "wrong-type",
            "a bank must be a mapping with 'id', 'title', 'document' and 'questions'",
        )
        return None
    entries = {key: (key_node, value) for key, key_node, value in w.items(root, "bank")}
    for key, (key_node, _) in entries.items():
        if key not in BANK_KEYS:
            hint = _did_you_mean(key, BANK_KEYS)
            w.problem(key_node, "unknown-key", f"bank: unknown key '{key}'", hint)
    for key in BANK_KEYS:
        if key not in entries:
            w.problem(root, "missing-key", f"bank: missing '{key}'")
    bank_id = title = None
    if "id" in entries:
        bank_id = w.text(entries["id"][1], "bank", "id")
        if bank_id is not None and not ID_PATTERN.match(bank_id):
            w.problem(
                entries["id"][1],
                "invalid-id",
                f"bank: id '{bank_id}' may hold only lowercase letters, digits and hyphens",
                f"try '{_slug(bank_id)}'",
            )
    if "title" in entries:
        title = w.text(entries["title"][1], "bank", "title")
    document = _read_document(w, path, entries.get("document"))
    questions: list[Question] = []
    if "questions" in entries:
        qnode = entries["questions"][1]
        if not isinstance(qnode, yaml.SequenceNode):
            w.problem(qnode, "wrong-type", "bank: 'questions' should be a list of questions")
        else:
            for i, item in enumerate(qnode.value):
                q = _read_question(w, bank_id or "", item, i)
                if q is not None:
                    questions.append(q)
            result.questions = len(qnode.value)
    for p in check.check_questions(questions, document, w.path, w.locate):
        w.problems.append(p)
    if bank_id is None or title is None or document is None:
        return None
    digest = hashlib.sha256(result.source.encode() + document.body.encode()).hexdigest()[:16]
    return Bank(bank_id, title, path, document, tuple(questions), digest)


def _read_document(
    w: _Walker, path: Path, entry: tuple[yaml.Node, yaml.Node] | None
) -> Document | None:
    if entry is None:
        return None
    node = entry[1]
    name = w.text(node, "bank", "document")
    if name is None:
        return None
    doc_path = path.parent / name
    try:
        return load_document(doc_path)
    except FileNotFoundError:
        near = _did_you_mean(name, [p.name for p in path.parent.glob("*.txt")])
        w.problem(
            node, "document-missing", f"bank: document '{name}' is not in {path.parent}", near
        )
    except UnicodeDecodeError:
        w.problem(node, "document-missing", f"bank: document '{name}' is not UTF-8 text")
    except OSError as exc:
        w.problem(node, "document-missing", f"bank: cannot read document '{name}': {exc.strerror}")
    return None


def load_banks(paths: Sequence[Path], display: Callable[[Path], str] = str) -> list[LoadResult]:
    """Load several bank files; a bank id used by two files is a problem in the second."""
    results = [load_bank(p, display(p)) for p in paths]
    first: dict[str, LoadResult] = {}
    for r in results:
        if r.bank is None:
            continue
        other = first.setdefault(r.bank.id, r)
        if other is not r:
            m = re.search(r"^id:[ \t]*", r.source, re.MULTILINE)
            line = r.source.count("\n", 0, m.start()) + 1 if m else 1
            col = len(m.group()) + 1 if m else 1
            r.problems.append(
                Problem(
                    display(r.path),
                    line,
                    col,
                    "duplicate-bank-id",
                    f"bank: id '{r.bank.id}' is already the id of {display(other.path)}",
                    "each bank file needs its own id",
                )
            )
            r.bank = None
    return results


def bank_paths(root: Path) -> list[Path]:
    """The bank files of a questions folder, in name order."""
    return sorted(p for p in root.glob("*.yaml") if p.is_file())
