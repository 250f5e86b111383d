"""Write derived drafts into a bank file: a new bank, or new questions added to an existing one.

An existing bank is never rewritten: its text is kept byte for byte and the new questions are
inserted after its last question (at the end of the file when ``questions`` is its last key), in
the indentation it already uses. New ids never repeat an id in the file. A draft that repeats a
question already there (the same type and wording) is left out, and so is one whose answer lies in
a passage the bank quotes (``asked``), so running derive twice adds nothing the second time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..problems import Problem
from .build import Draft

_ID = re.compile(r"[^a-z0-9]+")


class BankError(Exception):
    """The existing bank cannot be added to; the message says what to fix.

    ``problems`` are, when the file cannot be read as YAML at all, the located problems
    ``studyapp check`` reports for it, and ``source`` its text, so that the command prints the
    same file:line message, caret and help as the checker rather than a parser's class name.
    """

    def __init__(self, message: str, problems: Sequence[Problem] = (), source: str = "") -> None:
        super().__init__(message)
        self.problems = tuple(problems)
        self.source = source


@dataclass(frozen=True)
class Existing:
    """What derive needs to know of a bank file that is already there."""

    source: str
    ids: frozenset[str]
    wording: frozenset[tuple[str, str]]  # (type, folded text or prompt) of each question
    quotes: tuple[str, ...]  # the passage each question quotes, drafts' too
    document: str | None
    questions: int
    insert_at: int  # offset where new question text goes
    indent: int  # columns before each question's "- "
    needs_newline: bool  # the insertion point follows text with no line break
    replace_empty: tuple[int, int] | None  # span of a "[]" to replace by a block list


def scalar(value: str) -> str:
    """A YAML scalar for ``value``: plain when that reads back the same, else double-quoted."""
    special = re.search(r"^[\s\-?:,\[\]{}#&*!|>'\"%@`]|:\s|\s#|:$|\s$", value)
    if value and "\n" not in value and not special:
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


def slug(text: str, words: int = 5) -> str:
    """An id part from text: lowercase letters, digits and hyphens."""
    parts = [p for p in _ID.split(text.casefold().replace("’", "").replace("'", "")) if p]
    return "-".join(parts[:words]) or "question"


def assign_ids(drafts: Sequence[Draft], taken: set[str]) -> list[str]:
    """An id per draft from its answer and type, never one in ``taken`` (which grows)."""
    ids = []
    for d in drafts:
        name = slug(d.name)
        if name.isdigit():
            name = f"{d.tags[0] if d.tags else 'q'}-{name}"  # "year-2019", not the number 2019
        base = name + (f"-{d.suffix}" if d.suffix else "")
        qid, n = base, 2
        while qid in taken:
            qid, n = f"{base}-{n}", n + 1
        taken.add(qid)
        ids.append(qid)
    return ids


def render_question(d: Draft, qid: str, indent: int = 2) -> str:
    """One question as YAML lines, in the shipped banks' style, marked ``draft: true``."""
    pad = " " * (indent + 2)
    lines = [f"{' ' * indent}- id: {qid}", f"{pad}type: {d.type}"]
    if d.type == "cloze":
        lines.append(f"{pad}text: {scalar(d.text)}")
    else:
        lines.append(f"{pad}prompt: {scalar(d.prompt)}")
        lines.append(f"{pad}answer: {d.answer if d.type == 'truefalse' else scalar(d.answer)}")
    if d.distractors:
        lines.append(f"{pad}distractors:")
        lines.extend(f"{pad}  - {scalar(x)}" for x in d.distractors)
    lines.append(f"{pad}quote: {scalar(d.quote)}")
    if d.explain:
        lines.append(f"{pad}explain: {scalar(d.explain)}")
    if d.tags:
        lines.append(f"{pad}tags: [{', '.join(scalar(t) for t in d.tags)}]")
    lines.append(f"{pad}draft: true")
    return "\n".join(lines) + "\n"


def wording(qtype: str, text: str) -> tuple[str, str]:
    """What makes two questions the same question for derive: type and folded wording."""
    return qtype, re.sub(r"\s+", " ", text).strip().casefold()


