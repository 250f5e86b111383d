"""The keys a bank file may hold, per question type, and the kind of value each takes.

One table serves the loader, which reads and checks values by kind, and the syntax-error hints,
which recognise a known key on a line that lost its colon. The kinds (``id``, ``type``, ``text``,
``list``, ``bool``, ``forms``, ``questions``) say how ``banks`` reads each value. ``accept`` is a
list of forms on an ``answer`` question but a mapping on a ``cloze`` (``forms``: each deletion
number, ``c1``, ``c2``, ..., to its list of forms), since a cloze has one answer per deletion.
"""

from __future__ import annotations

import re

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
    "cloze": {"text": "text", "accept": "forms"},
    "answer": {"prompt": "text", "answer": "text", "accept": "list"},
    "card": {"prompt": "text", "answer": "text"},
}
REQUIRED_COMMON = ("id", "type", "quote")
OPTIONAL_BY_TYPE = {"answer": {"accept"}, "cloze": {"accept"}}
# A key of a cloze ``accept`` mapping: the deletion number as the text writes it, ``c1``.
DELETION_KEY = re.compile(r"^c([1-9][0-9]*)$")
# Keys whose values are sentences a student reads: a ' #' in them is more likely text than a
# comment. List items (distractors, accept forms) are left out: they are short, and a note after
# one (``- 19%  # with a percent sign``) is a comment the bank's authors do write.
PROSE_KEYS = frozenset(("title", "prompt", "answer", "text", "quote", "explain"))
