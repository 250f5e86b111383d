"""Store queries for the instructor pages: every student's answers to a bank, class activity,
practice-test scores and cards due, and the cards that claims were made on.

Instructor queries span students, so none of them takes a student id; they count students
only (``STUDENTS``), never an instructor who studies. For item analysis, review
answers are the review log's rows from the review loop (no ``attempt_id``), and practice answers
are the responses of finished practice attempts (``attempt_responses``), the record of a test. A
finished test also writes its answers to the review log for the schedule (with its
``attempt_id``); those rows are not read again, so each answer counts once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .database import VISIBLE, StoreBase, bank_filter, dt, placeholders, ts
from .scheduler import State, day_start
from .stats import RetentionFigure

# Class figures count only banks in service: a retired bank (its file deleted, or its id changed)
# is listed nowhere, so its cards and answers must not swell "All readings".
CARD_IN_SERVICE = " JOIN banks b ON b.id = c.bank_id AND b.retired = 0"
RESPONSE_IN_SERVICE = " JOIN banks b ON b.id = p.bank_id AND b.retired = 0"
# Class figures are the students': an instructor who tries the questions (to check a new bank,
# say) would otherwise count as a student who knows every answer, in facility, discrimination and
# the class's retention. ``... student_id {STUDENTS}``.
STUDENTS = "IN (SELECT id FROM users WHERE role = 'student')"


@dataclass(frozen=True)
class ItemAnswer:
    """One answer to a question, as item analysis reads it.

    ``score`` is 0..1: 1 or 0 for a review (a self-graded card counts as right unless rated
    Again), the saved score of a practice response (partial credit for ``multi``). A practice
    question left unanswered in a finished attempt scores 0 with ``answer`` None, as Moodle counts it.
    """

    source: str  # "review" or "practice"
    student_id: int
    attempt_id: int | None
    question_id: str
    answer: str | None
    correct: bool
    score: float
    at: str = ""  # when it was given (stored form: text order is time order)


@dataclass(frozen=True)
class StudentActivity:
    """A student's work, in all banks or in the ones asked about."""

    student_id: int
    name: str
    timezone: str
    last_active: datetime | None


@dataclass(frozen=True)
class PracticeScores:
    """A student's finished practice tests: how many, and the mean and the latest score as
    percentages (0-100; None without a test). Each test weighs the same in the mean, as each
    is one line of the student's own list of tests."""

    tests: int = 0
    mean_pct: float | None = None
    latest_pct: float | None = None


@dataclass(frozen=True)
class CardsDue:
    """A student's cards due now, as their review queue counts them (``QueueCounts.due``), and
    how many of those were already due before their current study day began: a backlog, not
    just today's work."""

    now: int = 0
    overdue: int = 0