def draft_wording(d: Draft) -> tuple[str, str]:
    return wording(d.type, d.text if d.type == "cloze" else d.prompt)


def new_bank(bank_id: str, title: str, document: str, schema: bool) -> str:
    """The head of a new bank file, up to its ``questions:`` key."""
    head = "# yaml-language-server: $schema=bank.schema.json\n" if schema else ""
    return (
        f"{head}id: {bank_id}\ntitle: {scalar(title)}\ndocument: {scalar(document)}\nquestions:\n"
    )


def read_existing(source: str) -> Existing:
    """Study an existing bank's text; raises BankError when derive cannot add to it safely."""
    try:
        root = yaml.compose(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise BankError("it is not valid YAML") from exc
    if not isinstance(root, yaml.MappingNode):
        raise BankError("it is not a bank (a mapping with 'id', 'title', 'document', 'questions')")
    entries = {k.value: (k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    if "questions" not in entries:
        raise BankError("it has no 'questions' key")
    key_node, node = entries["questions"]
    document = None
    if "document" in entries and isinstance(entries["document"][1], yaml.ScalarNode):
        document = entries["document"][1].value
    ids: set[str] = set()
    words: set[tuple[str, str]] = set()
    quotes: list[str] = []
    replace_empty = None
    if isinstance(node, yaml.SequenceNode) and node.flow_style:
        if node.value:
            raise BankError(
                "its 'questions' are written as a [flow, list]: write one '- ' per line"
            )
        replace_empty = (node.start_mark.index, node.end_mark.index)
    elif isinstance(node, yaml.ScalarNode) and node.value.strip():
        raise BankError("its 'questions' is not a list")
    elif isinstance(node, yaml.MappingNode):
        raise BankError("its 'questions' is not a list")
    items = node.value if isinstance(node, yaml.SequenceNode) else []
    for item in items:
        if not isinstance(item, yaml.MappingNode):
            continue
        fields = {k.value: v for k, v in item.value if isinstance(k, yaml.ScalarNode)}
        qid = fields.get("id")
        if isinstance(qid, yaml.ScalarNode):
            ids.add(qid.value)
        qtype = fields.get("type")
        body = fields.get("text") or fields.get("prompt")
        if isinstance(qtype, yaml.ScalarNode) and isinstance(body, yaml.ScalarNode):
            words.add(wording(qtype.value, body.value))
        quote = fields.get("quote")
        if isinstance(quote, yaml.ScalarNode) and quote.value.strip():
            quotes.append(quote.value)
    if items:
        first = items[0].start_mark
        line_start = source.rfind("\n", 0, first.index) + 1
        dash = source.rfind("-", line_start, first.index)
        indent = dash - line_start if dash >= 0 else 2
    else:
        indent = 2
    if replace_empty is not None:
        insert_at = len(source)
    elif items:
        # A block list ends where the next key (or the end of the file) begins.
        insert_at = node.end_mark.index
    else:
        nl = source.find("\n", key_node.end_mark.index)
        insert_at = len(source) if nl < 0 else nl + 1
    return Existing(
        source=source,
        ids=frozenset(ids),
        wording=frozenset(words),
        quotes=tuple(quotes),
        document=document,
        questions=len(items),
        insert_at=insert_at,
        indent=indent,
        needs_newline=insert_at > 0 and not source[:insert_at].endswith("\n"),
        replace_empty=replace_empty,
    )


def append_questions(existing: Existing, rendered: Sequence[str]) -> str:
    """The bank text with ``rendered`` questions added; the existing text is untouched."""
    source = existing.source
    block = "\n".join(rendered)
    if existing.replace_empty is not None:
        # "questions: []" becomes a block list: only the empty brackets go.
        start, end = existing.replace_empty
        head, tail = source[:start].rstrip(" "), source[end:]
        return head + "\n" + block + tail.lstrip("\n")
    before, after = source[: existing.insert_at], source[existing.insert_at :]
    sep = "\n" if existing.needs_newline else ""
    if existing.questions and before.strip() and not before.endswith("\n\n"):
        sep += "\n"  # a blank line between questions, as in the shipped banks
    return before + sep + block + after


def bank_id_for(path: Path) -> str:
    """A bank id from the document's file name."""
    return slug(path.stem, words=12)
