"""Inserting text into a hand-written bank file where PyYAML's node marks say it belongs.

Loading and dumping YAML would lose the instructor's comments and layout, so an edit is planned
as text: find the question's node, then insert a line, or a piece of a flow collection, in the
file's own style (its indentation, its line endings, flow or block lists). Planning never writes;
``bankedit`` checks the planned text by loading it before it replaces a file. Anything laid out
in a way this module does not know raises EditError rather than guessing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml

from .bank_keys import DELETION_KEY
from .problems import source_lines

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    _Loader = yaml.SafeLoader

_ITEM_PREFIX = re.compile(r"^[ \t]*-[ \t]+$")


class EditError(Exception):
    """The edit could not be made safely; the file is unchanged.

    ``line`` is the YAML line an instructor can add by hand, when one can be given.
    """

    def __init__(self, message: str, line: str | None = None) -> None:
        super().__init__(message)
        self.line = line


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar that reads back unchanged in a flow list and a block item."""
    dumped = yaml.safe_dump([text], default_flow_style=True, allow_unicode=True, width=1 << 30)
    rep = dumped.strip()[1:-1]
    if yaml.safe_load(f"[{rep}]") != [text] or yaml.safe_load(f"- {rep}") != [text]:
        raise EditError(f"cannot write {text!r} as YAML safely")
    return rep


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


@dataclass(frozen=True)
class _Source:
    """A bank file's text cut into lines as YAML cuts it, for inserting text at node marks."""

    text: str
    lines: list[str]
    newline: str

    @classmethod
    def of(cls, text: str) -> _Source:
        return cls(text, source_lines(text), "\r\n" if "\r\n" in text else "\n")

    def offset(self, mark: yaml.Mark) -> int:
        """A mark's character offset (marks count characters, lines by line)."""
        before = self.lines[: mark.line]
        return sum(len(line) + len(self.newline) for line in before) + mark.column

    def last_line(self, node: yaml.Node) -> int:
        """The 0-based line holding the end of a node's text. A block collection ends where the
        next key starts, so its last leaf is used; block scalars end on the next line."""
        while isinstance(node, yaml.CollectionNode) and not node.flow_style and node.value:
            last = node.value[-1]
            node = last[1] if isinstance(last, tuple) else last
        end = node.end_mark.line if node.end_mark.column > 0 else node.end_mark.line - 1
        while end > node.start_mark.line and not self.lines[end].strip():
            end -= 1
        return end

    def insert(self, at: int, piece: str) -> tuple[str, int]:
        """Insert ``piece`` at character offset ``at``; the 0-based line it lands on."""
        return self.text[:at] + piece + self.text[at:], len(source_lines(self.text[:at])) - 1

    def insert_lines(self, after: int, new: Sequence[str]) -> tuple[str, int]:
        """Insert ``new`` as lines of their own after 0-based line ``after``; the first's line."""
        head = self.newline.join(self.lines[: after + 1])
        body = "".join(self.newline + line for line in new)
        return head + body + self.text[len(head) :], after + 1


