"""Practice tests in the store: an attempt, the questions it holds and the responses saved.

A response is saved as the student goes (autosave), so saving is idempotent per question: the
last save wins until the attempt is finished, after which it is read-only. The score is the sum
of the response scores (a right answer scores 1 unless the caller gives a partial score).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .database import (
    AttemptFinished,
    StoreBase,
    UnknownAttempt,
    UnknownQuestion,
    dt,
    ts,
)


@dataclass(frozen=True)
class Response:
    position: int
    bank_id: str
    question_id: str
    answer: str | None
    correct: bool | None
    score: float | None
    saved: datetime | None


@dataclass(frozen=True)
class Attempt:
    id: int
    student_id: int
    settings: dict[str, Any]
    started: datetime
    finished: datetime | None
    score: float | None
    max_score: float | None
    responses: tuple[Response, ...] = ()


class AttemptsMixin(StoreBase):
    def create_attempt(
        self,
        student_id: int,
        questions: Sequence[tuple[str, str]],
        now: datetime,
        settings: Mapping[str, Any] | None = None,
    ) -> Attempt:
        """Start an attempt on ``questions`` ((bank id, question id) pairs, in the order shown).

        ``settings`` (banks chosen, time limit, ...) is kept as JSON for the results page.
        Raises UnknownQuestion for a question the store does not have.
        """
        if len(set(questions)) != len(questions):
            raise ValueError("an attempt cannot hold the same question twice")
        try:
            with self.write() as conn:
                cur = conn.execute(
                    "INSERT INTO attempts (student_id, settings, started) VALUES (?, ?, ?)",
                    (student_id, json.dumps(dict(settings or {})), ts(now)),
                )
                attempt_id = int(cur.lastrowid or 0)
                conn.executemany(
                    "INSERT INTO attempt_responses (attempt_id, position, bank_id, question_id)"
                    " VALUES (?, ?, ?, ?)",
                    [(attempt_id, i, b, q) for i, (b, q) in enumerate(questions)],
                )
        except sqlite3.IntegrityError as e:
            raise UnknownQuestion(
                f"an attempt names a question the store does not have: {e}"
            ) from e
        return self.attempt(attempt_id, student_id)

    def attempt(self, attempt_id: int, student_id: int) -> Attempt:
        """The student's attempt with its responses; raises UnknownAttempt for anyone else's."""
        row = self._one(
            "SELECT * FROM attempts WHERE id = ? AND student_id = ?", (attempt_id, student_id)
        )
        if row is None:
            raise UnknownAttempt(f"no attempt {attempt_id} of this student")
        responses = tuple(
            Response(
                r["position"],
                r["bank_id"],
                r["question_id"],
                r["answer"],
                None if r["correct"] is None else bool(r["correct"]),
                r["score"],
                dt(r["saved"]),
            )
            for r in self._all(
                "SELECT * FROM attempt_responses WHERE attempt_id = ? ORDER BY position",
                (attempt_id,),
            )
        )
        return _attempt(row, responses)

    def save_response(
        self,
        attempt_id: int,
        student_id: int,
        bank_id: str,
        question_id: str,
        answer: str,
        now: datetime,
        *,
        correct: bool | None = None,
        score: float | None = None,
    ) -> None:
        """Save (or save again) the answer to one question of an unfinished attempt."""
        if score is None and correct is not None:
            score = 1.0 if correct else 0.0
        with self.write() as conn:
            row = conn.execute(
                "SELECT finished FROM attempts WHERE id = ? AND student_id = ?",
                (attempt_id, student_id),
            ).fetchone()
            if row is None:
                raise UnknownAttempt(f"no attempt {attempt_id} of this student")
            if row["finished"]:
                raise AttemptFinished(f"attempt {attempt_id} is finished")
            cur = conn.execute(
                "UPDATE attempt_responses SET answer = ?, correct = ?, score = ?, saved = ?"
                " WHERE attempt_id = ? AND bank_id = ? AND question_id = ?",
                (answer, correct, score, ts(now), attempt_id, bank_id, question_id),
            )
            if cur.rowcount != 1:
                raise UnknownQuestion(
                    f"attempt {attempt_id} has no question {bank_id}/{question_id}"
                )

    def finish_attempt(self, attempt_id: int, student_id: int, now: datetime) -> Attempt:
        """Close the attempt and score it; finishing it again changes nothing."""
        with self.write() as conn:
            conn.execute(
                "UPDATE attempts SET finished = ?,"
                " score = (SELECT coalesce(sum(score), 0) FROM attempt_responses"
                "  WHERE attempt_id = attempts.id),"
                " max_score = (SELECT count(*) FROM attempt_responses"
                "  WHERE attempt_id = attempts.id)"
                " WHERE id = ? AND student_id = ? AND finished IS NULL",
                (ts(now), attempt_id, student_id),
            )
        return self.attempt(attempt_id, student_id)

    def attempts_for(self, student_id: int) -> list[Attempt]:
        """The student's attempts, newest first, without their responses."""
        rows = self._all(
            "SELECT * FROM attempts WHERE student_id = ? ORDER BY started DESC, id DESC",
            (student_id,),
        )
        return [_attempt(r) for r in rows]


def _attempt(row: sqlite3.Row, responses: tuple[Response, ...] = ()) -> Attempt:
    return Attempt(
        row["id"],
        row["student_id"],
        json.loads(row["settings"]),
        datetime.fromisoformat(row["started"]),
        dt(row["finished"]),
        row["score"],
        row["max_score"],
        responses,
    )