class InstructorQueriesMixin(StoreBase):
    def item_answers(self, bank_id: str, *, since: datetime | None = None) -> list[ItemAnswer]:
        """Every student's answers to the bank's questions: reviews, then practice responses."""
        start = ts(since) if since else ""
        rows = self._all(
            # A claimed answer counts as right until an instructor rejects the claim.
            "WITH verdict AS (SELECT r.id, CASE WHEN EXISTS (SELECT 1 FROM claims k"
            "  WHERE k.review_id = r.id AND k.status = 'rejected') THEN 0"
            "  ELSE coalesce(r.correct, r.rating > 1) END AS correct FROM review_log r)"
            " SELECT 'review' AS source, r.student_id, NULL AS attempt_id, c.question_id,"
            " r.answer, v.correct, v.correct * 1.0 AS score, r.reviewed AS at"
            " FROM review_log r JOIN verdict v ON v.id = r.id JOIN cards c ON c.id = r.card_id"
            f" WHERE c.bank_id = ? AND r.attempt_id IS NULL AND r.reviewed >= ?"
            f" AND r.student_id {STUDENTS}"
            " UNION ALL"
            " SELECT 'practice', a.student_id, a.id, p.question_id, p.answer,"
            " coalesce(p.correct, 0), coalesce(p.score, p.correct, 0) * 1.0,"
            " coalesce(p.saved, a.finished)"
            " FROM attempt_responses p JOIN attempts a ON a.id = p.attempt_id"
            " WHERE p.bank_id = ? AND a.finished IS NOT NULL AND a.started >= ?"
            f" AND a.student_id {STUDENTS}",
            (bank_id, start, bank_id, start),
        )
        return [
            ItemAnswer(
                r["source"],
                r["student_id"],
                r["attempt_id"],
                r["question_id"],
                r["answer"],
                bool(r["correct"]),
                float(r["score"]),
                r["at"],
            )
            for r in rows
        ]

    def question_changes(self, bank_id: str) -> dict[str, str]:
        """The bank's questions whose wording changed after they were first loaded, with when
        the current wording was (as stored: item analysis compares it with ``ItemAnswer.at``).
        A question never edited is left out: every answer to it is to its current wording."""
        rows = self._all(
            "SELECT id, changed FROM questions WHERE bank_id = ? AND changed > first_loaded",
            (bank_id,),
        )
        return {r["id"]: r["changed"] for r in rows}

    def active_students(self, since: datetime) -> tuple[int, dict[str, int]]:
        """Students who answered anything (reviews or practice) since ``since``: in all, and in
        each bank in service."""
        rows = self._all(
            f"SELECT DISTINCT r.student_id, c.bank_id FROM review_log r"
            f" JOIN cards c ON c.id = r.card_id{CARD_IN_SERVICE} WHERE r.reviewed >= ?"
            f" AND r.student_id {STUDENTS}"
            f" UNION SELECT a.student_id, p.bank_id FROM attempt_responses p"
            f" JOIN attempts a ON a.id = p.attempt_id{RESPONSE_IN_SERVICE} WHERE p.saved >= ?"
            f" AND a.student_id {STUDENTS}",
            (ts(since), ts(since)),
        )
        per_bank: dict[str, int] = {}
        for r in rows:
            per_bank[r["bank_id"]] = per_bank.get(r["bank_id"], 0) + 1
        return len({r["student_id"] for r in rows}), per_bank

    def class_cards_due(self, now: datetime) -> dict[str, int]:
        """Cards due now across all students (learning and review cards whose time has come),
        per bank in service."""
        rows = self._all(
            f"SELECT c.bank_id, count(*) AS n FROM card_state s"
            f" JOIN cards c ON c.id = s.card_id{CARD_IN_SERVICE}"
            f" JOIN questions q ON q.bank_id = c.bank_id AND q.id = c.question_id"
            f" WHERE s.due <= ? AND {VISIBLE} AND s.student_id {STUDENTS} GROUP BY c.bank_id",
            (ts(now),),
        )
        return {r["bank_id"]: r["n"] for r in rows}

    def retention_by_student(
        self,
        now: datetime,
        *,
        days: int = 30,
        tz: str = "UTC",
        day_starts_at_hour: int = 4,
        only_zone: bool = False,
    ) -> dict[int, dict[str, RetentionFigure]]:
        """True retention of every student, per bank, counted exactly as ``true_retention``
        counts one student's, in one query for the class (days cut in ``tz``), per bank in
        service. ``only_zone`` keeps to the students whose own zone is ``tz``: a class in
        several zones is then read zone by zone, each answer once."""
        offset = now.astimezone(ZoneInfo(tz)).utcoffset() or timedelta()
        shift = f"{int(offset.total_seconds() // 60) - day_starts_at_hour * 60:+d} minutes"
        zone = " AND timezone = ?" if only_zone else ""
        who = f" AND student_id IN (SELECT id FROM users WHERE role = 'student'{zone})"
        rows = self._all(
            f"WITH firsts AS (SELECT min(id) AS id FROM review_log"
            f"  WHERE source = 'review' AND reviewed >= ?{who}"
            f"  GROUP BY student_id, card_id, date(reviewed, ?))"
            f" SELECT r.student_id, c.bank_id, sum(r.rating > 1) AS passed,"
            f" sum(r.rating = 1) AS failed FROM firsts f JOIN review_log r ON r.id = f.id"
            f" JOIN cards c ON c.id = r.card_id{CARD_IN_SERVICE}"
            f" WHERE json_extract(r.state_before, '$.state') = ? GROUP BY r.student_id, c.bank_id",
            (
                ts(now - timedelta(days=days)),
                *([tz] if only_zone else []),
                shift,
                State.Review.value,
            ),
        )
        out: dict[int, dict[str, RetentionFigure]] = {}
        for r in rows:
            out.setdefault(r["student_id"], {})[r["bank_id"]] = RetentionFigure(
                r["passed"], r["failed"]
            )
        return out

    def student_activity(self, *, bank_ids: Sequence[str] | None = None) -> list[StudentActivity]:
        """Every student with their last answer, in a review or a practice test, by name (answers
        to banks in service only). How many answers they gave is ``answer_counts``'s, which
        counts a finished test's answers once."""
        banks, params = bank_filter(bank_ids)
        practice = f" AND p.bank_id IN ({placeholders(bank_ids)})" if bank_ids is not None else ""
        rows = self._all(
            f"SELECT u.id, u.name, u.timezone, r.last AS last_review, p.last AS last_practice"
            f" FROM users u"
            f" LEFT JOIN (SELECT r.student_id, max(r.reviewed) AS last FROM review_log r"
            f"  JOIN cards c ON c.id = r.card_id{CARD_IN_SERVICE}"
            f"  WHERE 1{banks} GROUP BY r.student_id) r"
            f" ON r.student_id = u.id"
            f" LEFT JOIN (SELECT a.student_id, max(p.saved) AS last"
            f"  FROM attempt_responses p JOIN attempts a ON a.id = p.attempt_id{RESPONSE_IN_SERVICE}"
            f"  WHERE p.saved IS NOT NULL{practice} GROUP BY a.student_id) p"
            f" ON p.student_id = u.id"
            f" WHERE u.role = 'student' ORDER BY u.name COLLATE NOCASE",
            (*params, *params),
        )
        out = []
        for r in rows:
            moments = [m for m in (dt(r["last_review"]), dt(r["last_practice"])) if m]
            out.append(
                StudentActivity(
                    r["id"], r["name"], r["timezone"], max(moments) if moments else None
                )
            )
        return out

    def practice_scores(
        self, *, bank_ids: Sequence[str] | None = None
    ) -> dict[int, PracticeScores]:
        """Every student's finished practice tests, by student id (students with none are left
        out), in one query. A test left open counts nowhere: its score is not final.

        For all readings a test scores what its result page told the student (``score`` over
        ``max_score``). For some readings only the tests that asked their questions count, each
        scored on those questions alone (in service), as one reading's figures are that
        reading's only; a question left blank scores 0 in both.
        """
        if bank_ids is None:
            tests = (
                f"SELECT a.id, a.student_id, a.finished,"
                f" 100.0 * a.score / nullif(a.max_score, 0) AS pct FROM attempts a"
                f" WHERE a.finished IS NOT NULL AND a.student_id {STUDENTS}"
            )
            params: list[str] = []
        else:
            params = list(bank_ids)
            tests = (
                f"SELECT a.id, a.student_id, a.finished,"
                f" 100.0 * coalesce(sum(p.score), 0) / count(*) AS pct"
                f" FROM attempt_responses p JOIN attempts a ON a.id = p.attempt_id"
                f"{RESPONSE_IN_SERVICE} WHERE a.finished IS NOT NULL AND a.student_id {STUDENTS}"
                f" AND p.bank_id IN ({placeholders(params)}) GROUP BY a.id"
            )
        rows = self._all(
            f"SELECT student_id, count(*) AS tests, avg(pct) AS mean,"
            f" max(CASE WHEN newest = 1 THEN pct END) AS latest FROM ("
            f" SELECT student_id, pct, row_number() OVER (PARTITION BY student_id"
            f"  ORDER BY finished DESC, id DESC) AS newest FROM ({tests}))"
            f" GROUP BY student_id",
            params,
        )
        return {r["student_id"]: PracticeScores(r["tests"], r["mean"], r["latest"]) for r in rows}

    def cards_due_by_student(
        self,
        now: datetime,
        *,
        bank_ids: Sequence[str] | None = None,
        day_starts_at_hour: int = 4,
    ) -> dict[int, CardsDue]:
        """Every student's cards due now and overdue (``CardsDue``), by student id (students
        with none due are left out), in one grouped query.

        "Overdue" is cut at the start of each student's own study day, in their time zone: the
        start of each zone's day is worked out here and joined in as a small table, since
        SQLite knows no time zones.
        """
        zones = [
            r["timezone"]
            for r in self._all("SELECT DISTINCT timezone FROM users WHERE role = 'student'")
        ]
        if not zones:
            return {}
        starts = [
            value for tz in zones for value in (tz, ts(day_start(now, tz, day_starts_at_hour)))
        ]
        banks, params = bank_filter(bank_ids)
        rows = self._all(
            f"WITH days(timezone, start) AS (VALUES {', '.join(['(?, ?)'] * len(zones))})"
            f" SELECT s.student_id, count(*) AS due, sum(s.due < d.start) AS overdue"
            f" FROM card_state s JOIN users u ON u.id = s.student_id AND u.role = 'student'"
            f" JOIN days d ON d.timezone = u.timezone WHERE s.due <= ?"
            # The cards that count, listed once, rather than joined for each state: twice as fast.
            f" AND s.card_id IN (SELECT c.id FROM cards c{CARD_IN_SERVICE}"
            f"  JOIN questions q ON q.bank_id = c.bank_id AND q.id = c.question_id"
            f"  WHERE {VISIBLE}{banks}) GROUP BY s.student_id",
            (*starts, ts(now), *params),
        )
        return {r["student_id"]: CardsDue(r["due"], r["overdue"]) for r in rows}

    def claim_cards(self, claim_ids: Sequence[int]) -> dict[int, int]:
        """The card number each claim on a review was made on (cloze questions have several)."""
        if not claim_ids:
            return {}
        rows = self._all(
            f"SELECT cl.id, c.number FROM claims cl JOIN review_log r ON r.id = cl.review_id"
            f" JOIN cards c ON c.id = r.card_id WHERE cl.id IN ({placeholders(claim_ids)})",
            list(claim_ids),
        )
        return {r["id"]: r["number"] for r in rows}
