"""The keys a bank file may hold, per question type, and the kind of value each takes.

One table serves the loader, which reads and checks values by kind, and the syntax-error hints,
which recognise a known key on a line that lost its colon. The kinds (``id``, ``type``, ``text``,
``list``, ``bool``, ``questions``) say how ``banks`` reads each value.
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
    "cloze": {"text": "text"},
    "answer": {"prompt": "text", "answer": "text", "accept": "list"},
    "card": {"prompt": "text", "answer": "text"},
}
REQUIRED_COMMON = ("id", "type", "quote")
OPTIONAL_BY_TYPE = {"answer": {"accept"}}
# Keys whose values are sentences a student reads: a ' #' in them is more likely text than a
# comment. List items (distractors, accept forms) are left out: they are short, and a note after
# one (``- 19%  # with a percent sign``) is a comment the bank's authors do write.
PROSE_KEYS = frozenset(("title", "prompt", "answer", "text", "quote", "explain"))
