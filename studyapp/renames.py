"""Questions that look renamed: an edit removed one and added another on the same passage.

A card is keyed by (bank, question id, number), so a question's id is what ties students'
schedules to it. An instructor who renames an id (a typo fixed, a clearer name) makes, as far as
the schedule can tell, a new question: every student meets it again as a new card, while the old
id's cards retire with their history. That is right for a question really replaced, and a silent
loss for a rename, and nothing in the YAML shows the difference.

The store can see it: the sync that retired the old question also added the new one (the old
row's ``loaded`` is the new row's ``first_loaded``), and the two quote the same passage or are
the same question altogether. Nothing is lost yet: putting the old id back restores its cards
with their schedules, which is what the instructor page offers. Only renames that cost students
something are reported (the old question had been studied).

A whole bank can leave service the same way (its file deleted or moved, or its ``id:``
changed): ``retired_banks`` lists the studied ones, which a file naming the id again restores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .database import StoreBase, dt
from .instructor_queries import STUDENTS


@dataclass(frozen=True)
class Rename:
    """``old_id`` retired by the edit that added ``new_id`` on the same passage."""

    bank_id: str
    old_id: str
    new_id: str
    when: datetime
    same_question: bool  # nothing but the id changed
    students: int  # students with a schedule for the old question


@dataclass(frozen=True)
class RetiredBank:
    """A bank no file in the questions folder names any more, which students had studied."""

    bank_id: str
    title: str
    path: str  # the file it was last loaded from
    when: datetime  # when it left service
    students: int


class RenamesMixin(StoreBase):
    def likely_renames(self, bank_id: str | None = None) -> list[Rename]:
        """Retired questions of banks in service that look renamed, newest edit first.

        A retired question pairs with a question still in service, added by the same sync,
        with the same content or the same passage (``Question.quote_hash``); one that was never
        studied by a student is left out.
        """
        only = " AND old.bank_id = ?" if bank_id is not None else ""
        rows = self._all(
            "SELECT old.bank_id, old.id AS old_id, new.id AS new_id, old.loaded AS at,"
            " old.content_hash = new.content_hash AS same,"
            " (SELECT count(DISTINCT s.student_id) FROM card_state s"
            "  JOIN cards c ON c.id = s.card_id"
            f"  WHERE c.bank_id = old.bank_id AND c.question_id = old.id AND s.student_id {STUDENTS})"
            " AS students"
            " FROM questions old"
            " JOIN banks b ON b.id = old.bank_id AND b.retired = 0"
            " JOIN questions new ON new.bank_id = old.bank_id AND new.id != old.id"
            "  AND new.retired = 0 AND new.first_loaded = old.loaded"
            "  AND (new.content_hash = old.content_hash"
            "   OR (new.quote_hash != '' AND new.quote_hash = old.quote_hash))"
            f" WHERE old.retired = 1{only}"
            " ORDER BY old.loaded DESC, old.bank_id, old.position",
            (bank_id,) if bank_id is not None else (),
        )
        return [
            Rename(r["bank_id"], r["old_id"], r["new_id"], dt(r["at"]), bool(r["same"]), n)
            for r in rows
            if (n := r["students"])
        ]

    def retired_banks(self) -> list[RetiredBank]:
        """Banks out of service (their file deleted or moved, or its ``id:`` changed) that
        students had studied, most recently retired first. Their cards wait with their
        schedules: a file that names the id again brings them back."""
        rows = self._all(
            "SELECT b.id, b.title, b.path, b.loaded, count(DISTINCT s.student_id) AS students"
            " FROM banks b JOIN cards c ON c.bank_id = b.id"
            " JOIN card_state s ON s.card_id = c.id"
            f" WHERE b.retired = 1 AND s.student_id {STUDENTS}"
            " GROUP BY b.id ORDER BY b.loaded DESC, b.id"
        )
        return [
            RetiredBank(r["id"], r["title"], r["path"], dt(r["loaded"]), r["students"])
            for r in rows
        ]
