"""Anki's cloze syntax: ``{{c1::hidden text}}`` or ``{{c1::hidden text::hint}}``.

We keep Anki's syntax in the banks so an exported cloze note is the bank's own text, and parse it
ourselves for checking and for the browser: each number is one card, and deletions that share a
number are hidden together on that card, as in Anki.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

_OPEN = "{{"
_CLOSE = "}}"
_DELETION = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


@dataclass(frozen=True)
class Deletion:
    """One ``{{cN::...}}`` deletion and where it sits in the text."""

    number: int
    answer: str
    hint: str | None
    start: int
    end: int


@dataclass(frozen=True)
class ClozeError:
    """A malformed piece of cloze text, at an offset into the text."""

    offset: int
    message: str


def parse(text: str) -> tuple[list[Deletion], list[ClozeError]]:
    """Return the deletions of ``text`` and whatever is malformed in it."""
    deletions: list[Deletion] = []
    errors: list[ClozeError] = []
    pos = 0
    while True:
        start = text.find(_OPEN, pos)
        stray = text.find(_CLOSE, pos, start if start >= 0 else len(text))
        if stray >= 0:
            errors.append(ClozeError(stray, "'}}' has no matching '{{'"))
        if start < 0:
            break
        end = text.find(_CLOSE, start + 2)
        if end < 0:
            errors.append(ClozeError(start, "'{{' is never closed with '}}'"))
            break
        chunk = text[start : end + 2]
        m = _DELETION.fullmatch(chunk)
        if m is None:
            inner = chunk[2:-2]
            if re.match(r"c\d+:[^:]", inner):
                msg = f"'{chunk}' needs two colons after the number, as in '{{{{c1::answer}}}}'"
            elif re.match(r"c\d+::\s*$", inner):
                msg = f"'{chunk}' hides nothing: put the hidden text after '::'"
            else:
                msg = f"'{chunk}' is not a deletion; write '{{{{c1::hidden text}}}}'"
            errors.append(ClozeError(start, msg))
        else:
            number, answer, hint = int(m.group(1)), m.group(2), m.group(3)
            if number < 1:
                errors.append(ClozeError(start, f"'{chunk}': cloze numbers start at c1"))
            elif not answer.strip():
                errors.append(ClozeError(start, f"'{chunk}' hides nothing"))
            elif _OPEN in answer:
                errors.append(ClozeError(start, f"'{chunk}': deletions cannot be nested"))
            else:
                deletions.append(Deletion(number, answer.strip(), hint, start, end + 2))
        pos = end + 2
    return deletions, errors


def numbers(text: str) -> list[int]:
    """The card numbers a cloze text makes, in ascending order."""
    return sorted({d.number for d in parse(text)[0]})


def answers_for(text: str, number: int) -> list[str]:
    """The hidden texts of card ``number``, in reading order."""
    return [d.answer for d in parse(text)[0] if d.number == number]


def split(text: str, number: int | None) -> list[tuple[str, Deletion | None]]:
    """Cut ``text`` into plain runs and deletions for rendering card ``number``.

    Deletions of other numbers come back as plain text (their answer shown), as Anki does;
    ``None`` hides every deletion (a practice test asks the whole question at once).
    """
    out: list[tuple[str, Deletion | None]] = []
    pos = 0
    for d in parse(text)[0]:
        out.append((text[pos : d.start], None))
        if number is None or d.number == number:
            out.append(("", d))
        else:
            out.append((d.answer, None))
        pos = d.end
    out.append((text[pos:], None))
    return [(s, d) for s, d in out if s or d]


class Piece(NamedTuple):
    """A run of a cloze card's text as a page shows it: plain ``text``, or a ``deletion`` with
    the characters that touch it on either side (``before``, ``after``), which the page keeps on
    the gap's line, and ``gap``, its place among the text's gaps from 0 (-1 for plain text: the
    index of its value in a form)."""

    text: str
    deletion: Deletion | None
    before: str = ""
    after: str = ""
    gap: int = -1


_LEADING = re.compile(r"^\S+")
_TRAILING = re.compile(r"\S+$")


def pieces(parts: list[tuple[str, Deletion | None]]) -> list[Piece]:
    """``split``'s parts with the characters that touch each deletion moved into it.

    A text box is a line-break opportunity on both sides, so on a narrow screen the full stop
    after a gap (or the quotation mark before it) would start or end a line of its own; the page
    wraps a gap and what touches it together. Nothing else changes: joined up, the pieces read
    as the parts did.
    """
    before: dict[int, str] = {}  # index of a deletion -> what touches it
    after: dict[int, str] = {}
    middles: dict[int, str] = {}
    for i, (text, deletion) in enumerate(parts):
        if deletion is not None:
            continue
        if i > 0 and parts[i - 1][1] is not None:
            m = _LEADING.match(text)
            after[i - 1] = m.group() if m else ""
            text = text[len(after[i - 1]) :]
        if i + 1 < len(parts) and parts[i + 1][1] is not None:
            m = _TRAILING.search(text)
            before[i + 1] = m.group() if m else ""
            text = text[: len(text) - len(before[i + 1])]
        middles[i] = text
    out: list[Piece] = []
    gap = 0
    for i, (_, deletion) in enumerate(parts):
        if deletion is not None:
            out.append(Piece("", deletion, before.get(i, ""), after.get(i, ""), gap))
            gap += 1
        elif middles[i]:
            out.append(Piece(middles[i], None))
    return out


def plain(text: str) -> str:
    """The cloze text with every deletion filled in."""
    return _DELETION.sub(lambda m: m.group(2), text)
