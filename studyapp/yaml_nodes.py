"""Read values out of PyYAML nodes, recording each problem at the node's line and column.

The bank loader composes a file into nodes (``banks.load_bank``) and hands them to ``_Walker``,
which turns scalars, booleans and lists into values and reports what is wrong with them in the
instructor's words. It keeps the source lines as YAML splits them, because some mistakes show only
in the text around a node: a ' #' that cut a value short, or where a character of a folded value
stands. The hints for a question merged into the one above (a forgotten '- ') live here too, since
the walker's duplicate-key report and the loader's unknown-key report both use them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import yaml

from .bank_keys import PROSE_KEYS
from .model import Question
from .problems import Problem

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_TRAILING_COMMENT = re.compile(r"[ \t]+#")
# A line that starts, after its indentation, with a list item's '- ' (or a lone '-').
_DASH_LINE = re.compile(r"(?P<lead> *)-(?: |$)")
# What stands before a block list item's text on its line: indentation and one or more '- '.
_ITEM_BEFORE = re.compile(r"(?P<lead> *)-[ ]+(?:-[ ]+)*")
_BOOL_WORD = re.compile(r"(?i)^(true|false|yes|no|on|off)$")
# The start of a list item that lost its '- ': a '-' with no space after it (``-A ban``; not
# ``---``), or a bullet YAML does not use for lists (``* A ban``, ``•A ban``).
_BAD_ITEM = re.compile(r"-(?P<glued>[^\s-].*)|(?P<bullet>[*•+])[ ]*(?P<bulleted>\S.*)")
_KINDS = {
    yaml.ScalarNode: "a single value",
    yaml.SequenceNode: "a list",
    yaml.MappingNode: "a mapping",
}


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

    def text(
        self, node: yaml.Node, where: str, key: str, list_hint: str | None = None
    ) -> str | None:
        """The stripped text of a scalar; prose keys are also checked for a ' #' that cut them.

        ``list_hint`` is the help for a list where text belongs, when the caller knows better
        than "put it in quotes" (a choice question's ``answer: [A, B]`` wants to be a multi).
        """
        prose = key in PROSE_KEYS
        if not isinstance(node, yaml.ScalarNode):
            hint = None
            if isinstance(node, yaml.MappingNode):
                hint = self._colon_hint(node) or (
                    f"the lines under '{key}:' are indented more than it, so YAML reads them as "
                    f"its value: line them up with '{key}:'"
                )
            elif isinstance(node, yaml.SequenceNode):
                hint = list_hint or self._bracket_hint(node, key)
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
        if not node.style and node.end_mark.line > node.start_mark.line:
            self._dash_in_value(node, where, key)
        return node.value.strip()

    def _colon_hint(self, node: yaml.MappingNode) -> str | None:
        """For text with ': ' in it written on one line (``- Japan: the government``, or
        inside ``[...]``): YAML reads it as a key and its value, not as the text it is. Only
        after '- ' or '[': a key alone on its line is one indented under the key above, which
        the indentation hint explains."""
        if len(node.value) != 1:
            return None
        key_node, value_node = node.value[0]
        if not isinstance(key_node, yaml.ScalarNode) or not isinstance(value_node, yaml.ScalarNode):
            return None
        start = node.start_mark
        if key_node.start_mark.line != value_node.end_mark.line or start.line >= len(self.lines):
            return None
        if not self.lines[start.line][: start.column].strip():
            return None
        return (
            f"'{key_node.value}: {value_node.value}' has ': ' in it, so YAML reads it as a key"
            " and its value: put the whole text in quotes"
        )

    def _bracket_hint(self, node: yaml.SequenceNode, key: str) -> str | None:
        """For text written ``[like this]``: YAML reads a value that starts with '[' as a list.

        Only for prose keys, and only a list written on one line, which is quoted whole.
        """
        start, end = node.start_mark, node.end_mark
        if key not in PROSE_KEYS or not node.flow_style or start.line != end.line:
            return None
        if start.line >= len(self.lines):
            return None
        written = self.lines[start.line][start.column : end.column]
        return (
            "a value that starts with '[' is read as a list; if it is text, put it in quotes: "
            f"{key}: {_double_quoted(written)}"
        )

    def _dash_in_value(self, node: yaml.ScalarNode, where: str, key: str) -> None:
        """Report a line of a plain text that starts with '- ': YAML joined it to the text.

        A list item indented deeper than the items above it (``- A`` then `` - B``) is not an
        item: YAML reads it as a continuation line of the item above, and the list silently
        holds one item 'A - B'. Any unquoted text that runs on into a '- ' line is read so, and
        no text an instructor meant has a line break before ' - ' (in quotes, or in a ``>``
        block, a '- ' line is text on purpose, and is left alone).
        """
        for at in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(self.lines))):
            dash = _DASH_LINE.match(self.lines[at])
            if dash is not None:
                break
        else:
            return
        column = len(dash["lead"])
        start = node.start_mark
        item = _ITEM_BEFORE.fullmatch(self.lines[start.line][: start.column])
        joined = " ".join(node.value.split())
        mark = yaml.Mark(self.path, 0, at, column, None, None)
        if item is None:
            self.problem(
                mark,
                "dash-in-value",
                f"{where}: this line starts with '- ', but YAML reads it as more of the text of "
                f"'{key}' above, which is '{joined}'",
                "if the '- ' belongs to the text, put the whole text in quotes; a list item "
                f"cannot follow text under '{key}:'",
            )
            return
        above = len(item["lead"])
        deeper = column - above
        self.problem(
            mark,
            "dash-in-value",
            f"{where}: this '- ' item is indented {_spaces(deeper)} deeper than the '- ' above it "
            f"(line {start.line + 1}), so YAML joins it to the item above as one text, "
            f"'{joined}'",
            f"line its '- ' up with the '- ' above ({_spaces(above)})"
            if above
            else "start its '- ' at the left margin, like the '- ' above",
        )

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
        if isinstance(node, yaml.ScalarNode) and self._items_as_text(node, where, key):
            return None
        if isinstance(node, yaml.ScalarNode) and key == "tags":
            return self._tags(node, where)
        if not isinstance(node, yaml.SequenceNode):
            self.problem(
                node,
                "wrong-type",
                f"{where}: '{key}' should be a list, not {_KINDS[type(node)]}",
                example,
            )
            return None
        if node.flow_style:
            self._comma_in_items(node, where, key)
        out: list[str] = []
        for i, item in enumerate(node.value):
            value = self.text(item, where, f"{key}[{i + 1}]")
            if value is not None:
                out.append(value)
        if not out and not node.value and key != "tags":
            self.problem(node, "empty-value", f"{where}: '{key}' is an empty list")
        return out

    def _items_as_text(self, node: yaml.ScalarNode, where: str, key: str) -> bool:
        """Report a list whose items lost their '- ': ``-A naval blockade`` or ``* A ban``.

        YAML starts an item only at a '-' with a space after it, so lines written so, under a
        key that wants a list, read as one text made of all of them (below items that are
        right, libyaml stops with a syntax error instead: ``yaml_errors._bad_list_marker``).
        Only a text that starts a line of its own is judged: ``distractors: -A`` is a value
        someone typed on the key's line, and the plain "should be a list" says enough.
        """
        start = node.start_mark
        if node.style or start.line >= len(self.lines):
            return False
        if self.lines[start.line][: start.column].strip():
            return False
        match = _BAD_ITEM.match(self.lines[start.line][start.column :])
        if match is None:
            return False
        joined = " ".join(node.value.split())
        if match["glued"]:
            why = "a list item needs a space after its '-'"
            hint = f"put a space after each '-': '- {_shortened(match['glued'])}'"
        else:
            why = f"YAML lists use '- ' for each item, not '{match['bullet']}'"
            hint = f"start each item with '- ' instead: '- {_shortened(match['bulleted'])}'"
        self.problem(
            node,
            "wrong-type",
            f"{where}: '{key}' is read as one text, '{joined}', not a list: {why}",
            hint,
        )
        return True

    def _tags(self, node: yaml.ScalarNode, where: str) -> list[str] | None:
        """One tag written without brackets, or a problem for several written so.

        ``tags: thaad`` is one tag and is taken. ``tags: thaad, economy`` is one text to YAML,
        and would become a single tag "thaad, economy" (the Anki tag ``thaad,_economy``, which
        no search for either word finds); commas separate items only inside ``[...]``. No tag
        is meant to hold a comma, so a comma always means a list written without its brackets.
        """
        value = node.value.strip()
        if "," not in value:
            return [value]
        parts = [part.strip() for part in value.split(",") if part.strip()]
        self.problem(
            node,
            "wrong-type",
            f"{where}: 'tags' is one text, '{value}', not a list of tags",
            f"put the tags in brackets to make them a list: tags: [{', '.join(parts)}]",
        )
        return None

    def _comma_in_items(self, node: yaml.SequenceNode, where: str, key: str) -> None:
        """Report a number written with a thousands comma in a ``[...]`` list, split in two.

        In a flow list every comma ends an unquoted item, so ``[Bangtan Boys, 500,000 fans]``
        holds '500' and '000 fans'. Only a comma certain to be inside an item is reported: one
        between a digit and a group of exactly three digits (a thousands separator). Even that
        may separate two numbers in a list written without spaces after its commas
        (``[100,200,300]``), so such a list is left alone unless a group starts with 0 ('000'
        is no number anyone lists). A comma before a word (``[Washington,D.C.]``, or
        ``[thaad,economy]``) may as well separate two items: it is never reported.
        """
        items = node.value
        plain = [isinstance(i, yaml.ScalarNode) and not i.style for i in items]
        glued: list[int] = []  # i: items i and i + 1 are joined by a bare ',' between digits
        for i in range(len(items) - 1):
            a, b = items[i], items[i + 1]
            if not (plain[i] and plain[i + 1]) or a.end_mark.line != b.start_mark.line:
                continue
            if a.end_mark.line >= len(self.lines):
                continue
            between = self.lines[a.end_mark.line][a.end_mark.column : b.start_mark.column]
            if between == "," and a.value[-1:].isdigit() and re.match(r"\d{3}(?!\d)", b.value):
                glued.append(i)
        if not glued:
            return
        spaced = any(
            isinstance(a, yaml.ScalarNode)
            and a.end_mark.line < len(self.lines)
            and self.lines[a.end_mark.line][a.end_mark.column :].startswith(", ")
            for a in items[:-1]
        )
        numbers = all(
            p and re.fullmatch(r"\d+", i.value) for p, i in zip(plain, items, strict=True)
        )
        zero = any(items[i + 1].value.startswith("0") for i in glued)
        if numbers and not spaced and not zero:
            return  # [100,200]: two numbers, or two hundred thousand? Nothing certain to say.
        i = 0
        while i < len(glued):
            first = last = glued[i]
            while i + 1 < len(glued) and glued[i + 1] == last + 1:
                i += 1
                last = glued[i]
            i += 1
            pieces = items[first : last + 2]
            line = self.lines[pieces[0].start_mark.line]
            written = line[pieces[0].start_mark.column : pieces[-1].end_mark.column]
            count = "two" if len(pieces) == 2 else str(len(pieces))
            shown = ", ".join(f"'{p.value}'" for p in pieces[:-1]) + f" and '{pieces[-1].value}'"
            self.problem(
                pieces[0],
                "comma-in-item",
                f'{where}: the comma in "{written}" ends an item of the [...] list, so YAML '
                f"reads {count} items of '{key}', {shown}",
                f"put that item in quotes: {_double_quoted(written)}",
            )

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


# One line of each required key, as the examples of questions/README.md write it: the hint for
# a missing key shows what the line looks like, not only its name.
_KEY_EXAMPLES = {
    "id": "id: thaad-name (lowercase letters, digits and hyphens, unique in the bank)",
    "type": "type: choice (or multi, truefalse, cloze, answer, card)",
    "quote": "quote: the passage that proves the answer, copied word for word from the document",
    "prompt": "prompt: In which year was THAAD deployed in South Korea?",
    "answer": "answer: 2017",
    "answers": "answers: [United States, Japan]",
    "distractors": "distractors: [2016, 2018]",
    "text": "text: THAAD was deployed in South Korea in {{c1::2017}}.",
}
_BANK_EXAMPLES = {
    "id": "id: {slug} (lowercase letters, digits and hyphens)",
    "title": "title: the title of the reading",
    "document": "document: {stem}.txt (the reading, next to this file)",
}
# Keys that do one job under two names: a cloze's text is the other types' prompt. Written under
# the other name, the key is unknown and its twin missing, and the fix is a rename.
_TWIN_KEYS = {"text": "prompt", "prompt": "text"}


def missing_key_hint(key: str, qtype: str | None, present: dict[str, int]) -> str:
    """The help for a question missing ``key``: its twin to rename, or a line to copy.

    ``present`` maps the keys the question has to their 1-based lines.
    """
    twin = _TWIN_KEYS.get(key)
    if qtype is not None and twin in present:
        return f"{_twin_reason(qtype)}: rename '{twin}:' on line {present[twin]} to '{key}:'"
    example = _KEY_EXAMPLES.get(key)
    if key == "answer" and qtype == "truefalse":
        example = "answer: true (or false)"
    return f"add a line such as '{example}'" if example else f"add '{key}:' with its value"


def bank_key_hint(key: str, stem: str) -> str:
    """The help for a bank file missing one of its header keys, with the line to add; ``stem``
    is the bank file's name without '.yaml', which the bank's id and document usually share."""
    if key not in _BANK_EXAMPLES:
        return f"add '{key}:' on a line of its own, with one '- id: ...' per question below it"
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "reading"
    return f"add a line such as '{_BANK_EXAMPLES[key].format(stem=stem, slug=slug)}'"


def twin_key_hint(key: str, qtype: str | None, present: dict[str, int]) -> str | None:
    """The help for an unknown ``prompt`` on a cloze (or ``text`` on another type) whose twin
    key is absent: the rename that fixes both problems, not the types the key belongs to."""
    twin = _TWIN_KEYS.get(key)
    if qtype is None or twin is None or twin in present:
        return None
    return f"{_twin_reason(qtype)}: rename it to '{twin}:'"


def _twin_reason(qtype: str) -> str:
    if qtype == "cloze":
        return "a cloze's text, with {{c1::...}} around what to hide, goes under 'text:', not 'prompt:'"
    return f"a {qtype} question's question goes under 'prompt:' ('text:' is for cloze questions)"


def _spaces(n: int) -> str:
    return "1 space" if n == 1 else f"{n} spaces"


def _shortened(text: str, width: int = 40) -> str:
    """``text`` cut at a word to about ``width`` characters, for quoting a line in a hint."""
    text = text.rstrip()
    return text if len(text) <= width else text[: width - 3].rsplit(" ", 1)[0] + " ..."


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
