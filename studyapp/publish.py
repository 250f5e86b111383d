"""Publishing drafts: deleting their ``draft: true`` lines from a bank file.

``studyapp derive`` marks every question it writes ``draft: true``, and students see none of
them until an instructor has reviewed each and removed the flag: by hand, one line per question,
twenty-odd for a new reading. ``publish_drafts`` deletes those lines for the questions named (or
every draft), textually, so the instructor's comments and layout stay (as ``bankedit`` does for
accepted forms). The edited file must load as the old bank with exactly those questions no
longer drafts and nothing else changed; only then does it replace the file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .bank_text import EditError
from .bankedit import locked, write_checked
from .banks import load_bank
from .model import Bank

# A ``draft`` key on a line of its own inside a question (not the line with its '- ').
_DRAFT_LINE = re.compile(r"[ ]+draft[ ]*:[ ]*\S*[ ]*(?:#.*)?\r?\n?")


@dataclass(frozen=True)
class Published:
    """What ``publish_drafts`` did to one bank file."""

    path: Path
    published: tuple[str, ...]  # question ids, in file order
    lines: tuple[int, ...]  # the 1-based lines deleted, as numbered before the edit
    already: tuple[str, ...]  # ids asked for that were not drafts


def publish_drafts(path: Path, ids: Sequence[str] = (), shown: str | None = None) -> Published:
    """Publish the drafts ``ids`` of the bank at ``path`` (every draft when none is named).

    Raises ``EditError`` and leaves the file as it was when the bank does not load, an id is
    not in it, or a ``draft`` line cannot be deleted on its own (then it says which line).
    """
    name = shown or str(path)
    return locked(path, lambda: _publish(path, tuple(ids), name))


def _publish(path: Path, ids: tuple[str, ...], shown: str) -> Published:
    result = load_bank(path, shown)
    if result.bank is None:
        raise EditError(f"{shown} has problems; run `studyapp check` and fix them first")
    bank = result.bank
    unknown = [i for i in ids if bank.question(i) is None]
    if unknown:
        known = [q.id for q in bank.questions]
        named = ", ".join(_unknown_id(i, known) for i in unknown)
        raise EditError(f"{shown} has no question {named}")
    wanted = set(ids) or {q.id for q in bank.questions}
    chosen = [q for q in bank.questions if q.draft and q.id in wanted]
    already = tuple(q.id for q in bank.questions if q.id in set(ids) and not q.draft)
    lines = result.source.splitlines(keepends=True)
    deleted: list[int] = []
    for q in chosen:
        number = q.pos["draft"][0]
        text = lines[number - 1] if 0 < number <= len(lines) else ""
        if not _DRAFT_LINE.fullmatch(text):
            raise EditError(
                f"{shown}:{number}: question '{q.id}' has its 'draft' key where it cannot be "
                f"deleted on its own ({text.strip()!r}): delete 'draft: true' by hand"
            )
        deleted.append(number)
    if deleted:
        gone = set(deleted)
        text = "".join(line for n, line in enumerate(lines, 1) if n not in gone)
        published = {q.id for q in chosen}
        write_checked(path, shown, text, lambda new: _check(bank, new, published))
    return Published(path, tuple(q.id for q in chosen), tuple(deleted), already)


def _unknown_id(name: str, known: Sequence[str]) -> str:
    """An id the bank does not have, quoted, with the ids it most likely meant.

    Ids are long and hyphenated (``xi-signals-audience``), so a slip of one letter or a
    forgotten word is the usual cause; difflib's ratio finds those.
    """
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    if not close:
        return repr(name)
    return f"{name!r} (did you mean {' or '.join(repr(c) for c in close)}?)"


def _check(old: Bank, new: Bank | None, published: set[str]) -> None:
    """The edited bank must be the old one with exactly ``published`` no longer drafts."""
    if new is None:
        raise EditError("the edited file did not load; nothing was changed")
    if [q.id for q in new.questions] != [q.id for q in old.questions]:
        raise EditError("the edit changed more than the drafts; nothing was changed")
    for before, after in zip(old.questions, new.questions, strict=True):
        draft = before.draft and before.id not in published
        if before.content_hash != after.content_hash or after.draft != draft:
            raise EditError(f"the edit changed question '{before.id}'; nothing was changed")