def _entries(source: str, question_id: str, kind: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """The keys of question ``question_id`` with their nodes, checking it is a ``kind``."""
    node = _question_node(yaml.compose(source, Loader=_Loader), question_id)
    if node.flow_style:
        raise EditError("the question is written in flow style ({...}); edit it by hand")
    entries = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    value = entries.get("type", (None, None))[1]
    if not isinstance(value, yaml.ScalarNode) or value.value.strip() != kind:
        raise EditError(
            f"'{question_id}' is not a{'n' if kind == 'answer' else ''} {kind} question"
        )
    return entries


def _append_items(src: _Source, seq: yaml.SequenceNode, reps: Sequence[str]) -> tuple[str, int]:
    """Add YAML scalars ``reps`` at the end of a list, flow (``[a, b]``) or block (``- a``)."""
    if seq.flow_style:
        if seq.value:
            return src.insert(src.offset(seq.value[-1].end_mark), "".join(f", {r}" for r in reps))
        return src.insert(src.offset(seq.end_mark) - 1, ", ".join(reps))  # before the ']'
    last = seq.value[-1]
    prefix = src.lines[last.start_mark.line][: last.start_mark.column]
    if not _ITEM_PREFIX.match(prefix):
        raise EditError("the accept list is laid out unusually; edit it by hand")
    return src.insert_lines(src.last_line(last), [prefix + r for r in reps])


def plan_accept(source: str, question_id: str, form: str) -> tuple[str, int]:
    """The file's text with ``form`` added to the question's ``accept`` list, and the 0-based
    line that holds it. Raises EditError when the question is not laid out as expected."""
    entries = _entries(source, question_id, "answer")
    src = _Source.of(source)
    rep = yaml_scalar(form)
    if "accept" in entries:
        value = entries["accept"][1]
        if not isinstance(value, yaml.SequenceNode):
            raise EditError("'accept' is not a list; edit it by hand")
        return _append_items(src, value, [rep])
    if "answer" not in entries:
        raise EditError("the question has no 'answer'")
    key, value = entries["answer"]
    return src.insert_lines(
        src.last_line(value), [" " * key.start_mark.column + f"accept: [{rep}]"]
    )


def plan_cloze_accept(
    source: str, question_id: str, number: int, forms: Sequence[str]
) -> tuple[str, int]:
    """The file's text with ``forms`` added under ``cN`` of the cloze's ``accept`` mapping, and
    the 0-based line that holds them (the ``accept:`` line when the mapping is new). A new
    ``cN`` goes before the first higher number, so the keys stay in order."""
    entries = _entries(source, question_id, "cloze")
    src = _Source.of(source)
    reps = [yaml_scalar(f) for f in forms]
    entry = f"c{number}: [{', '.join(reps)}]"
    if "accept" not in entries:
        if "text" not in entries:
            raise EditError("the question has no 'text'")
        key, value = entries["text"]
        indent = " " * key.start_mark.column
        return src.insert_lines(src.last_line(value), [f"{indent}accept:", f"{indent}  {entry}"])
    accept_key, mapping = entries["accept"]
    if not isinstance(mapping, yaml.MappingNode) or not mapping.value:
        raise EditError("'accept' is not a mapping of deletion numbers; edit it by hand")
    for key, value in mapping.value:
        if key.value == f"c{number}":
            if not isinstance(value, yaml.SequenceNode):
                raise EditError(f"'c{number}' is not a list of forms; edit it by hand")
            return _append_items(src, value, reps)
    later = next((k for k, _ in mapping.value if _key_number(k) > number), None)
    if mapping.flow_style:
        if later is not None:
            return src.insert(src.offset(later.start_mark), f"{entry}, ")
        return src.insert(src.offset(mapping.value[-1][1].end_mark), f", {entry}")
    first = mapping.value[0][0]
    indent = src.lines[first.start_mark.line][: first.start_mark.column]
    if indent.strip():
        raise EditError("the accept mapping is laid out unusually; edit it by hand")
    if later is None:
        return src.insert_lines(src.last_line(mapping), [indent + entry])
    at = later.start_mark.line  # above the next number and the comments that head it
    while at - 1 > accept_key.start_mark.line and src.lines[at - 1].lstrip().startswith("#"):
        at -= 1
    return src.insert_lines(at - 1, [indent + entry])


def _key_number(key: yaml.Node) -> int:
    match = DELETION_KEY.match(key.value) if isinstance(key, yaml.ScalarNode) else None
    return int(match[1]) if match else 0


def written_lines(before: str, after: str, line: int) -> str:
    """The line(s) of ``after`` an edit at 0-based ``line`` wrote: inserted lines, else that one."""
    lines = source_lines(after)
    added = len(lines) - len(source_lines(before))
    return "\n".join(lines[line : line + max(added, 1)])
