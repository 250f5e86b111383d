"""What students tell instructors: claims that a typed answer marked wrong was right, and
problem reports on a question. Both stay open until an instructor resolves them. A report's
or a claim's ``seen`` is when its student saw the outcome: the readings page counts the outcomes
not yet seen, and deciding again clears it, so a new outcome is news again.

A claim never changes the review log (it is append-only); it is kept for the instructor, who
may widen the question's ``accept`` list. A claim made on the rating screen is best made through
``record_answer(claim=True)``, in the answer's own transaction, so that the answer and the claim
are stored together. Which answers may be claimed (typed ones marked wrong) is the web's rule;
the store only refuses claims on self-graded cards, which have no verdict to dispute.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from .database import Conflict, NotFound, StoreBase, UnknownQuestion, dt, ts

CLAIM_STATUSES = ("open", "accepted", "rejected")
REPORT_STATUSES = ("open", "resolved", "dismissed")
REPORT_CATEGORIES = ("wrong-answer", "unclear", "typo", "quote", "other")


@dataclass(frozen=True)
class Claim:
    id: int
    student_id: int
    review_id: int | None
    attempt_id: int | None
    bank_id: str
    question_id: str
    answer: str
    comment: str
    created: datetime
    status: str
    resolved: datetime | None
    resolved_by: int | None
    seen: datetime | None = None  # when the student saw this outcome (None: not yet, or open)


@dataclass(frozen=True)
class ClaimedReview:
    """The logged answer a claim disputes, as the schedule took it: a decision on the claim
    changes no past review (the log is append-only), so this is what the student's schedule
    got whatever the instructor decides."""

    number: int  # the card's number (a cloze question has one card per deletion)
    rating: int  # the rating the schedule used: the student's own on a claim made on rating
    source: str  # "review" moved the schedule; "practice" did not


@dataclass(frozen=True)
class Report:
    id: int
    student_id: int
    bank_id: str
    question_id: str
    category: str
    comment: str
    created: datetime
    status: str
    resolved: datetime | None
    resolved_by: int | None
    response: str
    seen: datetime | None = None  # when the student saw this outcome (None: not yet, or open)


class FeedbackMixin(StoreBase):
    def record_claim(
        self,
        student_id: int,
        now: datetime,
        *,
        review_id: int | None = None,
        attempt_id: int | None = None,
        bank_id: str | None = None,
        question_id: str | None = None,
        comment: str = "",
    ) -> Claim:
        """Claim that an answer was right: a logged answer named by its ``review_id``
        (``AnswerResult.review_id``), or a practice response named by ``attempt_id``,
        ``bank_id`` and ``question_id``.

        Claiming the same answer again returns the first claim. Raises NotFound for an answer
        that is not the student's, Conflict for a self-graded one (or an unanswered response).
        """
        if review_id is not None:
            row = self._one(
                "SELECT r.id, NULL AS attempt_id, c.bank_id, c.question_id, r.answer, r.correct"
                " FROM review_log r JOIN cards c ON c.id = r.card_id"
                " WHERE r.id = ? AND r.student_id = ?",
                (review_id, student_id),
            )
        elif attempt_id is not None and bank_id and question_id:
            row = self._one(
                "SELECT NULL AS id, a.id AS attempt_id, p.bank_id, p.question_id, p.answer,"
                " p.correct FROM attempt_responses p JOIN attempts a ON a.id = p.attempt_id"
                " WHERE a.id = ? AND a.student_id = ? AND p.bank_id = ? AND p.question_id = ?",
                (attempt_id, student_id, bank_id, question_id),
            )
        else:
            raise ValueError("a claim names a logged answer, or an attempt and a question")
        if row is None:
            raise NotFound("no such answer of this student")
        if row["correct"] is None:
            raise Conflict("only an auto-graded answer can be claimed right")
        with self.write() as conn:
            conn.execute(
                "INSERT INTO claims (student_id, review_id, attempt_id, bank_id, question_id,"
                " answer, comment, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (
                    student_id,
                    row["id"],
                    row["attempt_id"],
                    row["bank_id"],
                    row["question_id"],
                    row["answer"] or "",
                    comment.strip(),
                    ts(now),
                ),
            )
        found = self._one(
            "SELECT * FROM claims WHERE review_id IS ? AND attempt_id IS ? AND bank_id = ?"
            " AND question_id = ?",
            (row["id"], row["attempt_id"], row["bank_id"], row["question_id"]),
        )
        assert found is not None
        return _claim(found)

    def claims(self, *, status: str | None = "open", bank_id: str | None = None) -> list[Claim]:
        """Claims for instructors, oldest first."""
        rows = self._all(
            "SELECT * FROM claims WHERE (? IS NULL OR status = ?) AND (? IS NULL OR bank_id = ?)"
            " ORDER BY created, id",
            (status, status, bank_id, bank_id),
        )
        return [_claim(r) for r in rows]

    def claims_by(self, student_id: int) -> list[Claim]:
        rows = self._all(
            "SELECT * FROM claims WHERE student_id = ? ORDER BY created DESC, id DESC",
            (student_id,),
        )
        return [_claim(r) for r in rows]

    def claimed_reviews(self, student_id: int) -> dict[int, ClaimedReview]:
        """The logged answer behind each of the student's claims on a review, by claim id (a
        claim on a practice response has none)."""
        rows = self._all(
            "SELECT cl.id, c.number, r.rating, r.source FROM claims cl"
            " JOIN review_log r ON r.id = cl.review_id JOIN cards c ON c.id = r.card_id"
            " WHERE cl.student_id = ?",
            (student_id,),
        )
        return {r["id"]: ClaimedReview(r["number"], r["rating"], r["source"]) for r in rows}

    def resolve_claim(self, claim_id: int, status: str, by: int, now: datetime) -> Claim:
        if status not in CLAIM_STATUSES[1:]:
            raise ValueError(f"a claim is resolved as accepted or rejected, not {status!r}")
        # A new decision is news to the student again: its ``seen`` is cleared.
        with self.write() as conn:
            conn.execute(
                "UPDATE claims SET status = ?, resolved = ?, resolved_by = ?, seen = NULL"
                " WHERE id = ?",
                (status, ts(now), by, claim_id),
            )
        row = self._one("SELECT * FROM claims WHERE id = ?", (claim_id,))
        if row is None:
            raise NotFound(f"no claim {claim_id}")
        return _claim(row)

    def unseen_claim_decisions(self, student_id: int) -> int:
        """How many of the student's claims were accepted or rejected since the student last
        saw them (on their reports page)."""
        return self._unseen_outcomes("claims", student_id)

    def mark_claims_seen(self, student_id: int, shown: Iterable[Claim], now: datetime) -> int:
        """Record that the student saw the decisions on the claims ``shown``; return how many
        were unseen.

        As ``mark_reports_seen``: only the student's own claims, only the decision that was
        shown (a claim decided again since it was read stays unseen), and no write at all when
        every decision was seen already.
        """
        return self._mark_seen("claims", student_id, shown, now)

    def report_problem(
        self,
        student_id: int,
        bank_id: str,
        question_id: str,
        category: str,
        comment: str,
        now: datetime,
    ) -> Report:
        """File a student's problem report on a question (category from REPORT_CATEGORIES)."""
        if category not in REPORT_CATEGORIES:
            raise ValueError(f"category must be one of {', '.join(REPORT_CATEGORIES)}")
        try:
            with self.write() as conn:
                cur = conn.execute(
                    "INSERT INTO reports (student_id, bank_id, question_id, category, comment,"
                    " created) VALUES (?, ?, ?, ?, ?, ?)",
                    (student_id, bank_id, question_id, category, comment.strip(), ts(now)),
                )
        except sqlite3.IntegrityError as e:
            raise UnknownQuestion(f"no question {bank_id}/{question_id}") from e
        return self._report(int(cur.lastrowid or 0))

    def reports(self, *, status: str | None = "open", bank_id: str | None = None) -> list[Report]:
        """Problem reports for instructors, oldest first."""
        rows = self._all(
            "SELECT * FROM reports WHERE (? IS NULL OR status = ?) AND (? IS NULL OR bank_id = ?)"
            " ORDER BY created, id",
            (status, status, bank_id, bank_id),
        )
        return [_report(r) for r in rows]

    def reports_by(self, student_id: int) -> list[Report]:
        rows = self._all(
            "SELECT * FROM reports WHERE student_id = ? ORDER BY created DESC, id DESC",
            (student_id,),
        )
        return [_report(r) for r in rows]

    def resolve_report(
        self, report_id: int, status: str, by: int, now: datetime, response: str = ""
    ) -> Report:
        if status not in REPORT_STATUSES:
            raise ValueError(f"status must be one of {', '.join(REPORT_STATUSES)}")
        # A new outcome is news to the student again: its ``seen`` is cleared.
        with self.write() as conn:
            conn.execute(
                "UPDATE reports SET status = ?, resolved = ?, resolved_by = ?, response = ?,"
                " seen = NULL WHERE id = ?",
                (status, None if status == "open" else ts(now), by, response.strip(), report_id),
            )
        return self._report(report_id)

    def unseen_report_answers(self, student_id: int) -> int:
        """How many of the student's reports were resolved or dismissed since the student last
        saw them (on their reports page)."""
        return self._unseen_outcomes("reports", student_id)

    def mark_reports_seen(self, student_id: int, shown: Iterable[Report], now: datetime) -> int:
        """Record that the student saw the outcomes of the reports ``shown``; return how many
        were unseen.

        Only the student's own reports are touched, and only the outcome that was shown: a
        report answered again since it was read (its ``resolved`` moved) stays unseen. Nothing
        is written when every outcome was seen already, so opening the page again takes no
        write lock.
        """
        return self._mark_seen("reports", student_id, shown, now)

    def _unseen_outcomes(self, table: str, student_id: int) -> int:
        """The student's decided claims or answered reports (``table``) not yet seen."""
        row = self._one(
            f"SELECT count(*) FROM {table} WHERE student_id = ? AND status != 'open'"
            " AND seen IS NULL",
            (student_id,),
        )
        return int(row[0]) if row else 0

    def _mark_seen(
        self, table: str, student_id: int, shown: Iterable[Claim | Report], now: datetime
    ) -> int:
        """Mark the outcomes ``shown`` seen, matching each row's decision as shown (its time and
        status), so that one decided again meanwhile stays news."""
        unseen = [
            (ts(now), r.id, student_id, ts(r.resolved), r.status)
            for r in shown
            if r.status != "open" and r.seen is None and r.resolved is not None
        ]
        if not unseen:
            return 0
        with self.write() as conn:
            cur = conn.executemany(
                f"UPDATE {table} SET seen = ? WHERE id = ? AND student_id = ? AND resolved = ?"
                " AND status = ? AND seen IS NULL",
                unseen,
            )
        return cur.rowcount

    def _report(self, report_id: int) -> Report:
        row = self._one("SELECT * FROM reports WHERE id = ?", (report_id,))
        if row is None:
            raise NotFound(f"no report {report_id}")
        return _report(row)


def _claim(row: sqlite3.Row) -> Claim:
    return Claim(
        row["id"],
        row["student_id"],
        row["review_id"],
        row["attempt_id"],
        row["bank_id"],
        row["question_id"],
        row["answer"],
        row["comment"],
        datetime.fromisoformat(row["created"]),
        row["status"],
        dt(row["resolved"]),
        row["resolved_by"],
        dt(row["seen"]),
    )


def _report(row: sqlite3.Row) -> Report:
    return Report(
        row["id"],
        row["student_id"],
        row["bank_id"],
        row["question_id"],
        row["category"],
        row["comment"],
        datetime.fromisoformat(row["created"]),
        row["status"],
        dt(row["resolved"]),
        row["resolved_by"],
        row["response"],
        dt(row["seen"]),
    )
